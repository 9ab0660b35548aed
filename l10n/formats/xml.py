"""XML shared by the interchange formats: safe parsing of untrusted files, safe text.

Every XML file l10n reads may come from anywhere: it is parsed with no DTD loaded, no entity
expanded and no network or file opened. Text on its way into XML has the characters
XML 1.0 forbids replaced, since scraped text occasionally carries them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"

# For iterparse, which takes the options rather than a parser.
SAFE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}

_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XmlFileError(ValueError):
    """A file that is not the XML expected; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids (scraped text carries some) as U+FFFD."""
    return _XML_INVALID_RE.sub("\ufffd", text)


def safe_parser() -> etree.XMLParser:
    """A parser for untrusted files; comments and processing instructions are left out."""
    return etree.XMLParser(**SAFE_OPTIONS, remove_comments=True, remove_pis=True)


def parse_bytes(data: bytes) -> etree._Element:
    """The root element of ``data``; XmlFileError (with the line) when it is not well-formed."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlFileError(f"not well-formed XML ({exc.msg})", exc.lineno or 1) from exc
    if root is None:
        raise XmlFileError("not well-formed XML (empty document)", 1)
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace; "" for comments, entities and the like."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def serialize(root: etree._Element) -> bytes:
    """A whole document: UTF-8, with its declaration, indented."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def refuse_entity_declarations(root: etree._Element) -> None:
    """XmlFileError when the document's DOCTYPE declares entities.

    They are never expanded (so a reference would stand in the text as ``&name;``), and in
    an untrusted file they are how a few bytes become gigabytes or read another file.
    """
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise XmlFileError(
            "the DOCTYPE declares XML entities, which l10n does not expand (they can blow a "
            "small file up or read other files); remove the DOCTYPE and write the text itself",
            root.sourceline or 1,
        )


def syntax_error(exc: etree.XMLSyntaxError) -> XmlFileError:
    """``exc`` as XmlFileError, from the first fatal error libxml2 logged.

    iterparse without entity resolution reports some errors (an undeclared entity) as a
    vague "no element found" on line 0; the parser's log holds the real one and its line.
    That log is shared by every iterparse of the thread: :func:`iterparse_untrusted`
    clears it first.
    """
    fatal = [e for e in exc.error_log if e.level == etree.ErrorLevels.FATAL]
    if fatal and (not exc.lineno or exc.msg.startswith("no element found")):
        last = fatal[-1]
        return XmlFileError(f"not well-formed XML ({last.message})", last.line or 1)
    return XmlFileError(f"not well-formed XML ({exc.msg})", exc.lineno or 1)


def iterparse_untrusted(source: Path | bytes) -> Iterator[tuple[str, etree._Element]]:
    """``start``/``end`` events of a file or document, parsed as :func:`safe_parser` does."""
    etree.clear_error_log()
    stream = str(source) if isinstance(source, Path) else io.BytesIO(source)
    return etree.iterparse(
        stream, events=("start", "end"), remove_comments=True, remove_pis=True, **SAFE_OPTIONS
    )
