"""The one XLIFF reader and writer: 1.2 round trips, 2.x reading, inline codes, bad files."""

from __future__ import annotations

from dataclasses import replace

import pytest
from translate.storage import xliff as toolkit_xliff

from l10n.formats.xliff import (
    XliffAlternative,
    XliffDocument,
    XliffError,
    XliffFile,
    XliffNote,
    XliffSegment,
    XliffUnit,
    parse_xliff,
    render_xliff_12,
)
from l10n.models import InlineCode


def without_lines(document: XliffDocument) -> XliffDocument:
    return replace(
        document,
        files=tuple(
            replace(
                file,
                line=None,
                units=tuple(
                    replace(
                        unit,
                        line=None,
                        segments=tuple(replace(s, line=None) for s in unit.segments),
                    )
                    for unit in file.units
                ),
            )
            for file in document.files
        ),
    )


def story(target_language: str = "ja", bell: str = "Bell\x07 rang.", first: int = 0) -> XliffFile:
    return XliffFile(
        original="nara-summit/source.txt",
        source_language="en",
        target_language=target_language,
        notes=(XliffNote("Leaders meet (in.txt)", "l10n"), XliffNote("PSEUDO", "l10n", 1)),
        units=(
            XliffUnit(
                id="0",
                resname="title",
                group=first,
                segments=(XliffSegment("Leaders  Meet\tin Nara", "奈良で首脳会談", "translated"),),
                preserve_space=True,
                alternatives=(XliffAlternative("l10n-mt", target_language, "奈良 会談"),),
            ),
            XliffUnit(
                id="1",
                resname="p0",
                group=first + 1,
                segments=(XliffSegment(bell, "鐘が鳴った。", "signed-off"),),
                approved="yes",
                notes=(XliffNote("tokyo: a → b (variant)", "l10n-glossary"), XliffNote("ok")),
                preserve_space=True,
            ),
            XliffUnit(
                id="2",
                group=first + 2,
                segments=(XliffSegment("Brand", None, None),),
                translate=False,
            ),
        ),
    )


def test_xliff_12_written_reads_back_the_same() -> None:
    data = render_xliff_12([story("ja"), story("ko")], tool="l10n")
    document = without_lines(parse_xliff(data))
    assert document.version == 1
    # Characters XML forbids are written as U+FFFD; everything else comes back as it was.
    # Paragraph groups are numbered through the document.
    bell = "Bell\ufffd rang."
    assert document.files == (story("ja", bell), story("ko", bell, first=3))


def test_what_the_writer_makes_is_xliff_12_for_another_reader() -> None:
    store = toolkit_xliff.xlifffile.parsestring(render_xliff_12([story()], tool="l10n"))
    units = store.getunits()
    assert [u.source for u in units] == ["Leaders  Meet\tin Nara", "Bell\ufffd rang.", "Brand"]
    assert units[1].target == "鐘が鳴った。" and units[1].isapproved()
    assert "tokyo: a → b (variant)" in units[1].getnotes()
    assert [u.xmlelement.get("id") for u in units] == ["0", "1", "2"]


XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="ko">
 <file id="f1" original="brief.txt">
  <notes><note category="desk">from the desk</note></notes>
  <unit id="u1" name="lead">
   <notes><note category="reviewer" priority="2">check  the name</note></notes>
   <segment state="final"><source>One
     sentence.</source><target>한 문장.</target></segment>
   <ignorable><source> </source></ignorable>
   <segment state="initial"><source>Two <pc id="p1">bold</pc><ph id="q"/> words.</source>
    <target>두 단어.</target></segment>
  </unit>
  <unit id="u2" translate="no"><segment><source>Skip</source></segment></unit>
  <unit id="u3" xml:space="preserve"><segment><source> Kept  as is </source></segment></unit>
 </file>
