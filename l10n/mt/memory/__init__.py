"""The translation memory: raw MT and approved translations in one database.

A re-run sends only new text to the engine: every segment's raw MT is stored under a key
made of its text and everything that could change the output (see
:func:`~l10n.mt.memory.records.translation_key`). Translations a reviewer approved are kept
apart and preferred over raw MT. SQLite (one file) by default; PostgreSQL by URL for a team.

    with open_memory("outputs/.l10n-tm.sqlite") as tm:
        hits = tm.lookup(texts, "en", "ja", fingerprint)   # {text: Hit(text, origin)}
        tm.record([MTEntry(text, "en", "ja", fingerprint, mt)])
"""

from __future__ import annotations

import os
from pathlib import Path

from l10n.mt.memory.base import TranslationMemory
from l10n.mt.memory.records import (
    Approval,
    EngineStats,
    Hit,
    MemoryLocationError,
    MemoryStats,
    MTEntry,
    Origin,
    PairStats,
    TranslationMemoryError,
    approval_key,
    translation_key,
)

FILE_NAME = ".l10n-tm.sqlite"
DEFAULT_LOCATION = f"outputs/{FILE_NAME}"
ACCEPTED_FORMS = (
    "a file path (outputs/.l10n-tm.sqlite), sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
)

__all__ = [
    "ACCEPTED_FORMS",
    "DEFAULT_LOCATION",
    "FILE_NAME",
    "Approval",
    "EngineStats",
    "Hit",
    "MTEntry",
    "MemoryLocationError",
    "MemoryStats",
    "Origin",
    "PairStats",
    "TranslationMemory",
    "TranslationMemoryError",
    "approval_key",
    "default_location",
    "open_memory",
    "translation_key",
]


def default_location(out: str | os.PathLike[str]) -> str:
    """Where a run's memory lives when none is named: a SQLite file in the output folder."""
    return str(Path(out) / FILE_NAME)


def open_memory(location: str | os.PathLike[str], *, create: bool = True) -> TranslationMemory:
    """Open (and with ``create``, make) the memory at ``location``.

    ``location`` is a file path or ``sqlite:///PATH`` (SQLite), or ``postgresql://…`` (a
    PostgreSQL server). Anything else raises :class:`MemoryLocationError` naming the forms.
    """
    text = os.fspath(location).strip()
    scheme, sep, rest = text.partition("://")
    if not text or text == ":memory:" or (sep and not rest):
        raise MemoryLocationError(
            f"translation memory location {text!r} is not usable — give {ACCEPTED_FORMS}"
        )
    if not sep:
        from l10n.mt.memory.sqlite import SQLiteMemory

        return SQLiteMemory(Path(text), create=create)
    scheme = scheme.lower()
    if scheme in {"postgresql", "postgres"}:
        from l10n.mt.memory.postgres import PostgresMemory

        return PostgresMemory(text, create=create)
    if scheme == "sqlite":
        from l10n.mt.memory.sqlite import SQLiteMemory

        return SQLiteMemory(Path(rest), create=create)
    raise MemoryLocationError(
        f"translation memory location {text!r}: '{scheme}://' is not a database l10n can use "
        f"— give {ACCEPTED_FORMS}"
    )
