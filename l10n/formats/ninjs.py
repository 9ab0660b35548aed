"""IPTC ninjs (News in JSON) 1.x, 2.x and 3.x: the one reader and writer of the format.

Reading turns an item into its translatable text: the main headline, then every other text
field (other headlines, descriptions, bodies) cut into blocks — the paragraphs of a plain
text, the innermost block elements (``p``, ``h2``, ``li`` …) of an HTML body. Markup stays
here: only the text of each block goes on to be translated.

Writing builds the item of one target language from the source item: the translated text
put back into the same fields and the same markup, the item's own ``uri`` and ``language``,
a pointer back to the source (``associations`` and ``altids``/``altIds``) and a note for
the editor naming the engine and the review state. Every other field of the source (subjects,
places, people, urgency, pubstatus …) is kept. The spelling follows the source's version:
1.x ``headline``/``body_html``/``ednote`` and objects for ``altids``/``associations``;
2.x lower case (``pubstatus``, ``contenttype``); 3.x camel case (``pubStatus``, ``altIds``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from l10n.errors import L10nError

SCHEMAS = {
    "1": "http://www.iptc.org/std/ninjs/ninjs-schema_1.6.json#",
    "2": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#",
    "3": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
}
SUFFIX = ".ninjs.json"

_CAMEL = {
    "altIds", "pubStatus", "versionCreated", "firstCreated", "contentCreated",
    "copyrightHolder", "copyrightNotice", "usageTerms", "edNote", "infoSources",
    "embargoedUntil", "rightsInfo", "trustIndicators", "representationType",
    "digitalSourceType", "eventDetails", "plannedCoverage",
}  # fmt: skip
_LOWER = {
    "altids", "pubstatus", "versioncreated", "firstcreated", "contentcreated",
    "copyrightholder", "copyrightnotice", "usageterms", "ednote", "infosources",
    "embargoed", "rightsinfo", "trustindicators", "representationtype", "digitalsourcetype",
}  # fmt: skip
_V1_ONLY = {"headline", "subject", "person", "place", "organisation", "byline", "genre"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "figcaption",
    "td", "th", "caption", "pre", "address", "div", "section", "article", "aside", "header",
    "footer", "figure", "ul", "ol", "dl", "table", "tbody", "thead", "tr", "main", "body",
    "title", "html", "head",
}  # fmt: skip
_SKIPPED = {"script", "style", "template", "noscript"}
_FULL_STOPS = set(".。!?！？")
_MARKUP_START = re.compile(r"\s*<[A-Za-z!]")


class NinjsError(L10nError):
    """An object that is not a ninjs item l10n can translate; the message says why."""


@dataclass
class TextField:
    """One text field of an item: where it is, whether it is HTML, and its blocks."""

    key: str
    index: int | None  # position in the headlines/descriptions/bodies array; None in 1.x
    html: bool
    blocks: list[str]
    separator: str = "\n\n"
    copy_of: int | None = None  # a body repeating another field's text (plain and HTML)
    omitted: str | None = None  # why the field is left out of translations (XML, say)
    alts: int = 0  # the last ``alts`` blocks are images' alt texts (HTML), in document order


@dataclass
class NinjsText:
    """What an item has to translate, and where each piece goes back."""

    version: str  # "1", "2" or "3"
    uri: str
    language: str | None
    headline: str
    headline_field: tuple[str, int | None] | None
    fields: list[TextField] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [b for f in self.fields if f.copy_of is None for b in f.blocks]

    def layout(self) -> list[dict[str, Any]]:
        """The fields as JSON, to store beside the item and render its translations."""
        return [
            {
                "key": f.key,
                "index": f.index,
                "html": f.html,
                "blocks": len(f.blocks),
                "separator": f.separator,
                "copy_of": f.copy_of,
                "omitted": f.omitted,
                "alts": f.alts,
            }
            for f in self.fields
        ]


def version_of(item: dict[str, Any]) -> str:
    """The major version an item is spelled in: its ``standard`` says, else its keys do.

    An item whose keys are the same in 2.x and 3.x (``uri``, ``headlines``, ``bodies`` …)
    is read as 3.x, which it is valid in.
    """
    standard = item.get("$standard") or item.get("standard")
    if isinstance(standard, dict):
        declared = str(standard.get("version") or "")[:1]
        if declared in SCHEMAS:
            return declared
    keys = set(item)
    if (
        "$standard" in keys
        or keys & _V1_ONLY
        or any(k.startswith(("body_", "description_")) for k in keys)
        or isinstance(item.get("altids"), dict)
        or isinstance(item.get("associations"), dict)
    ):
        return "1"
    inner = {k for part in ("headlines", "bodies", "descriptions") for k in _entry_keys(item, part)}
    if keys & _CAMEL or "contentType" in inner:
        return "3"
    if keys & _LOWER or "contenttype" in inner:
        return "2"
    return "3"


def _entry_keys(item: dict[str, Any], key: str) -> set[str]:
    entries = item.get(key)
    if not isinstance(entries, list):
        return set()
    return {k for e in entries if isinstance(e, dict) for k in e}


def looks_like_ninjs(value: object) -> bool:
    """Whether a JSON value is meant as a ninjs item (an object with a ``uri`` and content)."""
    if not isinstance(value, dict) or "uri" not in value:
        return False
    return any(
        k in value
        for k in ("headlines", "headline", "bodies", "descriptions", "type", "renditions")
    ) or any(str(k).startswith(("body_", "description_")) for k in value)


def read_item(item: object) -> NinjsText:
    """The translatable text of a ninjs item; NinjsError names what is wrong or missing."""
    if not isinstance(item, dict):
        raise NinjsError(f"a JSON {type(item).__name__} instead of a ninjs object")
    uri = item.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise NinjsError('missing "uri" (every ninjs item has one: it is the article\'s identity)')
    language = item.get("language")
    if language is not None and not isinstance(language, str):
        raise NinjsError('"language" is not a string (use a BCP 47 tag such as de or nb-NO)')
    version = version_of(item)
    found = _fields_v1(item) if version == "1" else _fields_v2(item)
    headline, where = "", None
    for text_field in found:
        if text_field.key in ("headline", "headlines") and not headline:
            headline, where = " ".join(text_field.blocks), (text_field.key, text_field.index)
            continue
    rest = [f for f in found if (f.key, f.index) != where]
    _mark_copies(rest)
    text = NinjsText(version, uri.strip(), (language or "").strip() or None, headline, where, rest)
    if not text.headline and not text.paragraphs:
        kind = item.get("type")
        what = f"a {kind} item" if isinstance(kind, str) and kind else "the item"
        raise NinjsError(
            f"no text to translate: {what} has no headline, description or body — "
            "nothing to do (pictures and other media are not translated)"
        )
    return text


def _fields_v1(item: dict[str, Any]) -> list[TextField]:
    found: list[TextField] = []
    headline = item.get("headline")
    if isinstance(headline, str) and headline.strip():
        found.append(TextField("headline", None, False, [" ".join(headline.split())]))
    for prefix in ("description_", "body_"):
        for key in sorted(k for k in item if k.startswith(prefix)):
            value = item[key]
            if not isinstance(value, str):
                raise NinjsError(f'"{key}" is not a string')
            is_html = "html" in key[len(prefix) :].lower() or bool(_MARKUP_START.match(value))
            found.append(_text_field(key, None, value, is_html))
    return [f for f in found if f.blocks]


def _fields_v2(item: dict[str, Any]) -> list[TextField]:
    found: list[TextField] = []
    for key in ("headlines", "descriptions", "bodies"):
        entries = item.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise NinjsError(f'"{key}" is not an array of {{"value": …}} objects')
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
                raise NinjsError(f'"{key}"[{index}] has no string "value"')
            kind = str(entry.get("contentType") or entry.get("contenttype") or "").lower()
            role = str(entry.get("role") or "").lower()
            is_html = kind.startswith(_HTML_TYPES) or (
                not kind
                and (role in ("html", "richtext") or bool(_MARKUP_START.match(entry["value"])))
            )
            if key == "headlines":
                is_html = False
            elif kind and not is_html and not kind.startswith("text/"):
                # XML (NITF, NewsML) or another format: its markup would reach the model
                # as text, and untranslated it would mislabel the target item.
                found.append(TextField(key, index, False, [], omitted=kind))
                continue
            found.append(_text_field(key, index, entry["value"], is_html))
    return [f for f in found if f.blocks or f.omitted]


def _text_field(key: str, index: int | None, value: str, is_html: bool) -> TextField:
    if is_html:
        alts = alt_texts(value)
        return TextField(key, index, True, html_blocks(value) + alts, alts=len(alts))
    lines = value.strip().splitlines()
    if any(not line.strip() for line in lines):
        blocks, separator = re.split(r"\n\s*\n", value.strip()), "\n\n"
    else:
        blocks, separator = lines, "\n"
    blocks = [" ".join(b.split()) for b in blocks if b.strip()]
    return TextField(key, index, False, blocks, separator)


def _mark_copies(fields: list[TextField]) -> None:
    """A body that says what an earlier field says (its plain and HTML forms) is rendered
    from that field's translation instead of being translated twice."""
    # HTML first: its blocks keep the paragraphs a plain copy may have run together.
    order = sorted(range(len(fields)), key=lambda n: not fields[n].html)
    seen: list[int] = []
    for n in order:
        if not fields[n].blocks:
            continue
        mine = " ".join(" ".join(_text_blocks(fields[n])).split())
        for m in seen:
            if " ".join(" ".join(_text_blocks(fields[m])).split()) == mine:
                fields[n].copy_of = m
                break
        else:
            seen.append(n)


