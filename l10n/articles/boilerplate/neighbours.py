"""Decisions from a line's neighbours: runs of short lines (menus, share bars, player
controls), the blurb around a promotion, counters between dropped lines."""

from __future__ import annotations

from collections.abc import Callable

from l10n.articles.boilerplate.features import DEBRIS, HEADLINE, LABEL, SENTENCE
from l10n.articles.boilerplate.page import Page

PROMO_CLASSES = ("promo", "subscribe")
_FURNITURE = frozenset(
    ("nav", "related", "share", "promo", "subscribe", "comment", "player", "ad", "tags")
)


def drop_runs(page: Page) -> None:
    run: list[int] = []
    for i in [*page.order, None]:
        if i is not None and page.infos[i].meta and i not in page.reasons:
            continue
        if i is not None and _furniture_like(page, i):
            run.append(i)
            continue
        if run:
            _settle_run(page, run)
        run = []


def _furniture_like(page: Page, i: int) -> bool:
    if i in page.reasons:
        return page.reasons[i] == "title/echo" or not page.reasons[i].startswith(
            ("teaser", "title")
        )
    info = page.infos[i]
    return i not in page.headings and not info.meta and (info.short or i in page.weak)


def _settle_run(page: Page, run: list[int]) -> None:
    open_lines = [i for i in run if i not in page.reasons and i not in page.protected]
    if not open_lines or len(run) < 2:
        return
    named = sum(1 for i in run if i in page.reasons or i in page.weak)
    # a protected sign-off stays anyway and says nothing of the run's zone; a title does
    zones = {page.zone(i) for i in run if i not in page.protected or i in page.titles}
    outside_story = zones <= {"leading", "trailing"}
    if not outside_story and named * 2 < len(run):
        return
    for i in open_lines:
        if i not in page.weak and page.zone(i) == "core" and _heads_paragraph(page, i):
            continue
        cls = page.weak.get(i) or _neighbour_class(page, run, i) or "nav"
        page.drop(i, f"{cls}/run")


def _heads_paragraph(page: Page, i: int) -> bool:
    """A subheading: story prose follows it, past a picture's caption set between them."""
    nxt = page.next_line(i)
    while nxt is not None and page.reasons.get(nxt, "").startswith("caption/"):
        nxt = page.next_line(nxt)
    return nxt is not None and page.story(nxt)


def _neighbour_class(page: Page, run: list[int], i: int) -> str | None:
    pos = run.index(i)
    for j in sorted(run, key=lambda k: abs(run.index(k) - pos)):
        reason = page.reasons.get(j)
        if reason and "/" in reason:
            return reason.split("/")[0]
    return None


def drop_promo_blurbs(page: Page) -> None:
    anchors = [
        i for i, reason in sorted(page.reasons.items()) if reason.split("/")[0] in PROMO_CLASSES
    ]
    for anchor in anchors:
        cls = page.reasons[anchor].split("/")[0]
        for step in (page.previous_line, page.next_line):
            j = step(anchor)
            for _ in range(5):
                if j is None:
                    break
                if not _blurb(page, j) and not _inside_promo(page, j, step):
                    break
                page.drop(j, f"{cls}/blurb")
                j = step(j)


def _inside_promo(page: Page, j: int, step: Callable[[int], int | None]) -> bool:
    """A line with promotion on both sides of it (an offer's name, a price line, a
    pitch that names the reader or the product)."""
    info = page.infos[j]
    if j in page.protected or j in page.headings or info.meta or info.attributed:
        return False
    if info.prose and not (
        page.lex.address_count(info.folded) or page.lex.cue_count(info.folded) >= 2
    ):
        return False
    beyond = step(j)
    return beyond is not None and page.reasons.get(beyond, "").split("/")[0] in (
        *PROMO_CLASSES,
        "continue",
    )


def _blurb(page: Page, j: int) -> bool:
    if j in page.reasons:
        return True
    info = page.infos[j]
    cues = page.lex.cue_count(info.folded)
    if j in page.protected or j in page.headings or info.attributed:
        return False
    if info.meta and not (cues and not info.prose and info.meta in ("byline", "stamp")):
        return False
    if info.prose:
        return cues >= 2 and page.lex.address_count(info.folded) >= 1
    if page.heads_paragraph(j):
        return False
    return cues >= 1 or info.shape in (LABEL, DEBRIS)


def drop_between_drops(page: Page) -> None:
    """Counters and separators (no letters) sitting between two dropped lines; outside the
    story (above the title, after the story's end) also a short line that is not prose."""
    for i in page.order:
        if i in page.reasons:
            continue
        info = page.infos[i]
        before, after = page.previous_line(i), page.next_line(i)
        if before not in page.reasons or (after is not None and after not in page.reasons):
            continue
        if info.shape == DEBRIS:
            page.drop(i, "debris/between")
        elif (
            after is not None
            and page.zone(i) in ("leading", "trailing")
            and info.shape in (LABEL, SENTENCE, HEADLINE)
            and not (info.meta or info.attributed or i in page.headings)
        ):
            cls = page.reasons[before].split("/")[0]
            page.drop(i, f"{cls if cls in _FURNITURE else 'nav'}/between")
