"""A synthetic corpus whose true next-token distribution is known at every position.

Sentences about countries and cities come from four templates. Each slot is either a fixed
word (its true distribution is one-hot) or an entity drawn from a known table (the city
given the country, the language given the country, ...). Every token therefore carries the
id of the distribution it was sampled from, and any model can be scored by its KL divergence
to the truth. Nothing is downloaded; everything is generated from a seed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

# country: (prior weight, capital, {city: p}, {language: p}, {food: p})
COUNTRIES: dict[str, tuple[float, str, dict, dict, dict]] = {
    "france": (
        0.25,
        "paris",
        {
            "paris": 0.61,
            "lyon": 0.11,
            "marseille": 0.10,
            "bordeaux": 0.07,
            "nice": 0.06,
            "lille": 0.05,
        },
        {"french": 1.0},
        {"cheese": 0.5, "bread": 0.3, "wine": 0.2},
    ),
    "germany": (
        0.18,
        "berlin",
        {"berlin": 0.45, "munich": 0.25, "hamburg": 0.15, "cologne": 0.15},
        {"german": 1.0},
        {"sausage": 0.5, "bread": 0.3, "beer": 0.2},
    ),
    "italy": (
        0.15,
        "rome",
        {"rome": 0.4, "milan": 0.3, "naples": 0.15, "florence": 0.15},
        {"italian": 1.0},
        {"pasta": 0.6, "pizza": 0.3, "wine": 0.1},
    ),
    "spain": (
        0.12,
        "madrid",
        {"madrid": 0.45, "barcelona": 0.35, "seville": 0.2},
        {"spanish": 0.8, "catalan": 0.2},
        {"paella": 0.5, "ham": 0.3, "wine": 0.2},
    ),
    "belgium": (
        0.10,
        "brussels",
        {"brussels": 0.5, "antwerp": 0.3, "ghent": 0.2},
        {"dutch": 0.55, "french": 0.4, "german": 0.05},
        {"waffles": 0.5, "chocolate": 0.3, "beer": 0.2},
    ),
    "switzerland": (
        0.08,
        "bern",
        {"zurich": 0.45, "geneva": 0.3, "bern": 0.15, "basel": 0.1},
        {"german": 0.63, "french": 0.23, "italian": 0.14},
        {"cheese": 0.6, "chocolate": 0.4},
    ),
    "canada": (
        0.07,
        "ottawa",
        {"toronto": 0.45, "montreal": 0.3, "vancouver": 0.15, "ottawa": 0.1},
        {"english": 0.75, "french": 0.25},
        {"pancakes": 0.6, "bread": 0.4},
    ),
    "england": (
        0.05,
        "london",
        {"london": 0.7, "manchester": 0.15, "leeds": 0.15},
        {"english": 1.0},
        {"tea": 0.5, "bread": 0.3, "beer": 0.2},
    ),
}
NAMES = [
    "ada",
    "ben",
    "cleo",
    "dev",
    "eli",
    "fay",
    "gus",
    "hana",
    "ivo",
    "jun",
    "kai",
    "lea",
    "max",
    "nia",
    "oto",
    "pia",
]
TEMPLATES = {"travel": 0.4, "capital": 0.2, "language": 0.2, "food": 0.2}
FIXED = [
    "flew",
    "to",
    "and",
    "visited",
    "the",
    "capital",
    "of",
    "is",
    "people",
    "in",
    "speak",
    "they",
    "eat",
]
BOS, EOS = "<bos>", "."


@dataclass(frozen=True)
class World:
    """Entity tables (the ground truth) and the word-level vocabulary."""

    countries: dict[str, tuple[float, str, dict, dict, dict]]
    names: list[str]
    vocab: list[str]

    @property
    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}

    def fingerprint(self, model_vocab_size: int) -> str:
        """Tokenizer fingerprint: sha256 of the vocabulary and the model's vocabulary size."""
        text = "\n".join(self.vocab) + f"\n#size={model_vocab_size}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_world(extra_countries: int = 0, extra_names: int = 0, seed: int = 0) -> World:
    """The eight hand-written countries, plus procedurally generated ones for larger scales."""
    rng = np.random.default_rng(seed)
    countries = dict(COUNTRIES)
    for c in range(extra_countries):
        cities = [f"city{c}_{j}" for j in range(int(rng.integers(2, 7)))]
        cp = rng.dirichlet(np.full(len(cities), 0.7))
        langs = [f"lang{c}", "english"]
        lp = rng.dirichlet([3.0, 1.0])
        foods = [f"food{c}_{j}" for j in range(3)]
        fp = rng.dirichlet(np.ones(3))
        countries[f"country{c}"] = (
            0.3 / (c + 3),
            cities[0],
            dict(zip(cities, cp.tolist(), strict=True)),
            dict(zip(langs, lp.tolist(), strict=True)),
            dict(zip(foods, fp.tolist(), strict=True)),
        )
    names = NAMES + [f"name{i}" for i in range(extra_names)]
    words = [BOS, EOS, *FIXED, *names]
    for country, (_, capital, cities, langs, foods) in countries.items():
        words += [country, capital, *cities, *langs, *foods]
    vocab = list(dict.fromkeys(words))  # ordered and de-duplicated
    return World(countries, names, vocab)


