"""The chunked distillation loss equals the naive one (value and both gradients) and pycore."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab"))  # the notebook's folder
from chunked_kd import chunked_kd_loss, naive_kd_loss  # noqa: E402

import pycore  # noqa: E402

pytestmark = pytest.mark.lab

N, H, V, HT = 37, 16, 101, 24  # 37 tokens: prime, so most chunk sizes leave a ragged last chunk
ALPHA, T, BETA = 0.3, 1.7, 0.3
CHUNKS = [1, 8, 10, 37, 64]  # 10 does not divide 37; 64 > N is a single chunk


def _rel(a, b) -> float:
    return float((a - b).norm() / b.norm())


@pytest.fixture(scope="module")
def data():
    g = torch.Generator().manual_seed(7)
    hidden = torch.randn(N, H, generator=g)
    weight = torch.randn(V, H, generator=g) / 2
    t_hidden = torch.randn(N, HT, generator=g)
    t_weight = torch.randn(V, HT, generator=g) / 2
    labels = torch.randint(0, V, (N,), generator=g)
    labels[[3, 20]] = -100  # padding positions
    t_logits = t_hidden @ t_weight.T
    probs = torch.softmax(t_logits / T, dim=-1)
    top_p, top_i = probs.topk(12, dim=-1)
    topk = (top_i, top_p, 1 - top_p.sum(-1))
    return hidden, weight, labels, t_hidden, t_weight, t_logits, topk


def _grads(fn, hidden, weight, **kw):
    h = hidden.clone().requires_grad_(True)
    w = weight.clone().requires_grad_(True)
    loss = fn(h, w, **kw)
    loss.backward()
    return loss.detach(), h.grad, w.grad


CASES = [
    ("logits", "forward"),
    ("logits", "reverse"),
    ("logits", "jsd"),
    ("hidden", "forward"),
    ("hidden", "jsd"),
    ("topk", "forward"),
]


def _teacher_kwargs(data, source):
    _, _, _, t_hidden, t_weight, t_logits, topk = data
    return {
        "logits": {"teacher_logits": t_logits},
        "hidden": {"teacher_hidden": t_hidden, "teacher_weight": t_weight},
        "topk": {"topk": topk},
    }[source]


@pytest.mark.parametrize(("source", "divergence"), CASES)
def test_chunked_equals_naive(data, source, divergence):
    hidden, weight, labels = data[:3]
    kw = dict(_teacher_kwargs(data, source), labels=labels, alpha=ALPHA, T=T, beta=BETA,
              divergence=divergence)  # fmt: skip
    ref_loss, ref_h, ref_w = _grads(naive_kd_loss, hidden, weight, **kw)
    for chunk in CHUNKS:
        loss, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, chunk_size=chunk, **kw)
        assert abs(float(loss - ref_loss)) <= 1e-5 * abs(float(ref_loss)), chunk
        assert _rel(g_h, ref_h) <= 1e-5, chunk
        assert _rel(g_w, ref_w) <= 1e-5, chunk
        torch.testing.assert_close(g_h, ref_h, rtol=1e-5, atol=1e-5 * float(ref_h.abs().max()))


def test_backward_scales_by_upstream_gradient(data):
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "chunk_size": 10}
    _, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, **kw)
    _, g_h3, g_w3 = _grads(lambda h, w, **k: 3.0 * chunked_kd_loss(h, w, **k), hidden, weight, **kw)
    torch.testing.assert_close(g_h3, 3 * g_h)
    torch.testing.assert_close(g_w3, 3 * g_w)


def test_teacher_inputs_untouched(data):
    hidden, weight, labels, _, _, t_logits, _ = data
    before = t_logits.clone()
    chunked_kd_loss(hidden, weight, labels, teacher_logits=t_logits, T=3.0, chunk_size=5)
    assert torch.equal(t_logits, before)


@pytest.mark.parametrize("divergence", ["forward", "reverse", "jsd"])
def test_matches_pycore_kd_loss(divergence):
    """float64, no padding: the chunked loss is pycore.kd_loss on the same logits."""
    g = torch.Generator().manual_seed(3)
    hidden = torch.randn(9, 5, generator=g, dtype=torch.float64)
    weight = torch.randn(23, 5, generator=g, dtype=torch.float64)
    t_logits = 2 * torch.randn(9, 23, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 23, (9,), generator=g)
    h = hidden.clone().requires_grad_(True)
    loss = chunked_kd_loss(h, weight, labels, teacher_logits=t_logits, alpha=ALPHA, T=T,
                           divergence=divergence, beta=BETA, chunk_size=4)  # fmt: skip
    loss.backward()
    z = (hidden @ weight.T).numpy()
    args = (z, t_logits.numpy(), labels.numpy(), ALPHA, T, divergence)
    want = pycore.kd_loss(*args, beta=BETA)
    assert float(loss.detach()) == pytest.approx(want, rel=1e-10)
    # chain rule through z = h Wᵀ: ∂L/∂h = (∂L/∂z) W
    want_h = pycore.kd_loss_grad(*args, beta=BETA) @ weight.numpy()
    np.testing.assert_allclose(h.grad.numpy(), want_h, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("k", [4, 23])
def test_topk_matches_pycore(k):
    if not hasattr(pycore, "topk_forward_kl"):
        pytest.skip("pycore.topk_forward_kl is not there yet (issue #2)")
    g = torch.Generator().manual_seed(5)
    hidden = torch.randn(9, 5, generator=g, dtype=torch.float64)
    weight = torch.randn(23, 5, generator=g, dtype=torch.float64)
    t_logits = 2 * torch.randn(9, 23, generator=g, dtype=torch.float64).numpy()
    z = (hidden @ weight.T).numpy()
    ids, probs, tail = pycore.topk_teacher(t_logits, k, T=T)
    topk = (torch.as_tensor(ids), torch.as_tensor(probs), torch.as_tensor(tail))
    loss = chunked_kd_loss(hidden, weight, None, topk=topk, alpha=0.0, T=T, chunk_size=4)
    want = np.mean(pycore.topk_forward_kl((ids, probs, tail), z, T=T)) * T**2
    assert float(loss) == pytest.approx(want, rel=1e-10)
    if k == 23:  # the whole vocabulary cached: plain forward KL
        full = pycore.kd_loss(z, t_logits, None, alpha=0.0, T=T, divergence="forward")
        assert float(loss) == pytest.approx(full, rel=1e-10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"alpha": 1.5}, "alpha must lie in"),
        ({"T": 0.0}, "temperature T must be"),
        ({"divergence": "tvd"}, "divergence must be one of"),
        ({"divergence": "jsd", "beta": 0.0}, "beta must lie strictly"),
        ({"chunk_size": 0}, "chunk_size must be a positive integer"),
        ({"labels": None}, "labels are required when alpha > 0"),
        ({"teacher_logits": None}, "give the teacher exactly one way"),
        ({"teacher_logits": torch.zeros(4, 7)}, "teacher_logits must be"),
        ({"weight": torch.zeros(11, 3)}, "hidden must be"),
        ({"topk": (torch.zeros(4, 12, dtype=torch.long),) * 2 + (torch.zeros(4),)},
         "give the teacher exactly one way"),
    ],
)  # fmt: skip
def test_bad_inputs_fail_clearly(change, message):
    kw = {"weight": torch.zeros(11, 5), "labels": torch.zeros(4, dtype=torch.long),
          "teacher_logits": torch.zeros(4, 11)}  # fmt: skip
    kw.update(change)
    with pytest.raises(ValueError, match=message):
        chunked_kd_loss(torch.zeros(4, 5), kw.pop("weight"), kw.pop("labels"), **kw)


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (torch.zeros(4, 12, dtype=torch.long), "k = 12; k must lie in"),
        (torch.full((4, 2), 11), "topk ids must be integers in"),
        (torch.zeros(4, 2, dtype=torch.long), "repeat a token"),
    ],
)
def test_bad_topk_cache_fails_clearly(ids, message):
    probs, tail = torch.full(ids.shape, 0.1), torch.zeros(4)
    with pytest.raises(ValueError, match=message):
        chunked_kd_loss(torch.zeros(4, 5), torch.zeros(11, 5), None, topk=(ids, probs, tail),
                        alpha=0.0)  # fmt: skip


def test_bf16_autocast_close_to_float32(data):
    """Under autocast (the lab's gpu scale) the products run in bf16: close, not equal."""
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits}
    ref_loss, ref_h, ref_w = _grads(naive_kd_loss, hidden, weight, **kw)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, chunk_size=10, **kw)
    assert g_h.dtype == g_w.dtype == torch.float32
    assert abs(float(loss - ref_loss)) <= 2e-2 * abs(float(ref_loss))
    assert _rel(g_h, ref_h) <= 3e-2
    assert _rel(g_w, ref_w) <= 3e-2
    # "accumulate" recomputes in backward, outside the autocast region, yet in the same bf16
    w = weight.clone().requires_grad_(True)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        acc = chunked_kd_loss(hidden, w, chunk_size=10, weight_grad="accumulate", **kw)
    acc.backward()
    torch.testing.assert_close(acc.detach(), loss)
    torch.testing.assert_close(w.grad, g_w, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# weight_grad="accumulate": ∂L/∂W is added into an existing weight.grad during backward
# ---------------------------------------------------------------------------------------------


def _accumulated(fn, hidden, weight, prior, scale=1.0, **kw):
    """Backward of ``scale * fn(...)`` with ``weight.grad`` already holding ``prior``."""
    h = hidden.clone().requires_grad_(True)
    w = weight.clone().requires_grad_(True)
    w.grad = None if prior is None else prior.clone()
    loss = fn(h, w, **kw)
    (scale * loss).backward()
    return loss.detach(), h.grad, w.grad


@pytest.mark.parametrize(("source", "divergence"), CASES)
def test_accumulate_equals_naive(data, source, divergence):
    """Value and both gradients equal the naive loss's, on top of an existing W.grad, with the
    upstream gradient (loss / 3).backward() respected."""
    hidden, weight, labels = data[:3]
    kw = dict(_teacher_kwargs(data, source), labels=labels, alpha=ALPHA, T=T, beta=BETA,
              divergence=divergence)  # fmt: skip
    # an earlier micro-batch's gradient, of the same size as this one's (a much larger prior
    # would hide the added part under float32 rounding, for the naive loss too)
    size = float(_grads(naive_kd_loss, hidden, weight, **kw)[2].std())
    prior = size * torch.randn(weight.shape, generator=torch.Generator().manual_seed(1))
    ref_loss, ref_h, ref_w = _accumulated(naive_kd_loss, hidden, weight, prior, 1 / 3, **kw)
    for chunk in [1, 10, 64]:
        loss, g_h, g_w = _accumulated(chunked_kd_loss, hidden, weight, prior, 1 / 3,
                                      chunk_size=chunk, weight_grad="accumulate", **kw)  # fmt: skip
        assert abs(float(loss - ref_loss)) <= 1e-5 * abs(float(ref_loss)), chunk
        assert _rel(g_h, ref_h) <= 1e-5, chunk
        assert _rel(g_w - prior, ref_w - prior) <= 1e-5, chunk  # the added part, not the prior


@pytest.mark.parametrize("scale", [1.0, 2.5, -0.5])
def test_accumulate_from_no_grad_buffer(data, scale):
    """Without a W.grad the backward creates it, as autograd would; any upstream scale."""
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "alpha": ALPHA, "T": T}
    _, ref_h, ref_w = _accumulated(naive_kd_loss, hidden, weight, None, scale, **kw)
    _, g_h, g_w = _accumulated(chunked_kd_loss, hidden, weight, None, scale, chunk_size=10,
                               weight_grad="accumulate", **kw)  # fmt: skip
    assert _rel(g_h, ref_h) <= 1e-5
    assert _rel(g_w, ref_w) <= 1e-5


