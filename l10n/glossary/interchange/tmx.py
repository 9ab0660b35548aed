"""TMX 1.4 term files: Amazon Translate custom terminology and Google glossaries.

One ``<tu>`` per source term, with a ``<tuv xml:lang=…><seg>`` per language: all
target languages in one file for Amazon, one language pair per file for Google's
unidirectional glossaries. As in the term tables, short forms are left out.
"""

from __future__ import annotations

from lxml import etree

from l10n.glossary.interchange.tables import term_rows
from l10n.glossary.interchange.yamlio import TermCollector
from l10n.glossary.schema import TARGET_LANGUAGES, Entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export_tmx(
    entries: list[Entry], source_language: str, langs: list[str]
) -> tuple[bytes, list[str]]:
    rows, warnings = term_rows(entries, langs)
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="l10n",
        creationtoolversion="1",
        datatype="PlainText",
        segtype="phrase",
        adminlang="en",
        srclang=source_language,
        **{"o-tmf": "l10n-glossary"},
    )
    body = etree.SubElement(root, "body")
    for row in rows:
        if not any(row[1:]):
            continue
        tu = etree.SubElement(body, "tu")
        for lang, text in zip([source_language, *langs], row, strict=True):
            if not text:
                continue
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data, warnings


def import_tmx(data: bytes) -> tuple[str, list[Entry]]:
    """Entries from a TMX term file; units with the same targets become one entry."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{exc.lineno or 1}: not well-formed XML ({exc.msg})") from exc
    if root is None or etree.QName(root).localname != "tmx":
        raise ValueError("1: not a TMX file (the root element is not <tmx>)")
    header = root.find("header")
    source = (header.get("srclang") if header is not None else None) or "en"
    source = source.lower()
    terms = TermCollector()
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            text = " ".join("".join(seg.itertext()).split()) if seg is not None else ""
            if lang and text:
                texts.setdefault(lang, text)
        form = texts.get(source) or texts.get(source.split("-")[0])
        targets = {lang: texts[lang] for lang in TARGET_LANGUAGES if lang in texts}
        if not form or not targets:
            continue
        terms.add(form, targets)
    return source, terms.entries
