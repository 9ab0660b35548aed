"""``l10n push RUN``: POST a run's ninjs to the desk's webhook, retrying what failed."""

from __future__ import annotations

import sys

import click

from l10n.cli.output import visible
from l10n.errors import L10nError
from l10n.newsroom.push import DEFAULT_ATTEMPTS, push_run
from l10n.run.store import Run


@click.command("push")
@click.argument("run_dir", metavar="RUN")
@click.option(
    "--url",
    default=None,
    metavar="URL",
    help="Webhook to POST each article's ninjs to [default: the URL the run was pushed to].",
)
@click.option("--again", is_flag=True, help="Send every target, delivered ones included.")
@click.option(
    "--attempts",
    type=click.IntRange(min=1),
    default=DEFAULT_ATTEMPTS,
    show_default=True,
    help="Tries per item; a connection error, 429 or 5xx is retried with back-off.",
)
def push(run_dir: str, url: str | None, again: bool, attempts: int) -> None:
    """POST each article's ninjs, one per target language, to a webhook.

    What was delivered is kept in RUN/push.json; running it again sends only what failed
    or was never sent, from the stored translation (nothing is translated again).
    Reviewed text is sent where a reviewer approved it. Exit status 1 when an item could
    not be delivered, 2 when the run or the URL is not usable.

    \b
    Example:
        l10n push outputs/wire-0301 --url https://cms.example.org/hooks/l10n
        l10n push outputs/wire-0301
    """
    try:
        report = push_run(Run.open(run_dir), url, again=again, attempts=attempts)
    except L10nError as exc:
        click.echo(visible(str(exc)), err=True)
        sys.exit(exc.exit_code)
    for key, reason in report.failed.items():
        click.echo(visible(f"not delivered {key}: {reason}"), err=True)
    click.echo(
        f"{len(report.pushed)} pushed, {len(report.failed)} failed, "
        f"{len(report.skipped)} already delivered."
    )
    if report.failed:
        click.echo(f"Retry with: l10n push {run_dir}", err=True)
    sys.exit(1 if report.failed else 0)


def push_after_run(run: Run, url: str) -> bool:
    """``l10n translate --push URL``: the run's articles POSTed; False when one failed."""
    try:
        report = push_run(run, url)
    except L10nError as exc:
        click.echo(visible(str(exc)), err=True)
        return False
    for key, reason in report.failed.items():
        click.echo(visible(f"not delivered {key}: {reason}"), err=True)
    click.echo(f"Pushed {len(report.pushed)} item(s) to {url}; {len(report.failed)} failed.")
    if report.failed:
        click.echo(visible(f"Retry with: l10n push {run.location}"), err=True)
    return not report.failed


def register(main: click.Group) -> None:
    main.add_command(push)
