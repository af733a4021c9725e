"""Peak memory and time of one distillation-loss step: naive torch vs chunked vs Liger-Kernel.

Each case (method × token count) runs in a fresh subprocess, one at a time, rounds interleaved
(naive, chunked, chunked-accumulate, Liger, naive, ...), so that one case's memory cannot leak
into another's figures and slow periods of a shared machine hit every method alike. Per case the
worker builds the inputs (student hidden states and projection, teacher hidden states and
projection, labels) and measures two forward + backward steps (on a GPU: a warm-up, then timed
repeats of each):

* "fresh": no gradient buffers exist yet (the first step of a run, or ``zero_grad()`` with its
  default ``set_to_none=True``), so the step's peak includes the ∂L/∂W it leaves behind (V × H,
  1.05 GB in float32 for V = 128,256, H = 2,048);
* "steady": ``h.grad`` and ``W.grad`` already exist, zeroed and resident before the memory
  baseline (``zero_grad(set_to_none=False)``, or any micro-batch after the first under gradient
  accumulation), for every method alike.

Reported per step: peak memory above the baseline, the process's resident set on CPU (Linux
``VmHWM``, reset once the inputs exist; ``ru_maxrss`` where that reset is not allowed) or
``torch.cuda.max_memory_allocated`` on a GPU; "work" memory, the same minus the gradient buffers
the step leaves behind (fresh only); wall time; CPU time (user + system of all threads, the
steadier figure on a shared machine).

The table gives ratios to the naive loss measured in the same run and state. All methods compute
the same loss (α·CE + (1−α)·T²·D with teacher logits ``t = W_t h_t``); their values are printed,
and must agree, as a check that the comparison is fair.

Usage (CPU, the figures in docs/benchmarks/kd-loss.md)::

    python benchmarks/bench_kd_memory.py --tokens 1024 2048 --rounds 2

On a GPU: ``--device cuda --dtype bfloat16 --tokens 1024 2048 4096 8192``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("naive", "chunked", "chunked-accumulate", "liger", "liger-same-chunk")
STATES = ("fresh", "steady")
LIGER_DEFAULT_CHUNK = 1024
KEYS = ("peak_bytes", "work_bytes", "seconds", "cpu_seconds")
# Rough peak of each method in float32 [tokens × V] tensors, measured at small sizes here; used
# only to skip a case that would not fit into the memory the machine has free right now.
SIZE_FACTOR = {"naive": 7.0, "liger": 12.0}


def _bytes_per(dtype: str) -> int:
    return 2 if dtype in ("bfloat16", "float16") else 4


def _estimate_bytes(method: str, tokens: int, a: argparse.Namespace) -> int:
    inputs = a.vocab * (2 * a.hidden + a.teacher_hidden) * _bytes_per(a.dtype)  # W, W_t, ∂L/∂W
    rows = {
        "naive": tokens,
        "chunked": min(tokens, _chunk(a)),
        "chunked-accumulate": min(tokens, _chunk(a)),
        "liger": min(tokens, LIGER_DEFAULT_CHUNK),
        "liger-same-chunk": min(tokens, _chunk(a)),
    }[method]
    return int(inputs + SIZE_FACTOR.get(method.split("-")[0], 12.0) * rows * a.vocab * 4)


def _chunk(a: argparse.Namespace) -> int:
    """--chunk, or the chunked loss's default for the device (lab/chunked_kd.py)."""
    if a.chunk:
        return a.chunk
    sys.path.insert(0, str(ROOT / "lab"))
    from chunked_kd import DEFAULT_CHUNK

    return DEFAULT_CHUNK.get(a.device.split(":")[0], DEFAULT_CHUNK["cuda"])


def _mem_available() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


# ------------------------------------------------------------------------------------- worker


