"""TMX 1.4b export and import of a translation memory, streamed both ways.

Export writes approved translations first, then raw MT; every ``<tu>`` says what it is in a
``x-l10n-origin`` property (``approved`` or ``mt``), raw MT also names its engine and carries
the engine fingerprint, so a re-import restores the same keys. Raw MT carries a note that it
is unreviewed, for CAT tools that show notes. Pseudo-localized output is never exported.

Import restores ``mt`` units as they were. A file can claim anything, so no unit becomes an
approved translation — the kind later runs use instead of MT — unless the import says so:
``as_approved=True`` with ``reviewer=`` naming who vouches for the file. Such approvals are
stored under that reviewer's name, with the run the file names or ``import:<file name>``;
other units claiming approval (and units from other tools, which say nothing of their
origin) are skipped and counted. Dates in the future are taken as now, so an imported
approval can't outlive every later decision. A unit whose text is not in the script of the
language it is labelled with (Japanese labelled ``ko``) is skipped, saying so, and so is a
unit holding an entity reference (``&name;``, declared in a DOCTYPE or not), which is never
expanded: storing the text without it would shorten a translation. A file that is
not well-formed XML imports nothing: it is checked whole before the first row is written.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from l10n.formats.tmx import (
    TOOL,
    TmxError,
    TmxHeader,
    TmxNote,
    TmxProp,
    TmxUnit,
    TmxVariant,
    check_tmx,
    read_tmx,
    tmx_document,
    unit_bytes,
)
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
from l10n.run.atomic import write_stream_atomic
from l10n.text.languages import is_valid_code, normalise_code, script_mismatch

MT_NOTE = "raw machine translation, not reviewed"
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
    """Write the memory (or one pair, or one origin) as TMX 1.4b to a path or binary file.

    A path is written atomically: a reader sees the old file or the whole new one.
    """
    result = ExportResult()

    def units() -> Iterator[bytes]:
        if "approved" in include:
            for approval in memory.iter_approved(source, target):
                result.approved += 1
                yield unit_bytes(_approved_unit(approval))
        if "mt" in include:
            for entry in memory.iter_mt(source, target):
                result.mt += 1
                yield unit_bytes(_mt_unit(entry))

    header = TmxHeader(srclang=source, o_tmf="l10n-tm", created=utc_now())
    chunks = tmx_document(header, units())
    if isinstance(dest, Path):
        write_stream_atomic(dest, chunks)
    else:
        for chunk in chunks:
            dest.write(chunk)
    return result


def import_tmx(
    memory: TranslationMemory,
    path: Path,
    *,
    reviewer: str | None = None,
    as_approved: bool = False,
) -> ImportResult:
    """Read a TMX file into the memory; see the module notes for what is imported as what."""
    _check(path)
    result = ImportResult()
    approvals: list[Approval] = []
    entries: list[MTEntry] = []
    voucher = " ".join((reviewer or "").split()) if as_approved else ""
    for line, item in _units(path, voucher):
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


def _approved_unit(a: Approval) -> TmxUnit:
    props = {
        "x-l10n-origin": "approved",
        "x-l10n-run": a.run_id,
        "x-l10n-article": a.article_id,
        "x-l10n-segment": None if a.segment is None else str(a.segment),
    }
    return TmxUnit(
        tuid=approval_key(a.source_text, a.source, a.target),
        srclang=a.source,
        created=a.approved_at,
        creationid=a.reviewer,
        changed=a.approved_at,
        meta=_props(props),
        variants=(TmxVariant(a.source, a.source_text), TmxVariant(a.target, a.target_text)),
    )


def _mt_unit(e: MTEntry) -> TmxUnit:
    fingerprint = dict(e.fingerprint)
    props = {
        "x-l10n-origin": "mt",
        "x-l10n-engine": e.engine,
        "x-l10n-fingerprint": json.dumps(fingerprint, ensure_ascii=False, sort_keys=True),
        "x-l10n-run": e.run_id,
        "x-l10n-pseudo": "true" if e.pseudo else None,
    }
    return TmxUnit(
        tuid=translation_key(e.source_text, e.source, e.target, fingerprint),
        srclang=e.source,
        created=e.created,
        creationtool=e.engine or TOOL,
        meta=(*_props(props), TmxNote(MT_NOTE)),
        variants=(TmxVariant(e.source, e.source_text), TmxVariant(e.target, e.mt)),
    )


def _props(props: dict[str, str | None]) -> tuple[TmxProp, ...]:
    return tuple(TmxProp(kind, value) for kind, value in props.items() if value is not None)


# -- import ---------------------------------------------------------------------------------


def _check(path: Path) -> None:
    try:
        check_tmx(path)
    except OSError as exc:
        raise TranslationMemoryError(f"{path}: cannot read the file ({exc})") from exc
    except TmxError as exc:
        if exc.message.startswith("not well-formed"):
            raise TranslationMemoryError(
                f"{path}:{exc.line}: {exc.message} — nothing was imported; fix the file and "
                "import it again"
            ) from exc
        raise TranslationMemoryError(f"{path}:{exc.line}: {exc.message} — give a TMX file") from exc


def _units(path: Path, voucher: str) -> Iterator[tuple[int, Approval | MTEntry | str]]:
    """Every (line, row to store or reason it is skipped) of the file, one ``<tu>`` at a time."""
    header_source: str | None = None
    now = utc_now()
    for item in read_tmx(path):
        if isinstance(item, TmxHeader):
            header_source = item.srclang
            continue
        for row in _read_tu(item, header_source, voucher, path.name, now):
            yield item.line or 0, row


def _read_tu(
    tu: TmxUnit, header_source: str | None, voucher: str, file_name: str, now: datetime
) -> Iterator[Approval | MTEntry | str]:
    declared = tu.srclang or header_source or ""
    if not declared or declared == "*all*" or not is_valid_code(declared):
        yield "no source language (srclang)"
        return
    source = normalise_code(declared)
    props = tu.props
    dropped = sorted({name for v in tu.variants for name in v.dropped_entities})
    if dropped:
        yield (
            f"entity reference {', '.join(dropped)} is not expanded, so the text would lose "
            "it — write the character or text itself in the file"
        )
        return
    variants = [(normalise_code(v.lang), v.text) for v in tu.variants if is_valid_code(v.lang)]
    source_text = next((text for lang, text in variants if lang == source), None)
    if not source_text:
        yield f"no {source} source text"
        return
    targets = {lang: text for lang, text in reversed(variants) if lang != source}
    if not targets:
        yield "no translation"
        return
    origin = props.get("x-l10n-origin")
    stamp = tu.changed or tu.created
    stamp = min(stamp, now) if stamp is not None else now  # never in the future
    wrong = script_mismatch(source_text, source)
    if wrong:
        yield f"{source} source: {wrong} — fix the file's language labels"
        return
    for target, text in targets.items():
        wrong = script_mismatch(text, target) if text else None
        if not text:
            yield f"empty {target} translation"
        elif wrong:
            yield f"{target} translation: {wrong} — fix the file's language labels"
        elif origin == "mt":
            yield _mt_entry(props, source_text, source, target, text, stamp)
        elif props.get("x-l10n-pseudo") == "true":  # a run's pseudo-localized unit
            yield f"{target}: pseudo-localized (x-l10n-pseudo), not a translation — not imported"
        elif origin in ("approved", None) and voucher:
            yield Approval(
                source_text,
                source,
                target,
                text,
                voucher,
                run_id=props.get("x-l10n-run") or f"import:{file_name}",
                article_id=props.get("x-l10n-article") or None,
                segment=_int_or_none(props.get("x-l10n-segment")),
                approved_at=stamp,
            )
        elif origin == "approved":
            yield (
                "marked approved, but a file can't vouch for itself: give --as-approved "
                "--reviewer NAME to import its approvals as yours"
            )
        elif origin is None:
            yield (
                "not written by l10n: give --as-approved --reviewer NAME to import such units "
                "as approved"
            )
        else:
            yield f"unknown x-l10n-origin {origin!r}"


def _mt_entry(
    props: dict[str, str],
    source_text: str,
    source: str,
    target: str,
    text: str,
    stamp: datetime | None,
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


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
