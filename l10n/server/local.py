"""A Prefect server that l10n starts on first use and every later command reuses.

Without a server, each ``l10n translate`` would start Prefect's temporary
(ephemeral) server, which costs 10-20 s on a small machine, and its runs would
vanish with it. Instead the first command starts ``uvicorn`` serving Prefect's
API and UI on 127.0.0.1 in its own session, with its SQLite database under
PREFECT_HOME and analytics off, and records it in ``PREFECT_HOME/l10n-server.json``
(pid, process start time, port, API URL, log file). Later commands find it there,
check that the process is the one recorded and that a Prefect API answers on its
port, and point ``PREFECT_API_URL`` at it.

A file lock (``l10n-server.lock``) makes two commands started together share one
server. State left by a server that died, or whose pid or port now belongs to
another program, is detected and replaced; another program's process is never
signalled.

Nothing here imports Prefect: the command line calls this before the 2 s import
of Prefect, so it can show a spinner first.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import asdict, dataclass, fields
from importlib.metadata import version
from pathlib import Path

import httpx
import psutil
from filelock import FileLock, Timeout

from l10n.errors import L10nError

HOST = "127.0.0.1"
STATE_FILE = "l10n-server.json"
LOCK_FILE = "l10n-server.lock"
LOG_FILE = "l10n-server.log"
SECRET_FILE = "l10n-server.secret"
MODE_ENV = "L10N_PREFECT_SERVER"
PORT_ENV = "L10N_PREFECT_SERVER_PORT"
IDLE_ENV = "L10N_PREFECT_SERVER_IDLE"
HOSTS_ENV = "L10N_PREFECT_SERVER_HOSTS"
DEFAULT_IDLE_S = 3600.0
APP = "l10n.server.guard:create_app"
PREFECT_APP = "prefect.server.api.server:create_app"
MODES = ("managed", "ephemeral")
STARTUP_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0

# The managed server always runs with these, whatever the caller's environment says.
SERVER_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT__SERVER_FINAL": "1",
}


class LocalServerError(L10nError):
    """The local Prefect server could not be started, reached or stopped."""


@dataclass(frozen=True)
class ServerState:
    """What ``l10n-server.json`` records about a running server."""

    pid: int
    create_time: float  # the process's start time: tells our pid from a reused one
    port: int
    api_url: str
    home: str
    log: str
    started_at: float
    prefect_version: str
    python: str  # the interpreter (so the environment) the server runs in
    idle_s: float = 0.0  # it stops itself after this long unused (0: never)

    @property
    def ui_url(self) -> str:
        return f"http://{HOST}:{self.port}"


@dataclass(frozen=True)
class ServerStatus:
    """A health check of the recorded server: ``state`` is None when none is recorded."""

    state: ServerState | None
    running: bool
    problem: str | None = None  # why a recorded server is not usable
    silent: bool = False  # its process runs but nothing answers on its port (yet)


def prefect_home(env: Mapping[str, str] | None = None) -> Path:
    """PREFECT_HOME as Prefect resolves it from the environment (default ``~/.prefect``)."""
    env = os.environ if env is None else env
    return Path(env.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def configured_api_url(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str | None:
    """The Prefect API the user chose, from any source Prefect reads it from, or None.

    Sources: the environment, ``.env``, ``prefect.toml`` and ``pyproject.toml``
    ``[tool.prefect]`` in the working folder, and the active profile in
    ``profiles.toml`` (``prefect config set PREFECT_API_URL=…``).
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    if env.get("PREFECT_API_URL"):
        return env["PREFECT_API_URL"]
    if (cwd / ".env").is_file():
        from dotenv import dotenv_values

        if url := dotenv_values(cwd / ".env").get("PREFECT_API_URL"):
            return url
    for table in (
        _toml(cwd / "prefect.toml"),
        _toml(cwd / "pyproject.toml").get("tool", {}).get("prefect", {}),
    ):
        if isinstance(api := table.get("api"), dict) and api.get("url"):
            return str(api["url"])
    profiles_path = env.get("PREFECT_PROFILES_PATH")
    profiles = _toml(Path(profiles_path) if profiles_path else prefect_home(env) / "profiles.toml")
    active = env.get("PREFECT_PROFILE") or profiles.get("active")
    profile = profiles.get("profiles", {}).get(active, {}) if active else {}
    url = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    return str(url) if url else None


