"""Articles from XLIFF files (1.2 and 2.x): each segment a segment, its target a translation.

An XLIFF file is text already cut into segments, often with a target from a CAT tool or
another MT system. Each ``<trans-unit>`` (1.2) or ``<segment>`` (2.x) becomes one segment of
the article; its ``<target>`` becomes the translation brought for it unless the unit says it
is not translated yet (empty, or state ``new``/``needs-translation``/``initial``).

Paragraphs: in 2.x a ``<unit>`` is a paragraph and its ``<segment>`` elements its sentences;
in 1.2 the trans-units of one ``<group>`` form a paragraph, trans-units named ``title`` and
``p0``, ``p1`` … (as l10n writes them) rebuild the title and paragraphs, and any other
trans-unit stands alone. Several ``<file>`` elements with the same ``original`` and the same
source units are one article in several target languages. Reading the format itself is
:mod:`l10n.formats.xliff`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from l10n.articles.errors import InputError
from l10n.articles.ids import safe_id
from l10n.formats.xliff import XliffError, XliffFile, inline_text, parse_xliff
from l10n.models import Article, Inline, SourceUnit
from l10n.text.languages import is_valid_code, normalise_code, sentence_joiner

_UNTRANSLATED_STATES = frozenset({"new", "needs-translation", "initial"})
_L10N_RESNAME = re.compile(r"title|p(\d+)")


@dataclass
class _Segment:
    group: int
    text: str
    target: str | None
    resname: str | None = None
    inline: Inline = ()


def articles_from_xliff(path: Path, data: bytes, stem_id: str) -> list[Article]:
    """The articles of one XLIFF input file (usually one), with file-safe ids.

    Each is named after its ``<file original>`` (``ID/source.txt`` as l10n writes it gives
    ``ID``, a document name its stem), else ``stem_id``. A bad file is an InputError
    naming its line.
    """
    try:
        articles = _articles(data, path, stem_id)
    except XliffError as exc:
        raise InputError(
            str(path), exc.line, f"{exc.message} — fix the file, or export it again as XLIFF"
        ) from exc
    for article in articles:
        article.id = safe_id(article.id)
    return articles


def _articles(data: bytes, path: Path, article_id: str) -> list[Article]:
    document = parse_xliff(data)
    files = [(file, _segments(file, document.version)) for file in document.files]
    if not any(segments for _, segments in files):
        raise XliffError("no unit with source text in the file")
    merged: dict[tuple[str | None, tuple[str, ...]], Article] = {}
    for file, segments in files:
        if not segments:
            continue
        target_lang = _code(file.target_language)
        if target_lang is None and any(s.target for s in segments):
            attribute = "trgLang on <xliff>" if document.version == 2 else "target-language"
            raise XliffError(
                f"the file has translations but no valid target language — set {attribute} "
                "(e.g. ja)",
                file.line,
            )
        key = (file.original, tuple(s.text for s in segments))
        article = merged.get(key)
        if article is None:
            article = _article(file, segments, path, _id_of(file.original, article_id))
            merged[key] = article
        if target_lang:
            for unit, segment in zip(article.units, segments, strict=True):
                if segment.target:
                    unit.translations[target_lang] = segment.target
    return list(merged.values())


def _code(value: str | None) -> str | None:
    if value and is_valid_code(value):
        return normalise_code(value)
    return None


def _flat(text: str) -> str:
    return " ".join(text.split())


def _segments(file: XliffFile, version: int) -> list[_Segment]:
    """The file's segments with source text, each with the translation it brings (if any)."""
    found: list[_Segment] = []
    for unit in file.units:
        if version == 2 and not unit.translate:
            continue
        for segment in unit.segments:
            text = _flat(segment.source)
            if not text:
                continue
            target = _flat(segment.target or "")
            if version == 1 and not unit.translate and not target:
                target = text
            if segment.state in _UNTRANSLATED_STATES:
                target = ""
            resname = unit.resname if version == 1 else None
            # The codes travel with the segment when its text is the text around them.
            inline = segment.source_inline
            if _flat(inline_text(inline)) != text:
                inline = ()
            found.append(_Segment(unit.group, text, target or None, resname, inline))
    return found


def _paragraph_numbers(segments: list[_Segment]) -> list[int]:
    """-1 for the title, then body paragraphs counted from 0 in document order."""
    named = all(s.resname and _L10N_RESNAME.fullmatch(s.resname) for s in segments)
    numbers: list[int] = []
    keys: dict[object, int] = {}
    for segment in segments:
        if named and segment.resname == "title":
            numbers.append(-1)
            continue
        key = segment.resname if named else segment.group
        if key not in keys:
            keys[key] = len(keys)
        numbers.append(keys[key])
    return numbers


def _article(file: XliffFile, segments: list[_Segment], path: Path, article_id: str) -> Article:
    numbers = _paragraph_numbers(segments)
    units = [SourceUnit(n, s.text, inline=s.inline) for n, s in zip(numbers, segments, strict=True)]
    source_lang = _code(file.source_language)
    joiner = sentence_joiner(source_lang or "")
    title = joiner.join(u.text for u in units if u.paragraph < 0)
    paragraphs: dict[int, list[str]] = {}
    for unit in units:
        if unit.paragraph >= 0:
            paragraphs.setdefault(unit.paragraph, []).append(unit.text)
    return Article(
        id=article_id,
        title=title,
        paragraphs=[joiner.join(paragraphs[n]) for n in sorted(paragraphs)],
        input_path=str(path),
        input_line=file.line,
        lang_hint=source_lang,
        units=units,
        keep_units=True,
    )


def _id_of(original: str | None, fallback: str) -> str:
    if not original or not original.strip():
        return fallback
    parts = [p for p in re.split(r"[\\/]", original.strip()) if p]
    if not parts:
        return fallback
    if len(parts) >= 2 and parts[-1] == "source.txt":
        return parts[-2]
    return Path(parts[-1]).stem or parts[-1]
