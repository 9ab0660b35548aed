"""The translate-articles flow under Prefect's test harness: caching, re-runs, failures, resume."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from conftest import GLOSSARY

from flows.runners import dask_task_runner
from flows.translate_articles import translate_articles

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


def test_artifacts_describe_the_run(inputs, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    state = translate_articles(
        inputs=[str(inputs)],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=str(tmp_path / "out"),
        run_id="artifacts",
        return_state=True,
    )

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
                )
            )

    found = {a.key: a for a in asyncio.run(artifacts())}
    assert set(found) == {"translated-articles", "glossary-corrections"}
    table = json.loads(found["translated-articles"].data)
    assert {row["article"] for row in table} == {"summit", "ports"}
    assert "高市早苗" in found["glossary-corrections"].data


def test_a_failing_model_call_fails_only_the_articles_it_held(inputs, tmp_path, monkeypatch):
    import flows.translate_articles as flow_module
    from l10n.mt.engines.pseudo import PseudoEngine

    class BrokenOnPorts(PseudoEngine):
        def translate_batch(self, texts, source, target):
            if any("ports" in text for text in texts):
                raise RuntimeError("model crashed")
            return super().translate_batch(texts, source, target)

    monkeypatch.setattr(flow_module, "engine_from_spec", lambda spec: BrokenOnPorts())
    # One segment per chunk, so the broken segments cannot drag the other article down.
    monkeypatch.setattr(
        flow_module,
        "prepare_translation",
        functools.partial(flow_module.prepare_translation, chunk_size=1),
    )
    state, summary = run(inputs, tmp_path / "out", "broken-model")
    assert state.is_failed()
    [failed] = summary["articles"]["failed"]
    assert failed["id"] == "ports" and "model crashed" in failed["reason"]
    assert [d["id"] for d in summary["articles"]["done"]] == ["summit"]
    assert not (tmp_path / "out" / "broken-model" / "ports").exists()
