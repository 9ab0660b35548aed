"""TMX 1.4 term files: Amazon Translate custom terminology and Google glossaries.

One ``<tu>`` per source term, with a ``<tuv xml:lang=…><seg>`` per language: all
target languages in one file for Amazon, one language pair per file for Google's
unidirectional glossaries. As in the term tables, short forms are left out. Import
streams the units into a :class:`~l10n.glossary.interchange.stream.TermStore`.
"""

from __future__ import annotations

from pathlib import Path

from l10n.formats.tmx import (
    TmxError,
    TmxHeader,
    TmxUnit,
    TmxVariant,
    read_tmx,
    tmx_document,
    unit_bytes,
)
from l10n.glossary.interchange.stream import TableError, TableImport, TermStore, entries_of
from l10n.glossary.interchange.tables import term_rows
from l10n.glossary.schema import TARGET_LANGUAGES, Entry


def export_tmx(
    entries: list[Entry], source_language: str, langs: list[str]
) -> tuple[bytes, list[str]]:
    rows, warnings = term_rows(entries, langs)
    units = (
        unit_bytes(
            TmxUnit(
                variants=tuple(
                    TmxVariant(lang, text)
                    for lang, text in zip([source_language, *langs], row, strict=True)
                    if text
                )
            )
        )
        for row in rows
        if any(row[1:])
    )
    header = TmxHeader(srclang=source_language, o_tmf="l10n-glossary", segtype="phrase")
    return b"".join(tmx_document(header, units)), warnings


def read_tmx_terms(source: Path | bytes, store: TermStore) -> TableImport:
    """Read a TMX term file into ``store``, one unit at a time (memory stays flat).

    Units with the same targets become one entry; a unit whose source term has another
    target in an earlier unit is a problem of the result, listed by the unit's line.
    Raises :class:`TableError` (``LINE: problem``) for a file that is not well-formed TMX;
    OSError when it can't be read.
    """
    result = TableImport("en", item="unit", store=store)
    try:
        for item in read_tmx(source, refuse_entities=True):
            if isinstance(item, TmxHeader):
                result.source_language = (item.srclang or "en").lower()
                continue
            result.rows += 1
            source_language = result.source_language
            texts: dict[str, str] = {}
            dropped = sorted({name for v in item.variants for name in v.dropped_entities})
            if dropped:  # undeclared here (an external DTD's): never expanded, never dropped
                raise TableError(
                    item.line or 1,
                    f"entity reference {', '.join(dropped)} is not expanded, so the term "
                    "would lose it; write the character or text itself",
                )
            for variant in item.variants:
                lang, text = variant.lang.lower(), " ".join(variant.text.split())
                if lang and text:
                    texts.setdefault(lang, text)
            form = texts.get(source_language) or texts.get(source_language.split("-")[0])
            targets = {lang: texts[lang] for lang in TARGET_LANGUAGES if lang in texts}
            if not form or not targets:
                result.skipped += 1
                continue
            result.note(store.add(form, targets, item.line or 1))
    except TmxError as exc:
        raise TableError(exc.line or 1, exc.message) from None
    return result


def import_tmx(data: Path | bytes) -> tuple[str, list[Entry]]:
    """Entries from a TMX term file (bytes, or a file: each read with :func:`read_tmx_terms`).

    Raises ValueError (``LINE: problem``) for a file that is not TMX, or whose units
    contradict each other (the first such unit).
    """
    return entries_of(read_tmx_terms, data)
