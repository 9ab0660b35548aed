"""``l10n automations --block-id ID``: the newsroom's Prefect automations, ready to create."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from l10n.cli.output import visible
from l10n.errors import L10nError
from l10n.flow.automations import DEFINITIONS, filled_automations


@click.command("automations")
@click.option(
    "--block-id",
    required=True,
    help="Id of the notification block (Slack, Teams, e-mail …) to notify: UI → Blocks → "
    "the block, or `prefect block ls`.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write [default: print to standard output].",
)
@click.option(
    "--file",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFINITIONS,
    show_default="automations/l10n.yaml",
    help="Automation definitions with the placeholder block id.",
)
def automations(block_id: str, output: Path | None, source: Path) -> None:
    """Fill the notification block's id into l10n's Prefect automations (a failed run; a run
    with names the glossary has no rendering for) and check each against Prefect's model.

    Create them with `prefect automation create --from-file` on the file written.
    Exit status 2 when the id or the file can't be used.

    \b
    Example:
        l10n automations --block-id 3fa85f64-5717-4562-b3fc-2c963f66afa6 -o desk.yaml
        prefect automation create --from-file desk.yaml
    """
    try:
        text, names = filled_automations(block_id, source)
    except L10nError as exc:
        click.echo(visible(str(exc)), err=True)
        sys.exit(2)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, "utf-8")
    except OSError as exc:
        click.echo(visible(f"{output}: cannot write ({exc.strerror})"), err=True)
        sys.exit(2)
    click.echo(
        f"{len(names)} automation(s) for block {block_id.strip()} written to {output}: "
        f"{', '.join(names)}.\nCreate them: prefect automation create --from-file {output}"
    )


def register(main: click.Group) -> None:
    main.add_command(automations)
