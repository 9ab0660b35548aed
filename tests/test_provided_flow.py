"""Runs with articles that brought their own translations, through the Prefect flow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, GLOSSARY

from l10n.flow.translate import translate_articles

pytestmark = pytest.mark.usefixtures("prefect_harness")

PROVIDED = {"draft-lee-tokyo-visit", "draft-xi-trade-ministers", "ports-agreement"}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("mt-drafts.jsonl", "ports-agreement.xlf", "nara-summit.txt"):
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def run(inputs: Path, out: Path, run_id: str, engine: str):
    state = translate_articles(
        inputs=[str(inputs)],
        engine=engine,
        glossary=str(GLOSSARY),
        out=str(out),
        run_id=run_id,
        return_state=True,
    )
    return state, json.loads((out / run_id / "run.json").read_text("utf-8"))


def test_provided_articles_are_checked_without_a_model(inputs, tmp_path):
    # No Argos package in the test sandbox: the plain article fails, the drafts do not.
    out = tmp_path / "out"
    state, summary = run(inputs, out, "drafts", "argos")
    assert state.is_failed() and "nara-summit" in state.message
    done = {d["id"]: d for d in summary["articles"]["done"]}
    assert set(done) == PROVIDED
    assert {d["engine"] for d in done.values()} == {"provided"}
    [failed] = summary["articles"]["failed"]
    assert failed["id"] == "nara-summit"
    assert failed["reason"].startswith("no Argos package for en→ja, en→ko")
    assert "— run `l10n models install ja ko` (offline:" in failed["reason"]
    assert "--file translate-en_ja-1_1.argosmodel --file translate-en_ko-1_1" in failed["reason"]
    assert "`--engine pseudo`" in failed["reason"]
    assert summary["warnings"] == []
    assert summary["translation"]["segments_sent_to_engine"] == 0
    assert summary["translation"]["segments_provided"] == 2 * (4 + 4 + 5)

    folder = out / "drafts" / "draft-lee-tokyo-visit"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["engine"]["name"] == "provided" and manifest["pseudo"] is False
    assert manifest["targets"]["ko"]["changes"] > 0
    rows = [json.loads(line) for line in (folder / "segments.jsonl").read_text().splitlines()]
    assert {row["targets"]["ko"]["origin"] for row in rows} == {"provided"}
    ko = (folder / "ko.txt").read_text("utf-8")
    assert not ko.startswith("# PSEUDO") and "도쿄로 향한다" in ko and "동경" not in ko
    assert "동경으로 향한다" in (folder / "ko.mt.txt").read_text("utf-8")


def test_a_run_of_provided_articles_only_needs_no_engine(tmp_path):
    out = tmp_path / "out"
    state = translate_articles(
        inputs=[str(EXAMPLES / "mt-drafts.jsonl")],
        engine="auto",  # would look for, download or fall back to a model if one were needed
        glossary=str(GLOSSARY),
        out=str(out),
        run_id="only-drafts",
        return_state=True,
    )
    assert state.is_completed()
    summary = json.loads((out / "only-drafts" / "run.json").read_text("utf-8"))
    assert summary["engine"]["name"] == "provided" and summary["engine"]["pseudo"] is False
    assert summary["warnings"] == []


def test_resume_redoes_an_article_whose_translation_changed(inputs, tmp_path):
    out = tmp_path / "out"
    run(inputs, out, "resume", "pseudo")
    drafts = inputs / "mt-drafts.jsonl"
    lines = drafts.read_text("utf-8").splitlines()
    record = json.loads(lines[1])
    record["translations"]["ko"] = record["translations"]["ko"].replace("습근평", "시진핑")
    drafts.write_text("\n".join([lines[0], json.dumps(record, ensure_ascii=False)]) + "\n")
    state, summary = run(inputs, out, "resume", "pseudo")
    assert state.is_completed()
    resumed = {d["id"]: d["resumed"] for d in summary["articles"]["done"]}
    assert resumed == {
        "draft-lee-tokyo-visit": True,
        "draft-xi-trade-ministers": False,
        "ports-agreement": True,
        "nara-summit": True,
    }
    mt = (out / "resume" / "draft-xi-trade-ministers" / "ko.mt.txt").read_text("utf-8")
    assert "습근평" not in mt.split("\n\n", 2)[1]


def test_translations_for_some_targets_only_are_named_in_one_warning(tmp_path):
    drafts = tmp_path / "in" / "drafts.jsonl"
    drafts.parent.mkdir()
    records = [
        {
            "id": f"ja-only-{n}",
            "title": "Talks in Seoul",
            "body": f"Officials met in Seoul on day {n}.",
            "translations": {"ja": f"ソウルで協議\n\n当局者は{n}日目にソウルで会った。"},
        }
        for n in range(7)
    ]
    drafts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    state, summary = run(drafts.parent, tmp_path / "out", "partly", "pseudo")
    assert state.is_completed()
    assert {d["engine"] for d in summary["articles"]["done"]} == {"pseudo"}
    [warning] = [w for w in summary["warnings"] if "some target languages" in w]
    assert warning.startswith("7 article(s) brought translations for some target languages")
    assert "ja-only-0, ja-only-1, ja-only-2, ja-only-3, ja-only-4 and 2 more" in warning
    assert "the pseudo engine translated them instead" in warning
