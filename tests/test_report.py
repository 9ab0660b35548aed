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

from l10n.models import Action, ArticleOutcome, EngineIdentity, LanguageGuess, TargetSummary
from l10n.review.files import rebuild_review_files
from l10n.review.report import render_index
from l10n.run.store import Run
from l10n.run.summary import RunSummary

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"


@pytest.fixture
def run_copy(tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(FIXTURE, target)
    return target


def build(run_dir: Path) -> Path:
    rebuild_review_files(Run.open(run_dir))
    return run_dir / "report.html"


def make_pseudo(run_dir: Path) -> None:
    """Record the run, and each article in it, as the pseudo engine's work."""
    pseudo = {"name": "pseudo", "pseudo": True, "packages": []}
    info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    info["engine"] = pseudo
    (run_dir / "run.json").write_text(json.dumps(info), encoding="utf-8")
    for path in run_dir.glob("*/manifest.json"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["engine"], manifest["pseudo"] = pseudo, True
        path.write_text(json.dumps(manifest), encoding="utf-8")


def pages(run_dir: Path) -> list[Path]:
    return [run_dir / "report.html", *sorted(run_dir.glob("*/report.html"))]


def test_every_page_is_self_contained_with_no_outside_references(run_copy: Path) -> None:
    build(run_copy)
    for page in pages(run_copy):
        doc = html.fromstring(page.read_bytes())
        assert doc.xpath("//link | //img | //iframe | //object | //embed | //script[@src]") == []
        for href in doc.xpath("//a/@href"):
            assert not re.match(r"[a-z]+:", href), href  # relative links inside the run only
        assert len(doc.xpath("//script")) == 1
        assert len(doc.xpath("//style")) == 1


def test_index_links_to_one_page_per_article(run_copy: Path) -> None:
    doc = html.fromstring(build(run_copy).read_bytes())
    assert doc.xpath("//tr[@class='index-row']//a/@href") == [
        "nara-summit/report.html",
        "hostile-page/report.html",
    ]
    assert doc.xpath("//tr[contains(@class,'seg')]") == []  # segments live on article pages
    article = html.fromstring((run_copy / "nara-summit" / "report.html").read_bytes())
    assert article.xpath("//a/@href") == ["../report.html"]


def test_csp_admits_exactly_the_inline_script_and_style(run_copy: Path) -> None:
    build(run_copy)

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

    for page in pages(run_copy):
        doc = html.fromstring(page.read_bytes())
        (csp,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        script = doc.xpath("//script")[0].text
        style = doc.xpath("//style")[0].text
        assert "default-src 'none'" in csp
        assert f"script-src 'sha256-{digest(script)}'" in csp
        assert f"style-src 'sha256-{digest(style)}'" in csp
        assert "unsafe" not in csp


def test_hostile_article_text_is_escaped(run_copy: Path) -> None:
    build(run_copy)
    for page in pages(run_copy):
        text = page.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text
        assert "<img src=x" not in text
        doc = html.fromstring(text.encode("utf-8"))
        assert doc.xpath("//*[@onerror or @onload or @onclick]") == []
    doc = html.fromstring((run_copy / "hostile-page" / "report.html").read_bytes())
    titles = doc.xpath("//section[@data-article='hostile-page']/h2/text()")
    assert titles == ["Breaking <script>window.__pwned=1</script> news"]
    sources = doc.xpath("//tr[@data-lang='ja']/td[3]")
    assert sources[1].text_content().startswith("Officials in Nara said <img src=x onerror=")


def test_index_counts_match_the_stored_segments(run_copy: Path) -> None:
    doc = html.fromstring(build(run_copy).read_bytes())
    run = Run.open(run_copy)
    for article in run.iter_articles():
        (row,) = doc.xpath(f"//tr[@class='index-row'][@data-article='{article.id}']")
        cells = [c.text_content() for c in row.xpath("td")]
        counts = article.counts()
        assert cells[5:] == [
            str(counts["segments"]),
            str(counts["changes"]),
            str(counts["unresolved"]),
            str(counts["flags"]),
        ]
        assert int(row.get("data-flagged")) == counts["flags"]


def test_changes_are_marked_and_flags_shown_as_badges(run_copy: Path) -> None:
    build(run_copy)
    nara = html.fromstring((run_copy / "nara-summit" / "report.html").read_bytes())
    (row,) = nara.xpath("//tr[@data-segment='1'][@data-lang='ja']")
    assert row.get("data-changed") == "1"
    assert row.xpath(".//td[contains(@class,'mt')]/del/text()") == [
        "サナエ・タカイチ",
        "リー・ジェミョン",
    ]
    assert row.xpath(".//td[contains(@class,'final')]/ins/text()") == ["高市早苗", "李在明"]
    hostile = html.fromstring((run_copy / "hostile-page" / "report.html").read_bytes())
    (flagged,) = hostile.xpath("//tr[@data-segment='2'][@data-lang='ja']")
    assert flagged.xpath(".//span[contains(@class,'badge')]/@data-code") == ["repetition"]


def test_pseudo_runs_are_labelled_prominently(run_copy: Path) -> None:
    build(run_copy)
    assert all("PSEUDO-LOCALIZED" not in p.read_text(encoding="utf-8") for p in pages(run_copy))
    make_pseudo(run_copy)
    build(run_copy)
    for page in pages(run_copy):
        doc = html.fromstring(page.read_bytes())
        assert doc.xpath("//div[@class='pseudo']/text()") == [
            "PSEUDO-LOCALIZED — not a translation"
        ]
        assert "PSEUDO" in doc.xpath("//title/text()")[0]


def test_index_of_a_thousand_articles_stays_small() -> None:
    outcomes = [
        ArticleOutcome(
            id=f"article-{i:04d}-with-a-long-descriptive-slug",
            input=f"archive/2026/11/article-{i:04d}.txt",
            status="done",
            title=f"Leaders meet in Nara for talks on trade and security, day {i}",
            source_language=LanguageGuess("en", 0.99),
            targets={
                lang: TargetSummary(
                    Action.TRANSLATE,
                    f"{lang}.mt.txt",
                    f"{lang}.txt",
                    changes=7,
                    unresolved=["lee"],
                    flags=3,
                )
                for lang in ("ja", "ko")
            },
            segments=30,
        )
        for i in range(1000)
    ]
    summary = RunSummary(
        "big", "2026-11-27T00:00:00+00:00", ["ja", "ko"], [EngineIdentity("pseudo")], {}, outcomes
    )
    page = b"".join(render_index(summary))
    assert len(page) <= 2_000_000
    assert html.fromstring(page).xpath("count(//tr[@class='index-row'])") == 1000


@pytest.mark.browser
def test_report_in_headless_chromium(run_copy: Path, artifacts_dir: Path) -> None:
    index = build(run_copy)
    run = Run.open(run_copy)
    articles = list(run.iter_articles())
    requests: list[str] = []
    problems: list[str] = []
    with launch_chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text)
        )
        page.on("pageerror", lambda error: problems.append(str(error)))

        def visible(selector: str) -> list[dict]:
            return page.eval_on_selector_all(
                selector,
                "rows => rows.filter(r => r.offsetParent !== null)"
                ".map(r => ({lang: r.dataset.lang, article: r.dataset.article,"
                " changed: r.dataset.changed}))",
            )

        page.goto(index.as_uri())
        assert len(visible("tr.index-row")) == 2
        page.fill("#filter-q", "hostile")
        assert [r["article"] for r in visible("tr.index-row")] == ["hostile-page"]
        assert "q=hostile" in page.evaluate("location.hash")
        page.fill("#filter-q", "")
        page.select_option("#filter-show", "unresolved")
        assert [r["article"] for r in visible("tr.index-row")] == ["nara-summit"]
        page.select_option("#filter-lang", "ja")
        assert visible("tr.index-row") == []  # the unresolved name is in the ko text only
        # The filter state lives in the URL: a reload (or a shared link) keeps it.
        page.reload()
        assert page.input_value("#filter-show") == "unresolved"
        assert page.input_value("#filter-lang") == "ja"
        page.screenshot(path=str(artifacts_dir / "report-index.png"), full_page=True)

        article_page = run_copy / "hostile-page" / "report.html"
        page.goto(article_page.as_uri())
        hostile = next(a for a in articles if a.id == "hostile-page")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("text=Breaking <script>window.__pwned=1</script> news").count() >= 1
        total = sum(len(rows) for rows in hostile.translations.values())
        assert len(visible("tr.seg")) == total
        page.select_option("#filter-lang", "ko")
        assert {r["lang"] for r in visible("tr.seg")} == {"ko"}
        page.select_option("#filter-lang", "")
        page.select_option("#filter-show", "changed")
        changed = sum(t.changed for rows in hostile.translations.values() for t in rows)
        rows = visible("tr.seg")
        assert len(rows) == changed and {r["changed"] for r in rows} == {"1"}
        page.screenshot(path=str(artifacts_dir / "report-article.png"), full_page=True)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert problems == []
    assert all(url.startswith("file://") for url in requests)
    assert (artifacts_dir / "report-article.png").stat().st_size > 0


@pytest.mark.browser
def test_pseudo_banner_is_visible_in_chromium(run_copy: Path, artifacts_dir: Path) -> None:
    make_pseudo(run_copy)
    report = build(run_copy)
    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(report.as_uri())
        banner = page.locator("div.pseudo").first
        assert banner.is_visible()
        assert re.search("PSEUDO-LOCALIZED", banner.inner_text())
        page.screenshot(path=str(artifacts_dir / "report-pseudo.png"))
