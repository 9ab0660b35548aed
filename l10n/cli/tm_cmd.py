"""``l10n tm``: look into, export and import the translation memory."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from l10n.errors import L10nError
from l10n.mt.memory import MemoryStats, Origin, open_memory, tm_location
from l10n.mt.memory.tmx import export_tmx, import_tmx

_tm_option = click.option(
    "--tm",
    "location",
    default=None,
    metavar="LOCATION",
    # The memory of runs in translate's default output folder, unless --tm or $L10N_TM.
    callback=lambda _ctx, _param, given: tm_location("outputs", given),
    help="The memory: a SQLite file, sqlite:///PATH or postgresql://USER@HOST:PORT/DB "
    "[default: $L10N_TM, else outputs/.l10n-tm.sqlite].",
)


def _fail(exc: L10nError | OSError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code if isinstance(exc, L10nError) else 1)


@click.group("tm")
def tm_group() -> None:
    """Look into, export and import the translation memory (raw MT and approved translations).

    \b
    Example:
        l10n tm stats --tm outputs/.l10n-tm.sqlite
    """


@tm_group.command("stats")
@_tm_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def stats_cmd(location: str, as_json: bool) -> None:
    """Count raw MT and approved translations per language pair and per engine.

    \b
    Example:
        l10n tm stats --tm outputs/.l10n-tm.sqlite
    """
    try:
        with open_memory(location, create=False) as memory:
            stats = memory.stats()
    except L10nError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(_stats_json(stats), ensure_ascii=False, indent=2))
        return
    console = Console()
    size = f", {stats.size_bytes / 1e6:.1f} MB" if stats.size_bytes is not None else ""
    console.print(f"{stats.location} ({stats.backend}{size})", highlight=False, markup=False)
    console.print(f"{stats.mt} raw MT, {stats.approved} approved", highlight=False)
    if stats.pairs:
        pairs = Table("pair", "raw MT", "approved")
        for pair in stats.pairs:
            pairs.add_row(f"{pair.source}→{pair.target}", str(pair.mt), str(pair.approved))
        console.print(pairs)
    if stats.engines:
        engines = Table("engine", "fingerprint", "raw MT")
        for engine in stats.engines:
            name = f"{engine.engine} (pseudo)" if engine.pseudo else engine.engine
            engines.add_row(name, engine.fingerprint_id[:12], str(engine.segments))
        console.print(engines)


def _stats_json(stats: MemoryStats) -> dict[str, Any]:
    return {
        "location": stats.location,
        "backend": stats.backend,
        "size_bytes": stats.size_bytes,
        "mt": stats.mt,
        "approved": stats.approved,
        "pairs": [
            {"source": p.source, "target": p.target, "mt": p.mt, "approved": p.approved}
            for p in stats.pairs
        ],
        "engines": [
            {
                "engine": e.engine,
                "fingerprint": e.fingerprint_id,
                "pseudo": e.pseudo,
                "mt": e.segments,
            }
            for e in stats.engines
        ],
    }


@tm_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_tm_option
@click.option("--source", default=None, help="Only this source language (e.g. en).")
@click.option("--target", default=None, help="Only this target language (e.g. ja).")
@click.option(
    "--only",
    type=click.Choice(["approved", "mt"]),
    default=None,
    help="Only approved translations, or only raw MT [default: both].",
)
def export_cmd(
    file: Path, location: str, source: str | None, target: str | None, only: str | None
) -> None:
    """Write the memory as TMX 1.4b: approved translations, then raw MT marked as unreviewed.

    Pseudo-localized output is never exported.

    \b
    Example:
        l10n tm export outputs/memory.tmx --tm outputs/.l10n-tm.sqlite --target ja
    """
    include: list[Origin] = ["approved", "mt"]
    if only == "approved":
        include = ["approved"]
    elif only == "mt":
        include = ["mt"]
    try:
        with open_memory(location, create=False) as memory:
            result = _guard(
                lambda: export_tmx(memory, file, source=source, target=target, include=include)
            )
    except (L10nError, OSError) as exc:
        _fail(exc)
    click.echo(f"wrote {file}: {result.approved} approved, {result.mt} raw MT")


@tm_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_tm_option
@click.option(
    "--as-approved",
    is_flag=True,
    help="Import the file's translations as approved ones (runs use them instead of MT); "
    "needs --reviewer.",
)
@click.option(
    "--reviewer",
    default=None,
    help="Who vouches for the approvals --as-approved imports; they are stored under NAME.",
)
def import_cmd(file: Path, location: str, as_approved: bool, reviewer: str | None) -> None:
    """Read a TMX file into the memory (exit 1 if any unit had to be skipped).

    Raw MT that l10n exported comes back as it was. A file can claim anything, so nothing
    in it becomes an approved translation (which later runs use instead of MT) unless you
    vouch for it: --as-approved --reviewer NAME. Dates in the future count as now; a unit
    whose text is not in its language's script (Japanese labelled ko) is skipped, and so is
    one holding an entity reference (&nbsp;) l10n does not expand.

    \b
    Example:
        l10n tm import outputs/memory.tmx --as-approved --reviewer "Mina Park"
    """
    if as_approved != bool(reviewer and reviewer.strip()):
        raise click.UsageError(
            "--as-approved and --reviewer NAME go together: NAME vouches for the approvals"
        )
    try:
        with open_memory(location) as memory:
            result = _guard(
                lambda: import_tmx(memory, file, reviewer=reviewer, as_approved=as_approved)
            )
    except (L10nError, OSError) as exc:
        _fail(exc)
    skipped = sum(result.skipped.values())
    click.echo(
        f"imported {file}: {result.approved} approved, {result.mt} raw MT, {skipped} skipped"
    )
    for problem in result.problems:
        click.echo(f"  skipped {problem}", err=True)
    if skipped > len(result.problems):
        for reason, count in result.skipped.most_common():
            click.echo(f"  {count} skipped: {reason}", err=True)
    if skipped:
        sys.exit(1)


@tm_group.command("recover")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def recover_cmd(file: Path) -> None:
    """Rebuild a damaged SQLite memory from the rows SQLite can still read.

    The damaged file is kept beside it as FILE.damaged-<time>; the rebuilt memory
    takes its name, so later runs use it as before. Run it when l10n reports the
    memory as damaged (a crash mid-write, a full disk, a truncated copy).

    \b
    Example:
        l10n tm recover outputs/.l10n-tm.sqlite
    """
    from l10n.mt.memory.recover import recover

    try:
        report = recover(file)
    except (L10nError, OSError) as exc:
        _fail(exc)
    parts = ", ".join(
        f"{n} {table.removeprefix('tm_')}"
        for table, n in report.kept.items()
        if table != "tm_engine"
    )
    lost = sum(report.unreadable.values())
    unreadable = f"; {lost} unreadable row(s) dropped" if lost else ""
    click.echo(
        f"Recovered {file}: kept {parts} row(s){unreadable}. "
        f"The damaged file is {report.damaged_copy}."
    )
    for problem in report.problems:
        click.echo(f"note: {problem}", err=True)


def _guard(action: Callable[[], Any]) -> Any:
    """Run one memory action; a file-system error becomes a one-line message."""
    try:
        return action()
    except OSError as exc:
        raise L10nError(f"{exc.filename or 'file'}: {exc.strerror or exc}") from exc


def register(main: click.Group) -> None:
    main.add_command(tm_group)
