"""Newsroom scale: wall time and peak memory of ``l10n translate`` at 100, 1,000, 5,000 articles.

Each size is a batch of generated 30-sentence articles with unique sentences (one JSONL
file), translated with the pseudo engine into ja and ko by the real command in its own
process, so its peak memory is measured alone: the sum of the resident sizes of the
command and the worker processes it finishes articles in, sampled every 50 ms (the
kernel's peak of the largest of them is printed beside it; the sizes run with
``L10N_WARM=0``, in their own processes). The bench has its own Prefect home: a first
one-article run starts the local server there and the warm process
(:mod:`l10n.cli.warm`), then warm one-article runs go through it, as a user's next
command would, and the sizes use the server. Exits 1 when a warm one-article run takes
more than 3 s (median), when the cost per article at the margin, (wall(1,000) -
wall(100)) / 900, is above 50 ms, when peak memory at 1,000 articles is more than 1.3
times that at 100 (memory must stay flat), or when the report index of the largest run
exceeds 2 MB per 1,000 articles.

Example:
    .venv/bin/python benchmarks/bench_scale.py --sizes 100,1000
    BENCH_QUICK=1 .venv/bin/python benchmarks/bench_scale.py
    .venv/bin/python benchmarks/bench_scale.py --smoke    # 2 and 4 articles, nothing checked
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAT_RATIO = 1.3
INDEX_BYTES_PER_1000 = 2_000_000
MARGIN_TARGET_MS = 50.0
"""(wall(1,000) - wall(100)) / 900: the pipeline's own cost per article, model excluded."""
WARM_TARGET_S = 3.0

SUBJECTS = [
    "Prime Minister Sanae Takaichi",
    "President Lee Jae Myung",
    "Officials in Seoul",
    "The ministry in Tokyo",
    "Negotiators from Beijing",
    "Analysts in Nara",
]
VERBS = [
    "said on Monday that",
    "told reporters that",
    "confirmed in a statement that",
    "warned late on Friday that",
    "announced after the meeting that",
]
OBJECTS = [
    "talks on port fees would resume",
    "the summit would cover chip supplies",
    "fishing quotas were still under review",
    "a new rail link was planned",
    "the budget included funds for student exchanges",
]


def article(number: int, sentences: int = 30) -> dict[str, str]:
    body = []
    for i in range(sentences):
        s = SUBJECTS[(number + i) % len(SUBJECTS)]
        v = VERBS[(number * 7 + i) % len(VERBS)]
        o = OBJECTS[(number * 3 + i) % len(OBJECTS)]
        body.append(f"{s} {v} {o}, item {number}-{i}.")
        if i % 5 == 4:
            body.append("\n\n")
    return {
        "id": f"story-{number:05d}",
        "title": f"Leaders meet for talks, report {number}",
        "body": " ".join(body),
        "lang": "en",
    }


def write_batch(path: Path, count: int, first: int = 0) -> None:
    """``count`` articles numbered from ``first`` (other numbers: other sentences), as JSONL."""
    with path.open("w", encoding="utf-8") as handle:
        for number in range(first, first + count):
            handle.write(json.dumps(article(number)) + "\n")


CPU_SECONDS: dict[Path, float] = {}
"""CPU seconds (user + system) of each measured run's processes (the command and the worker
processes it finishes articles in), by its batch."""
PEAK_ONE: dict[Path, int] = {}
"""Peak RSS (bytes) of the largest single process of each measured run, by its batch."""
SAMPLE_S = 0.05


