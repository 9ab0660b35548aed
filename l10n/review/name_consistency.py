"""The run-level names pass: one rendering per name across a stored run.

After a run's articles are stored (and after ``glossary reapply``), every article is read
once: the names of its source are found, unlisted variants of glossary names corrected or
flagged (:mod:`l10n.names.variants`), and each name's rendering located in every target
language. Renderings are then compared across the run, and the segments whose rendering
differs from the usual (or reviewer-approved) one get ``name-inconsistent``. Only the
articles whose flags or text change are written again. Pseudo-localised targets and
copied segments are left out: they render no name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from l10n.glossary import Glossary
from l10n.models import (
    ArticleOutcome,
    FlagCode,
    Origin,
    QAFlag,
    ReviewStatus,
    Severity,
    Status,
    TranslatedArticle,
    Translation,
)
from l10n.names.consistency import Deviation, NameIndex, Occurrence
from l10n.names.finder import NameMention, SourceNames, find_cjk, find_english
from l10n.names.locate import Rendering, locate
from l10n.names.variants import fix_variants, whole_rendering
from l10n.review.files import TmxSpool, store_rewritten
from l10n.run.store import Run

NAME_INCONSISTENT = FlagCode.NAME_INCONSISTENT


@dataclass
class NamePassReport:
    """What the pass did: variants corrected and flagged, segments flagged, files rewritten."""

    corrected: int = 0
    variants_flagged: int = 0
    inconsistent: int = 0
    rewritten: list[str] = field(default_factory=list)


def source_names(translated: TranslatedArticle, glossary: Glossary | None) -> SourceNames:
    """The names of an article's source, in the article's own language."""
    plan = translated.plan
    lang = translated.source_language
    texts = [(s.index, s.text) for s in plan.segments if plan.source_lang(s) == lang]
    if lang == "en":
        usable = glossary if glossary is not None and glossary.source_language == "en" else None
        return find_english(texts, usable)
    if lang in ("ja", "ko"):
        usable = glossary if glossary is not None and glossary.source_language != lang else None
        return find_cjk(texts, lang, usable)
    return SourceNames()


def _targets(glossary: Glossary | None, lang: str) -> dict[str, str]:
    if glossary is None:
        return {}
    return {e.id: e.targets[lang] for e in glossary.entries if lang in e.targets}


def collect(
    translated: TranslatedArticle, glossary: Glossary | None, *, fix: bool
) -> tuple[list[Occurrence], NamePassReport]:
    """The renderings of the article's names; with ``fix``, unlisted variants first."""
    report = NamePassReport()
    occurrences = [o for _, _, o in located(translated, glossary, fix=fix, report=report)]
    return occurrences, report


def located(
    translated: TranslatedArticle,
    glossary: Glossary | None,
    *,
    fix: bool = False,
    report: NamePassReport | None = None,
    unlocated: list[Occurrence] | None = None,
) -> Iterator[tuple[Translation, Rendering, Occurrence]]:
    """Each located rendering: the segment's translation, where the span is in its published
    text, and the occurrence it counts as. With ``fix``, unlisted variants are fixed first.
    Mentions outside the glossary whose rendering is not found go to ``unlocated``."""
    if all(translated.is_pseudo(lang) for lang in translated.translations):
        return  # a pseudo rendering holds no name to locate
    names = source_names(translated, glossary)
    if not names.mentions:
        return
    # The glossary corrects only sources in its own language; elsewhere (a Japanese source
    # naming 高市早苗) a rendering other than the house form is flagged here, never changed.
    unenforced = glossary is not None and translated.source_language != glossary.source_language
    for lang, rows in translated.translations.items():
        if translated.is_pseudo(lang):
            continue
        targets = _targets(glossary, lang)
        for row in rows:
            mentions = names.mentions.get(row.segment)
            if not mentions or row.origin == Origin.COPY:
                continue
            if fix:
                for item in fix_variants(row, mentions, targets):
                    if report is None:
                        continue
                    if item.corrected:
                        report.corrected += 1
                    else:
                        report.variants_flagged += 1
            approved = row.review is not None and row.review.status == ReviewStatus.APPROVED
            renderings = locate(mentions, row.reviewed, lang, targets=targets)
            if unlocated is not None:
                seen = {id(r.mention) for r in renderings}
                unlocated.extend(
                    _occurrence(translated.id, lang, m, "", targets, False)
                    for m in mentions
                    if id(m) not in seen and not m.glossary
                )
            for found in renderings:
                target = targets.get(found.mention.glossary or "")
                if target and found.text != target:
                    found = whole_rendering(found, row.reviewed, lang, target)
                    if fix and unenforced:
                        row.flags.append(_variant_flag(found, target))
                        if report is not None:
                            report.variants_flagged += 1
                yield (
                    row,
                    found,
                    _occurrence(translated.id, lang, found.mention, found.text, targets, approved),
                )


