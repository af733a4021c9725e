"""The published lab page in Chromium: the notebook links of a course built by GitHub Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/course", "GITHUB_SERVER_URL": None}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_lab_page_links_by_keyboard_and_axe(build_site, serve, browser, scheme, axe) -> None:
    site = build_site(ROOT / "mkdocs.yml", env=ACTIONS)
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(serve(site).url + "lab/")
        links = page.locator("nav.ms-notebook a")
        assert links.all_inner_texts() == [
            "Download the notebook (.ipynb)",
            "Open in Colab",
            "View on GitHub",
        ]
        colab = "https://colab.research.google.com/github/octo/course/blob/main/lab/distillation_lab.ipynb"
        assert links.nth(1).get_attribute("href") == colab
        download = page.request.get(links.nth(0).evaluate("a => a.href"))
        assert download.ok and '"nbformat": 4' in download.text()
        links.nth(0).focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Open in Colab"
        axe(page, context="nav.ms-notebook")
    finally:
        context.close()
