"""Reviewed XLIFF back into the run: edited like a CAT tool would, imported, checked on disk."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage import xliff

from l10n.cli import main
from l10n.mt.memory import open_memory
from l10n.review.files import rebuild_review_files
from l10n.review.xliff_import import import_xliff, read_xliff
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"
X1 = "urn:oasis:names:tc:xliff:document:1.2"
X2 = "urn:oasis:names:tc:xliff:document:2.0"
NS = {"x": X1}


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    target = tmp_path / "out" / RUN_ID
    shutil.copytree(FIXTURE, target)
    rebuild_review_files(Run.open(target))  # the .xlf files a run has
    return target


def rows(run_dir: Path, article: str = "nara-summit") -> list[dict]:
    text = (run_dir / article / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def reviews(run_dir: Path, lang: str, article: str = "nara-summit") -> dict[int, dict]:
    return {
        r["index"]: r["targets"][lang]["review"]
        for r in rows(run_dir, article)
        if r["targets"][lang].get("review")
    }


def cli(*args: str) -> object:
    return CliRunner().invoke(main, ["xliff", "import", *args, "--reviewer", "Jun Seo"])


def cat_tool_edit(source: Path, target: Path) -> None:
    """What a reviewer does in a CAT tool, through translate-toolkit's XLIFF API."""
    store = xliff.xlifffile.parsefile(str(source))
    units = {u.xmlelement.get("id"): u for u in store.units}
    units["2"].target = "공원 근처에 1만 명 이상이 모였다."  # fixes the missing number
    units["2"].markapproved(True)
    units["2"].addnote("number restored", origin="reviewer")
    units["4"].settarget("이 대통령은 나라 사람들에게 감사했다.")  # state becomes translated
    units["3"].xmlelement.find(f"{{{X1}}}target").set("state", "signed-off")  # confirmed as is
    units["1"].target = "다카이치 총리는 토요일 나라에서 대통령을 만났다."
    units["1"].xmlelement.find(f"{{{X1}}}target").set("state", "needs-review-translation")
    target.write_bytes(bytes(store))