class _Tables:
    """Distinct true distributions, each as (token ids, probabilities), padded to one width."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index, self.rows, self.key = index, [], {}

    def add(self, dist: dict[str, float]) -> int:
        key = tuple(sorted(dist.items()))
        if key not in self.key:
            self.key[key] = len(self.rows)
            total = sum(dist.values())
            self.rows.append([(self.index[w], p / total) for w, p in dist.items()])
        return self.key[key]

    def one_hot(self, word: str) -> int:
        return self.add({word: 1.0})

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(r) for r in self.rows)
        ids = np.zeros((len(self.rows), width), np.int64)
        probs = np.zeros((len(self.rows), width), np.float64)
        for i, row in enumerate(self.rows):
            for j, (t, p) in enumerate(row):
                ids[i, j], probs[i, j] = t, p
        return ids, probs


@dataclass
class Corpus:
    """Rows of token ids and, for every target, the id of its true distribution."""

    inputs: np.ndarray  # [rows, seq_len] int64, each row starts with <bos>
    targets: np.ndarray  # [rows, seq_len] int64
    truth: np.ndarray  # [rows, seq_len] int64 index into truth_ids / truth_probs
    truth_ids: np.ndarray  # [distributions, width]
    truth_probs: np.ndarray  # [distributions, width]


def _sample(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Vectorized categorical draw: one sample from probs[rows[i]] for each i."""
    cdf = np.cumsum(probs[rows], axis=1)
    u = rng.random(len(rows))[:, None] * cdf[:, -1:]
    return (u > cdf).sum(axis=1)


