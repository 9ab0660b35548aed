"""Glossary import: time and peak memory of `l10n glossary import` on a large CSV table.

A multilingual term table of 60,000 rows (about 30 MB: a header of language codes, then
one row per term with a column per language, as CAT tools and Amazon Translate keep them)
is generated (seeded), then imported by the real command in a child process. Prints the
rows, the size, the child's CPU time (what other work on a shared machine does not change),
its wall time and its peak RSS, and exits non-zero when the CPU time or the memory misses
its target, so `make bench` fails on a regression. One row in 20 is
an alias (same targets, another source form), so the merging is exercised too.

Example:
    .venv/bin/python benchmarks/bench_glossary_import.py
    .venv/bin/python benchmarks/bench_glossary_import.py --rows 200000
    .venv/bin/python benchmarks/bench_glossary_import.py --smoke
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = "import sys; from l10n.cli import main; sys.argv[0] = 'l10n'; main()"
LANGS = ["en", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "sv"]
SYLLABLES = ["ka", "ta", "mi", "no", "ri", "su", "ko", "ha", "ma", "ya", "shi", "to", "na"]
KANA = "カタミノリスコハマヤシトナラ"
HANGUL = "카타미노리스코하마야시토나라"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _word(rng: random.Random, letters: str, low: int, high: int) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(low, high)))


def write_table(path: Path, rows: int, rng: random.Random) -> None:
    """``rows`` term rows (plus the header), about 500 bytes each."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LANGS)
        previous: list[str] | None = None
        for index in range(rows):
            if previous is not None and index % 20 == 0:
                alias = f"{previous[0]} ({index})"
                writer.writerow([alias, *previous[1:]])
                continue
            given = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
            source = f"{given} {_word(rng, LATIN, 6, 10).title()} {index}"
            cells = [
                source,
                _word(rng, KANA, 4, 8) + f"{index}",
                _word(rng, HANGUL, 3, 6) + f"{index}",
                *(
                    " ".join(_word(rng, LATIN, 4, 9) for _ in range(7)) + f" {index}"
                    for _ in LANGS[3:]
                ),
            ]
            writer.writerow(cells)
            previous = cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--max-seconds", type=float, default=10.0, help="CPU-time target")
    parser.add_argument("--max-rss-mb", type=float, default=100.0, help="peak RSS target")
    parser.add_argument("--smoke", action="store_true", help="2,000 rows; no targets")
    args = parser.parse_args()
    if args.smoke:
        args.rows = 2000
    with tempfile.TemporaryDirectory(prefix="l10n-bench-import-") as tmp:
        table = Path(tmp) / "terms.csv"
        write_table(table, args.rows, random.Random(21))
        size_mb = table.stat().st_size / 1e6
        out = Path(tmp) / "terms.yaml"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CLI, "glossary", "import", str(table), "-o", str(out)],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        if done.returncode != 0 or not out.exists():
            print(f"import failed (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
            return 1
        print(done.stdout.strip())
        print(
            f"glossary import: {args.rows:,} rows, {size_mb:.1f} MB CSV in {cpu:.2f}s CPU "
            f"({wall:.2f}s wall), "
            f"peak RSS {peak_mb:.0f} MB (targets ≤ {args.max_seconds:.0f}s CPU, "
            f"≤ {args.max_rss_mb:.0f} MB)"
        )
    if args.smoke:
        print("smoke run: targets not checked")
        return 0
    return 0 if cpu <= args.max_seconds and peak_mb <= args.max_rss_mb else 1


if __name__ == "__main__":
    sys.exit(main())
