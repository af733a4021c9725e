"""The torch losses of the lab against pycore, the numpy reference, on random logits."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from labkit.cache import reconstruct
from labkit.losses import TopK, divergence, kd_loss, mix_topk, topk_buckets

import pycore

REFERENCE = {
    "forward": pycore.forward_kl,
    "reverse": pycore.reverse_kl,
    "skew": lambda p, q: pycore.skew_kl(p, q, 0.2),
    "skew_reverse": lambda p, q: pycore.skew_reverse_kl(p, q, 0.2),
    "jsd": lambda p, q: pycore.generalized_jsd(p, q, 0.3),
}


def logits(seed, *shape, scale=3.0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * scale


@pytest.mark.parametrize("kind", list(REFERENCE))
@pytest.mark.parametrize("T", [0.5, 1.0, 2.0])
def test_divergence_matches_pycore(kind, T):
    zt, zs = logits(1, 3, 5, 40), logits(2, 3, 5, 40)
    ours = divergence(
        F.log_softmax(zt / T, -1), F.log_softmax(zs / T, -1), kind, skew=0.2, beta=0.3
    )
    ref = REFERENCE[kind](
        pycore.softmax(zt.double().numpy(), T), pycore.softmax(zs.double().numpy(), T)
    )
    np.testing.assert_allclose(ours.double().numpy(), ref, atol=1e-5)


@pytest.mark.parametrize("kind", list(REFERENCE))
def test_kd_loss_matches_pycore(kind):
    zt, zs = logits(3, 4, 6, 30), logits(4, 4, 6, 30)
    labels = torch.randint(30, (4, 6), generator=torch.Generator().manual_seed(5))
    ours = kd_loss(zs, labels, zt, alpha=0.3, T=2.0, kind=kind, skew=0.2, beta=0.3).item()
    ref = pycore.kd_loss(
        zs.double().numpy(),
        zt.double().numpy(),
        labels.numpy(),
        0.3,
        2.0,
        kind,
        skew_alpha=0.2,
        beta=0.3,
    )
    assert ours == pytest.approx(ref, abs=1e-5)


def test_kd_loss_gradient_matches_pycore():
    zt, zs = logits(6, 8, 25), logits(7, 8, 25).requires_grad_()
    labels = torch.randint(25, (8,), generator=torch.Generator().manual_seed(8))
    kd_loss(zs, labels, zt, alpha=0.4, T=1.5, kind="reverse").backward()
    ref = pycore.kd_loss_grad(
        zs.detach().double().numpy(), zt.double().numpy(), labels.numpy(), 0.4, 1.5, "reverse"
    )
    np.testing.assert_allclose(zs.grad.double().numpy(), ref, atol=1e-5)


@pytest.mark.parametrize("k", [1, 5, 20])
def test_topk_forward_matches_pycore(k):
    zt, zs = logits(9, 2, 7, 50).double(), logits(10, 2, 7, 50).double()
    top = pycore.topk_teacher(zt.numpy(), k, T=2.0)
    cache = TopK(
        torch.from_numpy(top.indices), torch.from_numpy(top.probs), torch.from_numpy(top.tail)
    )
    ours = divergence(*topk_buckets(cache, zs, 2.0), "forward")
    np.testing.assert_allclose(
        ours.numpy(), pycore.topk_forward_kl(top, zs.numpy(), 2.0), atol=1e-5
    )


@pytest.mark.parametrize("mode", ["arithmetic", "geometric"])
def test_mixed_cache_matches_pycore_mix_teachers(mode):
    V = 40
    caches = []
    for seed in (11, 12):
        top = pycore.topk_teacher(logits(seed, 6, V).double().numpy(), 8)
        caches.append(TopK(*(torch.from_numpy(x) for x in top)))
    mixed = mix_topk(caches[0], caches[1], V, 0.7, mode)
    dense = pycore.mix_teachers(
        reconstruct(caches[0], V).numpy(), reconstruct(caches[1], V).numpy(), 0.7, mode
    )
    np.testing.assert_allclose(
        mixed.probs.numpy(), np.take_along_axis(dense, mixed.ids.numpy(), -1), atol=1e-6
    )
    np.testing.assert_allclose(mixed.tail.numpy(), 1 - mixed.probs.sum(-1).numpy(), atol=1e-6)
    assert all(len(set(row)) == len(row) for row in mixed.ids.tolist())  # no duplicate ids


@pytest.mark.parametrize("alpha", [-0.1, 1.5])
def test_alpha_outside_unit_interval_fails_early(alpha):
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        kd_loss(torch.zeros(2, 5), torch.zeros(2, dtype=torch.long), torch.zeros(2, 5), alpha=alpha)
