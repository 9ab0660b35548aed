"""``l10n names``: the names of a stored run, their renderings per language, and consistency."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.names.consistency import NameIndex
from l10n.review.name_consistency import names_json, run_index
from l10n.review.names import load_run_glossary
from l10n.run.store import Run
from l10n.text.languages import TARGET_LANGUAGES


def load_index(run_dir: Path, command: str) -> tuple[Run, Glossary | None, NameIndex]:
    """The run, the glossary it was corrected with (if it still loads) and its names.

    A run that can't be read stops the command with one line and status 2.
    """
    try:
        run = Run.open(run_dir)
        loaded = load_run_glossary(run.read_summary().glossary)
        if loaded.notice:
            click.echo(f"note: {loaded.notice}", err=True)
        return run, loaded.glossary, run_index(run, loaded.glossary)
    except L10nError as exc:
        click.echo(f"l10n {command}: {exc}", err=True)
        sys.exit(exc.exit_code if exc.exit_code > 1 else 2)


@click.command("names")
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--lang", type=click.Choice(TARGET_LANGUAGES), help="Only this target language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def names_cmd(run_dir: Path, lang: str | None, as_json: bool) -> None:
    """List the names a run's sources mention and how each is rendered per language.

    Names come from the English sources (titles, capitalised names, the glossary's own
    entries) and, in Korean or Japanese sources, from the word before a title, the
    glossary's people as written in that language, and Japanese katakana names joined by
    a middle dot. A name is consistent when every segment renders it the same way; the
    others carry the name-inconsistent flag. A name with no rendering found (translated
    rather than transliterated, e.g. a ministry) is listed as "not located".
    `l10n glossary suggest` drafts glossary entries from them.

    \b
    Example:
        l10n names outputs/20250101-120000-3f9c --lang ko
        l10n names outputs/20250101-120000-3f9c --json > names.json
    """
    _run, _glossary, index = load_index(run_dir, "names")
    data = names_json(index, lang)
    names = data["names"]
    assert isinstance(names, list)
    inconsistent = [n for n in names for v in n["languages"].values() if not v["consistent"]]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_table(names)
        click.echo(
            f"{len(names)} name(s); {len(inconsistent)} rendered inconsistently"
            + (" (flagged name-inconsistent)" if inconsistent else "")
        )


def _print_table(names: list[dict[str, object]]) -> None:
    table = Table("name", "glossary", "lang", "renderings", "consistent")
    for name in names:
        languages = name["languages"]
        assert isinstance(languages, dict)
        label = str(name["source"])
        if name.get("short_form_of"):
            label += f" (of {name['short_form_of']})"
        for code, info in sorted(languages.items()):
            renderings = ", ".join(
                f"{r['text']} ×{r['count']}" + (" (variant)" if r.get("variant") else "")
                for r in info["renderings"]
            )
            missing = info.get("not_located")
            if missing:
                renderings += (", " if renderings else "") + f"not located ×{missing['count']}"
            table.add_row(
                label,
                str(name["glossary"] or "—"),
                code,
                renderings,
                ("yes" if info["consistent"] else "NO") if info["renderings"] else "—",
            )
    Console(highlight=False, markup=False).print(table)


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(names_cmd)
