"""Review: what one decision costs as an article grows (the app saves each decision at once).

A stored article of N segments is made from the test fixture's sentences (our own text), and
one approval is saved N times over: the median wall time is printed per size, and the ratio to
the smallest. A save rewrites the article's files (segments, reviewed/draft text, XLIFF, diffs,
report page), so today the cost grows with the article; the figures show by how much. No
target: this measures the known limit (docs/review.md, Limits).

Example:
    .venv/bin/python benchmarks/bench_review.py
    .venv/bin/python benchmarks/bench_review.py --sizes 20 2000
    .venv/bin/python benchmarks/bench_review.py --smoke    # 5 and 20 segments, once each
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from l10n.glossary import load_glossary
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "run_sample"
GLOSSARY = ROOT / "glossaries" / "leaders.yaml"


def article_of(size: int, folder: Path) -> Run:
    shutil.copytree(FIXTURE, folder)
    segments = folder / "nara-summit" / "segments.jsonl"
    rows = [json.loads(line) for line in segments.read_text("utf-8").splitlines()]
    many = []
    for n in range(size):
        row = json.loads(json.dumps(rows[1 + n % 4]))
        row["index"], row["paragraph"] = n, n
        many.append(row)
    segments.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in many), "utf-8")
    return Run.open(folder)


def decision_seconds(size: int, repeats: int) -> float:
    glossary = load_glossary(GLOSSARY)
    with tempfile.TemporaryDirectory() as tmp:
        run = article_of(size, Path(tmp) / "run")
        times = []
        for n in range(repeats):
            started = time.perf_counter()
            save_decisions(
                run,
                "nara-summit",
                [Decision(n % size, "ko", "approved", "bench")],
                glossary=glossary,
            )
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="5 and 20 segments, one decision each")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.repeats = [5, 20], 1
    base = None
    for size in args.sizes:
        seconds = decision_seconds(size, args.repeats)
        base = base or seconds
        print(f"{size:>7} segments: {seconds * 1000:8.1f} ms per decision ({seconds / base:.1f}x)")
    if args.smoke:
        print("smoke run: figures from 5 and 20 segments")


if __name__ == "__main__":
    main()
