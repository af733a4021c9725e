# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Distillation lab: prune, cache, distill, evaluate
#
# This notebook runs, end to end and in miniature, the recipe that produced Llama 3.2 1B and 3B:
# take a trained model, **prune** it into a smaller student, run **two teachers** once over the
# training tokens and **cache** their top-k probabilities, then **continue pretraining** the
# student on a mix of the hard labels and the teachers' soft labels. Every model is scored
# against the **true** next-token distribution, which we know because we generate the data.
#
# | step | what happens here | the real thing |
# |---|---|---|
# | data | sentences about countries and cities with known probabilities | 9T tokens of web text |
# | teachers | two small Llama models trained for a few hundred steps | Llama 3.1 70B and 8B |
# | pruning | Minitron-style importance scores, weights sliced | 8B pruned to 1B/3B |
# | cache | top-k ids + probabilities + tail mass in safetensors | logits from an inference engine |
# | distillation | α·CE + (1−α)·T²·D, five choices of D, two teachers | same loss, 128k vocab |
#
# The scale is chosen by one configuration object and the environment variable `LAB_SCALE`:
# `tiny` (this run: a couple of minutes on one CPU core), `gpu` (one H100/H200: models of a few
# hundred million parameters, Llama 3's 128,256-token vocabulary, bf16, a chunked loss) and
# `full` (the exact commands for Llama 3.1 8B/70B; it does not run inside the notebook).
#
# Running it yourself: locally, `pip install -e ".[lab]"` at the repository root and open this file
# from `lab/`. On Colab the next cell clones the repository first.

# %%
# ruff: noqa: E402  (a notebook: the imports below follow this setup cell)
import importlib.util
import os
import subprocess
import sys

# The repository this notebook clones when its helpers are missing (on Colab). Colab's address
# shows it: colab.research.google.com/github/OWNER/REPO/... `notebook_tools.py set-repo` writes it.
REPO = os.environ.get("MICROSCALE_REPO", "https://github.com/OWNER/REPO")
if importlib.util.find_spec("labkit") is None:  # e.g. opened from Colab: fetch the helpers
    if "/OWNER/REPO" in REPO:
        raise RuntimeError(
            "This notebook needs its helper package `labkit` from the repository it came from. "
            "Set REPO above (or the MICROSCALE_REPO environment variable) to that repository's "
            "https://github.com/OWNER/REPO address; in Colab it is in the page's address."
        )
    subprocess.run(["git", "clone", "--depth", "1", REPO, "microscale"], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "-e", "microscale[lab]"], check=True
    )
    sys.path.insert(0, os.path.abspath("microscale/lab"))

# %%
import copy
import json
import math
import time
import warnings
from dataclasses import asdict

warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from labkit import plots
from labkit.cache import CacheMismatchError, cache_report, load_cache, reconstruct, write_cache
from labkit.config import load_config
from labkit.data import generate, make_world
from labkit.evaluate import as_tensors, evaluate, next_token_probs, truth_entropy
from labkit.losses import TopK, divergence, kd_loss, mix_topk, topk_buckets
from labkit.prune import importance, prune, skip_loss, top
from transformers import LlamaConfig, LlamaForCausalLM

import pycore

cfg = load_config()  # LAB_SCALE=tiny|gpu|full, LAB_SEED, LAB_OUT
out_dir = os.path.relpath(cfg.out_dir)  # shown relative to lab/
print(cfg.scale, "| seed", cfg.seed, "| results in", out_dir)
if cfg.notes:
    print("note:", cfg.notes)
if not cfg.runnable:
    raise SystemExit(f"LAB_SCALE={cfg.scale}: {cfg.notes}. See the last section for the commands.")
if cfg.device == "cuda" and not torch.cuda.is_available():
    raise SystemExit("LAB_SCALE=gpu needs a CUDA GPU; use LAB_SCALE=tiny on a CPU")
