"""What "reviewed" means: published text holds approved segments only; flags follow the text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.glossary import load_glossary
from l10n.models import FlagCode
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
GLOSSARY = Path(__file__).resolve().parent.parent / "glossaries" / "leaders.yaml"
RUN_ID = "20260301T090000Z-sample"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    target = tmp_path / "out" / RUN_ID
    shutil.copytree(FIXTURE, target)
    return target


def approve(segment: int, lang: str, text: str | None = None) -> Decision:
    return Decision(segment, lang, "approved", "Mina Park", text)


def reject(segment: int, lang: str) -> Decision:
    return Decision(segment, lang, "rejected", "Mina Park")


def target_row(run_dir: Path, segment: int, lang: str) -> dict:
    rows = Run.open(run_dir).read_segment_rows("nara-summit") or []  # with its decision log
    return rows[segment]["targets"][lang]


def codes(run_dir: Path, segment: int, lang: str) -> set[str]:
    return {f["code"] for f in target_row(run_dir, segment, lang)["flags"]}


def test_reviewed_text_exists_only_while_every_segment_is_approved(run_dir: Path) -> None:
    run = Run.open(run_dir)
    folder = run_dir / "nara-summit"
    save_decisions(run, "nara-summit", [approve(i, "ja") for i in range(4)])
    assert not (folder / "ja.reviewed.txt").exists()  # 4 of 5
    assert "[NOT REVIEWED]" in (folder / "ja.draft.txt").read_text(encoding="utf-8")
    save_decisions(run, "nara-summit", [approve(4, "ja")])
    reviewed = (folder / "ja.reviewed.txt").read_text(encoding="utf-8")
    assert "李氏は奈良の人々に感謝した。" in reviewed and "[" not in reviewed
    assert not (folder / "ja.draft.txt").exists()
    manifest = run.read_manifest("nara-summit")
    assert manifest["targets"]["ja"]["publishable"] == "publishable: yes"
    assert "ja.reviewed.txt" in manifest["files"] and "ja.draft.txt" not in manifest["files"]
    # One rejection later: the published text goes, the draft marks the rejected segment.
    save_decisions(run, "nara-summit", [reject(2, "ja")])
    assert not (folder / "ja.reviewed.txt").exists()
    draft = (folder / "ja.draft.txt").read_text(encoding="utf-8")
    assert "[REJECTED] 公園の近くに1万人以上が集まった。" in draft
    verdict = "publishable: no (approved 4/5, rejected 1)"
    assert draft.startswith(f"# DRAFT — not for publication: {verdict}")
    manifest = run.read_manifest("nara-summit")
    assert "ja.reviewed.txt" not in manifest["files"]
    assert manifest["targets"]["ja"]["publishable"] == "publishable: no (approved 4/5, rejected 1)"
    summary = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    target = summary["articles"]["done"][0]["targets"]["ja"]
    assert target["publishable"] == "publishable: no (approved 4/5, rejected 1)"
    assert "ja publishable: no (approved 4/5, rejected 1)" in (run_dir / "report.html").read_text(
        encoding="utf-8"
    )


def test_an_approval_that_fixes_a_number_clears_its_flag(run_dir: Path) -> None:
    run = Run.open(run_dir)
    assert codes(run_dir, 2, "ko") == {FlagCode.NUMBER_MISSING}
    save_decisions(run, "nara-summit", [approve(2, "ko", "공원 근처에 10,000명 이상이 모였다.")])
    assert codes(run_dir, 2, "ko") == set()
    summary = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    ko = summary["articles"]["done"][0]["targets"]["ko"]
    assert "number-missing" not in ko["flag_codes"]
    # An edit that loses a number the corrected text had gets the flag it causes.
    save_decisions(run, "nara-summit", [approve(3, "ja", "高市氏は、両首脳が基金で合意した。")])
    assert FlagCode.NUMBER_MISSING in codes(run_dir, 3, "ja")
    # A rejection puts the corrected text's flags back: it is what the segment shows again.
    save_decisions(run, "nara-summit", [reject(2, "ko")])
    assert codes(run_dir, 2, "ko") == {FlagCode.NUMBER_MISSING}


def test_an_approval_that_restores_a_name_resolves_the_term(run_dir: Path) -> None:
    run = Run.open(run_dir)
    glossary = load_glossary(GLOSSARY)
    assert target_row(run_dir, 4, "ko")["unresolved"] == ["lee-jae-myung"]
    save_decisions(
        run,
        "nara-summit",
        [approve(4, "ko", "이 대통령은 나라 사람들에게 감사했다.")],
        glossary=glossary,
    )
    row = target_row(run_dir, 4, "ko")
    assert row["unresolved"] == [] and FlagCode.UNRESOLVED_TERM not in codes(run_dir, 4, "ko")
    manifest = run.read_manifest("nara-summit")
    assert manifest["targets"]["ko"]["unresolved"] == []
    # An approved text without the name: the flag it causes appears.
    edit = "그는 나라 사람들에게 감사했다."
    save_decisions(run, "nara-summit", [approve(4, "ko", edit)], glossary=glossary)
    assert FlagCode.UNRESOLVED_TERM in codes(run_dir, 4, "ko")


def test_without_the_glossary_its_flags_stay_rather_than_vanish(run_dir: Path) -> None:
    run = Run.open(run_dir)
    edit = "이 대통령은 나라 사람들에게 감사했다."
    save_decisions(run, "nara-summit", [approve(4, "ko", edit)])
    assert FlagCode.UNRESOLVED_TERM in codes(run_dir, 4, "ko")


@pytest.mark.parametrize("unit_id", ["¹", "٢", "2.0", "-1"])
def test_unit_ids_that_are_not_ascii_numbers_are_refused_by_name(
    run_dir: Path, tmp_path: Path, unit_id: str
) -> None:
    from l10n.cli import main
    from l10n.review.files import rebuild_review_files

    rebuild_review_files(Run.open(run_dir))
    xlf = (run_dir / "nara-summit" / "ko.xlf").read_text(encoding="utf-8")
    edited = tmp_path / "ko.xlf"
    edited.write_text(xlf.replace('id="2"', f'id="{unit_id}"', 1), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["xliff", "import", str(edited), "--run", str(run_dir), "--reviewer", "Jun"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert f"unknown unit id {unit_id!r}" in result.output


def test_an_xliff_whose_targets_are_in_another_languages_script_is_refused(
    run_dir: Path, tmp_path: Path
) -> None:
    from l10n.cli import main
    from l10n.review.files import rebuild_review_files

    rebuild_review_files(Run.open(run_dir))
    xlf = (run_dir / "nara-summit" / "ja.xlf").read_text(encoding="utf-8")
    relabelled = tmp_path / "ja-as-ko.xlf"
    relabelled.write_text(
        xlf.replace('target-language="ja"', 'target-language="ko"').replace(
            'state="translated"', 'state="signed-off"'
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["xliff", "import", str(relabelled), "--run", str(run_dir), "--reviewer", "Jun"]
    )
    assert "0 approved" in result.output
    assert "wrong language" in result.output and "not in Korean" in result.output
    assert all("review" not in target_row(run_dir, i, "ko") for i in range(5))


@pytest.mark.parametrize(
    ("target", "codes"),
    [
        ('공원 근처에 <x id="1"/>1만 명 이상이 모였다.', '<x id="1">'),
        (
            '<bpt id="1">&lt;b&gt;</bpt>공원<ept id="1">&lt;/b&gt;</ept> 근처에 1만 명이 모였다.',
            '<bpt id="1">, <ept id="1">',
        ),
        ('공원 근처에 <g id="1">1만 명</g> 이상이 모였다.', '<g id="1">, </g> (id "1")'),
        ('공원 근처에 <ph id="1">{0}</ph> 명이 모였다.', '<ph id="1">'),
    ],
)
def test_units_with_inline_codes_are_refused_naming_them(
    run_dir: Path, tmp_path: Path, target: str, codes: str
) -> None:
    from l10n.cli import main
    from l10n.review.files import rebuild_review_files

    rebuild_review_files(Run.open(run_dir))
    xlf = (run_dir / "nara-summit" / "ko.xlf").read_text(encoding="utf-8")
    old = '<target state="needs-review-translation">공원 근처에 많은 사람들이 모였다.</target>'
    assert old in xlf
    edited = tmp_path / "ko.xlf"
    edited.write_text(xlf.replace(old, f'<target state="signed-off">{target}</target>'), "utf-8")
    result = CliRunner().invoke(
        main, ["xliff", "import", str(edited), "--run", str(run_dir), "--reviewer", "Jun"]
    )
    assert "0 approved" in result.output and "1 refused" in result.output
    # The run's source has no codes: a target can't bring any (see test_xliff_inline.py).
    assert f"the target adds inline code(s) {codes}" in result.output
    assert "review" not in target_row(run_dir, 2, "ko")
