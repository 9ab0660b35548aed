"""Trails and stamps around the story that nothing in the lexicon names, found by shape:

- a breadcrumb that ends in the page's title ("Home World <title>"): the title line is
  kept, the copy with its trail goes (``nav/breadcrumb``);
- a run of three or more bare dates with nothing between them: the dates of a list of
  links whose headlines the scraper lost (``related/dates``). A story's own date is one
  line, or two with labels ("Published …", "Updated …").
"""

from __future__ import annotations

import re

from l10n.articles.boilerplate.features import HEADLINE, LABEL
from l10n.articles.boilerplate.page import Page

MAX_TRAIL_WORDS = 5
MAX_TRAIL_CHARS = 40
MIN_DATE_RUN = 3
_SENTENCE_END = re.compile(r"[.!?。！？]")


def drop_breadcrumbs(page: Page) -> None:
    """A line that is a short trail of section names followed by the title itself."""
    if page.lead < 0:
        return
    title = page.infos[page.lead].text
    if len(title) < 12:
        return
    for i in page.order:
        if i == page.lead or i in page.reasons or i in page.protected:
            continue
        text = page.infos[i].text
        if not text.endswith(title) or len(text) == len(title):
            continue
        trail = text[: -len(title)].strip(" \t>»›/|｜-–—:：•·")
        if not trail or len(trail) > MAX_TRAIL_CHARS or _SENTENCE_END.search(trail):
            continue
        if len(trail.split()) <= MAX_TRAIL_WORDS:
            page.drop(i, "nav/breadcrumb")


def drop_date_runs(page: Page) -> None:
    run: list[int] = []
    for i in [*page.order, None]:
        if i is not None and _bare_date(page, i):
            run.append(i)
            continue
        if len(run) >= MIN_DATE_RUN and len({page.infos[j].text for j in run}) == len(run):
            for j in run:
                page.drop(j, "related/dates")
        run = []


def _bare_date(page: Page, i: int) -> bool:
    """A line that is a date and nothing else (no label, no byline)."""
    info = page.infos[i]
    if info.meta != "date" or info.shape not in (LABEL, HEADLINE) or i in page.protected:
        return False
    rest = page.lex.date.sub("", info.folded)
    return not re.search(r"[^\W\d_]{3,}", rest)
