"""The local Prefect server l10n starts on first use and reuses: real processes, real CLI."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import psutil
import pytest
from conftest import GLOSSARY, ROOT
from prefect_api import api

from l10n.server.local import (
    LOG_FILE,
    MODE_ENV,
    SECRET_FILE,
    STATE_FILE,
    LocalServerError,
    ServerState,
    auth_headers,
    configured_api_url,
    ensure_local_server,
    list_servers,
    read_state,
    server_mode,
    stop_local_server,
    use_prefect_server,
)

pytestmark = pytest.mark.server

L10N = str(Path(sys.executable).with_name("l10n"))
STORY = (
    "Leaders meet in Nara\n\n"
    "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Tuesday.\n"
)


def env_for(home: Path, **changes: str | None) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(home))
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def l10n(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [L10N, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def translate(
    story: Path, out: Path, run_id: str, env: dict[str, str]
) -> subprocess.CompletedProcess:
    result = l10n(
        "translate",
        str(story),
        "--engine",
        "pseudo",
        "--glossary",
        str(GLOSSARY),
        "--out",
        str(out),
        "--run-id",
        run_id,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / run_id / "run.json").is_file()
    return result


def flow_run_ids(state: ServerState) -> set[str]:
    """The l10n run ids of the translate-articles flow runs the server recorded."""
    with contextlib.closing(api(state)) as client:
        response = client.post(
            "/flow_runs/filter",
            json={"flows": {"name": {"any_": ["translate-articles"]}}, "limit": 200},
        )
    response.raise_for_status()
    return {run["parameters"].get("run_id") for run in response.json()}


def alive(state: ServerState) -> bool:
    try:
        process = psutil.Process(state.pid)
        return process.status() != psutil.STATUS_ZOMBIE and (
            abs(process.create_time() - state.create_time) < 1
        )
    except psutil.Error:
        return False


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME of its own; whatever server a test starts there is stopped after it."""
    path = tmp_path / "prefect-home"
    path.mkdir()
    yield path
    state = read_state(path)
    stop_local_server(path)
    if state is not None and alive(state):  # stop failed: do not leave it running
        psutil.Process(state.pid).kill()


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, "utf-8")
    return path


