"""``l10n serve``: offer the translate-articles flow in the Prefect UI."""

from __future__ import annotations

import sys
from pathlib import Path

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
@click.option(
    "--watch",
    "watch",
    multiple=True,
    metavar="SOURCE",
    help="Also serve watch-sources/NAME-watch: translate what is new on this feed or in this "
    "folder on a schedule (repeat for several).",
)
@click.option("--every", default="10m", show_default=True, help="How often to look (30s, 10m, 1h).")
@click.option(
    "--cron", default=None, help="Look on a cron schedule instead, e.g. '*/15 6-22 * * *'."
)
@click.option("--push", "push_url", default=None, metavar="URL", help="Webhook for the results.")
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Let the watch fetch feeds and links on loopback and private addresses.",
)
def serve(
    name: str,
    engine: str,
    out: str,
    glossary: str,
    limit: int | None,
    watch: tuple[str, ...],
    every: str,
    cron: str | None,
    push_url: str | None,
    allow_private_urls: bool,
) -> None:
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
        l10n serve --engine auto --watch https://example.org/feed.xml --every 10m
    """
    console = Console(stderr=True)
    require_valid_glossary(glossary, console)
    every_s = _interval(every) if watch and cron is None else None

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
    also = []
    if watch:
        from l10n.flow.serve import deployment_parameters
        from l10n.flow.watch import build_watch_deployment

        settings: dict[str, object] = dict(deployment_parameters(engine, out, glossary))
        settings.pop("inputs")
        settings |= {"push_url": push_url or "", "allow_private_urls": allow_private_urls}
        # Folders absolute, as the form shows paths on this machine; links as given.
        sources = [s if "://" in s else str(Path(s).resolve()) for s in watch]
        also.append(
            build_watch_deployment(
                f"{name}-watch", sources, every_s=every_s, cron=cron, parameters=settings
            )
        )
    serve_translate_articles(
        name, engine=engine, out=out, glossary=glossary, limit=limit, also=also
    )


def _interval(every: str) -> int:
    from l10n.newsroom.watch import WatchError, parse_every

    try:
        return parse_every(every)
    except WatchError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc


def register(group: click.Group) -> None:
    group.add_command(serve)
