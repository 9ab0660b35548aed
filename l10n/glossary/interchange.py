"""Glossaries in the formats terminology tools and MT services exchange.

TBX (ISO 30042, TBX-Basic style) keeps nearly everything: ids, type, note,
aliases as admitted terms and known-wrong variants as deprecated terms.
CSV/TSV follow the multilingual layout of DeepL and Amazon Translate custom
terminology (a header row of language codes, one row per term), which holds
only source forms and targets; aliases travel as extra rows with the same targets.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import yaml
from lxml import etree

from l10n.glossary.core import Glossary
from l10n.glossary.schema import (
    ENTRY_TYPES,
    TARGET_LANGUAGES,
    Entry,
    GlossaryError,
    parse_glossary_text,
)
from l10n.run.atomic import write_text_atomic

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "term"


def entries_to_yaml(
    entries: list[Entry], *, source_language: str = "en", strategy: str = "post-edit"
) -> str:
    """Glossary YAML for entries, with optional keys left out when empty."""
    rows = []
    for entry in entries:
        row: dict[str, object] = {"id": entry.id, "type": entry.type, "source": entry.source}
        if entry.aliases:
            row["aliases"] = list(entry.aliases)
        if entry.short_form_of:
            row["short_form_of"] = entry.short_form_of
        if entry.strategy:
            row["strategy"] = entry.strategy
        row["targets"] = dict(entry.targets)
        variants = {lang: list(v) for lang, v in entry.variants.items() if v}
        if variants:
            row["variants"] = variants
        if entry.note:
            row["note"] = entry.note
        rows.append(row)
    document = {
        "version": 1,
        "source_language": source_language,
        "strategy": strategy,
        "entries": rows,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


# -- TBX ----------------------------------------------------------------------


def _term_sec(parent: etree._Element, term: str, status: str, short: bool = False) -> None:
    sec = etree.SubElement(parent, "termSec")
    etree.SubElement(sec, "term").text = term
    if short:
        etree.SubElement(sec, "termNote", type="termType").text = "shortForm"
    etree.SubElement(sec, "termNote", type="administrativeStatus").text = status


def export_tbx(glossary: Glossary) -> bytes:
    root = etree.Element("tbx", nsmap={None: TBX_NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, glossary.source_language)
    header = etree.SubElement(root, "tbxHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    name = glossary.path.name if glossary.path else "glossary"
    etree.SubElement(source_desc, "p").text = f"l10n name glossary {name}"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for entry in glossary.entries:
        concept = etree.SubElement(body, "conceptEntry", id=entry.id)
        etree.SubElement(concept, "descrip", type="subjectField").text = entry.type
        if entry.note:
            etree.SubElement(concept, "note").text = entry.note
        if entry.strategy:
            etree.SubElement(concept, "admin", type="projectSubset").text = entry.strategy
        if entry.short_form_of:
            ref = etree.SubElement(
                concept, "ref", type="crossReference", target=entry.short_form_of
            )
            ref.text = entry.short_form_of
        lang_sec = etree.SubElement(concept, "langSec")
        lang_sec.set(XML_LANG, glossary.source_language)
        _term_sec(lang_sec, entry.source, PREFERRED, short=bool(entry.short_form_of))
        for alias in entry.aliases:
            _term_sec(lang_sec, alias, ADMITTED)
        for lang, target in entry.targets.items():
            lang_sec = etree.SubElement(concept, "langSec")
            lang_sec.set(XML_LANG, lang)
            _term_sec(lang_sec, target, PREFERRED)
            for variant in entry.variants.get(lang, []):
                _term_sec(lang_sec, variant, DEPRECATED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _local(child) in names]


def _terms(lang_set: etree._Element) -> list[tuple[str, str, str]]:
    """(term, administrative status, term type) for each tig/termSec of a langSet/langSec."""
    out = []
    for holder in _children(lang_set, "tig", "termSec", "ntig"):
        terms = [t for t in holder.iter() if _local(t) == "term"]
        if not terms or not (terms[0].text or "").strip():
            continue
        status, term_type = "", ""
        for note in holder.iter():
            if _local(note) == "termNote" and note.get("type") == "administrativeStatus":
                status = (note.text or "").strip()
            if _local(note) == "termNote" and note.get("type") == "termType":
                term_type = (note.text or "").strip()
        out.append(("".join(terms[0].itertext()).strip(), status, term_type))
    return out


def import_tbx(data: bytes) -> tuple[str, list[Entry]]:
    """Entries from TBX (TBX-Basic v2 ``martif``/``termEntry`` or v3 ``tbx``/``conceptEntry``)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"line {exc.lineno}: not well-formed TBX ({exc.msg})") from exc
    source_language = root.get(XML_LANG) or "en"
    entries: list[Entry] = []
    used: set[str] = set()
    for concept in root.iter():
        if _local(concept) not in ("termEntry", "conceptEntry"):
            continue
        entry_type, note, strategy, short_of = "term", None, None, None
        for child in concept.iter():
            kind = _local(child)
            text = (child.text or "").strip()
            if kind == "descrip" and child.get("type") == "subjectField" and text in ENTRY_TYPES:
                entry_type = text
            elif kind == "note" and child.getparent() is concept and text:
                note = text
            elif kind == "admin" and child.get("type") == "projectSubset" and text:
                strategy = text
            elif kind == "ref" and child.get("type") == "crossReference":
                short_of = child.get("target") or text or None
        sources: list[str] = []
        targets: dict[str, str] = {}
        variants: dict[str, list[str]] = {}
        for lang_set in _children(concept, "langSet", "langSec"):
            lang = lang_set.get(XML_LANG) or ""
            terms = _terms(lang_set)
            if lang == source_language:
                terms.sort(key=lambda t: t[1] != PREFERRED)
                sources.extend(t[0] for t in terms if t[1] != DEPRECATED)
            elif lang in TARGET_LANGUAGES:
                preferred = [t[0] for t in terms if t[1] != DEPRECATED]
                if preferred:
                    targets[lang] = preferred[0]
                wrong = [t[0] for t in terms if t[1] == DEPRECATED]
                if wrong:
                    variants[lang] = wrong
        if not sources or not targets:
            continue
        entry_id = concept.get("id") or _slug(sources[0])
        base, n = entry_id, 2
        while entry_id in used:
            entry_id, n = f"{base}-{n}", n + 1
        used.add(entry_id)
        entries.append(
            Entry(
                id=entry_id,
                type=entry_type,
                source=sources[0],
                targets=targets,
                aliases=sources[1:],
                variants=variants,
                note=note,
                short_form_of=short_of,
                strategy=strategy,
            )
        )
    return source_language, entries


