"""<lang>.ninjs.json follows review decisions made in the review app, under the publish rule:
the approved text only when every segment is approved, else a withheld draft."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from test_ninjs import schema_errors
from test_ninjs_inline import ITEM, words  # noqa: F401 (the fixture)

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from l10n.review.app import Catalog, create_app
from l10n.run.store import Run

PORT = 8766  # never bound: TestClient talks to the app in process
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "ninjs-token"


@pytest.fixture
def stored(tmp_path: Path, words: None) -> Iterator[tuple[Path, str]]:  # noqa: F811
    from l10n.pipeline import RunOptions, translate_run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "lindau.json").write_text(json.dumps(ITEM), "utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="words",
            out=str(tmp_path / "out"),
            run_id="desk",
        )
    )
    [done] = summary.done
    yield tmp_path / "out", done.id


def _item(out: Path, article: str) -> dict[str, Any]:
    item = json.loads((out / "desk" / article / "ja.ninjs.json").read_text("utf-8"))
    assert schema_errors(item, "3") == []
    return item


def _segments(out: Path, article: str) -> list[dict[str, Any]]:
    return Run.open(out / "desk").read_segment_rows(article) or []  # with its decision log


def _decide(client: TestClient, article: str, segment: int, action: str, text: str) -> None:
    body = {
        "run": "desk",
        "article": article,
        "segment": segment,
        "lang": "ja",
        "action": action,
        "text": text,
        "comment": "",
        "reviewer": "Mina Park",
    }
    headers = {"content-type": "application/json", "x-l10n-token": TOKEN, "origin": BASE}
    answer = client.post("/api/decision", content=json.dumps(body), headers=headers)
    assert answer.status_code == 200, answer.text


def _published_body(item: dict[str, Any]) -> str | None:
    """The body an item offers for publication, None when it is withheld."""
    if item.get("pubStatus") != "usable":
        return None
    body = lxml_html.fragment_fromstring(item["bodies"][0]["value"], create_parent="div")
    return f"{item['headlines'][0]['value']}\n{body.text_content()}"


def test_a_decision_in_the_app_changes_the_stored_ninjs(stored: tuple[Path, str]) -> None:
    out, article = stored
    client = TestClient(
        create_app(Catalog.open(str(out)), token=TOKEN, port=PORT, reviewer="Mina Park"),
        base_url=BASE,
    )
    before = _item(out, article)
    assert before["pubStatus"] == "usable"
    assert "not reviewed yet" in before["edNote"]
    rows = _segments(out, article)
    rejected = rows[3]["targets"]["ja"]["final"]
    assert rejected in before["bodies"][0]["value"]

    _decide(client, article, 3, "reject", rejected)
    draft = _item(out, article)
    assert draft["pubStatus"] == "withheld"
    assert "publishable: no (approved 0/" in draft["edNote"]
    assert f"[REJECTED] {rejected}" in draft["bodies"][0]["value"]
    assert "[NOT REVIEWED]" in draft["headlines"][0]["value"]
    assert _published_body(draft) is None

    for row in rows:
        if row["index"] != 3:
            _decide(client, article, row["index"], "approve", row["targets"]["ja"]["final"])
    still = _item(out, article)
    assert still["pubStatus"] == "withheld", "one rejected segment keeps the item a draft"
    assert "rejected 1" in still["edNote"]

    _decide(client, article, 3, "approve", "第二 の 港 も 開いた。")
    published = _item(out, article)
    body = _published_body(published)
    assert body is not None and "publishable: yes" in published["edNote"]
    assert "第二 の 港 も 開いた。" in body and rejected not in body
    assert "[" not in body
    # The markup still stands around the approved text.
    assert published["bodies"][0]["value"].count("<p>") == 3

    _decide(client, article, 2, "reject", rows[2]["targets"]["ja"]["final"])
    again = _item(out, article)
    assert again["pubStatus"] == "withheld" and _published_body(again) is None


def test_glossary_reapply_keeps_the_ninjs_and_renders_it_again(stored: tuple[Path, str]) -> None:
    from l10n.glossary import glossary_from_text
    from l10n.review.reapply import reapply_run
    from l10n.run.store import Run

    out, article = stored
    glossary = glossary_from_text(
        "version: 1\nsource_language: en\nentries:\n"
        "  - id: lindau\n    type: place\n    source: Lindau\n    targets: {ja: リンダウ市}\n"
        "    variants: {ja: [リンダウ]}\n"
    )
    run = Run.open(out / "desk")
    reapply_run(run, glossary)
    files = run.read_manifest(article)["files"]
    assert {"source.ninjs.json", "ja.ninjs.json"} <= set(files)
    item = _item(out, article)
    assert "リンダウ市" in item["headlines"][0]["value"]


def test_an_exported_plain_item_in_the_run_follows_a_decision(
    tmp_path: Path,
    words: None,  # noqa: F811
) -> None:
    from l10n.newsroom.ninjs import export_ninjs
    from l10n.pipeline import RunOptions, translate_run
    from l10n.review.decisions import Decision, save_decisions
    from l10n.run.store import Run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "harbour.txt").write_text(
        "Lindau opens a new harbour\n\nThe harbour cost 12 million euros.\n", "utf-8"
    )
    translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="words",
            out=str(tmp_path / "out"),
            run_id="plain",
        )
    )
    run = Run.open(tmp_path / "out" / "plain")
    export_ninjs(run)
    path = tmp_path / "out" / "plain" / "harbour" / "ja.ninjs.json"
    before = json.loads(path.read_text("utf-8"))
    assert "not reviewed yet" in before["edNote"] and "pubStatus" not in before
    save_decisions(run, "harbour", [Decision(1, "ja", "rejected", "Mina Park")])
    item = json.loads(path.read_text("utf-8"))
    assert schema_errors(item, "3") == []
    assert item["pubStatus"] == "withheld"
    assert item["bodies"][0]["value"].startswith("[REJECTED] ")
    assert "publishable: no (approved 0/2, rejected 1)" in item["edNote"]
