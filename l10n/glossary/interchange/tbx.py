"""TBX: the terminology exchange format (ISO 30042).

Export writes TBX-Basic in the ``martif`` / ``termEntry`` / ``langSet`` / ``tig``
layout that terminology tools (translate-toolkit among them) read: ids, type
(``subjectField``), note, aliases as admitted terms and known-wrong renderings as
deprecated terms. A short form is written as a ``shortForm`` term with a cross
reference to its person and a note stating when it applies.

Import reads that layout and the TBX v3 ``tbx`` / ``conceptEntry`` / ``langSec`` /
``termSec`` one, streamed (one term entry in memory at a time) into a
:class:`~l10n.glossary.interchange.stream.TermStore`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from l10n.formats.xml import (
    XML_LANG,
    XmlFileError,
    iterparse_untrusted,
    local_name,
    refuse_entity_declarations,
    serialize,
    syntax_error,
)
from l10n.glossary.interchange.stream import TableError, TableImport, TermStore, entries_of
from l10n.glossary.schema import ENTRY_TYPES, TARGET_LANGUAGES, Entry, slug

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
SHORT_FORM_CONDITION = (
    "Short form: use only where the article names {people} in full and nobody else "
    "carries this name."
)


def _tig(parent: etree._Element, term: str, status: str, *, short: bool = False) -> None:
    tig = etree.SubElement(parent, "tig")
    etree.SubElement(tig, "term").text = term
    if short:
        etree.SubElement(tig, "termNote", type="termType").text = "shortForm"
    etree.SubElement(tig, "termNote", type="administrativeStatus").text = status


def export_tbx(entries: list[Entry], source_language: str, name: str) -> bytes:
    """TBX-Basic (martif) for ``entries``."""
    by_id = {e.id: e for e in entries}
    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, source_language)
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source_desc, "p").text = f"l10n name glossary {name}"
    encoding = etree.SubElement(header, "encodingDesc")
    etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for entry in entries:
        concept = etree.SubElement(body, "termEntry", id=entry.id)
        etree.SubElement(concept, "descrip", type="subjectField").text = entry.type
        if entry.short_form_of:
            people = " or ".join(by_id[p].source if p in by_id else p for p in entry.short_form_of)
            etree.SubElement(concept, "note").text = SHORT_FORM_CONDITION.format(people=people)
        if entry.note:
            etree.SubElement(concept, "note").text = entry.note
        if entry.strategy:
            etree.SubElement(concept, "admin", type="projectSubset").text = entry.strategy
        for person in entry.short_form_of:
            ref = etree.SubElement(concept, "ref", type="crossReference", target=person)
            ref.text = by_id[person].source if person in by_id else person
        lang_set = etree.SubElement(concept, "langSet")
        lang_set.set(XML_LANG, source_language)
        _tig(lang_set, entry.source, PREFERRED, short=bool(entry.short_form_of))
        for alias in entry.aliases:
            _tig(lang_set, alias, ADMITTED, short=bool(entry.short_form_of))
        for lang, target in entry.targets.items():
            lang_set = etree.SubElement(concept, "langSet")
            lang_set.set(XML_LANG, lang)
            _tig(lang_set, target, PREFERRED, short=bool(entry.short_form_of))
            for variant in entry.variants.get(lang, []):
                _tig(lang_set, variant, DEPRECATED)
    return serialize(root)


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) in names]


def _terms(lang_set: etree._Element) -> list[tuple[str, str]]:
    """(term, administrative status) for each tig/termSec/ntig of a langSet/langSec."""
    out = []
    for holder in _children(lang_set, "tig", "termSec", "ntig"):
        terms = [t for t in holder.iter() if local_name(t) == "term"]
        if not terms:
            continue
        text = " ".join("".join(terms[0].itertext()).split())
        if not text:
            continue
        status = ""
        for note in holder.iter():
            if local_name(note) == "termNote" and note.get("type") == "administrativeStatus":
                status = (note.text or "").strip()
        out.append((text, status))
    return out


def _entry(concept: etree._Element, source_language: str) -> Entry | None:
    """The entry one termEntry/conceptEntry holds; None without a source or a target term."""
    entry_type, notes, strategy, short_of = "term", [], None, []
    for child in concept:
        kind = local_name(child)
        text = (child.text or "").strip()
        if kind == "descrip" and child.get("type") == "subjectField" and text in ENTRY_TYPES:
            entry_type = text
        elif kind == "note" and text and not text.startswith("Short form: use only"):
            notes.append(text)
        elif kind == "admin" and child.get("type") == "projectSubset" and text:
            strategy = text
        elif kind == "ref" and child.get("type") == "crossReference":
            target = child.get("target") or text
            if target:
                short_of.append(target)
    sources: list[str] = []
    targets: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    for lang_set in _children(concept, "langSet", "langSec"):
        lang = (lang_set.get(XML_LANG) or "").lower()
        terms = _terms(lang_set)
        if lang.split("-")[0] == source_language.split("-")[0]:
            terms.sort(key=lambda t: t[1] != PREFERRED)
            sources.extend(t for t, status in terms if status != DEPRECATED)
        elif lang in TARGET_LANGUAGES:
            preferred = [t for t, status in terms if status != DEPRECATED]
            if preferred:
                targets[lang] = preferred[0]
            wrong = [t for t, status in terms if status == DEPRECATED]
            if wrong:
                variants[lang] = wrong
    if not sources or not targets:
        return None
    return Entry(
        id=concept.get("id") or slug(sources[0]),
        type=entry_type,
        source=sources[0],
        targets=targets,
        aliases=list(dict.fromkeys(sources[1:])),
        variants=variants,
        note=" ".join(notes) or None,
        short_form_of=tuple(short_of),
        strategy=strategy,
    )


def read_tbx(source: Path | bytes, store: TermStore) -> TableImport:
    """Read TBX (``martif``/``termEntry`` or ``tbx``/``conceptEntry``) into ``store``.

    The XML is streamed: each term entry is read, recorded and dropped from the tree, so
    memory stays flat. Raises :class:`TableError` (``LINE: problem``) for a file that is not
    well-formed XML, declares entities, or is not TBX; OSError when it can't be read.
    Entries that contradict earlier ones are listed in the result, as a table's rows are.
    """
    parse = iterparse_untrusted(source)
    result: TableImport | None = None
    try:
        for event, element in parse:
            if result is None:
                result = _start(element, store)
                continue
            if event != "end" or local_name(element) not in ("termEntry", "conceptEntry"):
                continue
            line = element.sourceline or 1
            entry = _entry(element, result.source_language)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            result.rows += 1
            if entry is None:
                result.skipped += 1
                continue
            result.note(store.add_entry(entry, line))
    except etree.XMLSyntaxError as exc:
        error = syntax_error(exc)
        raise TableError(error.line or 1, error.message) from None
    if result is None:
        raise TableError(1, "empty file; expected TBX (<martif> or <tbx>)")
    result.note(store.check_references())
    return result


def _start(root: etree._Element, store: TermStore) -> TableImport:
    if local_name(root) not in ("martif", "tbx"):
        raise TableError(
            root.sourceline or 1,
            f"not a TBX file (root element <{local_name(root)}>, expected <martif> or <tbx>)",
        )
    try:
        refuse_entity_declarations(root)
    except XmlFileError as exc:
        raise TableError(exc.line or 1, exc.message) from None
    return TableImport(root.get(XML_LANG) or "en", item="term entry", store=store)


def import_tbx(data: Path | bytes) -> tuple[str, list[Entry]]:
    """Entries from TBX (bytes, or a file: each streamed with :func:`read_tbx`).

    Raises ValueError (``LINE: problem``) for a file that is not well-formed XML or not TBX,
    or whose entries contradict each other (the first such entry).
    """
    return entries_of(read_tbx, data)
