"""XLIFF inline codes (1.2 <g> <x/> <bpt>/<ept> <ph> <it>; 2.0 <pc> <ph/> <sc/>/<ec/>) make the
round trip: an XLIFF input keeps them in its run, exports carry them, and an import takes a
target that keeps them and refuses, naming the file and line, one that loses, adds or unpairs
them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from l10n.cli import main
from l10n.formats.xliff import code_problem, inline_parts, parse_xliff, render_xliff_12
from l10n.pipeline import RunOptions, translate_run

X1 = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": X1}

INPUT_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="harbour-notice" source-language="en" target-language="ja" datatype="html">
  <body>
   <trans-unit id="1" resname="title"><source>Ferry times <g id="1">change</g> on Monday</source>
    <target>月曜日にフェリーの時刻が変わる</target></trans-unit>
   <trans-unit id="2" resname="p0"><source>Boats leave at <bpt id="2">&lt;b&gt;</bpt>7 a.m.<ept
    id="2">&lt;/b&gt;</ept><x id="3"/> from pier 4<ph id="4">&lt;br/&gt;</ph>.</source>
    <target>船は4番桟橋から午前7時に出る。</target></trans-unit>
   <trans-unit id="3" resname="p0"><source>Tickets cost 500 yen.</source>
    <target>切符は500円。</target></trans-unit>
  </body>
 </file>
</xliff>
"""

INPUT_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ko">
 <file id="f1" original="market-day">
  <unit id="u1"><segment><source>Market <pc id="1">opens</pc> early</source>
   <target>시장이 일찍 연다</target></segment></unit>
  <unit id="u2"><segment><source>Stalls sell <sc id="2"/>fresh fish<ec startRef="2"/><ph
   id="3"/> all day.</source><target>노점은 하루 종일 생선을 판다.</target></segment></unit>
 </file>
