"""TMX 1.4b: reading and writing translation units, streamed both ways.

A document is a header and ``<tu>`` units; each unit has its ids and dates, its properties
and notes (``<prop type=…>`` and ``<note>``, in the order written) and one variant per
language (``<tuv xml:lang=…><seg>``). What the properties mean (an approved translation,
raw MT, a glossary term) is for the caller to say.

Writing is a stream of bytes: the header, then units serialised one at a time (a caller
may spool them and hand them over later), then the footer, so a file of any size is made in
flat memory. Reading is a stream too: each unit is dropped from the tree once read. The
parser reads no DTD, expands no entity and opens no network or file.

Segment text keeps ``<hi>`` text and drops inline codes (``<bpt>``, ``<ept>``, ``<ph>``,
``<it>``, ``<ut>``), which stand for markup of the original document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from l10n import installed_version
from l10n.formats.xml import (
    XML_LANG,
    XmlFileError,
    iterparse_untrusted,
    local_name,
    refuse_entity_declarations,
    serialize,
    syntax_error,
    xml_safe,
)

TOOL = "l10n"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_BODY_SLOT = "\nl10n-units\n"


class TmxError(XmlFileError):
    """A file that is not readable TMX; ``line`` is where, when known."""


@dataclass(frozen=True)
class TmxProp:
    type: str
    text: str


@dataclass(frozen=True)
class TmxNote:
    text: str


@dataclass(frozen=True)
class TmxVariant:
    lang: str  # as written; callers check and normalise codes
    text: str
    dropped_entities: tuple[str, ...] = ()
    """Entity references the segment held (``&name;``), left out of ``text``: never expanded."""


@dataclass(frozen=True)
class TmxHeader:
    srclang: str | None
    o_tmf: str = ""
    segtype: str = "sentence"
    datatype: str = "plaintext"
    created: datetime | None = None
    meta: tuple[TmxProp | TmxNote, ...] = ()
    creationtool: str = TOOL
    creationtoolversion: str | None = None  # written: the installed l10n's version


@dataclass(frozen=True)
class TmxUnit:
    variants: tuple[TmxVariant, ...]
    tuid: str | None = None
    srclang: str | None = None
    created: datetime | None = None
    creationid: str | None = None
    changed: datetime | None = None
    creationtool: str | None = None
    meta: tuple[TmxProp | TmxNote, ...] = ()
    line: int | None = None

    @property
    def props(self) -> dict[str, str]:
        """Properties by type; of two with one type, the later."""
        return {item.type: item.text for item in self.meta if isinstance(item, TmxProp)}

    @property
    def notes(self) -> list[str]:
        return [item.text for item in self.meta if isinstance(item, TmxNote)]


def tmx_date(moment: datetime) -> str:
    """A TMX date, ``YYYYMMDDThhmmssZ`` in UTC (a naive time is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(_DATE_FORMAT)


def parse_tmx_date(value: str | None) -> datetime | None:
    """The moment a TMX date names; None for a missing or malformed one."""
    if not value:
        return None
    try:
        return datetime.strptime(value, _DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


# -- writing --------------------------------------------------------------------------------


def unit_bytes(unit: TmxUnit) -> bytes:
    """One ``<tu>``, serialised, to pass to :func:`tmx_document` now or later."""
    attributes = {
        "tuid": unit.tuid,
        "srclang": unit.srclang,
        "creationdate": tmx_date(unit.created) if unit.created else None,
        "creationid": unit.creationid,
        "changedate": tmx_date(unit.changed) if unit.changed else None,
        "creationtool": unit.creationtool,
    }
    tu = etree.Element(
        "tu", {name: xml_safe(value) for name, value in attributes.items() if value is not None}
    )
    _write_meta(tu, unit.meta)
    for variant in unit.variants:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: variant.lang})
        etree.SubElement(tuv, "seg").text = xml_safe(variant.text)
    return etree.tostring(tu, encoding="UTF-8", pretty_print=True)