</xliff>"""


def test_xliff_2_units_hold_their_segments_and_languages() -> None:
    document = without_lines(parse_xliff(XLIFF_2.encode()))
    assert document.version == 2
    [file] = document.files
    assert (file.original, file.source_language, file.target_language) == (
        "brief.txt",
        "en-US",
        "ko",
    )
    assert file.notes == (XliffNote("from the desk", "desk"),)
    u1, u2, u3 = file.units
    assert u1 == XliffUnit(
        id="u1",
        resname="lead",
        group=0,
        notes=(XliffNote("check  the name", "reviewer", 2),),
        segments=(
            XliffSegment("One sentence.", "한 문장.", "final"),
            XliffSegment(
                "Two bold words.",
                "두 단어.",
                "initial",
                source_codes=("pc", "ph"),
                source_inline=(
                    "Two ",
                    InlineCode("pc", "open", "p1", (("id", "p1"),), "", 2),
                    "bold",
                    InlineCode("pc", "close", "p1", (), "", 2),
                    InlineCode("ph", "standalone", "q", (("id", "q"),), "", 2),
                    " words.",
                ),
            ),
        ),
    )
    assert not u2.translate and u2.segments == (XliffSegment("Skip"),)
    assert u3.preserve_space and u3.segments[0].source == " Kept  as is "
    assert [u.group for u in file.units] == [0, 1, 2]


def test_xliff_12_inline_codes_groups_and_white_space() -> None:
    data = """<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="doc/story.html" source-language="en" target-language="ja" datatype="html">
<body>
 <group id="g"><trans-unit id="a"><source>First <g id="1">bold</g> one.<x id="2"/></source>
   <target state="translated">最初<ph id="3">&lt;br/&gt;</ph>の  文</target>
   <note from="rev">ok</note></trans-unit>
  <trans-unit id="b"><source>Second
    one.</source></trans-unit></group>
 <trans-unit id="c">
  <source>Alone <bpt id="4">&lt;i&gt;</bpt>here<ept id="4">&lt;/i&gt;</ept>.</source>
  <target/></trans-unit>
</body></file></xliff>"""
    [file] = parse_xliff(data.encode()).files
    a, b, c = file.units
    assert a.segments[0].source == "First bold one."
    assert a.segments[0].target == "最初の 文"  # the <br/> code is markup, not text
    assert a.notes == (XliffNote("ok", "rev"),)
    assert b.segments[0] == XliffSegment("Second one.", None, None, b.segments[0].line)
    assert c.segments[0].source == "Alone here." and c.segments[0].target == ""
    assert a.group == b.group != c.group
    assert file.datatype == "html"


@pytest.mark.parametrize(
    ("root", "version"),
    [
        ('<xliff version="1.2">', 1),
        ('<xliff version="2.1">', 2),
        ('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">', 1),
        ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0">', 2),
    ],
)
def test_the_version_comes_from_the_namespace_or_the_version_attribute(
    root: str, version: int
) -> None:
    assert parse_xliff(f"{root}<file/></xliff>".encode()).version == version


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"<xliff version='1.2'>\n<file>", "not well-formed XML", 2),
        (b"", "not well-formed XML", 1),
        (b"\n<tmx version='1.4'><body/></tmx>", "not an XLIFF 1.2 or 2.x file", 2),
    ],
)
def test_unreadable_files_say_why_and_where(data: bytes, message: str, line: int) -> None:
    with pytest.raises(XliffError) as caught:
        parse_xliff(data)
    assert message in caught.value.message and caught.value.line == line


def test_entities_are_neither_expanded_nor_fetched(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y "inner">]>
<xliff version="1.2"><file source-language="en" target-language="ja"><body>
<trans-unit id="1"><source>Hello &x;&y;.</source><target>&x;</target></trans-unit>
</body></file></xliff>""".encode()
    [file] = parse_xliff(data).files
    assert file.units[0].segments[0].source == "Hello ."
    assert file.units[0].segments[0].target == ""