def _variant_flag(found: Rendering, target: str) -> QAFlag:
    entry = found.mention.glossary
    return QAFlag(
        NAME_INCONSISTENT,
        f"{found.text!r} looks like an unlisted variant of {target!r} ({entry}), which the "
        f"glossary writes for {found.mention.surface!r}; left as it is — correct it, or add it "
        "to the entry's variants",
        Severity.WARNING,
        entry,
    )


def _occurrence(
    article: str,
    lang: str,
    mention: NameMention,
    text: str,
    targets: dict[str, str],
    approved: bool,
) -> Occurrence:
    target = targets.get(mention.glossary or "")
    return Occurrence(
        article,
        mention.segment,
        lang,
        mention.key,
        mention.form,
        text,
        mention.type,
        mention.glossary,
        approved,
        variant=bool(target) and text != target,
    )


def run_index(run: Run, glossary: Glossary | None) -> NameIndex:
    """Every rendering of the run's names, as stored (nothing is changed)."""
    index = NameIndex()
    for translated in run.iter_articles():
        index.add(o for _, _, o in located(translated, glossary, unlocated=index.unlocated))
    return index


def _strip(translated: TranslatedArticle) -> bool:
    """Drop the flags an earlier pass added; whether there were any."""
    had = False
    for rows in translated.translations.values():
        for row in rows:
            kept = [f for f in row.flags if f.code != NAME_INCONSISTENT]
            had = had or len(kept) != len(row.flags)
            row.flags = kept
    return had


def names_at_store(translated: TranslatedArticle, glossary: Glossary | None) -> list[Occurrence]:
    """The pass's work on one article before it is stored (variants fixed or flagged, in
    place); what it gives the run-level comparison, so the pass need not read it again."""
    _strip(translated)
    return collect(translated, glossary, fix=True)[0]


def check_run_names(
    run: Run,
    glossary: Glossary | None,
    outcomes: list[ArticleOutcome],
    tmx: TmxSpool | None = None,
    known: Mapping[str, list[Occurrence]] | None = None,
) -> NamePassReport:
    """Correct unlisted variants and flag inconsistent renderings across the stored run.

    ``outcomes`` (the run summary's) are updated in place for the articles rewritten, and
    so are their units in ``tmx`` (the run's TMX spool), so the TMX carries the corrections.
    The articles in ``known`` were stored by this run after :func:`names_at_store`, with its
    occurrences; they are read only when a rendering of theirs differs from the run's.
    """
    report = NamePassReport()
    index = NameIndex()
    touched: set[str] = set()
    done = [o.id for o in outcomes if o.status == Status.DONE]
    for article_id in done:
        if known is not None and article_id in known:
            index.add(known[article_id])
            continue
        translated = run.read_article(article_id)
        had = _strip(translated)
        occurrences, part = collect(translated, glossary, fix=True)
        index.add(occurrences)
        if had or part.corrected or part.variants_flagged:
            touched.add(article_id)
        report.corrected += part.corrected
        report.variants_flagged += part.variants_flagged
    flags: dict[tuple[str, str, int], list[QAFlag]] = {}
    for deviation in index.deviations():
        o = deviation.occurrence
        flags.setdefault((o.article, o.lang, o.segment), []).append(deviation.flag())
        touched.add(o.article)
    report.inconsistent = len(flags)
    for article_id in done:
        if article_id not in touched:
            continue
        translated = run.read_article(article_id)
        _strip(translated)
        collect(translated, glossary, fix=True)
        _add_flags(translated, flags)
        store_rewritten(run, translated, outcomes)
        if tmx is not None:
            tmx.add(translated)
        report.rewritten.append(article_id)
    return report


