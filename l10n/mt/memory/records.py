"""What a translation memory holds, and the keys it finds them by.

Raw MT is keyed by :func:`translation_key`: the segment text together with everything that
could change the engine's output (engine, model packages and their checksums, options,
language pair). Approved human translations are keyed by text and language pair only, since
a reviewer's translation does not depend on the engine that proposed it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from l10n.errors import L10nError, UsageError

Origin = Literal["approved", "mt"]


class TranslationMemoryError(L10nError):
    """The memory cannot be opened, read or written; the message names where it is."""


class MemoryLocationError(TranslationMemoryError, UsageError):
    """A location that names no usable database (exit status 2, a usage error)."""


def translation_key(text: str, source: str, target: str, engine_fingerprint: dict[str, Any]) -> str:
    """The key of one segment's raw MT (unchanged since the per-file cache, so keys stay stable).

    Lone surrogates, which scraped text can carry and UTF-8 cannot, are hashed as they are.
    """
    payload = json.dumps(
        [text, source, target, engine_fingerprint], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def approval_key(text: str, source: str, target: str) -> str:
    """The key of an approved translation: text and language pair, no engine."""
    payload = json.dumps(["approved", text, source, target], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


# The C string encoder json.dumps(..., ensure_ascii=False) uses for every string.
_quote = json.encoder.encode_basestring


def translation_keys(
    texts: Iterable[str], source: str, target: str, engine_fingerprint: Mapping[str, Any]
) -> list[str]:
    """``translation_key`` of many texts of one pair and engine, byte for byte, ~4x faster.

    The JSON of the pair and fingerprint is made once instead of once per text.
    """
    tail = f", {_quote(source)}, {_quote(target)}, {fingerprint_json(engine_fingerprint)}]"
    sha = hashlib.sha256
    return [
        sha(f"[{_quote(text)}{tail}".encode("utf-8", "surrogatepass")).hexdigest() for text in texts
    ]


def approval_keys(texts: Iterable[str], source: str, target: str) -> list[str]:
    """``approval_key`` of many texts of one pair, byte for byte."""
    tail = f", {_quote(source)}, {_quote(target)}]"
    sha = hashlib.sha256
    return [
        sha(f'["approved", {_quote(text)}{tail}'.encode("utf-8", "surrogatepass")).hexdigest()
        for text in texts
    ]


def fingerprint_json(fingerprint: Mapping[str, Any]) -> str:
    """The canonical text of an engine fingerprint, as stored and exported."""
    return json.dumps(fingerprint, ensure_ascii=False, sort_keys=True)


def fingerprint_id(fingerprint: Mapping[str, Any]) -> str:
    """A short stable name for an engine fingerprint (sha256 of its canonical JSON)."""
    return hashlib.sha256(fingerprint_json(fingerprint).encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


class Hit(NamedTuple):
    """What the memory knows for one text: the translation and where it came from.

    A named tuple: a lookup makes one per segment, tens of thousands per run.
    """

    text: str
    origin: Origin
    score: float | None = None


@dataclass(frozen=True, slots=True)
class MTEntry:
    """One segment's raw engine output, as the translate stage records it."""

    source_text: str
    source: str
    target: str
    fingerprint: Mapping[str, Any]
    mt: str
    run_id: str | None = None
    pseudo: bool = False
    created: datetime = field(default_factory=utc_now)
    score: float | None = None

    @property
    def engine(self) -> str:
        # The fingerprint is an EngineIdentity's JSON ("name"); "engine" in older records.
        return str(self.fingerprint.get("name") or self.fingerprint.get("engine") or "")


@dataclass(frozen=True, slots=True)
class Approval:
    """A translation a reviewer approved; preferred over raw MT for the same text and pair."""

    source_text: str
    source: str
    target: str
    target_text: str
    reviewer: str
    run_id: str | None = None
    article_id: str | None = None
    segment: int | None = None
    approved_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class PairStats:
    source: str
    target: str
    mt: int
    approved: int


@dataclass(frozen=True, slots=True)
class EngineStats:
    engine: str
    fingerprint_id: str
    pseudo: bool
    segments: int


@dataclass(frozen=True)
class MemoryStats:
    """Counts for ``l10n tm stats``."""

    location: str
    backend: str
    mt: int
    approved: int
    pairs: list[PairStats]
    engines: list[EngineStats]
    size_bytes: int | None
