"""`l10n glossary import` of CSV/TSV tables: row by row, all or nothing, problems by line."""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import pytest
import yaml

from l10n.glossary import load_glossary, parse_glossary_text
from l10n.glossary.interchange.stream import TermStore, read_table, yaml_chunks
from l10n.glossary.schema import Entry

ROOT = Path(__file__).resolve().parent.parent
L10N = ROOT / ".venv" / "bin" / "l10n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(L10N), "glossary", "import", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_table_imports_with_aliases_and_counts_skipped_rows(tmp_path: Path) -> None:
    table = tmp_path / "terms.csv"
    table.write_text(
        "en,de,ja,ko\n"
        "Tokyo,Tokio,東京,도쿄\n"
        "Kyoto,Kyoto,,\n"  # no ja/ko term: skipped, and said so
        "Tokyo Metropolis,,東京,도쿄\n"  # same targets: an alias of Tokyo
        "Tokyo,,東京,도쿄\n"  # the same term again: adds nothing
        '"Seoul, the capital",,ソウル,서울\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    done = run(table, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "2 entries from 5 rows; 1 row without a source term" in done.stdout
    entries = {e.source: e for e in load_glossary(out).entries}
    assert entries.keys() == {"Tokyo", "Seoul, the capital"}
    assert entries["Tokyo"].aliases == ["Tokyo Metropolis"]
    assert entries["Tokyo"].targets == {"ja": "東京", "ko": "도쿄"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_contradicting_rows_are_listed_by_line_and_nothing_is_written(tmp_path: Path) -> None:
    table = tmp_path / "terms.csv"
    table.write_text(
        "en,ja,ko\nTokyo,東京,도쿄\nOsaka,大阪,오사카\nTokyo,東亰,도쿄\n", encoding="utf-8"
    )
    out = tmp_path / "out.yaml"
    done = run(table, "-o", out)
    assert done.returncode == 2
    assert f"{table}:4: 'Tokyo' has the ja target '東亰' here but '東京' on line 2" in done.stderr
    assert f"nothing was written to {out}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["terms.csv"]


def test_many_problems_are_summarised_with_the_full_list_in_a_file(tmp_path: Path) -> None:
    table = tmp_path / "terms.tsv"
    rows = [f"Term {n}\tテルム{n}" for n in range(30)]
    rows += [f"Term {n}\tちがう{n}" for n in range(30)]
    table.write_text("en\tja\n" + "\n".join(rows) + "\n", encoding="utf-8")
    done = run(table, "-o", tmp_path / "out.yaml")
    assert done.returncode == 2
    listed = [line for line in done.stderr.splitlines() if line.startswith(f"{table}:")]
    assert len(listed) == 20 + 1  # the first 20, then the closing line naming the file
    every = tmp_path / "terms.tsv.problems.txt"
    assert f"… and 10 more; all of them in {every}" in done.stderr
    lines = every.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30
    assert lines[-1].startswith(f"{table}:61: 'Term 29' has the ja target")


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"en,ja\nTokyo,\xe6\x9d\xb1\xe4\xba\xac\nOsaka,\xff\xfe\n", 3, "not UTF-8"),
        (b"en,ja\nTokyo,x\x00y\n", 2, "binary data"),
        (b"en,ja\nTokyo,a\n" + b'Osaka,"' + b"x" * 140_000 + b"\n", 3, "never closes"),
        (b"en,ja\rTokyo,a\rOsaka,b\r", 1, "bare carriage return"),
        (b"Tokyo,a\n", 1, "--target-lang"),
        (b"\n\n", 1, "empty file"),
        (b"en,de\nTokyo,Tokio\n", 1, "names no target language"),
        (b"en," + b"x" * (1 << 21), 1, "longer than 1 MiB"),
    ],
)
def test_unreadable_table_names_its_line_and_writes_nothing(
    tmp_path: Path, content: bytes, line: int, words: str
) -> None:
    table = tmp_path / "bad.csv"
    table.write_bytes(content)
    out = tmp_path / "out.yaml"
    done = run(table, "-o", out)
    assert done.returncode == 1, done.stderr
    [message] = done.stderr.strip().splitlines()
    assert message.startswith(f"Error: {table}:{line}: "), message
    assert words in message and "nothing was written" in message
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]


