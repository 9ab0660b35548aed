"""The one TMX reader and writer: round trips, inline codes, dates, bad files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from translate.storage.tmx import tmxfile

from l10n.formats.tmx import (
    TmxError,
    TmxHeader,
    TmxNote,
    TmxProp,
    TmxUnit,
    TmxVariant,
    check_tmx,
    parse_tmx_date,
    read_tmx,
    tmx_date,
    tmx_document,
    unit_bytes,
)

MOMENT = datetime(2026, 3, 1, 9, 30, 5, tzinfo=UTC)
HEADER = TmxHeader(
    srclang="en",
    o_tmf="l10n-run",
    created=MOMENT,
    meta=(TmxProp("x-l10n-run", "r1"), TmxNote("PSEUDO"), TmxProp("x-l10n-pseudo", "true")),
    creationtoolversion="9.9",
)
UNITS = [
    TmxUnit(
        tuid="a:0:ja",
        srclang="en",
        created=MOMENT,
        creationid="Mina Park",
        changed=MOMENT + timedelta(days=1),
        meta=(TmxProp("x-l10n-origin", "approved"), TmxNote("checked"), TmxProp("n", "1")),
        variants=(TmxVariant("en", "Leaders <meet> & talk"), TmxVariant("ja", "首脳が会談")),
    ),
    TmxUnit(creationtool="argos", variants=(TmxVariant("en", "x"), TmxVariant("ko", "  y "))),
    TmxUnit(variants=(TmxVariant("en", "Bell\x07"),)),
]


def document(units: list[TmxUnit] = UNITS, header: TmxHeader = HEADER) -> bytes:
    return b"".join(tmx_document(header, (unit_bytes(u) for u in units)))


def test_what_is_written_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "run.tmx"
    path.write_bytes(document())
    for source in (path, path.read_bytes()):
        header, *units = list(read_tmx(source))
        assert header == replace(HEADER, datatype="plaintext", segtype="sentence")
        assert [replace(u, line=None) for u in units] == [
            UNITS[0],
            UNITS[1],
            # Characters XML forbids are written as U+FFFD.
            TmxUnit(variants=(TmxVariant("en", "Bell\ufffd"),)),
        ]
    assert units[0].props == {"x-l10n-origin": "approved", "n": "1"}
    assert units[0].notes == ["checked"]
    assert [u.line for u in units] == sorted(u.line for u in units)


def test_what_the_writer_makes_is_tmx_for_another_reader() -> None:
    store = tmxfile.parsestring(document(UNITS[:2]), sourcelanguage="en", targetlanguage="ja")
    assert [u.source for u in store.units] == ["Leaders <meet> & talk", "x"]
    assert store.units[0].target == "首脳が会談"


def test_an_empty_document_has_a_header_and_a_body() -> None:
    header = TmxHeader(srclang=None, o_tmf="l10n-tm")
    [read] = list(read_tmx(document([], header)))
    assert read.srclang == "*all*" and read.created is None and read.creationtool == "l10n"


def test_segment_text_keeps_highlighting_and_drops_inline_codes() -> None:
    data = """<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept>
<hi>now<ph>&lt;br/&gt;</ph>!</hi><!-- a comment --></seg></tuv>
<tuv lang="ja"><seg>今すぐ</seg></tuv><tuv xml:lang="ko"/></tu></body></tmx>"""
    _, unit = list(read_tmx(data.encode()))
    assert unit.variants == (TmxVariant("en", "Click here\nnow!"), TmxVariant("ja", "今すぐ"))


def test_dates_are_utc_and_bad_ones_are_none() -> None:
    tokyo = datetime(2026, 3, 1, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    assert tmx_date(tokyo) == "20260301T090000Z"
    assert parse_tmx_date("20260301T090000Z") == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert parse_tmx_date("2026-03-01") is None and parse_tmx_date(None) is None


def test_a_stream_gives_the_units_before_a_break_and_a_check_gives_none() -> None:
    data = document(UNITS[:2]).replace(b"</body>", b"<tu>")
    seen: list[TmxHeader | TmxUnit] = []
    with pytest.raises(TmxError) as caught:
        for item in read_tmx(data):
            seen.append(item)
    assert "not well-formed XML" in caught.value.message and caught.value.line > 1
    assert len(seen) == 3  # the header and both units came before the break
    with pytest.raises(TmxError):
        check_tmx(data)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "not well-formed XML", 1),
        (b"<xliff version='1.2'>\n<file/></xliff>", "the root element is <xliff>, not <tmx>", 1),
        (b"\n\n<tmx><body><tu></body></tmx>", "not well-formed XML", 3),
    ],
)
def test_unreadable_files_say_why_and_where(data: bytes, message: str, line: int) -> None:
    with pytest.raises(TmxError) as caught:
        check_tmx(data)
    assert message in caught.value.message and caught.value.line == line


def test_entities_are_neither_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y "inner">]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>a&x;&y;b</seg></tuv></tu></body></tmx>""".encode()
    _, unit = list(read_tmx(data))
    assert unit.variants == (TmxVariant("en", "ab", ("&x;", "&y;")),)  # named, for callers
