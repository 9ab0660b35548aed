"""Where the story is: its first and last prose lines, the title, and the lines kept
around them (the author block under the title, the sign-off after the story)."""

from __future__ import annotations

import itertools
import re

from l10n.articles.boilerplate.features import DEBRIS, HEADLINE, LABEL, SENTENCE
from l10n.articles.boilerplate.page import Page


def find_core(page: Page) -> None:
    """The first and last story lines, and the first furniture line after the story."""
    story = [i for i in page.order if page.story(i)]
    page.first, page.last = (story[0], story[-1]) if story else (-1, -1)
    after = [i for i in page.order if i > page.last and (i in page.reasons or i in page.headings)]
    page.tail = after[0] if story and after else -1


def find_tail(page: Page) -> None:
    """Once a list after the story has gone, the trailing zone starts at its first line."""
    if page.last < 0:
        return
    after = [i for i in page.order if i > page.last and i in page.reasons]
    if after and (page.tail < 0 or after[0] < page.tail):
        page.tail = after[0]


def find_title(page: Page, title: str | None) -> None:
    """Protect the title: every headline before the story that shares enough words with it
    (a standfirst without a full stop too), and the line just above the lead."""
    find_core(page)
    if title:
        return
    before = [i for i in page.order if page.first < 0 or i < page.first]
    headlines = [i for i in before if _title_like(page, i) and page.infos[i].shape == HEADLINE]
    on_topic = [
        i
        for i in headlines
        if overlap(page, i) >= ON_TOPIC and (i == page.lead or not _BULLET.match(page.lines[i]))
    ]
    if on_topic:
        page.titles.update(on_topic)
        below = [i for i in on_topic if i != page.lead]
        page.headline = below[0] if below else -1
    elif (named := _named_title(page, before)) is not None:
        page.titles.add(named)
    elif headlines:
        page.titles.add(headlines[0])
    if page.first >= 0:
        for i in reversed(before):
            if i in page.reasons or i in page.headings or page.infos[i].meta:
                continue
            if page.infos[i].shape == DEBRIS:
                continue
            if _title_like(page, i):
                page.titles.add(i)
            break
    page.protected |= page.titles


_BULLET = re.compile(r"\s*[-–—•·・*+▶▷►■□◆◇○●※→]")
_TOKEN = re.compile(r"[^\W\d_]{4,}")
ON_TOPIC = 0.3
OFF_TOPIC = 0.15
MIN_BODY_TOKENS = 30


def content_tokens(text: str) -> set[str]:
    """Content tokens: long words, or letter pairs where words are not spaced."""
    return _tokens(text)


def _tokens(text: str) -> set[str]:
    """Content tokens: long words, or letter pairs where words are not spaced."""
    letters = [ch for ch in text.casefold() if ch.isalpha() and not ch.isascii()]
    if len(letters) * 2 >= len([ch for ch in text if ch.isalpha()]):
        return {a + b for a, b in itertools.pairwise(letters)}
    return set(_TOKEN.findall(text.casefold()))


def body_tokens(page: Page) -> set[str]:
    if page.body_tokens is None:
        page.body_tokens = set()
        for i in page.order:
            if page.story(i):
                page.body_tokens |= _tokens(page.infos[i].folded)
    return page.body_tokens


def overlap(page: Page, i: int) -> float:
    """Share of a line's content tokens that the story's prose also uses."""
    tokens = _tokens(page.infos[i].folded)
    if not tokens:
        return 0.0
    return len(tokens & body_tokens(page)) / len(tokens)


def protect_sign_off(page: Page) -> None:
    """The short lines right after the story (author, source, "(END)") belong to it."""
    if page.last < 0:
        return
    j = page.next_line(page.last)
    for _ in range(2):
        if j is None or j in page.reasons or j in page.headings or j in page.weak:
            return
        info = page.infos[j]
        if info.shape not in (LABEL, SENTENCE, HEADLINE, DEBRIS) or len(info.text) > 60:
            return
        if page.lex.cue_count(info.folded) or _BULLET.match(page.lines[j]):
            return  # a bullet item after the story opens a list, it signs nothing off
        page.protected.add(j)
        j = page.next_line(j)


def protect_byline_blocks(page: Page) -> None:
    """Short lines next to a byline or date between the title and the story: an author
    block ("Yuki Tanaka / Tokyo correspondent / 3 hours ago")."""
    if page.first < 0 or not page.titles:
        return
    top, body = page.top_title(), _body_start(page)
    for i in page.order:
        if not top < i < body or not page.infos[i].meta:
            continue
        for step in (page.previous_line, page.next_line):
            j, count = step(i), 0
            while j is not None and top < j < body and count < 2:
                if j in page.reasons or page.infos[j].meta:
                    j = step(j)
                    continue
                if page.infos[j].shape != LABEL or j in page.headings or j in page.weak:
                    break
                page.protected.add(j)
                count += 1
                j = step(j)


def _body_start(page: Page) -> int:
    """The first story line followed by another: the lead, past any standfirst."""
    for i in page.order:
        if page.story(i):
            nxt = page.next_line(i)
            if nxt is None or page.story(nxt):
                return i
    return page.first


_CALL_TO_ACTION = ("promo", "subscribe", "continue", "share", "comment", "player")


def _named_title(page: Page, before: list[int]) -> int | None:
    """A headline a call-to-action phrase took ("Watch: …", "Register now for the marathon")
    that is plainly about the story: it is the title, so it goes back."""
    for i in before:
        cls, _, feature = page.reasons.get(i, "").partition("/")
        if (
            page.infos[i].shape == HEADLINE
            and feature == "phrase"
            and cls in _CALL_TO_ACTION
            and overlap(page, i) >= 0.5
        ):
            del page.reasons[i]
            return i
    return None


def _title_like(page: Page, i: int) -> bool:
    info = page.infos[i]
    return (
        i not in page.reasons
        and i not in page.headings
        and i not in page.weak
        and not info.meta
        and info.shape in (HEADLINE, LABEL, SENTENCE)
        and (i == page.lead or not page.lex.caption_marked(info.folded))
    )


def drop_above_title(page: Page) -> None:
    if not page.titles or page.first < 0:
        return
    top = page.top_title()
    if page.infos[top].shape != HEADLINE:
        return
    for i in page.order:
        if i >= top:
            break
        info = page.infos[i]
        if i in page.reasons or i in page.protected or info.meta:
            continue
        small = info.size <= (6 if info.system == "cjk" else 2) or (
            info.size <= 3 and any(page.lex.weak_class(w) for w in info.folded.split())
        )
        if info.shape == DEBRIS or (info.shape == LABEL and small):
            page.drop(i, "nav/above-title")
        elif (
            info.shape == HEADLINE
            and len(body_tokens(page)) >= MIN_BODY_TOKENS
            and overlap(page, i) < OFF_TOPIC
        ):
            page.drop(i, "nav/off-topic-above-title")


def confirm_pending(page: Page) -> None:
    """A story-like line a lexicon phrase named goes only when structure agrees: it lies
    outside the story (no story prose before it, or none after it) or between two dropped
    lines. Otherwise it stays: a paragraph may use the word for the thing it reports."""
    story = [i for i in page.order if page.story(i)]
    for i, reason in sorted(page.pending.items()):
        before, after = page.previous_line(i), page.next_line(i)
        outside = not story or i < story[0] or i > story[-1]
        boxed = (before is None or before in page.reasons) and (
            after is None or after in page.reasons
        )
        if outside or boxed:
            page.drop(i, reason)
