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
it computes the logits ``W h`` (chunk × V) into a buffer that is reused from chunk to chunk, then
the loss and the gradient of the loss with respect to those logits in closed form, written over
the logits in place; multiplies that gradient back through the projection at once
(``∂L/∂h = G W`` and ``∂L/∂W += Gᵀ h``, an in-place ``addmm_``), and goes on to the next chunk.
Nothing of size tokens × V is ever alive. The forward pass therefore already knows both
gradients; the backward pass only multiplies them by the incoming scalar.

Memory arithmetic (float32, V = 128,256, student H = 2,048, N = 2,048 tokens):

* two chunk buffers of ``chunk_size × V × 4`` bytes, the student's logits (then their gradient)
  and the teacher's logits: 512 tokens (the CPU default) → 2 × 263 MB, whatever N is. The
  softmax arithmetic runs on blocks of 8 rows of them on a CPU (:data:`CPU_BLOCK_ROWS`), so its
  temporaries are a few MB and its passes over the data stay in cache;
* the gradients it must return: ``∂L/∂W`` is V × H = 1.05 GB (every method pays this, it is the
  size of the projection itself) and ``∂L/∂h`` is N × H = 17 MB;
* the naive loss holds ≈ 6 × N × V × 4 bytes ≈ 6 GB, growing with N.

