"""``make bench``: every benchmark in turn; exits 1 when any of them misses its target.

The first table is the profile: milliseconds per article for each stage of the pipeline,
and the floor (the plain functions, no Prefect, no writes). ``BENCH_QUICK=1`` runs each on
less input (the whole run in under 10 minutes on 2 cores); the targets stay the same.
``--smoke`` runs every benchmark's smoke mode (tiny input, no targets): what
``tests/test_benchmarks_smoke.py`` runs, in one go.

Example:
    .venv/bin/python benchmarks/run_all.py
    BENCH_QUICK=1 .venv/bin/python benchmarks/run_all.py
    .venv/bin/python benchmarks/run_all.py --smoke
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks(quick: bool) -> list[tuple[str, list[str]]]:
    return [
        (
            "profile: ms per article per stage, and the floor (no Prefect, no writes)",
            ["bench_profile.py", "--articles", "40" if quick else "100"],
        ),
        (
            "segmentation: tables per language (en >= 46/48 golden rules) and speed",
            ["bench_segment.py"],
        ),
        ("glossary: segments/s with 1,000 entries (target >= 5,000)", ["bench_glossary.py"]),
        (
            "glossary import: a 60,000-row, 28 MB CSV table and 30 MB TBX and TMX files "
            "(targets <= 10 s CPU for CSV, <= 20 s for TBX/TMX, <= 100 MB RSS)",
            ["bench_glossary_import.py"],
        ),
        (
            "names: name-inconsistent recall/precision per language; glossary + name finder "
            "segments/s (target >= 5,000)",
            ["bench_names.py", "--segments", "5000" if quick else "20000"],
        ),
        ("boilerplate: recall >= 0.9, no story line dropped", ["bench_boilerplate.py"]),
        ("argos engine, tiny test model: the engine's own overhead", ["bench_engine.py"]),
        (
            "argos engine, model of the published packages' shape: cost per segment",
            ["bench_engine.py", "--size", "base", "--sentences", "48" if quick else "100"],
        ),
        (
            "translation stage vs raw CTranslate2 vs argostranslate "
            "(targets: pipeline_vs_raw <= 1.10, speedup_vs_argostranslate >= 5)",
            ["compare.py"],
        ),
        ("what Prefect adds to a small CLI run", ["bench_prefect.py"]),
        ("translation memory: 60,000 segments in SQLite vs one file each", ["bench_memory.py"]),
        (
            "pipeline per worker and Dask scaling",
            ["bench_pipeline.py", "--articles", "20" if quick else "60"]
            + (["--base-articles", "6"] if quick else []),
        ),
        (
            "newsroom scale: wall and peak memory at 100 / 1,000 / 5,000 articles (flat: <= 1.3x)",
            ["bench_scale.py"],
        ),
        ("review: one decision's cost at 20 / 2,000 / 20,000 segments", ["bench_review.py"]),
    ]


def main() -> int:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    smoke = "--smoke" in sys.argv[1:]
    started = time.perf_counter()
    failed = []
    for title, command in benchmarks(quick):
        print(f"\n=== {title}", flush=True)
        # A smoke run gives each benchmark its own tiny input instead of the sizes above.
        arguments = [command[0], "--smoke"] if smoke else command
        result = subprocess.run([sys.executable, str(HERE / arguments[0]), *arguments[1:]])
        if result.returncode != 0:
            failed.append(title)
    print()
    for title in failed:
        print(f"FAILED: {title}")
    print("all benchmarks met their targets" if not failed else f"{len(failed)} failed")
    kind = "smoke " if smoke else "quick " if quick else ""
    print(f"{kind}bench took {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
