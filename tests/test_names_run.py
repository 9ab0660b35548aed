"""The run-level names pass on the written evaluation set, through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n.glossary import apply_changes, load_glossary
from l10n.models import FlagCode
from l10n.names.consistency import NameIndex, Occurrence
from l10n.pipeline import RunOptions, translate_run
from l10n.review.files import rebuild_review_files
from l10n.review.reapply import reapply_run
from l10n.run.store import Run

EVAL = Path("evaluation/names")
LABELS = json.loads((EVAL / "labels.json").read_text(encoding="utf-8"))
GLOSSARY = Path("glossaries/leaders.yaml")


def _translate(out: Path, inputs: list[str], run_id: str = "names") -> Run:
    translate_run(
        RunOptions(inputs=inputs, targets=("ja", "ko"), engine="auto", out=str(out), run_id=run_id)
    )
    return Run.open(out / run_id)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _translate(tmp_path_factory.mktemp("names"), [str(EVAL / "articles.jsonl")])


def _flags(run: Run) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for translated in run.iter_articles():
        for lang, rows in translated.translations.items():
            for row in rows:
                for flag in row.flags:
                    if flag.code == FlagCode.NAME_INCONSISTENT:
                        key = (f"{translated.id}#{row.segment}", lang)
                        out.setdefault(key, []).append(flag.message)
    return out


def test_every_planted_inconsistency_is_flagged_and_nothing_else(run: Run) -> None:
    flagged = {k for k, messages in _flags(run).items() if "unlisted variant" not in messages[0]}
    planted = {(item["segment"], item["lang"]) for item in LABELS["inconsistent"]}
    assert flagged == planted


def test_the_flag_names_both_forms(run: Run) -> None:
    flags = _flags(run)
    for item in LABELS["inconsistent"]:
        (message,) = flags[(item["segment"], item["lang"])]
        assert repr(item["planted"]) in message and repr(item["usual"]) in message


def test_unlisted_glossary_misspellings_are_corrected_or_flagged(run: Run) -> None:
    articles = {t.id: t for t in run.iter_articles()}
    flags = _flags(run)
    for item in LABELS["variants"]:
        article, segment = item["segment"].split("#")
        row = articles[article].translations[item["lang"]][int(segment)]
        fixes = [c for c in row.changes if c.rule == "fuzzy-variant"]
        if item["expect"] == "corrected":
            assert [(c.before, c.entry_id) for c in fixes] == [(item["planted"], item["entry"])]
            assert item["planted"] not in row.final
            assert item["entry"] not in row.unresolved
            assert apply_changes(row.mt, row.changes) == row.final
        else:
            assert fixes == [] and item["planted"] in row.final
            assert any(item["planted"] in m for m in flags[(item["segment"], item["lang"])])


def test_the_runs_tmx_is_written_after_the_names_pass(run: Run) -> None:
    tmx = run.local_dir / "translations.tmx"
    written = tmx.read_bytes()
    text = written.decode("utf-8")
    articles = {t.id: t for t in run.iter_articles()}
    for item in LABELS["variants"]:
        if item["expect"] != "corrected":
            continue
        article, segment = item["segment"].split("#")
        row = articles[article].translations[item["lang"]][int(segment)]
        assert item["planted"] in row.mt
        assert f"<seg>{row.mt}</seg>" not in text
        assert f"<seg>{row.final}</seg>" in text
    rebuild_review_files(run)  # the TMX made from the stored articles, as `l10n report` does
    assert tmx.read_bytes() == written


def test_summary_counts_the_new_flags(run: Run) -> None:
    summary = run.read_summary()
    counted = sum(
        target.flag_codes.get("name-inconsistent", 0)
        for outcome in summary.done
        for target in outcome.targets.values()
    )
    assert counted == sum(len(v) for v in _flags(run).values())


def test_reapply_gives_the_same_flags_once(run: Run) -> None:
    before = _flags(run)
    reapply_run(run, load_glossary(GLOSSARY))
    assert _flags(run) == before


def test_a_consistent_article_alone_gets_no_flag(tmp_path: Path) -> None:
    lines = (EVAL / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    single = tmp_path / "one.jsonl"
    single.write_text(lines[0] + "\n" + lines[3] + "\n", encoding="utf-8")
    assert _flags(_translate(tmp_path / "out", [str(single)])) == {}


def _occ(segment: int, text: str, approved: bool = False) -> Occurrence:
    return Occurrence("a", segment, "ko", "Cho Hyun", "Cho Hyun", text, "person", None, approved)


def test_the_usual_rendering_is_the_most_frequent_unless_a_reviewer_approved_one() -> None:
    index = NameIndex()
    index.add([_occ(1, "조현"), _occ(2, "조현"), _occ(3, "조 현")])
    assert [d.occurrence.segment for d in index.deviations()] == [3]
    index.add([_occ(4, "조 현", approved=True)])
    assert sorted(d.occurrence.segment for d in index.deviations()) == [1, 2]


def test_a_short_form_must_be_part_of_the_full_rendering() -> None:
    index = NameIndex()
    full = [_occ(1, "岩屋毅"), _occ(2, "岩屋毅")]
    short = Occurrence("a", 3, "ko", "Cho Hyun", "Cho", "イワヤ", "person")
    index.add([*full, short])
    (deviation,) = index.deviations()
    assert deviation.occurrence is short and deviation.usual == "岩屋毅"
