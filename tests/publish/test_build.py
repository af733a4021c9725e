"""What a build leaves for a static host: .nojekyll, sw.js at the root, 404 page, canonical links.

The site is built for the project-pages address https://example.github.io/repo/, with
``use_directory_urls`` on and off, with a self-hosted Pyodide and with the CDN.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from lesson_plugins import browser, cli, publish

SITE = Path(__file__).parent / "site" / "mkdocs.yml"
SITE_URL = "https://example.github.io/repo/"
CDN = "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"


@pytest.fixture(scope="module", params=[True, False], ids=["dir-urls", "file-urls"])
def hosted(request, build_site, pyodide_dist: Path) -> Path:
    return build_site(
        SITE,
        env={"PYODIDE_DIST": str(pyodide_dist)},
        site_url=SITE_URL,
        use_directory_urls=request.param,
    )


@pytest.fixture(scope="module")
def cdn(build_site) -> Path:
    return build_site(SITE, env={"PYODIDE_DIST": None}, site_url=SITE_URL)


def test_nojekyll_and_service_worker_at_the_root(hosted: Path) -> None:
    assert (hosted / ".nojekyll").read_bytes() == b""
    assert (hosted / "sw.js").is_file()
    assert not list(hosted.glob("assets/**/sw.js")), "only the site root's sw.js is a worker"


def test_self_hosted_manifest_is_the_copied_pyodide_and_the_sources(hosted: Path) -> None:
    data = publish.read_manifest(hosted)
    runtime = {url.rsplit("/", 1)[-1]: sha for url, sha in data["runtime"].items()}
    assert set(publish.PYODIDE_RUNTIME) <= set(runtime)
    assert all(runtime[name] == publish.PYODIDE_SHA256[name] for name in runtime)
    for url in data["runtime"]:  # relative to the root (the scope), files of the site
        assert not url.startswith(("/", "http")) and (hosted / url).is_file()
    # The Python the worker fetches: the sources archive named in the page's configuration, and
    # the .py files beside runtime.js.
    page = (hosted / "index.html").read_text(encoding="utf-8")
    archive = re.search(r'"sources":"\.\./(python/sources-\w+\.zip)"', page).group(1)
    beside = {p.relative_to(hosted).as_posix() for p in hosted.glob("assets/microscale/*/*.py")}
    assert beside == {f"{browser.ASSET_DIR}/results.py"}
    assert set(data["python"]) == {"assets/microscale/" + archive} | beside
    for name, sha in data["python"].items():
        assert publish.sha256_file(hosted / name) == sha
    assert data["runtimeCache"].startswith("microscale-pyodide-")
    assert data["pythonCache"].startswith("microscale-python-")


def test_cdn_manifest_pins_the_version_and_the_sums(cdn: Path) -> None:
    data = publish.read_manifest(cdn)
    assert data["runtime"] == {
        CDN + name: publish.PYODIDE_SHA256[name] for name in publish.PYODIDE_RUNTIME
    }
    assert not (cdn / "assets" / "pyodide").exists()


def test_cache_names_follow_the_content(hosted: Path, cdn: Path) -> None:
    a, b = publish.read_manifest(hosted), publish.read_manifest(cdn)
    assert a["runtimeCache"] != b["runtimeCache"]  # other URLs, other cache
    assert a["python"] == b["python"] and a["pythonCache"] != b["pythonCache"]


def test_service_worker_is_valid_javascript(hosted: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node to check the syntax of sw.js")
    result = subprocess.run(
        [node, "--check", str(hosted / "sw.js")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_404_page_links_absolutely_under_the_sub_path(hosted: Path) -> None:
    html = (hosted / "404.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/repo/assets/stylesheets/' in html
    assert publish.relative_urls_in_404(hosted, SITE_URL) == []


def test_404_check_finds_relative_links(tmp_path: Path) -> None:
    (tmp_path / "404.html").write_text(
        '<link href="/repo/a.css"><script src="assets/x.js"></script>'
        '<a href="../up/">up</a><a href="https://example.org/">out</a><a href="#top">top</a>'
    )
    assert publish.relative_urls_in_404(tmp_path, SITE_URL) == ["../up/", "assets/x.js"]


def test_canonical_links_come_from_site_url(hosted: Path) -> None:
    pages = sorted(hosted.rglob("*.html"))
    canonical = {
        page.relative_to(hosted).as_posix(): re.search(
            r'<link rel="canonical" href="([^"]+)"', page.read_text(encoding="utf-8")
        )
        for page in pages
        if page.name != "404.html"
    }
    assert len(canonical) == 2
    for path, link in canonical.items():  # an absolute address of this very page
        assert link, f"{path} has no canonical link"
        url = link.group(1)
        assert url.startswith(SITE_URL)
        assert url.removeprefix(SITE_URL) + ("index.html" if url.endswith("/") else "") == path


def test_a_floating_cdn_fails_the_build(build_site) -> None:
    message = (
        r"^mkdocs\.yml: plugin 'lessons': pyodide_cdn '\S+/latest/full/' does not name Pyodide "
        r"0\.27\.7 exactly; .* Use a folder of version 0\.27\.7"
    )
    with pytest.raises(PluginError, match=message):
        build_site(
            SITE,
            env={"PYODIDE_DIST": None},
            plugin_options={"pyodide_cdn": "https://cdn.jsdelivr.net/pyodide/latest/full/"},
        )


@pytest.mark.parametrize(
    ("cdn_url", "pinned"),
    [
        (CDN, True),
        ("https://mirror.example.edu/pyodide/0.27.7/", True),
        ("https://cdn.jsdelivr.net/pyodide/v0.27/full/", False),
        ("https://cdn.jsdelivr.net/pyodide/v0.27.70/full/", False),
        ("https://cdn.jsdelivr.net/npm/pyodide@0.27.7/", False),
    ],
)
def test_cdn_pin(cdn_url: str, pinned: bool) -> None:
    assert (publish.cdn_pin_problem(cdn_url) is None) == pinned


def test_verify_dist(pyodide_dist: Path, tmp_path: Path) -> None:
    assert publish.verify_dist(pyodide_dist) == []
    for name in publish.PYODIDE_SHA256:
        (tmp_path / name).symlink_to(pyodide_dist / name)
    (tmp_path / "pyodide.mjs").unlink()
    (tmp_path / "pyodide.mjs").write_text("// not Pyodide\n")
    (tmp_path / "package.json").unlink()
    problems = publish.verify_dist(tmp_path)
    assert len(problems) == 2
    assert "package.json: missing" in problems[0]
    assert "pyodide.mjs: sha256" in problems[1] and "is not the pinned" in problems[1]
    assert cli.main(["verify", str(tmp_path)]) == 1
    assert cli.main(["verify", str(pyodide_dist)]) == 0


def test_a_tampered_self_hosted_pyodide_fails_the_build(
    build_site, pyodide_dist: Path, tmp_path: Path
) -> None:
    for name in publish.PYODIDE_SHA256:
        (tmp_path / name).symlink_to(pyodide_dist / name)
    (tmp_path / "pyodide.mjs").unlink()
    (tmp_path / "pyodide.mjs").write_text((pyodide_dist / "pyodide.mjs").read_text() + "\n")
    message = r"is not the pinned 0\.27\.7: assets/pyodide/0\.27\.7/pyodide\.mjs differ"
    with pytest.raises(PluginError, match=message):
        build_site(SITE, env={"PYODIDE_DIST": str(tmp_path)})
