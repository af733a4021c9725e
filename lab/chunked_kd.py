"""A distillation loss for large vocabularies that never holds the full [tokens × vocab] logits.

The loss is the one of :func:`pycore.kd_loss`, averaged over the positions that have a label:

.. math::

    L = \\frac1N \\sum_n \\Big[\\alpha\\,\\mathrm{CE}(\\mathrm{softmax}(z_n), y_n)
        + (1-\\alpha)\\,T^2\\,D\\big(p_n,\\ \\mathrm{softmax}(z_n/T)\\big)\\Big],
    \\qquad z_n = W h_n

with the student's last hidden state ``h_n`` (size H), its output projection ``W`` (V × H), the
teacher's distribution ``p_n = softmax(t_n/T)`` and ``D`` forward KL, reverse KL, the generalized
JSD of GKD (arXiv 2306.13649) or, from a top-k logit cache, forward KL over the k cached tokens
plus one bucket for the rest of the vocabulary (as :func:`pycore.topk_forward_kl`).

Why chunk. With Llama 3's vocabulary (V = 128,256) one float32 logit row costs 0.5 MB, so the
logits of 2,048 tokens cost 1.05 GB, and the textbook loss holds several tensors of that size at
once: student logits, their log-softmax at T = 1 and at T, the teacher's logits, log-probabilities
and probabilities, then the gradient of the logits in the backward pass. That is about 6 GB for
one loss of 2,048 tokens (measured: docs/benchmarks/kd-loss.md), on top of the model.

What this module does instead (the technique of Liger-Kernel's fused linear losses,
arXiv 2410.10989, and of Cut Cross-Entropy, arXiv 2411.09009): a custom
:class:`torch.autograd.Function` walks over the tokens in chunks of ``chunk_size``. For each chunk
it computes the logits ``W h`` (chunk × V), the loss, and the gradient of the loss with respect to
those logits in closed form; multiplies that gradient back through the projection at once
(``∂L/∂h = G W`` and ``∂L/∂W += Gᵀ h``), and lets the chunk's logits go. Nothing of size
tokens × V is ever alive. The forward pass therefore already knows both gradients; the backward
pass only multiplies them by the incoming scalar.

Memory arithmetic (float32, V = 128,256, student H = 2,048, N = 2,048 tokens):

* one chunk buffer is ``chunk_size × V × 4`` bytes: 64 tokens (the default) → 33 MB; a chunk
  step holds about six to eight of them (logits/log q, the logit gradient, q, the teacher's
  logits/log p, p, one temporary; JSD adds log m), so ≈ 0.25 GB, whatever N is;
* the gradients it must return: ``∂L/∂W`` is V × H = 1.05 GB (every method pays this, it is the
  size of the projection itself) and ``∂L/∂h`` is N × H = 17 MB;
* the naive loss holds ≈ 6 × N × V × 4 bytes ≈ 6 GB, growing with N.

Compute is the same matrix products as the naive loss (three passes over ``W``: logits, ``G W``,
``Gᵀ h``, plus the teacher's projection when the teacher is given as hidden states), just
in smaller pieces, but each chunk reads ``W`` (and writes ∂L/∂W) again: with 64-token chunks it
took 1.5× the naive loss's CPU time on a 2-core CPU. Larger chunks trade memory for time; on a
GPU pass ``chunk_size=512`` or more so that each product keeps the device busy.

The divergence gradients used (``u = z/T``, ``q = softmax(u)``; multiply by ``T²/T = T`` for ``z``):

* forward KL ``Σ p log(p/q)``: ``∂/∂u = q − p``;
* reverse KL ``Σ q log(q/p)``: ``∂/∂u = q ⊙ (r − Σ q r)`` with ``r = log(q/p)``;
* generalized JSD ``β KL(p‖m) + (1−β) KL(q‖m)``, ``m = βp + (1−β)q``: the terms through ``m``
  cancel and ``∂/∂u = (1−β) q ⊙ (r − Σ q r)`` with ``r = log(q/m)``;
* top-k forward KL ``Σ_{i∈K} p_i log(p_i/q_i) + τ log(τ/q_rest)``: ``∂/∂u = (Σ_K p + τ) q − p̃``,
  where ``p̃`` is ``p`` on the cached tokens and the tail mass ``τ`` spread over the other tokens
  in proportion to the student's own probabilities there.

Example
-------
>>> import torch
>>> h = torch.randn(6, 8, requires_grad=True)
>>> W = torch.randn(50, 8, requires_grad=True)
>>> labels, teacher = torch.randint(0, 50, (6,)), torch.randn(6, 50)
>>> loss = chunked_kd_loss(h, W, labels, teacher_logits=teacher, alpha=0.5, T=2.0, chunk_size=4)
>>> loss.backward()
>>> ref = naive_kd_loss(h.detach(), W.detach(), labels, teacher_logits=teacher, alpha=0.5, T=2.0)
>>> bool(torch.allclose(loss, ref))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.autograd.function import once_differentiable

__all__ = ["DIVERGENCES", "chunked_kd_loss", "naive_kd_loss"]

DIVERGENCES = ("forward", "reverse", "jsd")
"""Names accepted by ``divergence``; a top-k cache takes ``"forward"`` only."""


@dataclass(frozen=True)
class _Teacher:
    """Where the teacher's distribution comes from: exactly one of the three forms is set."""

    logits: Tensor | None = None  # [N, V]
    hidden: Tensor | None = None  # [N, Ht], with weight [V, Ht]
    weight: Tensor | None = None
    topk: tuple[Tensor, Tensor, Tensor] | None = None  # ids [N, k], probs [N, k], tail [N]

    def logits_of(self, rows: slice, dtype: torch.dtype) -> Tensor:
        """A fresh copy of the teacher's logits for ``rows`` (the caller may overwrite it)."""
        if self.logits is not None:
            return self.logits[rows].to(dtype, copy=True)
        return (self.hidden[rows].to(self.weight.dtype) @ self.weight.T).to(dtype)


