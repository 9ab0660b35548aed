"""A one-article `l10n translate` in seconds: the local Prefect server, and what Prefect adds.

Every figure is the wall time of a fresh process, so interpreter start and imports
count. `l10n translate` runs in a pseudo-terminal, as a user sees it, which also
gives the time to its first output (the "Starting Prefect…" spinner):

- local server, run 1: a fresh PREFECT_HOME, so this run also starts the local
  Prefect server and creates its database;
- local server, runs 2-4: the same home; the server is reused, and the run goes
  through the warm process the first run started (``l10n.cli.warm``), as a user's next
  command would. Target: their median <= 5 s, and the first output of every run within
  1 s; exits 1 otherwise. The CPU column is the command's own user + system time: for
  run 1 it shows how much of a slow wall time is other programs' load; a warm run's
  work is done in the warm process and is not in it;
- ephemeral server: L10N_PREFECT_SERVER=ephemeral (Prefect's temporary server
  per command, the old behaviour), warm home;
- plain functions: the stages the flow's tasks call, without Prefect;
- import prefect: the floor every Prefect command pays.

The local server and the warm process are stopped at the end.

Example:
    .venv/bin/python benchmarks/bench_prefect.py
    .venv/bin/python benchmarks/bench_prefect.py --later-runs 5 --skip-ephemeral
    .venv/bin/python benchmarks/bench_prefect.py --smoke    # 2 runs, no ephemeral row
"""

from __future__ import annotations

import argparse
import atexit
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTICLE = (
    "Leaders meet in Nara\n\n"
    "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Tuesday.\n\n"
    "The two leaders agreed to meet again in Seoul next year.\n"
)
LATER_RUN_TARGET_S = 5.0
FIRST_OUTPUT_TARGET_S = 1.0


