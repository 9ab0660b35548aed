"""The translate-articles flow under Prefect's test harness: caching, re-runs, failures, resume."""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import pytest
from conftest import GLOSSARY

from l10n.flow.artifacts import code, md
from l10n.flow.runners import dask_task_runner
from l10n.flow.translate import RunFailed, translate_articles

pytestmark = pytest.mark.usefixtures("prefect_harness")

ARTICLES = {
    "summit.txt": (
        "Leaders Meet in Nara\n\n"
        "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Saturday.\n\n"
        "Takaichi said the two governments would meet again in Seoul next year."
    ),
    "ports.txt": (
        "Ports Deal Signed\n\n"
        "Officials from Tokyo and Seoul signed an agreement covering 12 ports on Monday. "
        "The deal takes effect in March."
    ),
}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def run(
    inputs: Path, out: Path, run_id: str, flow=translate_articles, glossary=GLOSSARY, **options
):
    state = flow(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(glossary),
        out=str(out),
        run_id=run_id,
        return_state=True,
        **options,
    )
    summary = json.loads((out / run_id / "run.json").read_text("utf-8"))
    return state, summary


def stored(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): p.read_text("utf-8")
        for p in sorted(run_dir.rglob("*"))
        if p.is_file() and p.suffix in {".txt", ".jsonl", ".diff"}
    }


def test_second_run_translates_nothing_and_stores_the_same(inputs, tmp_path):
    out = tmp_path / "out"
    state, first = run(inputs, out, "first")
    assert state.is_completed()
    assert first["translation"]["segments_sent_to_engine"] > 0
    assert len(first["articles"]["done"]) == 2
    state, second = run(inputs, out, "second")
    assert state.is_completed()
    assert second["translation"]["segments_sent_to_engine"] == 0
    assert (
        second["translation"]["segments_from_memory"]
        == first["translation"]["segments_sent_to_engine"]
    )
    assert stored(out / "first") == stored(out / "second")


def test_edited_glossary_reruns_only_correction(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out, "before")
    edited = tmp_path / "edited.yaml"
    text = GLOSSARY.read_text("utf-8")
    assert "targets: {ja: 奈良, ko: 나라}" in text
    edited.write_text(
        text.replace("targets: {ja: 奈良, ko: 나라}", "targets: {ja: 奈良市, ko: 나라}")
    )
    state, summary = run(inputs, out, "after", glossary=edited)
    assert state.is_completed()
    assert summary["translation"]["segments_sent_to_engine"] == 0
    assert "奈良市" in (out / "after" / "summit" / "ja.txt").read_text("utf-8")
    assert "奈良市" not in (out / "before" / "summit" / "ja.txt").read_text("utf-8")
    assert (out / "after" / "summit" / "ja.mt.txt").read_text("utf-8") == (
        out / "before" / "summit" / "ja.mt.txt"
    ).read_text("utf-8")


def test_one_bad_article_fails_alone(inputs, tmp_path):
    out = tmp_path / "out"
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "ports").write_text("a file where the article folder should go")
    state, summary = run(inputs, out, "broken")
    assert state.is_failed()
    assert "ports" in state.message
    assert [f["id"] for f in summary["articles"]["failed"]] == ["ports"]
    assert [d["id"] for d in summary["articles"]["done"]] == ["summit"]
    assert (out / "broken" / "summit" / "manifest.json").exists()


def test_resume_after_a_crash_redoes_only_unfinished_articles(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out, "resumable")
    run_dir = out / "resumable"
    # A crash between the text files and the manifest leaves a folder without manifest.
    (run_dir / "summit" / "manifest.json").unlink()
    (run_dir / "summit" / "ja.txt").write_text("torn")
    state, summary = run(inputs, out, "resumable")
    assert state.is_completed()
    done = {d["id"]: d["resumed"] for d in summary["articles"]["done"]}
    assert done == {"summit": False, "ports": True}
    assert (run_dir / "summit" / "ja.txt").read_text("utf-8") != "torn"
    assert sorted(p.name for p in run_dir.iterdir() if p.is_dir()) == ["ports", "summit"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "ko.xlf").unlink(),
        lambda folder: (folder / "ja.diff").write_text("torn"),
        lambda folder: (folder / "report.html").unlink(),
    ],
    ids=["file-missing", "file-torn", "review-page-missing"],
)
def test_an_article_counts_as_done_only_with_every_file_in_place(inputs, tmp_path, damage):
    out = tmp_path / "out"
    run(inputs, out, "whole")
    folder = out / "whole" / "summit"
    expected = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "manifest.json"}
    damage(folder)
    stale = folder / ".ja.txt.abc123xyz.tmp"
    stale.write_text("left by a killed writer")
    state, summary = run(inputs, out, "whole")
    assert state.is_completed()
    done = {d["id"]: d["resumed"] for d in summary["articles"]["done"]}
    assert done == {"summit": False, "ports": True}
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "manifest.json"} == (
        expected
    )
    assert not stale.exists()


