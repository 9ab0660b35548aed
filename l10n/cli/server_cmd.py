"""``l10n server start|stop|status``: the local Prefect server l10n commands share."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.status import Status

from l10n.server.local import (
    IDLE_ENV,
    MODE_ENV,
    PORT_ENV,
    SECRET_FILE,
    STATE_FILE,
    LocalServerError,
    RunningServer,
    ServerState,
    check_server,
    configured_api_url,
    ensure_local_server,
    list_servers,
    parse_duration,
    prefect_home,
    reset_database,
    stop_local_server,
    stop_server_pid,
    use_prefect_server,
)
from l10n.server.settings import apply_prefect_defaults


def _duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _describe(console: Console, state: ServerState) -> None:
    console.print(f"  UI       {state.ui_url}")
    console.print(f"  API      {state.api_url}")
    console.print(f"  pid      {state.pid}")
    console.print(f"  uptime   {_duration(time.time() - state.started_at)}")
    console.print(f"  home     {state.home}")
    console.print(f"  log      {state.log}")
    console.print(f"  prefect  {state.prefect_version} ({state.python})")
    idle = f"after {_duration(state.idle_s)} unused" if state.idle_s else "never (idle stop off)"
    console.print(f"  stops    {idle}, or when its home is deleted")
    console.print(
        f"  login    the UI asks for a password: the secret in {Path(state.home) / SECRET_FILE}"
    )


def _others(console: Console, home: Path) -> int:
    """List the l10n servers running for other homes; how many there are."""
    others = [s for s in list_servers() if s.home is None or Path(s.home) != home]
    if others:
        console.print(
            f"Other local Prefect servers started by l10n on this machine ({len(others)}):"
        )
        for server in others:
            console.print(f"  {_line(server)}")
        console.print("  stop one with `l10n server stop --pid PID`")
    return len(others)


def _line(server: RunningServer) -> str:
    home = server.home or "(home not readable)"
    gone = "" if server.home is None or Path(server.home).is_dir() else " [home deleted]"
    port = f"http://127.0.0.1:{server.port}" if server.port else "port ?"
    age = _duration(time.time() - server.create_time)
    return f"pid {server.pid}  {port}  up {age}  user {server.user or '?'}  home {home}{gone}"


def _note_user_url(console: Console) -> None:
    if url := configured_api_url():
        console.print(
            f"[yellow]note:[/] PREFECT_API_URL is set to {url}; l10n translate and l10n serve "
            "use that server, not this one.",
            soft_wrap=True,
        )


@click.group()
def server() -> None:
    """The local Prefect server that l10n translate and l10n serve share.

    The first l10n command that needs Prefect starts it (127.0.0.1, a free port,
    SQLite under PREFECT_HOME, analytics off) and later commands reuse it, so a
    one-article run takes seconds and every run shows in its UI. It stops itself
    after an hour unused (L10N_PREFECT_SERVER_IDLE=30m, 2h, 0 = never) and when
    PREFECT_HOME is deleted, or at `l10n server stop`. State, log and API secret:
    PREFECT_HOME/l10n-server.json, l10n-server.log, l10n-server.secret
    (PREFECT_HOME defaults to ~/.prefect; all private to you).

    Only l10n's own clients (which get the secret) and its UI (which asks for it)
    can use the API; other Hosts and Origins are refused. See docs/safety.md.

    Not used when PREFECT_API_URL is set (environment or Prefect profile): then
    commands use that server. L10N_PREFECT_SERVER=ephemeral brings back a
    temporary server per command (10-20 s slower, nothing left running);
    L10N_PREFECT_SERVER_PORT=PORT picks the port.

    \b
    Example:
        l10n server start
        l10n server status
        l10n server stop
    """


@server.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help=f"Port on 127.0.0.1 [default: ${PORT_ENV}, else a free port].",
)
@click.option(
    "--idle",
    default=None,
    metavar="DURATION",
    help=f"Stop after this long unused: 30m, 2h, 600, 0 = never [default: ${IDLE_ENV}, else 1h].",
)
def start(port: int | None, idle: str | None) -> None:
    """Start the local Prefect server, or show the one already running.

    \b
    Example:
        l10n server start
        l10n server start --port 4210 --idle 8h
    """
    console = Console(stderr=True)
    started: list[ServerState] = []
    try:
        idle_s = None if idle is None else parse_duration(idle, what="--idle")
        with console.status("Starting the local Prefect server (10-20 s the first time)…"):
            state = ensure_local_server(
                prefect_home(), port=port, idle_s=idle_s, on_start=started.append
            )
    except LocalServerError as exc:
        console.print(f"[red]error:[/] {exc}", soft_wrap=True)
        sys.exit(exc.exit_code)
    out = Console(soft_wrap=True)
    if started:
        out.print("Started the local Prefect server.")
    else:
        out.print("The local Prefect server is already running.")
        if port is not None and port != state.port:
            console.print(
                f"[yellow]note:[/] it listens on port {state.port}, not {port}; run "
                f"`l10n server stop` first to move it to port {port}.",
                soft_wrap=True,
            )
    _describe(out, state)
    _note_user_url(console)


@server.command()
def status() -> None:
    """Show whether the local Prefect server runs: URL, pid, uptime, UI address.

    Also lists every other server l10n started on this machine (other homes,
    other accounts, homes since deleted). Exits 0 when this home's server runs,
    1 when it does not.

    \b
    Example:
        l10n server status
    """
    home = prefect_home()
    result = check_server(home)
    out = Console(soft_wrap=True)
    if result.running and result.state is not None:
        out.print("The local Prefect server is running.")
        _describe(out, result.state)
        _note_user_url(Console(stderr=True))
        _others(out, home)
        return
    out.print(f"The local Prefect server is not running (PREFECT_HOME {home}).")
    if result.state is not None:
        out.print(
            f"  {home / STATE_FILE} records pid {result.state.pid} on port "
            f"{result.state.port}, but {result.problem}; the next l10n command replaces it.",
            soft_wrap=True,
        )
    out.print(
        f"  l10n translate starts it on first use; `l10n server start` starts it now "
        f"({MODE_ENV}=ephemeral: a temporary server per command instead)."
    )
    _others(out, home)
    sys.exit(1)


@server.command()
@click.option(
    "--pid",
    type=int,
    default=None,
    help="Stop the l10n server with this process id (see `l10n server status`), any home.",
)
def stop(pid: int | None) -> None:
    """Stop the local Prefect server and the processes it started.

    Finds it by the pid recorded in PREFECT_HOME, and by its home among running
    processes (so a server whose record was lost is found too). Its database
    stays in PREFECT_HOME; the next l10n command starts it again.

    \b
    Example:
        l10n server stop
        l10n server stop --pid 12345
    """
    out = Console(soft_wrap=True)
    if pid is not None:
        try:
            found = stop_server_pid(pid)
        except LocalServerError as exc:
            Console(stderr=True).print(f"[red]error:[/] {exc}", soft_wrap=True)
            sys.exit(exc.exit_code)
        out.print(f"Stopped the local Prefect server {_line(found)}.")
        return
    try:
        state = stop_local_server(prefect_home())
    except LocalServerError as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}", soft_wrap=True)
        sys.exit(exc.exit_code)
    if state is None:
        out.print("No local Prefect server was running.")
    else:
        out.print(f"Stopped the local Prefect server (pid {state.pid}, {state.ui_url}).")


@server.command("reset-db")
def reset_db() -> None:
    """Move a damaged Prefect database aside so the server starts with an empty one.

    Stops the local server first. The old file is kept as
    PREFECT_HOME/prefect.db.damaged-<time>; run folders and the translation memory
    are not touched, only the run history shown in the Prefect UI starts again.

    \b
    Example:
        l10n server reset-db
    """
    try:
        aside = reset_database(prefect_home())
    except (LocalServerError, OSError) as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}", soft_wrap=True)
        sys.exit(exc.exit_code if isinstance(exc, LocalServerError) else 1)
    out = Console(soft_wrap=True, highlight=False)
    if aside is None:
        out.print(f"No Prefect database in {prefect_home()}; nothing to reset.")
    else:
        out.print(f"Moved the Prefect database aside to {aside}; the next command starts afresh.")


def register(group: click.Group) -> None:
    group.add_command(server)


def connect_prefect(
    console: Console, spinner: Status, *, verbose: bool, ephemeral_warmup: bool = True
) -> str | None:
    """Choose the Prefect API a command uses; call it before Prefect is imported.

    Applies l10n's Prefect defaults, then keeps a PREFECT_API_URL the user set, or
    starts/reuses the local server and points PREFECT_API_URL at it. With
    L10N_PREFECT_SERVER=ephemeral, Prefect's temporary server is started here
    (when ``ephemeral_warmup``) so the spinner covers its start too. Returns the
    API URL (None: ephemeral). A server that cannot start ends the command.
    """
    apply_prefect_defaults(verbose=verbose)

    started: list[ServerState] = []

    def starting(state: ServerState) -> None:
        started.append(state)
        spinner.update(
            f"Starting the local Prefect server on {state.ui_url} (10-20 s the first time)…"
        )

    try:
        url = use_prefect_server(on_start=starting)
    except LocalServerError as exc:
        spinner.stop()
        console.print(f"[red]error:[/] {exc}", soft_wrap=True)
        sys.exit(exc.exit_code)
    if started:
        # A process that outlives this command deserves a line that stays on screen.
        console.print(
            f"Started the local Prefect server: UI {started[-1].ui_url} — it keeps running "
            "for later commands; `l10n server stop` stops it.",
            soft_wrap=True,
        )
    context = sys.modules.get("prefect.context")
    if context is not None:  # imported already (a warm process): read the settings again
        context.refresh_global_settings_context()
    if url is None and ephemeral_warmup:
        spinner.update("Starting Prefect's temporary server…")
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            client.hello()
    return url