class _NotPrefect(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_program_port() -> Iterator[int]:
    """A port on which another program (not Prefect) answers."""
    server = HTTPServer(("127.0.0.1", 0), _NotPrefect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture
def bystander() -> Iterator[psutil.Process]:
    """A live process that is not a Prefect server (its pid may appear in a stale record)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield psutil.Process(process.pid)
    process.kill()
    process.wait()


def plant_state(home: Path, *, pid: int, create_time: float, port: int) -> None:
    state = {
        "pid": pid,
        "create_time": create_time,
        "port": port,
        "api_url": f"http://127.0.0.1:{port}/api",
        "home": str(home),
        "log": str(home / LOG_FILE),
        "started_at": time.time() - 3600,
        "prefect_version": "3.9.1",
        "python": sys.executable,
    }
    (home / STATE_FILE).write_text(json.dumps(state), "utf-8")


def dead_pid() -> tuple[int, float]:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    create_time = psutil.Process(process.pid).create_time()
    process.wait()
    return process.pid, create_time


@pytest.mark.slow
def test_two_starts_at_once_replace_a_stale_record_with_one_server(
    home: Path, other_program_port: int
) -> None:
    pid, create_time = dead_pid()
    plant_state(home, pid=pid, create_time=create_time, port=other_program_port)
    env = env_for(home)
    starts = [
        subprocess.Popen(
            [L10N, "server", "start"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in starts]
    assert [p.returncode for p in starts] == [0, 0], outputs
    said = sorted(out.splitlines()[0] for out, _ in outputs)
    assert said == [
        "Started the local Prefect server.",
        "The local Prefect server is already running.",
    ]
    state = read_state(home)
    assert state is not None and state.pid != pid and state.port != other_program_port
    assert all(f"pid      {state.pid}" in out for out, _ in outputs)
    assert alive(state)
    assert [s.pid for s in list_servers() if s.home == str(home)] == [state.pid]


@pytest.mark.slow
def test_start_status_stop_through_the_cli(home: Path) -> None:
    env = env_for(home)
    started = l10n("server", "start", env=env)
    assert started.returncode == 0, started.stderr
    state = read_state(home)
    assert state is not None and alive(state)
    assert state.api_url == f"http://127.0.0.1:{state.port}/api"
    assert httpx.get(f"{state.api_url}/health", timeout=10).json() is True
    assert httpx.get(state.ui_url, timeout=10).status_code == 200  # the UI is served
    server_env = psutil.Process(state.pid).environ()
    assert server_env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert server_env["DO_NOT_TRACK"] == "1"
    assert server_env["PREFECT_HOME"] == str(home)
    assert (home / "prefect.db").is_file()  # SQLite under PREFECT_HOME

    status = l10n("server", "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "is running" in status.stdout
    assert f"UI       {state.ui_url}\n" in status.stdout
    assert f"API      {state.api_url}\n" in status.stdout
    assert f"pid      {state.pid}\n" in status.stdout
    assert "uptime   " in status.stdout
    assert f"log      {home / LOG_FILE}" in status.stdout

    stopped = l10n("server", "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr
    assert f"Stopped the local Prefect server (pid {state.pid}" in stopped.stdout
    assert not alive(state)
    assert not (home / STATE_FILE).exists()
    after = l10n("server", "status", env=env)
    assert after.returncode == 1
    assert "not running" in after.stdout
    again = l10n("server", "stop", env=env)
    assert again.returncode == 0 and "No local Prefect server was running" in again.stdout


@pytest.mark.slow
def test_translate_starts_the_server_once_and_later_runs_reuse_it(
    home: Path, story: Path, tmp_path: Path
) -> None:
    env = env_for(home)
    said = translate(story, tmp_path / "out", "first", env).stderr
    first = read_state(home)
    assert first is not None and alive(first)
    assert f"Started the local Prefect server: UI {first.ui_url}" in " ".join(said.split())
    said = translate(story, tmp_path / "out", "second", env).stderr
    assert "Started the local Prefect server" not in said
    second = read_state(home)
    assert second == first  # same pid, port and start time: reused, not restarted
    assert alive(first)
    # The CLI's runs are recorded by that server, so they show in its UI.
    assert {"first", "second"} <= flow_run_ids(first)


def test_status_reports_a_dead_server_and_start_would_replace_it(
    home: Path, other_program_port: int
) -> None:
    pid, create_time = dead_pid()
    plant_state(home, pid=pid, create_time=create_time, port=other_program_port)
    status = l10n("server", "status", env=env_for(home))
    assert status.returncode == 1
    message = " ".join(status.stdout.split())
    assert f"records pid {pid} on port {other_program_port}" in message
    assert f"its process {pid} is gone" in message


def test_status_rejects_a_port_that_another_program_answers(
    home: Path, other_program_port: int, bystander: psutil.Process
) -> None:
    plant_state(
        home, pid=bystander.pid, create_time=bystander.create_time(), port=other_program_port
    )
    status = l10n("server", "status", env=env_for(home))
    assert status.returncode == 1
    assert "answered HTTP 404, not a Prefect API" in " ".join(status.stdout.split())


def test_stop_never_signals_a_process_that_reused_the_recorded_pid(
    home: Path, bystander: psutil.Process
) -> None:
    # The record names the bystander's pid, but a process started at another time.
    plant_state(home, pid=bystander.pid, create_time=bystander.create_time() - 600, port=9)
    stopped = l10n("server", "stop", env=env_for(home))
    assert stopped.returncode == 0, stopped.stderr
    assert "No local Prefect server was running" in stopped.stdout
    assert bystander.is_running() and bystander.status() != psutil.STATUS_ZOMBIE
    assert not (home / STATE_FILE).exists()  # the stale record is gone


def test_stop_ends_the_server_and_the_processes_it_started(home: Path, tmp_path: Path) -> None:
    pids = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],"
            " start_new_session=True)\n"  # a child that left the server's process group
            f"open({str(pids)!r}, 'w').write(str(child.pid))\n"
            "time.sleep(120)\n",
        ],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not pids.exists() or not pids.read_text():
            assert time.monotonic() < deadline, "the stand-in server did not start its child"
            time.sleep(0.05)
        child = psutil.Process(int(pids.read_text()))
        server = psutil.Process(parent.pid)
        plant_state(home, pid=server.pid, create_time=server.create_time(), port=9)
        stopped = l10n("server", "stop", env=env_for(home))
        assert stopped.returncode == 0, stopped.stderr
        parent.wait(timeout=10)
        psutil.wait_procs([child], timeout=10)
        assert not child.is_running()
    finally:
        for pid in (parent.pid, int(pids.read_text()) if pids.exists() else None):
            if pid and psutil.pid_exists(pid):
                os.kill(pid, signal.SIGKILL)
        parent.wait()


def test_the_users_api_url_is_used_and_no_server_started(
    local_server: ServerState, tmp_path: Path, story: Path
) -> None:
    from_env = tmp_path / "home-env"
    from_profile = tmp_path / "home-profile"
    from_profile.mkdir()
    (from_profile / "profiles.toml").write_text(
        'active = "desk"\n\n[profiles.desk]\n'
        f'PREFECT_API_URL = "{local_server.api_url}"\n\n[profiles.ephemeral]\n',
        "utf-8",
    )
    translate(
        story, tmp_path / "out", "by-env", env_for(from_env, PREFECT_API_URL=local_server.api_url)
    )
    translate(story, tmp_path / "out", "by-profile", env_for(from_profile))
    for home in (from_env, from_profile):
        assert not (home / STATE_FILE).exists()
    assert {"by-env", "by-profile"} <= flow_run_ids(local_server)


def test_configured_api_url_reads_every_prefect_source(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {"PREFECT_HOME": str(home)}
    assert configured_api_url(env, cwd) is None
    (home / "profiles.toml").write_text(
        'active = "a"\n[profiles.a]\n[profiles.b]\nPREFECT_API_URL = "http://b/api"\n', "utf-8"
    )
    assert configured_api_url(env, cwd) is None
    assert configured_api_url({**env, "PREFECT_PROFILE": "b"}, cwd) == "http://b/api"
    (cwd / "pyproject.toml").write_text('[tool.prefect.api]\nurl = "http://py/api"\n', "utf-8")
    assert configured_api_url(env, cwd) == "http://py/api"
    (cwd / "prefect.toml").write_text('[api]\nurl = "http://toml/api"\n', "utf-8")
    assert configured_api_url(env, cwd) == "http://toml/api"
    (cwd / ".env").write_text("PREFECT_API_URL=http://dotenv/api\n", "utf-8")
    assert configured_api_url(env, cwd) == "http://dotenv/api"
    assert configured_api_url({**env, "PREFECT_API_URL": "http://env/api"}, cwd) == "http://env/api"


def test_ephemeral_mode_starts_nothing_and_locks_prefects_server(tmp_path: Path) -> None:
    env = {"PREFECT_HOME": str(tmp_path), MODE_ENV: "ephemeral"}
    assert use_prefect_server(env) is None
    assert "PREFECT_API_URL" not in env
    assert not (tmp_path / STATE_FILE).exists()
    assert len(env["PREFECT_SERVER_API_AUTH_STRING"]) >= 32
    assert env["PREFECT_API_AUTH_STRING"] == env["PREFECT_SERVER_API_AUTH_STRING"]
    assert env["PREFECT_SERVER_CSRF_PROTECTION_ENABLED"] == "true"
    assert env["PREFECT_SERVER_CORS_ALLOWED_ORIGINS"].endswith(".invalid")
    again = {"PREFECT_HOME": str(tmp_path), MODE_ENV: "ephemeral"}
    use_prefect_server(again)  # a fresh secret per command, written nowhere
    assert again["PREFECT_API_AUTH_STRING"] != env["PREFECT_API_AUTH_STRING"]
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_mode_is_refused_with_the_choices() -> None:
    with pytest.raises(LocalServerError, match=r"managed.*ephemeral"):
        server_mode({MODE_ENV: "shared"})


def test_translate_with_an_unknown_mode_exits_with_the_fix(
    home: Path, story: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = l10n(
        *("translate", str(story), "--engine", "pseudo", "--out", str(out)),
        env=env_for(home, **{MODE_ENV: "x"}),
    )
    assert result.returncode == 1
    assert f"{MODE_ENV}='x' is not a server mode" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []  # no empty run folder left behind


@pytest.mark.slow
def test_ephemeral_escape_hatch_runs_without_a_local_server(
    home: Path, story: Path, tmp_path: Path
) -> None:
    translate(story, tmp_path / "out", "ephemeral", env_for(home, **{MODE_ENV: "ephemeral"}))
    assert not (home / STATE_FILE).exists()


@pytest.mark.slow
def test_serve_without_an_api_url_serves_on_the_local_server(
    local_server: ServerState, tmp_path: Path
) -> None:
    name = "local-server-test"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [L10N, "serve", "--name", name, "--engine", "pseudo", "--out", str(tmp_path)],
            env=env_for(Path(local_server.home), PREFECT_API_URL=None),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"{local_server.api_url}/deployments/name/translate-articles/{name}"
        deadline = time.monotonic() + 180
        secret = auth_headers(Path(local_server.home))
        while httpx.get(url, headers=secret, timeout=10).status_code != 200:
            assert serve.poll() is None, log.read_text("utf-8", "replace")[-3000:]
            assert time.monotonic() < deadline, log.read_text("utf-8", "replace")[-3000:]
            time.sleep(0.5)
        assert read_state(Path(local_server.home)) == local_server  # no second server
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()


def test_client_telemetry_is_off_unless_the_user_chose() -> None:
    from l10n.server.settings import apply_prefect_defaults

    env: dict[str, str] = {}
    apply_prefect_defaults(env)
    assert env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    chosen = {"DO_NOT_TRACK": "0"}
    apply_prefect_defaults(chosen)
    assert chosen["DO_NOT_TRACK"] == "0"


def test_an_unusable_prefect_home_is_reported_with_the_fix(tmp_path: Path, story: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", "utf-8")
    out = tmp_path / "out"
    result = l10n(
        *("translate", str(story), "--engine", "pseudo", "--out", str(out)),
        env=env_for(not_a_folder / "home"),
    )
    assert result.returncode == 1
    assert list(out.iterdir()) == []
    message = " ".join(result.stderr.split())
    assert f"cannot use PREFECT_HOME {not_a_folder / 'home'}" in message
    assert f"{MODE_ENV}=ephemeral" in message
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_start_cut_short_is_finished_by_the_next_command_not_duplicated(home: Path) -> None:
    env = env_for(home)
    first = subprocess.Popen(
        [L10N, "server", "start"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while read_state(home) is None:
        assert first.poll() is None, "the start ended before it could be cut short"
        assert time.monotonic() < deadline, "no server was recorded"
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)  # Ctrl-C, a closed terminal, a CI timeout
    first.wait()
    starting = read_state(home)
    assert starting is not None and alive(starting)  # the server has a session of its own
    second = l10n("server", "start", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("The local Prefect server is already running.")
    assert read_state(home) == starting


def start_servers(*homes: Path, idle_s: float = 0.0) -> list[ServerState]:
    """Start one server per home at once (each start takes 10-40 s on a small machine)."""
    states: dict[Path, ServerState] = {}
    errors: list[BaseException] = []

    def start(home: Path) -> None:
        try:
            states[home] = ensure_local_server(home, env=env_for(home), idle_s=idle_s)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(home,)) for home in homes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return [states[home] for home in homes]


def wait_gone(state: ServerState, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(state):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_the_api_answers_its_own_clients_and_ui_only(home: Path) -> None:
    (state,) = start_servers(home)
    own = f"http://127.0.0.1:{state.port}"
    evil = "http://evil.example"
    # Server state is private to its user: the secret, the record, the log, the home.
    for name in (SECRET_FILE, STATE_FILE, LOG_FILE):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(home.stat().st_mode) == 0o700

    with contextlib.closing(api(state)) as client:  # l10n's clients: the secret and a CSRF token
        flow = client.post("/flows/", json={"name": "translate-articles"})
        assert flow.status_code in (200, 201), flow.text
        deployment = client.post(
            "/deployments/",
            json={"name": "probe", "flow_id": flow.json()["id"], "parameters": {}},
        )
        assert deployment.status_code in (200, 201), deployment.text
        deployment_id = deployment.json()["id"]
        assert [d["id"] for d in client.post("/deployments/filter", json={}).json()] == [
            deployment_id
        ]

    attempts = {
        "list": ("POST", "/deployments/filter", {}),
        "run": ("POST", f"/deployments/{deployment_id}/create_flow_run", {"parameters": {}}),
        "read": ("POST", "/artifacts/filter", {}),
        "read one": ("GET", f"/deployments/{deployment_id}", None),
    }
    # A page elsewhere, even one that somehow had the secret; a rebound DNS name; a
    # client without the secret.
    foreign = {
        "origin": api(state, origin=evil),
        "host": api(state, host=f"evil.example:{state.port}"),
        "both": api(state, origin=evil, host=f"evil.example:{state.port}"),
    }
    anonymous = httpx.Client(base_url=state.api_url, timeout=10)
    for who, client in [*foreign.items(), ("no secret", anonymous)]:
        with contextlib.closing(client):
            for what, (method, path, body) in attempts.items():
                response = client.request(method, path, json=body)
                assert response.status_code in (401, 403, 421), (who, what, response.text)
                assert deployment_id not in response.text, (who, what)
    with contextlib.closing(api(state)) as client:
        assert client.post("/flow_runs/filter", json={}).json() == []  # nothing was started

    # CORS: the browser may read answers on the server's own origin only.
    preflight = {"Access-Control-Request-Method": "POST"}
    for origin, allowed in ((own, True), (evil, False)):
        response = httpx.options(
            f"{state.api_url}/deployments/filter",
            headers={**preflight, "Origin": origin},
            timeout=10,
        )
        assert (response.headers.get("access-control-allow-origin") == origin) is allowed

    # The UI loads, and asks for the secret as its password; health probes need none.
    assert httpx.get(state.ui_url, timeout=10).status_code == 200
    settings = httpx.get(f"{state.ui_url}/ui-settings", timeout=10).json()
    assert settings["auth"] == "BASIC" and settings["csrf_enabled"] is True
    assert httpx.get(f"{state.api_url}/health", timeout=10).json() is True


def test_idle_servers_and_servers_whose_home_is_deleted_stop_themselves(tmp_path: Path) -> None:
    idle_home, doomed_home = tmp_path / "idle", tmp_path / "doomed"
    idle_home.mkdir()
    doomed_home.mkdir()
    (idle,) = start_servers(idle_home, idle_s=3)
    (doomed,) = start_servers(doomed_home, idle_s=0)
    try:
        assert idle.idle_s == 3 and doomed.idle_s == 0
        assert alive(doomed)
        shutil.rmtree(doomed_home)
        assert wait_gone(doomed, 30), "a server outlived its PREFECT_HOME"
        assert wait_gone(idle, 60), "an idle server kept running"
        assert not (idle_home / STATE_FILE).exists()  # it removed its own record
        assert "idle" in (idle_home / LOG_FILE).read_text("utf-8")
    finally:
        for state in (idle, doomed):
            if alive(state):
                psutil.Process(state.pid).kill()


def test_status_lists_every_server_and_stop_finds_them_by_pid_and_by_home(
    tmp_path: Path,
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    first, second = start_servers(one, two)
    try:
        listed = {server.pid: server for server in list_servers()}
        assert {first.pid, second.pid} <= set(listed)
        assert listed[second.pid].home == str(two) and listed[second.pid].port == second.port

        shown = l10n("server", "status", env=env_for(one))
        assert shown.returncode == 0, shown.stderr
        assert f"pid {second.pid}" in shown.stdout and str(two) in shown.stdout
        assert f"pid {first.pid} " not in shown.stdout  # its own server is not "other"

        # The record is lost, as when the home was half cleaned: found by its home.
        (two / STATE_FILE).unlink()
        stopped = l10n("server", "stop", env=env_for(two))
        assert stopped.returncode == 0, stopped.stderr
        assert f"pid {second.pid}" in stopped.stdout
        assert wait_gone(second, 10)

        by_pid = l10n("server", "stop", "--pid", str(first.pid), env=env_for(tmp_path))
        assert by_pid.returncode == 0, by_pid.stderr
        assert wait_gone(first, 10)
        assert not (one / STATE_FILE).exists()

        refused = l10n("server", "stop", "--pid", str(os.getpid()), env=env_for(one))
        assert refused.returncode == 1
        assert "is not a running local Prefect server started by l10n" in refused.stderr
        assert "Traceback" not in refused.stderr + refused.stdout
        assert alive_pid(os.getpid())
    finally:
        for state in (first, second):
            if alive(state):
                psutil.Process(state.pid).kill()


def alive_pid(pid: int) -> bool:
    return psutil.pid_exists(pid)


def test_a_damaged_prefect_database_is_one_line_and_reset_db_fixes_it(home: Path) -> None:
    (home / "prefect.db").write_bytes(b"a damaged database, not SQLite at all\n" * 200)
    failed = l10n("server", "start", env=env_for(home))
    assert failed.returncode == 1
    said = failed.stderr.strip()
    assert "\n" not in said and "Traceback" not in failed.stdout + failed.stderr
    assert f"{home / 'prefect.db'} is damaged" in said and "l10n server reset-db" in said

    reset = l10n("server", "reset-db", env=env_for(home))
    assert reset.returncode == 0, reset.stderr
    assert not (home / "prefect.db").exists()
    assert len(list(home.glob("prefect.db.damaged-*"))) == 1

    started = l10n("server", "start", env=env_for(home))  # the advice works
    assert started.returncode == 0, started.stderr
    assert "Started the local Prefect server." in started.stdout


@pytest.mark.browser
def test_the_ui_asks_for_the_secret_and_then_works_in_chromium(home: Path) -> None:
    from browser import launch_chromium

    (state,) = start_servers(home)
    secret = (home / SECRET_FILE).read_text("utf-8").strip()
    with launch_chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        answers: list[tuple[str, int]] = []
        page.on("response", lambda r: answers.append((r.url, r.status)))
        page.goto(state.ui_url, wait_until="networkidle", timeout=120_000)
        password = page.locator("input[type=password]")
        password.wait_for(timeout=60_000)  # the UI's own login form
        password.fill(secret)
        password.press("Enter")
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_timeout(2000)
        api_after_login = [status for url, status in answers if "/api/" in url]
        assert 200 in api_after_login, answers[-20:]
        assert page.locator("input[type=password]").count() == 0
        page.screenshot(path=str(home.parent / "prefect-ui.png"))
