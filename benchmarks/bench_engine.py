"""Throughput and memory of ArgosEngine on a test package (or on installed real packages).

A test package has random weights, so its figures measure the engine's cost per token
(tokenizing, batching, decoding) rather than translation quality; ``--size base`` has the
published packages' shape (6+6 layers, d512, 32k vocabulary, int8) and so their cost per
token. Pass --packages-dir with real packages installed to measure those.

``--sweep`` times every combination of ``--budgets`` and ``--splits`` (parallel batches x
threads per batch) on the same sentences, repeating the grid in alternating order and
keeping each cell's best run, and prints the table docs/speed.md shows. Run it with
``--cores N`` to pin the process to N cores of a bigger machine.

Example:
    .venv/bin/python benchmarks/bench_engine.py
    .venv/bin/python benchmarks/bench_engine.py --size base --sweep --cores 2
    .venv/bin/python benchmarks/bench_engine.py --size base --sweep --cores 16 \\
        --splits 1x16,2x8,4x4,8x2,16x1 --budgets 1024,2048,4096,8192
    .venv/bin/python benchmarks/bench_engine.py --packages-dir "$ARGOS_PACKAGES_DIR"
    .venv/bin/python benchmarks/bench_engine.py --smoke    # tiny model, 8 sentences
    .venv/bin/python benchmarks/bench_engine.py --size base --sweep --device cuda \\
        --budgets 4096,8192,16384 --splits 1x1,2x1,4x1
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET_WAIT_S = 60.0  # the longest a run waits for other processes to go quiet
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _sentences(n: int) -> list[str]:
    """``n`` different news sentences (none repeats, so each one costs the model)."""
    from news_articles import UniqueSentences

    source = UniqueSentences(seed=1)
    return [source.next() for _ in range(n)]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pin_cores(cores: int) -> int:
    """Pin this process to its first ``cores`` allowed cores (0: leave as is); returns the count."""
    allowed = sorted(os.sched_getaffinity(0))
    if cores:
        if cores > len(allowed):
            raise SystemExit(f"--cores {cores}: only {len(allowed)} cores are available")
        os.sched_setaffinity(0, allowed[:cores])
    return len(os.sched_getaffinity(0))


def _busy_jiffies() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_for_quiet(limit_s: float, busy_max: float = 0.15) -> float:
    """Wait (up to ``limit_s``) until other processes leave the machine nearly idle.

    On a shared machine a run that starts while others compute measures them too. Returns
    the busy share seen last (0-1; -1 where /proc/stat cannot be read).
    """
    deadline = time.monotonic() + limit_s
    while True:
        try:
            busy0, total0 = _busy_jiffies()
            time.sleep(0.5)
            busy1, total1 = _busy_jiffies()
        except (OSError, ValueError, IndexError):
            return -1.0
        share = (busy1 - busy0) / max(1, total1 - total0)
        if share <= busy_max or time.monotonic() >= deadline:
            return share
        time.sleep(1.0)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def _parse_splits(text: str) -> list[tuple[int, int]]:
    splits = []
    for item in text.split(","):
        inter, _, intra = item.strip().partition("x")
        splits.append((int(inter), int(intra)))
    return splits


def _timed(
    engine, texts: list[str], source: str, target: str, quiet_s: float = QUIET_WAIT_S
) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds (all threads of this process) of one engine call."""
    wait_for_quiet(quiet_s)
    cpu = time.process_time()
    start = time.perf_counter()
    out = engine.translate_batch(texts, source, target)
    return time.perf_counter() - start, time.process_time() - cpu, out


def sweep(args: argparse.Namespace, packages: Path) -> None:
    from l10n.mt.engines.argos import ArgosEngine

    budgets = [int(b) for b in args.budgets.split(",")]
    splits = _parse_splits(args.splits)
    texts = _sentences(args.sentences)
    cells = [(b, s) for s in splits for b in budgets]
    engines = {
        (budget, split): ArgosEngine(
            packages,
            beam_size=args.beam_size,
            max_batch_tokens=budget,
            threads=split[0] * split[1],
            inter_threads=split[0],
            device=args.device,
        )
        for budget, split in cells
    }
    for engine in engines.values():  # load every translator before timing anything
        engine.translate_batch(texts[:1], args.source, args.target)
    loaded = engines[cells[0]]._load((args.source, args.target))
    source_tokens = sum(len(loaded.encode(t)) for t in texts)
    best: dict[tuple, tuple[float, float]] = {}
    runs: dict[tuple, list[float]] = {}
    target_tokens = 0
    for rep in range(args.repeats):
        order = cells if rep % 2 == 0 else list(reversed(cells))
        for cell in order:
            wall, cpu, out = _timed(engines[cell], texts, args.source, args.target, args.quiet)
            runs.setdefault(cell, []).append(wall)
            if cell not in best or wall < best[cell][0]:
                best[cell] = (wall, cpu)
            target_tokens = sum(len(loaded.encode(t)) for t in out)
            print(
                f"  run {rep + 1} budget {cell[0]:>5} split {cell[1][0]}x{cell[1][1]}: "
                f"{wall:6.2f} s wall, {cpu:6.2f} s CPU",
                flush=True,
            )

    print()
    print(f"machine: {pin_cores(0)} cores, {cpu_model()}")
    print(
        f"{len(texts)} sentences, {source_tokens} source tokens, beam {args.beam_size}; "
        f"seconds: best of {args.repeats} runs (all runs), CPU seconds of the best run"
    )
    print()
    header = "| batch tokens | " + " | ".join(f"{a}x{b}" for a, b in splits) + " |"
    print(header)
    print("|" + "---|" * (len(splits) + 1))
    for budget in budgets:
        row = [f"| {budget} "]
        for split in splits:
            wall, cpu = best[(budget, split)]
            spread = "/".join(f"{w:.1f}" for w in runs[(budget, split)])
            row.append(f"| {wall:.1f} ({spread}), CPU {cpu:.1f} ")
        print("".join(row) + "|")
    fastest = min(best, key=lambda c: best[c][0])
    print()
    print(
        f"fastest: {fastest[0]} tokens, {fastest[1][0]}x{fastest[1][1]}: "
        f"{best[fastest][0]:.2f} s, {len(texts) / best[fastest][0]:.1f} sentences/s, "
        f"about {target_tokens / best[fastest][0]:.0f} target tokens/s"
    )
    print(f"peak RSS {_peak_rss_mib():.0f} MiB")


