from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from browser import launch_chromium
from lxml import html

from l10n.review.load import load_run
from l10n.review.report import write_report

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"


@pytest.fixture
def run_copy(tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(FIXTURE, target)
    return target


def make_pseudo(run_dir: Path) -> None:
    info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    info["engine"] = {"name": "pseudo", "pseudo": True, "packages": []}
    (run_dir / "run.json").write_text(json.dumps(info), encoding="utf-8")


def test_report_is_one_file_with_no_outside_references(run_copy: Path) -> None:
    path = write_report(run_copy)
    assert path == run_copy / "report.html"
    doc = html.fromstring(path.read_bytes())
    assert doc.xpath("//link | //img | //iframe | //object | //embed | //script[@src]") == []
    assert all(href.startswith("#") for href in doc.xpath("//a/@href"))
    assert len(doc.xpath("//script")) == 1
    assert len(doc.xpath("//style")) == 1


def test_csp_admits_exactly_the_inline_script_and_style(run_copy: Path) -> None:
    doc = html.fromstring(write_report(run_copy).read_bytes())
    (csp,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

    script = doc.xpath("//script")[0].text
    style = doc.xpath("//style")[0].text
    assert "default-src 'none'" in csp
    assert f"script-src 'sha256-{digest(script)}'" in csp
    assert f"style-src 'sha256-{digest(style)}'" in csp
    assert "unsafe" not in csp


def test_hostile_article_text_is_escaped(run_copy: Path) -> None:
    text = write_report(run_copy).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in text
    assert "<img src=x" not in text
    doc = html.fromstring(text.encode("utf-8"))
    assert doc.xpath("//*[@onerror or @onload or @onclick]") == []
    titles = doc.xpath("//section[@data-article='hostile-page']/h2/text()")
    assert titles == ["Breaking <script>window.__pwned=1</script> news"]
    sources = doc.xpath("//tr[@data-article='hostile-page'][@data-lang='ja']/td[3]")
    assert sources[1].text_content().startswith("Officials in Nara said <img src=x onerror=")


def test_index_counts_match_the_stored_segments(run_copy: Path) -> None:
    doc = html.fromstring(write_report(run_copy).read_bytes())
    for article in load_run(run_copy).articles:
        (row,) = doc.xpath(f"//tr[@class='index-row'][@data-article='{article.id}']")
        cells = [c.text_content() for c in row.xpath("td")]
        segments = article.segments
        views = [v for s in segments for v in s.targets.values()]
        assert cells[4:] == [
            str(len(segments)),
            str(sum(v.mt != v.final for v in views)),
            str(sum(len(v.changes) for v in views)),
            str(sum(len(v.unresolved) for v in views)),
            str(sum(len(v.flags) for v in views)),
        ]


def test_changes_are_marked_and_flags_shown_as_badges(run_copy: Path) -> None:
    doc = html.fromstring(write_report(run_copy).read_bytes())
    (row,) = doc.xpath("//tr[@data-article='nara-summit'][@data-segment='1'][@data-lang='ja']")
    assert row.get("data-changed") == "1"
    assert row.xpath(".//td[contains(@class,'mt')]/del/text()") == [
        "サナエ・タカイチ",
        "リー・ジェミョン",
    ]
    assert row.xpath(".//td[contains(@class,'final')]/ins/text()") == ["高市早苗", "李在明"]
    (flagged,) = doc.xpath("//tr[@data-article='hostile-page'][@data-segment='2'][@data-lang='ja']")
    assert flagged.xpath(".//span[contains(@class,'badge')]/@data-code") == ["repetition"]


def test_pseudo_runs_are_labelled_prominently(run_copy: Path) -> None:
    normal = write_report(run_copy).read_text(encoding="utf-8")
    assert "PSEUDO-LOCALIZED" not in normal
    make_pseudo(run_copy)
    doc = html.fromstring(write_report(run_copy).read_bytes())
    banners = doc.xpath("//div[@class='pseudo']/text()")
    assert banners == ["PSEUDO-LOCALIZED — not a translation"] * 3  # run + each article
    assert "PSEUDO" in doc.xpath("//title/text()")[0]


@pytest.mark.browser
def test_report_in_headless_chromium(run_copy: Path, artifacts_dir: Path) -> None:
    report = write_report(run_copy)
    url = report.as_uri()
    run = load_run(run_copy)
    total_rows = sum(len(s.targets) for a in run.articles for s in a.segments)
    changed_rows = sum(
        v.changed for a in run.articles for s in a.segments for v in s.targets.values()
    )
    requests: list[str] = []
    problems: list[str] = []
    with launch_chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text)
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(url)
        page.wait_for_load_state("load")

        def visible(selector: str = "tr.seg") -> list[dict]:
            return page.eval_on_selector_all(
                selector,
                "rows => rows.filter(r => r.offsetParent !== null)"
                ".map(r => ({lang: r.dataset.lang, article: r.dataset.article,"
                " changed: r.dataset.changed}))",
            )

        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("text=Breaking <script>window.__pwned=1</script> news").count() >= 1
        assert len(visible()) == total_rows

        page.select_option("#filter-lang", "ko")
        rows = visible()
        assert rows and {r["lang"] for r in rows} == {"ko"}
        assert len(rows) == sum(len(a.segments) for a in run.articles)

        page.select_option("#filter-lang", "")
        page.select_option("#filter-article", "hostile-page")
        rows = visible()
        assert {r["article"] for r in rows} == {"hostile-page"}
        assert page.locator("section[data-article='nara-summit']").is_hidden()
        assert len(visible("tr.index-row")) == 1

        page.select_option("#filter-article", "")
        page.check("#filter-changed")
        rows = visible()
        assert len(rows) == changed_rows
        assert {r["changed"] for r in rows} == {"1"}

        page.uncheck("#filter-changed")
        assert len(visible()) == total_rows
        page.screenshot(path=str(artifacts_dir / "report.png"), full_page=True)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert problems == []
    assert requests == [url]
    assert (artifacts_dir / "report.png").stat().st_size > 0


@pytest.mark.browser
def test_pseudo_banner_is_visible_in_chromium(run_copy: Path, artifacts_dir: Path) -> None:
    make_pseudo(run_copy)
    report = write_report(run_copy)
    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(report.as_uri())
        banner = page.locator("div.pseudo").first
        assert banner.is_visible()
        assert re.search("PSEUDO-LOCALIZED", banner.inner_text())
        page.screenshot(path=str(artifacts_dir / "report-pseudo.png"))