def plain_pipeline(inputs: list[str], out: Path, glossary: Path) -> None:
    """The flow's steps as plain functions, without Prefect: read, plan, translate, correct,
    store (``l10n.pipeline`` with its local executor)."""
    from l10n.pipeline import RunOptions, translate_run

    summary = translate_run(
        RunOptions(inputs=inputs, engine="pseudo", out=str(out), glossary=str(glossary))
    )
    if summary.failed or not summary.done:
        sys.exit(f"the plain pipeline did not translate {inputs}: {summary.to_json()}")


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def in_terminal(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run in a pseudo-terminal: seconds to the first output, to the end, and CPU seconds.

    CPU seconds (user + system of the command, not of the server it talks to) barely
    change with other programs' load; wall time does.
    """
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execve(command[0], command, env)
    first: float | None = None
    output = bytearray()
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            data = os.read(fd, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not data:
            break
        if first is None:
            first = time.perf_counter() - started
        output += data
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output.decode('utf-8', 'replace')}")
    return (first if first is not None else elapsed), elapsed, usage.ru_utime + usage.ru_stime


def bytecode_note() -> str:
    import prefect

    cached = Path(prefect.__file__).parent / "__pycache__"
    if any(cached.glob(f"__init__.{sys.implementation.cache_tag}.pyc")):
        return "installed packages are byte-compiled"
    return (
        "installed packages are NOT byte-compiled (each run compiles Prefect again, ~1.5 s): "
        "run `make env` (UV_COMPILE_BYTECODE=1)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per comparison row (median)")
    parser.add_argument("--later-runs", type=int, default=3, help="runs after the first")
    parser.add_argument("--skip-ephemeral", action="store_true", help="no ephemeral-server row")
    parser.add_argument("--plain", nargs=2, metavar=("INPUT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke", action="store_true", help="the first run and one more; no target checked"
    )
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.later_runs, args.skip_ephemeral = 1, 1, True
    glossary = ROOT / "glossaries" / "leaders.yaml"
    if args.plain:
        plain_pipeline([args.plain[0]], Path(args.plain[1]), glossary)
        return

    from l10n.cli import warm
    from l10n.server.local import MODE_ENV, read_state, stop_local_server

    work = Path(tempfile.mkdtemp(prefix="bench-prefect-"))
    story = work / "story.txt"
    story.write_text(ARTICLE, "utf-8")
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH", MODE_ENV)
    }
    sockets = work / "warm"  # the bench's own warm processes: removing it ends them
    sockets.mkdir(mode=0o700)
    base[warm.DIR_ENV] = str(sockets)
    atexit.register(shutil.rmtree, sockets, True)
    l10n = str(BIN / "l10n")
    runs = iter(range(1_000_000))

    def translate(env: dict[str, str]) -> tuple[float, float, float]:
        out = work / f"out-{next(runs)}"
        return in_terminal(
            [l10n, "translate", str(story), "--engine", "pseudo", "--glossary", str(glossary),
             "--out", str(out)],
            env,
        )  # fmt: skip

    print(
        f"One short article, engine pseudo; wall time of a fresh process (s); {bytecode_note()}. "
        f"Work folder: {work}"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    print(f"{'':48} {'wall':>8} {'first output':>13} {'cpu':>6}")

    def row(name: str, wall: float, first: float | None = None, cpu: float | None = None) -> None:
        shown = f"{first:13.2f} {cpu:6.2f}" if first is not None and cpu is not None else ""
        print(f"{name:48} {wall:8.2f} {shown}", flush=True)

    def median(run: Callable[[], float]) -> float:
        return statistics.median(run() for _ in range(args.repeat))

    home = work / "home-local"
    local_env = dict(base, PREFECT_HOME=str(home))
    try:
        first_output, wall, cpu = translate(local_env)
        row("local server, run 1 (starts the server)", wall, first_output, cpu)
        started = read_state(home)
        later: list[tuple[float, float, float]] = []
        for i in range(args.later_runs):
            later.append(translate(local_env))
            row(f"local server, run {i + 2}", later[-1][1], later[-1][0], later[-1][2])
        reused = started is not None and read_state(home) == started
    finally:
        stop_local_server(home)

    if not args.skip_ephemeral:
        eph_env = dict(base, PREFECT_HOME=str(work / "home-ephemeral"), **{MODE_ENV: "ephemeral"})
        translate(eph_env)  # create the home's database first
        row(
            f"ephemeral server, warm home (median of {args.repeat})",
            median(lambda: translate(eph_env)[1]),
        )
    plain = median(
        lambda: timed(
            [
                sys.executable,
                __file__,
                "--plain",
                str(story),
                str(work / f"out-plain-{next(runs)}"),
            ],
            base,
        )
    )
    row(f"plain functions, no Prefect (median of {args.repeat})", plain)
    row(
        f"import prefect (median of {args.repeat})",
        median(lambda: timed([sys.executable, "-c", "import prefect"], base)),
    )

    walls = [wall for _, wall, _ in later]
    typical = statistics.median(walls)
    slowest_output = max([first_output, *(first for first, _, _ in later)])
    print(
        f"later runs: median {typical:.2f} s, slowest {max(walls):.2f} s, CPU "
        f"{statistics.median(c for _, _, c in later):.2f} s; Prefect's share "
        f"{typical - plain:+.2f} s (median minus plain functions); load average after: "
        f"{os.getloadavg()[0]:.1f}"
    )
    problems = []
    if not reused:
        problems.append("the later runs did not reuse the server the first run started")
    # The median, so one run slowed by another program's burst does not decide alone.
    if typical > LATER_RUN_TARGET_S:
        problems.append(f"median later run {typical:.2f} s > {LATER_RUN_TARGET_S:.0f} s")
    if slowest_output > FIRST_OUTPUT_TARGET_S:
        problems.append(
            f"first output after {slowest_output:.2f} s > {FIRST_OUTPUT_TARGET_S:.0f} s"
        )
    print(
        f"target: runs 2-{args.later_runs + 1} <= {LATER_RUN_TARGET_S:.0f} s (median) and "
        f"first output <= {FIRST_OUTPUT_TARGET_S:.0f} s: "
        + ("MISSED — " + "; ".join(problems) if problems else "met")
    )
    if args.smoke:
        print("smoke run: targets not checked")
    elif problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