torch.set_num_threads(cfg.threads)
torch.manual_seed(cfg.seed)
torch.use_deterministic_algorithms(cfg.device == "cpu")
device = torch.device(cfg.device)
os.makedirs(cfg.out_dir, exist_ok=True)
t_start = time.perf_counter()
timings: dict[str, float] = {}

# %% [markdown]
# ## 1. Data whose truth we know
#
# Sentences come from four templates: *NAME flew to COUNTRY and visited CITY .*, *the capital of
# COUNTRY is CAPITAL .*, *people in COUNTRY speak LANGUAGE .*, *in CITY they eat FOOD .* Fixed
# words are certain; entities are drawn from tables with calibrated ambiguity (after *france and
# visited* the truth is Paris 61 %, Lyon 11 %, Marseille 10 %, ...). Each token remembers the
# distribution it was drawn from, so we can measure any model's **KL to the truth**, the part of
# its loss that better training could still remove. Rows start at a sentence boundary, so the
# prefix a model sees always determines the true distribution.

# %%
world = make_world(cfg.extra_countries, cfg.extra_names, seed=cfg.seed)
V = cfg.model_vocab or len(world.vocab)  # model vocabulary (128,256 at gpu scale)
fingerprint = world.fingerprint(V)  # identifies the tokenizer; stored in every cache shard
train_c = generate(world, cfg.train_rows, cfg.seq_len, seed=cfg.seed)
eval_c = generate(world, cfg.eval_rows, cfg.seq_len, seed=cfg.seed + 10_000)
train_set, held = as_tensors(train_c), as_tensors(eval_c)
floor = truth_entropy(held)
print(f"{len(world.vocab)} words, model vocabulary {V:,}, tokenizer fingerprint {fingerprint}")
print(f"train {train_c.targets.size:,} tokens, held-out {eval_c.targets.size:,} tokens")
print("sample:", " ".join(world.vocab[t] for t in train_c.inputs[0, :24]))
print(f"entropy of the truth (the floor for held-out CE): {floor:.4f} nats/token")

# %% [markdown]
# ## 2. The training loop
#
# One function trains everything in this notebook: the teachers (plain cross-entropy), the
# CE-only baseline and the distilled students. Read it top to bottom; it is the whole method.
# With a cache, each step gathers both teachers' top-k entries for the batch, mixes them
# (arithmetic or geometric, see `mix_topk`) and applies α·CE + (1−α)·T²·D. All students use the
# same seed, hence the same batches: "equal tokens" is exact.

# %%
if cfg.chunked_loss:  # the gpu scale never materializes [tokens x 128k] logits for forward KL
    from chunked_kd import chunked_kd_loss


def train(
    model, steps, lr, batch_size, *, caches=None, kind="forward", alpha=1.0, seed=0, eval_every=0
):
    """Train `model` in place; returns per-step losses and (step, KL to truth) checkpoints."""
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)  # same seed -> same batches
    warmup = max(1, steps // 10)
    losses, curve = [], []
    for step in range(steps):
        # learning rate: linear warmup, then cosine decay to 10 %
        frac = max(0.0, (step - warmup) / max(1, steps - warmup))
        for group in opt.param_groups:
            group["lr"] = (
                lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.45 * (1 + math.cos(math.pi * frac)))
            )
        rows = torch.randint(len(train_set["inputs"]), (batch_size,), generator=gen)
        x, y = train_set["inputs"][rows].to(device), train_set["targets"][rows].to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cfg.amp_bf16):
            if caches is None:  # next-token cross-entropy only
                logits = model(input_ids=x).logits
                loss = F.cross_entropy(logits.float().flatten(0, 1), y.flatten())
            else:  # distillation from the two cached teachers
                large, small = caches["large"][rows].to(device), caches["small"][rows].to(device)
                teacher = mix_topk(large, small, V, cfg.mix_weight, cfg.mix)
                if cfg.chunked_loss and kind == "forward":
                    h = model.model(input_ids=x).last_hidden_state.flatten(0, 1)
                    t = (
                        teacher.ids.flatten(0, 1),
                        teacher.probs.flatten(0, 1),
                        teacher.tail.flatten(),
                    )
                    loss = chunked_kd_loss(
                        h, model.lm_head.weight, y.flatten(), topk=t, alpha=alpha, T=cfg.temperature
                    )
                else:
                    logits = model(input_ids=x).logits
                    loss = kd_loss(
                        logits,
                        y,
                        teacher,
                        alpha,
                        cfg.temperature,
                        kind,
                        skew=cfg.skew,
                        beta=cfg.jsd_beta,
                    )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if eval_every and ((step + 1) % eval_every == 0 or step == 0):
            curve.append((step + 1, evaluate(model, held, {}, amp=cfg.amp_bf16)["kl_truth"]))
            model.train()
    model.eval()
    return losses, curve