@dataclass(frozen=True)
class _Options:
    alpha: float
    T: float
    divergence: str
    beta: float
    chunk_size: int


# ---------------------------------------------------------------------------------------------
# Input checks shared by the chunked and the naive loss
# ---------------------------------------------------------------------------------------------


def _check(
    hidden: Tensor,
    weight: Tensor,
    labels: Tensor | None,
    teacher: _Teacher,
    alpha: float,
    T: float,
    divergence: str,
    beta: float,
    chunk_size: int,
    ignore_index: int,
) -> _Options:
    if hidden.dim() != 2 or weight.dim() != 2 or hidden.shape[1] != weight.shape[1]:
        raise ValueError(
            "hidden must be [tokens, H] and weight [vocab, H] with the same H, got "
            f"{tuple(hidden.shape)} and {tuple(weight.shape)} (flatten batch and sequence first)"
        )
    if not (hidden.is_floating_point() and weight.is_floating_point()):
        raise ValueError("hidden and weight must be floating-point tensors")
    n, v = hidden.shape[0], weight.shape[0]
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha!r}")
    if not (math.isfinite(T) and T > 0):
        raise ValueError(f"temperature T must be a finite number > 0, got {T!r}")
    if divergence not in DIVERGENCES:
        raise ValueError(f"divergence must be one of {DIVERGENCES}, got {divergence!r}")
    if divergence == "jsd" and not 0.0 < beta < 1.0:
        raise ValueError(
            f"beta must lie strictly between 0 and 1 for 'jsd', got {beta!r} "
            "(at 0 and 1 the generalized JSD is identically 0)"
        )
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if labels is None:
        if alpha > 0:
            raise ValueError("labels are required when alpha > 0 (pass alpha=0 to train on D only)")
    else:
        if labels.shape != (n,) or labels.dtype not in (torch.int32, torch.int64):
            raise ValueError(
                f"labels must be an integer tensor of shape ({n},), got {labels.dtype} "
                f"{tuple(labels.shape)}"
            )
        kept = labels[labels != ignore_index]
        if kept.numel() and (kept.min() < 0 or kept.max() >= v):
            raise ValueError(
                f"labels must lie in [0, {v - 1}] or equal ignore_index={ignore_index}"
            )

    given = [teacher.logits is not None, teacher.hidden is not None, teacher.topk is not None]
    if sum(given) != 1 or (teacher.hidden is None) != (teacher.weight is None):
        raise ValueError(
            "give the teacher exactly one way: teacher_logits=, or teacher_hidden= with "
            "teacher_weight=, or topk=(ids, probs, tail)"
        )
    if teacher.logits is not None and teacher.logits.shape != (n, v):
        raise ValueError(
            f"teacher_logits must be [tokens, vocab] = ({n}, {v}), "
            f"got {tuple(teacher.logits.shape)}"
        )
    if teacher.hidden is not None:
        th, tw = teacher.hidden, teacher.weight
        if th.dim() != 2 or tw.dim() != 2 or th.shape[0] != n or tw.shape[0] != v:
            raise ValueError(
                f"teacher_hidden must be [{n}, Ht] and teacher_weight [{v}, Ht] (same tokens and "
                f"vocabulary as the student), got {tuple(th.shape)} and {tuple(tw.shape)}"
            )
        if th.shape[1] != tw.shape[1]:
            raise ValueError(f"teacher hidden size differs: {th.shape[1]} vs {tw.shape[1]}")
    if teacher.topk is not None:
        _check_topk(teacher.topk, n, v, divergence)
    return _Options(alpha=float(alpha), T=float(T), divergence=divergence, beta=float(beta),
                    chunk_size=chunk_size)  # fmt: skip