def _loss_fn(method: str, a: argparse.Namespace):
    """A callable (h, W, th, tW, labels) -> loss for ``method``; all compute the same loss."""
    soft_weight = (1 - a.alpha) * a.T**2
    if method in ("naive", "chunked", "chunked-accumulate"):
        sys.path.insert(0, str(ROOT / "lab"))
        from chunked_kd import chunked_kd_loss, naive_kd_loss

        kw = {"alpha": a.alpha, "T": a.T, "divergence": a.divergence, "beta": a.beta}
        if method != "naive":
            kw["chunk_size"] = _chunk(a)
        if method == "chunked-accumulate":
            kw["weight_grad"] = "accumulate"
        fn = chunked_kd_loss if method != "naive" else naive_kd_loss
        return lambda h, w, th, tw, y: fn(h, w, y, teacher_hidden=th, teacher_weight=tw, **kw)

    from liger_kernel.chunked_loss import LigerFusedLinearJSDLoss

    # Liger's generalized JSD with beta = 0 / 1 is forward / reverse KL; it has no T² factor,
    # so it goes into the soft weight. Its torch.compile path needs a warm-up compile per shape,
    # so it is used on GPU only.
    liger_beta = {"forward": 0.0, "reverse": 1.0, "jsd": a.beta}[a.divergence]
    loss = LigerFusedLinearJSDLoss(
        weight_hard_loss=a.alpha,
        weight_soft_loss=soft_weight,
        beta=liger_beta,
        temperature=a.T,
        compiled=a.device == "cuda",
        chunk_size=LIGER_DEFAULT_CHUNK if method == "liger" else _chunk(a),
    )
    return lambda h, w, th, tw, y: loss(h, w, th, tw, y)