Compute is the same matrix products as the naive loss (three passes over ``W``: logits, ``G W``,
``Gᵀ h``, plus the teacher's projection when the teacher is given as hidden states), in pieces of
``chunk_size`` rows. Each chunk reads the projections (and reads and writes ∂L/∂W) again, and
small pieces run the products less efficiently: 64-token chunks took 1.5× the naive loss's CPU
time, 512-token chunks about as long as the naive loss (docs/benchmarks/kd-loss.md). On a GPU the
default is 1,024 tokens (not measured in this project).

The weight gradient, ``weight_grad="accumulate"``. In a training loop the gradient of ``W``
already has a home: ``W.grad``, which persists across steps when gradients are accumulated over
micro-batches or zeroed with ``zero_grad(set_to_none=False)``. Returning a fresh V × H gradient
for autograd to add into it costs a transient 1.05 GB. With ``weight_grad="accumulate"`` (the idea
of Megatron-LM's ``gradient_accumulation_fusion``) the backward pass adds ``grad_out × ∂L/∂W``
straight into ``W.grad`` (creating it if absent) and hands autograd None for ``W``. Because the
gradient can only be scaled once ``grad_out`` is known (``(loss / n).backward()``), this mode
computes the loss alone in the forward pass and the gradients in the backward pass, recomputing
the logits there (the student's, and the teacher's when it comes as hidden states): the price of
the saved gigabyte is those products done twice, as in activation checkpointing. Nothing is
written to ``W.grad`` unless backward runs. Do not use it where something must see ``W``'s
gradient go through autograd (DDP/FSDP gradient hooks).

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.autograd.function import once_differentiable

__all__ = ["DEFAULT_CHUNK", "DIVERGENCES", "chunked_kd_loss", "naive_kd_loss"]

DIVERGENCES = ("forward", "reverse", "jsd")
"""Names accepted by ``divergence``; a top-k cache takes ``"forward"`` only."""

DEFAULT_CHUNK = {"cpu": 512, "cuda": 1024}
"""Tokens per chunk when ``chunk_size=None``, by device type (other devices take the cuda value).

CPU: measured in docs/benchmarks/kd-loss.md (smaller chunks re-read the projections more often
and run the matrix products at lower efficiency). GPU: not measured in this project; 1,024 is
Liger-Kernel's default and keeps the products large enough for the tensor cores."""

CPU_BLOCK_ROWS = 8
"""On a CPU the softmax arithmetic of a chunk runs on blocks of this many rows (8 × 128,256 ×
4 bytes = 4 MB per temporary), so its passes over the data hit the cache, not the memory. The
blocks run on one thread: with two, each of their many small operations ends in a barrier where
one thread waits for the other, and on a loaded machine (a thread descheduled) these waits cost
far more than the arithmetic (measured: 28 s instead of 3.4 s of CPU time per 2,048 tokens)."""


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

    def logits_into(self, out: Tensor, rows: slice) -> Tensor:
        """The teacher's logits for ``rows`` written into the scratch buffer ``out``."""
        if self.logits is not None:
            return out.copy_(self.logits[rows])
        return _mm_into(out, self.hidden[rows].to(self.weight.dtype), self.weight.T)


@dataclass(frozen=True)
class _Options:
    alpha: float
    T: float
    divergence: str
    beta: float
    chunk_size: int
    block_rows: int = 0  # rows per element-wise block inside a chunk; 0: the whole chunk
    accumulate: bool = False  # weight_grad="accumulate"


@contextmanager
def _one_thread(on: bool) -> Iterator[None]:
    """Run the block below on one intra-op thread (see :data:`CPU_BLOCK_ROWS`)."""
    before = torch.get_num_threads()
    if not on or before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _mm_into(out: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """``out = a @ b`` without a temporary when the dtypes allow it."""
    if a.dtype == b.dtype == out.dtype:
        return torch.mm(a, b, out=out)
    return out.copy_(a @ b)


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
    chunk_size: int | None,
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
    if chunk_size is None:
        chunk_size = DEFAULT_CHUNK.get(hidden.device.type, DEFAULT_CHUNK["cuda"])
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer or None, got {chunk_size!r}")
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
    block = CPU_BLOCK_ROWS if hidden.device.type == "cpu" else 0
    return _Options(alpha=float(alpha), T=float(T), divergence=divergence, beta=float(beta),
                    chunk_size=chunk_size, block_rows=block)  # fmt: skip


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

    Works in place where it can (``u`` and the teacher's block are overwritten): at most about
    six block-sized buffers are alive at once besides the caller's gradient. The general path,
    for reverse KL, JSD and top-k; forward KL from logits takes :func:`_forward_kl_block_`.
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


def _forward_kl_block_(z: Tensor, t: Tensor, labels: Tensor | None, w: Tensor, opt: _Options):
    """Forward KL (+ CE) of a block from student logits ``z`` and teacher logits ``t``: returns
    the weighted loss and leaves ∂L/∂z in ``z`` (``t`` is overwritten too).

    The fast path for the common case, with one or two block-sized temporaries. With
    ``u = z/T``, ``a = t/T``, each shifted by its row maximum (softmax does not see shifts):
    ``KL(p‖q) = Σ p (a − u) − log Σ e^a + log Σ e^u``, so neither log p nor log q is stored.
    """
    T, alpha = opt.T, opt.alpha
    z.sub_(z.amax(-1, keepdim=True))
    e_u = torch.mul(z, 1 / T).exp_()  # q times its row sum s_u
    s_u = e_u.sum(-1, keepdim=True)
    if alpha > 0:
        e_z = z.exp()  # softmax(z) times its row sum s_z
        s_z = e_z.sum(-1, keepdim=True)
        y = torch.where(w > 0, labels, 0).long()[:, None]
        ce = s_z.log() - z.gather(1, y)  # lse(z) − z_y with the shift cancelling
    t.sub_(t.amax(-1, keepdim=True)).mul_(1 / T)  # a
    torch.sub(t, z.mul_(1 / T), out=z)  # z ← a − u
    t.exp_()  # p times its row sum s_a
    s_a = t.sum(-1, keepdim=True)
    # Σ p (a − u); nansum: where the teacher gives a token -inf, p = 0 and (a − u) = -inf
    kl = torch.nansum(z.mul_(t), -1, keepdim=True) / s_a - s_a.log() + s_u.log()
    w_kd = ((1 - alpha) * w)[:, None]
    loss = (w_kd * T**2 * kl).sum(dtype=torch.float64)
    torch.mul(e_u, w_kd * T / s_u, out=z)  # ∂/∂z of (1−α)T²·KL is (1−α)·T·(q − p)
    z.addcmul_(t, w_kd * T / s_a, value=-1.0)
    if alpha > 0:
        w_ce = (alpha * w)[:, None]
        loss += (w_ce * ce).sum(dtype=torch.float64)
        z.addcmul_(e_z, w_ce / s_z)  # ∂CE/∂z = softmax(z) − onehot(y)
        z.scatter_add_(1, y, -w_ce.to(z.dtype))
    return loss


def _chunk_loss_and_grad(
    z: Tensor, labels: Tensor | None, w: Tensor, teacher_chunk, opt: _Options
) -> tuple[Tensor, Tensor]:
    """Weighted loss of a block of rows and its gradient w.r.t. their logits ``z`` (overwritten)."""
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


def _sweep(
    hidden: Tensor,
    weight: Tensor,
    labels: Tensor | None,
    teacher: _Teacher,
    opt: _Options,
    row_w: Tensor,
    mm_dtype: torch.dtype,
    *,
    grad_h: Tensor | None = None,
    grad_w: Tensor | None = None,
    scale: float = 1.0,
) -> Tensor:
    """One pass over the tokens, chunk by chunk: returns the loss (float64) and, when
    ``grad_h``/``grad_w`` are given, writes ``scale`` × ∂L/∂h into ``grad_h`` and adds
    ``scale`` × ∂L/∂W into ``grad_w``.

    Two chunk buffers of ``chunk × V`` are allocated once and reused: the student's logits, which
    are overwritten by their gradient ``G``, and the teacher's logits. The softmax arithmetic runs
    on blocks of ``opt.block_rows`` rows of them, so its temporaries stay small (and, on a CPU,
    in cache); the three matrix products run on the whole chunk, in ``mm_dtype``.
    """
    n, v, device = hidden.shape[0], weight.shape[0], hidden.device.type
    dtype = _compute_dtype(weight)
    need_grad = grad_h is not None or grad_w is not None
    w_mm = weight.to(mm_dtype)  # the weight itself unless autocast needs a bf16 copy
    chunk = min(opt.chunk_size, n)
    block = opt.block_rows or chunk
    z_buf = hidden.new_empty((chunk, v), dtype=dtype)
    t_buf = None if teacher.topk is not None else hidden.new_empty((chunk, v), dtype=dtype)
    total = hidden.new_zeros((), dtype=torch.float64)
    with torch.autocast(device, enabled=False):
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            h = hidden[start:stop].to(mm_dtype)
            z = _mm_into(z_buf[: stop - start], h, w_mm.T)  # [chunk, V]: the only logits alive
            t = (
                None
                if t_buf is None
                else teacher.logits_into(t_buf[: stop - start], slice(start, stop))
            )
            with _one_thread(device == "cpu"):
                for b0 in range(0, stop - start, block):
                    b = slice(b0, min(b0 + block, stop - start))
                    rows = slice(start + b.start, start + b.stop)
                    t_b = tuple(x[rows] for x in teacher.topk) if t is None else t[b]
                    y = None if labels is None else labels[rows]
                    if t is not None and opt.divergence == "forward":
                        total += _forward_kl_block_(z[b], t_b, y, row_w[rows], opt)
                        continue
                    loss, g = _chunk_loss_and_grad(z[b], y, row_w[rows], t_b, opt)
                    total += loss
                    if need_grad and g.data_ptr() != z[b].data_ptr():
                        z[b].copy_(g)  # z now holds G = ∂L/∂z for these rows
                    del g
            if not need_grad:
                continue
            if scale != 1.0:
                z.mul_(scale)
            g = z.to(mm_dtype)
            if grad_h is not None:
                _mm_into(grad_h[start:stop], g, w_mm)  # ∂L/∂h = G W
            if grad_w is not None and grad_w.dtype == mm_dtype:
                grad_w.addmm_(g.T, h)  # ∂L/∂W += Gᵀ h, in place
            elif grad_w is not None:  # bf16 products, float32 weight: one transient V × H product
                grad_w.add_(g.T @ h)
            del g
    return total


def _mm_dtype(hidden: Tensor, weight: Tensor) -> torch.dtype:
    """Matrix products run in autocast's dtype when autocast is on (bf16 on a GPU), else in the
    inputs' dtype; softmax arithmetic always in float32 (float64 for float64 inputs)."""
    device = hidden.device.type
    if torch.is_autocast_enabled(device):
        return torch.get_autocast_dtype(device)
    return torch.promote_types(hidden.dtype, weight.dtype)


class _ChunkedKD(torch.autograd.Function):
    """weight_grad="return": forward computes the loss and both gradients; backward scales them."""

    @staticmethod
    def forward(ctx, hidden, weight, labels, teacher: _Teacher, opt: _Options, row_w, need):
        grad_h = torch.zeros_like(hidden) if need[0] else None
        grad_w = torch.zeros_like(weight) if need[1] else None
        mm_dtype = _mm_dtype(hidden, weight)
        total = _sweep(hidden, weight, labels, teacher, opt, row_w, mm_dtype,
                       grad_h=grad_h, grad_w=grad_w)  # fmt: skip
        ctx.save_for_backward(grad_h, grad_w)
        return total.to(_compute_dtype(weight))

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        grad_h, grad_w = ctx.saved_tensors
        if grad_out.item() != 1.0:  # the usual case loss.backward() keeps the saved tensors as is
            grad_h = None if grad_h is None else grad_h * grad_out.to(grad_h.dtype)
            grad_w = None if grad_w is None else grad_w * grad_out.to(grad_w.dtype)
        return grad_h, grad_w, None, None, None, None, None


class _ChunkedKDAccumulate(torch.autograd.Function):
    """weight_grad="accumulate": ∂L/∂W goes straight into ``weight.grad`` during backward.

    Forward computes the loss only and saves nothing but references to its inputs. Backward,
    which knows the upstream gradient (e.g. 1/n for ``(loss / n).backward()``), runs the chunks
    again, recomputing the logits, and adds ``grad_out`` × ∂L/∂W into ``weight.grad`` with an
    in-place ``addmm_``; it returns None for the weight, so autograd never sees a V × H
    gradient. Nothing is written if backward never runs (or the forward ran under no_grad).
    """

    @staticmethod
    def forward(ctx, hidden, weight, labels, teacher: _Teacher, opt: _Options, row_w, need):
        ctx.save_for_backward(hidden, weight, labels, row_w)  # autograd checks their versions
        # backward recomputes in the same dtype, even when it runs outside the autocast region
        ctx.teacher, ctx.opt, ctx.mm_dtype = teacher, opt, _mm_dtype(hidden, weight)
        total = _sweep(hidden, weight, labels, teacher, opt, row_w, ctx.mm_dtype)
        return total.to(_compute_dtype(weight))

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        hidden, weight, labels, row_w = ctx.saved_tensors
        grad_h = torch.zeros_like(hidden) if ctx.needs_input_grad[0] else None
        grad_w = None
        if ctx.needs_input_grad[1]:
            if weight.grad is None:  # first micro-batch: the gradient buffer starts here
                weight.grad = torch.zeros_like(weight)
            grad_w = weight.grad
            if (
                grad_w.shape != weight.shape
                or grad_w.dtype != weight.dtype
                or (grad_w.device != weight.device or not grad_w.is_contiguous())
            ):
                raise RuntimeError(
                    "weight_grad='accumulate' adds into weight.grad, which must be a contiguous "
                    f"{weight.dtype} tensor of shape {tuple(weight.shape)} on {weight.device}; "
                    f"got {grad_w.dtype} {tuple(grad_w.shape)} on {grad_w.device}"
                )
        _sweep(hidden, weight, labels, ctx.teacher, ctx.opt, row_w, ctx.mm_dtype,
               grad_h=grad_h, grad_w=grad_w, scale=float(grad_out))  # fmt: skip
        return grad_h, None, None, None, None, None, None


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
    chunk_size: int | None = None,
    ignore_index: int = -100,
    weight_grad: str = "return",
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
    chunk_size : int or None
        Tokens per chunk. Extra memory ≈ 2 × chunk_size × V × 4 bytes (one buffer with a top-k
        teacher). None: :data:`DEFAULT_CHUNK` for the device (512 on a CPU, 1,024 on a GPU).
    ignore_index : int
        Label value that marks positions to skip (padding).
    weight_grad : {"return", "accumulate"}
        "return": ∂L/∂W goes back through autograd like any gradient (a V × H tensor that
        autograd stores as, or adds into, ``weight.grad``). "accumulate": the backward pass adds
        it into ``weight.grad`` in place (creating it if absent) and returns None for ``weight``,
        so no V × H gradient exists besides ``weight.grad``; costs the logit products twice.
        ``weight`` must then be a leaf tensor (a parameter). See the module docstring.

    Returns
    -------
    Tensor
        A scalar, float32 (float64 for float64 inputs). The teacher inputs receive no gradient.

    Raises
    ------
    ValueError
        On mismatched shapes, ``alpha`` outside [0, 1], ``T <= 0``, ``k > V``, out-of-range ids or
        labels, a teacher given in none or several ways, or ``weight_grad="accumulate"`` with a
        non-leaf weight or an unusable ``weight.grad``.
    RuntimeError
        From backward, in "accumulate" mode, when ``weight.grad`` was replaced by an unusable
        tensor or ``weight`` was modified in place after the forward pass.
    """
    teacher = _teacher(teacher_logits, teacher_hidden, teacher_weight, topk)
    opt = _check(hidden, weight, labels, teacher, alpha, T, divergence, beta, chunk_size,
                 ignore_index)  # fmt: skip
    if weight_grad not in ("return", "accumulate"):
        raise ValueError(f"weight_grad must be 'return' or 'accumulate', got {weight_grad!r}")
    grad_on = torch.is_grad_enabled()
    need = (grad_on and hidden.requires_grad, grad_on and weight.requires_grad)
    row_w = _row_weights(labels, hidden.shape[0], ignore_index,
                         hidden.new_empty((), dtype=_compute_dtype(weight)))  # fmt: skip
    if weight_grad == "return":
        return _ChunkedKD.apply(hidden, weight, labels, teacher, opt, row_w, need)
    if weight.requires_grad and not weight.is_leaf:
        raise ValueError(
            "weight_grad='accumulate' adds the gradient into weight.grad, which only a leaf "
            "tensor (a parameter such as lm_head.weight) has; this weight is computed from "
            "other tensors, so use weight_grad='return'"
        )
    g = weight.grad
    if g is not None and (g.shape != weight.shape or g.dtype != weight.dtype
                          or g.device != weight.device or not g.is_contiguous()):  # fmt: skip
        raise ValueError(
            "weight_grad='accumulate' adds into weight.grad, which must be a contiguous "
            f"{weight.dtype} tensor of shape {tuple(weight.shape)}; got {g.dtype} {tuple(g.shape)}"
        )
    return _ChunkedKDAccumulate.apply(hidden, weight, labels, teacher, opt, row_w, need)


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
