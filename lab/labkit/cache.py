"""An offline top-k cache of teacher probabilities in safetensors shards.

Each shard holds, for a block of training rows, `ids` [rows, seq, k], `probs` [rows, seq, k]
(at `value_dtype`, at the distillation temperature T) and `tail` [rows, seq], the teacher's
mass on every other token. The header metadata records the tokenizer fingerprint, the
vocabulary size, k, T and the teacher, and `load_cache` refuses a cache that does not match.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

from .config import check_topk
from .losses import TopK

FORMAT = "microscale-topk-v1"


class CacheMismatchError(ValueError):
    """The cache on disk was made for another tokenizer, temperature or teacher."""


def id_dtype(vocab_size: int) -> torch.dtype:
    """The narrowest integer type that holds every token id."""
    return torch.int16 if vocab_size <= 2**15 else torch.int32


@torch.no_grad()
def write_cache(
    teacher: torch.nn.Module,
    inputs: torch.Tensor,
    directory: str | os.PathLike,
    *,
    name: str,
    k: int,
    T: float,
    fingerprint: str,
    value_dtype: torch.dtype = torch.float16,
    shard_rows: int = 1024,
    batch: int | None = None,
) -> list[Path]:
    """Run the teacher once over `inputs` [rows, seq] and write its top-k shards."""
    vocab = teacher.config.vocab_size
    check_topk(k, vocab)
    batch = batch or max(1, 2**27 // inputs[0].numel() // vocab)  # ~0.5 GB of fp32 logits
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(f"{name}-*.safetensors"):
        old.unlink()
    device = next(teacher.parameters()).device
    paths = []
    for start in range(0, len(inputs), shard_rows):
        rows = inputs[start : start + shard_rows]
        ids, probs, tail = [], [], []
        for s in range(0, len(rows), batch):
            logits = teacher(input_ids=rows[s : s + batch].to(device)).logits.float()
            p = F.softmax(logits / T, dim=-1)
            top = p.topk(k, dim=-1)
            ids.append(top.indices.to(id_dtype(vocab)).cpu())
            probs.append(top.values.to(value_dtype).cpu())
            tail.append(p.scatter(-1, top.indices, 0.0).sum(-1).to(value_dtype).cpu())
        meta = {
            "format": FORMAT,
            "teacher": name,
            "fingerprint": fingerprint,
            "vocab_size": str(vocab),
            "k": str(k),
            "temperature": repr(float(T)),
            "row_start": str(start),
            "value_dtype": str(value_dtype).removeprefix("torch."),
        }
        path = directory / f"{name}-{start // shard_rows:05d}.safetensors"
        tensors = {"ids": torch.cat(ids), "probs": torch.cat(probs), "tail": torch.cat(tail)}
        save_file(tensors, str(path), metadata=meta)
        paths.append(path)
    return paths


def load_cache(
    directory: str | os.PathLike, *, name: str, fingerprint: str, T: float
) -> tuple[TopK, dict]:
    """Read every shard of teacher `name`, checking that it fits this tokenizer and T."""
    paths = sorted(Path(directory).glob(f"{name}-*.safetensors"))
    if not paths:
        raise FileNotFoundError(f"no cache shards {name}-*.safetensors in {directory}")
    parts, meta = [], {}
    for path in paths:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            if meta.get("format") != FORMAT:
                raise CacheMismatchError(f"{path}: not a {FORMAT} shard (metadata {meta})")
            if meta["fingerprint"] != fingerprint:
                raise CacheMismatchError(
                    f"{path}: this cache was made with tokenizer {meta['fingerprint']} but the "
                    f"student uses tokenizer {fingerprint}; token ids would mean different "
                    "words. Rebuild the cache with the student's tokenizer."
                )
            if float(meta["temperature"]) != float(T):
                raise CacheMismatchError(
                    f"{path}: cached at temperature {meta['temperature']}, asked for T={T}; "
                    "rebuild the cache at the distillation temperature"
                )
            parts.append({key: f.get_tensor(key) for key in ("ids", "probs", "tail")})
    cat = {key: torch.cat([p[key] for p in parts]) for key in ("ids", "probs", "tail")}
    topk = TopK(cat["ids"].long(), cat["probs"].float(), cat["tail"].float())
    return topk, meta


def cache_report(paths: list[Path], num_tokens: int) -> dict:
    """Bytes on disk (tensor payload and file size) per token."""
    payload = 0
    for path in paths:
        with safe_open(str(path), framework="pt") as f:
            for key in f.keys():  # noqa: SIM118  (safe_open is not a dict)
                t = f.get_slice(key)
                n = 1
                for d in t.get_shape():
                    n *= d
                payload += n * {"I16": 2, "I32": 4, "F16": 2, "BF16": 2, "F32": 4}[t.get_dtype()]
    files = sum(p.stat().st_size for p in paths)
    return {
        "payload_bytes_per_token": payload / num_tokens,
        "file_bytes_per_token": files / num_tokens,
    }


def reconstruct(topk: TopK, vocab_size: int) -> torch.Tensor:
    """Dense distribution from a cache: the top-k values, the tail spread over the rest."""
    k = topk.ids.shape[-1]
    spread = (topk.tail.float() / max(vocab_size - k, 1))[..., None]
    dense = spread.expand(*topk.ids.shape[:-1], vocab_size).clone()
    return dense.scatter(-1, topk.ids, topk.probs.float())