def _reset_peak_rss() -> str:
    """Make the kernel's peak-RSS counter (VmHWM) equal to the current RSS, if allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return "VmHWM"
    except OSError:
        return "ru_maxrss"


def _peak_rss(source: str) -> int:
    if source == "VmHWM":
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(method: str, tokens: int, a: argparse.Namespace) -> list[dict]:
    """Two measured steps in one process: "fresh" (no gradient buffers exist yet, as in the
    first step of a run) and then "steady" (h.grad and W.grad exist and are zeroed, as after
    ``zero_grad(set_to_none=False)`` or within gradient accumulation)."""
    import torch

    torch.set_num_threads(a.threads)
    dev, dtype = torch.device(a.device), getattr(torch, a.dtype)
    g = torch.Generator(device="cpu").manual_seed(0)

    def randn(*shape, scale=1.0):
        return (torch.randn(*shape, generator=g) * scale).to(dev, dtype)

    h = randn(tokens, a.hidden).requires_grad_(True)
    w = randn(a.vocab, a.hidden, scale=a.hidden**-0.5).requires_grad_(True)
    th = randn(tokens, a.teacher_hidden)
    tw = randn(a.vocab, a.teacher_hidden, scale=2 * a.teacher_hidden**-0.5)
    y = torch.randint(0, a.vocab, (tokens,), generator=g).to(dev)
    fn = _loss_fn(method, a)
    grad_bytes = (h.numel() + w.numel()) * h.element_size()

    def step(state: str) -> float:
        if state == "fresh":
            h.grad = w.grad = None
        loss = fn(h, w, th, tw, y)
        loss.backward()
        return float(loss.detach())

    def prepare(state: str) -> None:
        if state == "steady":  # the buffers exist (resident: zero_ writes every page)
            for t in (h, w):
                if t.grad is None:
                    t.grad = torch.zeros_like(t)
                t.grad.zero_()
        else:
            h.grad = w.grad = None

    out = []
    for state in STATES:
        if dev.type == "cuda":
            if state == "fresh":
                step(state)  # warm-up: kernels, cuBLAS handles, Liger's compile
            prepare(state)
            cpu0 = time.process_time()
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            base = torch.cuda.memory_allocated()
            times = []
            for _ in range(a.repeats):
                torch.cuda.synchronize()
                t0 = time.perf_counter()
                value = step(state)
                torch.cuda.synchronize()
                times.append(time.perf_counter() - t0)
            peak, source = torch.cuda.max_memory_allocated() - base, "cuda.max_memory_allocated"
        else:
            prepare(state)
            source = _reset_peak_rss()
            base = _peak_rss(source)
            cpu0, t0 = time.process_time(), time.perf_counter()
            value = step(state)
            times = [time.perf_counter() - t0]
            peak = _peak_rss(source) - base
        cpu = (time.process_time() - cpu0) / len(times)
        kept = grad_bytes if state == "fresh" else 0  # gradient buffers the step leaves behind
        out.append({
            "method": method,
            "state": state,
            "tokens": tokens,
            "loss": value,
            "seconds": statistics.median(times),
            "cpu_seconds": cpu,
            "peak_bytes": peak,
            "work_bytes": peak - kept,
            "memory_source": source,
        })  # fmt: skip
    return out


# ------------------------------------------------------------------------------------- parent


def run_case(method: str, tokens: int, a: argparse.Namespace, argv: list[str]) -> list[dict]:
    need, free = _estimate_bytes(method, tokens, a), _mem_available()
    if a.device == "cpu" and need > a.memory_fraction * free:
        print(f"  skip {method} @ {tokens}: needs ~{need / 1e9:.1f} GB, {free / 1e9:.1f} GB free")
        return []
    cmd = [sys.executable, __file__, *argv, "--worker", method, str(tokens)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=a.case_timeout)
    if done.returncode != 0:
        print(f"  {method} @ {tokens} failed:\n{done.stderr[-2000:]}")
        return []
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for r in results:
        print(f"  {method:>18} @ {tokens:>5} {r['state']:>6}: {r['seconds']:7.2f} s, "
              f"cpu {r['cpu_seconds']:7.1f} s, peak +{r['peak_bytes'] / 1e9:6.2f} GB, "
              f"loss {r['loss']:.6f}", flush=True)  # fmt: skip
    return results


def table(results: list[dict]) -> str:
    """Markdown table: medians over rounds, ratios to naive at the same size and state."""
    rows = [
        "| state | tokens | method | peak Δ memory | naive ÷ peak | work memory | wall time "
        "| CPU time | CPU ÷ naive | wall ÷ naive | loss |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[str, int, str], list[dict]] = {}
    for r in results:
        groups.setdefault((r["state"], r["tokens"], r["method"]), []).append(r)

    def med(key, field):
        rs = groups.get(key)
        return statistics.median(r[field] for r in rs) if rs else None

    def ratio(x, base):
        return f"{x / base:.2f}×" if base and x and x > 0 else "–"

    for state in STATES:
        for tokens in sorted({t for st, t, _ in groups if st == state}):
            naive = {k: med((state, tokens, "naive"), k) for k in KEYS}
            for method in METHODS:
                key = (state, tokens, method)
                if key not in groups:
                    continue
                peak, work, sec, cpu = (med(key, k) for k in KEYS)
                rows.append(
                    f"| {state} | {tokens:,} | {method} | {peak / 1e9:.2f} GB "
                    f"| {ratio(naive['peak_bytes'], peak)} | {work / 1e9:.2f} GB | {sec:.1f} s "
                    f"| {cpu:.1f} s | {ratio(cpu, naive['cpu_seconds'])} "
                    f"| {ratio(sec, naive['seconds'])} | {med(key, 'loss'):.6f} |"
                )
    return "\n".join(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tokens", type=int, nargs="+", default=[1024, 2048])
    p.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS[:4]))
    p.add_argument("--rounds", type=int, default=1, help="interleaved rounds (median reported)")
    p.add_argument("--repeats", type=int, default=3, help="timed steps per case, GPU only")
    p.add_argument("--vocab", type=int, default=128_256)
    p.add_argument("--hidden", type=int, default=2048)
    p.add_argument("--teacher-hidden", type=int, default=4096)
    p.add_argument("--chunk", type=int, help="chunk size of the chunked loss (default: its own)")
    p.add_argument("--divergence", choices=("forward", "reverse", "jsd"), default="forward")
    p.add_argument("--alpha", type=float, default=0.5)
    p.add_argument("--T", type=float, default=2.0)
    p.add_argument("--beta", type=float, default=0.5)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="float32", choices=("float32", "bfloat16"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--memory-fraction", type=float, default=0.6,
                   help="skip a CPU case needing more than this share of free memory")  # fmt: skip
    p.add_argument("--case-timeout", type=int, default=900)
    p.add_argument("--json", type=Path, help="also write the raw results here")
    p.add_argument("--worker", nargs=2, metavar=("METHOD", "TOKENS"), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        print(json.dumps(worker(a.worker[0], int(a.worker[1]), a)))
        return

    argv = sys.argv[1:]  # the workers parse the same options
    import torch

    machine = (
        torch.cuda.get_device_name() if a.device == "cuda"
        else f"{platform.machine()} CPU, {a.threads} threads of {os.cpu_count()} cores"
    )  # fmt: skip
    print(f"# {machine}; torch {torch.__version__}; {a.dtype}; V={a.vocab:,}, H={a.hidden}, "
          f"teacher H={a.teacher_hidden}, D={a.divergence}, T={a.T}, alpha={a.alpha}, "
          f"chunk={_chunk(a)}")  # fmt: skip
    results = []
    for rnd in range(a.rounds):
        print(f"round {rnd + 1}/{a.rounds}")
        for tokens in a.tokens:
            for method in a.methods:
                results += run_case(method, tokens, a, argv)
    print()
    print(table(results))
    spread = 0.0
    for tokens in {r["tokens"] for r in results}:
        losses = [r["loss"] for r in results if r["tokens"] == tokens]
        spread = max(spread, (max(losses) - min(losses)) / abs(statistics.median(losses)))
    print(f"\nlargest relative difference of the loss between methods at equal size: {spread:.1e}")
    print(f"load average after the run: {os.getloadavg()}")
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
