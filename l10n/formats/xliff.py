"""XLIFF: reading 1.2 and 2.x, writing 1.2.

A document is read into plain records: files (``original``, languages, header notes), their
units (id, ``resname``, the paragraph group, ``approved``, ``translate``, notes, ``alt-trans``)
and each unit's segments (source, target, state). A 1.2 ``<trans-unit>`` is one unit of one
segment, its state on the target; a 2.x ``<unit>`` holds one or more ``<segment>`` elements
and takes its languages from ``srcLang``/``trgLang`` on the root. What the records mean (a
draft translation, a reviewer's decision) is for the reader's caller to say.

Source and target text is the inline text: native codes (``<ph>``, ``<bpt>``, ``<x/>`` …) are
markup of the original document and left out, ``<g>``/``<mrk>``/``<pc>`` keep their text.
Each segment also carries its ``inline`` form, text and :class:`~l10n.models.InlineCode`
records in document order, so a caller can keep the codes (:func:`code_problem` says whether
a target keeps a source's codes) and the writer put them back — 2.x codes as their 1.2
equivalents (``<pc>`` → ``<g>``, ``<ph/>`` → ``<x/>``, ``<sc/>``/``<ec/>`` → ``<bx/>``/``<ex/>``).
White space is kept where ``xml:space="preserve"`` says so, otherwise runs of it are one space
and the ends trimmed (the XLIFF default).

The writer makes XLIFF 1.2 from the same records, so what l10n writes reads back the same.
The parser reads no DTD, expands no entity and opens no network or file.
"""

from __future__ import annotations

import re
from collections import Counter
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
from l10n.models import Inline, InlineCode

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
    source_inline: Inline = ()
    """The source as text and codes (:func:`inline_parts`); ``()`` when it has no codes."""
    target_inline: Inline = ()


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


_PAIRED = {
    "bpt": "open",
    "ept": "close",
    "bx": "open",
    "ex": "close",
    "sc": "open",
    "ec": "close",
    "sm": "open",
    "em": "close",
}
"""Codes that open or close a span of text without containing it; the rest stand alone."""


def _code_key(node: etree._Element, name: str) -> str:
    if name in {"bpt", "ept", "bx", "ex"}:
        return node.get("rid") or node.get("id") or ""
    if name in {"ec", "em"}:
        return node.get("startRef") or node.get("id") or ""
    if name == "cp":
        return f"cp{node.get('hex', '')}"
    return node.get("id") or ""


def inline_parts(element: etree._Element | None, version: int = 1) -> Inline:
    """A source or target as text and :class:`InlineCode` records, in document order.

    ``()`` when it holds no code (its text is then all there is). White space follows the
    XLIFF default, as in the plain text: runs are one space, the ends trimmed.
    """
    if element is None:
        return ()
    parts: list[str | InlineCode] = []

    def code(node: etree._Element, name: str, kind: str, data: str = "") -> InlineCode:
        attrs = tuple((str(k), str(v)) for k, v in node.attrib.items())
        return InlineCode(name, kind, _code_key(node, name), attrs, data, version)

    def walk(node: etree._Element) -> None:
        parts.append(node.text or "")
        for child in node:
            name = local_name(child)
            if not isinstance(child.tag, str):
                pass  # an unexpanded entity: left out, as in the plain text
            elif name in _WRAPPERS:
                parts.append(code(child, name, "open"))
                walk(child)
                parts.append(InlineCode(name, "close", _code_key(child, name), (), "", version))
            elif name in _CODE_ONLY:
                data = "".join(child.itertext()) if version == 1 else ""
                parts.append(code(child, name, _PAIRED.get(name, "standalone"), data))
            else:  # <mrk> and the like: their text is the segment's
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    if not any(isinstance(part, InlineCode) for part in parts):
        return ()
    return _tidy(parts, _preserves_space(element))


def _tidy(parts: list[str | InlineCode], preserve: bool) -> Inline:
    """Adjacent texts joined, empty ones dropped, white space as the plain text has it."""
    merged: list[str | InlineCode] = []
    for part in parts:
        if isinstance(part, str) and not preserve:
            part = _XML_WHITESPACE.sub(" ", part)
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if not preserve and merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip(" ")
    if not preserve and merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip(" ")
    return tuple(part for part in merged if part != "")


def inline_text(parts: Inline) -> str:
    """The text of ``parts``, codes left out."""
    return "".join(part for part in parts if isinstance(part, str))


