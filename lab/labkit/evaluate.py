"""Held-out metrics: CE, KL to the true distribution, KL and top-1 agreement with each teacher,
entropy. Everything is a mean over held-out target positions, in nats."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .data import Corpus


def as_tensors(c: Corpus) -> dict[str, torch.Tensor]:
    return {
        "inputs": torch.from_numpy(c.inputs),
        "targets": torch.from_numpy(c.targets),
        "truth": torch.from_numpy(c.truth),
        "truth_ids": torch.from_numpy(c.truth_ids),
        "truth_probs": torch.from_numpy(c.truth_probs).float(),
    }


def _logprobs(model: torch.nn.Module, x: torch.Tensor, amp: bool) -> torch.Tensor:
    with torch.autocast(x.device.type, dtype=torch.bfloat16, enabled=amp):
        return F.log_softmax(model(input_ids=x).logits.float(), dim=-1)


def truth_entropy(data: dict[str, torch.Tensor]) -> float:
    """The floor for held-out CE: the mean entropy of the true next-token distributions."""
    p = data["truth_probs"][data["truth"]]
    return float(-(torch.xlogy(p, p)).sum(-1).mean())


@torch.no_grad()
def evaluate(
    model: torch.nn.Module,
    data: dict[str, torch.Tensor],
    teachers: dict[str, torch.nn.Module],
    batch: int | None = None,
    amp: bool = False,
) -> dict[str, float]:
    """Mean metrics over the held-out rows; `batch` rows at a time (default: ~16M logits)."""
    batch = batch or max(1, 2**24 // data["inputs"][0].numel() // model.config.vocab_size)
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    sums: dict[str, float] = {}
    n = 0

    def add(key: str, value: torch.Tensor) -> None:
        sums[key] = sums.get(key, 0.0) + float(value.sum())

    for s in range(0, len(data["inputs"]), batch):
        x = data["inputs"][s : s + batch].to(device)
        y = data["targets"][s : s + batch].to(device)
        d = data["truth"][s : s + batch].to(device)
        logq = _logprobs(model, x, amp)
        tid, tp = data["truth_ids"].to(device)[d], data["truth_probs"].to(device)[d]
        add("ce", -logq.gather(-1, y[..., None]))
        add("kl_truth", (torch.xlogy(tp, tp) - tp * logq.gather(-1, tid)).sum(-1))
        add("entropy", -(logq.exp() * logq).sum(-1))
        # top-1 against the truth, tie-aware: the model's top token is one of the most likely
        p_of_top = (tp * (tid == logq.argmax(-1, keepdim=True))).sum(-1)
        add("top1_truth", (p_of_top >= tp.max(-1).values - 1e-6).float())
        for name, teacher in teachers.items():
            logp = _logprobs(teacher, x, amp)
            add(f"kl_{name}", (logp.exp() * (logp - logq)).sum(-1))
            add(f"top1_{name}", (logq.argmax(-1) == logp.argmax(-1)).float())
        n += y.numel()
    model.train(was_training)
    return {k: v / n for k, v in sums.items()}


@torch.no_grad()
def next_token_probs(model: torch.nn.Module, ids: list[int]) -> torch.Tensor:
    """The model's next-token distribution after the prefix `ids`."""
    device = next(model.parameters()).device
    logits = model(input_ids=torch.tensor([ids], device=device)).logits[0, -1].float()
    return F.softmax(logits, -1).cpu()
