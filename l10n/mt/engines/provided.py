"""The ``provided`` engine: translations that came with the input instead of from a model.

An article whose input brought a translation of every segment (JSONL ``translations``, or
XLIFF targets; see docs/inputs-with-translations.md) is "translated" by this engine: it
answers each segment with the text the input gave for it. The glossary, QA, storage and
review then treat that text like any engine's raw output, and manifests, ``run.json``, the
report and the terminal name the engine ``provided``.

Its identity carries a checksum of the text it answers with, so a resumed run redoes an
article whose brought translation changed, and the run's memory never stores that text as
machine translation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from l10n.errors import L10nError
from l10n.models import Article
from l10n.mt.engines.base import ModelInfo
from l10n.mt.engines.registry import Family, register

PROVIDED = "provided"


class NotProvidedError(L10nError):
    """A text the input brought no translation for."""


class ProvidedEngine:
    """Answers with the translations an article's input brought, segment by segment."""

    name = PROVIDED
    is_pseudo = False
    carries_placeholders = False
    needs_model = False

    def __init__(self, article: Article | None = None) -> None:
        self._table: dict[tuple[str, str], str] = {}
        self._digest: str | None = None
        if article is not None:
            for unit in article.units:
                for lang, text in unit.translations.items():
                    self._table.setdefault((lang, unit.text), text)
            payload = [[u.paragraph, u.text, sorted(u.translations.items())] for u in article.units]
            encoded = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self._digest = hashlib.sha256(encoded).hexdigest()

    @property
    def options(self) -> dict[str, Any]:
        return {"sha256": self._digest} if self._digest else {}

    @property
    def settings(self) -> dict[str, Any]:
        return {}

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return []

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "the input brought no translation — add one to the input, or choose an engine"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        missing = [t for t in texts if (target, t) not in self._table]
        if missing:
            raise NotProvidedError(
                f"the input brought no {target} translation for {missing[0][:80]!r} — "
                "add it to the input, or translate the article with an engine"
            )
        return [self._table[(target, text)] for text in texts]


def _build(settings: Mapping[str, Any]) -> ProvidedEngine:
    return ProvidedEngine()


FAMILY = register(
    Family(
        name=PROVIDED,
        build=_build,
        summary="translations the input brought (JSONL translations, XLIFF targets)",
        selectable=False,
        needs_model=False,
    )
)
