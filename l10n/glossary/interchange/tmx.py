"""TMX 1.4 term files: Amazon Translate custom terminology and Google glossaries.

One ``<tu>`` per source term, with a ``<tuv xml:lang=…><seg>`` per language: all
target languages in one file for Amazon, one language pair per file for Google's
unidirectional glossaries. As in the term tables, short forms are left out.
"""

from __future__ import annotations

from l10n.formats.tmx import (
    TmxError,
    TmxHeader,
    TmxUnit,
    TmxVariant,
    read_tmx,
    tmx_document,
    unit_bytes,
)
from l10n.glossary.interchange.tables import term_rows
from l10n.glossary.interchange.yamlio import TermCollector
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


def import_tmx(data: bytes) -> tuple[str, list[Entry]]:
    """Entries from a TMX term file; units with the same targets become one entry."""
    source = "en"
    terms = TermCollector()
    try:
        for item in read_tmx(data):
            if isinstance(item, TmxHeader):
                source = (item.srclang or "en").lower()
                continue
            texts: dict[str, str] = {}
            for variant in item.variants:
                lang, text = variant.lang.lower(), " ".join(variant.text.split())
                if lang and text:
                    texts.setdefault(lang, text)
            form = texts.get(source) or texts.get(source.split("-")[0])
            targets = {lang: texts[lang] for lang in TARGET_LANGUAGES if lang in texts}
            if form and targets:
                terms.add(form, targets)
    except TmxError as exc:
        raise ValueError(f"{exc.line or 1}: {exc.message}") from exc
    return source, terms.entries