def server_mode(env: Mapping[str, str] | None = None) -> str:
    """``managed`` (default) or ``ephemeral`` (Prefect's temporary server per command)."""
    env = os.environ if env is None else env
    mode = (env.get(MODE_ENV) or "managed").strip().lower()
    if mode not in MODES:
        raise LocalServerError(
            f"{MODE_ENV}={env[MODE_ENV]!r} is not a server mode — use "
            f"{MODE_ENV}=managed (the default: a local server l10n starts and reuses) or "
            f"{MODE_ENV}=ephemeral (a temporary server for each command)"
        )
    return mode


def _configured_port(env: Mapping[str, str]) -> int | None:
    raw = env.get(PORT_ENV)
    if not raw:
        return None
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise LocalServerError(
            f"{PORT_ENV}={raw!r} is not a port number — use e.g. {PORT_ENV}=4200"
        )
    return port


_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_duration(raw: str, *, what: str = IDLE_ENV) -> float:
    """Seconds from ``90``, ``90s``, ``30m``, ``1h`` (``0``: never); LocalServerError if not."""
    text = raw.strip().lower()
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = text[len(number) :].strip()
    try:
        seconds = float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        seconds = -1.0
    if not seconds >= 0:
        raise LocalServerError(
            f"{what}={raw!r} is not a duration — use e.g. {what}=1h, 30m, 600 (seconds) "
            "or 0 (never stop)"
        )
    return seconds


def idle_limit(env: Mapping[str, str] | None = None) -> float:
    """How long the local server may sit unused before it stops itself (0: never)."""
    env = os.environ if env is None else env
    raw = env.get(IDLE_ENV)
    return DEFAULT_IDLE_S if not raw else parse_duration(raw)


def allowed_hosts(env: Mapping[str, str] | None = None) -> list[str]:
    """The Host names the server answers: loopback, plus ``L10N_PREFECT_SERVER_HOSTS``."""
    env = os.environ if env is None else env
    extra = [h.strip().lower() for h in env.get(HOSTS_ENV, "").split(",") if h.strip()]
    return ["127.0.0.1", "localhost", "::1", *extra]


def server_secret(home: Path, *, create: bool = True) -> str | None:
    """The API secret of the server under ``home`` (``l10n-server.secret``, mode 0600).

    Created on first use when ``create``; None when there is none (yet).
    """
    path = home / SECRET_FILE
    try:
        return path.read_text("utf-8").strip() or None
    except FileNotFoundError:
        if not create:
            return None
    except OSError as exc:
        raise LocalServerError(
            f"cannot read the local server's secret {path} ({exc}) — it must belong to you; "
            f"remove it and run `l10n server stop` then `l10n server start`"
        ) from exc
    secret = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another command made it first
        return path.read_text("utf-8").strip() or None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret


def auth_headers(home: Path) -> dict[str, str]:
    """The ``Authorization`` header a plain HTTP client needs for the server under ``home``."""
    secret = server_secret(home, create=False)
    if secret is None:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(secret.encode("utf-8")).decode("ascii")}


def read_state(home: Path) -> ServerState | None:
    """The recorded server, or None when nothing (readable) is recorded."""
    try:
        data = json.loads((home / STATE_FILE).read_text("utf-8"))
        known = {f.name for f in fields(ServerState)}
        return ServerState(**{k: v for k, v in data.items() if k in known})
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _write_private(path: Path, text: str) -> None:
    """Write ``path`` readable by its owner only (0600, whatever the umask), atomically."""
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def _write_state(state: ServerState) -> None:
    _write_private(Path(state.home) / STATE_FILE, json.dumps(asdict(state), indent=2) + "\n")


def _forget(home: Path) -> None:
    (home / STATE_FILE).unlink(missing_ok=True)


