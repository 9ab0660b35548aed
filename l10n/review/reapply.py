"""Re-running glossary correction over a stored run, without translating again.

Editors fix a glossary after reading a run. The raw MT — and, where names were protected,
what was sent to the engine with its placeholders — is stored, so this is the pipeline's
own load → correct → store: the corrected texts, change logs, review files and the run
summary are rebuilt from it in seconds, for every engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from l10n.correct.stage import correct_article
from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.models import FlagCode, MachineTranslation, TranslatedArticle
from l10n.review.carry import carried_review
from l10n.review.files import article_review_files, spool, write_run_files
from l10n.review.name_consistency import check_run_names
from l10n.review.recheck import recheck
from l10n.run.store import Run
from l10n.run.summary import outcome_of
from l10n.text.placeholders import PLACEHOLDER_RE


class ReapplyError(L10nError):
    """A run that can't be corrected again from what it stored."""

    exit_code = 2


@dataclass
class LangReport:
    lang: str
    segments_changed: int = 0
    changes_before: int = 0
    changes_after: int = 0
    unresolved_before: int = 0
    unresolved_after: int = 0


@dataclass
class ArticleReport:
    article_id: str
    langs: list[LangReport] = field(default_factory=list)


@dataclass
class ReapplyReport:
    articles: list[ArticleReport] = field(default_factory=list)

    @property
    def segments_changed(self) -> int:
        return sum(lang.segments_changed for a in self.articles for lang in a.langs)


def stored_machine(translated: TranslatedArticle) -> dict[str, list[MachineTranslation]]:
    """The raw MT of a stored article as the correct stage takes it.

    Raw MT that holds placeholders can only be corrected with the protection data it
    was made with; a run stored without it is refused rather than left with ⟦n⟧ in it.
    """
    machine: dict[str, list[MachineTranslation]] = {}
    for lang, rows in translated.translations.items():
        out = []
        for segment, row in zip(translated.plan.segments, rows, strict=True):
            if row.protection is None and row.origin != "copy" and PLACEHOLDER_RE.search(row.mt):
                raise ReapplyError(
                    f"{translated.id} segment {segment.index} ({lang}): the raw MT holds "
                    "placeholders but the run did not store what they stood for — translate "
                    "the run again with `l10n translate … --run-id NEW`"
                )
            sent = row.protection.text if row.protection else segment.text
            out.append(
                MachineTranslation(
                    sent,
                    row.mt,
                    row.protection,
                    row.origin,
                    score=row.score,
                    low_confidence=next(
                        (f.message for f in row.flags if f.code == FlagCode.LOW_CONFIDENCE), ""
                    ),
                    provenance=row.provenance,
                )
            )
        machine[lang] = out
    return machine


def reapply_article(translated: TranslatedArticle, glossary: Glossary) -> TranslatedArticle:
    """The same article corrected with ``glossary``."""
    corrected = correct_article(translated.plan, stored_machine(translated), glossary)
    # Each article keeps the engines it was translated with (a run mixes provided drafts with
    # model output), and a reviewer's decisions outlive a glossary fix: an approval whose
    # text the fix changed becomes needs-recheck, and flags follow the text it publishes.
    after = TranslatedArticle(
        translated.plan, corrected, translated.timings, dict(translated.engines)
    )
    names = glossary.plan_names(translated.plan)
    for lang, rows in corrected.items():
        for old, new in zip(translated.translations[lang], rows, strict=True):
            if old.review is not None:
                new.review = carried_review(old.review, old.final, new.final)
                recheck(after, new, glossary, names)
    return after


def _compare(before: TranslatedArticle, after: TranslatedArticle) -> ArticleReport:
    report = ArticleReport(before.id)
    for lang, old_rows in before.translations.items():
        new_rows = after.translations[lang]
        report.langs.append(
            LangReport(
                lang,
                segments_changed=sum(
                    o.final != n.final for o, n in zip(old_rows, new_rows, strict=True)
                ),
                changes_before=sum(len(t.changes) for t in old_rows),
                changes_after=sum(len(t.changes) for t in new_rows),
                unresolved_before=sum(len(t.unresolved) for t in old_rows),
                unresolved_after=sum(len(t.unresolved) for t in new_rows),
            )
        )
    return report


def reapply_run(run: Run, glossary: Glossary) -> ReapplyReport:
    """Correct every article of ``run`` again with ``glossary`` and rebuild its files."""
    summary = run.read_summary()
    if not summary.done:
        raise ReapplyError(f"{run.location}: the run has no finished article to re-correct")
    glossary_ref = {"path": str(glossary.path), "sha256": glossary.sha256}
    for article_id in [o.id for o in summary.done]:  # refuse before anything is rewritten
        stored_machine(run.read_article(article_id))
    report = ReapplyReport()
    befores: list[TranslatedArticle] = []
    outcomes = {o.id: o for o in summary.outcomes}
    with run.lock(), spool() as tmx:
        for article_id in [o.id for o in summary.done]:
            # Each article keeps the engines it was translated with (a run mixes provided
            # drafts with model output).
            ctx = replace(run.article_context(article_id), glossary=glossary_ref)
            before = run.read_article(article_id)
            after = reapply_article(before, glossary)
            run.write_article(
                after, ctx, article_review_files(after, run.run_id), keep_other_files=True
            )
            tmx.add(after)
            befores.append(before)
            resumed = outcomes[article_id].resumed
            outcomes[article_id] = outcome_of(after, resumed=resumed)
            outcomes[article_id].engine = ctx.engine_name
        summary.glossary = glossary_ref
        summary.outcomes = [outcomes[o.id] for o in summary.outcomes]
        check_run_names(run, glossary, summary.outcomes, tmx)
        report.articles = [_compare(b, run.read_article(b.id)) for b in befores]
        run.write_summary(summary)
        write_run_files(run, summary, tmx)
    return report
