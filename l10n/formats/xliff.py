"""XLIFF: reading 1.2 and 2.x, writing 1.2.

A document is read into plain records: files (``original``, languages, header notes), their
units (id, ``resname``, the paragraph group, ``approved``, ``translate``, notes, ``alt-trans``)
and each unit's segments (source, target, state). A 1.2 ``<trans-unit>`` is one unit of one
segment, its state on the target; a 2.x ``<unit>`` holds one or more ``<segment>`` elements
and takes its languages from ``srcLang``/``trgLang`` on the root. What the records mean (a
draft translation, a reviewer's decision) is for the reader's caller to say.

Source and target text is the inline text: native codes (``<ph>``, ``<bpt>``, ``<x/>`` …) are
markup of the original document and left out, ``<g>``/``<mrk>``/``<pc>`` keep their text.
White space is kept where ``xml:space="preserve"`` says so, otherwise runs of it are one space
and the ends trimmed (the XLIFF default).

The writer makes XLIFF 1.2 from the same records, so what l10n writes reads back the same.
The parser reads no DTD, expands no entity and opens no network or file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from l10n import installed_version
from l10n.formats.xml import (
    XML_LANG,
    XML_SPACE,
    XmlFileError,
    local_name,
    parse_bytes,
    serialize,
    xml_safe,
)

XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
_XLIFF_NS_PREFIX = "urn:oasis:names:tc:xliff:document:"
SUFFIXES = (".xlf", ".xliff")
# Inline codes that stand for markup of the original document, not for text.
_CODE_ONLY = frozenset({"ph", "bpt", "ept", "it", "x", "bx", "ex", "sc", "ec", "sm", "em", "cp"})
_XML_WHITESPACE = re.compile(r"[ \t\r\n]+")


class XliffError(XmlFileError):
    """A file that is not readable XLIFF; ``line`` is where, when known."""


@dataclass(frozen=True)
class XliffNote:
    text: str
    author: str | None = None  # 1.2 ``from``, 2.x ``category``
    priority: int | None = None


@dataclass(frozen=True)
class XliffAlternative:
    """A 1.2 ``<alt-trans>``: another translation proposed for the unit."""

    origin: str | None
    lang: str | None
    target: str


@dataclass(frozen=True)
class XliffSegment:
    source: str
    target: str | None = None  # None: no <target> element
    state: str | None = None
    line: int | None = None
    source_codes: tuple[str, ...] = ()
    """Inline codes in the source (``g``, ``x``, ``bpt`` …, in document order), which the
    plain text leaves out: a caller that can't keep them says so."""
    target_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class XliffUnit:
    id: str
    segments: tuple[XliffSegment, ...]
    resname: str | None = None
    # Units of one paragraph share it: the 1.2 <group> a trans-unit sits in, else the unit.
    group: int = 0
    approved: str | None = None  # 1.2 only, as written ("yes", "no")
    translate: bool = True
    notes: tuple[XliffNote, ...] = ()
    alternatives: tuple[XliffAlternative, ...] = ()
    preserve_space: bool = False
    line: int | None = None