def single(args: argparse.Namespace, packages: Path, built_in: float) -> None:
    from l10n.mt.engines.argos import ArgosEngine
    from l10n.mt.engines.ct2 import DEFAULT_MAX_BATCH_TOKENS

    engine = ArgosEngine(
        packages,
        beam_size=args.beam_size,
        max_batch_tokens=args.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
        threads=args.threads,
        device=args.device,
    )
    texts = _sentences(args.sentences)
    rss_before = _peak_rss_mib()
    start = time.perf_counter()
    engine.translate_batch(texts[:1], args.source, args.target)  # load the model
    loaded_in = time.perf_counter() - start
    elapsed, _, out = _timed(engine, texts, args.source, args.target, args.quiet)
    assert len(out) == len(texts)
    out_chars = sum(len(t) for t in out) / len(out)

    kind = (
        "installed packages" if args.packages_dir else f"{args.size} test package (random weights)"
    )
    run = engine.runner.run_settings()
    print(f"engine          argos, {kind}, {args.source}→{args.target}")
    print(
        f"settings        beam {engine.runner.beam_size}, {run.device} {run.compute_type}, "
        f"{run.inter_threads} parallel batches x {run.intra_threads} threads, "
        f"batch {engine.runner.max_batch_tokens} tokens"
    )
    if built_in:
        print(f"build+install   {built_in:.2f} s")
    print(f"model load      {loaded_in:.2f} s")
    print(
        f"segments        {len(texts)} in {elapsed:.2f} s = {len(texts) / elapsed:.1f} segments/s"
    )
    print(f"output          {out_chars:.0f} characters per segment on average")
    print(f"peak RSS        {_peak_rss_mib():.0f} MiB (before translating: {rss_before:.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--packages-dir", type=Path, default=None)
    parser.add_argument("--source", default="en")
    parser.add_argument("--target", default="ja")
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0, help="model threads (0: all cores)")
    parser.add_argument("--cores", type=int, default=0, help="pin to this many cores (0: all)")
    parser.add_argument("--max-batch-tokens", type=int, default=0, help="0: the engine's default")
    parser.add_argument(
        "--size",
        choices=("tiny", "base"),
        default="tiny",
        help="test model shape: tiny, or base = the published packages' shape "
        "(6+6 layers, d512, 32k vocabulary, int8)",
    )
    parser.add_argument("--sweep", action="store_true", help="time a grid of settings")
    parser.add_argument("--budgets", default="1024,2048,4096,8192")
    parser.add_argument("--splits", default="1x2,2x1", help="parallel batches x threads each")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--device", default="cpu", help="cpu, cuda or auto (on CUDA sweep --budgets 4096,...)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny model, 8 sentences (a 2x2 grid with --sweep)"
    )
    args = parser.parse_args()
    args.quiet = 0.0 if args.smoke else QUIET_WAIT_S
    if args.smoke:
        args.size, args.sentences, args.repeats = "tiny", 8, 1
        args.budgets, args.splits = "256,512", "1x1,1x2"
        args.packages_dir = None
    pin_cores(args.cores)

    from l10n.mt.engines.argos.packages import install_archive

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as work:
        packages = args.packages_dir
        built_in = 0.0
        if packages is None:
            from modelkit import build_test_package

            start = time.perf_counter()
            archive = build_test_package(
                Path(work) / "built", args.source, args.target, size=args.size
            )
            packages = Path(work) / "packages"
            install_archive(archive, packages)
            built_in = time.perf_counter() - start
        if args.sweep:
            sweep(args, packages)
        else:
            single(args, packages, built_in)


if __name__ == "__main__":
    main()
