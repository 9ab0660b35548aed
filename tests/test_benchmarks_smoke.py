"""Every benchmark runs in its smoke mode, so an API change that breaks one fails the tests.

A smoke run is the benchmark on tiny input (seconds): it must exit 0 and print its table;
speed targets are left to ``make bench``. Benchmarks that build a model are ``slow``; those
that run ``l10n translate`` (which starts the local Prefect server) are ``server`` too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"

SERVER = [pytest.mark.slow, pytest.mark.server, pytest.mark.timeout(900)]
MODEL = [pytest.mark.slow, pytest.mark.timeout(600)]
SMOKES = [
    # (script and arguments, a line its output must hold, marks)
    (["bench_profile.py"], "floor", []),
    (["bench_segment.py"], "golden rules", []),
    (["bench_glossary.py"], "segments/s on one core", []),
    (["bench_glossary_import.py"], "peak RSS", []),
    (["bench_boilerplate.py"], "story lines dropped", []),
    (["bench_memory.py"], "SQLite memory", []),
    (["bench_names.py"], "glossary + name finder", []),
    (["bench_review.py"], "ms per decision", []),
    (["bench_engine.py"], "segments/s", MODEL),
    (["bench_engine.py", "--sweep"], "fastest:", MODEL),
    (["compare.py"], "pipeline_vs_raw", MODEL),
    (["bench_prefect.py"], "later runs: median", SERVER),
    (["bench_pipeline.py"], "peak RSS of a run", SERVER),
    (["bench_scale.py"], "at the margin", SERVER),
]
LIBRARIES = {"news_articles.py", "run_all.py"}
"""Files in benchmarks/ that are not benchmarks themselves."""


@pytest.mark.parametrize(
    ("command", "expected"),
    [pytest.param(c, e, marks=m, id=" ".join(c)) for c, e, m in SMOKES],
)
def test_benchmark_smoke(command: list[str], expected: str, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(BENCH / command[0]), *command[1:], "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=840,
    )
    assert done.returncode == 0, f"{command} --smoke exited {done.returncode}:\n{done.stderr}"
    assert expected in done.stdout, done.stdout
    assert "Traceback" not in done.stderr


def test_every_benchmark_has_a_smoke_run() -> None:
    covered = {command[0] for command, _, _ in SMOKES}
    scripts = {p.name for p in BENCH.glob("*.py")} - LIBRARIES
    assert scripts - covered == set(), "add the new benchmark (with --smoke) to SMOKES"
    for script in scripts:
        assert "--smoke" in (BENCH / script).read_text("utf-8"), f"{script} has no --smoke"