def llama(size, vocab=V):
    """A Llama-architecture model from a config: no hub weights, random initialization."""
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=size.hidden,
        intermediate_size=size.ffn,
        num_hidden_layers=size.layers,
        num_attention_heads=size.heads,
        num_key_value_heads=size.kv_heads,
        head_dim=size.head_dim,
        max_position_embeddings=cfg.seq_len,
        bos_token_id=0,
        eos_token_id=1,
        pad_token_id=None,
    )
    return LlamaForCausalLM(config).to(device)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def peak_memory_gb():
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated() / 2**30
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: KiB -> GiB


def record_time(name, t0, tokens=0):
    """Record the wall time since t0 (and tokens/s) under `name`."""
    timings[name] = time.perf_counter() - t0
    if tokens:
        timings[name + "_tokens_per_s"] = tokens / timings[name]


# %% [markdown]
# ## 3. Two teachers
#
# A larger teacher stands for Llama 3.1 70B and a smaller one for 8B. Both are trained briefly
# with cross-entropy on the same corpus; the larger one trains a little longer.

# %%
torch.manual_seed(cfg.seed)
teacher_large = llama(cfg.teacher_large)
torch.manual_seed(cfg.seed + 1)
teacher_small = llama(cfg.teacher_small)
tok_per_step = cfg.batch_size * cfg.seq_len
for name, model, steps in (
    ("large", teacher_large, cfg.teacher_steps[0]),
    ("small", teacher_small, cfg.teacher_steps[1]),
):
    t0 = time.perf_counter()
    hist, _ = train(model, steps, cfg.teacher_lr, cfg.batch_size, seed=cfg.seed + 7)
    record_time(f"teacher_{name}", t0, tokens=steps * tok_per_step)
    print(
        f"teacher {name}: {n_params(model):,} parameters, {steps} steps, "
        f"final train loss {np.mean(hist[-20:]):.3f}, "
        f"{timings[f'teacher_{name}_tokens_per_s']:,.0f} tokens/s"
    )
teachers = {"large": teacher_large, "small": teacher_small}
for m in teachers.values():
    m.requires_grad_(False)
results = {name: evaluate(m, held, teachers, amp=cfg.amp_bf16) for name, m in teachers.items()}
for name, r in results.items():
    print(f"teacher {name}: held-out CE {r['ce']:.4f}, KL to truth {r['kl_truth']:.4f}")

# %% [markdown]
# ## 4. Pruning the smaller teacher into the student
#
# Minitron (arXiv 2407.14679, 2408.11796) ranks structures by their **activations** on a small
# calibration set: attention heads by the size of their outputs, FFN channels by the size of
# `act(gate(x)) * up(x)`, hidden channels by the size of the RMSNorm outputs. Layers are ranked
# by how much they change the hidden state, 1 − cos(input, output), or by how much the loss
# grows when the layer is skipped. We keep the top-ranked structures and slice the weights.

