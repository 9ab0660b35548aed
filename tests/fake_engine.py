"""A deterministic stand-in for an MT engine, for tests of pipeline logic.

It "translates" by swapping a few English names for the wrong renderings real
engines produce, so the glossary has something to correct, and it records every
call so tests can see how the pipeline batched its work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from l10n.mt.engines.base import ModelInfo

WRONG_JA = {
    "Sanae Takaichi": "タカイチ・サナエ",
    "Lee Jae Myung": "イ・ジェミョン",
    "Nara": "ナラ",
    "Tokyo": "トーキョー",
    "Seoul": "ソウル",
}
WRONG_KO = {
    "Sanae Takaichi": "타카이치 사나에",
    "Lee Jae Myung": "이재명",
    "Nara": "내량",
    "Tokyo": "동경",
    "Seoul": "서울",
}


class FakeEngine:
    name = "fake"
    is_pseudo = False
    carries_placeholders = False
    needs_model = False
    options: ClassVar[dict] = {}
    settings: ClassVar[dict] = {}

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[str]]] = []

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [ModelInfo(f"fake-{source}_{target}", "1", None, source, target)]

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "the fake engine translates every pair"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        self.calls.append((source, target, list(texts)))
        table = WRONG_JA if target == "ja" else WRONG_KO
        out = []
        for text in texts:
            for name, wrong in table.items():
                text = text.replace(name, wrong)
            out.append(f"〔{target}〕{text}")
        return out
