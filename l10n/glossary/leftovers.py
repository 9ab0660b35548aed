"""Capitalised Latin words left in Japanese/Korean output, and what to tell the reviewer.

A leftover the glossary does not know is probably a name to add. One it does know was
left because the glossary could not place it here (a short form the article does not
tie to one person, a form the source sentence does not name): the flag says which.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from l10n.models import FlagCode, QAFlag

LATIN_ALLOWLIST = frozenset(
    {
        "AI", "APEC", "ASEAN", "AUKUS", "BBC", "BRICS", "CEO", "CNN", "COVID", "CPTPP", "DMZ",
        "EU", "EV", "FIFA", "GDP", "IAEA", "ICBM", "IMF", "IOC", "IPEF", "IT", "KOSPI", "LDP",
        "NATO", "NHK", "OECD", "OPEC", "QUAD", "Quad", "RCEP", "SNS", "THAAD", "TPP", "TSMC",
        "UK", "UN", "UNESCO", "US", "USA", "USD", "WHO", "WTO", "YTN", "KBS", "MBC", "SBS",
        "OK", "TV", "PM", "AM", "PC", "IC", "Mr", "Ms", "Dr",
    }
)  # fmt: skip
_LATIN_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]+(?:[-'][A-Za-z]+)*(?![A-Za-z0-9])")


def latin_leftover_flags(
    text: str, explain: Callable[[str], str | None] | None = None
) -> list[QAFlag]:
    """One flag per distinct capitalised Latin word in ``text`` (allow-listed acronyms aside).

    ``explain(word)`` says why a word the glossary knows was left; None for unknown words.
    """
    flags: list[QAFlag] = []
    seen: set[str] = set()
    for match in _LATIN_WORD_RE.finditer(text):
        word = match.group(0)
        if word in LATIN_ALLOWLIST or word in seen:
            continue
        seen.add(word)
        reason = explain(word) if explain else None
        if reason is None:
            message = f"untranslated Latin word {word!r}; add it to the glossary?"
        else:
            message = f"untranslated Latin word {word!r}: {reason}"
        flags.append(QAFlag(FlagCode.LATIN_LEFTOVER, message))
    return flags
