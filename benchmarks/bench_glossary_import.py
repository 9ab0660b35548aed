"""Glossary import: time and peak memory of `l10n glossary import` on large CSV, TBX and TMX.

A multilingual term table of 60,000 rows (about 30 MB: a header of language codes, then
one row per term with a column per language, as CAT tools and Amazon Translate keep them)
is generated (seeded), and so are a TBX and a TMX file of about 30 MB holding the same
kind of terms (a termEntry or unit per term, a langSet or tuv per language). Each is
imported by the real command in a child process. Prints, per format, the terms, the size,
the child's CPU time (what other work on a shared machine does not change), its wall time
and its peak RSS, and exits non-zero when the CPU time or the memory misses its target, so
`make bench` fails on a regression. One term in 20 is an alias (same targets, another
source form), so the merging is exercised too.

Example:
    .venv/bin/python benchmarks/bench_glossary_import.py
    .venv/bin/python benchmarks/bench_glossary_import.py --formats tbx,tmx --mb 60
    .venv/bin/python benchmarks/bench_glossary_import.py --smoke
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

CLI = "import sys; from l10n.cli import main; sys.argv[0] = 'l10n'; main()"
LANGS = ["en", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "sv"]
SYLLABLES = ["ka", "ta", "mi", "no", "ri", "su", "ko", "ha", "ma", "ya", "shi", "to", "na"]
KANA = "カタミノリスコハマヤシトナラ"
HANGUL = "카타미노리스코하마야시토나라"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _word(rng: random.Random, letters: str, low: int, high: int) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(low, high)))


def term_rows(rng: random.Random) -> Iterator[list[str]]:
    """Endless term rows, a cell per language of :data:`LANGS`, about 500 bytes each."""
    previous: list[str] | None = None
    for index in itertools.count():
        if previous is not None and index % 20 == 0:
            yield [f"{previous[0]} ({index})", *previous[1:]]
            continue
        given = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        source = f"{given} {_word(rng, LATIN, 6, 10).title()} {index}"
        cells = [
            source,
            _word(rng, KANA, 4, 8) + f"{index}",
            _word(rng, HANGUL, 3, 6) + f"{index}",
            *(" ".join(_word(rng, LATIN, 4, 9) for _ in range(7)) + f" {index}" for _ in LANGS[3:]),
        ]
        yield cells
        previous = cells


def write_table(path: Path, rows: int, rng: random.Random) -> int:
    """``rows`` term rows (plus the header); the number of terms."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LANGS)
        writer.writerows(itertools.islice(term_rows(rng), rows))
    return rows


def _tbx_entry(row: list[str]) -> str:
    sets = "".join(
        f'   <langSet xml:lang="{lang}"><tig><term>{escape(text)}</term>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>'
        "</langSet>\n"
        for lang, text in zip(LANGS, row, strict=True)
    )
    return (
        f'  <termEntry>\n   <descrip type="subjectField">person</descrip>\n{sets}  </termEntry>\n'
    )


def _tmx_unit(row: list[str]) -> str:
    variants = "".join(
        f'   <tuv xml:lang="{lang}"><seg>{escape(text)}</seg></tuv>\n'
        for lang, text in zip(LANGS, row, strict=True)
    )
    return f"  <tu>\n{variants}  </tu>\n"


XML_FORMS = {
    "tbx": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en">\n'
        "<text><body>\n",
        _tbx_entry,
        "</body></text>\n</martif>\n",
    ),
    "tmx": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="en" '
        'datatype="plaintext" segtype="phrase" adminlang="en" o-tmf="bench" '
        'creationtool="bench" creationtoolversion="1"/>\n<body>\n',
        _tmx_unit,
        "</body>\n</tmx>\n",
    ),
}


def write_xml(path: Path, fmt: str, megabytes: float, rng: random.Random) -> int:
    """A TBX or TMX file of about ``megabytes`` MB; the number of terms."""
    head, item, tail = XML_FORMS[fmt]
    limit, size, terms = megabytes * 1e6, 0, 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(head)
        for row in term_rows(rng):
            text = item(row)
            handle.write(text)
            size, terms = size + len(text.encode()), terms + 1
            if size >= limit:
                break
        handle.write(tail)
    return terms


@dataclass
class Measure:
    fmt: str
    terms: int
    size_mb: float
    cpu: float
    wall: float
    peak_mb: float
    stdout: str


def measure(fmt: str, source: Path, out: Path, terms: int) -> Measure:
    """Import ``source`` in a child process; its own CPU time and peak RSS (wait4)."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CLI, "glossary", "import", str(source), "-o", str(out)],
            stdout=stdout,
            stderr=stderr,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        if child.returncode != 0 or not out.exists():
            message = stderr.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{fmt} import failed (exit {child.returncode}):\n{message}")
        text = stdout.read().decode(errors="replace").strip()
    return Measure(
        fmt,
        terms,
        source.stat().st_size / 1e6,
        usage.ru_utime + usage.ru_stime,
        wall,
        usage.ru_maxrss / 1024,
        text,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="CSV rows")
    parser.add_argument("--mb", type=float, default=30.0, help="size of the TBX and TMX files")
    parser.add_argument("--formats", default="csv,tbx,tmx", help="comma-separated")
    parser.add_argument("--max-seconds", type=float, default=10.0, help="CSV CPU-time target")
    parser.add_argument(
        "--max-xml-seconds", type=float, default=20.0, help="TBX/TMX CPU-time target"
    )
    parser.add_argument("--max-rss-mb", type=float, default=100.0, help="peak RSS target")
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, 0.5 MB; no targets")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.mb = 2000, 0.5
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - {"csv", *XML_FORMS})
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}; use csv, tbx, tmx")
    missed = []
    with tempfile.TemporaryDirectory(prefix="l10n-bench-import-") as tmp:
        for fmt in formats:
            source = Path(tmp) / f"terms.{fmt}"
            rng = random.Random(21)
            if fmt == "csv":
                terms = write_table(source, args.rows, rng)
            else:
                terms = write_xml(source, fmt, args.mb, rng)
            try:
                m = measure(fmt, source, Path(tmp) / f"{fmt}.yaml", terms)
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
                return 1
            finally:
                source.unlink()
            target = args.max_seconds if fmt == "csv" else args.max_xml_seconds
            print(m.stdout)
            print(
                f"glossary import {fmt}: {m.terms:,} terms, {m.size_mb:.1f} MB in {m.cpu:.2f}s "
                f"CPU ({m.wall:.2f}s wall), peak RSS {m.peak_mb:.0f} MB "
                f"(targets ≤ {target:.0f}s CPU, ≤ {args.max_rss_mb:.0f} MB)"
            )
            if m.cpu > target or m.peak_mb > args.max_rss_mb:
                missed.append(fmt)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if args.smoke:
        print("smoke run: targets not checked")
        return 0
    if missed:
        print(f"missed a target: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
