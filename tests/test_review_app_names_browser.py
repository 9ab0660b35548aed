"""The names panel in headless Chromium: choose a rendering, see it written everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import launch_chromium
from test_review_app_browser import review_server

from l10n.pipeline import RunOptions, translate_run

RUN_ID = "names-browser"
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_choose_a_rendering_in_the_names_panel(tmp_path: Path, artifacts_dir: Path) -> None:
    out = tmp_path / "out"
    translate_run(
        RunOptions(
            inputs=["evaluation/names/articles.jsonl"],
            targets=("ja", "ko"),
            engine="auto",
            out=str(out),
            run_id=RUN_ID,
        )
    )
    dialogs: list[str] = []
    errors: list[str] = []
    with review_server(out, "--reviewer", "Mina Park") as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})

        def accept(dialog: object) -> None:
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}runs/{RUN_ID}")
        page.click("text=names and their renderings")
        page.wait_for_selector("table.names")
        row = "tr.name-row[data-name='Cho Hyun'][data-lang='ko']"
        assert "inconsistent" in page.get_attribute(row, "class")
        page.screenshot(path=str(artifacts_dir / "review-app-names.png"), full_page=True)
        button = page.locator(f"{row} li.rendering[data-text='조현'] button.names-apply")
        assert "in 2 other segment(s)" in button.inner_text()
        with page.expect_response("**/api/names/apply") as answer:
            button.click()
        assert answer.value.status == 200
        page.wait_for_load_state("load")
        page.wait_for_selector("#status.ok")
        assert "now written '조현' in 2 segment(s)" in page.inner_text("#status")
        assert "inconsistent" not in page.get_attribute(row, "class")
        assert page.locator(f"{row} li.rendering").count() == 1
        page.screenshot(path=str(artifacts_dir / "review-app-names-applied.png"), full_page=True)

        page.click(f"{row} a[href$='names-visit-preview#u-ko-3']")
        page.wait_for_selector("#u-ko-3")
        assert page.get_attribute("#u-ko-3", "data-status") == "edited"
        assert "조현 외교부" in page.inner_text("#u-ko-3 .reviewed")
        assert page.inner_text("#u-ko-3 .badge").lower() == "edited, not yet approved"
        panel = page.locator("details.names-panel")
        assert panel.count() == 1 and "Names in this article" in panel.inner_text()
        page.screenshot(path=str(artifacts_dir / "review-app-names-article.png"), full_page=True)
    assert len(dialogs) == 1 and "in 2 segment(s)" in dialogs[0]
    assert errors == []
    lines = (out / RUN_ID / "names-visit-preview" / "segments.jsonl").read_text(encoding="utf-8")
    review = json.loads(lines.splitlines()[3])["targets"]["ko"]["review"]
    assert (review["status"], review["origin"], review["reviewer"]) == (
        "edited",
        "names",
        "Mina Park",
    )
