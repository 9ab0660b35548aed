"""`l10n glossary import` of TBX and TMX: streamed, all or nothing, problems by XML line.

The files are written here (own names and renderings); hostile ones carry entity bombs,
external entities and truncation, and must end in one line naming file and line.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from l10n.glossary import load_glossary
from l10n.glossary.interchange import export_glossary
from l10n.glossary.interchange.stream import TermStore
from l10n.glossary.interchange.tbx import read_tbx
from l10n.glossary.interchange.tmx import read_tmx_terms

ROOT = Path(__file__).resolve().parent.parent
L10N = ROOT / ".venv" / "bin" / "l10n"
LEADERS = load_glossary(ROOT / "glossaries" / "leaders.yaml")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(L10N), "glossary", "import", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tbx(*concepts: str, lang: str = "en", doctype: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<martif type="TBX-Basic" '
    body = "".join(concepts)
    return (f'{head}xml:lang="{lang}">\n<text><body>\n{body}</body></text>\n</martif>\n').encode()


def concept(source: str, ja: str, *, ident: str = "", ko: str = "") -> str:
    """One termEntry over three lines (so its line number is easy to say)."""
    ident_attr = f' id="{ident}"' if ident else ""
    ko_set = f'<langSet xml:lang="ko"><tig><term>{ko}</term></tig></langSet>' if ko else ""
    return (
        f"<termEntry{ident_attr}>\n"
        f'<langSet xml:lang="en"><tig><term>{source}</term></tig></langSet>'
        f'<langSet xml:lang="ja"><tig><term>{ja}</term></tig></langSet>{ko_set}\n'
        "</termEntry>\n"
    )


def tmx(*units: tuple[str, str]) -> bytes:
    head = (
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        'segtype="phrase" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>'
        "\n<body>\n"
    )
    body = "".join(
        f'<tu><tuv xml:lang="en"><seg>{en}</seg></tuv><tuv xml:lang="ja"><seg>{ja}</seg></tuv>'
        "</tu>\n"
        for en, ja in units
    )
    return f"{head}{body}</body></tmx>\n".encode()


def _key(entry):  # type: ignore[no-untyped-def]
    return (
        entry.type,
        entry.source,
        entry.targets,
        entry.aliases,
        {lang: v for lang, v in entry.variants.items() if v},
        entry.short_form_of,
    )


def test_tbx_export_imports_back_with_short_forms_variants_and_notes(tmp_path: Path) -> None:
    [file] = export_glossary(LEADERS.entries, "tbx", name="leaders.yaml").files
    source = tmp_path / "leaders.tbx"
    source.write_bytes(file.data)
    out = tmp_path / "back.yaml"
    done = run(source, "-o", out)
    assert done.returncode == 0, done.stderr
    assert f"({len(LEADERS.entries)} entries from {len(LEADERS.entries)} term entries)" in (
        done.stdout
    )
    back = load_glossary(out)  # raises on any problem in the written glossary
    assert {e.id: _key(e) for e in back.entries} == {e.id: _key(e) for e in LEADERS.entries}
    assert any(e.is_short for e in back.entries) and any(e.note for e in back.entries)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.yaml", "leaders.tbx"]


def test_tbx_contradictions_are_listed_by_line_and_summarised(tmp_path: Path) -> None:
    concepts = [concept(f"Name {n}", f"名前{n}") for n in range(25)]
    concepts += [concept(f"Name {n}", f"別名{n}") for n in range(25)]
    source = tmp_path / "terms.tbx"
    source.write_bytes(tbx(*concepts))
    out = tmp_path / "out.yaml"
    done = run(source, "-o", out)
    assert done.returncode == 2, done.stdout + done.stderr
    # <termEntry> n starts on line 4 + 3n; the 26th (n = 25) repeats "Name 0".
    assert f"{source}:79: 'Name 0' has the ja target '別名0' here but '名前0' on line 4" in (
        done.stderr
    )
    listed = [line for line in done.stderr.splitlines() if line.startswith(f"{source}:")]
    assert len(listed) == 20 + 1
    every = tmp_path / "terms.tbx.problems.txt"
    assert f"… and 5 more; all of them in {every}" in done.stderr
    assert len(every.read_text(encoding="utf-8").splitlines()) == 25
    assert f"nothing was written to {out}" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terms.tbx", "terms.tbx.problems.txt"]


def test_tbx_ids_are_kept_and_repeats_made_unique(tmp_path: Path) -> None:
    source = tmp_path / "terms.tbx"
    source.write_bytes(
        tbx(
            concept("Tokyo", "東京", ident="tokyo", ko="도쿄"),
            concept("Tokyo Metropolis", "東京都", ident="tokyo"),
            concept("Kyoto", "", ident="kyoto"),  # no target: skipped
        )
    )
    out = tmp_path / "out.yaml"
    done = run(source, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "2 entries from 3 term entries; 1 term entry without a source term" in done.stdout
    back = load_glossary(out)
    assert [(e.id, e.source, e.targets) for e in back.entries] == [
        ("tokyo", "Tokyo", {"ja": "東京", "ko": "도쿄"}),
        ("tokyo-2", "Tokyo Metropolis", {"ja": "東京都"}),
    ]


def test_a_short_form_of_nobody_is_a_problem(tmp_path: Path) -> None:
    short = (
        '<termEntry id="kim">\n<ref type="crossReference" target="kim-jiho">Kim Jiho</ref>'
        '<langSet xml:lang="en"><tig><term>Kim</term></tig></langSet>'
        '<langSet xml:lang="ko"><tig><term>김</term></tig></langSet>\n</termEntry>\n'
    )
    source = tmp_path / "terms.tbx"
    source.write_bytes(tbx(concept("Park Mina", "パク・ミナ", ident="park-mina"), short))
    done = run(source, "-o", tmp_path / "out.yaml")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{source}:7: the short form 'kim' refers to 'kim-jiho'" in done.stderr


def test_a_name_both_full_and_short_and_a_variant_that_is_the_target(tmp_path: Path) -> None:
    short = (
        '<termEntry id="park">\n<ref type="crossReference" target="park-mina">Park Mina</ref>'
        '<langSet xml:lang="en"><tig><term>Park Mina</term></tig></langSet>'
        '<langSet xml:lang="ja"><tig><term>パク</term></tig></langSet>\n</termEntry>\n'
    )
    variant = (
        "<termEntry>\n"
        '<langSet xml:lang="en"><tig><term>Seoul</term></tig></langSet>'
        '<langSet xml:lang="ja"><tig><term>ソウル</term></tig><tig><term>ソウル</term>'
        '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>'
        "</langSet>\n</termEntry>\n"
    )
    source = tmp_path / "terms.tbx"
    source.write_bytes(tbx(concept("Park Mina", "パク・ミナ", ident="park-mina"), short, variant))
    done = run(source, "-o", tmp_path / "out.yaml")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{source}:7: 'Park Mina' is a short form here but a full name on line 4" in (
        done.stderr
    )
    assert f"{source}:10: 'Seoul' lists its own ja target 'ソウル' as a deprecated" in (done.stderr)


def test_tmx_units_stream_into_entries_with_aliases(tmp_path: Path) -> None:
    source = tmp_path / "terms.tmx"
    source.write_bytes(tmx(("Osaka", "大阪"), ("Osaka City", "大阪"), ("Nara", "奈良"), ("", "x")))
    out = tmp_path / "out.yaml"
    done = run(source, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "2 entries from 4 units; 1 unit without a source term" in done.stdout
    back = load_glossary(out)
    assert [(e.source, e.aliases, e.targets) for e in back.entries] == [
        ("Osaka", ["Osaka City"], {"ja": "大阪"}),
        ("Nara", [], {"ja": "奈良"}),
    ]


LAUGHS = (
    "<!DOCTYPE {root} [\n"
    '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">\n'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>\n"
)
EXTERNAL = '<!DOCTYPE {root} [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        (
            "laughs.tbx",
            tbx(concept("&i;", "笑"), doctype=LAUGHS.format(root="martif")),
            13,
            "declares XML entities",
        ),
        (
            "external.tbx",
            tbx(concept("&x;", "外"), doctype=EXTERNAL.format(root="martif")),
            5,
            "declares XML entities",
        ),
        (
            "laughs.tmx",
            LAUGHS.format(root="tmx").encode() + tmx(("&i;", "笑")).split(b"\n", 1)[1],
            12,
            "declares XML entities",
        ),
        (
            "external.tmx",
            EXTERNAL.format(root="tmx").encode() + tmx(("&x;", "外")).split(b"\n", 1)[1],
            4,
            "declares XML entities",
        ),
        (
            "external-dtd.tmx",  # not declared here, so not refused as a declaration
            b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + tmx(("Osaka", "大阪"), ("Tom&nbsp;Lee", "トム・リー")).split(b"\n", 1)[1],
            5,
            "entity reference &nbsp; is not expanded",
        ),
        ("cut.tbx", tbx(concept("Tokyo", "東京"))[:-40], 5, "not well-formed XML"),
        ("cut.tmx", tmx(("Tokyo", "東京"))[:-20], 4, "not well-formed XML"),
        ("undeclared.tbx", tbx(concept("&y;", "東京")), 5, "Entity 'y' not defined"),
        ("html.tbx", b"<html>\n<body/></html>", 1, "not a TBX file"),
        ("html.tmx", b"\n<html><body/></html>", 2, "not <tmx>"),
        ("empty.tbx", b"", 1, ""),
    ],
)
def test_hostile_xml_is_one_line_naming_file_and_line(
    tmp_path: Path, name: str, data: bytes, line: int, words: str
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out.yaml"
    done = run(source, "-o", out)
    assert done.returncode == 1, done.stdout + done.stderr
    [message] = done.stderr.strip().splitlines()
    assert message.startswith(f"Error: {source}:{line}: "), message
    assert words in message and "nothing was written" in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_readers_take_documents_in_memory_too() -> None:
    with TermStore() as store:
        result = read_tbx(tbx(*(concept(f"Name {n}", f"名前{n}") for n in range(300))), store)
        assert (result.rows, result.entries, result.problem_count) == (300, 300, 0)
    with TermStore() as store:
        result = read_tmx_terms(tmx(*((f"Name {n}", f"名前{n}") for n in range(300))), store)
        assert (result.rows, result.entries, result.source_language) == (300, 300, "en")