def test_dask_local_cluster_gives_the_same_outputs(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out, "threads", memory=str(tmp_path / "tm-a.sqlite"))
    on_dask = translate_articles.with_options(task_runner=dask_task_runner(None, workers=2))
    state, summary = run(inputs, out, "dask", flow=on_dask, memory=str(tmp_path / "tm-b.sqlite"))
    assert state.is_completed()
    assert summary["translation"]["segments_sent_to_engine"] > 0
    assert stored(out / "threads") == stored(out / "dask")


def test_pseudo_output_is_labelled_everywhere(inputs, tmp_path):
    out = tmp_path / "out"
    _, summary = run(inputs, out, "labelled")
    assert summary["engine"]["name"] == "pseudo" and summary["engine"]["pseudo"] is True
    assert summary["engine"]["packages"] == []
    folder = out / "labelled" / "summit"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["pseudo"] is True and manifest["engine"]["pseudo"] is True
    for name in ("ja.txt", "ja.mt.txt", "ko.txt", "ko.mt.txt"):
        assert (folder / name).read_text("utf-8").startswith("# PSEUDO-LOCALIZED")
    assert "PSEUDO-LOCALIZED" in (out / "labelled" / "report.html").read_text("utf-8")


def test_inputs_are_left_untouched(inputs, tmp_path):
    before = {p.name: p.read_bytes() for p in inputs.iterdir()}
    run(inputs, tmp_path / "out", "untouched")
    assert {p.name: p.read_bytes() for p in inputs.iterdir()} == before


def test_run_goes_to_an_fsspec_url(inputs, tmp_path):
    import fsspec

    state = translate_articles(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out="memory://l10n-out",
        run_id="remote",
        return_state=True,
    )
    assert state.is_completed()
    fs = fsspec.filesystem("memory")
    summary = json.loads(fs.cat("/l10n-out/remote/run.json"))
    assert {d["id"] for d in summary["articles"]["done"]} == {"summit", "ports"}
    assert fs.exists("/l10n-out/remote/summit/ja.txt")


def flow_artifacts(flow_run_id) -> list:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])
                )
            )

    return asyncio.run(read())


def test_artifacts_show_each_article_and_the_run(inputs, tmp_path, monkeypatch):
    monkeypatch.delenv("L10N_REVIEW_URL", raising=False)
    state, _ = run(inputs, tmp_path / "out", "artifacts")
    found = flow_artifacts(state.state_details.flow_run_id)
    keyed = {a.key: a for a in found if a.key}
    per_article = {f"article-{i}-{lang}" for i in ("summit", "ports") for lang in ("ja", "ko")}
    assert set(keyed) == {"translated-articles", "translated-articles-details", "run-summary"} | (
        per_article
    )
    assert not [a for a in found if a.key is None]  # no untitled cards
    table = json.loads(keyed["translated-articles"].data)
    assert {row["article"] for row in table} == {"summit", "ports"}
    assert {row["engine"] for row in table} == {"pseudo (PSEUDO)"}
    assert list(table[0]) == ["article", "status", "engine", "names fixed", "flags"]
    summary = keyed["run-summary"].data
    assert "file://" not in summary and "PSEUDO-LOCALIZED" in summary
    assert "No article of this run was translated" in summary
    assert code(f"l10n review serve {tmp_path / 'out' / 'artifacts'}") in summary
    assert "Leaders Meet in Nara" in keyed["article-summit-ja"].description
    summit = keyed["article-summit-ja"].data + keyed["article-summit-ko"].data
    # The source sentence, the MT as sent back and the corrected text, changes marked.
    assert md("Prime Minister Sanae Takaichi welcomed President Lee Jae Myung") in summit
    assert "**高市早苗**" in summit and "**이재명**" in summit
    assert "- MT:" in summit and "- corrected:" in summit


def test_per_article_artifacts_stop_at_the_limit_and_the_table_lists_every_article(
    inputs, tmp_path, monkeypatch
):
    import l10n.flow.translate as flow_module

    monkeypatch.setattr(flow_module, "PER_ARTICLE_ARTIFACTS_LIMIT", 1)
    state, summary = run(inputs, tmp_path / "out", "limited")
    assert len(summary["articles"]["done"]) == 2 and state.is_completed()
    found = flow_artifacts(state.state_details.flow_run_id)
    table = json.loads(next(a for a in found if a.key == "translated-articles").data)
    assert {row["article"] for row in table} == {"summit", "ports"}
    per_article = {
        str(a.key) for a in found if str(a.key).startswith("article-") and a.key != "article-index"
    }
    # two input articles, a limit of one: no article gets its own, the index lists both
    assert per_article == set()
    index = next(a for a in found if a.key == "article-index").data
    assert "summit" in index and "ports" in index
    summary_page = next(a for a in found if a.key == "run-summary").data
    assert "`article-index` artifact" in summary_page