def test_a_reviewed_xliff_comes_back_into_the_run_and_the_memory(
    run_dir: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "nara-ko.reviewed.xlf"
    cat_tool_edit(run_dir / "nara-summit" / "ko.xlf", edited)
    result = cli(str(edited), "--run", str(run_dir))
    assert result.exit_code == 0, result.output
    assert "3 approved" in result.output and "1 rejected" in result.output
    assert "1 unchanged" in result.output and "0 refused" in result.output
    got = reviews(run_dir, "ko")
    assert sorted(got) == [1, 2, 3, 4]
    assert got[2]["status"] == "approved" and got[2]["text"] == "공원 근처에 1만 명 이상이 모였다."
    assert got[2]["origin"] == "xliff" and got[2]["reviewer"] == "Jun Seo"
    assert got[2]["comment"] == "number restored"
    assert got[3]["status"] == "approved" and got[3]["text"].startswith("다카이치는 두 정상이")
    assert got[4]["text"] == "이 대통령은 나라 사람들에게 감사했다."
    # Left as needs-review: a rejection that keeps the reviewer's text as a suggestion.
    assert got[1]["status"] == "rejected" and got[1]["text"].startswith("다카이치 총리는")
    assert not (run_dir / "nara-summit" / "ko.reviewed.txt").exists()  # one rejected, one open
    draft = (run_dir / "nara-summit" / "ko.draft.txt").read_text(encoding="utf-8")
    assert "1만 명 이상이" in draft and "[REJECTED] 다카이치 사나에 총리는" in draft
    assert "ko publishable: no (approved 3/5, rejected 1)" in result.output
    root = etree.parse(str(run_dir / "nara-summit" / "ko.xlf")).getroot()
    states = {
        tu.get("id"): tu.find("x:target", NS).get("state")
        for tu in root.iterfind(".//x:trans-unit", NS)
    }
    assert states == {
        "0": "translated",
        "1": "needs-review-translation",
        "2": "signed-off",
        "3": "signed-off",
        "4": "signed-off",
    }
    summary = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    counts = summary["articles"]["done"][0]["targets"]["ko"]["reviews"]
    assert counts == {"approved": 3, "rejected": 1, "open": 1}
    with open_memory(run_dir.parent / ".l10n-tm.sqlite") as memory:
        learnt = {(a.segment, a.target_text, a.reviewer) for a in memory.iter_approved()}
    assert learnt == {
        (2, "공원 근처에 1만 명 이상이 모였다.", "Jun Seo"),
        (3, got[3]["text"], "Jun Seo"),
        (4, "이 대통령은 나라 사람들에게 감사했다.", "Jun Seo"),
    }


def test_untouched_and_re_exported_files_change_nothing(run_dir: Path, tmp_path: Path) -> None:
    untouched = tmp_path / "untouched.xlf"
    shutil.copy(run_dir / "nara-summit" / "ko.xlf", untouched)
    before = (run_dir / "nara-summit" / "segments.jsonl").read_bytes()
    result = cli(str(untouched), "--run", str(run_dir))
    assert result.exit_code == 0 and "5 unchanged" in result.output
    assert (run_dir / "nara-summit" / "segments.jsonl").read_bytes() == before
    edited = tmp_path / "edited.xlf"
    cat_tool_edit(untouched, edited)
    assert cli(str(edited), "--run", str(run_dir)).exit_code == 0
    after = (run_dir / "nara-summit" / "segments.jsonl").read_bytes()
    # The file the run exports now carries the decisions: importing it again is a no-op.
    again = cli(str(run_dir / "nara-summit" / "ko.xlf"))
    assert again.exit_code == 0 and "5 unchanged" in again.output
    assert (run_dir / "nara-summit" / "segments.jsonl").read_bytes() == after


def xliff2_of(run_dir: Path, article: str, lang: str) -> etree._Element:
    """The article as XLIFF 2.0, as a CAT tool converting the 1.2 export would write it."""
    old = etree.parse(str(run_dir / article / f"{lang}.xlf")).getroot()
    file_1 = old.find("x:file", NS)
    root = etree.Element(
        f"{{{X2}}}xliff",
        nsmap={None: X2},
        version="2.0",
        srcLang="en-US",
        trgLang=f"{lang}-KR" if lang == "ko" else f"{lang}-JP",
    )
    file_2 = etree.SubElement(root, f"{{{X2}}}file", id="f1", original=file_1.get("original"))
    state_map = {"translated": "translated", "needs-review-translation": "translated"}
    for tu in old.iterfind(".//x:trans-unit", NS):
        unit = etree.SubElement(file_2, f"{{{X2}}}unit", id=tu.get("id"))
        target_1 = tu.find("x:target", NS)
        segment = etree.SubElement(unit, f"{{{X2}}}segment", state=state_map[target_1.get("state")])
        etree.SubElement(segment, f"{{{X2}}}source").text = tu.find("x:source", NS).text
        etree.SubElement(segment, f"{{{X2}}}target").text = target_1.text
    return root


def units_2(root: etree._Element) -> dict[str, etree._Element]:
    return {u.get("id"): u for u in root.iter(f"{{{X2}}}unit")}


def test_xliff_2_files_import_too(run_dir: Path, tmp_path: Path) -> None:
    root = xliff2_of(run_dir, "nara-summit", "ja")
    units = units_2(root)
    segment = units["1"].find(f"{{{X2}}}segment")
    segment.find(f"{{{X2}}}target").text = "高市早苗首相は土曜日、奈良で李在明大統領と会った。"
    segment.set("state", "final")
    units["3"].find(f"{{{X2}}}segment").set("state", "reviewed")  # confirmed as is
    units["4"].find(f"{{{X2}}}segment").set("state", "initial")  # sent back
    notes = etree.SubElement(units["4"], f"{{{X2}}}notes")
    etree.SubElement(notes, f"{{{X2}}}note", category="reviewer").text = "check the honorific"
    units["4"].insert(0, notes)
    path = tmp_path / "nara-ja.xlf"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert {u.version for u in read_xliff(path)} == {2}
    result = cli(str(path), "--run", str(run_dir))
    assert result.exit_code == 0, result.output
    got = reviews(run_dir, "ja")
    assert {i: r["status"] for i, r in got.items()} == {
        1: "approved",
        3: "approved",
        4: "rejected",
    }
    assert got[1]["text"].endswith("会った。") and got[4]["comment"] == "check the honorific"
    state = (
        etree.parse(str(run_dir / "nara-summit" / "ja.xlf"))
        .getroot()
        .find(".//x:trans-unit[@id='1']/x:target", NS)
        .get("state")
    )
    assert state == "signed-off"


def test_an_untouched_xliff_2_conversion_changes_nothing(run_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "nara-ko-2.xlf"
    path.write_bytes(etree.tostring(xliff2_of(run_dir, "nara-summit", "ko")))
    result = cli(str(path), "--run", str(run_dir))
    assert result.exit_code == 0 and "5 unchanged" in result.output
    assert reviews(run_dir, "ko") == {}


def test_mismatched_units_are_refused_one_by_one_and_the_rest_imports(
    run_dir: Path, tmp_path: Path
) -> None:
    store = xliff.xlifffile.parsefile(str(run_dir / "nara-summit" / "ko.xlf"))
    units = {u.xmlelement.get("id"): u for u in store.units}
    units["0"].xmlelement.set("id", "17")  # no such segment
    units["1"].source = "Prime Minister Takaichi met someone else."  # source changed
    units["1"].target = "다카이치 총리가 누군가를 만났다."
    units["2"].xmlelement.set("id", "two")
    units["3"].target = "다카이치는 35억 달러 기금에 합의했다고 말했다."  # the one good edit
    units["4"].xmlelement.set("id", "3")  # a second unit 3
    path = tmp_path / "mixed.xlf"
    path.write_bytes(bytes(store))
    result = cli(str(path), "--run", str(run_dir))
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if line.startswith("refused")]
    assert len(refused) == 4
    assert any("unit '17'" in r and "unknown unit id" in r for r in refused)
    assert any("unit '1'" in r and "source text changed" in r for r in refused)
    assert any("unit 'two'" in r and "unknown unit id" in r for r in refused)
    assert any("appears twice" in r for r in refused)
    assert "1 approved" in result.output
    assert list(reviews(run_dir, "ko")) == [3]


def test_files_for_another_language_or_article_are_refused(run_dir: Path, tmp_path: Path) -> None:
    root = etree.parse(str(run_dir / "nara-summit" / "ko.xlf")).getroot()
    root.find("x:file", NS).set("target-language", "fr")
    root.find(".//x:target", NS).text = "Takaichi et Lee se rencontrent à Nara"
    french = tmp_path / "fr.xlf"
    french.write_bytes(etree.tostring(root))
    root.find("x:file", NS).set("target-language", "ko")
    root.find("x:file", NS).set("original", "no-such-article/source.txt")
    elsewhere = tmp_path / "elsewhere.xlf"
    elsewhere.write_bytes(etree.tostring(root))
    for path, reason in ((french, "wrong language"), (elsewhere, "unknown article")):
        result = cli(str(path), "--run", str(run_dir))
        assert result.exit_code == 1
        refused = [line for line in result.output.splitlines() if line.startswith("refused")]
        assert len(refused) == 5 and all(reason in line for line in refused)
    assert reviews(run_dir, "ko") == {}


def test_unreadable_files_exit_2_and_the_others_still_import(run_dir: Path, tmp_path: Path) -> None:
    not_xml = tmp_path / "notes.xlf"
    not_xml.write_text("reviewed, see email", encoding="utf-8")
    not_xliff = tmp_path / "memory.xlf"
    not_xliff.write_text('<?xml version="1.0"?><tmx version="1.4"><body/></tmx>')
    good = tmp_path / "good.xlf"
    cat_tool_edit(run_dir / "nara-summit" / "ko.xlf", good)
    result = cli(
        str(not_xml), str(not_xliff), str(tmp_path / "missing.xlf"), str(good), "--run",
        str(run_dir),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "notes.xlf: not well-formed XML" in result.output
    assert "memory.xlf: not an XLIFF 1.2 or 2.x file" in result.output
    assert "missing.xlf: can't read" in result.output
    assert "Traceback" not in result.output
    assert sorted(reviews(run_dir, "ko")) == [1, 2, 3, 4]


def test_a_file_outside_its_run_needs_run(run_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ko.xlf"
    shutil.copy(run_dir / "nara-summit" / "ko.xlf", copy)
    result = cli(str(copy))
    assert result.exit_code == 2 and "--run RUN_DIR" in result.output


def test_entities_are_not_expanded(run_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    text = (run_dir / "nara-summit" / "ko.xlf").read_text(encoding="utf-8")
    text = text.replace(
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file://{secret}">]>',
    )
    text = text.replace("공원 근처에 많은 사람들이 모였다.</target>", "&x;</target>", 1)
    path = tmp_path / "entity.xlf"
    path.write_text(text, encoding="utf-8")
    CliRunner().invoke(main, ["xliff", "import", str(path), "--run", str(run_dir)])
    stored = (run_dir / "nara-summit" / "segments.jsonl").read_text(encoding="utf-8")
    assert "TOP-SECRET" not in stored


def test_a_split_xliff_2_unit_is_refused(run_dir: Path, tmp_path: Path) -> None:
    root = xliff2_of(run_dir, "nara-summit", "ko")
    unit = units_2(root)["2"]
    second = etree.SubElement(unit, f"{{{X2}}}segment", state="final")
    etree.SubElement(second, f"{{{X2}}}source").text = "extra"
    etree.SubElement(second, f"{{{X2}}}target").text = "추가"
    path = tmp_path / "split.xlf"
    path.write_bytes(etree.tostring(root))
    report = import_xliff(path, Run.open(run_dir), reviewer="Jun", memory_location=None)
    assert [(u.unit_id, u.outcome) for u in report.refused] == [("2", "refused")]
    assert "split into 2 segments" in report.refused[0].reason


def test_help_example_runs(run_dir: Path) -> None:
    help_text = CliRunner().invoke(main, ["xliff", "--help"]).output
    examples = [
        shlex.split(line.strip())
        for line in help_text.split("Example:", 1)[1].splitlines()
        if line.strip().startswith("l10n ")
    ]
    assert examples
    for words in examples:
        args = [w.replace("outputs/20260301-090000-3f9c", str(run_dir)) for w in words[1:]]
        result = CliRunner().invoke(main, [*args, "--reviewer", "Jun"])
        assert result.exit_code == 0, (words, result.output)


def test_native_codes_a_cat_tool_adds_to_a_target_are_refused_not_dropped(
    run_dir: Path, tmp_path: Path
) -> None:
    root = etree.parse(str(run_dir / "nara-summit" / "ko.xlf")).getroot()
    target = root.find(".//x:trans-unit[@id='2']/x:target", NS)
    target.text = "공원 근처에"
    code = etree.SubElement(target, f"{{{X1}}}ph", id="1")
    code.text = "<br/>"
    code.tail = " 1만 명이 모였다."
    target.set("state", "signed-off")
    path = tmp_path / "coded.xlf"
    path.write_bytes(etree.tostring(root))
    result = cli(str(path), "--run", str(run_dir))
    assert result.exit_code != 0
    line = etree.parse(str(path)).find(".//x:trans-unit[@id='2']", NS).sourceline
    assert f"{path}:{line}: unit '2'" in result.output  # the file and line of the unit
    assert 'the target adds inline code(s) <ph id="1">' in result.output
    assert 2 not in reviews(run_dir, "ko")  # neither dropped silently nor saved as text


def test_a_file_older_than_a_decision_in_the_app_cannot_overwrite_it(
    run_dir: Path, tmp_path: Path
) -> None:
    """A file written before a unit was decided in the app (as the XLIFF on disk is while
    decisions wait in the article's log) can't overwrite that decision: the unit is refused,
    like a stale save in the app; the units the app did not touch import."""
    from l10n.review.decisions import Decision, save_decisions

    old_file = tmp_path / "ko.before-the-app.xlf"
    shutil.copy(run_dir / "nara-summit" / "ko.xlf", old_file)
    save_decisions(
        Run.open(run_dir),
        "nara-summit",
        [Decision(2, "ko", "approved", "Mina Park", text="공원 근처에 1만 명이 넘게 모였다.")],
    )
    edited = tmp_path / "nara-ko.reviewed.xlf"
    cat_tool_edit(old_file, edited)
    result = cli(str(edited), "--run", str(run_dir))
    assert result.exit_code == 1, result.output
    assert "unit 2 (ko) was decided after this file was written" in result.output
    assert "approved by Mina Park" in result.output and "1 refused" in result.output
    got = reviews(run_dir, "ko")
    assert got[2]["reviewer"] == "Mina Park"
    assert got[2]["text"] == "공원 근처에 1만 명이 넘게 모였다."
    assert got[4]["origin"] == "xliff" and got[4]["text"] == "이 대통령은 나라 사람들에게 감사했다."

    # the file `l10n report` writes knows the app's review: a change made there imports
    assert CliRunner().invoke(main, ["report", str(run_dir)]).exit_code == 0
    assert "approved by Mina Park" in (run_dir / "nara-summit" / "ko.xlf").read_text()
    store = xliff.xlifffile.parsefile(str(run_dir / "nara-summit" / "ko.xlf"))
    unit = next(u for u in store.units if u.xmlelement.get("id") == "2")
    unit.target = "공원 근처에 1만 명 이상이 모였다."
    unit.markapproved(True)
    current = tmp_path / "nara-ko.current.xlf"
    current.write_bytes(bytes(store))
    again = cli(str(current), "--run", str(run_dir))
    assert again.exit_code == 0, again.output
    assert reviews(run_dir, "ko")[2]["text"] == "공원 근처에 1만 명 이상이 모였다."
