"""One configuration object for the lab; `LAB_SCALE` (tiny, gpu, full) picks the preset.

`LAB_SEED` changes the seed and `LAB_OVERRIDES` (JSON, e.g. '{"kd_steps": 60}') any field.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace

DIVERGENCES = ("forward", "reverse", "skew", "skew_reverse", "jsd")
MIXES = ("arithmetic", "geometric")


@dataclass(frozen=True)
class ModelSize:
    """The shape of a Llama-architecture model (as in `transformers.LlamaConfig`)."""

    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    ffn: int


@dataclass(frozen=True)
class LabConfig:
    scale: str
    seed: int = 0
    # data: the synthetic world (extra procedural countries/names at larger scales)
    extra_countries: int = 24
    extra_names: int = 0
    model_vocab: int | None = None  # None: the corpus vocabulary; 128_256 at gpu scale (Llama 3)
    seq_len: int = 32
    batch_size: int = 32
    train_rows: int = 4096
    eval_rows: int = 256
    # teachers ("70B" and "8B" stand-ins) and their brief pretraining
    teacher_large: ModelSize = ModelSize(96, 4, 4, 4, 24, 256)
    teacher_small: ModelSize = ModelSize(64, 4, 4, 4, 16, 192)
    teacher_steps: tuple[int, int] = (400, 300)
    teacher_lr: float = 3e-3
    # structured pruning of the small teacher: the student keeps this many of each
    student_layers: int = 3
    student_kv_groups: int = 3
    student_ffn: int = 128
    student_hidden: int = 48
    calib_rows: int = 64
    layer_metric: str = "cosine"  # or "skip_loss"
    # offline top-k cache of teacher probabilities
    topk: int = 16
    cache_dtype: str = "float16"
    shard_rows: int = 1024
    # distillation
    kd_steps: int = 120
    kd_batch_size: int = 16
    kd_lr: float = 2e-3
    alpha: float = 0.1  # the distilled student's weight on hard labels
    study_alpha: float = 0.0  # the divergence comparison: D alone, so CE does not mask it
    temperature: float = 1.0
    divergences: tuple[str, ...] = DIVERGENCES
    mix: str = "arithmetic"
    mix_weight: float = 0.5  # weight of the large teacher
    skew: float = 0.1
    jsd_beta: float = 0.5
    # runtime
    device: str = "cpu"
    amp_bf16: bool = False
    chunked_loss: bool = False
    threads: int = 1
    runnable: bool = True
    notes: str = ""
    out_dir: str = field(default="")

    def __post_init__(self) -> None:
        check_alpha(self.alpha)
        check_alpha(self.study_alpha)
        if self.temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature}")
        if self.mix not in MIXES:
            raise ValueError(f"mix must be one of {MIXES}, got {self.mix!r}")
        if not 0.0 <= self.mix_weight <= 1.0:
            raise ValueError(f"mix_weight must lie in [0, 1], got {self.mix_weight}")
        for d in self.divergences:
            if d not in DIVERGENCES:
                raise ValueError(f"unknown divergence {d!r}; choose from {DIVERGENCES}")


def check_alpha(alpha: float) -> None:
    """α weighs the hard-label CE against the teacher term; it must lie in [0, 1]."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(
            f"alpha={alpha} is outside [0, 1]: the loss is alpha*CE + (1-alpha)*T^2*D, "
            "so alpha=1 is plain cross-entropy and alpha=0 is pure distillation"
        )


def check_topk(k: int, vocab_size: int) -> None:
    """A top-k cache cannot keep more tokens than the vocabulary has."""
    if not 1 <= k <= vocab_size:
        raise ValueError(
            f"top-k cache with k={k} but the vocabulary has {vocab_size} tokens; "
            f"choose 1 <= k <= {vocab_size} (k={vocab_size} keeps the full distribution)"
        )


SCALES: dict[str, LabConfig] = {
    # ~2 minutes on one CPU thread; what CI runs
    "tiny": LabConfig(scale="tiny"),
    # one H100/H200: a few hundred M parameters, Llama 3's vocabulary size, bf16, chunked loss
    "gpu": LabConfig(
        scale="gpu",
        extra_countries=300,
        extra_names=48,
        model_vocab=128_256,
        seq_len=512,
        batch_size=16,
        kd_batch_size=16,
        train_rows=8192,
        eval_rows=256,
        teacher_large=ModelSize(1024, 16, 16, 8, 64, 4096),  # ~0.52 B parameters
        teacher_small=ModelSize(768, 12, 12, 4, 64, 3072),  # ~0.31 B
        teacher_steps=(600, 600),
        teacher_lr=1e-3,
        student_layers=8,
        student_kv_groups=2,
        student_ffn=2048,
        student_hidden=512,  # ~0.16 B
        calib_rows=64,
        topk=64,
        shard_rows=2048,
        kd_steps=300,
        kd_lr=5e-4,
        device="cuda",
        amp_bf16=True,
        chunked_loss=True,
        threads=8,
        notes="not measured in the session that wrote this notebook (no GPU was lent)",
    ),
    # the real thing; documented commands only (see the notebook's last section)
    "full": LabConfig(
        scale="full",
        model_vocab=128_256,
        seq_len=8192,
        topk=64,
        runnable=False,
        notes="Llama 3.1 70B/8B teachers from the hub, multi-GPU; cannot run in this notebook",
    ),
}


def load_config(scale: str | None = None, **overrides: object) -> LabConfig:
    """The preset named by `scale` or the environment (LAB_SCALE, default tiny; LAB_SEED)."""
    scale = scale or os.environ.get("LAB_SCALE", "tiny")
    if scale not in SCALES:
        raise ValueError(f"LAB_SCALE={scale!r} is not one of {sorted(SCALES)}")
    cfg = SCALES[scale]
    if "LAB_SEED" in os.environ and "seed" not in overrides:
        overrides["seed"] = int(os.environ["LAB_SEED"])
    for key, value in json.loads(os.environ.get("LAB_OVERRIDES", "{}")).items():
        overrides.setdefault(key, tuple(value) if isinstance(value, list) else value)
    out = os.environ.get("LAB_OUT") or os.path.join(os.path.dirname(__file__), "..", "runs", scale)
    return replace(cfg, out_dir=os.path.abspath(out), **overrides)