def measure(batch: Path, out: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes) of one ``l10n translate``: the largest sum of
    the resident sizes of its processes (the command and its worker processes), sampled
    every 50 ms. Its CPU seconds go to :data:`CPU_SECONDS` (steadier than wall time on a
    shared machine), the kernel's peak of its largest process to :data:`PEAK_ONE`."""
    import psutil

    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(done.returncode, use.ru_maxrss, use.ru_utime + use.ru_stime)\n"
    )
    command = [
        str(ROOT / ".venv" / "bin" / "l10n"),
        "translate",
        str(batch),
        "--engine",
        "pseudo",
        "--out",
        str(out),
        "--run-id",
        "scale",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    wrapper, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        total = 0
        for child in wrapper.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        peak = max(peak, total)
        time.sleep(SAMPLE_S)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    returncode, peak_kb, cpu = stdout.split()
    returncode, peak_kb = int(returncode), int(peak_kb)
    CPU_SECONDS[batch] = float(cpu)
    PEAK_ONE[batch] = peak_kb * 1024
    if returncode != 0:
        raise SystemExit(f"l10n translate exited {returncode}:\n{stderr[-2000:]}")
    return elapsed, max(peak, peak_kb * 1024)


def one_article_runs(work: Path, env: dict[str, str], runs: int) -> tuple[float, list[float]]:
    """Wall seconds of a first one-article run (it starts the local Prefect server in the
    bench's own home) and of ``runs`` warm ones after it."""
    batch = work / "one.jsonl"
    write_batch(batch, 1, first=90_000)
    first, _ = measure(batch, work / "one-0", env)
    warm = [measure(batch, work / f"one-{i + 1}", env)[0] for i in range(runs)]
    return first, warm


def stop_warm(sockets: Path) -> None:
    """End the bench's warm ``l10n`` process (its socket is in ``sockets``)."""
    import psutil

    for process in psutil.process_iter(["cmdline"]):
        if str(sockets) in " ".join(process.info["cmdline"] or []):
            with contextlib.suppress(psutil.Error):
                process.kill()


def files_per_article(out: Path) -> float:
    folders = [p for p in (out / "scale").iterdir() if (p / "manifest.json").is_file()]
    return sum(len(list(f.iterdir())) for f in folders) / max(1, len(folders))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser.add_argument("--sizes", default="100,1000" if quick else "100,1000,5000")
    parser.add_argument("--warm-runs", type=int, default=3, help="warm one-article runs")
    parser.add_argument("--smoke", action="store_true", help="2 and 4 articles; nothing checked")
    args = parser.parse_args()
    sizes = [2, 4] if args.smoke else [int(s) for s in args.sizes.split(",")]
    from l10n.server.local import stop_local_server

    rows = []
    with tempfile.TemporaryDirectory(prefix="l10n-scale-") as tmp:
        work = Path(tmp)
        home = work / "prefect-home"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(home)
        sockets = work / "warm"
        sockets.mkdir(mode=0o700)
        env["L10N_WARM_DIR"] = str(sockets)
        # the sizes run in their own processes, so their memory and CPU are measured whole
        alone = {**env, "L10N_WARM": "0"}
        try:
            first, warm = one_article_runs(work, env, 1 if args.smoke else args.warm_runs)
            typical = statistics.median(warm)
            print(
                f"one article: first run {first:.1f} s (starts the local Prefect server), warm "
                f"runs {', '.join(f'{w:.2f}' for w in warm)} s (median {typical:.2f} s)",
                flush=True,
            )
            for size in sizes:
                batch = work / f"batch-{size}.jsonl"
                write_batch(batch, size)
                out = work / f"out-{size}"
                wall, peak = measure(batch, out, alone)
                index = (out / "scale" / "report.html").stat().st_size
                memory = sum(p.stat().st_size for p in out.glob(".l10n-tm.sqlite*"))
                rows.append((size, wall, peak, index, memory))
                print(
                    f"{size:>6} articles: {wall:7.1f} s wall, {CPU_SECONDS[batch]:7.1f} s CPU, "
                    f"{size / wall:6.1f} articles/s, "
                    f"peak RSS {peak / 2**20:7.1f} MiB (largest process "
                    f"{PEAK_ONE[batch] / 2**20:.1f}), report index {index / 1e6:5.2f} MB, "
                    f"translation memory {memory / 1e6:.1f} MB (one SQLite file), "
                    f"{files_per_article(out):.0f} files per article",
                    flush=True,
                )
        finally:
            stop_local_server(home)
            stop_warm(sockets)
    print(
        f"\n(peak RSS: the l10n process and its worker processes together; {os.cpu_count()} "
        "cores, load average "
        f"{os.getloadavg()[0]:.1f})"
    )
    cpu = {size: CPU_SECONDS[work / f"batch-{size}.jsonl"] for size, *_ in rows}
    for (small, wall_small, *_), (big, wall_big, *_) in itertools.pairwise(rows):
        margin = (wall_big - wall_small) * 1000 / (big - small)
        margin_cpu = (cpu[big] - cpu[small]) * 1000 / (big - small)
        print(
            f"at the margin, {small} -> {big} articles: {margin:.0f} ms per article "
            f"({margin_cpu:.0f} ms CPU of the l10n process and its workers; the Prefect "
            "server's is not counted)"
        )
    if args.smoke:
        print("smoke run: targets not checked")
        return 0
    failed = False
    if typical > WARM_TARGET_S:
        print(f"MISSED: a warm one-article run takes {typical:.2f} s (target <= {WARM_TARGET_S})")
        failed = True
    walls = {size: wall for size, wall, *_ in rows}
    if 100 in walls and 1000 in walls:
        margin = (walls[1000] - walls[100]) * 1000 / 900
        verdict = "ok" if margin <= MARGIN_TARGET_MS else "MISSED"
        print(f"(wall(1,000) - wall(100)) / 900: {margin:.0f} ms (target <= 50) {verdict}")
        failed |= margin > MARGIN_TARGET_MS
    by_size = {size: peak for size, _, peak, _, _ in rows}
    if 100 in by_size and 1000 in by_size:
        ratio = by_size[1000] / by_size[100]
        verdict = "ok" if ratio <= FLAT_RATIO else "FAILED"
        print(f"peak RSS 1,000 / 100 articles: {ratio:.2f} (target <= {FLAT_RATIO}) {verdict}")
        failed |= ratio > FLAT_RATIO
    if 100 in by_size and 5000 in by_size:
        print(f"peak RSS 5,000 / 100 articles: {by_size[5000] / by_size[100]:.2f} (no target)")
    for size, _, _, index, _ in rows:
        limit = INDEX_BYTES_PER_1000 * max(1, size / 1000)
        if index > limit:
            print(f"FAILED: report index of {size} articles is {index / 1e6:.2f} MB")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
