"""``l10n translate`` through the warm process: the same output, files and exit status as
the command in its own process, Ctrl-C passed on, and a socket per installation,
environment and folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from conftest import ROOT

from l10n.cli import warm

L10N = str(ROOT / ".venv" / "bin" / "l10n")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
pytestmark = pytest.mark.slow


def _articles(path: Path, count: int, sentences: int = 3) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            body = " ".join(
                f"Officials in Seoul said on day {number} that talk {i} would go on."
                for i in range(sentences)
            )
            item = {"id": f"w-{number:03d}", "title": f"Talks {number}", "body": body}
            handle.write(json.dumps({**item, "lang": "en"}) + "\n")
    return path


@pytest.fixture
def warm_env() -> Iterator[dict[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="l10n-w"))  # short: a socket's path is
    folder.chmod(0o700)  # limited to ~100 bytes
    env = {**os.environ, warm.ENV: "1", warm.DIR_ENV: str(folder), warm.IDLE_ENV: "120"}
    yield env
    for process in psutil.process_iter(["cmdline"]):
        if str(folder) in " ".join(process.info["cmdline"] or []):
            process.kill()
    shutil.rmtree(folder, ignore_errors=True)


def _run(
    args: list[str], env: dict[str, str], *, trace: bool = False
) -> subprocess.CompletedProcess:
    command = [PYTHON, "-X", "importtime", L10N, *args] if trace else [L10N, *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _wait_for_socket(env: dict[str, str]) -> Path:
    folder = Path(env[warm.DIR_ENV])
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = [p for p in folder.glob("*.sock") if p.is_socket()]
        if found:
            time.sleep(0.5)
            return found[0]
        time.sleep(0.2)
    raise AssertionError("no warm process came up")


def _imports_prefect(stderr: str) -> bool:
    return any(
        line.startswith("import time:") and line.split("|")[-1].strip().startswith("prefect")
        for line in stderr.splitlines()
    )


def _without_trace(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))


def test_a_warm_run_is_the_command_without_its_imports(tmp_path: Path, warm_env) -> None:
    batch = _articles(tmp_path / "batch.jsonl", 2)
    out = tmp_path / "out"
    first = _run(
        ["translate", str(batch), "--engine", "pseudo", "--out", str(out), "--run-id", "first"],
        warm_env,
        trace=True,
    )
    assert first.returncode == 0, first.stderr
    assert _imports_prefect(first.stderr)  # no warm process yet: this one ran it
    _wait_for_socket(warm_env)

    args = ["translate", str(batch), "--engine", "pseudo", "--out", str(out), "--run-id"]
    warmed = _run([*args, "same"], warm_env, trace=True)
    assert warmed.returncode == 0, warmed.stderr
    assert not _imports_prefect(warmed.stderr)  # the warm process ran it
    alone = _run([*args, "same-alone"], {**warm_env, warm.ENV: "0"})
    assert alone.returncode == 0, alone.stderr
    assert warmed.stdout == alone.stdout.replace("same-alone", "same")
    assert _without_trace(warmed.stderr) == _without_trace(
        alone.stderr.replace("same-alone", "same")
    )
    for name in ("w-000", "w-001"):
        for file in ("ja.txt", "ko.txt", "segments.jsonl", "source.txt"):
            stored = (out / "same" / name / file).read_text("utf-8")
            assert stored == (out / "same-alone" / name / file).read_text("utf-8")

    bad = _run([*args, "bad", "--glossary", str(tmp_path / "missing.yaml")], warm_env)
    bad_alone = _run(
        [*args, "bad", "--glossary", str(tmp_path / "missing.yaml")], {**warm_env, warm.ENV: "0"}
    )
    assert bad.returncode == bad_alone.returncode == 2
    assert bad.stderr == bad_alone.stderr and "missing.yaml" in bad.stderr


def test_ctrl_c_reaches_the_warm_run(tmp_path: Path, warm_env) -> None:
    small = _articles(tmp_path / "small.jsonl", 1)
    out = tmp_path / "out"
    assert (
        _run(
            ["translate", str(small), "--engine", "pseudo", "--out", str(out)], warm_env
        ).returncode
        == 0
    )
    _wait_for_socket(warm_env)
    batch = _articles(tmp_path / "batch.jsonl", 60, sentences=30)
    process = subprocess.Popen(
        [
            L10N,
            "translate",
            str(batch),
            "--engine",
            "pseudo",
            "--out",
            str(out),
            "--run-id",
            "stopped",
        ],
        env=warm_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any((out / "stopped").glob("*/manifest.json")):
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "leaked semaphore" not in stderr  # its finishing workers' queues were released
    assert not (out / "stopped" / "run.json").exists()


def test_a_warm_process_ends_once_its_socket_is_removed(warm_env) -> None:
    code = "from l10n.cli import warm; warm.serve(warm.socket_path())"
    process = subprocess.Popen([PYTHON, "-c", code], env=warm_env, cwd=ROOT)
    try:
        socket_file = _wait_for_socket(warm_env)
        time.sleep(warm.CHECK_S + 1)
        assert process.poll() is None  # unused for seconds, not minutes: still there
        socket_file.unlink()
        assert process.wait(timeout=warm.CHECK_S * 4) == 0
    finally:
        process.kill()


def test_one_socket_per_environment_and_folder(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "sockets"
    folder.mkdir(mode=0o700)
    env = {"PATH": "/bin", warm.DIR_ENV: str(folder)}
    here = warm.socket_path(env)
    assert here is not None and here.parent == folder
    assert warm.socket_path({**env, "PWD": "/elsewhere", "SHLVL": "3"}) == here
    assert warm.socket_path({**env, "PREFECT_HOME": "/other"}) != here
    monkeypatch.chdir(tmp_path)
    assert warm.socket_path(env) != here
    folder.chmod(0o755)  # others may enter: no socket there
    assert warm.socket_path(env) is None
    deep = tmp_path / ("d" * 90)
    deep.mkdir(mode=0o700)
    assert warm.socket_path({**env, warm.DIR_ENV: str(deep)}) is None  # too long to bind


def test_off_where_asked_or_for_a_verbose_run(monkeypatch) -> None:
    monkeypatch.setenv(warm.ENV, "0")
    assert not warm.enabled()
    monkeypatch.setenv(warm.ENV, "1")
    assert warm.enabled() == sys.platform.startswith("linux")
    assert {"-v", "--verbose"} == warm.VERBOSE
