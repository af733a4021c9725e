"""Run the lab notebook and publish it as a docs page.

    python lab/notebook_tools.py run   # distillation_lab.py -> executed distillation_lab.ipynb
    python lab/notebook_tools.py docs  # executed .ipynb -> docs/lab/ (page, images, download)
    python lab/notebook_tools.py set-repo https://github.com/OWNER/REPO  # once, when published

The source of truth is the jupytext percent file `distillation_lab.py`; the `.ipynb` is its
pair, with the outputs of a real run (LAB_SCALE=tiny unless the environment says otherwise).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import sys
import time
from pathlib import Path

import jupytext
import nbformat

LAB = Path(__file__).resolve().parent
ROOT = LAB.parent
SOURCE = LAB / "distillation_lab.py"
NOTEBOOK = LAB / "distillation_lab.ipynb"
DOCS = ROOT / "docs" / "lab"
KERNEL = "python3"


def ensure_kernel() -> None:
    """Install the ipykernel kernelspec `python3` for this interpreter if Jupyter lacks it."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(user=True, kernel_name=KERNEL)


def execute(
    source: Path = SOURCE, cwd: Path = LAB, env: dict[str, str] | None = None, timeout: int = 900
) -> tuple[nbformat.NotebookNode, float]:
    """Read the percent file, run every cell in a fresh python3 kernel; returns (nb, seconds)."""
    from nbclient import NotebookClient

    ensure_kernel()
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {
        "name": KERNEL,
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    old = dict(os.environ)
    os.environ.update({"MPLBACKEND": "module://matplotlib_inline.backend_inline", **(env or {})})
    try:
        t0 = time.perf_counter()
        NotebookClient(
            nb, timeout=timeout, kernel_name=KERNEL, resources={"metadata": {"path": str(cwd)}}
        ).execute()
        return nb, time.perf_counter() - t0
    finally:
        os.environ.clear()
        os.environ.update(old)


PLACEHOLDER = "https://github.com/OWNER/REPO"
_REPO_LINE = re.compile(r'^REPO = os\.environ\.get\("MICROSCALE_REPO", "(?P<url>[^"]*)"\)', re.M)
_REPO_URL = re.compile(r"^repo_url:.*$", re.M)


def repo_url(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> str | None:
    """The `repo_url` written in mkdocs.yml, or None."""
    m = re.search(r"^repo_url:\s*['\"]?(?P<url>[^'\"\s#]+)", mkdocs_yml.read_text(), re.M)
    return m.group("url") if m else None


def notebook_repo(source: Path = SOURCE) -> str:
    """The repository URL the notebook clones when `labkit` is missing (e.g. on Colab)."""
    m = _REPO_LINE.search(source.read_text())
    if m is None:
        raise ValueError(f"{source}: no 'REPO = os.environ.get(\"MICROSCALE_REPO\", ...)' line")
    return m.group("url")


def set_repo(url: str, mkdocs_yml: Path = ROOT / "mkdocs.yml", lab: Path = LAB) -> None:
    """Point the site and the notebook at the public repository `url` (https://github.com/O/R).

    Writes `repo_url` in mkdocs.yml (the notebook page's Colab and GitHub links follow it) and the
    URL the notebook clones on Colab, in the percent source and its paired .ipynb.
    """
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"expected https://github.com/OWNER/REPO, got {url!r}")
    text = mkdocs_yml.read_text()
    line = f"repo_url: {url}"
    if _REPO_URL.search(text):
        text = _REPO_URL.sub(line, text, count=1)
    else:
        text = re.sub(r"^(site_name:.*)$", rf"\1\n{line}", text, count=1, flags=re.M)
    mkdocs_yml.write_text(text)
    old, new = (f'"MICROSCALE_REPO", "{u}"' for u in (notebook_repo(lab / SOURCE.name), url))
    source = lab / SOURCE.name
    source.write_text(source.read_text().replace(old, new))
    paired = lab / NOTEBOOK.name
    if paired.exists():  # the same edit in the executed notebook's cell, keeping its outputs
        nb = nbformat.read(paired, as_version=4)
        for cell in nb.cells:
            cell.source = cell.source.replace(old, new)
        nbformat.write(nb, paired)


def _text(out: nbformat.NotebookNode) -> str:
    if out.output_type == "stream":
        return out.text
    if out.output_type == "error":
        return "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.traceback)
    return out.get("data", {}).get("text/plain", "")


def to_markdown(nb: nbformat.NotebookNode, image_dir: Path) -> str:
    """The notebook as a MkDocs page: markdown cells as they are, code in fences, text outputs
    in fences, figures written as PNG files next to the page."""
    image_dir.mkdir(parents=True, exist_ok=True)
    for old in image_dir.glob("figure-*.png"):
        old.unlink()
    # download, Open in Colab and View on GitHub (lesson_plugins/blocks/notebook.py)
    links = f"/// notebook\n    ipynb: {NOTEBOOK.name}\n    source: lab/{NOTEBOOK.name}\n///"
    parts = [
        "<!-- generated by lab/notebook_tools.py docs from lab/distillation_lab.ipynb; "
        "do not edit -->",
        "",
    ]
    n_fig = 0
    for i, cell in enumerate(nb.cells):
        alts = list(cell.metadata.get("alt", []))  # figure descriptions: `# %% alt=[...]`
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            if i == 0:
                parts.append(links)
            continue
        parts.append(f"```python\n{cell.source}\n```")
        text = "".join(
            _text(o) for o in cell.get("outputs", []) if "image/png" not in o.get("data", {})
        )
        if text.strip():
            parts.append(f"```text\n{text.rstrip()}\n```")
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                n_fig += 1
                name = f"figure-{n_fig}.png"
                (image_dir / name).write_bytes(base64.b64decode(png))
                alt = alts.pop(0) if alts else f"Figure {n_fig}"
                parts.append(f"![{alt}]({image_dir.name}/{name})")
    return "\n\n".join(parts) + "\n"


def publish(nb_path: Path = NOTEBOOK, out: Path = DOCS) -> Path:
    """Write docs/lab/index.md, its figures and a copy of the .ipynb for download."""
    nb = nbformat.read(nb_path, as_version=4)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.md"
    page.write_text(to_markdown(nb, out / "img"))
    shutil.copyfile(nb_path, out / "distillation_lab.ipynb")
    return page


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        nb, seconds = execute()
        nbformat.write(nb, NOTEBOOK)
        print(f"executed {SOURCE.name} in {seconds:.0f} s -> {NOTEBOOK}")
        return 0
    if argv[:1] == ["docs"]:
        print(f"wrote {publish()}")
        return 0
    if argv[:1] == ["set-repo"] and len(argv) == 2:
        set_repo(argv[1])
        print(f"repo_url and the notebook's REPO are now {argv[1]}; wrote {publish()}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