def test_review_app_link_only_while_the_app_answers(inputs, tmp_path, monkeypatch):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class App(BaseHTTPRequestHandler):
        """Stands in for `l10n review serve` on a folder with the run "with-app" only."""

        def do_GET(self):
            self.send_response(200 if self.path == "/runs/with-app" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        monkeypatch.setenv("L10N_REVIEW_URL", url)
        state, _ = run(inputs, tmp_path / "out", "with-app")
        found = {a.key: a for a in flow_artifacts(state.state_details.flow_run_id) if a.key}
        page = f"{url}runs/with-app"
        # Prefect 3 stores a link artifact as markdown: [text](link).
        assert found["review-app"].data == f"[Review run with-app in the review app]({page})"
        assert f"]({page})" in found["run-summary"].data
        # An app that does not serve this run gets no link either.
        state, _ = run(inputs, tmp_path / "out", "not-served")
        found = {a.key: a for a in flow_artifacts(state.state_details.flow_run_id) if a.key}
        assert "review-app" not in found
    finally:
        server.shutdown()
        server.server_close()
    # The app stopped: the same setting gives no link rather than a dead one.
    state, _ = run(inputs, tmp_path / "out", "app-gone")
    found = {a.key: a for a in flow_artifacts(state.state_details.flow_run_id) if a.key}
    assert "review-app" not in found
    assert "l10n review serve" in found["run-summary"].data


def test_the_prefect_run_is_named_after_the_run_id(inputs, tmp_path):
    from prefect.client.orchestration import get_client

    state, _ = run(inputs, tmp_path / "out", "named-run")
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(state.state_details.flow_run_id).name == "named-run"
    out = tmp_path / "unnamed"
    state = translate_articles(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=str(out),
        return_state=True,
    )
    assert state.is_completed()
    (folder,) = [p.name for p in out.iterdir() if (p / "run.json").exists()]
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(state.state_details.flow_run_id).name == folder


def flow_run_logs(flow_run_id) -> list:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()

    async def read():
        async with get_client() as client:
            return await client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
            )

    for _ in range(30):  # the API writes logs in the background; wait for the last one
        logs = asyncio.run(read())
        if any(log.message.startswith("Finished in state") for log in logs):
            return logs
        time.sleep(1)
    return logs


