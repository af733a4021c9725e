"""The synthetic corpus: every target is drawn from its recorded true distribution."""

import numpy as np
from labkit.config import check_topk, load_config
from labkit.data import generate, make_world


def test_truth_is_consistent_and_normalized():
    world = make_world(extra_countries=5)
    c = generate(world, 200, 40, seed=3)
    ids, p = c.truth_ids[c.truth], c.truth_probs[c.truth]
    assert ((ids == c.targets[..., None]) & (p > 0)).any(-1).all()  # target in the support
    np.testing.assert_allclose(c.truth_probs.sum(-1), 1.0)
    assert (c.inputs[:, 0] == world.index["<bos>"]).all()
    np.testing.assert_array_equal(c.inputs[:, 1:], c.targets[:, :-1])


def test_empirical_frequencies_match_the_truth():
    world = make_world()
    c = generate(world, 4000, 32, seed=0)
    v = world.index
    # the target after "france and visited": inputs[j - 2] == france, inputs[j] == visited
    sel = (c.inputs[:, :-2] == v["france"]) & (c.inputs[:, 2:] == v["visited"])
    france = c.targets[:, 2:][sel]
    assert len(france) > 1500
    assert abs(np.mean(france == v["paris"]) - 0.61) < 0.04  # > 3 standard errors
    assert abs(np.mean(france == v["lyon"]) - 0.11) < 0.03


def test_same_seed_same_corpus_and_fingerprint_tracks_vocabulary():
    w = make_world()
    a, b = generate(w, 50, 16, seed=1), generate(w, 50, 16, seed=1)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert w.fingerprint(90) != make_world(extra_countries=1).fingerprint(90)
    assert w.fingerprint(90) != w.fingerprint(128_256)


def test_config_from_environment(monkeypatch):
    monkeypatch.setenv("LAB_SCALE", "gpu")
    monkeypatch.setenv("LAB_OVERRIDES", '{"kd_steps": 7}')
    cfg = load_config()
    assert (cfg.scale, cfg.model_vocab, cfg.kd_steps, cfg.chunked_loss) == ("gpu", 128_256, 7, True)
    monkeypatch.setenv("LAB_SCALE", "huge")
    try:
        load_config()
    except ValueError as err:
        assert "not one of" in str(err)
    else:
        raise AssertionError("unknown scale accepted")
    try:
        check_topk(11, 10)
    except ValueError as err:
        assert "k=11" in str(err)
    else:
        raise AssertionError("k > V accepted")
