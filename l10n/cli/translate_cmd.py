"""``l10n translate``: run the translate-articles flow from the terminal."""

from __future__ import annotations

import errno
import functools
import io
import os
import re
import shlex
import signal
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import click
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from l10n.articles.discover import expected_articles
from l10n.cli.common import require_valid_glossary
from l10n.cli.leave import imports_without_gc, leave
from l10n.cli.options import (
    decoding_options,
    engine_option,
    glossary_option,
    out_option,
    route_option,
    targets_option,
)
from l10n.cli.output import plain, print_error, visible
from l10n.cli.push_cmd import push_after_run
from l10n.cli.server_cmd import connect_prefect
from l10n.errors import L10nError, UsageError
from l10n.models import Action, ArticleOutcome, LanguageGuess, Status, TargetSummary
from l10n.pipeline import DEFAULTS, RunOptions
from l10n.progress import reporting_to
from l10n.run.ids import check_run_id, new_run_id
from l10n.run.store import Run
from l10n.run.summary import RunSummary

if TYPE_CHECKING:
    from prefect.states import State

TABLE_LIMIT = 30
"""Above this many articles the summary gives counts and failures only (``--all``: the table)."""


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@targets_option
@glossary_option()
@out_option()
@engine_option("Translation engine for every language pair.")
@route_option
@click.option(
    "--source-lang", default=None, help="Source language for every article (skips detection)."
)
@click.option(
    "--run-id", default=None, help="Name the run; an existing run of that name is resumed."
)
@click.option(
    "--tm",
    "memory",
    default=None,
    metavar="FILE|postgresql://…",
    help="Translation memory: a SQLite file or a PostgreSQL URL [default: $L10N_TM, else "
    "OUT/.l10n-tm.sqlite].",
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
@decoding_options
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Also fetch links to loopback, private and link-local addresses (off by default).",
)
@click.option(
    "--max-input-mb",
    type=click.IntRange(min=1),
    default=DEFAULTS.max_input_mb,
    show_default=True,
    help="Skip local input files larger than this many megabytes.",
)
@click.option(
    "--push",
    "push_url",
    default=None,
    metavar="URL",
    help="POST each finished article's ninjs to this webhook (see `l10n push`).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"List every article in the summary, also above {TABLE_LIMIT} articles.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's log.")
def translate(
    inputs,
    targets,
    glossary,
    out,
    engine,
    routes,
    source_lang,
    run_id,
    memory,
    boilerplate_rules,
    dask_address,
    dask_workers,
    threads,
    beam,
    compute_type,
    device,
    allow_private_urls,
    max_input_mb,
    push_url,
    show_all,
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
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--run-id") from exc

    options = RunOptions(
        inputs=list(inputs),
        targets=targets,
        engine=engine,
        routes=list(routes),
        out=out,
        glossary=glossary,
        source_lang=source_lang,
        run_id=run_id,
        memory=memory,
        boilerplate_rules=boilerplate_rules,
        threads=threads,
        beam=beam,
        compute_type=compute_type or None,
        device=device,
        allow_private_urls=allow_private_urls,
        max_input_mb=max_input_mb,
    )
    try:
        options.engine_routes()
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--route") from exc

    try:
        run = Run.create(out, run_id)
        run.preflight()
    except L10nError as exc:
        print_error(console, exc)
        sys.exit(exc.exit_code)
    signal.signal(signal.SIGINT, _stop_on_interrupt(console, _real_folder(run), run_id))

    with console.status("Starting Prefect…") as spinner:
        try:
            connect_prefect(console, spinner, verbose=verbose)
        except SystemExit:
            run.remove_if_unused()
            raise
        with imports_without_gc():
            from l10n.flow.translate import RunFailed, flow_parameters, translate_articles

    if dask_address:
        from l10n.flow.runners import dask_task_runner

        address = None if dask_address == "local" else dask_address
        if address is None and not threads:
            options.threads = max(1, (os.cpu_count() or 1) // dask_workers)
        translate_articles = translate_articles.with_options(
            task_runner=dask_task_runner(address, dask_workers)  # type: ignore[arg-type]
        )

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    bars: dict[str, TaskID] = {}
    expected = expected_articles(list(inputs))

    def show(stage: str, done: int, total: int | None) -> None:
        if total is None and stage == "articles" and expected:
            total = max(expected, done)
        if stage not in bars:
            bars[stage] = progress.add_task(stage, total=total)
        progress.update(bars[stage], completed=done, total=total)

    with progress, reporting_to(show):
        state = cast("State", translate_articles(**flow_parameters(options), return_state=True))
    result = state.result(raise_on_failure=False)
    summary = result.summary if isinstance(result, RunFailed) else result
    if not isinstance(summary, RunSummary):
        problem = result if isinstance(result, BaseException) else state.message
        if _disk_full(result):  # what is stored is complete: a rerun finishes the rest
            problem = (
                f"{problem}; finished articles are kept in {run.location} — once there is "
                f"space, resume with: {_resume_command(run_id)}"
            )
        print_error(console, problem or "the run stopped early")
        if not isinstance(result, L10nError):
            console.print("Rerun with -v to see Prefect's log.", markup=False)
        leave(getattr(result, "exit_code", 1))
    print_summary(Console(highlight=False), summary, run.location, full=show_all)
    pushed = push_after_run(run, push_url) if push_url else True
    leave(1 if isinstance(result, RunFailed) or not pushed else 0)


def _real_folder(run: Run) -> str:
    """The run's folder as an absolute path (its URL on shared storage), so an interrupt
    names a folder that exists wherever the reader's shell is."""
    local = run.local_dir
    return str(local.resolve()) if local is not None else run.location


def _disk_full(error: object) -> bool:
    # The flow reports a stopped run by its message (l10n.run.storage's words for ENOSPC).
    if isinstance(error, BaseException) and ": the disk is full — " in str(error):
        return True
    while isinstance(error, BaseException):
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        error = error.__cause__ or error.__context__
    return False


def _resume_command(run_id: str) -> str:
    """This command again, with the run id that makes it resume the run."""
    words = ["l10n", *sys.argv[1:]]
    if "--run-id" not in words and not any(w.startswith("--run-id=") for w in words):
        words += ["--run-id", run_id]
    return shlex.join(words)


def _stop_on_interrupt(console: Console, location: str, run_id: str):
    """Ctrl-C ends the run at once with one line saying how to resume it.

    Every stored file is complete (atomic writes, manifests last), so nothing is lost
    by not waiting for the model or Prefect's threads: a rerun with the same run id
    redoes only the unfinished articles.
    """
    resume = _resume_command(run_id)

    def stop(signum: int, frame: object) -> None:
        sys.stderr.write(
            visible(
                f"\ninterrupted — finished articles are kept in {location}; resume with: {resume}"
            )
            + "\n"
        )
        sys.stderr.flush()
        pool = sys.modules.get("l10n.pipeline.pool")
        if pool is not None:
            pool.release_at_once()
        os._exit(130)

    return stop


MAX_IDS_PER_LINE = 5
TABLE_SEPARATOR = ", "
"""Between target languages in the table: rich wraps only at spaces."""
SURE = 0.95
"""Detection confidence from which the summary shows the language alone."""


def print_summary(
    console: Console, summary: RunSummary, location: str, *, full: bool = False
) -> None:
    """The run as a table, then what failed, the warnings, and where to look next.

    Text from articles and paths goes in as rich ``Text``, never as markup, so a ``[/]``
    in a title or a path prints as written. Articles that failed for the same reason share
    one line, so a fix (such as the command that installs a missing model) is printed once.
    Ids are never broken: the table wraps its other columns, and when the terminal is too
    narrow even for that each article gets an id line of its own. Above ``TABLE_LIMIT``
    articles only the counts and the failures are printed, unless ``full``. Lines after the
    table are not wrapped by rich, so commands and paths copy whole.
    """
    say = functools.partial(console.print, soft_wrap=True)
    engine = summary.engines_used
    if summary.all_pseudo:
        engine += " (PSEUDO-LOCALIZED — not a translation)"
    elif summary.some_pseudo:
        engine += " (some targets PSEUDO-LOCALIZED — not a translation)"
    say(plain(f"Run {summary.run_id} — engine {engine}", style="bold"))
    outcomes = summary.outcomes
    if not outcomes:
        say(Text("No article was read.", style="red"))
    elif len(outcomes) > TABLE_LIMIT and not full:
        say(plain(f"{len(outcomes)} articles: add --all for one line each, or open the report."))
    else:
        table = _table(summary)
        if not _fits(table, [_row(o, summary) for o in outcomes], console.width):
            for outcome in outcomes:
                _print_lines(say, outcome, summary)
        else:
            console.print(table)
            for outcome in outcomes:  # the codes in full, on lines rich does not wrap
                if outcome.status == Status.DONE and _flag_count(outcome.targets):
                    say(plain(f"flags {outcome.id}: {_flag_summary(outcome.targets)}"))
    totals = summary.totals()
    stored = location if summary.done else f"{location} (nothing stored: run.json says why)"
    say(
        plain(
            f"{len(summary.done)} done, {len(summary.skipped)} skipped, "
            f"{len(summary.failed)} failed, {len(summary.input_errors)} input error(s) — "
            f"{totals['changes']} glossary fixes, {totals['unresolved']} unresolved, "
            f"{totals['flags']} QA flags. Output: {stored}"
        )
    )
    for outcome in summary.skipped:
        say(
            Text.assemble(
                ("skipped ", "yellow"), visible(f"{outcome.id} ({outcome.input}): {outcome.reason}")
            )
        )
    for reason, ids in _by_reason(summary.failed).items():
        say(Text.assemble(("failed ", "red"), visible(f"{_ids(ids)}: {reason}")))
    for error in summary.input_errors:
        where = f"{error['path']}:{error['line']}" if error.get("line") else str(error["path"])
        say(Text.assemble(("input error ", "red"), visible(f"{where}: {error['message']}")))
    for warning in summary.warnings:
        say(Text.assemble(("WARNING: ", "bold red"), visible(warning)))
    if summary.done:
        say(plain(f"Review and approve: l10n review serve {shlex.quote(location)}"))
        say(plain(f"Report: {location}/report.html"))


def _fits(table: Table, rows: list[list[Text]], width: int) -> bool:
    """Whether the table, drawn ``width`` columns wide, shows its headers whole (no column
    squeezed away) and every id on one line with its status."""
    probe = Console(width=width, color_system=None, file=io.StringIO(), legacy_windows=False)
    with probe.capture() as drawn:
        probe.print(table)
    lines = drawn.get().splitlines()
    headers = [str(column.header) for column in table.columns]
    if not any(line.split() == headers for line in lines):
        return False
    for cells in rows:
        article, status = cells[0].plain, cells[-1].plain
        row = rf"(^|\s){re.escape(article)}\s.*\s{status}(\s|$)"
        if not any(re.search(row, line) for line in lines):
            return False
    # No language code cut in two (a column narrower than its widest code folds it).
    pieces = {piece for cells in rows for piece in re.split(r"[\s,]+", cells[1].plain)}
    shown = {piece for line in lines for piece in re.split(r"[\s,]+", line)}
    return pieces <= shown


def _longest_id(outcomes: list[ArticleOutcome]) -> int:
    return max(cell_len(visible(o.id)) for o in outcomes)


def _table(summary: RunSummary) -> Table:
    """Ids whole on one line; every other column may wrap. No vertical rules, so a row
    copies as plain words; the engine column only when an article's engine is not the
    run's (the title line names that one)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("article", no_wrap=True, min_width=_longest_id(summary.outcomes))
    # Wrapped only between languages: no code such as "ko(copy)" is cut in two.
    languages = [_languages(o, TABLE_SEPARATOR) for o in summary.done]
    widest = max((cell_len(part) for cell in languages for part in cell.split()), default=0)
    table.add_column("languages", overflow="fold", min_width=max(9, widest))
    engines = {summary.engine_of(o) for o in summary.done}
    with_engine = engines != {summary.engine_name}
    if with_engine:
        table.add_column("engine", overflow="fold")
    table.add_column("glossary", overflow="fold", min_width=10)  # "unresolved" whole
    table.add_column("flags", overflow="fold")
    table.add_column("status", no_wrap=True, min_width=7)
    for outcome in summary.outcomes:
        cells = _row(outcome, summary)
        if outcome.status == Status.DONE:  # a count here; the codes follow the table
            cells[1] = Text(_languages(outcome, TABLE_SEPARATOR))
            cells[4] = Text(str(_flag_count(outcome.targets)))
        table.add_row(*(cells if with_engine else [c for i, c in enumerate(cells) if i != 2]))
    return table


def _print_lines(say: Any, outcome: ArticleOutcome, summary: RunSummary) -> None:
    """One article for a narrow terminal: its id alone on a line, the rest indented below."""
    cells = _row(outcome, summary)
    if cells[4].plain:
        cells[4] = Text.assemble("flags ", cells[4])
    say(cells[0])
    rest = [cell for cell in cells[1:] if cell.plain]
    say(Text.assemble("  ", Text(" · ").join(rest)))


def _by_reason(outcomes: list[ArticleOutcome]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.reason or "failed", []).append(outcome.id)
    return groups


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_IDS_PER_LINE])
    more = len(ids) - MAX_IDS_PER_LINE
    return f"{shown} and {more} more" if more > 0 else shown


def _row(outcome: ArticleOutcome, summary: RunSummary) -> list[Text]:
    if outcome.status != Status.DONE:
        style = "yellow" if outcome.status == Status.SKIPPED else "red"
        # The reason follows the table, once per reason.
        return [plain(outcome.id), *(Text("") for _ in range(4)), Text(outcome.status, style)]
    targets = outcome.targets
    fixes = sum(t.changes for t in targets.values())
    unresolved = sum(len(t.unresolved) for t in targets.values())
    glossary = f"{fixes} fixed" + (f", {unresolved} unresolved" if unresolved else "")
    return [
        plain(outcome.id),
        Text(_languages(outcome)),
        plain(summary.engine_of(outcome)),
        Text(glossary, style="bold red" if unresolved else ""),
        Text(_flag_summary(targets)),
        Text("resumed" if outcome.resumed else "done", style="green"),
    ]


def _languages(outcome: ArticleOutcome, separator: str = ",") -> str:
    """``en→ja,ko(copy)``: the source language, then each target (copies marked)."""
    targets = outcome.targets
    langs = separator.join(
        f"{k}(copy)" if v.action == Action.COPY else k for k, v in targets.items()
    )
    return f"{_language(outcome.source_language)}→{langs}"


def _language(guess: LanguageGuess | None) -> str:
    """The source language; how sure detection was only when it was not sure."""
    if guess is None:
        return ""
    if guess.confidence >= SURE:
        return guess.code
    return f"{guess.code} {guess.confidence:.2f}"


def _flag_count(targets: Mapping[str, TargetSummary]) -> int:
    return sum(sum(info.flag_codes.values()) for info in targets.values())


def _flag_summary(targets: Mapping[str, TargetSummary]) -> str:
    codes: dict[str, int] = {}
    for info in targets.values():
        for code, count in info.flag_codes.items():
            codes[code] = codes.get(code, 0) + count
    return ", ".join(f"{code}×{n}" for code, n in sorted(codes.items())) or "0"


def register(group: click.Group) -> None:
    group.add_command(translate)