def test_accumulate_over_micro_batches_and_shared_weight(data):
    """Two micro-batches of (loss / 2) plus another use of W in the graph (e.g. tied
    embeddings): W.grad is the sum of everything, as with the naive loss."""
    hidden, weight, labels, _, _, t_logits, _ = data
    halves = [slice(0, 20), slice(20, N)]

    def run(fn, **extra):
        w = weight.clone().requires_grad_(True)
        for rows in halves:
            h = hidden[rows].clone().requires_grad_(True)
            loss = fn(h, w, labels[rows], teacher_logits=t_logits[rows], **extra)
            (loss / 2 + 0.1 * (w**2).sum()).backward()
        return w.grad

    ref = run(naive_kd_loss)
    got = run(chunked_kd_loss, chunk_size=8, weight_grad="accumulate")
    assert _rel(got, ref) <= 1e-5


def test_accumulate_twice_with_retain_graph(data):
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "chunk_size": 10}
    w = weight.clone().requires_grad_(True)
    loss = chunked_kd_loss(hidden, w, weight_grad="accumulate", **kw)
    loss.backward(retain_graph=True)
    once = w.grad.clone()
    loss.backward()
    torch.testing.assert_close(w.grad, 2 * once)


def test_accumulate_writes_nothing_without_backward(data):
    """A loss computed but never back-propagated (or under no_grad) leaves W.grad as it was."""
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "weight_grad": "accumulate"}
    w = weight.clone().requires_grad_(True)
    w.grad = torch.ones_like(w)
    ref = float(naive_kd_loss(hidden, weight, labels, teacher_logits=t_logits))
    loss = chunked_kd_loss(hidden, w, **kw)  # graph built, backward never called
    del loss
    with torch.no_grad():
        value = chunked_kd_loss(hidden, w, **kw)
    assert float(value) == pytest.approx(ref, rel=1e-5)
    assert torch.equal(w.grad, torch.ones_like(w))
    fresh = weight.clone().requires_grad_(True)
    with torch.no_grad():
        chunked_kd_loss(hidden, fresh, **kw)
    assert fresh.grad is None