def _add_flags(
    translated: TranslatedArticle, flags: dict[tuple[str, str, int], list[QAFlag]]
) -> None:
    for lang, rows in translated.translations.items():
        for row in rows:
            row.flags.extend(flags.get((translated.id, lang, row.segment), []))


def deviations_by_group(index: NameIndex) -> dict[tuple[str, str, str], list[Deviation]]:
    out: dict[tuple[str, str, str], list[Deviation]] = {}
    for deviation in index.deviations():
        o = deviation.occurrence
        out.setdefault((o.key, o.form, o.lang), []).append(deviation)
    return out


def names_json(index: NameIndex, lang: str | None = None) -> dict[str, object]:
    """``{"names": [...]}``: each name, its glossary entry, and per language its renderings."""
    groups = index.groups()
    bad = deviations_by_group(index)
    names: dict[tuple[str, str], dict[str, object]] = {}
    for (key, form, code), items in groups.items():
        if lang is not None and code != lang:
            continue
        first = items[0]
        item = names.setdefault(
            (key, form),
            {
                "source": form,
                "type": first.type,
                "glossary": first.glossary,
                **({"short_form_of": key} if form != key else {}),
                "languages": {},
            },
        )
        usual, approved = index.usual(items)
        renderings: dict[str, dict[str, object]] = {}
        for o in items:
            entry = renderings.setdefault(o.text, {"text": o.text, "count": 0, "segments": []})
            entry["count"] = int(str(entry["count"])) + 1
            segments = entry["segments"]
            assert isinstance(segments, list)
            if o.where not in segments:
                segments.append(o.where)
            if o.variant:
                entry["variant"] = True
            if o.approved:
                entry["approved"] = True
        ordered = sorted(
            renderings.values(), key=lambda r: (r["text"] != usual, -int(str(r["count"])))
        )
        languages = item["languages"]
        assert isinstance(languages, dict)
        languages[code] = {
            "consistent": not bad.get((key, form, code)) and not any(o.variant for o in items),
            "usual": usual,
            "approved": approved,
            "renderings": ordered,
        }
    _add_unlocated(names, index, lang)
    return {"names": sorted(names.values(), key=lambda n: str(n["source"]).casefold())}


def _add_unlocated(
    names: dict[tuple[str, str], dict[str, object]], index: NameIndex, lang: str | None
) -> None:
    """``not_located`` per name and language: the segments where no rendering was found."""
    for o in index.unlocated:
        if lang is not None and o.lang != lang:
            continue
        item = names.setdefault(
            (o.key, o.form),
            {
                "source": o.form,
                "type": o.type,
                "glossary": o.glossary,
                **({"short_form_of": o.key} if o.form != o.key else {}),
                "languages": {},
            },
        )
        languages = item["languages"]
        assert isinstance(languages, dict)
        info = languages.setdefault(
            o.lang, {"consistent": True, "usual": None, "approved": False, "renderings": []}
        )
        missing = info.setdefault("not_located", {"count": 0, "segments": []})
        missing["count"] += 1
        if o.where not in missing["segments"]:
            missing["segments"].append(o.where)
