"""``l10n translate`` without importing Prefect each time: a warm process that forks per run.

Importing Prefect, pydantic and l10n is about two thirds of a one-article run. The ``l10n``
command starts here: for ``translate`` it asks a warm process (one that has imported the
command and the flow, and nothing else) to run it. That process forks; the child takes the
command's terminal (its standard input, output and error, passed over a Unix socket), its
working folder, umask and environment, runs the command exactly as the command itself
would, and its exit status becomes the command's. Ctrl-C (and a terminal's hang-up or a
``kill``) is passed on to the child.

A warm process serves one environment of one installation in one folder: its socket is
named after the Python running it, every file of the l10n package (path, size, time), the
working folder and the environment (less the variables a shell changes by itself: ``PWD``,
``OLDPWD``, ``SHLVL``, ``_``). Any change there reaches another socket, so a run never
uses code, settings or paths other than its own; an unused warm process ends after
:data:`IDLE_S`, or once its socket is removed. When there is none yet, the command runs in
its own process as before and starts one for the next run. ``L10N_WARM=0`` turns all of
this off. Sockets live in a folder only this user can use, and the warm process serves
only this user's processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

ENV = "L10N_WARM"
DIR_ENV = "L10N_WARM_DIR"
IDLE_ENV = "L10N_WARM_IDLE"
IDLE_S = 600.0
CHECK_S = 5.0
"""How often a warm process looks whether the code it imported has changed."""
VOLATILE = frozenset({"PWD", "OLDPWD", "SHLVL", "_"})
COMMANDS = frozenset({"translate"})
VERBOSE = frozenset({"-v", "--verbose"})
"""Prefect's log on screen is set up as Prefect is imported: such a run imports it itself."""
PACKAGE = Path(__file__).resolve().parent.parent
_HEADER = struct.Struct("!I")
STDIO = (0, 1, 2)
MAX_SOCKET_PATH = 100
"""A Unix socket's path holds at most 107 bytes on Linux (103 on macOS)."""


def main() -> NoReturn:
    """The ``l10n`` command: a warm run of ``translate`` where one can be had, else the
    command in this process."""
    args = sys.argv[1:]
    if args[:1] and args[0] in COMMANDS and not VERBOSE.intersection(args) and enabled():
        code = run_warm(args)
        if code is not None:
            _exit(code)
    from l10n.cli import main as command

    sys.exit(command())


def enabled() -> bool:
    """Off with ``L10N_WARM=0``, and where there is no ``fork``, Unix socket or peer check
    (it is Linux's ``SO_PEERCRED`` that tells whose process is asking)."""
    if os.environ.get(ENV, "1") == "0":
        return False
    return all(hasattr(module, name) for module, name in _NEEDS)


_NEEDS = ((os, "fork"), (socket, "AF_UNIX"), (socket, "SO_PEERCRED"))


def socket_path(environ: dict[str, str] | None = None) -> Path | None:
    """The warm process's socket for this installation and environment (None: no safe
    folder for it)."""
    env = os.environ if environ is None else environ
    folder = Path(env.get(DIR_ENV) or Path(tempfile.gettempdir()) / f"l10n-warm-{os.getuid()}")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return None  # somebody else's folder, or one others can enter
    path = folder / f"{_key(env)}.sock"
    return path if len(os.fsencode(path)) <= MAX_SOCKET_PATH else None


def _key(env: Any) -> str:
    digest = hashlib.sha256(f"{sys.executable}\0{os.getcwd()}".encode("utf-8", "surrogateescape"))
    for name, value in sorted(env.items()):
        if name not in VOLATILE:
            digest.update(f"\0{name}={value}".encode("utf-8", "surrogateescape"))
    for path in sorted(PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        info = path.stat()
        digest.update(f"\0{path}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


# --- the command's side -------------------------------------------------------------------


def run_warm(args: list[str]) -> int | None:
    """The exit status of ``l10n ARGS`` run by the warm process; None when there is none
    to take it (one is then started for the next run)."""
    path = socket_path()
    if path is None:
        return None
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(5)
        conn.connect(str(path))
        umask = os.umask(0)
        os.umask(umask)
        request = {"args": args, "argv0": sys.argv[0], "cwd": os.getcwd(), "umask": umask}
        request["env"] = dict(os.environ)
        data = json.dumps(request).encode("utf-8", "surrogateescape")
        socket.send_fds(conn, [_HEADER.pack(len(data)) + data], list(STDIO))
        reply = conn.makefile("r", encoding="utf-8")
        first = reply.readline().split()
    except OSError:
        start_warm(path)
        return None
    if first[:1] != ["pid"]:
        return None  # refused before the run began: this process runs it
    child = int(first[1])
    conn.settimeout(None)
    forward = _forwarder(child)
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, forward)
    while True:
        try:
            line = reply.readline()
            break
        except InterruptedError:
            continue
    words = line.split()
    if words[:1] == ["exit"]:
        return int(words[1])
    sys.stderr.write(
        "error: the warm l10n process ended before the run did; its output above may be "
        "incomplete — run the command again (L10N_WARM=0 runs it in this process)\n"
    )
    return 1


def _forwarder(child: int) -> Any:
    def forward(number: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, number)

    return forward


def start_warm(path: Path) -> None:
    """Start a warm process for ``path`` in the background (it stays alone if one is
    already starting)."""
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "l10n.cli.warm", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )


