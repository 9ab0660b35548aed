"""``l10n xliff import``: reviewed XLIFF from a CAT tool back into its run and the memory."""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from l10n.cli.output import visible
from l10n.errors import L10nError
from l10n.mt.memory import tm_location
from l10n.review.names import load_run_glossary
from l10n.review.xliff_import import ImportReport, find_run, import_xliff
from l10n.run.atomic import write_bytes_atomic
from l10n.run.store import Run


@click.group()
def xliff() -> None:
    """Exchange a run with CAT tools through XLIFF.

    Every article of a run has <lang>.xlf (XLIFF 1.2) beside its text files; send it
    to a translator or reviewer and import what comes back. While the review app is in
    use, run `l10n report RUN` first: it writes the decisions waiting in each article's
    decision log into its XLIFF.

    \b
    Example:
        l10n xliff import outputs/20260301-090000-3f9c/nara-summit/ko.xlf
    """


@xliff.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--run",
    "run_dir",
    metavar="RUN_DIR",
    default=None,
    help="The run the files belong to [default: the run folder a file sits in].",
)
@click.option(
    "--reviewer",
    metavar="NAME",
    default=None,
    help="Name saved with each imported decision [default: $USER].",
)
@click.option(
    "--tm",
    "memory",
    metavar="LOCATION",
    default=None,
    help="Translation memory that learns approved text: a file, sqlite:///PATH or "
    "postgresql://… [default: $L10N_TM, else OUT/.l10n-tm.sqlite beside the run folder, or "
    "~/.local/share/l10n/tm.sqlite for a run on shared storage — where translate kept it].",
)
def import_(
    files: tuple[Path, ...], run_dir: str | None, reviewer: str | None, memory: str | None
) -> None:
    """Import reviewed XLIFF 1.2 or 2.x files into their run and the translation memory.

    Units are matched by id (the segment number) in the article the file's `original`
    names. A unit whose target was edited, or whose state was raised (translated,
    signed-off, final; approved="yes"), becomes an approved review; one left in a
    needs-review state becomes a rejected one with its text. Units that don't fit the
    run (unknown article or id, another language, changed source text) are listed and
    skipped; the rest imports. Exit status 1 when a unit was refused, 2 when a file or
    the run can't be read.

    \b
    Example:
        l10n xliff import outputs/20260301-090000-3f9c/nara-summit/ko.xlf
        l10n xliff import reviewed/nara-ko.xlf --run outputs/20260301-090000-3f9c \\
            --reviewer "Mina Park"
    """
    from l10n.review.app import default_reviewer

    name = default_reviewer() if reviewer is None else reviewer
    if not name.strip():
        _say("give --reviewer NAME: every imported decision is saved with a name")
        sys.exit(2)
    status = 0
    for path in files:  # a file that can't be read is reported; the others still import
        try:
            run = _run_for(path, run_dir)
            glossary = load_run_glossary(run.read_summary().glossary).glossary
            report = import_xliff(
                path,
                run,
                reviewer=name,
                memory_location=tm_location(run.out, memory),
                glossary=glossary,
            )
        except L10nError as exc:
            _say(str(exc))
            status = 2
            continue
        _print_report(report)
        if report.refused or report.memory_error:
            status = max(status, 1)
    sys.exit(status)


def _run_for(path: Path, run_dir: str | None) -> Run:
    if run_dir is not None:
        return Run.open(run_dir)
    found = find_run(path)
    if found is None:
        raise _NoRun(
            f"{path}: not inside a run folder — give the run it belongs to with --run RUN_DIR"
        )
    return Run.open(found)


class _NoRun(L10nError):
    exit_code = 2


SHOWN_REFUSALS = 20


def _refusal_lines(report: ImportReport) -> Iterator[str]:
    for unit in report.refused:
        line = f":{unit.line}" if unit.line else ""
        where = f"{report.path}{line}: unit {unit.unit_id!r}"
        if unit.article:
            where += f" ({unit.article}{', ' + unit.lang if unit.lang else ''})"
        yield visible(f"refused {where}: {unit.reason}")


def _print_report(report: ImportReport) -> None:
    lines = _refusal_lines(report)
    for line in itertools.islice(lines, SHOWN_REFUSALS):
        click.echo(line, err=True)
    if len(report.refused) > SHOWN_REFUSALS:
        listed = _write_refusals(Path(report.path), _refusal_lines(report))
        click.echo(
            f"… and {len(report.refused) - SHOWN_REFUSALS} more refused unit(s); "
            f"the full list is in {listed}",
            err=True,
        )
    click.echo(
        visible(
            f"{report.path} → {report.run}: {report.count('approved')} approved, "
            f"{report.count('rejected')} rejected, {report.count('unchanged')} unchanged, "
            f"{report.count('refused')} refused; {report.memory_approved} approved "
            "translation(s) added to the memory"
        )
    )
    for where, verdict in report.publishable.items():
        click.echo(visible(f"{where} {verdict}"))
    for note in report.memory_notes:
        click.echo(visible(f"note: {note}"), err=True)


def _write_refusals(xliff: Path, lines: Iterable[str]) -> Path:
    """Every refusal, one a line, beside the XLIFF file (else in the temporary folder)."""
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    target = xliff.with_name(xliff.name + ".refused.txt")
    try:
        write_bytes_atomic(target, data)
    except OSError:
        fd, name = tempfile.mkstemp(prefix=f"{xliff.name}.", suffix=".refused.txt")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        target = Path(name)
    return target


def _say(message: str) -> None:
    click.echo(visible(f"l10n xliff import: {message}"), err=True)


def register(group: click.Group) -> None:
    group.add_command(xliff)
