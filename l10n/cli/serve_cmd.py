"""``l10n serve``: offer the translate-articles flow in the Prefect UI."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from l10n.cli.common import require_valid_glossary
from l10n.cli.options import engine_option, glossary_option, out_option
from l10n.cli.output import print_error
from l10n.cli.server_cmd import connect_prefect
from l10n.server.local import MODE_ENV


@click.command()
@click.option(
    "--name",
    default="editor",
    show_default=True,
    help="Deployment name; the UI lists it as translate-articles/NAME.",
)
@engine_option("Engine preselected in the run form.")
@out_option("Output folder or fsspec URL preselected in the run form (a folder is made absolute).")
@glossary_option("Glossary preselected in the run form.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Most runs executed at the same time [default: no limit].",
)
def serve(name: str, engine: str, out: str, glossary: str, limit: int | None) -> None:
    """Serve the translate-articles flow in the Prefect UI.

    Registers the deployment translate-articles/NAME on the server in
    PREFECT_API_URL, or, when that is not set, on the local server l10n starts and
    reuses (`l10n server status` shows its UI address). Then runs here every flow
    run started from the UI (Deployments → NAME → Run → Custom run) until
    Ctrl-C. Paths in the run form are paths on this machine. Exits 2 when no
    server answers.

    \b
    Example:
        l10n serve --engine auto --out outputs
        PREFECT_API_URL=http://127.0.0.1:4200/api l10n serve --name desk
    """
    console = Console(stderr=True)
    require_valid_glossary(glossary, console)

    # Show the runner's INFO log: it is the only sign in this terminal that a run started.
    # Without PREFECT_API_URL the flow is served on the local server (`l10n server`).
    with console.status("Starting Prefect…") as spinner:
        connect_prefect(console, spinner, verbose=True, ephemeral_warmup=False)
    from prefect.settings import get_current_settings

    from l10n.flow.serve import ServerUnavailable, check_server, serve_translate_articles

    api_url = get_current_settings().api.url
    try:
        check_server(api_url)
    except ServerUnavailable as exc:
        print_error(console, exc)
        if api_url is None:
            console.print(f"(or unset {MODE_ENV} to serve on the local server)", soft_wrap=True)
        sys.exit(2)
    serve_translate_articles(name, engine=engine, out=out, glossary=glossary, limit=limit)


def register(group: click.Group) -> None:
    group.add_command(serve)