def _exit(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
            stream.flush()
    os._exit(code)


# --- the warm process --------------------------------------------------------------------


def serve(path: Path) -> None:
    """Take runs on ``path`` until none came for :data:`IDLE_S` seconds (or
    ``$L10N_WARM_IDLE``).

    Prefect is imported as the command imports it: after l10n's Prefect settings and the
    API of the local server are in the environment (each run sets them again, and Prefect's
    settings are read again then: a server that moved is followed)."""
    import importlib

    from l10n.server.local import use_prefect_server
    from l10n.server.settings import apply_prefect_defaults

    environ = dict(os.environ)
    if socket_path(environ) != path:
        return  # the code or the environment changed while this process started
    idle = float(environ.get(IDLE_ENV) or IDLE_S)
    try:
        apply_prefect_defaults()
        use_prefect_server()
    except Exception:  # no server to point at: every run goes on in its own process
        return
    for module in ("l10n.cli.app", "l10n.flow.translate"):
        importlib.import_module(module)  # what a run needs, imported once for every child
    listener = _listen(path)
    if listener is None:
        return
    own = _identity(path)
    children: dict[int, socket.socket] = {}
    idle_since = checked = time.monotonic()
    try:
        while children or time.monotonic() - idle_since < idle:
            ready, _, _ = select.select([listener], [], [], 0.2)
            if ready:
                _take(listener, children)
                idle_since = time.monotonic()
            _reap(children)
            if children:
                idle_since = time.monotonic()
            if time.monotonic() - checked > CHECK_S:
                checked = time.monotonic()
                if socket_path(environ) != path:
                    break  # the code changed: new runs go to a new warm process
                if _identity(path) != own:
                    break  # the socket was removed (its folder with it) or replaced
    finally:
        listener.close()
        try:
            if _identity(path) == own:
                path.unlink()
        except OSError:
            pass


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is (None: none)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _listen(path: Path) -> socket.socket | None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
    except OSError:
        try:  # a live process holds it: leave; a stale socket: replace it
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            probe.connect(str(path))
            probe.close()
            return None
        except OSError:
            path.unlink(missing_ok=True)
            listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(16)
    return listener


def _take(listener: socket.socket, children: dict[int, socket.socket]) -> None:
    conn, _ = listener.accept()
    fds: list[int] = []
    try:
        conn.settimeout(5)
        uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
        if uid != os.getuid():
            conn.close()
            return
        head, fds, _, _ = socket.recv_fds(conn, _HEADER.size + 65536, len(STDIO))
        (size,) = _HEADER.unpack(head[: _HEADER.size])
        data = head[_HEADER.size :]
        while len(data) < size:
            more = conn.recv(size - len(data))
            if not more:
                raise OSError("request cut short")
            data += more
        request = json.loads(data.decode("utf-8", "surrogateescape"))
        if len(fds) != len(STDIO):
            raise OSError("the command's terminal did not come")
    except (OSError, ValueError, struct.error):
        for fd in fds:
            os.close(fd)
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        for other in (listener, conn, *children.values()):
            other.close()
        _run_child(request, fds)
    for fd in fds:
        os.close(fd)
    with contextlib.suppress(OSError):
        conn.sendall(f"pid {pid}\n".encode())
    children[pid] = conn


def _reap(children: dict[int, socket.socket]) -> None:
    for pid in list(children):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 1 << 8
        if not done:
            continue
        code = os.waitstatus_to_exitcode(status)
        conn = children.pop(pid)
        with contextlib.suppress(OSError):
            conn.sendall(f"exit {code if code >= 0 else 128 - code}\n".encode())
        conn.close()


def _run_child(request: dict[str, Any], fds: list[int]) -> NoReturn:
    code = 1
    try:
        for target, fd in zip(STDIO, fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.umask(int(request["umask"]))
        os.environ.clear()
        os.environ.update(request["env"])
        for number in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _fresh_streams()
        import random

        random.seed()  # a fork copies the generator's state
        sys.argv = [request["argv0"], *request["args"]]
        from l10n.cli import main as command

        command.main(list(request["args"]), prog_name="l10n")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # as Python would: the traceback, status 1
        import traceback

        traceback.print_exc()
    _exit(code)


def _fresh_streams() -> None:
    """Standard streams on the command's terminal, buffered as Python would buffer them."""
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    sys.stdin = open(0, encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
    line = os.isatty(1)
    sys.stdout = open(  # noqa: SIM115 - the process's own stream, never closed
        1, "w", buffering=1 if line else -1, encoding=encoding, errors=errors, closefd=False
    )
    sys.stderr = open(  # noqa: SIM115
        2, "w", buffering=1, encoding=encoding, errors="backslashreplace", closefd=False
    )


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