def _check_topk(topk: tuple[Tensor, Tensor, Tensor], n: int, v: int, divergence: str) -> None:
    if divergence != "forward":
        raise ValueError(f"a top-k cache supports divergence='forward' only, got {divergence!r}")
    if len(topk) != 3:
        raise ValueError("topk must be the triple (ids [N, k], probs [N, k], tail [N])")
    ids, probs, tail = topk
    if ids.dim() != 2 or ids.shape[0] != n or probs.shape != ids.shape or tail.shape != (n,):
        raise ValueError(
            f"topk must be ids [{n}, k], probs [{n}, k], tail [{n}], got {tuple(ids.shape)}, "
            f"{tuple(probs.shape)}, {tuple(tail.shape)}"
        )
    k = ids.shape[1]
    if not 1 <= k <= v:
        raise ValueError(f"top-k cache has k = {k}; k must lie in [1, vocab = {v}]")
    if ids.dtype not in (torch.int32, torch.int64) or ids.min() < 0 or ids.max() >= v:
        raise ValueError(
            f"topk ids must be integers in [0, {v - 1}] (a cache from another tokenizer?)"
        )
    if k > 1:
        ordered = ids.sort(dim=1).values
        if (ordered[:, 1:] == ordered[:, :-1]).any():
            raise ValueError("topk ids repeat a token within a row; each row needs k distinct ids")
    if (probs < 0).any() or not torch.isfinite(probs).all():
        raise ValueError("topk probs must be finite and >= 0 (probabilities, not logits)")


def _teacher(
    teacher_logits: Tensor | None,
    teacher_hidden: Tensor | None,
    teacher_weight: Tensor | None,
    topk: tuple[Tensor, Tensor, Tensor] | None,
) -> _Teacher:
    return _Teacher(logits=teacher_logits, hidden=teacher_hidden, weight=teacher_weight,
                    topk=None if topk is None else tuple(topk))  # fmt: skip


def _compute_dtype(weight: Tensor) -> torch.dtype:
    """Softmax arithmetic runs in float32 (float64 when the inputs are float64), never bf16."""
    return torch.float64 if weight.dtype == torch.float64 else torch.float32


def _row_weights(labels: Tensor | None, n: int, ignore_index: int, like: Tensor) -> Tensor:
    """1/(number of positions with a label) for those positions, 0 for ignored ones."""
    if labels is None:
        return like.new_full((n,), 1.0 / max(n, 1))
    valid = (labels != ignore_index).to(like.dtype)
    return valid / valid.sum().clamp(min=1.0)


# ---------------------------------------------------------------------------------------------
# One chunk: loss and gradient with respect to the chunk's logits, in closed form
# ---------------------------------------------------------------------------------------------


def _kl_rows(p: Tensor, log_p: Tensor, log_r: Tensor) -> Tensor:
    """Σ p (log p − log r) per row, with 0·log 0 = 0 (one temporary of p's size)."""
    terms = (log_p - log_r).mul_(p)
    return terms.masked_fill_(p == 0, 0.0).sum(-1)


def _softmax_chain_(q: Tensor, r: Tensor) -> Tensor:
    """q ⊙ (r − Σ q r), written into ``r``: the logit gradient of a loss whose q-gradient is r."""
    return r.sub_((q * r).sum(-1, keepdim=True)).mul_(q)


