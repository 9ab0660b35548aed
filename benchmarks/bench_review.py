"""Review: what one decision costs as an article grows (the app saves each decision at once).

A stored article of N segments is made from the test fixture's sentences (our own text), and
one approval at a time is saved, as the review app does: the median wall time per decision is
printed per size, with the ratio to the smallest. A decision appends its segment to the
article's decision log (docs/review.md, "What is on disk when"), so its cost should not grow
with the article: the target is the largest size within about 2x of the smallest. The first
save of an article in a process reads it (and here also writes it in full once, as the fixture
has no decision log yet); that one-off cost is printed apart.

Example:
    .venv/bin/python benchmarks/bench_review.py
    .venv/bin/python benchmarks/bench_review.py --sizes 20 2000
    .venv/bin/python benchmarks/bench_review.py --smoke    # 5 and 20 segments, a few each
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


def decision_seconds(size: int, repeats: int) -> tuple[float, float]:
    """The first save's time and the median of the ``repeats`` after it."""
    glossary = load_glossary(GLOSSARY)
    with tempfile.TemporaryDirectory() as tmp:
        run = article_of(size, Path(tmp) / "run")
        times = []
        for n in range(repeats + 2):
            started = time.perf_counter()
            save_decisions(
                run,
                "nara-summit",
                # alternate approve/reject on the first segments: the language never becomes
                # publishable (that save writes the reviewed text, the whole article, once)
                [Decision(n % size, "ko", ("approved", "rejected")[n % 2], "bench")],
                glossary=glossary,
            )
            times.append(time.perf_counter() - started)
        return sum(times[:2]), statistics.median(times[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 2000, 20000])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--smoke", action="store_true", help="5 and 20 segments, 3 decisions each")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.repeats = [5, 20], 3
    base = None
    for size in args.sizes:
        first, seconds = decision_seconds(size, args.repeats)
        base = base or seconds
        print(
            f"{size:>7} segments: {seconds * 1000:8.1f} ms per decision ({seconds / base:.1f}x); "
            f"first two saves (read, full write) {first * 1000:.0f} ms"
        )
    if args.smoke:
        print("smoke run: figures from 5 and 20 segments")


if __name__ == "__main__":
    main()