def test_table_without_any_term_is_an_error(tmp_path: Path) -> None:
    table = tmp_path / "empty.csv"
    table.write_text("en,ja,ko\nKyoto,,\n", encoding="utf-8")
    done = run(table, "-o", tmp_path / "out.yaml")
    assert done.returncode == 1 and "no usable term found" in done.stderr


def test_a_row_spanning_lines_is_numbered_where_it_starts() -> None:
    data = 'en,ja\n"Tokyo\nCity",東京\nTokyo\nCity,x\nOsaka,大阪\n"Tokyo\nCity",東亰\n'
    with TermStore() as store:
        result = read_table(io.BytesIO(data.encode()), ",", store)
    assert [p.line for p in result.problems] == [7]
    assert "line 2" in result.problems[0].message


_AWKWARD = [
    "yes",
    "No",
    "null",
    "~",
    "2024",
    "1e3",
    "0x1F",
    "12:30",
    "2024-01-02",
    "- dash",
    "key: value",
    "trailing:",
    "a #hash",
    "#hash",
    "'quoted'",
    '"double"',
    "[list]",
    "{map}",
    "*star",
    "&anchor",
    "!tag",
    "|pipe",
    ">fold",
    "%percent",
    "@at",
    "`tick",
    "...",
    "---",
    "tab\there",
    "line\nbreak",
    "nbsp\u00a0inside",
    "zwj\u200dinside",
    "bom\ufeffinside",
    "del\x7finside",
    "nel\x85inside",
    "ls\u2028inside",
    "emoji 😀",
    "back\\slash",
    "東京・大阪",
    "서울",
    "?question",
    ",comma",
]


def test_yaml_reads_back_every_value_as_written() -> None:
    rng = random.Random(3)
    values = list(_AWKWARD)
    alphabet = "ab :#-'\"\\\t\n\u00a0\u2028\x85東서😀,[]{}!&*|>%@`?."
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(400)]
    values = [v for v in values if v.strip() == v and v]
    entries = [
        Entry(f"e{n}", "term", value, {"ja": value, "ko": f"k{n}"}, aliases=[f"{value} x"])
        for n, value in enumerate(values)
    ]
    text = b"".join(yaml_chunks(iter(entries), "en", batch=7)).decode("utf-8")
    loaded = yaml.safe_load(text)["entries"]
    assert [(e["source"], e["targets"]["ja"], e["aliases"]) for e in loaded] == [
        (v, v, [f"{v} x"]) for v in values
    ]
    parsed = parse_glossary_text(text)
    clean = [p for p in parsed.problems if "maps to different" not in p.message]
    assert clean == []


def test_an_empty_store_writes_a_glossary_without_entries() -> None:
    text = b"".join(yaml_chunks(iter([]), "en")).decode()
    assert yaml.safe_load(text) == {
        "version": 1,
        "source_language": "en",
        "strategy": "post-edit",
        "entries": [],
    }


def test_tmx_whose_terms_contradict_each_other_writes_nothing(tmp_path: Path) -> None:
    tmx = tmp_path / "terms.tmx"
    units = "".join(
        '<tu>\n<tuv xml:lang="en"><seg>Tokyo</seg></tuv>'
        f'<tuv xml:lang="ja"><seg>{ja}</seg></tuv></tu>\n'
        for ja in ("東京", "東亰")
    )
    tmx.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        'segtype="phrase" adminlang="en" creationtool="t" creationtoolversion="1" '
        f'o-tmf="t"/><body>\n{units}</body></tmx>',
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    done = run(tmx, "-o", out)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{tmx}:5: 'Tokyo' has the ja target '東亰' here but '東京' on line 3" in done.stderr
    assert "nothing was written" in done.stderr and not out.exists()
