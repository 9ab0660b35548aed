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

from l10n.glossary.interchange.yamlio import TermCollector
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


def _is_code(cell: str) -> bool:
    code = cell.strip().lower()
    return 2 <= len(code) <= 8 and code.replace("-", "").isalpha() and code.isascii()


def import_table(
    data: bytes,
    delimiter: str,
    *,
    source_language: str | None = None,
    target_language: str | None = None,
) -> tuple[str, list[Entry]]:
    """Entries from a term table: a header row of language codes, or two columns of one pair.

    A pair table has no header, so its target language comes from ``target_language``.
    Rows with the same targets become one entry (extra source forms are aliases).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"1: not UTF-8 text (byte {exc.start}); save the table as UTF-8") from exc
    if "\x00" in text:
        raise ValueError("1: binary data, not a CSV/TSV table")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
    if not rows:
        raise ValueError("1: empty file; expected a header row of language codes (en,ja,ko)")
    header = [cell.strip().lower() for cell in rows[0]]
    is_header = (
        len(header) >= 2
        and all(_is_code(cell) for cell in header if cell)
        and 2 <= len(header[0].split("-")[0]) <= 3
    )
    if is_header:
        source = header[0]
        columns = {lang: i for i, lang in enumerate(header) if lang in TARGET_LANGUAGES and i}
        body = rows[1:]
        if not columns:
            raise ValueError(
                f"1: header {','.join(header)} names no target language; "
                f"the first row must list codes like en,{','.join(TARGET_LANGUAGES)}"
            )
    elif target_language in TARGET_LANGUAGES:
        source = source_language or "en"
        columns = {target_language: 1}
        body = rows
    else:
        raise ValueError(
            "1: no header row of language codes, so this is a one-pair table (DeepL/Google); "
            f"say its target language with --target-lang ({'/'.join(TARGET_LANGUAGES)})"
        )
    terms = TermCollector()
    for row in body:
        form = row[0].strip() if row else ""
        targets = {
            lang: row[i].strip() for lang, i in columns.items() if i < len(row) and row[i].strip()
        }
        if not form or not targets:
            continue
        terms.add(form, targets)
    return source, terms.entries