def generate(world: World, num_rows: int, seq_len: int, seed: int) -> Corpus:
    """Sample sentences, pack whole sentences into rows of seq_len targets."""
    rng = np.random.default_rng(seed)
    ix = world.index
    tables = _Tables(ix)
    names = list(world.names)
    cnames = list(world.countries)
    prior = np.array([v[0] for v in world.countries.values()])
    prior = prior / prior.sum()
    tprior = np.array(list(TEMPLATES.values()))

    # sentence-start distribution: a mixture over templates (first words differ per template)
    start = {n: TEMPLATES["travel"] / len(names) for n in names}
    start |= {"the": TEMPLATES["capital"], "people": TEMPLATES["language"], "in": TEMPLATES["food"]}
    d_start = tables.add(start)
    d_country = tables.add(dict(zip(cnames, prior.tolist(), strict=True)))

    def padded(dicts: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        width = max(len(d) for d in dicts)
        tok = np.zeros((len(dicts), width), np.int64)
        p = np.zeros((len(dicts), width))
        for i, d in enumerate(dicts):
            tok[i, : len(d)] = [ix[w] for w in d]
            p[i, : len(d)] = list(d.values())
        return tok, p, np.array([tables.add(d) for d in dicts])

    vals = list(world.countries.values())
    city_tok, city_p, d_city = padded([v[2] for v in vals])
    lang_tok, lang_p, d_lang = padded([v[3] for v in vals])
    food_tok, food_p, d_food = padded([v[4] for v in vals])
    capital_tok = np.array([ix[v[1]] for v in vals])
    d_capital = np.array([tables.one_hot(v[1]) for v in vals])
    # "in CITY they eat FOOD": the city is drawn from the joint P(country) P(city | country)
    joint = {city: prior[c] * p for c, v in enumerate(vals) for city, p in v[2].items()}
    all_cities = list(joint)
    city_country = np.array([next(c for c, v in enumerate(vals) if w in v[2]) for w in all_cities])
    d_anycity = tables.add(joint)
    anycity_p = np.array(list(joint.values()))

    max_len = 8
    n_sent = int(num_rows * (seq_len + max_len) / 6.0) + 16
    kind = rng.choice(len(tprior), size=n_sent, p=tprior)
    lengths = np.array([8, 7, 6, 6])[kind]
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    stream = np.zeros(offsets[-1], np.int64)
    dist = np.zeros(offsets[-1], np.int64)
    w, oh = ix.__getitem__, tables.one_hot

    def put(sel: np.ndarray, cols: list[tuple[np.ndarray, np.ndarray]]) -> None:
        pos = offsets[sel][:, None] + np.arange(len(cols))
        stream[pos] = np.stack([np.broadcast_to(t, sel.shape) for t, _ in cols], axis=1)
        dist[pos] = np.stack([np.broadcast_to(d, sel.shape) for _, d in cols], axis=1)

    def fixed(word: str) -> tuple[int, int]:
        return w(word), oh(word)

    sel = np.flatnonzero(kind == 0)  # NAME flew to COUNTRY and visited CITY .
    name = rng.integers(len(names), size=len(sel))
    c = rng.choice(len(cnames), size=len(sel), p=prior)
    city = city_tok[c, _sample(rng, city_p, c)]
    name_tok = np.array([w(n) for n in names])[name]
    put(
        sel,
        [
            (name_tok, d_start),
            fixed("flew"),
            fixed("to"),
            (np.array([w(n) for n in cnames])[c], d_country),
            fixed("and"),
            fixed("visited"),
            (city, d_city[c]),
            fixed(EOS),
        ],
    )

    sel = np.flatnonzero(kind == 1)  # the capital of COUNTRY is CAPITAL .
    c = rng.choice(len(cnames), size=len(sel), p=prior)
    put(
        sel,
        [
            (w("the"), d_start),
            fixed("capital"),
            fixed("of"),
            (np.array([w(n) for n in cnames])[c], d_country),
            fixed("is"),
            (capital_tok[c], d_capital[c]),
            fixed(EOS),
        ],
    )

    sel = np.flatnonzero(kind == 2)  # people in COUNTRY speak LANGUAGE .
    c = rng.choice(len(cnames), size=len(sel), p=prior)
    put(
        sel,
        [
            (w("people"), d_start),
            fixed("in"),
            (np.array([w(n) for n in cnames])[c], d_country),
            fixed("speak"),
            (lang_tok[c, _sample(rng, lang_p, c)], d_lang[c]),
            fixed(EOS),
        ],
    )

    sel = np.flatnonzero(kind == 3)  # in CITY they eat FOOD .
    k = rng.choice(len(all_cities), size=len(sel), p=anycity_p / anycity_p.sum())
    c = city_country[k]
    put(
        sel,
        [
            (w("in"), d_start),
            (np.array([w(x) for x in all_cities])[k], d_anycity),
            fixed("they"),
            fixed("eat"),
            (food_tok[c, _sample(rng, food_p, c)], d_food[c]),
            fixed(EOS),
        ],
    )

    # rows start at sentence boundaries; a stride longer than a row keeps rows disjoint
    starts = offsets[np.searchsorted(offsets, np.arange(num_rows) * (seq_len + max_len))]
    pos = starts[:, None] + np.arange(seq_len)
    targets, truth = stream[pos], dist[pos]
    inputs = np.concatenate([np.full((num_rows, 1), ix[BOS]), targets[:, :-1]], axis=1)
    tid, tp = tables.arrays()
    return Corpus(inputs, targets, truth, tid, tp)