def _text_blocks(text_field: TextField) -> list[str]:
    """A field's blocks without its images' alt texts."""
    return text_field.blocks[: len(text_field.blocks) - text_field.alts]


# --- HTML bodies -------------------------------------------------------------------------


_DOCUMENT = re.compile(r"^\s*(<!doctype[^>]*>\s*)?<html[\s>]", re.IGNORECASE)


def _fragment(value: str) -> etree._Element:
    """A whole document (``<html>…``) as it is, a fragment inside a wrapping ``div``."""
    if _DOCUMENT.match(value):
        return lxml_html.document_fromstring(value)
    return lxml_html.fragment_fromstring(value, create_parent="div")


def _serialise(root: etree._Element, value: str) -> str:
    if _DOCUMENT.match(value):
        doctype = re.match(r"\s*(<!doctype[^>]*>)", value, re.IGNORECASE)
        html = etree.tostring(root, encoding="unicode", method="html")
        return f"{doctype.group(1)}\n{html}" if doctype else html
    return (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )


def _leaf_blocks(root: etree._Element) -> list[etree._Element]:
    """Block elements with text and no block element inside, in document order."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            continue
        if element.tag not in _BLOCKS:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in element.iterdescendants()):
            continue
        if _text_of(element):
            found.append(element)
    if not found and _text_of(root):
        found.append(root)  # inline-only markup: the fragment is one block
    return found


def _text_of(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED:
            parts.append(_text_of(child) if child.tag != "br" else " ")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def html_blocks(value: str) -> list[str]:
    """The text of each innermost block of an HTML body, markup left out."""
    try:
        root = _fragment(value)
    except (etree.ParserError, ValueError) as exc:
        raise NinjsError(f"HTML body cannot be parsed ({exc})") from exc
    loose = _loose_text(root)
    if loose:
        raise NinjsError(
            f"HTML body has text outside its paragraphs ({loose[:40]!r}); it would stay "
            "untranslated — wrap it in <p> or another block element"
        )
    return [_text_of(b) for b in _leaf_blocks(root)]


def _images(root: etree._Element) -> list[etree._Element]:
    """Images with an alt text, in document order (outside scripts and templates)."""
    return [
        img
        for img in root.iter("img")
        if (img.get("alt") or "").strip()
        and not any(a.tag in _SKIPPED for a in img.iterancestors() if isinstance(a.tag, str))
    ]


def alt_texts(value: str) -> list[str]:
    """The alt text of every image of an HTML body: translated as blocks of their own."""
    try:
        root = _fragment(value)
    except (etree.ParserError, ValueError):
        return []
    return [" ".join(str(img.get("alt")).split()) for img in _images(root)]


def _loose_text(root: etree._Element) -> str:
    """Text sitting directly in a block that also holds blocks (it belongs to no leaf)."""
    leaves = set(_leaf_blocks(root))
    for element in root.iter():
        if not isinstance(element.tag, str) or element in leaves or element.tag not in _BLOCKS:
            continue
        pieces = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _BLOCKS | _SKIPPED:
                pieces.append(_text_of(child))
            pieces.append(child.tail or "")
        text = " ".join(" ".join(pieces).split())
        if text:
            return text
    return ""


@dataclass
class Filled:
    """An HTML body with translated blocks, and the inline elements that found no place."""

    html: str
    unplaced: list[str] = field(default_factory=list)


def inline_spans(value: str) -> list[str]:
    """The text of every inline element (emphasis, a link …) of an HTML body's blocks, once
    each: what must be found again in a translation to put the element back."""
    try:
        root = _fragment(value)
    except (etree.ParserError, ValueError):
        return []
    found: dict[str, None] = {}
    for block in _leaf_blocks(root):
        for child in block.iterdescendants():
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                surface = _text_of(child)
                if surface:
                    found[surface] = None
    return list(found)


def item_spans(meta: dict[str, Any]) -> list[str]:
    """:func:`inline_spans` of every HTML field of a stored ninjs source (``item`` and its
    ``layout``); empty for an item without HTML."""
    item, fields = meta.get("item"), meta.get("layout")
    if not isinstance(item, dict) or not isinstance(fields, list):
        return []
    found: dict[str, None] = {}
    for spec in fields:
        if not isinstance(spec, dict) or not spec.get("html") or spec.get("omitted"):
            continue
        if spec.get("copy_of") is not None:
            continue
        try:
            value = _source_value(item, spec)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        found.update(dict.fromkeys(inline_spans(value)))
    return list(found)


Spans = Mapping[str, Sequence[str]]
"""An inline element's source text → its possible translations, best first (the glossary's
rendering of a name, the memory's, the engine's translation of the bare text)."""


def fill_html(value: str, texts: list[str], spans: Spans | None = None, alts: int = 0) -> Filled:
    """``value`` with the text of block N replaced by ``texts[N]``, markup kept; the last
    ``alts`` texts are the images' alt texts (see :func:`alt_texts`).

    An inline element (emphasis, a link) is put back around its text: the source text
    where it appears unchanged in the translation (a name, a number), else the first of
    its translations in ``spans`` that the block's translation holds. Only a text found
    exactly once is wrapped; where none is, the element cannot be placed without
    guessing: its text stays in the translation, its markup is left out and it is listed
    in ``unplaced`` for the editor.
    """
    root = _fragment(value)
    blocks = _leaf_blocks(root)
    images = _images(root) if alts else []
    if len(blocks) + len(images) != len(texts) or len(images) != alts:
        raise NinjsError(
            f"{len(texts)} translated block(s) for {len(blocks) + len(images)} in the HTML body"
        )
    for img, alt in zip(images, texts[len(blocks) :], strict=True):
        img.set("alt", alt)
    unplaced: list[str] = []
    for block, text in zip(blocks, texts[: len(blocks)], strict=True):
        unplaced += _refill(block, text, spans or {})
    return Filled(_serialise(root, value), unplaced)


def _locate(text: str, surface: str, spans: Spans, taken: list[tuple[int, int]]) -> str | None:
    """The one text standing for ``surface`` in ``text``: found exactly once and overlapping
    no element placed before; None when no candidate is."""
    for candidate in dict.fromkeys([surface, *spans.get(surface, ())]):
        candidate = candidate.strip()
        if candidate[-1:] in _FULL_STOPS and surface[-1:] not in _FULL_STOPS:
            candidate = candidate[:-1].rstrip()  # the engine ended a bare phrase as a sentence
        if not candidate or text.count(candidate) != 1:
            continue
        at = text.find(candidate)
        if all(at + len(candidate) <= a or at >= b for a, b in taken):
            return candidate
    return None


def _set_text(element: etree._Element, value: str) -> bool:
    """Give an element (and the one element it may wrap, ``<a><em>…</em></a>``) the text
    ``value``; False when its content is mixed and no single place for the text exists."""
    if len(element) == 0:
        element.text = value
        return True
    inner = element[0]
    if (
        len(element) == 1
        and isinstance(inner.tag, str)
        and not (element.text or "").strip()
        and not (inner.tail or "").strip()
    ):
        element.text, inner.tail = None, None
        return _set_text(inner, value)
    return False


def _refill(block: etree._Element, text: str, spans: Spans) -> list[str]:
    inline = [c for c in block if isinstance(c.tag, str) and c.tag not in _SKIPPED]
    # The source text after each element: an element without text (an image) keeps its
    # place only at the paragraph's start or end.
    after: list[str] = []
    for n, child in enumerate(inline):
        rest = [(child.tail or "")] + [_text_of(c) + (c.tail or "") for c in inline[n + 1 :]]
        after.append("".join(rest))
    lead = block.text or ""
    for child in list(block):
        block.remove(child)
    block.text = text
    unplaced: list[str] = []
    placed: list[tuple[int, int, etree._Element]] = []
    before = lead
    for child, following_text in zip(inline, after, strict=True):
        surface = _text_of(child)
        if child.tag != "br" and not surface:
            kept = copy.deepcopy(child)
            kept.tail = None
            at_start = not before.strip()
            if not at_start and following_text.strip():
                unplaced.append(f"<{child.tag}> (moved to the end of its paragraph)")
            where = 0 if at_start else len(text)
            placed.append((where, where, kept))
            before += child.tail or ""
            continue
        before += surface + (child.tail or "")
        if child.tag == "br" or not surface:
            continue
        found = _locate(text, surface, spans, [(a, b) for a, b, _ in placed])
        kept = copy.deepcopy(child)
        kept.tail = None
        if found is None or (found != surface and not _set_text(kept, found)):
            unplaced.append(f"<{child.tag}>{surface}</{child.tag}>")
            continue
        at = text.find(found)
        placed.append((at, at + len(found), kept))
    placed.sort(key=lambda p: (p[0], p[1]))
    end = len(text)
    for n, (start, stop, kept) in enumerate(placed):
        if n == 0:
            block.text = text[:start]
        following = placed[n + 1][0] if n + 1 < len(placed) else end
        kept.tail = text[stop:following]
        block.append(kept)
    return unplaced


# --- writing -----------------------------------------------------------------------------


def target_uri(uri: str, lang: str) -> str:
    """The uri of the translation into ``lang``: the source's, with the language added
    (``urn:…:ja``; ``https://…/item/ja``, before any query or fragment)."""
    if uri.lower().startswith("urn:"):
        return f"{uri}:{lang}"
    rest = ""
    for mark in ("#", "?"):
        if mark in uri:
            uri, tail = uri.split(mark, 1)
            rest = f"{mark}{tail}{rest}"
    return f"{uri.rstrip('/')}/{lang}{rest}"


@dataclass
class TargetText:
    """One target language's text for an item, and what the editor should know of it."""

    lang: str
    headline: str
    paragraphs: list[str]
    note: str
    pseudo: bool = False
    joiner: str = " "
    spans: Spans = field(default_factory=dict)
    """Translations of the body's inline elements (see :func:`fill_html`)."""
    withheld: bool = False
    """Not for publication yet (a draft under review): ``pubstatus`` says ``withheld``."""


def write_item(
    source: dict[str, Any], layout: list[dict[str, Any]], target: TargetText
) -> tuple[dict[str, Any], list[str]]:
    """The ninjs item of ``target``, spelled like ``source``; also the unplaced markup."""
    version = version_of(source)
    item = copy.deepcopy(source)
    item["uri"] = target_uri(str(source["uri"]), target.lang)
    item["language"] = target.lang
    texts = _field_texts(layout, target.paragraphs, target.joiner)
    unplaced: list[str] = []
    left_out: list[dict[str, Any]] = []
    for spec, blocks in zip(layout, texts, strict=True):
        if spec.get("omitted"):
            left_out.append(spec)
            continue
        value = _render(spec, blocks, _source_value(source, spec), target.spans)
        if isinstance(value, Filled):
            unplaced += value.unplaced
            value = value.html
        _put(item, spec["key"], spec["index"], value)
    if target.headline:
        if version == "1":
            item["headline"] = target.headline
        else:
            heads = item.get("headlines") or [{"value": ""}]
            main = _main_headline(heads)
            heads[main]["value"] = target.headline
            item["headlines"] = heads
    _drop_counts(item, version)
    note = target.note
    for spec in sorted(left_out, key=lambda s: -int(s["index"] or 0)):
        if spec["index"] is None:
            item.pop(spec["key"], None)
        else:
            del item[spec["key"]][int(spec["index"])]
        where = spec["key"] if spec["index"] is None else f"{spec['key']}[{spec['index']}]"
        note += f" Left out: {where} ({spec['omitted']}), only text and HTML are translated."
    for key in ("bodies", "descriptions"):
        if key in item and not item[key]:
            del item[key]
    if unplaced:
        note += f" {len(unplaced)} inline element(s) of the body could not be placed in the "
        note += "translation; their text is there without the markup: " + ", ".join(unplaced)
    if target.pseudo or target.withheld:
        item["pubStatus" if version == "3" else "pubstatus"] = "withheld"
    _link_source(item, source, version, note)
    return item, unplaced


def _main_headline(heads: list[dict[str, Any]]) -> int:
    for n, head in enumerate(heads):
        if str(head.get("role") or "").lower() == "main":
            return n
    return 0


def _field_texts(
    layout: list[dict[str, Any]], paragraphs: list[str], joiner: str
) -> list[list[str]]:
    """Each field's translated blocks: its own paragraphs, or its original's for a copy."""
    texts: list[list[str]] = [[] for _ in layout]
    at = 0
    for n, spec in enumerate(layout):
        if spec.get("copy_of") is None:
            count = int(spec["blocks"])
            texts[n] = paragraphs[at : at + count]
            at += count
    if at != len(paragraphs):
        raise NinjsError(f"{len(paragraphs)} translated paragraph(s) for {at} in the item")
    for n, spec in enumerate(layout):
        if spec.get("copy_of") is not None:
            original = layout[int(spec["copy_of"])]
            blocks = texts[int(spec["copy_of"])]
            if not spec["html"]:
                blocks = blocks[: len(blocks) - int(original.get("alts") or 0)]
            if not spec["html"] and len(blocks) != int(spec["blocks"]):
                blocks = [joiner.join(blocks)]  # the plain copy ran the paragraphs together
            texts[n] = blocks
    return texts


def _source_value(source: dict[str, Any], spec: dict[str, Any]) -> str:
    value = source[spec["key"]]
    return str(value if spec["index"] is None else value[int(spec["index"])]["value"])


def _render(spec: dict[str, Any], blocks: list[str], original: str, spans: Spans) -> str | Filled:
    if spec["html"]:
        return fill_html(original, blocks, spans, int(spec.get("alts") or 0))
    return str(spec.get("separator") or "\n\n").join(blocks)


def _put(item: dict[str, Any], key: str, index: int | None, value: str) -> None:
    if index is None:
        item[key] = value
    else:
        item[key][index]["value"] = value


def _drop_counts(item: dict[str, Any], version: str) -> None:
    """Character and word counts describe the source text: they no longer hold."""
    for key in ("charcount", "wordcount"):
        item.pop(key, None)
    for body in item.get("bodies") or []:
        if isinstance(body, dict):
            for key in ("charcount", "wordcount", "charCount", "wordCount"):
                body.pop(key, None)


def _link_source(item: dict[str, Any], source: dict[str, Any], version: str, note: str) -> None:
    """The pointer back to the source item, and the note for the editor."""
    uri = str(source["uri"])
    pointer: dict[str, Any] = {"uri": uri}
    for key in ("language", "type", "version"):
        if isinstance(source.get(key), str):
            pointer[key] = source[key]
    old_note = source.get("edNote" if version == "3" else "ednote")
    if isinstance(old_note, str) and old_note.strip():
        note += f" Source note: {old_note.strip()}"
    if version == "1":
        associations = item.get("associations")
        item["associations"] = {**(associations if isinstance(associations, dict) else {})}
        item["associations"]["translationsource"] = pointer
        altids = item.get("altids")
        item["altids"] = {**(altids if isinstance(altids, dict) else {}), "sourceuri": uri}
        item["ednote"] = note
        return
    listed = item.get("associations")
    associations = list(listed) if isinstance(listed, list) else []
    link = {"name": "translation-source", **pointer}
    if version == "3":
        link["rel"] = "translationOf"
    associations.append(link)
    item["associations"] = associations
    ids_key = "altIds" if version == "3" else "altids"
    ids = item.get(ids_key)
    item[ids_key] = [*(ids if isinstance(ids, list) else []), {"role": "source-uri", "value": uri}]
    item["edNote" if version == "3" else "ednote"] = note
