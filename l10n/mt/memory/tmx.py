"""TMX 1.4b export and import of a translation memory, streamed both ways.

Export writes approved translations first, then raw MT; every ``<tu>`` says what it is in a
``x-l10n-origin`` property (``approved`` or ``mt``), raw MT also names its engine and carries
the engine fingerprint, so a re-import restores the same keys. Raw MT carries a note that it
is unreviewed, for CAT tools that show notes. Pseudo-localized output is never exported.

Import restores ``approved`` and ``mt`` units as they were. Units from other tools say
nothing of their origin: they are imported as approved only when a reviewer vouches for them
(``reviewer=``), otherwise skipped and counted. A file that is not well-formed XML imports
nothing: it is checked whole before the first row is written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from lxml import etree

from l10n import installed_version
from l10n.formats.xml import xml_safe
from l10n.mt.memory.base import TranslationMemory
from l10n.mt.memory.records import (
    Approval,
    MTEntry,
    Origin,
    TranslationMemoryError,
    approval_key,
    translation_key,
    utc_now,
)
from l10n.text.languages import is_valid_code, normalise_code

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOOL = "l10n"
MT_NOTE = "raw machine translation, not reviewed"
# Characters XML 1.0 forbids; scraped text occasionally carries them.
_BATCH = 2000
_PROBLEMS_KEPT = 20


@dataclass
class ExportResult:
    approved: int = 0
    mt: int = 0


@dataclass
class ImportResult:
    approved: int = 0
    mt: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # "FILE:LINE: reason" for the first few skipped units.
    problems: list[str] = field(default_factory=list)


def export_tmx(
    memory: TranslationMemory,
    dest: Path | IO[bytes],
    *,
    source: str | None = None,
    target: str | None = None,
    include: Collection[Origin] = ("approved", "mt"),
) -> ExportResult:
    """Write the memory (or one pair, or one origin) as TMX 1.4b to a path or binary file."""
    if isinstance(dest, Path):
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                result = export_tmx(memory, handle, source=source, target=target, include=include)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return result

    result = ExportResult()
    with etree.xmlfile(dest, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(_header(source), pretty_print=True)
            with xf.element("body"):
                xf.write("\n")
                if "approved" in include:
                    for approval in memory.iter_approved(source, target):
                        xf.write(_approved_tu(approval), pretty_print=True)
                        result.approved += 1
                if "mt" in include:
                    for entry in memory.iter_mt(source, target):
                        xf.write(_mt_tu(entry), pretty_print=True)
                        result.mt += 1
            xf.write("\n")
    return result


def import_tmx(
    memory: TranslationMemory, path: Path, *, reviewer: str | None = None
) -> ImportResult:
    """Read a TMX file into the memory; see the module notes for what is imported as what."""
    _check_well_formed(path)
    result = ImportResult()
    approvals: list[Approval] = []
    entries: list[MTEntry] = []
    for line, item in _units(path, reviewer):
        if isinstance(item, str):
            result.skipped[item] += 1
            if len(result.problems) < _PROBLEMS_KEPT:
                result.problems.append(f"{path}:{line}: {item}")
        elif isinstance(item, Approval):
            approvals.append(item)
        else:
            entries.append(item)
        if len(approvals) >= _BATCH:
            result.approved += memory.approve(approvals)
            approvals.clear()
        if len(entries) >= _BATCH:
            result.mt += memory.record(entries)
            entries.clear()
    result.approved += memory.approve(approvals)
    result.mt += memory.record(entries)
    return result


# -- export ---------------------------------------------------------------------------------


def tmx_date(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _header(source: str | None) -> etree._Element:
    return etree.Element(
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": installed_version() or "0",
            "segtype": "sentence",
            "o-tmf": "l10n-tm",
            "adminlang": "en",
            "srclang": source or "*all*",
            "datatype": "plaintext",
            "creationdate": tmx_date(utc_now()),
        },
    )


def _tu(
    tuid: str, source: str, stamp: datetime, props: dict[str, str | None], **attrs: str
) -> etree._Element:
    tu = etree.Element("tu", {"tuid": tuid, "srclang": source, "creationdate": tmx_date(stamp)})
    for name, value in attrs.items():
        tu.set(name, xml_safe(value))
    for kind, value in props.items():
        if value is not None:
            etree.SubElement(tu, "prop", type=kind).text = xml_safe(value)
    return tu


def _tuvs(tu: etree._Element, pairs: tuple[tuple[str, str], ...]) -> etree._Element:
    for lang, text in pairs:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = xml_safe(text)
    return tu


def _approved_tu(a: Approval) -> etree._Element:
    props = {
        "x-l10n-origin": "approved",
        "x-l10n-run": a.run_id,
        "x-l10n-article": a.article_id,
        "x-l10n-segment": None if a.segment is None else str(a.segment),
    }
    tu = _tu(
        approval_key(a.source_text, a.source, a.target),
        a.source,
        a.approved_at,
        props,
        creationid=a.reviewer,
        changedate=tmx_date(a.approved_at),
    )
    return _tuvs(tu, ((a.source, a.source_text), (a.target, a.target_text)))


def _mt_tu(e: MTEntry) -> etree._Element:
    fingerprint = dict(e.fingerprint)
    props = {
        "x-l10n-origin": "mt",
        "x-l10n-engine": e.engine,
        "x-l10n-fingerprint": json.dumps(fingerprint, ensure_ascii=False, sort_keys=True),
        "x-l10n-run": e.run_id,
        "x-l10n-pseudo": "true" if e.pseudo else None,
    }
    key = translation_key(e.source_text, e.source, e.target, fingerprint)
    tu = _tu(key, e.source, e.created, props, creationtool=e.engine or TOOL)
    etree.SubElement(tu, "note").text = MT_NOTE
    return _tuvs(tu, ((e.source, e.source_text), (e.target, e.mt)))


# -- import ---------------------------------------------------------------------------------


def _parser_args() -> dict[str, Any]:
    # Hostile files: no entity expansion, no network, no DTD.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False}


def _check_well_formed(path: Path) -> None:
    try:
        root_seen = False
        for event, element in etree.iterparse(str(path), events=("start", "end"), **_parser_args()):
            if event == "start" and not root_seen:
                root_seen = True
                if etree.QName(element).localname != "tmx":
                    raise TranslationMemoryError(
                        f"{path}:{element.sourceline}: the root element is "
                        f"<{etree.QName(element).localname}>, not <tmx> — give a TMX file"
                    )
            elif event == "end":
                element.clear()
    except OSError as exc:
        raise TranslationMemoryError(f"{path}: cannot read the file ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise TranslationMemoryError(
            f"{path}:{line}: not well-formed XML ({exc.msg}) — nothing was imported; fix the "
            "file and import it again"
        ) from exc


def _units(path: Path, reviewer: str | None) -> Iterator[tuple[int, Approval | MTEntry | str]]:
    """Every (line, row to store or reason it is skipped) of the file, one ``<tu>`` at a time."""
    header_source: str | None = None
    for _, element in etree.iterparse(
        str(path), events=("end",), tag=("header", "tu"), **_parser_args()
    ):
        if element.tag == "header":
            header_source = element.get("srclang")
            continue
        line = element.sourceline or 0
        for item in _read_tu(element, header_source, reviewer):
            yield line, item
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _read_tu(
    tu: etree._Element, header_source: str | None, reviewer: str | None
) -> Iterator[Approval | MTEntry | str]:
    declared = tu.get("srclang") or header_source or ""
    if not declared or declared == "*all*" or not is_valid_code(declared):
        yield "no source language (srclang)"
        return
    source = normalise_code(declared)
    props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
    variants: list[tuple[str, str]] = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        seg = tuv.find("seg")
        if is_valid_code(lang) and seg is not None:
            variants.append((normalise_code(lang), _seg_text(seg)))
    source_text = next((text for lang, text in variants if lang == source), None)
    if not source_text:
        yield f"no {source} source text"
        return
    targets = {lang: text for lang, text in reversed(variants) if lang != source}
    if not targets:
        yield "no translation"
        return
    origin = props.get("x-l10n-origin")
    stamp = _parse_date(tu.get("changedate") or tu.get("creationdate"))
    for target, text in targets.items():
        if not text:
            yield f"empty {target} translation"
        elif origin == "mt":
            yield _mt_entry(props, source_text, source, target, text, stamp)
        elif origin == "approved" or (origin is None and reviewer):
            who = (tu.get("creationid") if origin == "approved" else None) or reviewer
            if not who:
                yield "approved translation without a reviewer (creationid); give --reviewer"
                continue
            yield Approval(
                source_text,
                source,
                target,
                text,
                who,
                run_id=props.get("x-l10n-run") or None,
                article_id=props.get("x-l10n-article") or None,
                segment=_int_or_none(props.get("x-l10n-segment")),
                approved_at=stamp or utc_now(),
            )
        elif origin is None:
            yield "not written by l10n: give --reviewer NAME to import such units as approved"
        else:
            yield f"unknown x-l10n-origin {origin!r}"


def _mt_entry(
    props: dict[str, str], source_text: str, source: str, target: str, text: str, stamp: Any
) -> MTEntry | str:
    try:
        fingerprint = json.loads(props.get("x-l10n-fingerprint") or "")
    except ValueError:
        fingerprint = None
    if not isinstance(fingerprint, dict):
        return "raw MT without a readable engine fingerprint (x-l10n-fingerprint)"
    return MTEntry(
        source_text,
        source,
        target,
        fingerprint,
        text,
        run_id=props.get("x-l10n-run") or None,
        pseudo=props.get("x-l10n-pseudo") == "true",
        created=stamp or utc_now(),
    )


def _seg_text(seg: etree._Element) -> str:
    """The text of a ``<seg>``: inline codes (bpt, ept, ph, it, ut) dropped, ``<hi>`` kept.

    Comments and unexpanded entity references are dropped too.
    """
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child.tag, str) and etree.QName(child).localname == "hi":
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