def run_as_a_deployment_would(**parameters):
    """The way `l10n serve` and workers execute a run: Prefect's engine with its error logger."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import flow_run_logger, run_flow

    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(translate_articles, parameters=parameters)
    try:
        run_flow(translate_articles, flow_run=flow_run, error_logger=flow_run_logger(flow_run))
    except Exception as exc:  # the engine raises the failed state's exception, as in serve
        raised = exc
    else:
        raised = None
    with get_client(sync_client=True) as client:
        finished = client.read_flow_run(flow_run.id)
    return finished, raised


def test_a_failed_run_logs_one_clear_message_and_no_internal_error(inputs, tmp_path):
    out = tmp_path / "out"
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "ports").write_text("a file where the article folder should go")
    finished, raised = run_as_a_deployment_would(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=str(out),
        run_id="broken",
    )
    assert finished.state.type.value == "FAILED"
    assert finished.state.message.startswith("1 of 2 article(s) failed — ports: ")
    assert isinstance(raised, RunFailed) and raised.summary.failed[0].id == "ports"
    logs = flow_run_logs(finished.id)
    text = "\n".join(log.message for log in logs)
    assert "cannot be resolved into an exception" not in text
    assert "Traceback" not in text and "unexpected exception" not in text
    errors = [log.message for log in logs if log.level >= 40]
    assert len(errors) == 1 and errors[0].startswith("run failed (at ")
    assert errors[0].endswith(f"): {finished.state.message}")
    # The reason is the first line of the run's log, so the UI's first view shows it.
    assert min(logs, key=lambda log: log.timestamp).message == errors[0]


def test_the_cli_reads_the_summary_of_a_failed_run_from_its_state(inputs, tmp_path):
    out = tmp_path / "out"
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "summit").write_text("in the way")
    state, _ = run(inputs, out, "broken")
    assert state.is_failed()
    result = state.result(raise_on_failure=False)
    assert isinstance(result, RunFailed)
    assert [o.id for o in result.summary.done] == ["ports"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "no input: give files, folders or links, or paste an article"),
        (
            {"inputs": ["/nowhere/story.txt"]},
            "no input: every input failed (1) — /nowhere/story.txt",
        ),
        ({"inputs": ["EMPTY"]}, "no input: no article found in the inputs given"),
    ],
    ids=["nothing-given", "every-input-failed", "empty-folder"],
)
def test_a_run_without_any_article_fails_with_no_input(tmp_path, given, message):
    empty = tmp_path / "empty"
    empty.mkdir()
    given = {k: [str(empty) if v == "EMPTY" else v for v in vs] for k, vs in given.items()}
    state = translate_articles(
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=str(tmp_path / "out"),
        run_id="none",
        return_state=True,
        **given,
    )
    assert state.is_failed()
    assert state.message.startswith(message)
    assert state.result(raise_on_failure=False).summary.outcomes == []


def test_a_bad_setting_stops_the_run_with_its_own_message(inputs, tmp_path):
    state = translate_articles(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(tmp_path / "missing.yaml"),
        out=str(tmp_path / "out"),
        run_id="bad-glossary",
        return_state=True,
    )
    assert state.is_failed()
    assert "missing.yaml" in state.message
    result = state.result(raise_on_failure=False)
    assert isinstance(result, RunFailed) and result.summary is None


def test_a_failing_model_call_fails_only_the_articles_it_held(inputs, tmp_path, monkeypatch):
    import l10n.flow.translate as flow_module
    from l10n.mt.engines.pseudo import PseudoEngine

    class BrokenOnPorts(PseudoEngine):
        def translate_batch(self, texts, source, target):
            if any("ports" in text for text in texts):
                raise RuntimeError("model crashed")
            return super().translate_batch(texts, source, target)

    monkeypatch.setattr(flow_module, "engine_from_spec", lambda spec: BrokenOnPorts())
    # One segment per chunk, so the broken segments cannot drag the other article down.
    import l10n.pipeline.steps as steps

    monkeypatch.setattr(
        steps, "prepare_translation", functools.partial(steps.prepare_translation, chunk_size=1)
    )
    state, summary = run(inputs, tmp_path / "out", "broken-model")
    assert state.is_failed()
    [failed] = summary["articles"]["failed"]
    assert failed["id"] == "ports" and "model crashed" in failed["reason"]
    assert [d["id"] for d in summary["articles"]["done"]] == ["summit"]
    assert not (tmp_path / "out" / "broken-model" / "ports").exists()


def test_article_artifact_marks_changes_and_stays_bounded():
    from markdown_it import MarkdownIt

    from l10n.flow.artifacts import MAX_ARTICLE_CHARS, article_markdown, marked_pair
    from l10n.models import (
        Article,
        ArticlePlan,
        LanguageGuess,
        Segment,
        TranslatedArticle,
        Translation,
    )

    old, new = marked_pair("タカイチ・サナエ首相は東京へ", "高市早苗首相は東京へ")
    assert old == "~~タカイチ・サナエ~~首相は東京へ" and new == "**高市早苗**首相は東京へ"
    html = MarkdownIt("commonmark").enable("strikethrough").render(f"{old}\n\n{new}")
    assert "<s>タカイチ・サナエ</s>" in html and "<strong>高市早苗</strong>" in html

    rendered = MarkdownIt("commonmark").render(code("a `tick` [x](javascript:1) <b>"))
    assert "<a " not in rendered and "<b>" not in rendered and "`tick`" in rendered

    sentence = "Officials in Tokyo and Seoul met again on Monday to talk about trade. " * 3
    segments = [Segment("long", i, i, sentence) for i in range(400)]
    plan = ArticlePlan(
        Article("long", "", [sentence] * 400, "in.txt"),
        LanguageGuess("en", 1.0),
        segments=segments,
        actions={"ja": "translate", "en": "copy"},
    )
    rows = [Translation(i, "ja", "トーキョー", "東京") for i in range(400)]
    copies = [Translation(i, "en", sentence, sentence, origin="copy") for i in range(400)]
    text = article_markdown(
        TranslatedArticle(plan, {"ja": rows, "en": copies}), engine="fake", pseudo=False
    )
    assert len(text) <= MAX_ARTICLE_CHARS + 200
    assert "more segment(s): see the review app or the report" in text
    assert "copied as it is" in text.split("## English")[1]


def test_the_form_chooses_an_engine_per_target_language(inputs, tmp_path):
    state, summary = run(inputs, tmp_path / "out", "per-target", engine_ko="quickmt")
    assert [e["name"] for e in summary["engines"]] == ["pseudo", "quickmt"]
    # no quickmt model is registered here: en→ko fails its articles, naming the fix
    reasons = {a["reason"] for a in summary["articles"]["failed"]}
    assert len(summary["articles"]["failed"]) == 2 and len(reasons) == 1
    assert "no quickmt model for en→ko" in reasons.pop()
    assert not state.is_completed()
