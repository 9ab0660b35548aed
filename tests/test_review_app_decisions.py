"""Review decisions applied to a stored run: files, summary, memory and dropped-name flags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from l10n.glossary import load_glossary
from l10n.models import GlossaryChange, Protection, Slot, Translation
from l10n.mt.memory import open_memory, tm_location
from l10n.review.decisions import Decision, DecisionError, save_decisions
from l10n.review.names import (
    DROPPED_NAME,
    article_names,
    dropped_name_flags,
    load_run_glossary,
    name_forms,
)
from l10n.run.store import Run, RunLockedError

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
GLOSSARY = Path(__file__).resolve().parent.parent / "glossaries" / "leaders.yaml"
RUN_ID = "20260301T090000Z-sample"
X = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    target = tmp_path / "out" / RUN_ID
    shutil.copytree(FIXTURE, target)
    return target


def rows(run_dir: Path, article: str) -> list[dict]:
    return Run.open(run_dir).read_segment_rows(article) or []  # with its decision log


def unit(run_dir: Path, article: str, lang: str, index: int) -> etree._Element:
    root = etree.parse(str(run_dir / article / f"{lang}.xlf")).getroot()
    return root.find(f".//x:trans-unit[@id='{index}']", X)


def approve(segment: int, lang: str, text: str | None = None, **kw) -> Decision:
    return Decision(segment, lang, "approved", kw.pop("reviewer", "Mina Park"), text, **kw)


def test_an_approved_edit_is_stored_in_every_file_of_the_article(run_dir: Path) -> None:
    run = Run.open(run_dir)
    edit = "공원 근처에 1만 명 이상이 모였다."
    before_final = (run_dir / "nara-summit" / "ko.txt").read_bytes()
    save_decisions(
        run,
        "nara-summit",
        [approve(2, "ko", edit, comment="number restored")]
        + [approve(i, "ko") for i in (0, 1, 3, 4)],  # every segment approved: publishable
        time="2026-03-02T10:00:00+00:00",
    )
    stored = rows(run_dir, "nara-summit")[2]["targets"]["ko"]
    assert stored["review"] == {
        "status": "approved",
        "text": edit,
        "reviewer": "Mina Park",
        "time": "2026-03-02T10:00:00+00:00",
        "comment": "number restored",
        "origin": "app",
    }
    assert stored["final"] == "공원 근처에 많은 사람들이 모였다."  # the corrected text stays
    reviewed = (run_dir / "nara-summit" / "ko.reviewed.txt").read_text(encoding="utf-8")
    assert edit in reviewed and "많은 사람들이" not in reviewed
    assert (run_dir / "nara-summit" / "ko.txt").read_bytes() == before_final
    assert not (run_dir / "nara-summit" / "ja.reviewed.txt").exists()  # no ja review yet
    tu = unit(run_dir, "nara-summit", "ko", 2)
    assert tu.get("approved") == "yes"
    assert tu.find("x:target", X).get("state") == "signed-off"
    assert tu.find("x:target", X).text == edit
    alts = {a.get("origin"): a.find("x:target", X).text for a in tu.findall("x:alt-trans", X)}
    assert alts["l10n-glossary"] == "공원 근처에 많은 사람들이 모였다."
    assert any("number restored" in (n.text or "") for n in tu.findall("x:note", X))
    # The stored article reads back with its review, and the manifest still vouches for it.
    article = run.read_article("nara-summit")
    assert article.translations["ko"][2].reviewed == edit
    manifest = run.read_manifest("nara-summit")
    assert "ko.reviewed.txt" in manifest["files"]
    assert manifest["targets"]["ko"]["publishable"] == "publishable: yes"
    assert run.is_complete("nara-summit", manifest["fingerprint"])


def test_the_summary_counts_reviews_and_the_index_follows_flags(run_dir: Path) -> None:
    run = Run.open(run_dir)
    (run_dir / "report.html").unlink(missing_ok=True)
    save_decisions(run, "nara-summit", [approve(0, "ja"), approve(1, "ja")])
    save_decisions(run, "nara-summit", [Decision(4, "ko", "rejected", "Mina Park")])
    data = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    targets = data["articles"]["done"][0]["targets"]
    assert targets["ja"]["reviews"] == {"approved": 2, "rejected": 0, "open": 3}
    assert targets["ko"]["reviews"] == {"approved": 0, "rejected": 1, "open": 4}
    assert data["finished"] == "2026-03-01T09:00:42+00:00"  # the rest of run.json is kept
    assert targets["ko"]["publishable"] == "publishable: no (approved 0/5, rejected 1)"
    index = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "ja publishable: no (approved 2/5, rejected 0)" in index
    save_decisions(run, "nara-summit", [approve(1, "ja", "首相は奈良で李在明大統領と会談した。")])
    index = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "9 flags" in index  # 8 in the run, plus the dropped name


def test_a_rejection_keeps_the_corrected_text_and_asks_for_review(run_dir: Path) -> None:
    run = Run.open(run_dir)
    result = save_decisions(
        run, "nara-summit", [Decision(3, "ko", "rejected", "Mina Park", comment="tone")]
    )
    assert result.memory_approved == 0
    stored = rows(run_dir, "nara-summit")[3]["targets"]["ko"]["review"]
    assert stored["status"] == "rejected" and stored["comment"] == "tone"
    assert not (run_dir / "nara-summit" / "ko.reviewed.txt").exists()  # nothing to publish
    draft = (run_dir / "nara-summit" / "ko.draft.txt").read_text(encoding="utf-8")
    assert "[REJECTED] 다카이치는 두 정상이 35억 달러" in draft  # marked, never plain
    tu = unit(run_dir, "nara-summit", "ko", 3)
    assert tu.find("x:target", X).get("state") == "needs-review-translation"
    assert tu.get("approved") is None


def test_approvals_go_to_the_memory_beside_the_run(run_dir: Path) -> None:
    run = Run.open(run_dir)
    location = tm_location(run.out)
    assert location == str(run_dir.parent / ".l10n-tm.sqlite")
    edit = "高市首相は土曜日、奈良で李在明大統領と会談した。"
    result = save_decisions(run, "nara-summit", [approve(1, "ja", edit)], memory_location=location)
    assert result.memory_approved == 1 and result.memory_note is None
    with open_memory(location) as memory:
        approved = list(memory.iter_approved())
        hits = memory.lookup(
            ["Prime Minister Sanae Takaichi met President Lee Jae Myung in Nara on Saturday."],
            "en",
            "ja",
            {"engine": "any"},
        )
    assert [(a.target_text, a.reviewer, a.article_id, a.segment) for a in approved] == [
        (edit, "Mina Park", "nara-summit", 1)
    ]
    assert approved[0].run_id == RUN_ID
    assert [h.origin for h in hits.values()] == ["approved"]


def test_pseudo_runs_keep_approvals_out_of_the_memory(run_dir: Path) -> None:
    for path in [run_dir / "run.json", *run_dir.glob("*/manifest.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["engine"] = {"name": "pseudo", "pseudo": True, "packages": []}
        path.write_text(json.dumps(data), encoding="utf-8")
    run = Run.open(run_dir)
    location = tm_location(run.out)
    result = save_decisions(run, "nara-summit", [approve(2, "ja")], memory_location=location)
    assert result.memory_approved == 0 and "pseudo" in (result.memory_note or "")
    assert not Path(location).exists()
    state = unit(run_dir, "nara-summit", "ja", 2).find("x:target", X).get("state")
    assert state == "needs-translation"  # pseudo text never passes for a translation


def test_an_edit_that_drops_a_corrected_name_is_flagged_and_the_flag_goes_when_fixed(
    run_dir: Path,
) -> None:
    run = Run.open(run_dir)
    result = save_decisions(
        run, "nara-summit", [approve(1, "ja", "首相は土曜日、奈良で李在明大統領と会談した。")]
    )
    flags = [f for f in result.updated[0].flags if f.code == DROPPED_NAME]
    assert len(flags) == 1 and "高市早苗" in flags[0].message
    stored = rows(run_dir, "nara-summit")[1]["targets"]["ja"]["flags"]
    assert [f["code"] for f in stored] == [DROPPED_NAME]
    assert json.loads((run_dir / "run.json").read_text())["totals"]["flags"] == 9  # was 8
    result = save_decisions(
        run, "nara-summit", [approve(1, "ja", "高市早苗首相は土曜、奈良で李在明大統領と会った。")]
    )
    assert result.updated[0].flags == []
    assert rows(run_dir, "nara-summit")[1]["targets"]["ja"]["flags"] == []


def test_the_glossary_also_guards_names_the_engine_got_right(run_dir: Path) -> None:
    """이재명 was right in the raw MT (no change logged): only the glossary knows it is a name."""
    run = Run.open(run_dir)
    edit = "다카이치 사나에 총리는 토요일 나라에서 대통령을 만났다."
    without = save_decisions(run, "nara-summit", [approve(1, "ko", edit)])
    assert without.updated[0].flags == []
    glossary = load_glossary(GLOSSARY)
    with_glossary = save_decisions(run, "nara-summit", [approve(1, "ko", edit)], glossary=glossary)
    messages = [f.message for f in with_glossary.updated[0].flags if f.code == DROPPED_NAME]
    assert len(messages) == 1 and "이재명" in messages[0]


def test_particle_changes_are_not_names() -> None:
    translation = Translation(
        0,
        "ko",
        mt="타카이치는 말했다.",
        final="다카이치는 말했다.",
        changes=[
            GlossaryChange(0, "takaichi", "타카이치", "다카이치", 0, 4, "variant"),
            GlossaryChange(0, "takaichi", "는", "는", 4, 5, "ko-particle"),
        ],
    )
    forms = name_forms(translation, [], None)
    assert forms == {"takaichi": {"다카이치"}}
    assert dropped_name_flags(translation, "다카이치가 말했다.", forms) == []
    assert [f.code for f in dropped_name_flags(translation, "그가 말했다.", forms)] == [
        DROPPED_NAME
    ]
    # Two mentions in the corrected text, one left: still a dropped name.
    change = GlossaryChange(0, "takaichi", "タカイチ", "高市", 0, 4, "variant")
    twice = Translation(0, "ja", mt="タカイチと高市", final="高市と高市", changes=[change])
    forms = name_forms(twice, [], None)
    assert len(dropped_name_flags(twice, "高市と彼", forms)) == 1


def test_bad_decisions_are_refused_before_anything_is_written(run_dir: Path) -> None:
    run = Run.open(run_dir)
    before = (run_dir / "nara-summit" / "segments.jsonl").read_bytes()
    cases = [
        (approve(2, "ko", "   "), "can't be empty"),
        (approve(2, "fr"), "no 'fr' translation"),
        (approve(99, "ko"), "no segment 99"),
        (Decision(2, "ko", "maybe", "Mina"), "not one of"),
        (approve(2, "ko", reviewer="  "), "reviewer"),
    ]
    for decision, message in cases:
        with pytest.raises(DecisionError, match=message):
            save_decisions(run, "nara-summit", [approve(1, "ko"), decision])
    assert (run_dir / "nara-summit" / "segments.jsonl").read_bytes() == before
    assert not (run_dir / "nara-summit" / "ko.reviewed.txt").exists()


def test_line_breaks_in_an_edit_do_not_break_the_paragraphs(run_dir: Path) -> None:
    run = Run.open(run_dir)
    edit = "공원 근처에\n\n1만 명 이상이\r\n모였다. "
    save_decisions(run, "nara-summit", [approve(2, "ko", edit)])
    assert rows(run_dir, "nara-summit")[2]["targets"]["ko"]["review"]["text"] == (
        "공원 근처에 1만 명 이상이 모였다."
    )
    draft = (run_dir / "nara-summit" / "ko.draft.txt").read_text().strip()
    paragraphs = draft.split("\n\n")[1:]  # after the DRAFT line
    assert len(paragraphs) == 3  # title and two body paragraphs, as in ko.txt


def test_hostile_text_is_stored_as_written(run_dir: Path) -> None:
    run = Run.open(run_dir)
    text = '速報 <img src=x onerror="window.__pwned=1"> ニュース'
    save_decisions(run, "hostile-page", [approve(0, "ja", text)])
    assert rows(run_dir, "hostile-page")[0]["targets"]["ja"]["review"]["text"] == text
    assert unit(run_dir, "hostile-page", "ja", 0).find("x:target", X).text == text


def test_a_run_another_process_writes_is_not_touched(run_dir: Path) -> None:
    run = Run.open(run_dir)
    before = (run_dir / "nara-summit" / "segments.jsonl").read_bytes()
    with Run.open(run_dir).lock(), pytest.raises(RunLockedError):
        save_decisions(run, "nara-summit", [approve(1, "ko")])
    assert (run_dir / "nara-summit" / "segments.jsonl").read_bytes() == before


def test_a_memory_that_cannot_be_written_does_not_undo_the_run(run_dir: Path) -> None:
    run = Run.open(run_dir)
    result = save_decisions(
        run, "nara-summit", [approve(1, "ko")], memory_location="mysql://nowhere/tm"
    )
    assert result.memory_error and "not in the memory" in (result.memory_note or "")
    assert rows(run_dir, "nara-summit")[1]["targets"]["ko"]["review"]["status"] == "approved"


def test_source_names_come_from_the_glossary_or_from_protected_slots(run_dir: Path) -> None:
    article = Run.open(run_dir).read_article("nara-summit")
    names = article_names(article, load_glossary(GLOSSARY))
    source = article.plan.segments[1].text
    marked = {source[s.start : s.end] for s in names.spans[1]}
    assert {"Sanae Takaichi", "Lee Jae Myung", "Nara"} <= marked
    info = load_run_glossary({"path": str(GLOSSARY), "sha256": "0" * 64})
    assert info.glossary is not None and "changed since the run" in (info.notice or "")
    missing = load_run_glossary({"path": "/nonexistent/glossary.yaml"})
    assert missing.glossary is None and "can't be loaded" in (missing.notice or "")
    # Without the glossary, protected names mark the source words they stood for.
    row = article.translations["ja"][1]
    row.protection = Protection("⟦1⟧ met ⟦2⟧", [Slot(1, "takaichi", "Sanae Takaichi")])
    spans = article_names(article, None).spans[1]
    assert [(source[s.start : s.end], s.entry_id) for s in spans] == [
        ("Sanae Takaichi", "takaichi")
    ]


def test_decisions_survive_a_glossary_reapply_and_show_in_the_manifest(run_dir: Path) -> None:
    from l10n.review.reapply import reapply_run

    run = Run.open(run_dir)
    save_decisions(run, "nara-summit", [approve(2, "ko", "공원 근처에 1만 명 이상이 모였다.")])
    reapply_run(run, load_glossary(GLOSSARY))
    review = rows(run_dir, "nara-summit")[2]["targets"]["ko"]["review"]
    assert review["text"] == "공원 근처에 1만 명 이상이 모였다."
    assert "1만 명" in (run_dir / "nara-summit" / "ko.draft.txt").read_text(encoding="utf-8")
    manifest = run.read_manifest("nara-summit")
    assert manifest["targets"]["ko"]["reviews"] == {"approved": 1, "rejected": 0, "open": 4}
    assert "reviews" not in manifest["targets"]["ja"]  # no decision in ja: as before
    data = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert data["articles"]["done"][0]["targets"]["ko"]["reviews"]["approved"] == 1
