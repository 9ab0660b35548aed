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
from l10n.run.storage import is_remote, local_path

FILE_NAME = ".l10n-tm.sqlite"
ENV_VAR = "L10N_TM"
ACCEPTED_FORMS = (
    "a file path (outputs/.l10n-tm.sqlite), sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
)

__all__ = [
    "ACCEPTED_FORMS",
    "ENV_VAR",
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
    "open_memory",
    "tm_location",
    "translation_key",
]


def tm_location(out: str | os.PathLike[str], given: str | None = None) -> str:
    """Where the translation memory of runs in ``out`` lives: the one rule every command uses.

    ``given`` (``--tm``) if any, else ``$L10N_TM``, else ``OUT/.l10n-tm.sqlite`` for a local
    OUT, else — for OUT on shared storage (``s3://`` …), where SQLite can't live —
    ``$XDG_DATA_HOME/l10n/tm.sqlite`` (``~/.local/share/l10n/tm.sqlite``). Reviewing a run
    with the same settings as translating it reaches the memory its translations went to.
    """
    for chosen in (given, os.environ.get(ENV_VAR)):
        if chosen and chosen.strip():
            return chosen.strip()
    location = os.fspath(out)
    if is_remote(location):
        data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return str(Path(data) / "l10n" / "tm.sqlite")
    return str(local_path(location) / FILE_NAME)


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
