"""TBX / TMX / CSV / TSV import and export, checked against the formats the tools read.

TBX and TMX are parsed with translate-toolkit's own readers; the DeepL, Google and
Amazon layouts follow their documented file formats (pair tables without a header,
a language-code header for Amazon's custom terminology).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tbx import tbxfile
from translate.storage.tmx import tmxfile

from l10n.glossary import glossary_from_text, load_glossary
from l10n.glossary.interchange import (
    entries_to_yaml,
    export_glossary,
    import_table,
    import_tbx,
    import_tmx,
    read_interchange,
)

ROOT = Path(__file__).resolve().parent.parent
LEADERS = load_glossary(ROOT / "glossaries" / "leaders.yaml")
SHORT_IDS = {e.id for e in LEADERS.entries if e.is_short}


def export(fmt: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return export_glossary(LEADERS.entries, fmt, name="leaders.yaml", **kwargs)  # type: ignore[arg-type]


def _rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))


# -- TBX ------------------------------------------------------------------------------


def test_tbx_is_read_by_translate_toolkit() -> None:
    [file] = export("tbx").files
    store = tbxfile.parsestring(file.data, sourcelanguage="en", targetlanguage="ko")
    units = {unit.getid(): unit for unit in store.units}
    assert set(units) == {e.id for e in LEADERS.entries}
    tokyo = units["tokyo"]
    assert tokyo.source == "Tokyo"
    assert tokyo.target == "도쿄"
    ko_terms = [(t.text, t.deprecated) for t in tokyo.get_target_terms("ko")]
    assert ("도쿄", False) in ko_terms and ("동경", True) in ko_terms
    ja_terms = [(t.text, t.deprecated) for t in tokyo.get_target_terms("ja")]
    assert ja_terms[0] == ("東京", False)
    lai = units["lai-ching-te"]
    assert [t.text for t in lai.get_source_terms()] == ["Lai Ching-te", "William Lai"]


def test_tbx_short_forms_carry_their_condition() -> None:
    [file] = export("tbx").files
    store = tbxfile.parsestring(file.data, sourcelanguage="en", targetlanguage="ja")
    lee = next(u for u in store.units if u.getid() == "lee")
    assert lee.target == "李"
    assert "only where the article names Lee Jae Myung in full" in lee.getnotes()
    root = etree.fromstring(file.data)
    entry = root.find(".//termEntry[@id='lee']")
    assert entry.find("ref[@type='crossReference']").get("target") == "lee-jae-myung"
    assert entry.find(".//termNote[@type='termType']").text == "shortForm"


def test_tbx_round_trip_keeps_everything_the_format_holds() -> None:
    [file] = export("tbx").files
    language, entries = import_tbx(file.data)
    assert language == "en"
    assert len(entries) == len(LEADERS.entries)
    for before, after in zip(LEADERS.entries, entries, strict=True):
        assert (after.id, after.type, after.source, after.aliases, after.note) == (
            before.id,
            before.type,
            before.source,
            before.aliases,
            before.note,
        )
        assert after.targets == before.targets
        assert after.variants == {k: v for k, v in before.variants.items() if v}
        assert after.short_form_of == before.short_form_of
    # and back to YAML: short forms nest under their person again, and it validates
    glossary = glossary_from_text(entries_to_yaml(entries))
    assert [e.id for e in glossary.entries] == [e.id for e in LEADERS.entries]


def test_tbx_v2_martif_and_v3_are_read() -> None:
    v2 = """<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="seoul"><descrip type="subjectField">place</descrip>
 <langSet xml:lang="en"><tig><term>Seoul</term></tig></langSet>
 <langSet xml:lang="ja"><tig><term>ソウル</term></tig>
   <tig><term>ソール</term>
   <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
