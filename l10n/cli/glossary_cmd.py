"""``l10n glossary``: check, try, re-apply and convert name glossaries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from l10n.cli.options import glossary_option
from l10n.errors import L10nError
from l10n.glossary import GlossaryError, load_glossary, parse_glossary_text
from l10n.glossary.interchange import (
    FORMATS,
    PAIR_FORMATS,
    export_glossary,
)
from l10n.glossary.interchange.stream import (
    TableError,
    TableImport,
    TermStore,
    read_table,
)
from l10n.glossary.interchange.tbx import read_tbx
from l10n.glossary.interchange.tmx import read_tmx_terms
from l10n.models import to_jsonable
from l10n.paths import DEFAULT_GLOSSARY, resolve_glossary
from l10n.review.reapply import reapply_run
from l10n.run.atomic import write_bytes_atomic, write_stream_atomic, write_text_atomic
from l10n.run.store import Run
from l10n.text.languages import TARGET_LANGUAGES

_glossary_file = click.argument(
    "file",
    required=False,
    default=DEFAULT_GLOSSARY,
    metavar="[FILE]",
    type=click.Path(dir_okay=False),
)
"""FILE, defaulting to the glossary ``l10n translate`` uses (glossaries/leaders.yaml)."""


@click.group("glossary")
def glossary_group() -> None:
    """Check, try out, re-apply and convert name glossaries.

    \b
    Example:
        l10n glossary check glossaries/leaders.yaml
    """


@glossary_group.command("check")
@_glossary_file
def check_cmd(file: str) -> None:
    """Validate a glossary file; list every problem with its line (exit 2 if any).

    FILE defaults to the glossary `l10n translate` uses (glossaries/leaders.yaml).

    \b
    Example:
        l10n glossary check
        l10n glossary check glossaries/leaders.yaml
    """
    path = resolve_glossary(file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(
            f"{path}:1: cannot read the file ({exc}) — check the path and encoding", err=True
        )
        sys.exit(2)
    parsed = parse_glossary_text(text)
    if parsed.problems:
        for problem in parsed.problems:
            click.echo(problem.render(path), err=True)
        click.echo(f"{len(parsed.problems)} problem(s) in {path}", err=True)
        sys.exit(2)
    shorts = sum(1 for e in parsed.entries if e.is_short)
    langs = sorted({lang for e in parsed.entries for lang in e.targets})
    click.echo(
        f"OK {path}: {len(parsed.entries)} entries ({shorts} short forms), "
        f"targets {', '.join(langs)}, strategy {parsed.strategy}"
    )


def _load(path: Path):
    try:
        return load_glossary(path)
    except GlossaryError as exc:
        raise click.ClickException(str(exc)) from exc


@glossary_group.command("apply")
@glossary_option("Name glossary (YAML), the same default as `l10n translate`.", "glossary_path")
@click.option("--lang", required=True, type=click.Choice(TARGET_LANGUAGES))
@click.option("--source", required=True, help="The English source sentence.")
@click.option("--mt", required=True, help="The raw machine translation of it.")
@click.option(
    "--context",
    multiple=True,
    help="Other source text of the article (title, body); repeatable. Short forms count "
    "only when the article names exactly one person with them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def apply_cmd(
    glossary_path: str, lang: str, source: str, mt: str, context: tuple[str, ...], as_json: bool
) -> None:
    """Show what the glossary does to one translated sentence.

    \b
    Example:
        l10n glossary apply --glossary glossaries/leaders.yaml --lang ko \\
            --source "Tokyo and Beijing agreed." --mt "동경과 북경은 합의했다."
    """
    glossary = _load(resolve_glossary(glossary_path))
    names = glossary.article_names([*context, source])
    result = glossary.enforce(lang, source, mt, names=names)
    mentions = {m.entry_id: m.surface for m in glossary.mentions(source, names)}
    unresolved = [{"entry_id": i, "source": mentions.get(i, "")} for i in result.unresolved]
    if as_json:
        payload = {
            "text": result.text,
            "changes": to_jsonable(result.changes),
            "unresolved": unresolved,
            "flags": to_jsonable(result.flags),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"[bold]before[/bold] {mt}", markup=True, highlight=False)
    console.print(f"[bold]after[/bold]  {result.text}", markup=True, highlight=False)
    if result.changes:
        table = Table("entry", "rule", "before → after")
        for change in result.changes:
            table.add_row(change.entry_id, change.rule, f"{change.before} → {change.after}")
        console.print(table)
    else:
        console.print("no changes")
    for item in unresolved:
        console.print(f"[red]unresolved[/red] {item['entry_id']} ({item['source']})")
    for flag in result.flags:
        if flag.code != "unresolved-term":
            console.print(f"[yellow]{flag.code}[/yellow] {flag.message}", highlight=False)


@glossary_group.command("reapply")
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@glossary_option("Name glossary (YAML), the same default as `l10n translate`.", "glossary_path")
def reapply_cmd(run_dir: Path, glossary_path: str) -> None:
    """Re-apply an edited glossary to a stored run's raw MT, without translating again.

    \b
    Example:
        l10n glossary reapply outputs/20260301-090000-3f9c --glossary glossaries/leaders.yaml
    """
    glossary = _load(resolve_glossary(glossary_path))
    try:
        report = reapply_run(Run.open(run_dir), glossary)
    except L10nError as exc:
        click.echo(f"l10n glossary reapply: {exc}", err=True)
        sys.exit(exc.exit_code if exc.exit_code > 1 else 2)
    for article in report.articles:
        for lang in article.langs:
            click.echo(
                f"{article.article_id} [{lang.lang}]: {lang.segments_changed} segment(s) changed, "
                f"changes {lang.changes_before} → {lang.changes_after}, "
                f"unresolved {lang.unresolved_before} → {lang.unresolved_after}"
            )
    click.echo(
        f"re-applied {glossary_path} to {len(report.articles)} article(s) in {run_dir}; "
        f"{report.segments_changed} segment(s) changed"
    )


def _pair_path(output: Path, source_language: str, lang: str) -> Path:
    """``leaders.csv`` → ``leaders.en-ja.csv``: one file per language pair."""
    return output.with_name(f"{output.stem}.{source_language}-{lang}{output.suffix}")


@glossary_group.command("export")
@_glossary_file
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS))
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(TARGET_LANGUAGES),
    help="Target language(s) to export (default: all the glossary has).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(file: str, fmt: str, langs: tuple[str, ...], output: Path | None) -> None:
    """Write the glossary as TBX, or as DeepL, Google or Amazon Translate term files.

    FILE defaults to the glossary `l10n translate` uses (glossaries/leaders.yaml).

    DeepL and Google glossaries hold one language pair: with -o leaders.csv they are
    written as leaders.en-ja.csv, leaders.en-ko.csv. Short forms apply only where the
    article names their person; only TBX can say so, the other formats leave them out
    (with a warning).

    \b
    Example:
        l10n glossary export --format tbx -o leaders.tbx
        l10n glossary export glossaries/leaders.yaml --format deepl-csv -o leaders.csv
    """
    path = resolve_glossary(file)
    glossary = _load(path)
    result = export_glossary(
        glossary.entries,
        fmt,
        source_language=glossary.source_language,
        name=path.name,
        langs=list(langs) or None,
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not result.files:
        raise click.ClickException(f"{path}: no terms for {', '.join(langs)}; nothing written")
    if output is None:
        if len(result.files) > 1:
            raise click.UsageError(
                f"{fmt} holds one language pair per file; pass --lang or -o FILE"
            )
        click.echo(result.files[0].data.decode("utf-8"), nl=False)
        return
    for item in result.files:
        path = output
        if fmt in PAIR_FORMATS and len(result.files) > 1 and item.lang:
            path = _pair_path(output, glossary.source_language, item.lang)
        write_bytes_atomic(path, item.data)
        click.echo(f"wrote {path}")


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source-lang", default=None, help="Source language of a one-pair table (default en)."
)
@click.option(
    "--target-lang",
    type=click.Choice(TARGET_LANGUAGES),
    default=None,
    help="Target language of a one-pair table (DeepL/Google CSV/TSV have no header).",
)
def import_cmd(file: Path, output: Path, source_lang: str | None, target_lang: str | None) -> None:
    """Convert a TBX, TMX, CSV or TSV glossary (format from the suffix) into glossary YAML.

    All or nothing: a file that cannot be read, holds no usable term, or has rows that
    contradict each other (one source term with two targets) is an error and nothing is
    written. Every format is read a row, term entry or unit at a time, in bounded memory;
    problems are listed by line of the file (the first 20, every one in
    FILE.problems.txt), exit 2. XML that declares entities is refused.

    \b
    Example:
        l10n glossary import leaders.tbx -o glossaries/imported.yaml
        l10n glossary import leaders.en-ja.csv --target-lang ja -o glossaries/ja.yaml
    """
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".tsv", ".tbx", ".xml", ".tmx"):
        raise click.ClickException(
            f"{file}:1: unknown suffix {file.suffix!r}; use .tbx, .tmx, .csv or .tsv"
        )
    _import_streamed(file, output, source_lang, target_lang)


def _nearest_folder(path: Path) -> Path:
    folder = path.absolute().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def _read(
    file: Path, store: TermStore, source_lang: str | None, target_lang: str | None
) -> TableImport:
    suffix = file.suffix.lower()
    if suffix == ".tmx":
        return read_tmx_terms(file, store)
    if suffix in (".tbx", ".xml"):
        return read_tbx(file, store)
    with file.open("rb") as handle:
        return read_table(
            handle,
            "\t" if suffix == ".tsv" else ",",
            store,
            source_language=source_lang,
            target_language=target_lang,
        )


def _import_streamed(
    file: Path, output: Path, source_lang: str | None, target_lang: str | None
) -> None:
    """A table or XML term file, item by item: the terms spill to SQLite beside the output."""
    try:
        with TermStore(_nearest_folder(output)) as store:
            try:
                result = _read(file, store, source_lang, target_lang)
            except TableError as exc:
                raise click.ClickException(f"{file}:{exc}; nothing was written") from None
            if result.problem_count:
                _report_table_problems(file, output, result)
                sys.exit(2)
            if not result.entries:
                raise click.ClickException(
                    f"{file}:1: no usable term found (each needs a {result.source_language} "
                    f"term and a {'/'.join(TARGET_LANGUAGES)} term); nothing was written"
                )
            write_stream_atomic(output, result.yaml_chunks())
            entries = result.entries
    except OSError as exc:
        where = exc.filename or file
        raise click.ClickException(
            f"{where}: {exc.strerror or exc}; nothing was written to {output}"
        ) from None
    skipped = (
        f"; {result.count(result.skipped)} without a source term or a "
        f"{'/'.join(TARGET_LANGUAGES)} term skipped"
        if result.skipped
        else ""
    )
    click.echo(
        f"wrote {output} ({entries} entries from {result.count(result.rows)}{skipped}); "
        f"check it with `l10n glossary check {output}`"
    )


def _report_table_problems(file: Path, output: Path, result: TableImport) -> None:
    for problem in result.problems:
        click.echo(f"{file}:{problem.line}: {problem.message}", err=True)
    listed = ""
    if result.problem_count > len(result.problems):
        every = file.with_name(file.name + ".problems.txt")
        lines = (f"{file}:{p.line}: {p.message}\n".encode() for p in result.all_problems())
        try:
            write_stream_atomic(every, lines)
            listed = f"; all of them in {every}"
        except OSError:
            listed = ""
        click.echo(f"… and {result.problem_count - len(result.problems)} more{listed}", err=True)
    click.echo(
        f"{file}: {result.problem_count} problem(s) in its terms; nothing was written "
        f"to {output} — fix them by line and import again",
        err=True,
    )


@glossary_group.command("suggest")
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft here."
)
def suggest_cmd(run_dir: Path, output: Path | None) -> None:
    """Draft glossary entries for the names a run found outside the glossary.

    Each target is the reviewer-approved rendering, else the usual one; the others are
    its variants, and a note says where each came from. Edit the draft, merge it into
    the glossary, then fix the run with `l10n glossary reapply`.

    \b
    Example:
        l10n glossary suggest outputs/20250101-120000-3f9c -o draft.yaml
    """
    from l10n.cli.names_cmd import load_index
    from l10n.names.suggest import draft_problems, draft_yaml, suggest_entries

    run, glossary, index = load_index(run_dir, "glossary suggest")
    entries = suggest_entries(index, glossary, run.run_id)
    language = glossary.source_language if glossary is not None else "en"
    text = draft_yaml(entries, language, run.run_id)
    for problem in draft_problems(text):
        click.echo(f"warning: the draft has a problem to fix before merging: {problem}", err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text_atomic(output, text)
    people = sum(1 for e in entries if not e.is_short)
    click.echo(
        f"wrote {output}: {people} name(s), {len(entries) - people} short form(s); check it "
        f"with `l10n glossary check {output}`"
    )


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(glossary_group)
