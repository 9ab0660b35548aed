"""Trails and stamps around the story that nothing in the lexicon names, found by shape:

- a breadcrumb that ends in the page's title ("Home World <title>"): the title line is
  kept, the copy with its trail goes (``nav/breadcrumb``);
- a widget line between the title line and the lead ("How useful is this page?", "3 weeks
  ago 4"): short, not a byline or date, with lower-case words or figures (a name has
  neither), and not one content word shared with the title or the story
  (``nav/under-title``);
- a run of three or more bare dates with nothing between them: the dates of a list of
  links whose headlines the scraper lost (``related/dates``). A story's own date is one
  line, or two with labels ("Published …", "Updated …").
"""

from __future__ import annotations

import re

from l10n.articles.boilerplate.features import DEBRIS, HEADLINE, LABEL
from l10n.articles.boilerplate.page import Page
from l10n.articles.boilerplate.stopwords import english_function_word
from l10n.articles.boilerplate.zones import content_tokens

MAX_TRAIL_WORDS = 5
MAX_TRAIL_CHARS = 40
MIN_DATE_RUN = 3
MAX_WIDGET_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?。！？]")
_LIST_ITEM = re.compile(r"\s*([-–—•·・*+▶▷►■□◆◇○●※→]|\d{1,2}[.)]\s)")


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


def drop_under_title_widgets(page: Page) -> None:
    if page.lead < 0 or page.first < 0:
        return
    story = [i for i in page.order if page.story(i) and page.infos[i].story_like]
    body = next((i for i in story if i > page.lead), -1)
    if page.infos[page.lead].prose or body < 0:
        return  # no title line above a lead
    topic = content_tokens(page.infos[page.lead].folded)
    for i in story:
        topic |= content_tokens(page.infos[i].folded)
    for i in page.order:
        if not page.lead < i < body:
            continue
        info = page.infos[i]
        # the line just above the lead may have been guessed a title; the first line is it
        guessed = i in page.titles and info.shape in (LABEL, HEADLINE) and not _beside_meta(page, i)
        if i in page.reasons or i in page.headings or (i in page.protected and not guessed):
            continue
        if info.meta or info.attributed or info.system != "latin":
            continue
        nxt = page.next_line(i)
        if _LIST_ITEM.match(page.lines[i]) or (
            nxt is not None and _LIST_ITEM.match(page.lines[nxt])
        ):
            continue  # a list of key points, or the heading over it
        if info.shape == DEBRIS or info.size > MAX_WIDGET_WORDS:
            continue
        words = re.findall(r"[^\W\d_]+", info.text)
        plain = any(w.islower() and len(w) > 1 for w in words) or any(
            c.isdigit() for c in info.text
        )
        content = {t for t in content_tokens(info.folded) if not english_function_word(t)}
        if plain and content and not content & topic:
            page.titles.discard(i)
            page.protected.discard(i)
            page.drop(i, "nav/under-title")


def _beside_meta(page: Page, i: int) -> bool:
    return any(
        j is not None and page.infos[j].meta is not None
        for j in (page.previous_line(i), page.next_line(i))
    )