def test_accumulate_misuse_fails_clearly(data):
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "weight_grad": "accumulate"}
    leaf = weight.clone().requires_grad_(True)
    with pytest.raises(ValueError, match="only a leaf"):
        chunked_kd_loss(hidden, leaf * 1.0, **kw)
    leaf.grad = torch.zeros(leaf.shape[::-1]).T  # right shape, but a transposed view
    with pytest.raises(ValueError, match="must be a contiguous"):
        chunked_kd_loss(hidden, leaf, **kw)
    with pytest.raises(ValueError, match="weight_grad must be"):
        chunked_kd_loss(hidden, weight, labels, teacher_logits=t_logits, weight_grad="fuse")
    leaf.grad = None
    loss = chunked_kd_loss(hidden, leaf, **kw)
    leaf.grad = torch.zeros(leaf.shape[::-1]).T  # swapped between forward and backward
    with pytest.raises(RuntimeError, match="must be a contiguous"):
        loss.backward()
    leaf.grad = None
    loss = chunked_kd_loss(hidden, leaf, **kw)
    with torch.no_grad():
        leaf.sub_(0.1)  # e.g. an optimizer step between forward and backward
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_default_chunk_and_no_grad_value(data):
    """chunk_size=None takes the device's tuned default; under no_grad only the value counts."""
    hidden, weight, labels, _, _, t_logits, _ = data
    kw = {"labels": labels, "teacher_logits": t_logits, "alpha": ALPHA, "T": T}
    ref_loss, ref_h, ref_w = _grads(naive_kd_loss, hidden, weight, **kw)
    loss, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, **kw)
    assert float(loss) == pytest.approx(float(ref_loss), rel=1e-5)
    assert _rel(g_h, ref_h) <= 1e-5
    assert _rel(g_w, ref_w) <= 1e-5
    with torch.no_grad():
        value = chunked_kd_loss(hidden.requires_grad_(False), weight, **kw)
    assert float(value) == pytest.approx(float(ref_loss), rel=1e-5)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
