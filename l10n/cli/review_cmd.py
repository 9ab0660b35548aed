"""``l10n review`` and ``l10n report``: a stored run in the terminal or in the review app,
and its review files rebuilt.

``l10n review RUN_DIR`` (the terminal view) is ``l10n review show RUN_DIR``: a first argument
that names no subcommand goes to ``show``, so the short form keeps working beside
``l10n review serve``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from l10n.cli.output import plain, visible
from l10n.errors import L10nError
from l10n.models import GlossaryChange, Translation
from l10n.review.diffs import translation_diff
from l10n.review.document import review_document
from l10n.review.files import rebuild_review_files
from l10n.run.store import Run

PSEUDO_BANNER = "PSEUDO-LOCALIZED — not a translation"
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(review)
    group.add_command(report)


class ReviewGroup(click.Group):
    """Subcommands, with ``show`` taken when the first argument is not one of them."""

    default_command = "show"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=ReviewGroup)
def review() -> None:
    """Review a run: in the terminal (`l10n review RUN_DIR`) or in the browser (`serve`).

    `l10n review RUN_DIR …` is short for `l10n review show RUN_DIR …`.

    \b
    Example:
        l10n review outputs/20260301-090000-3f9c --lang ja --only-changed
        l10n review outputs/20260301-090000-3f9c --json > review.json

    To edit, approve or reject segments in a local web app, run
    `l10n review serve outputs` and open the address it prints.
    """


@review.command("show")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--lang", help="Show one target language only (e.g. ja or ko).")
@click.option("--article", "article_id", metavar="ID", help="Show one article only.")
@click.option("--only-changed", is_flag=True, help="Only segments the glossary changed.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document for scripts.")
def show(
    run_dir: Path, lang: str | None, article_id: str | None, only_changed: bool, as_json: bool
) -> None:
    """Show source, raw MT and corrected text of a run, segment by segment.

    Deletions are red and struck through, insertions green; each segment lists the
    glossary entries applied and its QA flags.

    \b
    Example:
        l10n review show outputs/20260301-090000-3f9c --lang ja --only-changed
        l10n review show outputs/20260301-090000-3f9c --json > review.json
    """
    try:
        doc = review_document(
            Run.open(run_dir), lang=lang, article=article_id, only_changed=only_changed
        )
    except L10nError as exc:
        _fail("review", exc)
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    render_review(doc, Console(highlight=False, soft_wrap=False))


@review.command("serve")
@click.argument("location", default="outputs", metavar="[OUT|RUN_DIR]")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port on 127.0.0.1 [default: a free one].",
)
@click.option(
    "--reviewer",
    metavar="NAME",
    default=None,
    help="Name saved with every decision [default: $USER; the page lets you change it].",
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
def serve(location: str, port: int | None, reviewer: str | None, memory: str | None) -> None:
    """Edit, approve or reject a run's segments in a local web app.

    Serves OUT (every run in it, newest first) or one RUN_DIR on 127.0.0.1 and prints
    the address to open. Each decision is saved at once in the run (segments.jsonl,
    <lang>.reviewed.txt, diffs, XLIFF states, report pages) and approved text goes to the
    translation memory, so later runs reuse it. Keys on the article page: j/k next or
    previous segment, e edit, a approve, r reject, c comment. Stop with Ctrl-C.

    \b
    Example:
        l10n review serve outputs
        l10n review serve outputs/20260301-090000-3f9c --port 8765 --reviewer "Mina Park"
    """
    from l10n.review.app import Catalog, ReviewServer, default_reviewer

    try:
        catalog = Catalog.open(location, memory=memory)
        server = ReviewServer(
            catalog, port=port, reviewer=default_reviewer() if reviewer is None else reviewer
        )
    except L10nError as exc:
        _fail("review serve", exc)

    def ready(url: str) -> None:
        click.echo(f"Review app for {visible(catalog.location)}: {url}")
        click.echo("Open it in a browser on this machine; Ctrl-C stops it.")
        click.echo(f"For links from Prefect runs, start them with: export L10N_REVIEW_URL={url}")

    server.run(on_ready=ready)


@click.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
def report(run_dir: Path) -> None:
    """Rebuild the report pages, the per-language diffs, XLIFF files and translations.tmx.

    Articles with review decisions waiting in their decision log are written in full, so
    their draft texts and ninjs show those decisions too.

    \b
    Example:
        l10n report outputs/20260301-090000-3f9c
        xdg-open outputs/20260301-090000-3f9c/report.html
    """
    try:
        written = rebuild_review_files(Run.open(run_dir))
    except L10nError as exc:
        _fail("report", exc)
    for path in written:
        click.echo(str(path))


def _fail(command: str, exc: Exception) -> NoReturn:
    click.echo(visible(f"l10n {command}: {exc}"), err=True)
    sys.exit(2)


def render_review(doc: dict[str, Any], console: Console) -> None:
    """Print a review document (from :func:`l10n.review.document.review_document`) for people.

    Article text is appended as plain ``Text`` and never parsed as rich markup, so a
    ``[bold]`` in a news story prints as written.
    """
    header = Text(f"Run {doc['run_id']}", style="bold")
    header.append(f" · engine {doc['engine']} · targets {', '.join(doc['targets'])}")
    console.print(header)
    marked, stored = doc.get("pseudo_articles") or (0, 0)
    if doc["pseudo"] and 0 < marked < stored:  # per article: provided drafts are not pseudo
        console.print(
            Text(
                f"*** {marked} of {stored} articles have PSEUDO-LOCALIZED targets — not a "
                "translation (marked below) ***",
                style="bold reverse magenta",
            )
        )
    elif doc["pseudo"]:
        console.print(Text(f"*** {PSEUDO_BANNER} ***", style="bold reverse magenta"))
    for article in doc["articles"]:
        console.print()
        title = Text(f"━━ {visible(article['id'])}", style="bold cyan")
        title.append(" — ")
        title.append(visible(article["title"]))
        title.append(f"  ({article['source_language']}, {article['status']})", style="dim")
        console.print(title)
        if article.get("pseudo_targets") and 0 < marked < stored:
            langs = ", ".join(article["pseudo_targets"])
            console.print(Text(f"   {PSEUDO_BANNER} ({langs})", style="bold magenta"))
        for code, counts in article["counts"].items():
            console.print(
                Text(
                    f"   {code}: {counts['segments']} segments · {counts['changed']} changed · "
                    f"{counts['changes']} glossary changes · {counts['unresolved']} unresolved · "
                    f"{counts['flags']} flags",
                    style="dim",
                )
            )
            verdict = article.get("publishable", {}).get(code)
            if verdict:
                console.print(Text(f"   {code}: {verdict}", style="bold"))
        if not article["segments"]:
            console.print(Text("   (no segments match the filters)", style="dim"))
        for segment in article["segments"]:
            _render_segment(segment, console)
    _render_leftovers(doc, console)


def _render_segment(segment: dict[str, Any], console: Console) -> None:
    where = "title" if segment["paragraph"] < 0 else f"¶{segment['paragraph'] + 1}"
    console.print(Text(f" #{segment['index']} {where}", style="bold"))
    # A grid keeps wrapped lines under their text instead of under the labels.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=10, style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("   src", plain(segment["source"]))
    for code, target in segment["targets"].items():
        mt_text, final_text = diff_texts(target["mt"], target["final"], target["changes"])
        if target["changed"]:
            grid.add_row(f"   {code} mt", mt_text)
            grid.add_row(f"   {code} fix", final_text)
        else:
            grid.add_row(f"   {code}", final_text)
        for change in target["changes"]:
            note = Text("glossary ", style="cyan")
            note.append(visible(f"{change['entry_id']}: {change['before']} → {change['after']}"))
            grid.add_row("", note)
        for entry in target["unresolved"]:
            grid.add_row("", plain(f"unresolved {entry}", "bold yellow"))
        for flag in target["flags"]:
            note = Text(f"flag {flag['code']}", style=_SEVERITY_STYLE.get(flag["severity"], ""))
            note.append(visible(f": {flag['message']}"))
            grid.add_row("", note)
        review = target.get("review")
        if review:
            style = "green" if review["status"] == "approved" else "red"
            note = Text(f"{review['status']} ", style=style)
            note.append(visible(f"by {review['reviewer']} ({review['time']})"))
            if review["status"] == "approved" and review["text"] != target["final"]:
                note.append(visible(f": {review['text']}"))
            if review.get("comment"):
                note.append(visible(f" — {review['comment']}"), style="dim")
            grid.add_row(f"   {code} ok", note)
    console.print(grid)


def diff_texts(mt: str, final: str, changes: list[dict] | None = None) -> tuple[Text, Text]:
    """Raw MT with deletions marked, corrected text with insertions marked."""
    translation = Translation(0, "", mt, final, [GlossaryChange(**c) for c in changes or []])
    before, after = Text(), Text()
    for op, chunk in translation_diff(translation):
        chunk = visible(chunk)
        if op == "equal":
            before.append(chunk)
            after.append(chunk)
        elif op == "delete":
            before.append(chunk, style="red strike")
        else:
            after.append(chunk, style="bold green")
    return before, after


def _render_leftovers(doc: dict[str, Any], console: Console) -> None:
    for key, verb in (("skipped", "skipped"), ("failed", "failed")):
        for item in doc[key]:
            console.print(plain(f"{verb} {item.get('id')}: {item.get('reason')}", "yellow"))
    for error in doc["input_errors"]:
        where = error.get("path", "?")
        if error.get("line") is not None:
            where = f"{where}:{error['line']}"
        console.print(plain(f"input error {where}: {error.get('message')}", "red"))