def _soft_term(u: Tensor, teacher_chunk, opt: _Options) -> tuple[Tensor, Tensor]:
    """Divergence per row and its gradient w.r.t. ``u = z/T``.

    Works in place where it can (``u`` and the teacher's chunk are overwritten): at most about
    six chunk-sized buffers are alive at once besides the caller's gradient.
    """
    log_q = u.sub_(u.logsumexp(-1, keepdim=True))  # log softmax(z/T)
    q = log_q.exp()
    if isinstance(teacher_chunk, tuple):
        return _topk_term(log_q, q, *teacher_chunk)
    a = teacher_chunk.div_(opt.T)
    log_p = a.sub_(a.logsumexp(-1, keepdim=True))  # log softmax(t/T)
    if opt.divergence == "reverse":
        value = _kl_rows(q, log_q, log_p)
        return value, _softmax_chain_(q, log_p.neg_().add_(log_q))  # r = log q − log p
    p = log_p.exp()
    if opt.divergence == "forward":
        return _kl_rows(p, log_p, log_q), q.sub_(p)
    b = opt.beta  # generalized JSD, m = b p + (1 − b) q
    log_m = log_p + math.log(b)
    torch.logaddexp(log_m, log_q + math.log1p(-b), out=log_m)
    value = b * _kl_rows(p, log_p, log_m) + (1 - b) * _kl_rows(q, log_q, log_m)
    del p
    return value, _softmax_chain_(q, log_m.neg_().add_(log_q)).mul_(1 - b)  # r = log q − log m


def _topk_term(log_q: Tensor, q: Tensor, ids: Tensor, probs: Tensor, tail: Tensor):
    """Forward KL over the k cached tokens plus one tail bucket; gradient w.r.t. ``u``."""
    probs, tail, ids = probs.to(q.dtype), tail.to(q.dtype).clamp(min=0.0), ids.long()
    value = _kl_rows(probs, probs.log(), log_q.gather(1, ids))
    grad = q * (probs.sum(-1) + tail)[:, None]
    grad.scatter_add_(1, ids, -probs)
    if ids.shape[1] < q.shape[1]:  # the student's mass outside the cached ids, in log space
        log_q_out = log_q.scatter(1, ids, -math.inf)
        log_rest = log_q_out.logsumexp(-1, keepdim=True)
        value = value + _kl_rows(tail[:, None], tail[:, None].log(), log_rest)
        grad.sub_(tail[:, None] * (log_q_out - log_rest).exp_())
    return value, grad


def _chunk_loss_and_grad(
    z: Tensor, labels: Tensor | None, w: Tensor, teacher_chunk, opt: _Options
) -> tuple[Tensor, Tensor]:
    """Weighted loss of one chunk and its gradient w.r.t. the chunk's logits ``z`` (overwritten)."""
    loss = z.new_zeros((), dtype=torch.float64)
    grad = None
    if opt.alpha > 0:  # hard term at T = 1: ∂CE/∂z = softmax(z) − onehot(y)
        w_ce = opt.alpha * w
        y = torch.where(w > 0, labels, 0).long()[:, None]
        lse = z.logsumexp(-1, keepdim=True)
        loss += (w_ce * (lse - z.gather(1, y)).squeeze(1)).sum()
        grad = (z - lse).exp_().scatter_add_(1, y, -torch.ones_like(y, dtype=z.dtype))
        grad.mul_(w_ce[:, None])
    if opt.alpha < 1:  # soft term: (1 − α)·T²·D, and ∂/∂z = (1/T)·∂/∂u
        w_kd = (1 - opt.alpha) * w
        d, grad_u = _soft_term(z.div_(opt.T), teacher_chunk, opt)
        loss += (w_kd * opt.T**2 * d).sum()
        grad_u.mul_((w_kd * opt.T)[:, None])
        grad = grad_u if grad is None else grad.add_(grad_u)
    return loss, grad


