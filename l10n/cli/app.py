"""The ``l10n`` command group, every command registered (the entry point is
:mod:`l10n.cli.warm`)."""

from __future__ import annotations

import click

from l10n.cli import (
    automations_cmd,
    eval_cmd,
    export_cmd,
    fix_modes_cmd,
    glossary_cmd,
    models_cmd,
    names_cmd,
    push_cmd,
    review_cmd,
    serve_cmd,
    server_cmd,
    tm_cmd,
    translate_cmd,
    xliff_cmd,
)
from l10n.cli.output import QuietInterrupts


@click.group(cls=QuietInterrupts, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="l10n")
def main() -> None:
    """Translate news articles offline into Japanese and Korean, with a name glossary.

    \b
    Example:
        l10n translate examples/articles --to ja,ko --engine auto
    """


for module in (
    translate_cmd,
    export_cmd,
    push_cmd,
    models_cmd,
    glossary_cmd,
    review_cmd,
    serve_cmd,
    server_cmd,
    tm_cmd,
    xliff_cmd,
    eval_cmd,
    names_cmd,
    automations_cmd,
    fix_modes_cmd,
):
    module.register(main)