def _process(state: ServerState) -> psutil.Process | None:
    """The recorded process if it still runs; None when it died or its pid was reused."""
    try:
        process = psutil.Process(state.pid)
        if abs(process.create_time() - state.create_time) > 1.0:
            return None
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process
    except psutil.Error:
        return None


def _health(api_url: str, timeout: float = 2.0) -> tuple[str | None, bool]:
    """(None, False) when a Prefect API answers at ``api_url``; else (what is wrong, silent).

    ``silent``: nothing answered at all, as while a server is still starting.
    """
    try:
        response = httpx.get(f"{api_url}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        return f"nothing answers at {api_url} ({type(exc).__name__})", True
    if response.status_code == 200 and response.text.strip() == "true":
        return None, False
    return f"{api_url}/health answered HTTP {response.status_code}, not a Prefect API", False


def check_server(home: Path) -> ServerStatus:
    """Is the server recorded under ``home`` running and answering?"""
    state = read_state(home)
    if state is None:
        return ServerStatus(None, running=False)
    if _process(state) is None:
        return ServerStatus(state, False, f"its process {state.pid} is gone")
    problem, silent = _health(state.api_url)
    return ServerStatus(state, problem is None, problem, silent)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def _log_tail(log: Path, chars: int = 2000) -> str:
    try:
        text = log.read_text("utf-8", "replace")
    except OSError:
        return ""
    return text[-chars:].strip()


def _spawn(home: Path, port: int, env: Mapping[str, str], idle_s: float) -> ServerState:
    api_url = f"http://{HOST}:{port}/api"
    log = home / LOG_FILE
    if log.exists():
        log.replace(log.with_name(LOG_FILE + ".1"))
    hosts = allowed_hosts(env)
    secret = server_secret(home)
    assert secret is not None
    server_env = {
        k: v for k, v in env.items() if k not in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING")
    }
    if server_env.get("PREFECT_LOGGING_SETTINGS_PATH", "").endswith("l10n-logging.yml"):
        del server_env["PREFECT_LOGGING_SETTINGS_PATH"]  # the server's log keeps tracebacks
    server_env.update(
        SERVER_ENV,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_API_HOST=HOST,
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_UI_API_URL=api_url,
        # Prefect's own guards: a secret on every API call, CSRF tokens for changes,
        # and cross-origin answers for the server's own origins only.
        PREFECT_SERVER_API_AUTH_STRING=secret,
        PREFECT_SERVER_CSRF_PROTECTION_ENABLED="true",
        PREFECT_SERVER_CORS_ALLOWED_ORIGINS=",".join(
            f"http://{f'[{h}]' if ':' in h else h}:{port}" for h in hosts
        ),
        # l10n's: Host and Origin checked, the idle stop and the watch on PREFECT_HOME.
        L10N_GUARD_APP=PREFECT_APP,
        L10N_GUARD_HOSTS=",".join(hosts),
        L10N_GUARD_PORT=str(port),
        L10N_GUARD_IDLE_S=f"{idle_s:g}",
        L10N_GUARD_HOME=str(home),
        L10N_GUARD_STATE=str(home / STATE_FILE),
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        APP,
        "--host",
        HOST,
        "--port",
        str(port),
        "--lifespan",
        "on",
        "--log-level",
        "warning",
    ]
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as out:
        # A session of its own: Ctrl-C in the terminal, or the end of the command
        # that started it, does not reach the server.
        process = subprocess.Popen(
            command,
            env=server_env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        create_time = psutil.Process(process.pid).create_time()
    except psutil.Error:  # it already ended: the wait for its answer reports that
        create_time = 0.0
    state = ServerState(
        pid=process.pid,
        create_time=create_time,
        port=port,
        api_url=api_url,
        home=str(home),
        log=str(log),
        started_at=time.time(),
        prefect_version=version("prefect"),
        python=sys.executable,
        idle_s=idle_s,
    )
    _write_state(state)
    return state


def _wait_healthy(state: ServerState, timeout: float) -> str | None:
    """None once the server answers; else why it never will (it exited, or time ran out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _process(state) is None:
            return "the server process exited"
        if _health(state.api_url)[0] is None:
            return None
        time.sleep(0.1)
    return f"no answer within {timeout:.0f} s"


def _terminate(state: ServerState, timeout: float = STOP_TIMEOUT_S) -> bool:
    """End the recorded server and everything it started; never another program's process.

    False when there was nothing to end (the process had died, or its pid is another's).
    """
    process = _process(state)
    if process is None:
        return False
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        family = [process]
    # One SIGTERM each (a second one makes uvicorn skip its graceful shutdown): the
    # server's own process group at once, then any child that left the group.
    grouped: set[int] = set()
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            if os.getpgid(state.pid) == state.pid:
                os.killpg(state.pid, signal.SIGTERM)
                grouped = {m.pid for m in family if _pgid(m.pid) == state.pid}
    for member in family:
        if member.pid not in grouped:
            with contextlib.suppress(psutil.Error):
                member.terminate()
    alive = _wait_gone(family, timeout)
    for member in alive:
        with contextlib.suppress(psutil.Error):
            member.kill()
    _wait_gone(alive, 5.0)
    return True


def _wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until the processes ended; those still running after ``timeout``.

    An ended process whose parent has not yet collected it (a zombie) counts as ended:
    the parent may be a long-lived program that started the server.
    """
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                if process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


@contextlib.contextmanager
def _locked(home: Path, timeout: float) -> Iterator[None]:
    lock = FileLock(str(home / LOCK_FILE))
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock.acquire(timeout=timeout)
    except OSError as exc:
        raise LocalServerError(
            f"cannot use PREFECT_HOME {home} for the local Prefect server ({exc}) — point "
            f"PREFECT_HOME at a writable folder, or set {MODE_ENV}=ephemeral"
        ) from exc
    except Timeout as exc:
        raise LocalServerError(
            f"another l10n command has held {home / LOCK_FILE} for {timeout:.0f} s while "
            "starting or stopping the local Prefect server; wait for it, or run "
            "`l10n server stop` and try again"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def ensure_local_server(
    home: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    idle_s: float | None = None,
    timeout: float = STARTUP_TIMEOUT_S,
    on_start: Callable[[ServerState], None] | None = None,
) -> ServerState:
    """The running local server under ``home``, started first when there is none.

    ``on_start`` is called when a server is being started (it takes 10-20 s), so a
    caller can say so. Raises ``LocalServerError`` with the log's tail when the
    server does not come up.
    """
    env = os.environ if env is None else env
    home = prefect_home(env) if home is None else home
    status = check_server(home)
    if status.running and status.state is not None:
        return status.state
    with _locked(home, timeout):
        status = check_server(home)
        state = status.state
        if state is not None and not status.running and _process(state) is not None:
            # Our process without a Prefect API on its port. Nothing answering yet is most
            # likely another command's start that was interrupted: give it the rest of its
            # start-up time. Anything else answering there, or a start that never ended,
            # and it is replaced.
            remaining = state.started_at + timeout - time.time() if status.silent else 0.0
            if remaining > 0 and _wait_healthy(state, remaining) is None:
                return state
            _terminate(state)
        elif status.running and state is not None:
            return state
        _forget(home)
        # Owner-only, whatever the umask: the database holds every run's text.
        with contextlib.suppress(OSError):
            home.chmod(home.stat().st_mode & 0o700)
        wanted = port or _configured_port(env)
        idle = idle_limit(env) if idle_s is None else idle_s
        if wanted is not None and _port_in_use(wanted):
            raise LocalServerError(
                f"port {wanted} on {HOST} is in use by another program — choose another "
                f"with {PORT_ENV}=PORT or `l10n server start --port PORT`, or unset {PORT_ENV} "
                "to let l10n pick a free port"
            )
        for _attempt in range(3):
            state = _spawn(home, wanted or _free_port(), env, idle)
            if on_start is not None:
                on_start(state)
            problem = _wait_healthy(state, timeout)
            if problem is None:
                return state
            _terminate(state)
            _forget(home)
            # A free port can be taken between choosing it and binding it: choose again.
            if wanted is not None or "address already in use" not in _log_tail(Path(state.log)):
                break
        assert state is not None
        raise LocalServerError(_start_failure(home, problem or "", Path(state.log)))


DB_FILE = "prefect.db"
_DAMAGED_DB = ("database disk image is malformed", "file is not a database", "malformed database")


def _start_failure(home: Path, problem: str, log: Path) -> str:
    """One line saying why the server did not start and what fixes it; details stay in the log."""
    tail = _log_tail(log, 20_000)
    if any(sign in tail for sign in _DAMAGED_DB):
        return (
            f"the local Prefect server's database {home / DB_FILE} is damaged, so the server "
            f"cannot start (details in {log}) — `l10n server reset-db` moves it aside and the "
            "next command starts with an empty run history (run folders are not touched)"
        )
    last = next(
        (line.strip() for line in reversed(tail.splitlines()) if "Error" in line),
        tail.splitlines()[-1].strip() if tail else "",
    )
    said = f": {last[:300]}" if last else ""
    return (
        f"the local Prefect server did not start ({problem}){said} — details in {log}; "
        f"`l10n server stop` then `l10n server start` tries again, {MODE_ENV}=ephemeral "
        "runs without it"
    )


def reset_database(home: Path | None = None) -> Path | None:
    """Stop the server of ``home`` and move its database aside; where it went (None: none)."""
    home = prefect_home() if home is None else home
    database = home / DB_FILE
    if not database.exists():
        return None
    stop_local_server(home)
    aside = home / f"{DB_FILE}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{database}{suffix}").exists():
            os.replace(f"{database}{suffix}", f"{aside}{suffix}")
    return aside


@dataclass(frozen=True)
class RunningServer:
    """A server process l10n started, found among the machine's processes."""

    pid: int
    create_time: float
    port: int | None
    home: str | None  # None: not readable (another account's process)
    user: str | None

    def as_state(self) -> ServerState:
        return ServerState(
            pid=self.pid,
            create_time=self.create_time,
            port=self.port or 0,
            api_url=f"http://{HOST}:{self.port}/api",
            home=self.home or "",
            log="",
            started_at=self.create_time,
            prefect_version="",
            python="",
        )


def _home_of(process: psutil.Process) -> str | None:
    with contextlib.suppress(psutil.Error, KeyError):
        return process.environ()["PREFECT_HOME"]
    with contextlib.suppress(psutil.Error):
        return process.cwd().removesuffix(" (deleted)")
    return None


def list_servers() -> list[RunningServer]:
    """Every local Prefect server l10n started on this machine, any home, any account."""
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "create_time", "username"]):
        command = process.info.get("cmdline") or []
        if APP not in command:
            continue
        with contextlib.suppress(psutil.Error):
            if process.status() == psutil.STATUS_ZOMBIE:
                continue
        port = None
        if "--port" in command[:-1]:
            with contextlib.suppress(ValueError):
                port = int(command[command.index("--port") + 1])
        found.append(
            RunningServer(
                pid=process.info["pid"],
                create_time=process.info.get("create_time") or 0.0,
                port=port,
                home=_home_of(process),
                user=process.info.get("username"),
            )
        )
    return sorted(found, key=lambda server: server.create_time)


def _same_home(a: str | None, b: Path) -> bool:
    return a is not None and (Path(a) == b or os.path.realpath(a) == os.path.realpath(b))


def stop_local_server(
    home: Path | None = None, *, timeout: float = STOP_TIMEOUT_S
) -> ServerState | None:
    """Stop the server recorded under ``home`` and its children, and any other l10n
    server still running for ``home`` (one whose record was lost, or whose home was
    deleted).

    Returns the stopped server's state; None when none was running (a stale record is
    removed all the same).
    """
    home = prefect_home() if home is None else home
    stopped: ServerState | None = None
    if (home / STATE_FILE).exists():
        with _locked(home, STARTUP_TIMEOUT_S):
            state = read_state(home)
            if state is not None and _terminate(state, timeout):
                stopped = state
            _forget(home)
    for server in list_servers():
        if _same_home(server.home, home) and _terminate(server.as_state(), timeout):
            stopped = stopped or server.as_state()
    return stopped


def stop_server_pid(pid: int, *, timeout: float = STOP_TIMEOUT_S) -> RunningServer:
    """Stop the l10n-started server whose process is ``pid``; LocalServerError if none is."""
    for server in list_servers():
        if server.pid == pid:
            if not _terminate(server.as_state(), timeout):
                break
            if server.home and read_state(Path(server.home)) is not None:
                recorded = read_state(Path(server.home))
                if recorded is not None and recorded.pid == pid:
                    _forget(Path(server.home))
            return server
    raise LocalServerError(
        f"process {pid} is not a running local Prefect server started by l10n — "
        "`l10n server status` lists those that are"
    )


def secret_for_url(url: str, env: Mapping[str, str] | None = None) -> str | None:
    """The secret of the l10n server of this account that answers at ``url``, if any."""
    url = url.rstrip("/")
    state = read_state(prefect_home(env))
    homes = [Path(state.home)] if state is not None and state.api_url == url else []
    if not homes and url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        port = url.rsplit(":", 1)[-1].split("/", 1)[0]
        homes = [Path(s.home) for s in list_servers() if s.home and str(s.port) == port]
    for home in homes:
        with contextlib.suppress(LocalServerError):
            if secret := server_secret(home, create=False):
                return secret
    return None


NO_ORIGIN = "http://l10n-no-browser.invalid"
"""The ephemeral server's CORS list: an origin no page can have (``.invalid`` never resolves)."""


def lock_ephemeral(env: MutableMapping[str, str]) -> None:
    """Give Prefect's temporary server (``ephemeral`` mode) the local server's own guards.

    Prefect starts that server itself, from this process's environment, on a random
    loopback port and without its UI: l10n cannot put its Host guard in front of it, so
    the API is locked by Prefect's own settings instead. A secret made for this command
    (never written anywhere) must come with every API call — the server's
    ``PREFECT_SERVER_API_AUTH_STRING`` and the clients' ``PREFECT_API_AUTH_STRING``, which
    workers and flow-run processes inherit — changes need a CSRF token, and no browser
    origin may read an answer (there is no UI to serve). A page that rebinds a name to
    127.0.0.1 reaches the port but cannot send the secret. Values the user set are kept.
    """
    secret = (
        env.get("PREFECT_SERVER_API_AUTH_STRING")
        or env.get("PREFECT_API_AUTH_STRING")
        or secrets.token_urlsafe(32)
    )
    env.setdefault("PREFECT_SERVER_API_AUTH_STRING", secret)
    env.setdefault("PREFECT_API_AUTH_STRING", env["PREFECT_SERVER_API_AUTH_STRING"])
    env.setdefault("PREFECT_SERVER_CSRF_PROTECTION_ENABLED", "true")
    env.setdefault("PREFECT_SERVER_CORS_ALLOWED_ORIGINS", NO_ORIGIN)


def use_prefect_server(
    env: MutableMapping[str, str] | None = None,
    *,
    on_start: Callable[[ServerState], None] | None = None,
) -> str | None:
    """Point this process at a Prefect API before Prefect is imported; the URL, or None.

    A URL the user configured is kept as it is (returned, nothing started). In
    ``ephemeral`` mode no URL is set and Prefect starts its temporary server, locked
    by :func:`lock_ephemeral`.
    Otherwise the local server is ensured and PREFECT_API_URL set to it.
    """
    env = os.environ if env is None else env
    if url := configured_api_url(env):
        # The user's URL may be an l10n server of theirs (`make server`, then export
        # PREFECT_API_URL): its clients need its secret all the same.
        if "PREFECT_API_AUTH_STRING" not in env and (secret := secret_for_url(url, env)):
            env["PREFECT_API_AUTH_STRING"] = secret
        return url
    if server_mode(env) == "ephemeral":
        lock_ephemeral(env)
        return None
    state = ensure_local_server(env=env, on_start=on_start)
    env["PREFECT_API_URL"] = state.api_url
    # Clients, workers and flow-run processes started from here inherit the secret.
    if secret := server_secret(Path(state.home), create=False):
        env["PREFECT_API_AUTH_STRING"] = secret
    return state.api_url
