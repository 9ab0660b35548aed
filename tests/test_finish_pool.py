"""Articles corrected and stored in worker processes: the same files, nothing orphaned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT

from l10n.errors import L10nError
from l10n.pipeline import RunOptions, translate_run
from l10n.pipeline import pool as pool_module
from l10n.pipeline.pool import FinishPool, finish_processes

EVAL = ROOT / "evaluation" / "names" / "articles.jsonl"
L10N = str(ROOT / ".venv" / "bin" / "l10n")


def test_one_process_per_core_at_most_four_or_as_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pool_module.PROCESSES_ENV, raising=False)
    for cores, expected in ((1, 0), (2, 2), (3, 3), (16, 4)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        assert finish_processes() == expected
    monkeypatch.setenv(pool_module.PROCESSES_ENV, "0")
    assert finish_processes() == 0
    monkeypatch.setenv(pool_module.PROCESSES_ENV, "3")
    assert finish_processes() == 3
    monkeypatch.setenv(pool_module.PROCESSES_ENV, "two")
    with pytest.raises(L10nError, match=r"L10N_FINISH_PROCESSES='two': give a whole number"):
        finish_processes()


def _stored(run_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(run_dir)): p.read_text("utf-8")
        for p in sorted(run_dir.rglob("*"))
        if p.is_file() and p.suffix in {".txt", ".jsonl", ".diff"}
    }


@pytest.mark.usefixtures("prefect_harness")
def test_a_pooled_run_stores_what_a_run_in_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The written names set (glossary fixes, the names pass' corrections and flags) through
    the flow with its articles finished in a worker, and through the plain pipeline."""
    import l10n.flow.translate as flow_module

    sent: list[int] = []

    class Counted(FinishPool):
        def submit(self, jobs):  # type: ignore[no-untyped-def]
            sent.append(len(jobs))
            return super().submit(jobs)

    monkeypatch.setattr(flow_module, "FinishPool", Counted)
    monkeypatch.setattr(flow_module, "MIN_JOBS", 1)  # the set is smaller than a window
    monkeypatch.setattr(flow_module, "PER_ARTICLE_ARTIFACTS_LIMIT", 0)
    monkeypatch.setenv(pool_module.PROCESSES_ENV, "1")
    inputs = [str(EVAL)]
    state = flow_module.translate_articles(
        inputs=inputs,
        targets=["ja", "ko"],
        engine="auto",
        out=str(tmp_path / "pooled"),
        run_id="names",
        return_state=True,
    )
    assert state.is_completed(), state.message
    articles = len(EVAL.read_text("utf-8").splitlines())
    assert sum(sent) == articles  # every article went to the worker

    translate_run(
        RunOptions(
            inputs=inputs,
            targets=("ja", "ko"),
            engine="auto",
            out=str(tmp_path / "plain"),
            run_id="names",
        )
    )
    pooled, plain = _stored(tmp_path / "pooled" / "names"), _stored(tmp_path / "plain" / "names")
    assert len(pooled) >= articles * 4
    assert pooled == plain
    summaries = [
        json.loads((tmp_path / kind / "names" / "run.json").read_text("utf-8"))["articles"]
        for kind in ("pooled", "plain")
    ]
    assert summaries[0] == summaries[1]


@pytest.mark.usefixtures("prefect_harness")
def test_workers_in_trouble_leave_the_articles_to_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import l10n.flow.translate as flow_module

    class Broken(FinishPool):
        def submit(self, jobs):  # type: ignore[no-untyped-def]
            raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(flow_module, "FinishPool", Broken)
    monkeypatch.setattr(flow_module, "MIN_JOBS", 1)
    monkeypatch.setattr(flow_module, "PER_ARTICLE_ARTIFACTS_LIMIT", 0)
    monkeypatch.setenv(pool_module.PROCESSES_ENV, "1")
    state = flow_module.translate_articles(
        inputs=[str(EVAL)],
        engine="pseudo",
        out=str(tmp_path),
        run_id="broken",
        return_state=True,
    )
    assert state.is_completed(), state.message
    summary = json.loads((tmp_path / "broken" / "run.json").read_text("utf-8"))
    assert len(summary["articles"]["done"]) == len(EVAL.read_text("utf-8").splitlines())
    assert not summary["articles"]["failed"]


def _write_articles(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            body = " ".join(
                f"Officials in Seoul said on day {number} that talks on item {i} would go on."
                for i in range(30)
            )
            article = {"id": f"note-{number:04d}", "title": f"Talks, note {number}", "body": body}
            handle.write(json.dumps({**article, "lang": "en"}) + "\n")


def _workers(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "multiprocessing" in " ".join(_cmdline(c))]


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.mark.slow
def test_a_killed_run_leaves_no_worker_behind_and_resumes_whole(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    _write_articles(batch, 160)
    out = tmp_path / "out"
    args = [L10N, "translate", str(batch), "--engine", "pseudo", "--out", str(out)]
    args += ["--run-id", "killed"]
    env = {**os.environ, pool_module.PROCESSES_ENV: "1"}
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        workers = _workers(process.pid)
        if workers and any((out / "killed").glob("*/manifest.json")):
            break
        time.sleep(0.05)
    assert workers, "no worker process was started"
    os.kill(process.pid, signal.SIGKILL)  # the run's process alone: its workers must follow
    process.wait()
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, [_cmdline(p) for p in alive]
    assert not (out / "killed" / "run.json").exists()

    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "killed" / "run.json").read_text("utf-8"))
    done = sorted(d["id"] for d in summary["articles"]["done"])
    assert len(done) == 160 and any(d.get("resumed") for d in summary["articles"]["done"])
    folders = sorted(p.name for p in (out / "killed").iterdir() if p.is_dir())
    assert folders == done
    assert all((out / "killed" / name / "manifest.json").is_file() for name in done)
    assert not [p for p in (out / "killed").rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The workers never run the program's main module (``spawn`` would, by default)."""
    batch = tmp_path / "batch.jsonl"
    _write_articles(batch, 60)  # over the per-article artifacts' 50: the workers finish them
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import sys\n"
        "from l10n.cli import main\n"
        "print('script started', flush=True)\n"
        "main(['translate', sys.argv[1], '--engine', 'pseudo', '--out', sys.argv[2],\n"
        "      '--run-id', 'script'])\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, pool_module.PROCESSES_ENV: "1"}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(script), str(batch), str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("script started") == 1
    summary = json.loads((out / "script" / "run.json").read_text("utf-8"))
    assert len(summary["articles"]["done"]) == 60