# %% alt=["Layer importance bars; sorted FFN and hidden channel importance, cut marked"]
calib = train_set["inputs"][: cfg.calib_rows]
imp = importance(teacher_small, calib)
skip = skip_loss(teacher_small, held["inputs"][:64], held["targets"][:64])
layer_score = imp.layer_cosine if cfg.layer_metric == "cosine" else skip
keep_layers = top(layer_score, cfg.student_layers).tolist()
print("layer importance 1 - cos(in, out):", np.round(imp.layer_cosine.numpy(), 4))
print("held-out loss with the layer skipped:", np.round(skip.numpy(), 3))
print("keeping layers", keep_layers)
student0 = prune(
    teacher_small,
    keep_layers,
    torch.stack([top(imp.groups[i], cfg.student_kv_groups) for i in keep_layers]),
    torch.stack([top(imp.ffn[i], cfg.student_ffn) for i in keep_layers]),
    top(imp.hidden, cfg.student_hidden),
).to(device)
print(
    f"student: {n_params(student0):,} parameters "
    f"({n_params(student0) / n_params(teacher_small):.0%} of the small teacher)"
)
results["pruned"] = evaluate(student0, held, teachers, amp=cfg.amp_bf16)
print(
    f"pruned, before any training: held-out CE {results['pruned']['ce']:.4f}, "
    f"KL to truth {results['pruned']['kl_truth']:.4f}"
)
plots.importance(
    layer_score.numpy(),
    imp.ffn[keep_layers[0]].numpy(),
    imp.hidden.numpy(),
    {"ffn": cfg.student_ffn, "hidden": cfg.student_hidden},
)
plt.show()

# %% [markdown]
# ## 5. The offline top-k cache
#
# Each teacher runs **once** over the training rows. Per position we keep the k most likely token
# ids, their probabilities (float16) and the tail mass, in safetensors shards whose metadata
# records the tokenizer fingerprint and the temperature. Training then never runs a teacher.

# %% alt=["Teacher mass kept and KL(full or cached) against k, with bytes per token"]
cache_dir = os.path.join(out_dir, "cache")
value_dtype = getattr(torch, cfg.cache_dtype)
shards = {}
for name, m in teachers.items():
    t0 = time.perf_counter()
    shards[name] = write_cache(
        m,
        train_set["inputs"],
        cache_dir,
        name=name,
        k=cfg.topk,
        T=cfg.temperature,
        fingerprint=fingerprint,
        value_dtype=value_dtype,
        shard_rows=cfg.shard_rows,
    )
    record_time(f"cache_{name}", t0, tokens=train_set["targets"].numel())
caches = {
    name: load_cache(cache_dir, name=name, fingerprint=fingerprint, T=cfg.temperature)[0]
    for name in teachers
}
n_tok = train_set["targets"].numel()
report = cache_report(shards["large"], n_tok)
id_bits = 8 * (2 if V <= 2**15 else 4)
value_bytes = value_dtype.itemsize
expected = pycore.logit_cache_bytes(
    n_tok, V, k=cfg.topk, value_bytes=value_bytes, index_bits=id_bits
)
assert report["payload_bytes_per_token"] == expected / n_tok, (report, expected)
full_bytes = pycore.logit_cache_bytes(1, V, value_bytes=2)
packed = pycore.logit_cache_bytes(1, V, k=cfg.topk, value_bytes=value_bytes)