# -- CSV / TSV ------------------------------------------------------------------


def export_table(glossary: Glossary, delimiter: str) -> bytes:
    langs = [lang for lang in TARGET_LANGUAGES if any(lang in e.targets for e in glossary.entries)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow([glossary.source_language, *langs])
    for entry in glossary.entries:
        for form in entry.source_forms:
            writer.writerow([form, *(entry.targets.get(lang, "") for lang in langs)])
    return buffer.getvalue().encode("utf-8")


def import_table(data: bytes, delimiter: str) -> tuple[str, list[Entry]]:
    """Entries from a CSV/TSV whose first row names the language of each column."""
    text = data.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
    if not rows:
        raise ValueError("line 1: empty file; the first row must list language codes (en,ja,ko)")
    header = [cell.strip() for cell in rows[0]]
    source_language = header[0]
    columns = {lang: i for i, lang in enumerate(header) if lang in TARGET_LANGUAGES and i > 0}
    if not columns:
        raise ValueError(
            f"line 1: header {','.join(header)} names no target language; "
            f"the first row must list codes like en,{','.join(TARGET_LANGUAGES)}"
        )
    entries: list[Entry] = []
    by_targets: dict[tuple[tuple[str, str], ...], Entry] = {}
    used: set[str] = set()
    for row in rows[1:]:
        source = row[0].strip() if row else ""
        targets = {
            lang: row[i].strip() for lang, i in columns.items() if i < len(row) and row[i].strip()
        }
        if not source or not targets:
            continue
        key = tuple(sorted(targets.items()))
        if key in by_targets:
            if source not in by_targets[key].source_forms:
                by_targets[key].aliases.append(source)
            continue
        entry_id, n = _slug(source), 2
        while entry_id in used:
            entry_id, n = f"{_slug(source)}-{n}", n + 1
        used.add(entry_id)
        entry = Entry(id=entry_id, type="term", source=source, targets=targets)
        by_targets[key] = entry
        entries.append(entry)
    return source_language, entries


# -- entry points -------------------------------------------------------------------

_DELIMITERS = {"csv": ",", "tsv": "\t"}


def export_glossary(glossary: Glossary, fmt: str) -> bytes:
    """Serialise a glossary as ``tbx``, ``csv`` or ``tsv``."""
    if fmt == "tbx":
        return export_tbx(glossary)
    if fmt in _DELIMITERS:
        return export_table(glossary, _DELIMITERS[fmt])
    raise ValueError(f"unknown format {fmt!r}; use tbx, csv or tsv")


def read_interchange(path: Path) -> tuple[str, list[Entry]]:
    """Entries from a TBX/CSV/TSV file, the format taken from the suffix."""
    suffix = path.suffix.lower().lstrip(".")
    data = path.read_bytes()
    try:
        if suffix in ("tbx", "xml"):
            return import_tbx(data)
        if suffix in _DELIMITERS:
            return import_table(data, _DELIMITERS[suffix])
    except ValueError as exc:
        raise ValueError(f"{path}:{exc}") from exc
    raise ValueError(f"{path}: unknown suffix {path.suffix!r}; use .tbx, .csv or .tsv")


def import_glossary(path: Path, output: Path) -> int:
    """Convert an interchange file to glossary YAML at ``output``; returns the entry count.

    The file is written even when validation finds problems (two rows giving one
    source form different targets, say), so the editor can fix it by line; the
    problems are then raised.
    """
    source_language, entries = read_interchange(path)
    text = entries_to_yaml(entries, source_language=source_language)
    write_text_atomic(output, text)
    parsed = parse_glossary_text(text)
    if parsed.problems:
        raise GlossaryError(output, parsed.problems)
    return len(entries)
