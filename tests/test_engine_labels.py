"""Engine labels per article and per target: a run whose provided drafts sit beside
pseudo-localized articles marks only the pseudo ones, in the review app, its run list,
the report index and pages, and the Prefect artifacts."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from conftest import GLOSSARY
from lxml import html

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from l10n.flow.artifacts import article_rows, index_markdown, run_markdown
from l10n.pipeline import RunOptions, translate_run
from l10n.review.app import Catalog, create_app
from l10n.run.summary import RunSummary

RUN_ID = "mixed-run"
DRAFT = {
    "id": "drafted",
    "title": "Ports deal signed in Busan",
    "lang": "en",
    "body": "Officials signed a ports agreement on Monday.\n\nIt takes effect in March.",
    "translations": {
        "ja": "釜山で港湾協定に署名\n\n当局者は月曜日に港湾協定に署名した。\n\n3月に発効する。",
        "ko": (
            "부산에서 항만 협정 서명\n\n관리들은 월요일에 항만 협정에 서명했다.\n\n3월에 발효된다."
        ),
    },
}
STORIES = {
    "summit.txt": "Leaders meet in Nara\n\nThe two leaders met in Nara on Saturday.\n",
    "trade.txt": "Trade talks resume\n\nNegotiators met again in Seoul on Friday.\n",
}


def mixed_run(base: Path) -> tuple[Path, RunSummary]:
    """A real run: one article with its own ja and ko drafts, two the pseudo engine
    rendered."""
    inputs = base / "in"
    inputs.mkdir()
    (inputs / "drafts.jsonl").write_text(json.dumps(DRAFT, ensure_ascii=False) + "\n", "utf-8")
    for name, text in STORIES.items():
        (inputs / name).write_text(text, "utf-8")
    out = base / "out"
    summary = translate_run(
        RunOptions(
            inputs=[str(inputs)],
            engine="pseudo",
            glossary=str(GLOSSARY),
            out=str(out),
            run_id=RUN_ID,
            memory=str(base / "tm.sqlite"),
        )
    )
    assert {o.id for o in summary.done} == {"drafted", "summit", "trade"}, summary.outcomes
    return out, summary


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    return mixed_run(tmp_path_factory.mktemp("mixed"))


def test_the_summary_labels_a_mixed_run_by_its_pseudo_articles(mixed) -> None:
    _, summary = mixed
    by_id = {o.id: o for o in summary.done}
    assert summary.pseudo_langs(by_id["drafted"]) == []
    assert summary.pseudo_langs(by_id["summit"]) == ["ja", "ko"]
    assert not summary.all_pseudo and summary.some_pseudo
    assert summary.pseudo_label == "pseudo 2/3"


def test_the_engine_line_names_every_engine_used(mixed) -> None:
    """Not the run's engine alone ("pseudo"): what translated how many articles, in the
    terminal summary and the report index."""
    import io

    from rich.console import Console

    from l10n.cli.translate_cmd import print_summary

    out, summary = mixed
    assert summary.engine_name == "pseudo"  # the run's engine record is unchanged
    assert summary.engines_used == "pseudo (2), provided (1)"
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=80, color_system=None), summary, str(out))
    first = buffer.getvalue().splitlines()[0]
    assert first.startswith(f"Run {RUN_ID} — engine pseudo (2), provided (1) (some targets"), first
    index = html.fromstring((out / RUN_ID / "report.html").read_bytes())
    (meta,) = index.xpath("//p[@class='meta'][starts-with(., 'Engine')]")
    assert meta.text_content().startswith("Engine pseudo (2), provided (1)")
    drafts_only = RunSummary.from_json(summary.to_json())
    drafts_only.outcomes = [o for o in drafts_only.outcomes if o.id == "drafted"]
    assert drafts_only.engines_used == "provided"


def test_all_and_no_pseudo_runs_keep_plain_labels(mixed) -> None:
    _, summary = mixed
    pseudo_only = RunSummary.from_json(summary.to_json())
    pseudo_only.outcomes = [o for o in pseudo_only.outcomes if o.id != "drafted"]
    assert pseudo_only.pseudo_label == "pseudo"
    drafts_only = RunSummary.from_json(summary.to_json())
    drafts_only.outcomes = [o for o in drafts_only.outcomes if o.id == "drafted"]
    assert drafts_only.pseudo_label == ""


def test_the_report_marks_only_the_pseudo_articles(mixed) -> None:
    out, _ = mixed
    run_dir = out / RUN_ID
    index = html.fromstring((run_dir / "report.html").read_bytes())
    (banner,) = index.xpath("//div[contains(@class,'pseudo')]")
    assert banner.text_content().startswith("2 of 3 articles have PSEUDO-LOCALIZED targets")
    assert "PSEUDO" not in index.xpath("//title/text()")[0]
    badges = {
        row.get("data-article"): row.xpath(".//span[contains(@class,'badge pseudo')]/text()")
        for row in index.xpath("//tr[@class='index-row']")
    }
    assert badges == {"drafted": [], "summit": ["PSEUDO ja, ko"], "trade": ["PSEUDO ja, ko"]}
    drafted = html.fromstring((run_dir / "drafted" / "report.html").read_bytes())
    assert drafted.xpath("//div[contains(@class,'pseudo')]") == []
    assert "PSEUDO" not in drafted.xpath("//title/text()")[0]
    summit = html.fromstring((run_dir / "summit" / "report.html").read_bytes())
    assert summit.xpath("//div[@class='pseudo']/text()") == ["PSEUDO-LOCALIZED — not a translation"]
    assert "PSEUDO" in summit.xpath("//title/text()")[0]


def test_the_review_app_marks_only_the_pseudo_articles(mixed) -> None:
    out, _ = mixed
    app = create_app(Catalog.open(str(out)), token="t", port=8765, reviewer="Mina")
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    runs = html.fromstring(client.get("/").text)
    (row,) = runs.xpath(f"//tr[@data-run='{RUN_ID}']")
    assert row.xpath(".//span[contains(@class,'badge pseudo')]/text()") == ["pseudo 2/3"]
    run = html.fromstring(client.get(f"/runs/{RUN_ID}").text)
    (banner,) = run.xpath("//div[contains(@class,'pseudo')]")
    assert banner.text_content().startswith("2 of 3 articles have PSEUDO-LOCALIZED targets")
    engines = {
        r.get("data-article"): [
            (e.get("data-lang"), e.get("data-pseudo")) for e in r.xpath(".//span[@class='engine']")
        ]
        for r in run.xpath("//tr[@class='article-row']")
    }
    assert engines["drafted"] == [("ja", "0"), ("ko", "0")]
    assert engines["summit"] == [("ja", "1"), ("ko", "1")]
    drafted = html.fromstring(client.get(f"/runs/{RUN_ID}/articles/drafted").text)
    assert drafted.xpath("//div[contains(@class,'pseudo')]") == []
    summit = html.fromstring(client.get(f"/runs/{RUN_ID}/articles/summit").text)
    assert summit.xpath("//div[contains(@class,'pseudo')]")


def test_the_prefect_artifacts_mark_only_the_pseudo_articles(mixed) -> None:
    out, summary = mixed
    engines = {row["article"]: row["engine"] for row in article_rows(summary)}
    pseudo = "pseudo (PSEUDO)"
    assert engines == {"drafted": "provided", "summit": pseudo, "trade": pseudo}
    banner = run_markdown(summary, str(out / RUN_ID), None)
    assert "2 of 3 articles have PSEUDO-LOCALIZED targets" in banner
    assert "No article of this run was translated" not in banner
    index = index_markdown(summary, str(out / RUN_ID), None)
    (drafted,) = [line for line in index.splitlines() if line.startswith("| ` drafted `")]
    assert "PSEUDO" not in drafted


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_a_mixed_run_in_chromium_marks_only_its_pseudo_articles(mixed, artifacts_dir: Path) -> None:
    from browser import launch_chromium
    from test_review_app_browser import review_server

    out, _ = mixed
    with review_server(out) as url, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 700})
        page.goto(url)
        badge = page.locator(f"tr[data-run='{RUN_ID}'] .badge.pseudo")
        assert badge.inner_text() == "pseudo 2/3" and badge.is_visible()
        page.screenshot(path=str(artifacts_dir / "engine-labels-run-list.png"))

        page.get_by_role("link", name=RUN_ID, exact=True).click()
        banner = page.get_by_role("alert")
        assert banner.inner_text().startswith("2 of 3 articles have PSEUDO-LOCALIZED targets")
        drafted = page.locator("tr[data-article='drafted']")
        summit = page.locator("tr[data-article='summit']")
        assert drafted.locator(".badge.pseudo").count() == 0
        assert drafted.locator("td.engines").inner_text() == "ja provided\nko provided"
        assert summit.locator(".badge.pseudo").count() == 2
        assert summit.locator(".badge.pseudo").first.is_visible()
        page.screenshot(path=str(artifacts_dir / "engine-labels-run.png"))

        drafted.get_by_role("link", name="drafted").click()
        page.get_by_text("Ports deal signed in Busan").first.wait_for()
        assert page.locator("div.pseudo").count() == 0
        page.screenshot(path=str(artifacts_dir / "engine-labels-provided-article.png"))

        page.goto((out / RUN_ID / "report.html").as_uri())
        assert page.locator("div.pseudo").inner_text().startswith("2 of 3 articles")
        row = page.locator("tr[data-article='drafted']")
        assert row.locator(".badge.pseudo").count() == 0
        assert page.locator("tr[data-article='trade'] .badge.pseudo").inner_text() == (
            "PSEUDO ja, ko"
        )
        page.screenshot(path=str(artifacts_dir / "engine-labels-report.png"))


def test_the_run_tmx_marks_each_pseudo_unit_and_no_provided_one(mixed) -> None:
    from lxml import etree

    out, _ = mixed
    root = etree.parse(str(out / RUN_ID / "translations.tmx")).getroot()
    header = root.find("header")
    assert header.find("prop[@type='x-l10n-pseudo']") is None  # not every unit is
    assert "Units with x-l10n-pseudo are PSEUDO-LOCALIZED" in header.findtext("note")
    marked: dict[str, set[bool]] = {}
    for unit in root.iter("tu"):
        article = unit.findtext("prop[@type='x-l10n-article']")
        pseudo = unit.findtext("prop[@type='x-l10n-pseudo']") == "true"
        marked.setdefault(article, set()).add(pseudo)
    assert marked == {"drafted": {False}, "summit": {True}, "trade": {True}}


def test_importing_the_run_tmx_as_approved_takes_the_drafts_and_never_the_pseudo_units(
    mixed, tmp_path: Path
) -> None:
    from l10n.mt.memory import open_memory
    from l10n.mt.memory.tmx import import_tmx

    out, _ = mixed
    with open_memory(tmp_path / "tm.sqlite") as tm:
        result = import_tmx(
            tm, out / RUN_ID / "translations.tmx", reviewer="desk-lead", as_approved=True
        )
    assert result.approved == 6  # drafted: title and two paragraphs, in ja and ko
    refused = [r for r in result.skipped if "pseudo-localized (x-l10n-pseudo)" in r]
    assert sum(result.skipped[r] for r in refused) == 8  # summit and trade: 2 segments × 2


def test_the_terminal_review_marks_only_the_pseudo_articles(mixed) -> None:
    import io

    from rich.console import Console

    from l10n.cli.review_cmd import render_review
    from l10n.review.document import review_document
    from l10n.run.store import Run

    out, _ = mixed
    doc = review_document(Run.open(out / RUN_ID))
    assert {a["id"]: a.get("pseudo_targets", []) for a in doc["articles"]} == {
        "drafted": [],
        "summit": ["ja", "ko"],
        "trade": ["ja", "ko"],
    }
    buffer = io.StringIO()
    render_review(doc, Console(file=buffer, width=100, color_system=None))
    text = buffer.getvalue()
    assert "*** 2 of 3 articles have PSEUDO-LOCALIZED targets" in text
    drafted = text.split("━━ drafted")[1].split("━━ ")[0]
    summit = text.split("━━ summit")[1].split("━━ ")[0]
    assert "PSEUDO" not in drafted
    assert "PSEUDO-LOCALIZED — not a translation (ja, ko)" in summit
