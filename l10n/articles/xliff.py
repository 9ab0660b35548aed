"""Articles from XLIFF files (1.2 and 2.x): each unit a segment, its target a translation.

An XLIFF file is text already cut into segments, often with a target from a CAT tool or
another MT system. Each ``<trans-unit>`` (1.2) or ``<segment>`` (2.x) becomes one segment of
the article; its ``<target>`` becomes the translation brought for it unless the unit says it
is not translated yet (empty, or state ``new``/``needs-translation``/``initial``).

Paragraphs: in 2.x a ``<unit>`` is a paragraph and its ``<segment>`` elements its sentences;
in 1.2 the trans-units of one ``<group>`` form a paragraph, trans-units named ``title`` and
``p0``, ``p1`` … (as l10n writes them) rebuild the title and paragraphs, and any other
trans-unit stands alone. Several ``<file>`` elements with the same ``original`` and the same
source units are one article in several target languages.

The parser reads no DTD, expands no entity and opens no network or file: an XLIFF file is
untrusted input like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from l10n.models import Article, SourceUnit
from l10n.text.languages import is_valid_code, normalise_code, sentence_joiner

XLIFF_SUFFIXES = (".xlf", ".xliff")
_UNTRANSLATED_STATES = frozenset({"new", "needs-translation", "initial"})
# Inline codes that stand for markup of the original document, not for text.
_CODE_ONLY = frozenset({"ph", "bpt", "ept", "it", "x", "bx", "ex", "sc", "ec", "sm", "em", "cp"})
_L10N_RESNAME = re.compile(r"title|p(\d+)")


class XliffError(ValueError):
    """An XLIFF file that can't be read; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class _Unit:
    group: object
    text: str
    target: str | None
    resname: str | None = None


@dataclass
class _File:
    original: str | None
    source_lang: str | None
    target_lang: str | None
    units: list[_Unit] = field(default_factory=list)
    line: int | None = None


def articles_from_xliff(data: bytes, path: Path, article_id: str) -> list[Article]:
    """The articles of one XLIFF file (usually one).

    Each is named after its ``<file original>`` (``ID/source.txt`` as l10n writes it gives
    ``ID``, a document name its stem), else ``article_id``; the caller makes ids file-safe.
    """
    root = _parse(data)
    if _local(root) != "xliff":
        raise XliffError(f"the root element is <{_local(root)}>, not <xliff>", root.sourceline)
    version = (root.get("version") or "").strip()
    files = list(_files_v2(root) if version.startswith("2") else _files_v1(root))
    if not any(f.units for f in files):
        raise XliffError("no unit with source text in the file")
    merged: dict[tuple[str | None, tuple[str, ...]], Article] = {}
    for file in files:
        if not file.units:
            continue
        if file.target_lang is None and any(u.target for u in file.units):
            attribute = "trgLang on <xliff>" if version.startswith("2") else "target-language"
            raise XliffError(
                f"the file has translations but no valid target language — set {attribute} "
                "(e.g. ja)",
                file.line,
            )
        key = (file.original, tuple(u.text for u in file.units))
        article = merged.get(key)
        if article is None:
            article = _article(file, path, _id_of(file.original, article_id))
            merged[key] = article
        if file.target_lang:
            for unit, source in zip(article.units, file.units, strict=True):
                if source.target:
                    unit.translations[file.target_lang] = source.target
    return list(merged.values())


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"not well-formed XML ({exc.msg})", exc.lineno) from exc
    if root is None:
        raise XliffError("empty document")
    return root


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child) == name)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _code(value: str | None) -> str | None:
    if value and is_valid_code(value):
        return normalise_code(value)
    return None


def _text(element: etree._Element | None) -> str:
    """Plain text of a source or target: inline text kept, native codes left out."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        # Native codes, and entity references the parser left unexpanded, are not text.
        if node is not element and (not isinstance(node.tag, str) or _local(node) in _CODE_ONLY):
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def _files_v1(root: etree._Element) -> Iterator[_File]:
    for file_el in root.iter("{*}file"):
        file = _File(
            file_el.get("original"),
            _code(file_el.get("source-language")),
            _code(file_el.get("target-language")),
            line=file_el.sourceline,
        )
        for unit in file_el.iter("{*}trans-unit"):
            text = _text(_child(unit, "source"))
            if not text:
                continue
            target_el = _child(unit, "target")
            target = _text(target_el)
            state = target_el.get("state") if target_el is not None else None
            if unit.get("translate") == "no" and not target:
                target = text
            if state in _UNTRANSLATED_STATES:
                target = ""
            parent = unit.getparent()
            group = parent if parent is not None and _local(parent) == "group" else unit
            file.units.append(_Unit(group, text, target or None, unit.get("resname")))
        yield file


def _files_v2(root: etree._Element) -> Iterator[_File]:
    source_lang, target_lang = _code(root.get("srcLang")), _code(root.get("trgLang"))
    for file_el in root.iter("{*}file"):
        file = _File(file_el.get("original"), source_lang, target_lang, line=file_el.sourceline)
        for unit in file_el.iter("{*}unit"):
            if unit.get("translate") == "no":
                continue
            for segment in _children(unit, "segment"):
                text = _text(_child(segment, "source"))
                if not text:
                    continue
                target = _text(_child(segment, "target"))
                if segment.get("state") in _UNTRANSLATED_STATES:
                    target = ""
                file.units.append(_Unit(unit, text, target or None))
        yield file


def _paragraph_numbers(units: list[_Unit]) -> list[int]:
    """-1 for the title, then body paragraphs counted from 0 in document order."""
    named = all(u.resname and _L10N_RESNAME.fullmatch(u.resname) for u in units)
    numbers: list[int] = []
    keys: dict[object, int] = {}
    for unit in units:
        if named and unit.resname == "title":
            numbers.append(-1)
            continue
        key = unit.resname if named else unit.group
        if key not in keys:
            keys[key] = len(keys)
        numbers.append(keys[key])
    return numbers


def _article(file: _File, path: Path, article_id: str) -> Article:
    numbers = _paragraph_numbers(file.units)
    units = [SourceUnit(n, u.text) for n, u in zip(numbers, file.units, strict=True)]
    joiner = sentence_joiner(file.source_lang or "")
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
        lang_hint=file.source_lang,
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