@pytest.mark.parametrize("source", ["logits", "topk"])
def test_pure_terms_equal_naive(data, alpha, source):
    """α = 0 (divergence only) and α = 1 (cross-entropy only), fast and general path."""
    hidden, weight, labels = data[:3]
    kw = dict(_teacher_kwargs(data, source), labels=labels, alpha=alpha, T=T)
    ref_loss, ref_h, ref_w = _grads(naive_kd_loss, hidden, weight, **kw)
    loss, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, chunk_size=10, **kw)
    assert abs(float(loss - ref_loss)) <= 1e-5 * abs(float(ref_loss))
    assert _rel(g_h, ref_h) <= 1e-5
    assert _rel(g_w, ref_w) <= 1e-5


def test_teacher_masking_tokens_with_minus_inf(data):
    """A teacher that rules tokens out with -inf logits gives them p = 0, not NaN: the same as
    a very negative finite logit."""
    hidden, weight, labels, _, _, t_logits, _ = data
    masked, finite = t_logits.clone(), t_logits.clone()
    masked[:, :30], finite[:, :30] = -math.inf, -1e4
    kw = {"labels": labels, "alpha": ALPHA, "T": T, "chunk_size": 10}
    loss, g_h, g_w = _grads(chunked_kd_loss, hidden, weight, teacher_logits=masked, **kw)
    ref, ref_h, ref_w = _grads(chunked_kd_loss, hidden, weight, teacher_logits=finite, **kw)
    assert torch.isfinite(loss) and float(loss) == pytest.approx(float(ref), rel=1e-6)
    torch.testing.assert_close(g_h, ref_h)
    torch.testing.assert_close(g_w, ref_w)