# what the cache loses: compare with the full teacher distribution on a sample of rows
n_sample = max(1, min(64, 2**22 // (cfg.seq_len * V)))
with torch.no_grad():
    sample = train_set["inputs"][:n_sample].to(device)
    p_full = F.softmax(teacher_large(input_ids=sample).logits.float() / cfg.temperature, -1).cpu()
cached = caches["large"][:n_sample]
kl_cache = pycore.forward_kl(p_full.double().numpy(), reconstruct(cached, V).double().numpy())
cache_stats = {
    "k": cfg.topk,
    "value_dtype": cfg.cache_dtype,
    "bytes_per_token": report["payload_bytes_per_token"],
    "file_bytes_per_token": report["file_bytes_per_token"],
    "full_bf16_bytes_per_token": full_bytes,
    "packed_bytes_per_token": packed,
    "mass_kept": float(caches["large"].probs.sum(-1).mean()),
    "kl_full_vs_cached": float(kl_cache.mean()),
}
print(
    f"top-{cfg.topk} cache: {report['payload_bytes_per_token']:.0f} B/token as stored "
    f"({id_bits}-bit ids, {cfg.cache_dtype} values; = pycore.logit_cache_bytes), "
    f"{report['file_bytes_per_token']:.1f} B/token with headers"
)
print(
    f"full bf16 cache would be {full_bytes:,} B/token; ids packed at "
    f"ceil(log2 V) bits: {packed} B/token"
)
print(
    f"teacher mass kept: {cache_stats['mass_kept']:.4f}; "
    f"KL(full || cached): {cache_stats['kl_full_vs_cached']:.2e} nats/token"
)

ks = sorted({1, 2, 4, 8, cfg.topk, min(2 * cfg.topk, V), min(32, V)})
sweep = [pycore.topk_teacher(np.log(p_full.double().numpy() + 1e-30), k) for k in ks]
mass = [float(s.probs.sum(-1).mean()) for s in sweep]
kls = [
    float(
        pycore.forward_kl(
            p_full.double().numpy(),
            reconstruct(
                TopK(
                    torch.from_numpy(s.indices), torch.from_numpy(s.probs), torch.from_numpy(s.tail)
                ),
                V,
            )
            .double()
            .numpy(),
        ).mean()
    )
    for s in sweep
]
plots.cache_tradeoff(
    ks,
    mass,
    [max(x, 1e-12) for x in kls],
    [pycore.logit_cache_bytes(1, V, k=k, value_bytes=2) for k in ks],
)
plt.show()

# %% [markdown]
# Reading the numbers: "KL(full ‖ cached)" rebuilds a full distribution from the cache by
# spreading the tail mass evenly over the tokens that were not kept, which is the crudest
# guess; where the teacher's runners-up outnumber k (32 countries, 16 names here), that guess
# is poor and the KL is visible. The distillation loss never makes that guess: it compares the
# student with the teacher on the k kept tokens plus one bucket for everything else.
#
# Mistakes fail early and say what to do. A k larger than the vocabulary, an α outside [0, 1],
# and a cache made with another tokenizer are all refused before any work is done:

# %%
other = make_world(extra_countries=1).fingerprint(V)  # a different vocabulary
for attempt in (
    lambda: write_cache(
        teacher_large, calib, cache_dir, name="oops", k=V + 1, T=1.0, fingerprint=fingerprint
    ),
    lambda: kd_loss(
        torch.zeros(1, 2, V),
        torch.zeros(1, 2, dtype=torch.long),
        caches["large"][:1, :2],
        alpha=1.5,
    ),
    lambda: load_cache(cache_dir, name="large", fingerprint=other, T=cfg.temperature),
):
    try:
        attempt()
        raise AssertionError("this mistake was not caught")
    except (ValueError, CacheMismatchError) as err:
        print(f"{type(err).__name__}: {err}\n")

# %% [markdown]
# ## 6. The torch losses agree with pycore
#
# The lesson's numpy functions (`pycore`) are the reference. On random logits, every divergence,
# the full KD loss and the top-k loss computed here in torch match them to 1e-5.

# %%
g = torch.Generator().manual_seed(123)
zs, zt = torch.randn(4, 7, 50, generator=g) * 3, torch.randn(4, 7, 50, generator=g) * 3
labels = torch.randint(50, (4, 7), generator=g)
T, a = 2.0, 0.3
reference = {
    "forward": pycore.forward_kl,
    "reverse": pycore.reverse_kl,
    "skew": lambda p, q: pycore.skew_kl(p, q, cfg.skew),
    "skew_reverse": lambda p, q: pycore.skew_reverse_kl(p, q, cfg.skew),
    "jsd": lambda p, q: pycore.generalized_jsd(p, q, cfg.jsd_beta),
}
p_np, q_np = pycore.softmax(zt.double().numpy(), T), pycore.softmax(zs.double().numpy(), T)
parity = {}
for kind, ref in reference.items():
    ours = divergence(
        F.log_softmax(zt / T, -1), F.log_softmax(zs / T, -1), kind, cfg.skew, cfg.jsd_beta
    )
    loss_ours = kd_loss(zs, labels, zt, a, T, kind, skew=cfg.skew, beta=cfg.jsd_beta).item()
    loss_ref = pycore.kd_loss(
        zs.double().numpy(),
        zt.double().numpy(),
        labels.numpy(),
        a,
        T,
        kind,
        skew_alpha=cfg.skew,
        beta=cfg.jsd_beta,
    )
    parity[kind] = max(
        float(np.abs(ours.double().numpy() - ref(p_np, q_np)).max()), abs(loss_ours - loss_ref)
    )
tk = pycore.topk_teacher(zt.double().numpy(), 8, T)
ours = divergence(
    *topk_buckets(TopK(*(torch.from_numpy(x) for x in tk)), zs.double(), T), "forward"
)
parity["topk_forward"] = float(
    np.abs(ours.numpy() - pycore.topk_forward_kl(tk, zs.double().numpy(), T)).max()
)
for kind, err in parity.items():
    print(f"{kind:>13}: max |torch - pycore| = {err:.1e}")
assert max(parity.values()) < 1e-5

# %% [markdown]
# ## 7. Continued pretraining: distillation against a CE-only baseline
#
# Every student starts from the same pruned weights and sees the same batches. The baseline
# learns from the hard labels only (α = 1). The distilled student uses
# α·CE + (1 − α)·T²·D with D = forward KL and the two teachers mixed. Then a divergence study:
# one student per D, with α = `study_alpha` (0: the teacher term alone, so that the hard-label
# term, which is itself a forward KL to the data, does not blur the differences between the D).

# %% alt=["Training loss per step of every student", "Held-out KL to truth against tokens"]
kd_tokens = cfg.kd_steps * cfg.kd_batch_size * cfg.seq_len
runs = {
    "ce_only": (None, 1.0),
    "distilled": ("forward", cfg.alpha),
    **{f"D={d}": (d, cfg.study_alpha) for d in cfg.divergences},
}
students, histories, curves = {}, {}, {}
for name, (kind, alpha) in runs.items():
    students[name] = copy.deepcopy(student0)
    t0 = time.perf_counter()
    histories[name], curves[name] = train(
        students[name],
        cfg.kd_steps,
        cfg.kd_lr,
        cfg.kd_batch_size,
        caches=None if kind is None else caches,
        kind=kind or "forward",
        alpha=alpha,
        seed=cfg.seed + 99,  # the same batches for every student
        eval_every=max(1, cfg.kd_steps // 6) if name in ("ce_only", "distilled") else 0,
    )
    record_time(name, t0, tokens=kd_tokens)
    results[name] = evaluate(students[name], held, teachers, amp=cfg.amp_bf16)
    print(
        f"{name:>16}: KL to truth {results[name]['kl_truth']:.4f}, CE {results[name]['ce']:.4f}, "
        f"entropy {results[name]['entropy']:.4f}, {timings[name + '_tokens_per_s']:,.0f} tokens/s"
    )
plots.curves(histories, "student training loss (same batches)")
plt.show()
fig, ax = plt.subplots(figsize=(6.4, 3.0))
for name in ("ce_only", "distilled"):
    steps_, kl_ = zip(*curves[name], strict=True)
    ax.plot(np.array(steps_) * cfg.kd_batch_size * cfg.seq_len, kl_, "o-", label=name)
ax.set(xlabel="training tokens", ylabel="held-out KL to truth (nats)", title="equal tokens")
ax.legend()
plt.show()

# %% [markdown]
# ## 8. Evaluation
#
# Held-out cross-entropy, KL to the true distribution, KL to each teacher, top-1 agreement and
# entropy, for the teachers, the pruned student before training, and every student after it.
# Top-1 agreement with a teacher is partly luck here: where the truth is flat (16 names at
# 2.5 % each, three sentence openings at 20 % each) the teachers' top token is an arbitrary
# pick among near-ties, so read it next to the KL columns. `top1_truth` counts a position as
# right when the model's top token is one of the truth's most likely tokens.

# %% alt=["Bars per model: KL to truth, KL to the large teacher, entropy, top-1 agreement"]
cols = ["ce", "kl_truth", "kl_large", "kl_small", "top1_large", "top1_truth", "entropy"]
print(f"{'model':>16} " + " ".join(f"{c:>10}" for c in cols))
for name, r in results.items():
    print(f"{name:>16} " + " ".join(f"{r[c]:>10.4f}" for c in cols))
plots.metric_bars(
    results,
    ["kl_truth", "kl_large", "entropy", "top1_large"],
    [
        "KL to truth (lower is better)",
        "KL to the large teacher",
        "entropy (nats)",
        "top-1 agreement with the large teacher",
    ],
)
plt.show()

# %% [markdown]
# What the models believe after *ada flew to france and visited*: the truth, the large teacher,
# the CE-only student, the distilled student, and the study's forward- and reverse-KL students.

# %% alt=["Probabilities of each French city: truth, large teacher, four students"]
ix = world.index
prefix = [ix["<bos>"]] + [ix[w] for w in ["ada", "flew", "to", "france", "and", "visited"]]
cities = list(world.countries["france"][2])
view = {"truth": np.array(list(world.countries["france"][2].values()))}
for name, m in (
    ("teacher large", teacher_large),
    ("ce_only", students["ce_only"]),
    ("distilled", students["distilled"]),
    ("D=forward", students["D=forward"]),
    ("D=reverse", students["D=reverse"]),
):
    view[name] = next_token_probs(m, prefix)[[ix[c] for c in cities]].numpy()
plots.distributions(view, cities, "next token after 'ada flew to france and visited'")
plt.show()

# %% [markdown]
# ## 9. The findings, asserted from the recorded results
#
# 1. **Distillation beats CE-only at equal tokens**: lower KL to the truth and lower held-out CE.
# 2. **Reverse KL gives a sharper student than forward KL**: lower mean entropy (reverse KL is
#    mode-seeking, forward KL is mass-covering).
# 3. **The pruned student recovers most of the teacher's quality**: of the KL to truth that
#    pruning added on top of the small teacher's, distillation removes most.

# %%
ce, kd = results["ce_only"], results["distilled"]
fwd, rev = results["D=forward"], results["D=reverse"]
pruned, small = results["pruned"], results["small"]
recovered = (pruned["kl_truth"] - kd["kl_truth"]) / (pruned["kl_truth"] - small["kl_truth"])
findings = {
    "distilled_beats_ce": {
        "kd_kl_truth": kd["kl_truth"],
        "ce_kl_truth": ce["kl_truth"],
        "kd_ce": kd["ce"],
        "ce_ce": ce["ce"],
        "holds": kd["kl_truth"] < ce["kl_truth"] and kd["ce"] < ce["ce"],
    },
    "reverse_sharper": {
        "reverse_entropy": rev["entropy"],
        "forward_entropy": fwd["entropy"],
        "holds": rev["entropy"] < fwd["entropy"],
    },
    "pruned_recovers": {
        "pruned_kl_truth": pruned["kl_truth"],
        "student_kl_truth": kd["kl_truth"],
        "teacher_small_kl_truth": small["kl_truth"],
        "fraction_recovered": recovered,
        "holds": recovered >= 0.75,
    },
}
for key, f in findings.items():
    print(key, {k: round(v, 4) if isinstance(v, float) else v for k, v in f.items()})
timings["total"] = time.perf_counter() - t_start
record = {
    "scale": cfg.scale,
    "seed": cfg.seed,
    "config": asdict(cfg),
    "vocab_size": V,
    "truth_entropy": floor,
    "params": {
        "teacher_large": n_params(teacher_large),
        "teacher_small": n_params(teacher_small),
        "student": n_params(student0),
    },
    "kd_tokens": kd_tokens,
    "results": results,
    "cache": cache_stats,
    "parity": parity,
    "findings": findings,
    "timings_s": timings,
    "peak_memory_gb": peak_memory_gb(),
    "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
}
with open(os.path.join(out_dir, "results.json"), "w") as fh:
    json.dump(record, fh, indent=1)
print(f"wrote {out_dir}/results.json; notebook compute {timings['total']:.0f} s")
assert all(f["holds"] for f in findings.values()), findings

# %% [markdown]
# ## 10. Scales: `gpu` and `full`
#
# **`LAB_SCALE=gpu`** runs this same notebook on one H100 or H200: teachers of about 0.52 B and
# 0.31 B parameters, a 0.16 B student, Llama 3's vocabulary size of 128,256 (the synthetic world
# grows to a few thousand words inside it), rows of 512 tokens, bf16 autocast, a top-64 cache with
# 32-bit ids, and, for the forward-KL student, `lab/chunked_kd.py`'s chunked loss, which never
# holds the `[tokens × 128,256]` logits (the other divergences use the dense top-k loss above).
# Run it with `LAB_SCALE=gpu jupyter execute lab/distillation_lab.ipynb` from the repository
# root, or on Colab with a GPU runtime after setting `os.environ["LAB_SCALE"] = "gpu"` in the
# first cell. It records tokens per second per run and the peak GPU memory in `results.json`.
# Its step counts were chosen to fit a session of about fifteen minutes of GPU time.
# **The session that wrote this notebook had no GPU: the `gpu` figures have not been measured.**
# What has been checked: the same code paths (128,256-token vocabulary, 32-bit ids, bf16
# autocast, the chunked loss reading the top-k cache) run on a CPU with shrunken models for a
# few steps (`tests/lab/test_notebook.py::test_gpu_code_path_runs_on_cpu_with_shrunken_models`).
#
# **`LAB_SCALE=full`** is the real pipeline. It cannot run here (it needs the gated Llama 3.1
# weights and a multi-GPU node), so these are the commands, untested in this project:
#
# ```bash
# huggingface-cli login        # accept the Llama 3.1 license on the hub first
# # 1. prune Llama 3.1 8B with this notebook's functions (one 80 GB GPU, bf16)
# python -c "
# import torch; from transformers import AutoModelForCausalLM
# from labkit.prune import importance, prune, top
# m = AutoModelForCausalLM.from_pretrained('meta-llama/Llama-3.1-8B', torch_dtype='bfloat16')
# m = m.cuda()
# # calibration: 1,024 rows of 4,096 tokens of your pretraining mix, then keep 16 of 32 layers,
# # 4 of 8 KV groups, 9,216 of 14,336 FFN channels, 3,072 of 4,096 hidden channels (~3B) ..."
# # 2. top-64 cache of both teachers with vLLM: prompt_logprobs returns the top-k log-probs of
# #    every prompt token; raise the engine's max_logprobs to 64
# python -c "
# from vllm import LLM, SamplingParams
# llm = LLM('meta-llama/Llama-3.1-70B', tensor_parallel_size=8, max_logprobs=64)
# outs = llm.generate(prompts, SamplingParams(max_tokens=1, prompt_logprobs=64))
# # write ids / probs / tail per position with labkit.cache's format and fingerprint"
# # 3. continued pretraining with FSDP on 8 GPUs (NeMo AutoModel's KD recipe runs an online
# #    teacher; for the offline cache, feed the shards to the loss of section 2)
# python -m torch.distributed.run --nproc-per-node=8 nemo_automodel/recipes/llm/kd.py \
#     -c examples/llm_kd/llama3_2/llama3_2_1b_kd.yaml
# ```
