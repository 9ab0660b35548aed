"""``l10n serve``: offer the translate-articles flow in the Prefect UI."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from flows.settings import apply_prefect_defaults
from l10n.cli.common import require_valid_glossary
from l10n.cli.output import print_error
from l10n.mt.engines.select import ENGINE_NAMES
from l10n.paths import DEFAULT_GLOSSARY


@click.command()
@click.option(
    "--name",
    default="editor",
    show_default=True,
    help="Deployment name; the UI lists it as translate-articles/NAME.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="argos",
    show_default=True,
    help="Engine preselected in the run form.",
)
@click.option(
    "--out",
    default="outputs",
    show_default=True,
    help="Output folder or fsspec URL preselected in the run form (a folder is made absolute).",
)
@click.option(
    "--glossary",
    default=DEFAULT_GLOSSARY,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Glossary preselected in the run form.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Most runs executed at the same time [default: no limit].",
)
def serve(name: str, engine: str, out: str, glossary: str, limit: int | None) -> None:
    """Serve the translate-articles flow on the Prefect server in PREFECT_API_URL.

    Registers the deployment translate-articles/NAME, then runs here every flow
    run started from the UI (Deployments → NAME → Run → Custom run) until
    Ctrl-C. Paths in the run form are paths on this machine. Exits 2 when no
    server answers.

    \b
    Example:
        make server &
        export PREFECT_API_URL=http://127.0.0.1:4200/api
        l10n serve --engine auto --out outputs
    """
    console = Console(stderr=True)
    require_valid_glossary(glossary, console)

    # Show the runner's INFO log: it is the only sign in this terminal that a run started.
    apply_prefect_defaults(verbose=True)
    from prefect.settings import get_current_settings

    from flows.serve import ServerUnavailable, check_server, serve_translate_articles

    api_url = get_current_settings().api.url
    try:
        check_server(api_url)
    except ServerUnavailable as exc:
        print_error(console, exc)
        sys.exit(2)
    serve_translate_articles(name, engine=engine, out=out, glossary=glossary, limit=limit)


def register(group: click.Group) -> None:
    group.add_command(serve)
