"""What one worker does per hour, and how throughput moves with Dask workers.

Runs ``l10n translate`` end to end (Prefect, detection, segmentation, MT, glossary,
QA, storage, review files) on a generated batch, with the pseudo engine and with a
test Argos package built from scratch (random weights: its speed is the engine's
overhead plus a tiny model, not a real 120 MB model's). Prints a table and exits 1
when a target is missed.

Example:
    .venv/bin/python benchmarks/bench_pipeline.py --articles 120
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

TARGET_SEGMENTS_PER_S = 20.0
TARGET_PEAK_RSS_MB = 2048


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "l10n"), "translate", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"l10n translate failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    from briefings import write_briefings
    from modelkit import build_test_package

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    inputs = work / "in"
    inputs.mkdir()
    segments = write_briefings(inputs, args.articles)
    packages = work / "packages"
    files = []
    for target in ("ja", "ko"):
        files += ["--file", str(build_test_package(work / "built", "en", target))]
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "l10n"),
            "models",
            "install",
            *files,
            "--allow-unpinned",
            "--packages-dir",
            str(packages),
        ],
        check=True,
        capture_output=True,
    )
    env = {
        "ARGOS_PACKAGES_DIR": str(packages),
        "PREFECT_HOME": str(work / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    # Warm Prefect's database once so every row pays the same start-up.
    run_cli(
        [str(inputs / "briefing-0000.txt"), "--engine", "pseudo", "--out", str(work / "warm")], env
    )
    rows = []
    cases = [
        ("pseudo", "threads", []),
        ("argos (test model)", "threads", []),
        ("argos (test model)", "dask, 1 worker", ["--dask", "local", "--dask-workers", "1"]),
        ("argos (test model)", "dask, 2 workers", ["--dask", "local", "--dask-workers", "2"]),
    ]
    for engine, runner, extra in cases:
        name = "pseudo" if engine == "pseudo" else "argos"
        out = work / f"out-{len(rows)}"
        elapsed, _ = run_cli([str(inputs), "--engine", name, "--out", str(out), *extra], env)
        seg_per_s = 2 * segments / elapsed  # two target languages
        rows.append((engine, runner, elapsed, seg_per_s, args.articles / elapsed * 3600))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"batch: {args.articles} articles, {segments} segments, into ja and ko")
    print(f"{'engine':<20} {'runner':<16} {'seconds':>8} {'seg/s':>8} {'articles/h':>11}")
    for engine, runner, elapsed, seg_per_s, per_hour in rows:
        print(f"{engine:<20} {runner:<16} {elapsed:8.1f} {seg_per_s:8.1f} {per_hour:11.0f}")
    print(f"peak RSS of a run: {peak_mb:.0f} MB")
    print(json.dumps({"rows": rows, "peak_rss_mb": peak_mb}))
    failures = []
    if rows[0][3] < TARGET_SEGMENTS_PER_S:
        failures.append(f"pseudo pipeline {rows[0][3]:.1f} seg/s < {TARGET_SEGMENTS_PER_S}")
    if peak_mb > TARGET_PEAK_RSS_MB:
        failures.append(f"peak RSS {peak_mb:.0f} MB > {TARGET_PEAK_RSS_MB} MB")
    for failure in failures:
        print("TARGET MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
