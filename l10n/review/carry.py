"""Reviews outlive re-runs: a re-translated article keeps every decision stored before.

Re-running a run id (after a glossary edit, after a crash, with new inputs) translates an
article again when its stored folder no longer vouches for the work. Before the new record
is stored, every review in the old ``segments.jsonl`` — read as it is on disk, whatever
state its manifest is in — is put back on the segment with the same source text (the n-th
occurrence of a sentence matches the n-th), in the same language:

- the segment's text is what the decision was made on (the corrected text is unchanged, or
  it now equals the approved text): the review stays as it was;
- the text changed under an approval: the review becomes ``needs-recheck``, keeping the old
  approved text for the reviewer to compare — never silently deleted;
- a rejection or a comment stays as it was (a rejection still keeps the text unpublished).

The reviews of a source sentence that no longer exists (the input was edited) are kept in the
article's ``reviews.orphaned.jsonl``, with the text they were made on; a later run that meets
the sentence again does not take them back (a reviewer reads the file).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from l10n.glossary import Glossary
from l10n.models import Review, ReviewStatus, TranslatedArticle
from l10n.review.recheck import recheck
from l10n.run import layout
from l10n.run.codec import encode_jsonl, review_from_row
from l10n.run.store import Run

_APPROVALS = (ReviewStatus.APPROVED, ReviewStatus.NEEDS_RECHECK)


@dataclass
class Carried:
    kept: int = 0
    recheck: int = 0
    orphans: list[dict[str, Any]] = field(default_factory=list)
    """Reviews of source sentences the new article no longer has (and those kept before), for
    ``reviews.orphaned.jsonl``: never silently dropped."""

    @property
    def lost(self) -> int:
        return len(self.orphans)


def orphan_file(carried: Carried) -> dict[str, bytes]:
    """``reviews.orphaned.jsonl`` when there are reviews no segment took, else nothing."""
    return {layout.ORPHANED_REVIEWS: encode_jsonl(carried.orphans)} if carried.orphans else {}


def carried_review(review: Review, old_final: str, new_final: str) -> Review:
    """``review`` on a segment whose corrected text went from ``old_final`` to ``new_final``."""
    if review.status not in _APPROVALS:
        return review
    if new_final == review.text:
        return replace(review, status=ReviewStatus.APPROVED)
    if new_final != old_final:
        return replace(review, status=ReviewStatus.NEEDS_RECHECK)
    return review


def carry_reviews(
    run: Run, translated: TranslatedArticle, glossary: Glossary | None = None
) -> Carried:
    """Put the reviews stored for ``translated.id`` on ``translated`` (see the module)."""
    result = Carried()
    result.orphans = run.read_segment_rows(translated.id, layout.ORPHANED_REVIEWS) or []
    rows = run.read_segment_rows(translated.id)
    if not rows:
        return result
    stored: dict[tuple[str, str, int], tuple[str, Review]] = {}
    rows_by_key: dict[tuple[str, str, int], dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for row in rows:
        source = str(row.get("source", ""))
        occurrence = seen[source]
        seen[source] += 1
        targets = row.get("targets")
        for lang, data in (targets if isinstance(targets, dict) else {}).items():
            if not isinstance(data, dict) or not data.get("review"):
                continue
            try:
                review = review_from_row(data["review"])
            except (KeyError, TypeError, ValueError):
                continue
            stored[(str(lang), source, occurrence)] = (str(data.get("final", "")), review)
            rows_by_key[(str(lang), source, occurrence)] = {
                "source": source,
                "lang": str(lang),
                "final": str(data.get("final", "")),
                "review": data["review"],
            }
    seen.clear()
    names = glossary.plan_names(translated.plan) if glossary is not None else None
    for segment in translated.plan.segments:
        occurrence = seen[segment.text]
        seen[segment.text] += 1
        for lang, translations in translated.translations.items():
            found = stored.pop((lang, segment.text, occurrence), None)
            translation = translations[segment.index]
            if found is None or translation.review is not None:
                continue
            old_final, review = found
            review = translation.review = carried_review(review, old_final, translation.final)
            if review.status == ReviewStatus.NEEDS_RECHECK:
                result.recheck += 1
            else:
                result.kept += 1
            recheck(translated, translation, glossary, names)
    result.orphans += [rows_by_key[key] for key in stored]
    return result
