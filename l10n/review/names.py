"""The glossary names of a stored article, for highlighting and for checking a reviewer's edit.

The run records which glossary it was corrected with (path and sha256). When that file still
loads, the source mentions come from the glossary itself (the same matcher the pipeline used);
otherwise they come from what the run stored: the source words of protected names. The target
forms a segment must keep are the forms the glossary wrote (its change log) and, with the
glossary, each mentioned entry's house form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.glossary import Glossary, GlossaryError, load_glossary
from l10n.models import FlagCode, QAFlag, Severity, TranslatedArticle, Translation
from l10n.paths import resolve_glossary

DROPPED_NAME = FlagCode.REVIEW_DROPPED_NAME
"""QA flag code of an approved edit that lost a glossary name the corrected text had."""

PARTICLE_RULES = frozenset({"ko-particle"})
"""Change rules that rewrite a particle after a name, not the name itself."""


@dataclass(frozen=True)
class RunGlossary:
    """The glossary a run was corrected with, or None and why highlighting is partial."""

    glossary: Glossary | None
    notice: str | None = None


@dataclass(frozen=True)
class Span:
    """A glossary name in a source segment: character offsets and the entry."""

    start: int
    end: int
    entry_id: str


@dataclass
class ArticleNames:
    """Per segment: the source spans to highlight and the entries the source mentions."""

    spans: dict[int, list[Span]] = field(default_factory=dict)

    def entries(self, segment: int) -> list[str]:
        return list(dict.fromkeys(span.entry_id for span in self.spans.get(segment, [])))


def load_run_glossary(info: Mapping[str, Any]) -> RunGlossary:
    """The glossary ``run.json`` names (``{"path": …, "sha256": …}``), if it still loads."""
    path = info.get("path")
    if not path:
        return RunGlossary(None, "the run names no glossary; names come from its stored changes")
    try:
        glossary = load_glossary(resolve_glossary(str(path)))
    except (GlossaryError, OSError) as exc:
        return RunGlossary(
            None,
            f"the run's glossary {path} can't be loaded ({type(exc).__name__}); names come "
            "from the stored changes only",
        )
    stored = info.get("sha256")
    if stored and stored != glossary.sha256:
        return RunGlossary(
            glossary,
            f"{path} changed since the run; names are highlighted as the current file has them",
        )
    return RunGlossary(glossary)


def article_names(translated: TranslatedArticle, glossary: Glossary | None) -> ArticleNames:
    """Where each source segment names a glossary entry."""
    plan = translated.plan
    out = ArticleNames()
    if glossary is not None:
        names = glossary.plan_names(plan)
        for segment in plan.segments:
            if plan.source_lang(segment) != glossary.source_language:
                continue
            spans = [
                Span(m.start, m.end, m.entry_id) for m in glossary.mentions(segment.text, names)
            ]
            if spans:
                out.spans[segment.index] = spans
        return out
    for segment in plan.segments:
        surfaces: dict[str, str] = {}
        for rows in translated.translations.values():
            protection = rows[segment.index].protection
            for slot in protection.slots if protection else []:
                surfaces.setdefault(slot.surface, slot.entry_id)
        spans = _find_all(segment.text, surfaces)
        if spans:
            out.spans[segment.index] = spans
    return out


def _find_all(text: str, surfaces: dict[str, str]) -> list[Span]:
    """Non-overlapping occurrences of the surfaces, longest first where they overlap."""
    found: list[Span] = []
    for surface in sorted(surfaces, key=len, reverse=True):
        if not surface:
            continue
        start = text.find(surface)
        while start != -1:
            end = start + len(surface)
            if all(end <= s.start or start >= s.end for s in found):
                found.append(Span(start, end, surfaces[surface]))
            start = text.find(surface, end)
    return sorted(found, key=lambda s: s.start)


def name_forms(
    translation: Translation, entries: list[str], glossary: Glossary | None
) -> dict[str, set[str]]:
    """Per glossary entry: the target forms the corrected text of ``translation`` should keep."""
    forms: dict[str, set[str]] = {}
    for change in translation.changes:
        if change.after and change.rule not in PARTICLE_RULES:
            forms.setdefault(change.entry_id, set()).add(change.after)
    if glossary is not None:
        for entry_id in entries:
            entry = glossary.by_id.get(entry_id)
            form = entry.targets.get(translation.lang) if entry else None
            if form:
                forms.setdefault(entry_id, set()).add(form)
    return forms


def dropped_name_flags(
    translation: Translation, text: str, forms: Mapping[str, set[str]]
) -> list[QAFlag]:
    """A flag per name form the corrected text has more often than ``text`` (one per form,
    however many entries share it)."""
    lost: dict[str, list[str]] = {}
    for entry_id, entry_forms in sorted(forms.items()):
        for form in entry_forms:
            if translation.final.count(form) > text.count(form):
                lost.setdefault(form, []).append(entry_id)
    return [
        QAFlag(
            DROPPED_NAME,
            f"the edit dropped {form!r} ({', '.join(ids)}), which the glossary-corrected text "
            "had — check the name is still right",
            Severity.WARNING,
            ids[0],
        )
        for form, ids in sorted(lost.items())
    ]
