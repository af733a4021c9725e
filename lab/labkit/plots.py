"""Matplotlib figures for the notebook (not the lesson itself)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def curves(histories: dict[str, list[float]], title: str, every: int = 10):
    """Smoothed training loss per run."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for name, h in histories.items():
        h = np.asarray(h)
        n = len(h) // every * every
        ax.plot(np.arange(n // every) * every, h[:n].reshape(-1, every).mean(1), label=name)
    ax.set(xlabel="step", ylabel="training loss (nats)", title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def metric_bars(results: dict[str, dict[str, float]], keys: list[str], labels: list[str]):
    """One panel per metric, one bar per model."""
    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 3.4))
    names = list(results)
    for ax, key, label in zip(np.atleast_1d(axes), keys, labels, strict=True):
        vals = [results[n][key] for n in names]
        ax.barh(names, vals, color="#4c72b0")
        ax.set_title(label, fontsize=10)
        ax.invert_yaxis()
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:.3f}", va="center", fontsize=7)
        ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


def distributions(dists: dict[str, np.ndarray], labels: list[str], title: str):
    """Grouped bars: several models' probabilities over the same few tokens."""
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    width = 0.8 / len(dists)
    x = np.arange(len(labels))
    for i, (name, p) in enumerate(dists.items()):
        ax.bar(x + i * width - 0.4 + width / 2, p, width, label=name)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set(ylabel="probability", title=title)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def cache_tradeoff(ks: list[int], mass: list[float], kl: list[float], bytes_tok: list[float]):
    """Teacher mass kept and KL(full || cached) against k, with bytes per token."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(7.2, 3.0))
    a.plot(ks, mass, "o-")
    a.set(xlabel="k", ylabel="teacher mass kept", title="mass in the top k")
    b.semilogy(ks, kl, "o-")
    b.set(xlabel="k", ylabel="KL(full || cached), nats", title="what the cache loses")
    for k, m, bt in zip(ks, mass, bytes_tok, strict=True):
        a.annotate(f"{bt:.0f} B", (k, m), fontsize=7, textcoords="offset points", xytext=(2, -10))
    fig.tight_layout()
    return fig


def importance(layer_scores: np.ndarray, ffn: np.ndarray, hidden: np.ndarray, kept: dict):
    """Layer importance bars; sorted FFN and hidden channel importance with the cut marked."""
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 2.8))
    axes[0].bar(range(len(layer_scores)), layer_scores, color="#4c72b0")
    axes[0].set(xlabel="layer", title="layer importance")
    for ax, s, k, t in (
        (axes[1], ffn, kept["ffn"], "FFN channels (layer 0)"),
        (axes[2], hidden, kept["hidden"], "hidden channels"),
    ):
        ax.plot(np.sort(s)[::-1])
        ax.axvline(k - 0.5, color="#c44e52", ls="--", label=f"keep {k}")
        ax.set(xlabel="rank", title=t)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
