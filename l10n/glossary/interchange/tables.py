"""Term tables: CSV/TSV as MT services read them.

* **Pair tables** (DeepL glossaries; Google Cloud Translation unidirectional
  glossaries): one file per language pair, one ``source,target`` row per term, no
  header row.
* **Multilingual tables** (Amazon Translate custom terminology; also read back by
  ``l10n glossary import``): a header row of language codes (``en,ja,ko``), then one
  row per term with a column per language.

Only unconditional terms belong here: a short form applies only where the article
names its person, which these services cannot express, so short forms are left out
(the caller reports them). Each source form is one row; aliases are further rows with
the same targets.
"""

from __future__ import annotations

import csv
import io

from l10n.glossary.interchange.stream import TermStore, read_table
from l10n.glossary.schema import TARGET_LANGUAGES, Entry

_FORBIDDEN = ("\t", "\n", "\r")


def term_rows(entries: list[Entry], langs: list[str]) -> tuple[list[list[str]], list[str]]:
    """Rows ``[source, target per lang…]`` of unconditional terms, and warnings."""
    rows: list[list[str]] = []
    warnings: list[str] = []
    seen: dict[str, list[str]] = {}
    for entry in entries:
        if entry.is_short:
            continue
        targets = [entry.targets.get(lang, "") for lang in langs]
        if not any(targets):
            continue
        for form in entry.source_forms:
            cells = [form, *targets]
            if any(ch in cell for cell in cells for ch in _FORBIDDEN):
                warnings.append(f"{entry.id}: {form!r} holds a tab or line break; left out")
                continue
            earlier = seen.get(form)
            if earlier is not None:
                if earlier != targets:
                    warnings.append(
                        f"{entry.id}: {form!r} already has other targets; left out (one row "
                        "per source term)"
                    )
                continue
            seen[form] = targets
            rows.append(cells)
    return rows, warnings


def write_rows(rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_pair(entries: list[Entry], lang: str, delimiter: str) -> tuple[bytes, list[str]]:
    """A DeepL / Google pair table for one target language."""
    rows, warnings = term_rows(entries, [lang])
    return write_rows([r for r in rows if r[1]], delimiter), warnings


def export_multilingual(
    entries: list[Entry], source_language: str, delimiter: str
) -> tuple[bytes, list[str]]:
    """An Amazon Translate custom terminology table: header of language codes, then terms."""
    langs = [lang for lang in TARGET_LANGUAGES if any(lang in e.targets for e in entries)]
    rows, warnings = term_rows(entries, langs)
    return write_rows([[source_language, *langs], *rows], delimiter), warnings


def import_table(
    data: bytes,
    delimiter: str,
    *,
    source_language: str | None = None,
    target_language: str | None = None,
) -> tuple[str, list[Entry]]:
    """Entries from a term table held in memory (a file is read with :func:`read_table`).

    Raises ValueError (``LINE: problem``) for a table that cannot be read, or whose rows
    contradict each other (the first such row).
    """
    with TermStore() as store:
        result = read_table(
            io.BytesIO(data),
            delimiter,
            store,
            source_language=source_language,
            target_language=target_language,
        )
        if result.problems:
            first = result.problems[0]
            raise ValueError(f"{first.line}: {first.message}")
        return result.source_language, list(store.entries())