def tmx_document(header: TmxHeader, units: Iterable[bytes]) -> Iterator[bytes]:
    """A whole TMX 1.4b file in pieces: the header, the given ``<tu>`` bytes, the footer."""
    root = etree.Element("tmx", version="1.4")
    attributes = {
        "creationtool": header.creationtool,
        "creationtoolversion": header.creationtoolversion or installed_version() or "0",
        "segtype": header.segtype,
        "o-tmf": header.o_tmf,
        "adminlang": "en",
        "srclang": header.srclang or "*all*",
        "datatype": header.datatype,
    }
    if header.created is not None:
        attributes["creationdate"] = tmx_date(header.created)
    _write_meta(etree.SubElement(root, "header", attributes), header.meta)
    etree.SubElement(root, "body").text = _BODY_SLOT
    head, tail = serialize(root).split(_BODY_SLOT.encode(), 1)
    yield head
    yield from units
    yield tail


def _write_meta(parent: etree._Element, meta: tuple[TmxProp | TmxNote, ...]) -> None:
    for item in meta:
        if isinstance(item, TmxProp):
            etree.SubElement(parent, "prop", type=item.type).text = xml_safe(item.text)
        else:
            etree.SubElement(parent, "note").text = xml_safe(item.text)


# -- reading --------------------------------------------------------------------------------


def read_tmx(
    source: Path | bytes, *, refuse_entities: bool = False
) -> Iterator[TmxHeader | TmxUnit]:
    """The header, then each unit, of a TMX file or document, one at a time.

    Entity references are dropped from the text (never expanded) and named in the
    variant's ``dropped_entities``, so a caller can refuse a shortened text; with
    ``refuse_entities`` a DOCTYPE that declares entities is a TmxError instead.

    Raises TmxError (with the line) when the XML is not well-formed — possibly after some
    units were read; :func:`check_tmx` first when nothing may be taken from a broken file —
    or when the root is not ``<tmx>``; OSError when the file can't be read.
    """
    parse = iterparse_untrusted(source)
    root_seen = False
    try:
        for event, element in parse:
            if not root_seen:
                root_seen = True
                if local_name(element) != "tmx":
                    raise TmxError(
                        f"the root element is <{local_name(element)}>, not <tmx>",
                        element.sourceline or 1,
                    )
                try:
                    if refuse_entities:
                        refuse_entity_declarations(element)
                except XmlFileError as exc:
                    raise TmxError(exc.message, exc.line) from None
            if event != "end":
                continue
            if element.tag == "header":
                yield _header(element)
            elif element.tag == "tu":
                yield _unit(element)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        error = syntax_error(exc)
        raise TmxError(error.message, error.line) from exc


def check_tmx(source: Path | bytes) -> None:
    """TmxError when ``source`` is not a well-formed TMX file, before anything is used."""
    for _ in read_tmx(source):
        pass


def _meta(element: etree._Element) -> tuple[TmxProp | TmxNote, ...]:
    items: list[TmxProp | TmxNote] = []
    for child in element:
        if child.tag == "prop":
            items.append(TmxProp(child.get("type") or "", child.text or ""))
        elif child.tag == "note":
            items.append(TmxNote(child.text or ""))
    return tuple(items)


def _header(element: etree._Element) -> TmxHeader:
    return TmxHeader(
        srclang=element.get("srclang"),
        o_tmf=element.get("o-tmf", ""),
        segtype=element.get("segtype", ""),
        datatype=element.get("datatype", ""),
        created=parse_tmx_date(element.get("creationdate")),
        meta=_meta(element),
        creationtool=element.get("creationtool", ""),
        creationtoolversion=element.get("creationtoolversion"),
    )


def _unit(tu: etree._Element) -> TmxUnit:
    variants = []
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        if seg is not None:
            lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
            variants.append(TmxVariant(lang, _seg_text(seg), _entities(seg)))
    return TmxUnit(
        variants=tuple(variants),
        tuid=tu.get("tuid"),
        srclang=tu.get("srclang"),
        created=parse_tmx_date(tu.get("creationdate")),
        creationid=tu.get("creationid"),
        changed=parse_tmx_date(tu.get("changedate")),
        creationtool=tu.get("creationtool"),
        meta=_meta(tu),
        line=tu.sourceline,
    )


def _seg_text(seg: etree._Element) -> str:
    """The text of a ``<seg>``: inline codes dropped, ``<hi>`` kept; entities dropped too."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag == "hi":
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _entities(seg: etree._Element) -> tuple[str, ...]:
    """The entity references (``&name;``) in a ``<seg>`` or the ``<hi>`` it holds, in order."""
    found: list[str] = []
    for child in seg:
        if child.tag is etree.Entity:
            found.append(str(child.text))
        elif child.tag == "hi":
            found.extend(_entities(child))
    return tuple(found)
