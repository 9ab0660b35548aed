"""The correction stage: glossary enforcement and QA on one article's raw MT."""

from __future__ import annotations

from l10n.correct.qa import check_translation
from l10n.glossary import Glossary
from l10n.models import Translation
from l10n.mt.translate import MachineTranslation, uses_glossary
from l10n.text.plan import ArticlePlan


def correct_article(
    plan: ArticlePlan,
    machine: dict[str, list[MachineTranslation]],
    glossary: Glossary,
) -> dict[str, list[Translation]]:
    """Per target language, one Translation per segment, in segment order.

    A copied target (the article is already in that language) is stored as is.
    """
    assert plan.language is not None
    corrected: dict[str, list[Translation]] = {}
    apply_glossary = uses_glossary(plan, glossary)
    names = glossary.article_names([s.text for s in plan.segments]) if apply_glossary else None
    for lang, rows in machine.items():
        out: list[Translation] = []
        for seg, row in zip(plan.segments, rows, strict=True):
            if plan.actions[lang] == "copy":
                out.append(Translation(seg.index, lang, row.mt, row.mt))
                continue
            translation = Translation(seg.index, lang, row.mt, row.mt)
            if apply_glossary:
                result = glossary.enforce(
                    lang,
                    seg.text,
                    row.mt,
                    names=names,
                    protection=row.protection,
                    segment=seg.index,
                )
                translation.final = result.text
                translation.changes = list(result.changes)
                translation.unresolved = list(result.unresolved)
                translation.flags = list(result.flags)
            translation.flags.extend(check_translation(seg.text, translation, plan.language.code))
            out.append(translation)
        corrected[lang] = out
    return corrected
