"""RSS/Atom feeds as inputs, served on 127.0.0.1: full text used, links fetched safely."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from feed_server import FULL_TEXT, Site
from prefect_api import api

from l10n.articles.boilerplate import default_rules
from l10n.articles.feeds import parse_feed
from l10n.articles.read import read_inputs
from l10n.pipeline import RunOptions, translate_run
from l10n.server.local import ServerState


@pytest.fixture
def site() -> Iterator[Site]:
    found = Site()
    found.items = [
        {"title": "Ferry timetable changes", "path": "/news/ferry-timetable", "guid": "ex-1",
         "summary": "More crossings from April."},
        {"title": "Pier opens", "path": "/news/pier-opens", "guid": "ex-2", "full": FULL_TEXT},
    ]  # fmt: skip
    yield found
    found.close()


def test_entries_are_read_with_their_guid_link_and_full_text(site: Site):
    body = rss_body(site)
    entries = parse_feed(body, site.feed)
    assert [e.key for e in entries] == ["ex-2", "ex-1"]  # oldest first: the feed's last
    by_key = {e.key: e for e in entries}
    assert (
        by_key["ex-1"].html is None and by_key["ex-1"].link == f"{site.base}/news/ferry-timetable"
    )
    assert by_key["ex-2"].html == FULL_TEXT
    assert by_key["ex-2"].language == "en"


def rss_body(site: Site) -> bytes:
    return httpx.get(site.feed).content


def test_a_feed_is_refused_on_a_private_address_unless_allowed(site: Site):
    refused = read_inputs([site.feed], default_rules())
    assert not refused.articles
    [error] = refused.errors
    assert "--allow-private-urls" in error.message
    allowed = read_inputs([site.feed], default_rules(), allow_private_urls=True)
    assert not allowed.errors
    titles = sorted(a.title for a in allowed.articles)
    assert titles == ["Ferry timetable", "Pier opens"]  # the page's own headline, the entry's
    assert site.page_requests == ["/news/ferry-timetable"]  # the full-text entry is not fetched
    fetched = next(a for a in allowed.articles if a.ninjs is None)
    assert any("three crossings a day" in p for p in fetched.paragraphs)
    assert not any("Copyright Example Town" in p for p in fetched.paragraphs)


def test_a_feed_translates_into_a_run_with_ninjs_for_full_text_entries(site: Site, tmp_path):
    summary = translate_run(
        RunOptions(
            inputs=[site.feed],
            targets=["ja"],
            engine="pseudo",
            out=str(tmp_path),
            run_id="feed",
            allow_private_urls=True,
        )
    )
    assert len(summary.done) == 2 and not summary.input_errors
    [item_file] = (tmp_path / "feed").glob("*/ja.ninjs.json")
    item = json.loads(item_file.read_text("utf-8"))
    assert item["uri"].startswith("ex-2") and item["language"] == "ja"
    assert item["bodies"][0]["value"].count("<p>") == 2
    # pseudo-localization changes every letter, so the link's text cannot be found: the
    # editor is told, rather than the link being put somewhere by guesswork.
    assert "<a>the town page</a>" in item["edNote"] and "<em>Lindau</em>" in item["edNote"]


L10N = str(Path(sys.executable).with_name("l10n"))
ROOT = Path(__file__).resolve().parent.parent


def _watch_runs(server: ServerState, name: str) -> list[dict]:
    with closing(api(server)) as client:  # the server asks for its secret and a CSRF token
        found = client.get(f"/deployments/name/watch-sources/{name}")
        assert found.status_code in (200, 404), found.text
        if found.status_code != 200:
            return []
        runs = client.post(
            "/flow_runs/filter",
            json={"flow_runs": {"deployment_id": {"any_": [found.json()["id"]]}}},
        )
        runs.raise_for_status()
    return [r for r in runs.json() if r["state"] and r["state"]["type"] == "COMPLETED"]


def _articles_by_run(out: Path) -> dict[str, list[str]]:
    return {
        run.name: sorted(p.parent.name for p in run.glob("*/manifest.json"))
        for run in out.iterdir()
        if run.is_dir() and not run.name.startswith(".")
    }


def _wait(what: str, check, timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}\n{log.read_text('utf-8', 'replace')[-3000:]}")


@pytest.mark.slow
def test_a_watched_feed_translates_each_new_item_exactly_once(local_server, site, tmp_path):
    """`l10n serve --watch FEED --every 10s` on a real Prefect server: scheduled looks, each
    entry translated once, a new entry picked up by a later look, nothing translated twice."""
    out = tmp_path / "out"
    log = tmp_path / "serve.log"
    env = dict(
        os.environ,
        PREFECT_API_URL=local_server.api_url,
        PREFECT_RUNNER_POLL_FREQUENCY="2",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    args = [L10N, "serve", "--name", "feedtest", "--engine", "pseudo", "--out", str(out)]
    args += ["--watch", site.feed, "--every", "10s", "--allow-private-urls"]
    with log.open("wb") as sink:
        serve = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait(
            "the first look to translate both entries",
            lambda: out.exists() and sum(map(len, _articles_by_run(out).values())) == 2,
            240,
            log,
        )
        looks = len(_watch_runs(local_server, "feedtest-watch"))
        site.items.append(
            {"title": "Harbour festival", "path": "/news/harbour-festival", "guid": "ex-3",
             "full": "<p>The harbour festival returns in July with boat races.</p>"}
        )  # fmt: skip
        _wait(
            "a later look to translate the new entry",
            lambda: sum(map(len, _articles_by_run(out).values())) == 3,
            240,
            log,
        )
        _wait(
            "two more looks after it",
            lambda: len(_watch_runs(local_server, "feedtest-watch")) >= looks + 3,
            240,
            log,
        )
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    by_run = _articles_by_run(out)
    every = [a for articles in by_run.values() for a in articles]
    assert len(every) == len(set(every)) == 3, by_run  # each entry in exactly one run
    assert len(by_run) == 2  # looks that found nothing new wrote no run
    assert site.page_requests == ["/news/ferry-timetable"]  # the linked page, fetched once
    state = json.loads((out / ".l10n-watch" / "feedtest-watch.json").read_text("utf-8"))
    assert {k: v["status"] for k, v in state["seen"].items()} == {
        "ex-1": "done",
        "ex-2": "done",
        "ex-3": "done",
    }


def test_the_automation_definitions_are_valid_prefect_automations():
    import yaml
    from prefect.events.schemas.automations import AutomationCore

    data = yaml.safe_load((ROOT / "automations" / "l10n.yaml").read_text("utf-8"))
    automations = [AutomationCore.model_validate(a) for a in data["automations"]]
    expects = [sorted(a.trigger.expect) for a in automations]  # type: ignore[union-attr]
    assert expects == [
        ["prefect.flow-run.Crashed", "prefect.flow-run.Failed"],
        ["l10n.run.unresolved-names"],
    ]
    broken = {**data["automations"][0], "trigger": {"type": "event", "posture": "Sideways"}}
    with pytest.raises(ValueError):
        AutomationCore.model_validate(broken)


def test_the_unresolved_names_event_names_the_run_and_its_names():
    from l10n.flow.events import unresolved_names
    from l10n.models import Action, ArticleOutcome, Status, TargetSummary
    from l10n.run.summary import RunSummary

    summary = RunSummary("wire-1", "2026-03-01T09:00:00Z", ["ja"], [], {})
    target = TargetSummary(Action.TRANSLATE, "ja.mt.txt", "ja.txt", unresolved=["Anna Berger"])
    summary.outcomes = [
        ArticleOutcome("a", "a.json", Status.DONE, targets={"ja": target}),
        ArticleOutcome("b", "b.json", Status.FAILED, targets={"ja": target}),
    ]
    assert unresolved_names(summary) == ["Anna Berger"]
    summary.outcomes = summary.outcomes[1:]
    assert unresolved_names(summary) == []


def test_a_watched_folder_yields_each_item_once_and_a_new_version_again(tmp_path: Path):
    from ninjs_items import PICTURE_ITEM, V2_ITEM, V3_ITEM

    from l10n.newsroom.watch import WatchError, look, parse_every, remember

    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(V3_ITEM), "utf-8")
    wire = "\n".join(json.dumps(i) for i in (V2_ITEM, PICTURE_ITEM))
    (folder / "wire.jsonl").write_text(wire + "\n", "utf-8")
    (folder / "note.txt").write_text("Harbour news\n\nThe pier opens on Monday.\n", "utf-8")
    seen: dict = {}
    first = look([str(folder)], seen, tmp_path / "staged", allow_private=False)
    keys = sorted(i.key for i in first.items)
    assert keys[1:] == [
        "http://news.example.org/items/2026/lindau-hafen-2",
        "urn:example:no:2026:ferje-1",
        "urn:newsml:example.org:20260301:lindau-photo",
    ]
    assert keys[0].startswith(f"file:{folder.resolve() / 'note.txt'}:")
    summary = translate_run(
        RunOptions(
            inputs=[i.input for i in first.items],
            targets=["ja"],
            engine="pseudo",
            out=str(tmp_path / "out"),
            run_id="look-1",
        )
    )
    counts = remember(seen, first.items, summary, "2026-03-01T09:00:00Z")
    assert counts == {"done": 3, "refused": 1, "retry": 0}  # the picture: no text, not retried
    picture = seen["urn:newsml:example.org:20260301:lindau-photo"]
    assert picture["status"] == "refused" and "no text to translate" in picture["reason"]
    assert look([str(folder)], seen, tmp_path / "staged", allow_private=False).items == []
    (folder / "a.json").write_text(json.dumps({**V3_ITEM, "version": "2"}), "utf-8")
    [again] = look([str(folder)], seen, tmp_path / "staged", allow_private=False).items
    assert again.key == "urn:example:no:2026:ferje-1@2"
    assert parse_every("10m") == 600 and parse_every("2h") == 7200
    with pytest.raises(WatchError, match="30s, 10m"):
        parse_every("ten minutes")


def test_serve_refuses_a_bad_interval_before_starting_anything():
    from click.testing import CliRunner

    from l10n.cli import main

    result = CliRunner().invoke(main, ["serve", "--watch", "/srv/drop", "--every", "soon"])
    assert result.exit_code == 2
    assert "'soon' is not an interval — write it like 30s, 10m, 2h or 1d" in result.output


def test_a_link_that_could_not_be_fetched_is_tried_again_a_file_that_cannot_be_read_is_not():
    from l10n.newsroom.watch import NewItem, remember
    from l10n.run.summary import RunSummary

    summary = RunSummary("look-2", "2026-03-01T09:00:00Z", ["ja"], [], {})
    summary.input_errors = [
        {"path": "https://news.example/a", "line": None, "message": "HTTP 503 — retry"},
        {"path": "/drop/photo.json", "line": None, "message": "no text to translate"},
    ]
    items = [
        NewItem("guid-a", "https://news.example/a", "feed"),
        NewItem("urn:photo", "/drop/photo.json", "/drop"),
    ]
    seen: dict = {}
    assert remember(seen, items, summary, "now") == {"done": 0, "refused": 1, "retry": 1}
    assert list(seen) == ["urn:photo"]
