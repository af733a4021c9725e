"""Distillation losses in torch: the divergences, the top-k cache view, mixing two teachers.

Every divergence takes log-probabilities of the teacher (p) and of the student (q) and sums
over the last axis, exactly as `pycore` defines it (the notebook checks them against pycore):

    forward       KL(p || q)                      = sum p (log p - log q)
    reverse       KL(q || p)                      = sum q (log q - log p)
    skew          KL(p || a p + (1-a) q)          DistiLLM, arXiv 2402.03898
    skew_reverse  KL(q || (1-a) p + a q)          DistiLLM
    jsd           b KL(p || m) + (1-b) KL(q || m), m = b p + (1-b) q   GKD, arXiv 2306.13649
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .config import check_alpha

EPS = 1e-10  # keeps log(0) finite for empty cache buckets; far below fp16 resolution


def _log_mix(logp: torch.Tensor, logq: torch.Tensor, w: float) -> torch.Tensor:
    """log(w p + (1 - w) q), computed in log space."""
    if w <= 0.0:
        return logq
    if w >= 1.0:
        return logp
    return torch.logaddexp(logp + math.log(w), logq + math.log1p(-w))


def divergence(
    logp: torch.Tensor, logq: torch.Tensor, kind: str, skew: float = 0.1, beta: float = 0.5
) -> torch.Tensor:
    """D(p, q) over the last axis from log-probabilities; see the module docstring."""
    p, q = logp.exp(), logq.exp()
    if kind == "forward":
        return (p * (logp - logq)).sum(-1)
    if kind == "reverse":
        return (q * (logq - logp)).sum(-1)
    if kind == "skew":
        return (p * (logp - _log_mix(logp, logq, skew))).sum(-1)
    if kind == "skew_reverse":
        return (q * (logq - _log_mix(logp, logq, 1.0 - skew))).sum(-1)
    if kind == "jsd":
        logm = _log_mix(logp, logq, beta)
        return beta * (p * (logp - logm)).sum(-1) + (1 - beta) * (q * (logq - logm)).sum(-1)
    raise ValueError(f"unknown divergence {kind!r}")


@dataclass
class TopK:
    """A teacher's cached distribution per position: k ids, their probabilities, the tail mass."""

    ids: torch.Tensor  # [..., k] int64
    probs: torch.Tensor  # [..., k] float
    tail: torch.Tensor  # [...]   the probability of every other token

    def __getitem__(self, index: object) -> TopK:
        return TopK(self.ids[index], self.probs[index], self.tail[index])

    def to(self, device: str | torch.device) -> TopK:
        return TopK(self.ids.to(device), self.probs.to(device), self.tail.to(device))


def topk_buckets(
    topk: TopK, student_logits: torch.Tensor, T: float = 1.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Teacher and student log-probabilities over k + 1 buckets: the k cached ids and the tail.

    The student's tail is the mass it puts outside the cached ids, computed by a masked
    logsumexp so that it stays exact when the tail is tiny.
    """
    logq_all = F.log_softmax(student_logits.float() / T, dim=-1)
    logq_k = logq_all.gather(-1, topk.ids)
    outside = logq_all.scatter(-1, topk.ids, float("-inf"))
    eps = torch.full_like(logq_k[..., :1], math.log(EPS))
    logq_tail = torch.logsumexp(torch.cat([outside, eps], -1), dim=-1, keepdim=True)
    logp = torch.log(torch.cat([topk.probs.float(), topk.tail.float()[..., None]], -1) + EPS)
    return logp, torch.cat([logq_k, logq_tail], -1)


def kd_loss(
    student_logits: torch.Tensor,
    labels: torch.Tensor,
    teacher: torch.Tensor | TopK,
    alpha: float = 0.5,
    T: float = 1.0,
    kind: str = "forward",
    skew: float = 0.1,
    beta: float = 0.5,
) -> torch.Tensor:
    """Mean over positions of alpha * CE + (1 - alpha) * T^2 * D(p_T, q_T).

    `teacher` is either full teacher logits (same shape as the student's) or a TopK cache whose
    probabilities were stored at temperature T.
    """
    check_alpha(alpha)
    V = student_logits.shape[-1]
    ce = F.cross_entropy(student_logits.float().reshape(-1, V), labels.reshape(-1))
    if alpha == 1.0:
        return ce
    if isinstance(teacher, TopK):
        logp, logq = topk_buckets(teacher, student_logits, T)
    else:
        logp = F.log_softmax(teacher.float() / T, dim=-1)
        logq = F.log_softmax(student_logits.float() / T, dim=-1)
    d = divergence(logp, logq, kind, skew=skew, beta=beta).mean()
    return alpha * ce + (1 - alpha) * T**2 * d


def mix_topk(a: TopK, b: TopK, vocab_size: int, weight: float, mode: str) -> TopK:
    """Mix two teachers' caches into one top-k cache (k of teacher a).

    On the union of both supports, each teacher's probability is its cached value or, outside
    its top k, its tail mass spread evenly over the tokens it did not cache. The mixture is
    w p_a + (1 - w) p_b ("arithmetic": either teacher may vouch for a token) or
    p_a^w p_b^(1-w) renormalized over the whole vocabulary ("geometric": a product of experts,
    a token needs both). The k most likely union entries are kept; the rest joins the tail.
    """
    ka, kb = a.ids.shape[-1], b.ids.shape[-1]
    same = b.ids[..., :, None] == a.ids[..., None, :]  # [..., kb, ka]
    dup = same.any(-1)  # b's entry is also in a's top k
    spread_a = (a.tail.float() / max(vocab_size - ka, 1)).clamp_min(0)[..., None]
    spread_b = (b.tail.float() / max(vocab_size - kb, 1)).clamp_min(0)[..., None]
    a_on_b = torch.where(dup, (same * a.probs[..., None, :]).sum(-1), spread_a)
    b_on_a = torch.where(same.any(-2), (same * b.probs[..., :, None]).sum(-2), spread_b)
    pa = torch.cat([a.probs.float(), a_on_b], -1)
    pb = torch.cat([b_on_a, b.probs.float()], -1)
    valid = torch.cat([torch.ones_like(dup[..., :ka]), ~dup], -1)
    if mode == "arithmetic":
        m = (weight * pa + (1 - weight) * pb) * valid
    elif mode == "geometric":

        def geo(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return torch.exp(weight * torch.log(x + EPS) + (1 - weight) * torch.log(y + EPS))

        outside = vocab_size - valid.sum(-1)  # tokens in neither top k
        g = geo(pa, pb) * valid
        m = g / (g.sum(-1) + geo(spread_a, spread_b)[..., 0] * outside)[..., None]
    else:
        raise ValueError(f"mix mode must be 'arithmetic' or 'geometric', got {mode!r}")
    top = m.topk(ka, dim=-1)
    ids = torch.cat([a.ids, b.ids], -1).gather(-1, top.indices)
    return TopK(ids, top.values, (1.0 - top.values.sum(-1)).clamp_min(0))
