"""Pseudo-localization: a stand-in engine that exercises the pipeline without a model.

Localization teams use it to see that every string flows through, that layouts
survive longer text and wider glyphs, and that placeholders come back intact.
Its output is *not* a translation and is labelled as such wherever it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from l10n.mt.engines.base import ModelInfo
from l10n.mt.engines.registry import Family, register
from l10n.text.placeholders import PLACEHOLDER_RE

PSEUDO_LABEL = "PSEUDO-LOCALIZED — not a translation"

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþʠŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Japanese and Korean text is set in full-width glyphs; widening the Latin
# letters shows how the layout copes with that.
_FULLWIDTH = str.maketrans(
    {chr(c): chr(c + 0xFEE0) for c in range(ord("!"), ord("~") + 1) if chr(c).isalpha()}
)
# Kept verbatim: placeholders, numbers (QA compares them) and URLs.
_VERBATIM = re.compile(PLACEHOLDER_RE.pattern + r"|\d[\d.,]*|https?://\S+")
_EXPANSION = 0.3
_PADDING = "·"


class PseudoEngine:
    """Deterministic pseudo-translation for any language pair."""

    name = "pseudo"
    is_pseudo = True
    carries_placeholders = True
    needs_model = False
    chunk_segments = None  # no model to spread the work of: one task per pair and window

    @property
    def options(self) -> dict[str, Any]:
        return {"expansion": _EXPANSION}

    @property
    def settings(self) -> dict[str, Any]:
        return {}

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return []

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "the pseudo engine renders every language pair"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return [pseudo_localize(text, target) for text in texts]


def pseudo_localize(text: str, target: str) -> str:
    """Accent (or widen, for ja/ko) every letter, pad by a third and bracket the result."""
    if not text.strip():
        return text
    table = _FULLWIDTH if target in {"ja", "ko", "zh"} else _ACCENTED
    pieces: list[str] = []
    last = 0
    for match in _VERBATIM.finditer(text):
        pieces.append(text[last : match.start()].translate(table))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(text[last:].translate(table))
    body = "".join(pieces)
    padding = _PADDING * max(1, round(len(text) * _EXPANSION / 3))
    return f"[{body} {padding}]"


def _build(settings: Mapping[str, Any]) -> PseudoEngine:
    return PseudoEngine()


FAMILY = register(
    Family(
        name="pseudo",
        build=_build,
        summary="pseudo-localization: exercises the pipeline, NOT a translation",
        needs_model=False,
    )
)
