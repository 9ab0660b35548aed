"""``to_jsonable`` gives what the ``asdict``-based conversion gave, for every record shape
the stored files hold (nested dataclasses, enums, lists, tuples, dicts, None)."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import Enum
from typing import Any

from l10n.models import (
    Action,
    ArticleOutcome,
    FlagCode,
    GlossaryChange,
    LanguageGuess,
    Protection,
    QAFlag,
    ReviewCounts,
    Severity,
    Slot,
    Status,
    TargetSummary,
    to_jsonable,
)


def reference(value: Any) -> Any:
    """The conversion as it was: ``asdict`` first, then the same walk."""
    if hasattr(value, "__dataclass_fields__"):
        return reference(asdict(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [reference(v) for v in value]
    if isinstance(value, dict):
        return {reference(k): reference(v) for k, v in value.items()}
    return value


def test_records_convert_as_asdict_did_to_the_byte():
    summary = TargetSummary(
        action=Action.TRANSLATE,
        mt_file="ja.mt.txt",
        file="ja.txt",
        changes=2,
        unresolved=["kim"],
        flags=1,
        flag_codes={"number-missing": 1},
        reviews=ReviewCounts(1, 0, 3, 0),
    )
    values = [
        [
            QAFlag(FlagCode.UNRESOLVED_TERM, "x", Severity.ERROR, "kim"),
            QAFlag(FlagCode.REPETITION, "y"),
        ],
        [GlossaryChange(3, "lee", "イ", "李", 0, 1, "variant")],
        Protection("⟦1⟧ met", [Slot(1, "kim", "Kim"), Slot(2, "lee", "Lee")]),
        (Slot(1, "a", "A"), {"k": [Status.DONE, None, 1.5]}),
        ArticleOutcome(
            "story-1",
            "in.jsonl",
            Status.DONE,
            title="Talks",
            source_language=LanguageGuess("en", 0.99),
            targets={"ja": summary},
            segments=30,
            engine="pseudo",
        ),
        ArticleOutcome("story-2", "in.jsonl", Status.FAILED, reason="boom"),
    ]
    for value in values:
        converted = to_jsonable(value)
        assert converted == reference(value)
        assert json.dumps(converted, ensure_ascii=False) == json.dumps(
            reference(value), ensure_ascii=False
        )
