"""The correction stage: glossary enforcement and QA on one article's raw MT."""

from __future__ import annotations

from l10n.correct.qa import check_translation
from l10n.glossary import ArticleNames, Glossary
from l10n.models import (
    ArticlePlan,
    FlagCode,
    MachineTranslation,
    QAFlag,
    Segment,
    Severity,
    Translation,
)
from l10n.text.languages import label

MIXED_LANGUAGE = FlagCode.MIXED_LANGUAGE


def correct_article(
    plan: ArticlePlan,
    machine: dict[str, list[MachineTranslation]],
    glossary: Glossary,
) -> dict[str, list[Translation]]:
    """Per target language, one Translation per segment, in segment order.

    A segment already in the target language is stored as it is; a segment whose
    paragraph is in another language than the article is flagged ``mixed-language``.
    """
    assert plan.language is not None
    names = glossary.plan_names(plan)
    return {
        lang: [
            correct_segment(plan, seg, row, lang, glossary, names)
            for seg, row in zip(plan.segments, rows, strict=True)
        ]
        for lang, rows in machine.items()
    }


def correct_segment(
    plan: ArticlePlan,
    seg: Segment,
    row: MachineTranslation,
    lang: str,
    glossary: Glossary,
    names: ArticleNames,
) -> Translation:
    source_lang = plan.source_lang(seg)
    translation = Translation(
        seg.index,
        lang,
        row.mt,
        row.mt,
        origin=row.origin,
        protection=row.protection,
        provenance=row.provenance,
    )
    translation.score = row.score
    if row.low_confidence:
        translation.flags.append(QAFlag(FlagCode.LOW_CONFIDENCE, row.low_confidence))
    if seg.lang is not None:
        translation.flags.append(_mixed_language_flag(seg.lang, plan, lang))
    leftover = _possible_leftover(plan, seg)
    if leftover is not None:
        translation.flags.append(leftover)
    if row.suggestion:
        translation.flags.append(
            QAFlag(
                FlagCode.MEMORY_SUGGESTION,
                f"the memory has an approved translation from another article: {row.suggestion}"
                " — not applied; use it if it fits here",
                Severity.INFO,
            )
        )
    if row.origin == "copy":
        return translation
    if source_lang == glossary.source_language:
        result = glossary.enforce(
            lang, seg.text, row.mt, names=names, protection=row.protection, segment=seg.index
        )
        translation.final = result.text
        translation.changes = list(result.changes)
        translation.unresolved = list(result.unresolved)
        translation.flags.extend(result.flags)
    translation.flags.extend(check_translation(seg.text, translation, source_lang))
    return translation


def _possible_leftover(plan: ArticlePlan, seg: Segment) -> QAFlag | None:
    """``possible-leftover`` on a segment of a kept line a boilerplate phrase named."""
    if not plan.article.suspect_lines:
        return None
    text = " ".join(seg.text.split())
    for suspect in plan.article.suspect_lines:
        line = " ".join(suspect.text.split())
        if text and (text in line or line in text):
            kind = suspect.rule.split("/", 1)[0]
            return QAFlag(
                FlagCode.POSSIBLE_LEFTOVER,
                f"kept as story, but input line {suspect.line} reads like site {kind} text"
                f" ({suspect.rule}); delete it in review if it is not part of the story",
                Severity.WARNING,
            )
    return None


def _mixed_language_flag(own: str, plan: ArticlePlan, target: str) -> QAFlag:
    assert plan.language is not None
    how = "copied as it is" if own == target else f"translated from {label(own)}"
    return QAFlag(
        MIXED_LANGUAGE,
        f"this paragraph is {label(own)} in a {label(plan.language.code)} article; {how}",
        Severity.WARNING,
    )