@dataclass(frozen=True)
class XliffFile:
    original: str | None
    source_language: str | None  # as written; callers check and normalise codes
    target_language: str | None
    units: tuple[XliffUnit, ...] = ()
    datatype: str = "plaintext"
    notes: tuple[XliffNote, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class XliffDocument:
    version: int  # 1 (XLIFF 1.x) or 2 (XLIFF 2.x)
    files: tuple[XliffFile, ...]


# -- reading --------------------------------------------------------------------------------


def parse_xliff(data: bytes) -> XliffDocument:
    """The files, units and segments of an XLIFF 1.2 or 2.x document.

    Raises XliffError (with the line) for a file that is not well-formed or not XLIFF.
    """
    try:
        root = parse_bytes(data)
    except XmlFileError as exc:
        raise XliffError(exc.message, exc.line) from exc
    name = local_name(root)
    if name != "xliff":
        raise XliffError(
            f"not an XLIFF 1.2 or 2.x file (the root element is <{name}>, not <xliff>)",
            root.sourceline,
        )
    if _version(root) == 2:
        return XliffDocument(2, tuple(_files_2(root)))
    return XliffDocument(1, tuple(_files_1(root)))


def _version(root: etree._Element) -> int:
    namespace = etree.QName(root).namespace or ""
    if namespace.startswith(_XLIFF_NS_PREFIX):
        return 2 if namespace[len(_XLIFF_NS_PREFIX) :].startswith("2") else 1
    return 2 if (root.get("version") or "").strip().startswith("2") else 1


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if local_name(child) == name)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _preserves_space(element: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        value = node.get(XML_SPACE)
        if value is not None:
            return value == "preserve"
    return False


def _text(element: etree._Element | None) -> str:
    """Inline text of a source or target: native codes and unexpanded entities left out."""
    if element is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        code = not isinstance(node.tag, str) or local_name(node) in _CODE_ONLY
        if node is not element and code:
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    text = "".join(parts)
    return text if _preserves_space(element) else _XML_WHITESPACE.sub(" ", text).strip()


_WRAPPERS = frozenset({"g", "pc"})
"""Inline codes that wrap text (formatting of the original): the text stays, the code goes."""


def inline_codes(element: etree._Element | None) -> tuple[str, ...]:
    """The inline codes inside a source or target, by local name, in document order."""
    if element is None:
        return ()
    return tuple(
        local_name(node)
        for node in element.iterdescendants()
        if isinstance(node.tag, str) and local_name(node) in _CODE_ONLY | _WRAPPERS
    )


def _target(element: etree._Element | None) -> str | None:
    return None if element is None else _text(element)


def _priority(note: etree._Element) -> int | None:
    value = (note.get("priority") or "").strip()
    return int(value) if value.isdigit() else None


def _notes(elements: Iterator[etree._Element], author: str) -> tuple[XliffNote, ...]:
    return tuple(
        XliffNote((note.text or "").strip(), note.get(author), _priority(note)) for note in elements
    )


class _Groups:
    """Paragraph groups numbered in document order."""

    def __init__(self) -> None:
        self._numbers: dict[etree._Element, int] = {}

    def __call__(self, element: etree._Element) -> int:
        return self._numbers.setdefault(element, len(self._numbers))


def _files_1(root: etree._Element) -> Iterator[XliffFile]:
    groups = _Groups()
    for file_el in root.iter("{*}file"):
        header = _child(file_el, "header")
        units = []
        for unit in file_el.iter("{*}trans-unit"):
            target = _child(unit, "target")
            parent = unit.getparent()
            in_group = parent is not None and local_name(parent) == "group"
            units.append(
                XliffUnit(
                    id=unit.get("id", ""),
                    segments=(
                        XliffSegment(
                            _text(_child(unit, "source")),
                            _target(target),
                            target.get("state") if target is not None else None,
                            unit.sourceline,
                            inline_codes(_child(unit, "source")),
                            inline_codes(target),
                        ),
                    ),
                    resname=unit.get("resname"),
                    group=groups(parent if in_group else unit),
                    approved=unit.get("approved"),
                    translate=unit.get("translate") != "no",
                    notes=_notes(_children(unit, "note"), "from"),
                    alternatives=tuple(_alternatives(unit)),
                    preserve_space=unit.get(XML_SPACE) == "preserve",
                    line=unit.sourceline,
                )
            )
        yield XliffFile(
            original=file_el.get("original"),
            source_language=file_el.get("source-language"),
            target_language=file_el.get("target-language"),
            units=tuple(units),
            datatype=file_el.get("datatype", "plaintext"),
            notes=_notes(_children(header, "note"), "from") if header is not None else (),
            line=file_el.sourceline,
        )


def _alternatives(unit: etree._Element) -> Iterator[XliffAlternative]:
    for alt in _children(unit, "alt-trans"):
        target = _child(alt, "target")
        if target is not None:
            yield XliffAlternative(alt.get("origin"), target.get(XML_LANG), _text(target))


def _files_2(root: etree._Element) -> Iterator[XliffFile]:
    groups = _Groups()
    for file_el in root.iter("{*}file"):
        units = []
        for unit in file_el.iter("{*}unit"):
            segments = tuple(
                XliffSegment(
                    _text(_child(segment, "source")),
                    _target(_child(segment, "target")),
                    segment.get("state"),
                    segment.sourceline,
                    inline_codes(_child(segment, "source")),
                    inline_codes(_child(segment, "target")),
                )
                for segment in _children(unit, "segment")
            )
            units.append(
                XliffUnit(
                    id=unit.get("id", ""),
                    segments=segments,
                    resname=unit.get("name"),
                    group=groups(unit),
                    translate=unit.get("translate") != "no",
                    notes=_notes_2(unit),
                    preserve_space=unit.get(XML_SPACE) == "preserve",
                    line=unit.sourceline,
                )
            )
        yield XliffFile(
            original=file_el.get("original"),
            source_language=root.get("srcLang"),
            target_language=root.get("trgLang"),
            units=tuple(units),
            notes=_notes_2(file_el),
            line=file_el.sourceline,
        )


def _notes_2(holder: etree._Element) -> tuple[XliffNote, ...]:
    """The notes of a 2.x ``<file>`` or ``<unit>``, in its ``<notes>`` element."""
    notes = _child(holder, "notes")
    return _notes(_children(notes, "note"), "category") if notes is not None else ()


# -- writing --------------------------------------------------------------------------------


def render_xliff_12(files: Sequence[XliffFile], *, tool: str | None = None) -> bytes:
    """An XLIFF 1.2 document of ``files``; ``tool`` names the tool in each file's header."""
    root = etree.Element(_x("xliff"), nsmap={None: XLIFF1_NS}, version="1.2")
    for file in files:
        _write_file(root, file, tool)
    return serialize(root)


def _x(tag: str) -> str:
    return f"{{{XLIFF1_NS}}}{tag}"


def _write_file(root: etree._Element, file: XliffFile, tool: str | None) -> None:
    attributes = {
        "original": file.original or "",
        "source-language": file.source_language or "",
        "target-language": file.target_language or "",
        "datatype": file.datatype,
    }
    if not file.target_language:
        del attributes["target-language"]
    if tool:
        attributes["tool-id"] = tool
    file_el = etree.SubElement(root, _x("file"), attributes)
    if tool or file.notes:
        header = etree.SubElement(file_el, _x("header"))
        if tool:
            etree.SubElement(
                header,
                _x("tool"),
                {"tool-id": tool, "tool-name": tool, "tool-version": installed_version() or "0"},
            )
        for note in file.notes:
            _write_note(header, note)
    body = etree.SubElement(file_el, _x("body"))
    for unit in file.units:
        _write_unit(body, unit)


def _write_note(parent: etree._Element, note: XliffNote) -> None:
    attributes = {"from": note.author} if note.author else {}
    if note.priority is not None:
        attributes["priority"] = str(note.priority)
    etree.SubElement(parent, _x("note"), attributes).text = xml_safe(note.text)


def _write_unit(body: etree._Element, unit: XliffUnit) -> None:
    if len(unit.segments) != 1:
        raise ValueError(f"an XLIFF 1.2 trans-unit holds one segment, unit {unit.id} has more")
    [segment] = unit.segments
    attributes = {"id": unit.id}
    if unit.resname is not None:
        attributes["resname"] = unit.resname
    if unit.preserve_space:
        attributes[XML_SPACE] = "preserve"
    if unit.approved is not None:
        attributes["approved"] = unit.approved
    if not unit.translate:
        attributes["translate"] = "no"
    element = etree.SubElement(body, _x("trans-unit"), attributes)
    etree.SubElement(element, _x("source")).text = xml_safe(segment.source)
    if segment.target is not None:
        state = {"state": segment.state} if segment.state else {}
        etree.SubElement(element, _x("target"), state).text = xml_safe(segment.target)
    for note in unit.notes:
        _write_note(element, note)
    for alternative in unit.alternatives:
        alt = etree.SubElement(element, _x("alt-trans"), {"origin": alternative.origin or ""})
        lang = {XML_LANG: alternative.lang} if alternative.lang else {}
        etree.SubElement(alt, _x("target"), lang).text = xml_safe(alternative.target)