</termEntry></body></text></martif>""".encode()
    v3 = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<text><body><conceptEntry id="busan">
 <langSec xml:lang="en"><termSec><term>Busan</term></termSec></langSec>
 <langSec xml:lang="ko"><termSec><term>부산</term></termSec></langSec>
</conceptEntry></body></text></tbx>""".encode()
    _, [seoul] = import_tbx(v2)
    assert (seoul.id, seoul.type, seoul.targets, seoul.variants) == (
        "seoul",
        "place",
        {"ja": "ソウル"},
        {"ja": ["ソール"]},
    )
    _, [busan] = import_tbx(v3)
    assert (busan.id, busan.source, busan.targets) == ("busan", "Busan", {"ko": "부산"})


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<martif><text><body><termEntry>", "not well-formed"),
        (b"\x00\x01binary\xff", "not well-formed"),
        (b"<html><body>a page</body></html>", "not a TBX file"),
    ],
)
def test_unreadable_tbx_is_an_error(data: bytes, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        import_tbx(data)


def test_tbx_without_usable_terms_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.tbx"
    path.write_bytes(b'<martif xml:lang="en"><text><body></body></text></martif>')
    with pytest.raises(ValueError, match="no usable term"):
        read_interchange(path)


# -- DeepL / Google: one file per language pair -----------------------------------------


@pytest.mark.parametrize(("fmt", "delimiter"), [("deepl-csv", ","), ("deepl-tsv", "\t")])
def test_deepl_files_are_source_target_rows_per_pair(fmt: str, delimiter: str) -> None:
    result = export(fmt)
    assert [f.lang for f in result.files] == ["ja", "ko"]
    ko = _rows(result.files[1].data, delimiter)
    assert all(len(row) == 2 for row in ko)
    assert ["Tokyo", "도쿄"] in ko
    assert ["William Lai", "라이칭더"] in ko
    sources = [row[0] for row in ko]
    assert len(sources) == len(set(sources))  # DeepL refuses a repeated source term
    assert "en" not in sources  # no header row
    assert not SHORT_IDS & {row[0].lower() for row in ko}
    assert any("short form" in w and "lee" in w for w in result.warnings)


def test_deepl_csv_quotes_a_term_with_a_comma() -> None:
    glossary = glossary_from_text(
        "version: 1\nentries:\n"
        "  - {id: a, type: term, source: 'Seoul, South Korea', targets: {ko: '서울, 한국'}}\n"
    )
    [file] = export_glossary(glossary.entries, "deepl-csv", langs=["ko"]).files
    assert file.data.decode() == '"Seoul, South Korea","서울, 한국"\n'


def test_google_files_are_pairs_in_csv_and_tmx() -> None:
    csv_ja = export("google-csv", langs=["ja"]).files
    assert len(csv_ja) == 1 and ["Beijing", "北京"] in _rows(csv_ja[0].data)
    [tmx_ko] = export("google-tmx", langs=["ko"]).files
    store = tmxfile.parsestring(tmx_ko.data, sourcelanguage="en", targetlanguage="ko")
    pairs = {(u.source, u.target) for u in store.units}
    assert ("Pyongyang", "평양") in pairs
    assert not any(source == "Lee" for source, _ in pairs)
    langs = {
        tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
        for tuv in etree.fromstring(tmx_ko.data).iter("tuv")
    }
    assert langs == {"en", "ko"}


# -- Amazon Translate: one multilingual file ---------------------------------------------


def test_amazon_csv_has_a_language_code_header() -> None:
    [file] = export("amazon-csv").files
    rows = _rows(file.data)
    assert rows[0] == ["en", "ja", "ko"]
    assert ["Tokyo", "東京", "도쿄"] in rows
    assert not any(row[0] in {"Lee", "Kim", "Trump"} for row in rows)


def test_amazon_tmx_is_read_by_translate_toolkit() -> None:
    [file] = export("amazon-tmx").files
    root = etree.fromstring(file.data)
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "en"
    store = tmxfile.parsestring(file.data, sourcelanguage="en", targetlanguage="ja")
    assert ("Seoul", "ソウル") in {(u.source, u.target) for u in store.units}
    _, entries = import_tmx(file.data)
    seoul = next(e for e in entries if e.source == "Seoul")
    assert seoul.targets == {"ja": "ソウル", "ko": "서울"}


def test_tmx_terms_leave_inline_codes_out() -> None:
    data = """<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg><bpt i="1">&lt;b&gt;</bpt>Seoul<ept i="1">&lt;/b&gt;</ept></seg></tuv>
<tuv xml:lang="ja"><seg>ソウル<ph>&lt;br/&gt;</ph></seg></tuv></tu></body></tmx>"""
    _, [entry] = import_tmx(data.encode())
    assert (entry.source, entry.targets) == ("Seoul", {"ja": "ソウル"})


# -- reading tables back -----------------------------------------------------------------


def test_tsv_round_trip_merges_alias_rows() -> None:
    [file] = export("tsv").files
    _, entries = import_table(file.data, "\t")
    lai = next(e for e in entries if e.source == "Lai Ching-te")
    assert lai.aliases == ["William Lai"]
    assert len(entries) == len([e for e in LEADERS.entries if not e.is_short])


def test_csv_with_bom_and_extra_language_column() -> None:
    data = "\ufeffen,de,ja\nTokyo,Tokio,東京\nKyoto,Kyoto,\n".encode()
    language, entries = import_table(data, ",")
    assert language == "en"
    assert [(e.source, e.targets) for e in entries] == [("Tokyo", {"ja": "東京"})]


def test_pair_table_needs_its_target_language() -> None:
    [file] = export("deepl-csv", langs=["ko"]).files
    with pytest.raises(ValueError, match="--target-lang"):
        import_table(file.data, ",")
    _, entries = import_table(file.data, ",", target_language="ko")
    assert next(e for e in entries if e.source == "Tokyo").targets == {"ko": "도쿄"}


def test_binary_table_is_an_error() -> None:
    with pytest.raises(ValueError, match="not UTF-8"):
        import_table(b"\xff\xfe\x00\x01", ",")
