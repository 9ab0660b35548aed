"""``l10n fix-modes``: runs, memories and server state from before l10n kept them private."""

from __future__ import annotations

from pathlib import Path

import click

from l10n.cli.output import visible
from l10n.errors import UsageError
from l10n.mt.memory import tm_location
from l10n.pipeline import DEFAULTS
from l10n.run.atomic import SHARED_GROUP_ENV, Modes, modes
from l10n.run.privacy import SHOWN, ModeReport, apply_modes, fix_path
from l10n.run.storage import is_remote, local_path
from l10n.server.local import LOCK_FILE, LOG_FILE, SECRET_FILE, STATE_FILE, prefect_home
from l10n.server.logs import CONFIG_FILE
from l10n.server.logs import LOG_FILE as COMMANDS_LOG

_SIDECARS = ("", "-wal", "-shm", "-journal")
_SERVER_FILES = (STATE_FILE, SECRET_FILE, LOCK_FILE, LOG_FILE, CONFIG_FILE, "prefect.db")


def _memory_file(location: str) -> Path | None:
    """The SQLite file of a memory location; None for a database server."""
    if "://" in location and not location.startswith("sqlite:///"):
        return None
    return Path(location.removeprefix("sqlite://")).expanduser()


def _server_paths(home: Path) -> list[Path]:
    names = [f"{name}{tail}" for name in _SERVER_FILES for tail in _SIDECARS]
    logs = [COMMANDS_LOG, *(f"{COMMANDS_LOG}.{n}" for n in range(1, 10))]
    logs += [f"{LOG_FILE}.{n}" for n in range(1, 10)]
    return [home / name for name in (*names, *logs)]


def _describe(wanted: Modes) -> str:
    group = f", group {wanted.gid}" if wanted.gid is not None else ""
    return f"{wanted.file:04o}/{wanted.folder:04o}{group}"


@click.command("fix-modes")
@click.argument("outs", nargs=-1, metavar="[OUT]...", type=click.Path(file_okay=False))
@click.option(
    "--tm",
    "memory",
    default=None,
    help="The translation memory, when it is not the one `l10n translate --out OUT` uses.",
)
@click.option(
    "--shared-group",
    metavar="GROUP",
    default=None,
    help=f"Open the runs and memories to GROUP (0660/2770) instead of making them private; "
    f"default: ${SHARED_GROUP_ENV}, else private (0600/0700). Server state stays private.",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
def fix_modes_cmd(
    outs: tuple[str, ...], memory: str | None, shared_group: str | None, dry_run: bool
) -> None:
    """Give runs, memories and server state written by an earlier l10n today's modes.

    New run folders, memories and the local server's state (its secret, state and
    logs in PREFECT_HOME) are private to you: 0600 files, 0700 folders, or shared
    with one group by --shared-group. Those written before kept the umask's modes,
    often readable by every account on the machine. This sets each of your files
    under every OUT (default: output), the memory its runs use and the server state
    in PREFECT_HOME to those modes. Links are not followed; files of another account
    are listed and left alone (exit 1).

    \b
    Example:
        l10n fix-modes output --dry-run
        l10n fix-modes output
        l10n fix-modes output --shared-group newsdesk
    """
    try:
        wanted = modes(shared_group)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--shared-group") from None
    private = modes("")
    report = ModeReport()
    verb = "would change" if dry_run else "changed"
    memories: set[Path] = set()
    for out in outs or (DEFAULTS.out,):
        if is_remote(out):
            click.echo(f"{out}: shared storage; its modes are the storage's own — skipped")
            continue
        folder = local_path(out)
        before = report.changed
        if folder.is_dir():
            apply_modes(folder, wanted, report, dry_run=dry_run)
            click.echo(
                f"{visible(str(folder))}: {verb} {report.changed - before} to {_describe(wanted)}"
            )
        else:
            click.echo(f"{visible(str(folder))}: no such folder — skipped")
        found = _memory_file(tm_location(out, memory))
        if found is not None and not found.absolute().is_relative_to(folder.absolute()):
            memories.add(found)
    for found in sorted(memories):
        before = report.changed
        paths = [found.with_name(found.name + tail) for tail in _SIDECARS]
        for path in paths:
            fix_path(path, wanted, report, dry_run)
        if any(p.exists() for p in paths):
            click.echo(f"{visible(str(found))}: {verb} {report.changed - before}")
    home = prefect_home()
    if home.is_dir():
        before = report.changed
        fix_path(home, private, report, dry_run)
        for path in _server_paths(home):
            fix_path(path, private, report, dry_run)
        click.echo(
            f"server state in {visible(str(home))}: {verb} {report.changed - before} to "
            f"{_describe(private)}"
        )
    if dry_run:
        for line in report.changed_paths:
            click.echo(f"  {visible(line)}")
        if report.changed > len(report.changed_paths):
            click.echo(f"  … and {report.changed - len(report.changed_paths)} more")
    _report_problems(report)


def _report_problems(report: ModeReport) -> None:
    if report.ok:
        return
    for path in report.not_yours[:SHOWN]:
        click.echo(f"not yours, left as it is: {visible(path)}", err=True)
    for line in report.failed[:SHOWN]:
        click.echo(f"could not change {visible(line)}", err=True)
    hidden = len(report.not_yours) + len(report.failed) - SHOWN * 2
    more = f" (and {hidden} more)" if hidden > 0 else ""
    raise click.ClickException(
        f"{len(report.not_yours)} path(s) belong to another account and "
        f"{len(report.failed)} could not be changed{more} — their owner (or an "
        "administrator) can run `l10n fix-modes` on them, or chown them to you first"
    )


def register(main: click.Group) -> None:
    main.add_command(fix_modes_cmd)