def inline_codes_of(parts: Inline) -> tuple[InlineCode, ...]:
    return tuple(part for part in parts if isinstance(part, InlineCode))


def code_label(code: InlineCode) -> str:
    """How a message names a code: ``<x id="2">``, ``</g> (id "1")``, ``<ept id="1">``."""
    if code.kind == "close" and code.name in _WRAPPERS:
        return f'</{code.name}> (id "{code.key}")'
    attribute = "startRef" if code.name in {"ec", "em"} else "id"
    return f'<{code.name} {attribute}="{code.key}">'


def code_problem(source: Inline, target: Inline) -> str | None:
    """Why ``target`` does not keep the inline codes of ``source``; None when it does.

    Every code must be there once, matched by kind and id (a translator may move codes, and
    a 2.x code matches its 1.2 equivalent), and each closing code must follow its opening
    one: a target that loses, adds or breaks a pair of codes would break the document.
    """
    wanted = Counter((c.kind, c.key) for c in inline_codes_of(source))
    found = Counter((c.kind, c.key) for c in inline_codes_of(target))
    labels = {
        (c.kind, c.key): code_label(c) for c in (*inline_codes_of(target), *inline_codes_of(source))
    }
    lost = wanted - found
    if lost:
        return "the target lost inline code(s) " + ", ".join(labels[k] for k in lost)
    added = found - wanted
    if added:
        return "the target adds inline code(s) " + ", ".join(labels[k] for k in added)
    opened: Counter[str] = Counter()
    for code in inline_codes_of(target):
        if code.kind == "open":
            opened[code.key] += 1
        elif code.kind == "close":
            if not opened[code.key]:
                return (
                    f"the target puts {code_label(code)} before the code that opens it — "
                    "keep each pair in order"
                )
            opened[code.key] -= 1
    return None


def same_codes(a: Inline, b: Inline) -> bool:
    """Whether ``a`` and ``b`` hold the same codes (kind and id) in the same order."""
    return [(c.kind, c.key) for c in inline_codes_of(a)] == [
        (c.kind, c.key) for c in inline_codes_of(b)
    ]


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
                            inline_parts(_child(unit, "source"), 1),
                            inline_parts(target, 1),
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
                    inline_parts(_child(segment, "source"), 2),
                    inline_parts(_child(segment, "target"), 2),
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
    _put_text(etree.SubElement(element, _x("source")), segment.source, segment.source_inline)
    if segment.target is not None:
        state = {"state": segment.state} if segment.state else {}
        target = etree.SubElement(element, _x("target"), state)
        _put_text(target, segment.target, segment.target_inline)
    for note in unit.notes:
        _write_note(element, note)
    for alternative in unit.alternatives:
        alt = etree.SubElement(element, _x("alt-trans"), {"origin": alternative.origin or ""})
        lang = {XML_LANG: alternative.lang} if alternative.lang else {}
        etree.SubElement(alt, _x("target"), lang).text = xml_safe(alternative.target)


def _put_text(element: etree._Element, text: str, parts: Inline) -> None:
    """``text`` into ``element``, or ``parts`` with their codes when there are any."""
    if not parts:
        element.text = xml_safe(text)
        return
    stack = [element]

    def add(value: str) -> None:
        holder = stack[-1]
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + value
        else:
            holder.text = (holder.text or "") + value

    for part in parts:
        if isinstance(part, str):
            add(xml_safe(part))
        elif part.name in _WRAPPERS and part.kind == "close":
            if len(stack) > 1:
                stack.pop()
        else:
            tag, attributes = _as_12(part)
            child = etree.SubElement(stack[-1], _x(tag), attributes)
            if part.name in _WRAPPERS:
                stack.append(child)
            elif part.data:
                child.text = xml_safe(part.data)


_CODES_2_TO_1 = {"pc": "g", "ph": "x", "cp": "x", "sc": "bx", "sm": "bx", "ec": "ex", "em": "ex"}


def _as_12(code: InlineCode) -> tuple[str, dict[str, str]]:
    """The XLIFF 1.2 element and attributes a code is written as."""
    if code.version == 1:
        return code.name, dict(code.attrs)
    tag = _CODES_2_TO_1.get(code.name, "x")
    if tag == "ex":  # paired with its <bx> through rid
        return tag, {"id": f"{code.key}e", "rid": code.key}
    return tag, {"id": code.key}
