"""``l10n translate``: run the translate-articles flow from the terminal."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from l10n.cli.common import require_valid_glossary
from l10n.cli.server_cmd import connect_prefect
from l10n.mt.engines.select import ENGINE_NAMES
from l10n.paths import DEFAULT_GLOSSARY
from l10n.progress import reporting_to
from l10n.run.store import check_run_id, new_run_id
from l10n.text.languages import TARGET_LANGUAGES


def _parse_targets(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    targets = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGET_LANGUAGES]
    if unknown or not targets:
        raise click.BadParameter(f"choose from {', '.join(TARGET_LANGUAGES)}, e.g. --to ja,ko")
    return targets


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--to",
    "targets",
    default="ja,ko",
    show_default=True,
    callback=_parse_targets,
    help="Target languages, comma-separated.",
)
@click.option(
    "--glossary",
    default=DEFAULT_GLOSSARY,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Name glossary (YAML).",
)
@click.option(
    "--out",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder; the run goes to OUT/<run-id>/.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="argos",
    show_default=True,
    help="argos: installed Argos packages, never a fallback. pseudo: "
    "pseudo-localization, not a translation. auto: argos if possible, else pseudo.",
)
@click.option(
    "--source-lang", default=None, help="Source language for every article (skips detection)."
)
@click.option(
    "--run-id", default=None, help="Name the run; an existing run of that name is resumed."
)
@click.option(
    "--cache", default=None, help="Translation cache folder or fsspec URL [default: OUT/.cache]."
)
@click.option(
    "--rules",
    "boilerplate_rules",
    default=None,
    type=click.Path(dir_okay=False),
    help="Boilerplate rules file [default: the bundled rules].",
)
@click.option(
    "--dask",
    "dask_address",
    default=None,
    metavar="ADDRESS|local",
    help="Run the flow's tasks on a Dask cluster (an address such as "
    "tcp://10.0.0.5:8786, or 'local' for a LocalCluster).",
)
@click.option(
    "--dask-workers", default=2, show_default=True, help="Workers of the local Dask cluster."
)
@click.option(
    "--threads",
    default=0,
    show_default=True,
    help="Model threads per process (0: every core; with --dask local: cores / workers).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's log.")
def translate(
    inputs,
    targets,
    glossary,
    out,
    engine,
    source_lang,
    run_id,
    cache,
    boilerplate_rules,
    dask_address,
    dask_workers,
    threads,
    verbose,
) -> None:
    """Translate articles (files, folders or URLs) into Japanese and Korean.

    Runs the translate-articles Prefect flow; the run is recorded in Prefect and
    its files go to OUT/<run-id>/. Exits 1 when any article failed.

    \b
    Example:
        l10n translate examples/articles --to ja,ko --engine auto
        l10n translate story.txt --to ko --engine pseudo --out /tmp/l10n-out
    """
    console = Console(stderr=True)
    require_valid_glossary(glossary, console)
    try:
        run_id = check_run_id(run_id or new_run_id())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--run-id") from exc

    with console.status("Starting Prefect…") as spinner:
        connect_prefect(console, spinner, verbose=verbose)
        from flows.translate_articles import translate_articles

    if dask_address:
        from flows.runners import dask_task_runner

        address = None if dask_address == "local" else dask_address
        if address is None and not threads:
            threads = max(1, (os.cpu_count() or 1) // dask_workers)
        translate_articles = translate_articles.with_options(
            task_runner=dask_task_runner(address, dask_workers)
        )

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    bars: dict[str, int] = {}

    def show(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = progress.add_task(stage, total=total)
        progress.update(bars[stage], completed=done, total=total)

    with progress, reporting_to(show):
        state = translate_articles(
            inputs=list(inputs),
            targets=targets,
            glossary=glossary,
            engine=engine,
            out=out,
            source_lang=source_lang,
            run_id=run_id,
            cache=cache,
            boilerplate_rules=boilerplate_rules,
            threads=threads,
            return_state=True,
        )
    run_dir = Path(out) / run_id
    summary_path = run_dir / "run.json"
    if not summary_path.exists():
        console.print(f"[red]error:[/] {state.message or 'the run stopped early'}")
        console.print(f"Nothing was stored in {run_dir}; rerun with -v to see Prefect's log.")
        sys.exit(1)
    summary = json.loads(summary_path.read_text("utf-8"))
    print_summary(Console(), summary, run_dir)
    sys.exit(1 if summary["articles"]["failed"] else 0)


def print_summary(console: Console, summary: dict, run_dir: Path) -> None:
    engine = summary["engine"]["name"]
    if summary["engine"].get("pseudo"):
        engine += " (PSEUDO-LOCALIZED — not a translation)"
    table = Table(title=f"Run {summary['run_id']} — engine {engine}")
    table.add_column("article", overflow="fold")
    for column in ("source", "languages", "glossary fixes", "unresolved", "status"):
        table.add_column(column)
    for done in summary["articles"]["done"]:
        manifest = json.loads((run_dir / done["dir"] / "manifest.json").read_text("utf-8"))
        src = manifest["source_language"]
        langs = ", ".join(
            f"{k}({v['action']})" if v["action"] == "copy" else k
            for k, v in manifest["targets"].items()
        )
        fixes = sum(t["changes"] for t in manifest["targets"].values())
        unresolved = sum(len(t["unresolved"]) for t in manifest["targets"].values())
        status = "resumed" if done.get("resumed") else "done"
        table.add_row(
            done["id"],
            f"{src['code']} {src['confidence']:.2f}",
            langs,
            str(fixes),
            str(unresolved),
            f"[green]{status}[/]",
        )
    for skipped in summary["articles"]["skipped"]:
        table.add_row(skipped["id"], "", "", "", "", f"[yellow]skipped:[/] {skipped['reason']}")
    for failed in summary["articles"]["failed"]:
        table.add_row(failed["id"], "", "", "", "", f"[red]failed:[/] {failed['reason']}")
    console.print(table)
    counts = {k: len(v) for k, v in summary["articles"].items()}
    console.print(
        f"{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed — "
        f"{summary['totals']['changes']} glossary fixes, {summary['totals']['unresolved']} "
        f"unresolved. Output: {run_dir}"
    )
    for skipped in summary["articles"]["skipped"]:
        console.print(
            f"[yellow]skipped[/] {skipped['id']} ({skipped['input']}): {skipped['reason']}"
        )
    for failed in summary["articles"]["failed"]:
        console.print(f"[red]failed[/] {failed['id']}: {failed['reason']}")
    for warning in summary.get("warnings", []):
        console.print(f"[bold red]WARNING:[/] {warning}")


def register(group: click.Group) -> None:
    group.add_command(translate)
