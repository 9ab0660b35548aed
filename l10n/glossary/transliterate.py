"""Automatic guesses at how MT engines transliterate a name (filled in below)."""

from __future__ import annotations

from l10n.glossary.schema import Entry


def transliteration_candidates(entry: Entry, lang: str) -> list[str]:
    """Renderings an engine produces by sounding out the English spelling."""
    return []
