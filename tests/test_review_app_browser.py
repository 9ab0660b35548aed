"""The review app in headless Chromium, served by `l10n review serve` on a free port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import launch_chromium
from lxml import etree

from l10n.review.files import rebuild_review_files
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"
L10N = Path(sys.executable).parent / "l10n"
X = {"x": "urn:oasis:names:tc:xliff:document:1.2"}

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "out" / RUN_ID)
    return tmp_path / "out"


@contextmanager
def review_server(location: Path, *options: str) -> Iterator[str]:
    """``l10n review serve`` in a subprocess; yields the URL it prints, stops it after."""
    process = subprocess.Popen(
        [str(L10N), "review", "serve", str(location), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        line = process.stdout.readline()
        if "http://127.0.0.1:" not in line:
            process.kill()
            pytest.fail(f"no URL from l10n review serve: {line!r} {process.stderr.read()!r}")
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def segments(out: Path, article: str) -> list[dict]:
    return Run.open(out / RUN_ID).read_segment_rows(article) or []  # with its decision log


def xliff_state(out: Path, article: str, lang: str, index: int) -> str | None:
    # as before sending the file to a translator: `l10n report` writes in full the articles
    # whose decisions wait in their log (docs/review.md, "What is on disk when")
    rebuild_review_files(Run.open(out / RUN_ID))
    root = etree.parse(str(out / RUN_ID / article / f"{lang}.xlf")).getroot()
    return root.find(f".//x:trans-unit[@id='{index}']/x:target", X).get("state")


def watch(page: object, base: str) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "foreign": []}

    def on_dialog(dialog: object) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and seen["errors"].append(msg.text))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(base) else seen["foreign"].append(request.url)
        ),
    )
    return seen


def current(page: object) -> str:
    return page.eval_on_selector("article.unit.current", "el => el.id")


def test_edit_approve_and_reload_keeps_it(out: Path, artifacts_dir: Path) -> None:
    edit = "공원 근처에 1만 명 이상이 모였다."
    with review_server(out, "--reviewer", "Mina Park") as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        seen = watch(page, base)
        page.goto(base)
        page.click(f"tr.run-row[data-run='{RUN_ID}'] a")
        page.wait_for_selector("tr.article-row")
        page.screenshot(path=str(artifacts_dir / "review-app-run.png"))
        page.click("tr.article-row[data-article='nara-summit'] a")
        page.wait_for_selector("article.unit.current")
        assert current(page) == "u-ja-0"
        for _ in range(5):  # ja-0 ko-0 ja-1 ko-1 ja-2 → ko-2
            page.keyboard.press("j")
        assert current(page) == "u-ko-2"
        page.keyboard.press("e")
        editor = page.locator("#u-ko-2 textarea.edit")
        assert editor.is_visible() and editor.evaluate("el => el === document.activeElement")
        editor.fill(edit)
        with page.expect_response("**/api/decision") as answer:
            page.keyboard.press("Control+Enter")
        assert answer.value.status == 200
        page.wait_for_selector("#u-ko-2.approved")
        assert current(page) == "u-ja-3"  # approving moves on to the next segment
        assert "ko 1/5 approved" in page.inner_text("p.meta")  # the counts follow at once
        page.keyboard.press("k")
        assert current(page) == "u-ko-2"
        assert "1만 명" in page.inner_text("#u-ko-2 .reviewed")
        page.screenshot(path=str(artifacts_dir / "review-app-approved.png"), full_page=True)

        page.reload()
        page.wait_for_selector("#u-ko-2")
        assert page.get_attribute("#u-ko-2", "data-status") == "approved"
        assert "1만 명 이상이" in page.inner_text("#u-ko-2 .reviewed")
        assert "Mina Park" in page.inner_text("#u-ko-2 .by")
        assert "ko 1/5 approved" in page.inner_text("p.meta")
        assert seen == {"dialogs": [], "errors": [], "foreign": []}

    review = segments(out, "nara-summit")[2]["targets"]["ko"]["review"]
    assert (review["status"], review["text"], review["reviewer"]) == ("approved", edit, "Mina Park")
    assert not (out / RUN_ID / "nara-summit" / "ko.reviewed.txt").exists()  # 1 of 5: not yet
    draft = (out / RUN_ID / "nara-summit" / "ko.draft.txt").read_text(encoding="utf-8")
    assert edit in draft and "publishable: no (approved 1/5, rejected 0)" in draft
    assert xliff_state(out, "nara-summit", "ko", 2) == "signed-off"
    assert (out / ".l10n-tm.sqlite").is_file()
    summary = json.loads((out / RUN_ID / "run.json").read_text(encoding="utf-8"))
    assert summary["articles"]["done"][0]["targets"]["ko"]["reviews"]["approved"] == 1


def test_keyboard_reject_with_a_comment_and_filters(out: Path, artifacts_dir: Path) -> None:
    run_dir = out / RUN_ID
    with review_server(run_dir, "--reviewer", "") as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        seen = watch(page, base)
        page.goto(base)  # a run folder: straight to its articles
        page.click("tr.article-row[data-article='nara-summit'] a")
        page.click("#u-ko-4 .lang")
        assert current(page) == "u-ko-4"
        page.keyboard.press("r")  # no reviewer name yet: asked for, nothing saved
        page.wait_for_selector("#status.bad")
        assert "name" in page.inner_text("#status")
        assert "review" not in segments(out, "nara-summit")[4]["targets"]["ko"]
        page.fill("#reviewer", "Jun Seo")
        page.click("#u-ko-4 .lang")
        page.keyboard.press("c")
        page.keyboard.type("wrong honorific for the president")
        page.keyboard.press("Enter")
        with page.expect_response("**/api/decision"):
            page.keyboard.press("r")
        page.wait_for_selector("#u-ko-4.rejected")
        page.select_option("#filter-show", "rejected")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**show=rejected**")
        assert page.eval_on_selector_all("article.unit", "els => els.map(e => e.id)") == ["u-ko-4"]
        assert "wrong honorific" in page.inner_text("#u-ko-4 .said")
        assert page.input_value("#reviewer") == "Jun Seo"  # the name survives page loads
        page.screenshot(path=str(artifacts_dir / "review-app-rejected.png"), full_page=True)
        assert seen == {"dialogs": [], "errors": [], "foreign": []}
    review = segments(out, "nara-summit")[4]["targets"]["ko"]["review"]
    assert (review["status"], review["reviewer"], review["comment"]) == (
        "rejected",
        "Jun Seo",
        "wrong honorific for the president",
    )
    assert xliff_state(out, "nara-summit", "ko", 4) == "needs-review-translation"


def test_a_hostile_article_stays_inert(out: Path, artifacts_dir: Path) -> None:
    hostile = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script>'
    with review_server(out, "--reviewer", "Mina Park") as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        seen = watch(page, base)
        page.goto(f"{base}runs/{RUN_ID}/articles/hostile-page")
        page.wait_for_selector("article.unit.current")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        title = "Breaking <script>window.__pwned=1</script> news"
        assert page.inner_text("h1") == title
        assert page.locator("img").count() == 0
        page.click("#u-ko-1 .lang")
        page.keyboard.press("e")
        page.locator("#u-ko-1 textarea.edit").fill(hostile)
        with page.expect_response("**/api/decision") as answer:
            page.keyboard.press("Control+Enter")
        assert answer.value.status == 200
        page.wait_for_selector("#u-ko-1.approved")
        assert hostile in page.inner_text("#u-ko-1 .reviewed")
        assert page.locator("img").count() == 0
        page.reload()
        page.wait_for_selector("#u-ko-1.approved")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.screenshot(path=str(artifacts_dir / "review-app-hostile.png"), full_page=True)
        assert seen["dialogs"] == [] and seen["foreign"] == []
    assert segments(out, "hostile-page")[1]["targets"]["ko"]["review"]["text"] == hostile


def test_unsaved_edits_and_comments_are_never_lost(out: Path, artifacts_dir: Path) -> None:
    edit = "공원 근처에 1만 명 이상이 모였다."
    with review_server(out, "--reviewer", "Mina Park") as base, launch_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        kinds: list[str] = []

        def on_dialog(dialog: object) -> None:
            kinds.append(dialog.type)
            dialog.accept()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: errors.append(str(error)))
        url = f"{base}runs/{RUN_ID}/articles/nara-summit"
        page.goto(url)
        page.click("#u-ko-2 .lang")
        page.keyboard.press("e")
        page.locator("#u-ko-2 textarea.edit").fill(edit)
        page.keyboard.press("Escape")  # leaves the editor: the edit is kept, not dropped
        page.keyboard.press("j")
        assert "draft" in page.inner_text("#status")
        assert "unsaved" in page.get_attribute("#u-ko-2", "class")
        assert page.input_value("#u-ko-2 textarea.edit") == edit
        # A comment alone is saved as a decision of its own.
        page.click("#u-ko-3 .lang")
        page.keyboard.press("c")
        page.keyboard.type("check the fund size")
        with page.expect_response("**/api/decision") as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 200
        page.wait_for_selector("#u-ko-3.commented")
        # Leaving the page with the unsaved edit asks first.
        with page.expect_event("close"):
            page.close(run_before_unload=True)
        assert kinds == ["beforeunload"]
        # The edit comes back as a draft on the next visit, ready to approve.
        again = context.new_page()
        again.goto(url)
        again.wait_for_selector("#u-ko-2.unsaved")
        assert again.input_value("#u-ko-2 textarea.edit") == edit
        again.click("#u-ko-2 textarea.edit")
        with again.expect_response("**/api/decision") as answer:
            again.keyboard.press("Control+Enter")
        assert answer.value.status == 200
        again.wait_for_selector("#u-ko-2.approved")
        again.screenshot(path=str(artifacts_dir / "review-app-drafts.png"), full_page=True)
        assert errors == []
    rows = segments(out, "nara-summit")
    assert rows[2]["targets"]["ko"]["review"]["text"] == edit
    note = rows[3]["targets"]["ko"]["review"]
    assert (note["status"], note["comment"]) == ("commented", "check the fund size")
