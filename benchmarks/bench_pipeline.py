"""What one worker does per hour, and how throughput moves with Dask workers.

Runs ``l10n translate`` end to end (Prefect, detection, segmentation, MT, glossary,
QA, storage, review files) on a generated batch with the pseudo engine and with test
Argos packages built from scratch: a tiny model (the pipeline's own overhead) and a
model of the published packages' shape (6+6 layers, d512, 32k vocabulary, int8) whose
random weights cost what real weights cost per token. Prints a table and exits 1 when
a target is missed.

Example:
    .venv/bin/python benchmarks/bench_pipeline.py --articles 120
    .venv/bin/python benchmarks/bench_pipeline.py --smoke    # 2 articles, tiny model only
"""

from __future__ import annotations

import argparse
import atexit
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


def install_test_packages(work: Path, size: str) -> Path:
    """en→ja and en→ko test packages of ``size``, installed the way users install packages."""
    from modelkit import build_test_package

    packages = work / f"packages-{size}"
    files = []
    for target in ("ja", "ko"):
        built = build_test_package(work / "built", "en", target, size=size)
        files += ["--file", str(built)]
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
    return packages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument(
        "--base-articles", type=int, default=20, help="articles for the base-size model rows"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="2 articles, no base-size model; no target checked"
    )
    args = parser.parse_args()
    if args.smoke:
        args.articles = 2
    from briefings import write_briefings

    from l10n.server.local import stop_local_server

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    inputs = work / "in"
    inputs.mkdir()
    segments = write_briefings(inputs, args.articles)
    tiny = install_test_packages(work, "tiny")
    base = install_test_packages(work, "base") if not args.smoke else tiny
    env = {
        "PREFECT_HOME": str(work / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    # The first run starts a local Prefect server in that home; every row reuses it.
    atexit.register(stop_local_server, work / "prefect")
    # Warm Prefect's database once so every row pays the same start-up.
    run_cli(
        [str(inputs / "briefing-0000.txt"), "--engine", "pseudo", "--out", str(work / "warm")], env
    )
    few = work / "few"
    few.mkdir()
    few_segments = write_briefings(few, args.base_articles)
    base_name = "argos base-size" if not args.smoke else "argos tiny (smoke)"
    dask1 = ["--dask", "local", "--dask-workers", "1"]
    dask2 = ["--dask", "local", "--dask-workers", "2"]
    cases = [
        ("pseudo", "threads", inputs, args.articles, segments, tiny, []),
        ("argos tiny model", "threads", inputs, args.articles, segments, tiny, []),
        ("argos tiny model", "dask, 1 worker", inputs, args.articles, segments, tiny, dask1),
        ("argos tiny model", "dask, 2 workers", inputs, args.articles, segments, tiny, dask2),
        (base_name, "threads", few, args.base_articles, few_segments, base, []),
        (base_name, "dask, 2 workers", few, args.base_articles, few_segments, base, dask2),
    ]
    if args.smoke:
        cases = [cases[0], cases[1], cases[2]]
    rows = []
    for engine, runner, folder, articles, count, packages, extra in cases:
        name = "pseudo" if engine == "pseudo" else "argos"
        out = work / f"out-{len(rows)}"
        elapsed, _ = run_cli(
            [str(folder), "--engine", name, "--out", str(out), *extra],
            {**env, "ARGOS_PACKAGES_DIR": str(packages)},
        )
        seg_per_s = 2 * count / elapsed  # two target languages
        rows.append((engine, runner, articles, elapsed, seg_per_s, articles / elapsed * 3600))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print("articles of ~10 segments, translated into ja and ko; seconds include Prefect start-up")
    print(
        f"{'engine':<18} {'runner':<16} {'articles':>8} {'seconds':>8} {'seg/s':>7} "
        f"{'articles/h':>10}"
    )
    for engine, runner, articles, elapsed, seg_per_s, per_hour in rows:
        print(
            f"{engine:<18} {runner:<16} {articles:8d} {elapsed:8.1f} {seg_per_s:7.1f} "
            f"{per_hour:10.0f}"
        )
    print(f"peak RSS of a run: {peak_mb:.0f} MB")
    print(json.dumps({"rows": rows, "peak_rss_mb": peak_mb}))
    if args.smoke:
        print("smoke run: targets not checked")
        return 0
    failures = []
    if rows[0][4] < TARGET_SEGMENTS_PER_S:
        failures.append(f"pseudo pipeline {rows[0][4]:.1f} seg/s < {TARGET_SEGMENTS_PER_S}")
    if peak_mb > TARGET_PEAK_RSS_MB:
        failures.append(f"peak RSS {peak_mb:.0f} MB > {TARGET_PEAK_RSS_MB} MB")
    for failure in failures:
        print("TARGET MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
