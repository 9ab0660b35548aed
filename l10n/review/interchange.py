"""XLIFF and TMX exports, so a run can continue in any CAT tool or feed a translation memory.

XLIFF 1.2 (one file per article and language) carries everything a post-editor needs: the
corrected text as the target, the raw MT as an ``alt-trans`` proposal and the glossary edits
and QA flags as notes. TMX 1.4b (one file per run) carries only the corrected pairs.
Pseudo-localized runs are marked in both, so their text never passes for a translation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from lxml import etree

from l10n.review.load import ArticleView, RunView, TargetView, load_article, load_run
from l10n.run.atomic import write_bytes_atomic

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "l10n"
PSEUDO_NOTE = "PSEUDO-LOCALIZED — not a translation"

# Characters XML 1.0 forbids; scraped text occasionally carries them.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_xliff(article_dir: Path) -> list[Path]:
    """Write ``<lang>.xlf`` (XLIFF 1.2) for every target language of the article."""
    article = load_article(article_dir)
    pseudo = bool(article.manifest.get("engine", {}).get("pseudo", False))
    written = []
    for lang in article.targets:
        path = article.dir / f"{lang}.xlf"
        write_bytes_atomic(path, _serialize(_xliff_tree(article, lang, pseudo)))
        written.append(path)
    return written


def write_tmx(run_dir: Path) -> Path:
    """Write ``RUN_DIR/translations.tmx`` (TMX 1.4b) with every corrected segment pair."""
    run = load_run(run_dir)
    path = run.dir / "translations.tmx"
    write_bytes_atomic(path, _serialize(_tmx_tree(run)))
    return path


def _clean(text: str) -> str:
    return _XML_INVALID_RE.sub("\ufffd", text)


def _tool_version() -> str:
    try:
        return version("l10n")
    except PackageNotFoundError:
        return "0"


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _x(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def _xliff_tree(article: ArticleView, lang: str, pseudo: bool) -> etree._Element:
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
        {"tool-id": TOOL, "tool-name": TOOL, "tool-version": _tool_version()},
    )
    title_note = etree.SubElement(header, _x("note"), {"from": TOOL})
    title_note.text = _clean(f"{article.title} ({article.manifest.get('input', '')})")
    if pseudo:
        etree.SubElement(header, _x("note"), {"from": TOOL, "priority": "1"}).text = PSEUDO_NOTE
    body = etree.SubElement(file_el, _x("body"))
    for segment in article.segments:
        view = segment.targets.get(lang)
        if view is None:
            continue
        unit = etree.SubElement(
            body,
            _x("trans-unit"),
            {
                "id": str(segment.index),
                "resname": "title" if segment.paragraph < 0 else f"p{segment.paragraph}",
                XML_SPACE: "preserve",
            },
        )
        etree.SubElement(unit, _x("source")).text = _clean(segment.source)
        target = etree.SubElement(unit, _x("target"), {"state": _state(view, pseudo)})
        target.text = _clean(view.final)
        for note in _notes(view):
            etree.SubElement(unit, _x("note"), {"from": note[0]}).text = _clean(note[1])
        alt = etree.SubElement(unit, _x("alt-trans"), {"origin": "l10n-mt"})
        etree.SubElement(alt, _x("target"), {XML_LANG: lang}).text = _clean(view.mt)
    return root


def _state(view: TargetView, pseudo: bool) -> str:
    if pseudo:
        return "needs-translation"
    if view.flags or view.unresolved:
        return "needs-review-translation"
    return "translated"


def _notes(view: TargetView) -> list[tuple[str, str]]:
    notes = [
        ("l10n-glossary", f"{c.entry_id}: {c.before} → {c.after} ({c.rule})") for c in view.changes
    ]
    notes += [("l10n-glossary", f"unresolved: {entry}") for entry in view.unresolved]
    notes += [("l10n-qa", f"{f.severity} {f.code}: {f.message}") for f in view.flags]
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


def _tmx_tree(run: RunView) -> etree._Element:
    languages = sorted({a.source_language for a in run.articles})
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": _tool_version(),
            "segtype": "sentence",
            "o-tmf": "l10n-run",
            "adminlang": "en",
            "srclang": languages[0] if len(languages) == 1 else "*all*",
            "datatype": "plaintext",
            "creationdate": _tmx_date(run.info.get("finished") or run.info.get("started")),
        },
    )
    etree.SubElement(header, "prop", type="x-l10n-run").text = _clean(run.run_id)
    if run.pseudo:
        etree.SubElement(header, "note").text = PSEUDO_NOTE
        etree.SubElement(header, "prop", type="x-l10n-pseudo").text = "true"
    body = etree.SubElement(root, "body")
    for article in run.articles:
        for segment in article.segments:
            for lang in run.targets:
                view = segment.targets.get(lang)
                if view is None or lang == article.source_language:
                    continue
                tu = etree.SubElement(
                    body,
                    "tu",
                    tuid=f"{article.id}:{segment.index}:{lang}",
                    srclang=article.source_language,
                )
                etree.SubElement(tu, "prop", type="x-l10n-article").text = _clean(article.id)
                etree.SubElement(tu, "prop", type="x-l10n-segment").text = str(segment.index)
                for code, text in ((article.source_language, segment.source), (lang, view.final)):
                    tuv = etree.SubElement(tu, "tuv", {XML_LANG: code})
                    etree.SubElement(tuv, "seg").text = _clean(text)
    return root