class _ChunkedKD(torch.autograd.Function):
    """Forward computes the loss and both gradients chunk by chunk; backward scales them."""

    @staticmethod
    def forward(ctx, hidden, weight, labels, teacher: _Teacher, opt: _Options, ignore_index):
        n, device = hidden.shape[0], hidden.device.type
        need_h, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        # Matrix products run in autocast's dtype when autocast is on (bf16 on a GPU), else in
        # the inputs' dtype; softmax arithmetic always in float32 (float64 for float64 inputs).
        if torch.is_autocast_enabled(device):
            mm_dtype = torch.get_autocast_dtype(device)
        else:
            mm_dtype = torch.promote_types(hidden.dtype, weight.dtype)
        dtype = _compute_dtype(weight)
        w_mm = weight.to(mm_dtype)  # the weight itself unless autocast needs a bf16 copy
        grad_h = torch.zeros_like(hidden) if need_h else None
        grad_w = torch.zeros_like(weight) if need_w else None
        w = _row_weights(labels, n, ignore_index, hidden.new_empty((), dtype=dtype))
        total = hidden.new_zeros((), dtype=torch.float64)
        with torch.autocast(device, enabled=False):
            for start in range(0, n, opt.chunk_size):
                rows = slice(start, min(start + opt.chunk_size, n))
                h = hidden[rows].to(mm_dtype)
                z = (h @ w_mm.T).to(dtype)  # [chunk, V]: the only logits alive
                if teacher.topk is not None:
                    teacher_chunk = tuple(t[rows] for t in teacher.topk)
                else:
                    teacher_chunk = teacher.logits_of(rows, dtype)
                chunk_labels = None if labels is None else labels[rows]
                loss, g = _chunk_loss_and_grad(z, chunk_labels, w[rows], teacher_chunk, opt)
                total += loss
                g = g.to(mm_dtype)
                if need_h:
                    grad_h[rows] = g @ w_mm  # ∂L/∂h = G W
                if need_w and grad_w.dtype == mm_dtype:
                    grad_w.addmm_(g.T, h)  # ∂L/∂W += Gᵀ h, in place
                elif need_w:  # e.g. bf16 products, float32 weight: one transient V × H product
                    grad_w.add_(g.T @ h)
                del z, g, teacher_chunk
        ctx.save_for_backward(grad_h, grad_w)
        return total.to(dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        grad_h, grad_w = ctx.saved_tensors
        if grad_out.item() != 1.0:  # the usual case loss.backward() keeps the saved tensors as is
            grad_h = None if grad_h is None else grad_h * grad_out.to(grad_h.dtype)
            grad_w = None if grad_w is None else grad_w * grad_out.to(grad_w.dtype)
        return grad_h, grad_w, None, None, None, None


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def chunked_kd_loss(
    hidden: Tensor,
    weight: Tensor,
    labels: Tensor | None,
    *,
    teacher_logits: Tensor | None = None,
    teacher_hidden: Tensor | None = None,
    teacher_weight: Tensor | None = None,
    topk: tuple[Tensor, Tensor, Tensor] | None = None,
    alpha: float = 0.5,
    T: float = 2.0,
    divergence: str = "forward",
    beta: float = 0.5,
    chunk_size: int = 64,
    ignore_index: int = -100,
) -> Tensor:
    """α·CE + (1−α)·T²·D from the student's last hidden states, chunked over tokens.

    Same value and gradients as :func:`naive_kd_loss`, with memory for ``chunk_size`` rows of
    logits instead of all of them (see the module docstring for the arithmetic).

    Parameters
    ----------
    hidden : Tensor [N, H]
        The student's last hidden states (batch and sequence flattened), after the final norm.
        Receives a gradient.
    weight : Tensor [V, H]
        The student's output projection (``lm_head.weight``). Receives a gradient.
    labels : Tensor [N] of int, or None
        Next-token ids; positions equal to ``ignore_index`` count in neither term and are left
        out of the mean. ``None`` is allowed only with ``alpha = 0``.
    teacher_logits : Tensor [N, V], optional
        The teacher's logits (any float dtype; read one chunk at a time).
    teacher_hidden, teacher_weight : Tensor [N, Ht] and [V, Ht], optional
        The teacher's last hidden states and output projection: its logits are computed one chunk
        at a time too, so they never exist in full either.
    topk : (ids [N, k], probs [N, k], tail [N]), optional
        A top-k logit cache (as :func:`pycore.topk_teacher` returns): the teacher's k most likely
        token ids, their probabilities, already at temperature ``T``, and the remaining mass.
        Only ``divergence="forward"``; a negative tail from rounding is clamped to 0.
    alpha : float in [0, 1]
        Weight of the hard-label cross-entropy (at T = 1).
    T : float > 0
        Temperature of the soft term; the soft term is multiplied by ``T²``.
    divergence : {"forward", "reverse", "jsd"}
        KL(p‖q), KL(q‖p) or the generalized JSD with weight ``beta`` in (0, 1).
    chunk_size : int
        Tokens per chunk. Extra memory ≈ 6-8 × chunk_size × V × 4 bytes; 64 suits a CPU,
        512-1024 a GPU.
    ignore_index : int
        Label value that marks positions to skip (padding).

    Returns
    -------
    Tensor
        A scalar, float32 (float64 for float64 inputs). The teacher inputs receive no gradient.

    Raises
    ------
    ValueError
        On mismatched shapes, ``alpha`` outside [0, 1], ``T <= 0``, ``k > V``, out-of-range ids or
        labels, or a teacher given in none or several ways.
    """
    teacher = _teacher(teacher_logits, teacher_hidden, teacher_weight, topk)
    opt = _check(hidden, weight, labels, teacher, alpha, T, divergence, beta, chunk_size,
                 ignore_index)  # fmt: skip
    return _ChunkedKD.apply(hidden, weight, labels, teacher, opt, ignore_index)


def naive_kd_loss(
    hidden: Tensor,
    weight: Tensor,
    labels: Tensor | None,
    *,
    teacher_logits: Tensor | None = None,
    teacher_hidden: Tensor | None = None,
    teacher_weight: Tensor | None = None,
    topk: tuple[Tensor, Tensor, Tensor] | None = None,
    alpha: float = 0.5,
    T: float = 2.0,
    divergence: str = "forward",
    beta: float = 0.5,
    ignore_index: int = -100,
) -> Tensor:
    """The textbook version of :func:`chunked_kd_loss`: full logits, then the divergence.

    Written with PyTorch's own ``cross_entropy``/``kl_div`` and differentiated by autograd, so it
    is an independent reference for the chunked loss's closed-form gradients, and the baseline
    of the memory benchmark: it materializes several float32 tensors of N × V.
    Arguments as for :func:`chunked_kd_loss` (no ``chunk_size``).
    """
    teacher = _teacher(teacher_logits, teacher_hidden, teacher_weight, topk)
    opt = _check(hidden, weight, labels, teacher, alpha, T, divergence, beta, 1, ignore_index)
    n, v = hidden.shape[0], weight.shape[0]
    dtype = _compute_dtype(weight)
    w = _row_weights(labels, n, ignore_index, hidden.new_empty((), dtype=dtype))
    z = (hidden @ weight.T).to(dtype)  # [N, V]
    loss = z.new_zeros(())
    if alpha > 0:
        ce = F.cross_entropy(z, labels.long(), ignore_index=ignore_index, reduction="none")
        loss = loss + alpha * (w * ce).sum()
    if alpha < 1:
        log_q = F.log_softmax(z / opt.T, dim=-1)
        if teacher.topk is not None:
            ids, probs, tail = teacher.topk
            ids, probs, tail = ids.long(), probs.to(dtype), tail.to(dtype).clamp(min=0.0)
            d = F.kl_div(log_q.gather(1, ids), probs, reduction="none").sum(-1)
            if ids.shape[1] < v:
                rest = log_q.scatter(1, ids, -math.inf).logsumexp(-1)
                d = d + F.kl_div(rest, tail, reduction="none")
        else:
            log_p = F.log_softmax(teacher.logits_of(slice(None), dtype) / opt.T, dim=-1)
            if divergence == "forward":
                d = F.kl_div(log_q, log_p, reduction="none", log_target=True).sum(-1)
            elif divergence == "reverse":
                d = F.kl_div(log_p, log_q, reduction="none", log_target=True).sum(-1)
            else:
                b = opt.beta
                log_m = torch.logsumexp(
                    torch.stack([log_p + math.log(b), log_q + math.log1p(-b)]), dim=0
                )
                d = b * F.kl_div(log_m, log_p, reduction="none", log_target=True).sum(-1) + (
                    1 - b
                ) * F.kl_div(log_m, log_q, reduction="none", log_target=True).sum(-1)
        loss = loss + (1 - alpha) * opt.T**2 * (w * d).sum()
    return loss
