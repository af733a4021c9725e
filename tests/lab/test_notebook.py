"""The lab notebook: executed at tiny scale, its findings asserted from the results it records;
the committed .ipynb, its source and the published docs page kept in sync."""

import json
import os
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest
from notebook_tools import (
    DOCS,
    NOTEBOOK,
    PLACEHOLDER,
    SOURCE,
    execute,
    notebook_repo,
    repo_url,
    set_repo,
    to_markdown,
)


@pytest.mark.slow
def test_tiny_run_shows_the_three_findings(tmp_path):
    nb, _ = execute(env={"LAB_SCALE": "tiny", "LAB_OUT": str(tmp_path)})
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    record = json.loads((tmp_path / "results.json").read_text())
    assert record["scale"] == "tiny"
    r = record["results"]
    # 1. distilled beats CE-only at equal tokens (same steps, same batches)
    assert r["distilled"]["kl_truth"] < r["ce_only"]["kl_truth"]
    assert r["distilled"]["ce"] < r["ce_only"]["ce"]
    # 2. reverse KL gives a lower-entropy student than forward KL
    assert r["D=reverse"]["entropy"] < r["D=forward"]["entropy"]
    # 3. the pruned student recovers most of what pruning cost
    lost = r["pruned"]["kl_truth"] - r["small"]["kl_truth"]
    assert lost > 0
    assert (r["pruned"]["kl_truth"] - r["distilled"]["kl_truth"]) / lost >= 0.75
    assert all(f["holds"] for f in record["findings"].values())
    assert max(record["parity"].values()) < 1e-5
    assert 0 < record["cache"]["bytes_per_token"] < record["cache"]["full_bf16_bytes_per_token"]


def committed():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_committed_notebook_is_the_paired_source():
    source = [(c.cell_type, c.source) for c in jupytext.read(SOURCE).cells]
    assert [(c.cell_type, c.source) for c in committed().cells] == source, (
        "lab/distillation_lab.ipynb is out of date: run `python lab/notebook_tools.py run`"
    )


def test_committed_notebook_carries_a_successful_tiny_run():
    text = "".join(o.get("text", "") for c in committed().cells for o in c.get("outputs", []))
    assert "tiny | seed" in text
    assert "Warning" not in text
    assert not [
        o for c in committed().cells for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert len(re.findall(r"'holds': True", text)) == 3
    assert any(
        "image/png" in o.get("data", {}) for c in committed().cells for o in c.get("outputs", [])
    )


def test_docs_page_is_generated_from_the_committed_notebook(tmp_path):
    expected = to_markdown(committed(), tmp_path / "img")
    assert (DOCS / "index.md").read_text() == expected, (
        "docs/lab/ is out of date: run `python lab/notebook_tools.py docs`"
    )
    for figure in sorted((tmp_path / "img").glob("*.png")):
        assert (DOCS / "img" / figure.name).read_bytes() == figure.read_bytes()
    assert (DOCS / "distillation_lab.ipynb").read_bytes() == NOTEBOOK.read_bytes()


def test_clone_url_follows_mkdocs_repo_url():
    # The Colab link is built from repo_url (lesson_plugins/blocks/notebook.py); the notebook must
    # clone the same repository, or stay the placeholder its first cell refuses to clone.
    assert notebook_repo() == (repo_url() or PLACEHOLDER)
    assert notebook_repo(NOTEBOOK.with_suffix(".py")) == notebook_repo()
    assert "/// notebook" in (DOCS / "index.md").read_text()


def test_set_repo_writes_mkdocs_yml_and_both_notebook_files(tmp_path):
    lab = tmp_path / "lab"
    lab.mkdir()
    for path in (SOURCE, NOTEBOOK):
        (lab / path.name).write_bytes(path.read_bytes())
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: course\ntheme:\n  name: material\n")
    set_repo("https://github.com/octo/course", config, lab)
    assert repo_url(config) == "https://github.com/octo/course"
    assert notebook_repo(lab / SOURCE.name) == "https://github.com/octo/course"
    nb = nbformat.read(lab / NOTEBOOK.name, as_version=4)
    assert [c.source for c in nb.cells] == [
        c.source for c in jupytext.read(lab / SOURCE.name).cells
    ]
    assert [c.get("outputs") for c in nb.cells] == [c.get("outputs") for c in committed().cells]
    set_repo("https://github.com/octo/renamed", config, lab)  # a second call replaces, not adds
    assert config.read_text().count("repo_url:") == 1
    assert notebook_repo(lab / SOURCE.name) == "https://github.com/octo/renamed"
    with pytest.raises(ValueError, match="OWNER/REPO"):
        set_repo("git@github.com:octo/course.git", config, lab)


def test_setup_cell_without_helpers_and_repo_says_what_to_set(tmp_path):
    # Opened alone (as on Colab) with the placeholder URL, the first cell must not try to clone.
    setup = next(c.source for c in jupytext.read(SOURCE).cells if c.cell_type == "code")
    env = {k: v for k, v in os.environ.items() if k not in ("MICROSCALE_REPO", "PYTHONPATH")}
    run = subprocess.run(
        [sys.executable, "-c", setup.replace(notebook_repo(), PLACEHOLDER)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "Set REPO above (or the MICROSCALE_REPO environment variable)" in run.stderr
    assert not (tmp_path / "microscale").exists()


GPU_PATH_ON_CPU = {
    "model_vocab": 128_256,
    "chunked_loss": True,
    "amp_bf16": True,
    "topk": 64,
    "train_rows": 32,
    "eval_rows": 4,
    "batch_size": 2,
    "kd_batch_size": 2,
    "teacher_steps": [2, 2],
    "kd_steps": 3,
    "calib_rows": 4,
    "shard_rows": 16,
    "divergences": ["forward", "reverse"],
}


@pytest.mark.slow
def test_gpu_code_path_runs_on_cpu_with_shrunken_models(tmp_path, monkeypatch):
    """The gpu scale's code paths (Llama 3 vocabulary, 32-bit ids, bf16 autocast, the chunked
    loss with a top-k cache) on tiny models for a few steps: it runs, and the cache has the
    predicted size. The findings cell is left out: a few steps prove nothing."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setenv("LAB_SCALE", "tiny")
    monkeypatch.setenv("LAB_OUT", str(tmp_path))
    monkeypatch.setenv("LAB_OVERRIDES", json.dumps(GPU_PATH_ON_CPU))
    monkeypatch.chdir(SOURCE.parent)
    ns: dict = {}
    for cell in jupytext.read(SOURCE).cells:
        if cell.cell_type == "code" and "findings = {" not in cell.source:
            exec(compile(cell.source, str(SOURCE), "exec"), ns)
    assert ns["V"] == 128_256 and ns["cfg"].chunked_loss
    assert ns["caches"]["large"].ids.shape[-1] == 64
    assert ns["cache_stats"]["bytes_per_token"] == 64 * 4 + 65 * 2  # int32 ids, fp16 values
    assert set(ns["results"]) >= {"pruned", "ce_only", "distilled", "D=forward", "D=reverse"}
