"""``l10n export RUN --format ninjs``: a run's translations in a newsroom format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from l10n.cli.output import visible
from l10n.errors import L10nError
from l10n.newsroom.ninjs import export_ninjs
from l10n.run.store import Run


@click.command("export")
@click.argument("run_dir", metavar="RUN")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ninjs"]),
    default="ninjs",
    show_default=True,
    help="What to write: IPTC ninjs, one <article>/<lang>.ninjs.json per target.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into [default: the run's own article folders].",
)
def export(run_dir: str, fmt: str, output: Path | None) -> None:
    """Write every article of a run as IPTC ninjs, reviewers' approved text included.

    Articles read from ninjs come out in their own version and spelling, with their own
    uri, the target language and a link to the source item; articles read from other
    formats come out as plain ninjs 3.x items (uri urn:l10n:RUN:ARTICLE). The body is the
    approved text once every segment of a language is approved; before that a draft with
    pubstatus withheld (files in the run follow each review decision). Exit status 1 when
    an article could not be exported, 2 when the run can't be read.

    \b
    Example:
        l10n export outputs/wire-0301 --format ninjs
        l10n export outputs/wire-0301 --format ninjs -o /srv/cms/outbox
    """
    try:
        run = Run.open(run_dir)
        result = export_ninjs(run, output)
    except L10nError as exc:
        click.echo(visible(str(exc)), err=True)
        sys.exit(2)
    for article_id, reason in result.failed.items():
        click.echo(visible(f"not exported {article_id}: {reason}"), err=True)
    for where, elements in result.unplaced.items():
        click.echo(
            visible(
                f"{where}: {len(elements)} inline element(s) kept as text without markup "
                f"(neither their text nor a translation of it was found exactly once): "
                f"{', '.join(elements)}"
            ),
            err=True,
        )
    click.echo(f"{len(result.written)} ninjs file(s) written ({fmt}).")
    sys.exit(1 if result.failed else 0)


def register(main: click.Group) -> None:
    main.add_command(export)
