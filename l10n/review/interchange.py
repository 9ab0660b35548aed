"""XLIFF and TMX exports, so a run can continue in any CAT tool or feed a translation memory.

XLIFF 1.2 (one file per article and language) carries everything a post-editor needs: the
corrected text (or the text a reviewer approved) as the target, the raw MT as an ``alt-trans``
proposal and the glossary edits, QA flags and review decisions as notes. Target states follow
the review: approved → ``signed-off`` (and ``approved="yes"``), rejected →
``needs-review-translation``; so a file exported after review and imported again changes nothing.
TMX 1.4b (one file per run) carries the corrected pairs (the reviewed text where approved); it is
written as a stream of per-article fragments, so a run of any size builds it in flat memory.
Pseudo-localized runs are marked in both, so their text never passes for a translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from lxml import etree

from l10n import installed_version
from l10n.formats.xml import xml_safe
from l10n.models import TranslatedArticle, Translation
from l10n.run import layout

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "l10n"
PSEUDO_NOTE = "PSEUDO-LOCALIZED — not a translation"
_BODY_SLOT = "\nl10n-units\n"

# Characters XML 1.0 forbids; scraped text occasionally carries them.


def render_xliff(translated: TranslatedArticle, pseudo: bool) -> dict[str, bytes]:
    """``<lang>.xlf`` (XLIFF 1.2) for every target language of the article."""
    return {
        layout.xliff_file(lang): _serialize(_xliff_tree(translated, lang, pseudo))
        for lang in translated.translations
    }


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _x(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def _xliff_tree(article: TranslatedArticle, lang: str, pseudo: bool) -> etree._Element:
    root = etree.Element(_x("xliff"), nsmap={None: XLIFF_NS}, version="1.2")
    file_el = etree.SubElement(
        root,
        _x("file"),
        {
            "original": f"{article.id}/source.txt",
            "source-language": article.source_language,
            "target-language": lang,
            "datatype": "plaintext",
            "tool-id": TOOL,
        },
    )
    header = etree.SubElement(file_el, _x("header"))
    etree.SubElement(
        header,
        _x("tool"),
        {"tool-id": TOOL, "tool-name": TOOL, "tool-version": installed_version() or "0"},
    )
    title_note = etree.SubElement(header, _x("note"), {"from": TOOL})
    title_note.text = xml_safe(f"{article.article.title} ({article.article.input_path})")
    if pseudo:
        etree.SubElement(header, _x("note"), {"from": TOOL, "priority": "1"}).text = PSEUDO_NOTE
    body = etree.SubElement(file_el, _x("body"))
    for segment, view in zip(article.plan.segments, article.translations[lang], strict=True):
        attributes = {
            "id": str(segment.index),
            "resname": "title" if segment.paragraph < 0 else f"p{segment.paragraph}",
            XML_SPACE: "preserve",
        }
        if is_signed_off(view, pseudo):
            attributes["approved"] = "yes"
        unit = etree.SubElement(body, _x("trans-unit"), attributes)
        etree.SubElement(unit, _x("source")).text = xml_safe(segment.text)
        target = etree.SubElement(unit, _x("target"), {"state": xliff_state(view, pseudo)})
        target.text = xml_safe(xliff_target(view))
        for note in _notes(view):
            etree.SubElement(unit, _x("note"), {"from": note[0]}).text = xml_safe(note[1])
        alt = etree.SubElement(unit, _x("alt-trans"), {"origin": "l10n-mt"})
        etree.SubElement(alt, _x("target"), {XML_LANG: lang}).text = xml_safe(view.mt)
        if xliff_target(view) != view.final:
            alt = etree.SubElement(unit, _x("alt-trans"), {"origin": "l10n-glossary"})
            etree.SubElement(alt, _x("target"), {XML_LANG: lang}).text = xml_safe(view.final)
    return root


def xliff_target(view: Translation) -> str:
    """The target text an exported unit carries: the approved review's, else the corrected."""
    return view.reviewed


def is_signed_off(view: Translation, pseudo: bool) -> bool:
    return not pseudo and view.review is not None and view.review.status == "approved"


def xliff_state(view: Translation, pseudo: bool) -> str:
    """The XLIFF 1.2 ``state`` of a segment's target, from its review and its flags."""
    if pseudo:
        return "needs-translation"
    if view.review is not None:
        return "signed-off" if view.review.status == "approved" else "needs-review-translation"
    if view.flags or view.unresolved:
        return "needs-review-translation"
    return "translated"


def _notes(view: Translation) -> list[tuple[str, str]]:
    notes = [
        ("l10n-glossary", f"{c.entry_id}: {c.before} → {c.after} ({c.rule})") for c in view.changes
    ]
    notes += [("l10n-glossary", f"unresolved: {entry}") for entry in view.unresolved]
    notes += [("l10n-qa", f"{f.severity} {f.code}: {f.message}") for f in view.flags]
    if view.review is not None:
        review = view.review
        line = f"{review.status} by {review.reviewer} at {review.time} ({review.origin})"
        notes.append(("l10n-review", f"{line}: {review.comment}" if review.comment else line))
    return notes


def _tmx_date(stamp: object) -> str:
    """TMX dates are ``YYYYMMDDThhmmssZ``; the run's own timestamp keeps output reproducible."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def tmx_units(translated: TranslatedArticle) -> bytes:
    """The ``<tu>`` elements of one article's corrected pairs (copied segments left out)."""
    parts = []
    for segment in translated.plan.segments:
        for lang, rows in translated.translations.items():
            view = rows[segment.index]
            if view.origin == "copy":
                continue
            source_lang = translated.plan.source_lang(segment)
            tu = etree.Element(
                "tu", tuid=f"{translated.id}:{segment.index}:{lang}", srclang=source_lang
            )
            etree.SubElement(tu, "prop", type="x-l10n-article").text = xml_safe(translated.id)
            etree.SubElement(tu, "prop", type="x-l10n-segment").text = str(segment.index)
            for code, text in ((source_lang, segment.text), (lang, view.reviewed)):
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: code})
                etree.SubElement(tuv, "seg").text = xml_safe(text)
            parts.append(etree.tostring(tu, encoding="UTF-8", pretty_print=True))
    return b"".join(parts)


def tmx_document(
    run_id: str,
    stamp: str | None,
    source_languages: Iterable[str],
    pseudo: bool,
    units: Iterable[bytes],
) -> Iterable[bytes]:
    """A whole TMX 1.4b file, in pieces: header, the given ``<tu>`` fragments, footer."""
    languages = sorted(set(source_languages))
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": installed_version() or "0",
            "segtype": "sentence",
            "o-tmf": "l10n-run",
            "adminlang": "en",
            "srclang": languages[0] if len(languages) == 1 else "*all*",
            "datatype": "plaintext",
            "creationdate": _tmx_date(stamp),
        },
    )
    etree.SubElement(header, "prop", type="x-l10n-run").text = xml_safe(run_id)
    if pseudo:
        etree.SubElement(header, "note").text = PSEUDO_NOTE
        etree.SubElement(header, "prop", type="x-l10n-pseudo").text = "true"
    etree.SubElement(root, "body").text = _BODY_SLOT
    head, tail = _serialize(root).split(_BODY_SLOT.encode(), 1)
    yield head
    yield from units
    yield tail