</xliff>
"""


def _translate(folder: Path, text: str, name: str, lang: str) -> Path:
    folder.mkdir()
    source = folder / name
    source.write_text(text, encoding="utf-8")
    out = folder / "out"
    options = RunOptions(inputs=[str(source)], targets=[lang], engine="pseudo", out=str(out))
    summary = translate_run(options)
    assert [o.status for o in summary.outcomes] == ["done"]  # the input's own translation
    [run_dir] = [p for p in out.iterdir() if p.is_dir()]
    return run_dir


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One run of each input, made once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("inline-runs")
    return {
        "notice.xlf": _translate(folder / "a", INPUT_12, "notice.xlf", "ja"),
        "market.xlf": _translate(folder / "b", INPUT_20, "market.xlf", "ko"),
    }


@pytest.fixture
def translate(runs: dict[str, Path]):
    def copy(tmp_path: Path, text: str, name: str, lang: str) -> Path:
        target = tmp_path / "out" / runs[name].name
        shutil.copytree(runs[name], target)
        return target

    return copy


def reimport(path: Path, run_dir: Path) -> object:
    return CliRunner().invoke(
        main, ["xliff", "import", str(path), "--run", str(run_dir), "--reviewer", "Mio"]
    )


def units(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {u.get("id"): u for u in root.iterfind(".//x:trans-unit", NS)}


def codes(element: etree._Element) -> list[tuple[str, str | None]]:
    return [(etree.QName(e).localname, e.get("rid") or e.get("id")) for e in element.iter()][1:]


def rows(run_dir: Path, article: str) -> list[dict]:
    text = (run_dir / article / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_codes_of_an_xliff_12_input_are_kept_in_the_run_and_its_export(
    tmp_path: Path, translate
) -> None:
    run_dir = translate(tmp_path, INPUT_12, "notice.xlf", "ja")
    exported = units(run_dir / "harbour-notice" / "ja.xlf")
    source = exported["1"].find("x:source", NS)
    assert codes(source) == [("bpt", "2"), ("ept", "2"), ("x", "3"), ("ph", "4")]
    assert source.find("x:bpt", NS).text == "<b>"  # native markup stays markup, not text
    assert "".join(source.itertext()) == "Boats leave at <b>7 a.m.</b> from pier 4<br/>."
    # Nobody placed the codes in the translation yet: they follow its text, with a note.
    target = exported["1"].find("x:target", NS)
    assert target.text == "船は4番桟橋から午前7時に出る。"
    assert codes(target) == codes(source)
    notes = [n.get("from") for n in exported["1"].iterfind("x:note", NS)]
    assert "l10n-inline" in notes
    assert codes(exported["2"].find("x:target", NS)) == []  # a unit without codes has none
    assert "l10n-inline" not in [n.get("from") for n in exported["2"].iterfind("x:note", NS)]
    # The run's text stays plain: the codes are beside it.
    assert rows(run_dir, "harbour-notice")[1]["source"] == "Boats leave at 7 a.m. from pier 4."
    assert (run_dir / "harbour-notice" / "ja.txt").read_text(encoding="utf-8").count("<") == 0


def _place_codes(path: Path, unit_id: str, build: str) -> Path:
    """What a reviewer does in a CAT tool: writes the target with codes, signs it off."""
    root = etree.parse(str(path)).getroot()
    unit = root.find(f".//x:trans-unit[@id='{unit_id}']", NS)
    old = unit.find("x:target", NS)
    new = etree.fromstring(f'<target xmlns="{X1}" state="signed-off">{build}</target>')
    unit.replace(old, new)
    out = path.with_name(f"reviewed-{unit_id}.xlf")
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return out


PLACED = (
    '船は<bpt id="2">&lt;b&gt;</bpt>午前7時<ept id="2">&lt;/b&gt;</ept>に'
    '<x id="3"/>4番桟橋から出る<ph id="4">&lt;br/&gt;</ph>。'
)


def test_a_target_that_keeps_the_codes_imports_and_exports_as_placed(
    tmp_path: Path, translate
) -> None:
    run_dir = translate(tmp_path, INPUT_12, "notice.xlf", "ja")
    xlf = run_dir / "harbour-notice" / "ja.xlf"
    result = reimport(_place_codes(xlf, "1", PLACED), run_dir)
    assert result.exit_code == 0, result.output
    assert "1 approved" in result.output
    review = rows(run_dir, "harbour-notice")[1]["targets"]["ja"]["review"]
    assert review["text"] == "船は午前7時に4番桟橋から出る。"
    assert [p["key"] for p in review["inline"] if isinstance(p, dict)] == ["2", "2", "3", "4"]
    # The export now carries the codes where the reviewer put them, and no placement note.
    again = units(xlf)["1"]
    target = again.find("x:target", NS)
    assert target.text == "船は" and target.get("state") == "signed-off"
    assert target.find("x:bpt", NS).tail == "午前7時"
    assert target.find("x:x", NS).tail == "4番桟橋から出る"
    assert "l10n-inline" not in [n.get("from") for n in again.iterfind("x:note", NS)]
    # The published text is the text alone.
    reviewed = (run_dir / "harbour-notice" / "ja.draft.txt").read_text(encoding="utf-8")
    assert "船は午前7時に4番桟橋から出る。" in reviewed and "<" not in reviewed
    # Imported once more untouched, it changes nothing.
    result = reimport(xlf, run_dir)
    assert result.exit_code == 0 and "0 approved" in result.output, result.output


@pytest.mark.parametrize(
    ("build", "why"),
    [
        (  # <x id="3"/> left out
            '船は<bpt id="2">&lt;b&gt;</bpt>午前7時<ept id="2">&lt;/b&gt;</ept>に'
            '4番桟橋から出る<ph id="4">&lt;br/&gt;</ph>。',
            'the target lost inline code(s) <x id="3">',
        ),
        (PLACED + '<x id="9"/>', 'the target adds inline code(s) <x id="9">'),
        (  # the closing code before the opening one
            '船は<ept id="2">&lt;/b&gt;</ept>午前7時<bpt id="2">&lt;b&gt;</bpt>に'
            '<x id="3"/>4番桟橋から出る<ph id="4">&lt;br/&gt;</ph>。',
            'the target puts <ept id="2"> before the code that opens it',
        ),
        ("船は午前7時に4番桟橋から出る。", 'the target lost inline code(s) <bpt id="2">'),
    ],
)
def test_a_target_that_loses_adds_or_unpairs_codes_is_refused_naming_file_and_line(
    tmp_path: Path, build: str, why: str, translate
) -> None:
    run_dir = translate(tmp_path, INPUT_12, "notice.xlf", "ja")
    reviewed = _place_codes(run_dir / "harbour-notice" / "ja.xlf", "1", build)
    result = reimport(reviewed, run_dir)
    assert result.exit_code == 1
    line = etree.parse(str(reviewed)).find(".//x:trans-unit[@id='1']", NS).sourceline
    assert f"refused {reviewed}:{line}: unit '1'" in result.output
    assert why in result.output and "fix the codes in the CAT tool" in result.output
    assert "review" not in rows(run_dir, "harbour-notice")[1]["targets"]["ja"]


def test_xliff_20_codes_make_the_round_trip_too(tmp_path: Path, translate) -> None:
    run_dir = translate(tmp_path, INPUT_20, "market.xlf", "ko")
    xlf = run_dir / "market-day" / "ko.xlf"
    exported = units(xlf)
    # Exported as XLIFF 1.2: <pc> is <g>, <ph/> is <x/>, <sc/>/<ec/> are <bx/>/<ex/>.
    assert codes(exported["0"].find("x:source", NS)) == [("g", "1")]
    assert codes(exported["1"].find("x:source", NS)) == [("bx", "2"), ("ex", "2"), ("x", "3")]
    # A reviewer's XLIFF 2.0 file for the same run, codes placed in 2.0's own elements.
    reviewed_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ko">
 <file id="f1" original="market-day/source.txt">
  <unit id="1"><segment state="final"><source>Stalls sell <sc id="2"/>fresh fish<ec
   startRef="2"/><ph id="3"/> all day.</source>
   <target>노점은 하루 종일 <sc id="2"/>생선<ec startRef="2"/>을 판다<ph
   id="3"/>.</target></segment></unit>
 </file>
</xliff>
"""
    path = tmp_path / "reviewed.xlf"
    path.write_text(reviewed_20, encoding="utf-8")
    result = reimport(path, run_dir)
    assert result.exit_code == 0 and "1 approved" in result.output, result.output
    target = units(xlf)["1"].find("x:target", NS)
    assert codes(target) == [("bx", "2"), ("ex", "2"), ("x", "3")]
    assert target.find("x:bx", NS).tail == "생선"
    # The same file with <ec/> before its <sc/> is refused.
    broken = reviewed_20.replace(
        '<sc id="2"/>생선<ec startRef="2"/>', '<ec startRef="2"/>생선<sc id="2"/>'
    )
    path.write_text(broken.replace("판다", "판매한다"), encoding="utf-8")
    result = reimport(path, run_dir)
    assert result.exit_code == 1
    assert f"refused {path}:4: unit '1'" in result.output  # the line of the <unit>
    assert 'the target puts <ec startRef="2"> before the code that opens it' in result.output


def test_a_source_whose_codes_differ_from_the_run_is_refused(tmp_path: Path, translate) -> None:
    run_dir = translate(tmp_path, INPUT_12, "notice.xlf", "ja")
    xlf = run_dir / "harbour-notice" / "ja.xlf"
    root = etree.parse(str(xlf)).getroot()
    source = root.find(".//x:trans-unit[@id='0']/x:source", NS)
    source.remove(source.find("x:g", NS))
    source.text = "Ferry times change on Monday"
    path = tmp_path / "stripped.xlf"
    path.write_bytes(etree.tostring(root))
    result = reimport(path, run_dir)
    assert result.exit_code == 1
    assert 'the source holds inline code(s) none, the run\'s source <g id="1">' in result.output


def test_codes_read_and_written_keep_their_pairs() -> None:
    document = parse_xliff(INPUT_12.encode())
    [segment] = document.files[0].units[1].segments
    assert code_problem(segment.source_inline, segment.source_inline) is None
    again = parse_xliff(render_xliff_12(document.files))
    assert again.files[0].units[1].segments[0].source_inline == segment.source_inline
    element = etree.fromstring(f'<source xmlns="{X1}">No codes here.</source>')
    assert inline_parts(element) == ()
