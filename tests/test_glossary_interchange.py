"""TBX / CSV / TSV import and export of glossaries."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lxml import etree

from l10n.glossary import load_glossary
from l10n.glossary.interchange import export_glossary, import_table, import_tbx

ROOT = Path(__file__).resolve().parent.parent
LEADERS = load_glossary(ROOT / "glossaries" / "leaders.yaml")
NS = {"t": "urn:iso:std:iso:30042:ed-2"}


def test_tbx_parses_with_lxml_and_marks_variants_deprecated() -> None:
    root = etree.fromstring(export_glossary(LEADERS, "tbx"))
    assert etree.QName(root).localname == "tbx"
    concepts = root.findall(".//t:conceptEntry", NS)
    assert len(concepts) == len(LEADERS.entries)
    tokyo = root.find(".//t:conceptEntry[@id='tokyo']", NS)
    ko = tokyo.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='ko']", NS)
    statuses = {
        sec.findtext("t:term", namespaces=NS): sec.findtext("t:termNote", namespaces=NS)
        for sec in ko.findall("t:termSec", NS)
    }
    assert statuses["도쿄"] == "preferredTerm-admn-sts"
    assert statuses["동경"] == "deprecatedTerm-admn-sts"


def test_tbx_round_trip_keeps_everything_the_format_holds() -> None:
    language, entries = import_tbx(export_glossary(LEADERS, "tbx"))
    assert language == "en"
    for before, after in zip(LEADERS.entries, entries, strict=True):
        assert (after.id, after.type, after.source, after.aliases, after.note) == (
            before.id,
            before.type,
            before.source,
            before.aliases,
            before.note,
        )
        assert after.targets == before.targets
        assert after.variants == before.variants
        assert after.short_form_of == before.short_form_of


def test_tbx_v2_martif_is_read() -> None:
    data = """<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="seoul"><descrip type="subjectField">place</descrip>
 <langSet xml:lang="en"><tig><term>Seoul</term></tig></langSet>
 <langSet xml:lang="ja"><tig><term>ソウル</term></tig>
   <tig><term>ソール</term>
   <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
</termEntry></body></text></martif>""".encode()
    _, entries = import_tbx(data)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.id, entry.type, entry.targets, entry.variants) == (
        "seoul",
        "place",
        {"ja": "ソウル"},
        {"ja": ["ソール"]},
    )


def test_csv_layout_is_language_code_header_then_rows() -> None:
    rows = list(csv.reader(io.StringIO(export_glossary(LEADERS, "csv").decode())))
    assert rows[0] == ["en", "ja", "ko"]
    assert ["Tokyo", "東京", "도쿄"] in rows
    assert ["William Lai", "頼清徳", "라이칭더"] in rows


def test_tsv_round_trip_merges_alias_rows() -> None:
    _, entries = import_table(export_glossary(LEADERS, "tsv"), "\t")
    lai = next(e for e in entries if e.source == "Lai Ching-te")
    assert lai.aliases == ["William Lai"]
    assert len(entries) == len(LEADERS.entries)


def test_csv_with_bom_and_extra_language_column() -> None:
    data = "\ufeffen,de,ja\nTokyo,Tokio,東京\nKyoto,Kyoto,\n".encode()
    language, entries = import_table(data, ",")
    assert language == "en"
    assert [(e.source, e.targets) for e in entries] == [("Tokyo", {"ja": "東京"})]
