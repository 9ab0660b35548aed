"""Flags follow the text a reviewer settles on.

The pipeline flags the corrected text. Once a reviewer approves a text (their edit, or the
corrected text as it is), the glossary check and QA run again on that text: a flag the fix
resolves goes, one it causes appears, and the unresolved names are those the approved text
still lacks. Flags about the article rather than the text (mixed language, names spelled
differently across the run, low engine confidence) stay as they are.
"""

from __future__ import annotations

from dataclasses import replace

from l10n.correct.qa import check_translation
from l10n.glossary import ArticleNames, Glossary
from l10n.models import FlagCode, QAFlag, ReviewStatus, TranslatedArticle, Translation
from l10n.review.names import article_names, dropped_name_flags, name_forms

QA_FLAGS = frozenset(
    {
        FlagCode.UNTRANSLATED,
        FlagCode.EMPTY_OUTPUT,
        FlagCode.NUMBER_MISSING,
        FlagCode.REPETITION,
        FlagCode.LENGTH_RATIO,
        FlagCode.REVIEW_DROPPED_NAME,
    }
)
"""Flags computed from the text alone: always computed again."""

GLOSSARY_FLAGS = frozenset(
    {
        FlagCode.UNRESOLVED_TERM,
        FlagCode.AMBIGUOUS_SHORT_FORM,
        FlagCode.AMBIGUOUS_TARGET,
        FlagCode.LATIN_LEFTOVER,
        FlagCode.PLACEHOLDER_DUPLICATED,
        FlagCode.PLACEHOLDER_MANGLED,
        FlagCode.PLACEHOLDER_UNKNOWN,
    }
)
"""Flags the glossary check gives: computed again when the run's glossary loads."""


def recheck(
    translated: TranslatedArticle,
    translation: Translation,
    glossary: Glossary | None,
    names: ArticleNames | None = None,
) -> None:
    """Set the flags (and unresolved names) of ``translation`` for the text it publishes.

    Without the run's glossary the glossary's flags are kept as they were: unsure, flag.
    ``names`` is the article's glossary names (``glossary.plan_names``), computed once by a
    caller deciding many segments.
    """
    review = translation.review
    text = translation.reviewed
    if review is not None and review.status == ReviewStatus.NEEDS_RECHECK:
        text = translation.final
    segment = translated.plan.segments[translation.segment]
    source_lang = translated.plan.source_lang(segment)
    kept = [f for f in translation.flags if f.code not in QA_FLAGS]
    if translation.origin == "copy":
        translation.flags = kept
        return
    if glossary is not None and source_lang == glossary.source_language:
        kept = [f for f in kept if f.code not in GLOSSARY_FLAGS]
        result = glossary.enforce(
            translation.lang,
            segment.text,
            text,
            names=names if names is not None else glossary.plan_names(translated.plan),
            segment=segment.index,
        )
        kept += result.flags
        translation.unresolved = list(result.unresolved)
    flags: list[QAFlag] = kept
    flags += check_translation(segment.text, replace(translation, final=text), source_lang)
    if text != translation.final:
        entries = _entries(translated, segment.index, glossary, names)
        flags += dropped_name_flags(translation, text, name_forms(translation, entries, glossary))
    translation.flags = flags


def _entries(
    translated: TranslatedArticle,
    segment: int,
    glossary: Glossary | None,
    names: ArticleNames | None,
) -> list[str]:
    if glossary is not None:
        source = translated.plan.segments[segment].text
        return list(dict.fromkeys(m.entry_id for m in glossary.mentions(source, names)))
    return article_names(translated, None).entries(segment)
