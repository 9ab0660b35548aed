"""Repetition within a page: blocks that occur twice, a teaser of the lead, a pull
quote, lines that restate the title."""

from __future__ import annotations

import re

from l10n.articles.boilerplate.features import LABEL
from l10n.articles.boilerplate.page import Page
from l10n.articles.boilerplate.rules import REPEATED_BLOCK

MIN_DUPLICATE_CHARS = {"latin": 25, "hangul": 12, "cjk": 12, "none": 10**6}
MIN_REPEATED_HEADLINE = 3
_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def _normal(text: str) -> str:
    return _PUNCT_EDGES.sub("", " ".join(text.split()).casefold())


def drop_repeats(page: Page, title: str | None) -> None:
    in_blocks = _repeated_blocks(page)
    _repeated_lines(page, in_blocks)
    _repeated_labels(page, in_blocks)
    _title_echoes(page, title)


def _repeated_blocks(page: Page) -> set[int]:
    """Runs of two or more lines that occur more than once (blank lines ignored)."""
    seq = list(page.order)
    texts = [" ".join(page.lines[i].split()) for i in seq]
    starts: dict[tuple[str, str], list[int]] = {}
    for pos in range(len(texts) - 1):
        starts.setdefault((texts[pos], texts[pos + 1]), []).append(pos)
    seen: set[int] = set()
    pos = 0
    while pos < len(texts) - 1:
        best, best_from = 0, -1
        for earlier in starts.get((texts[pos], texts[pos + 1]), []):
            if earlier >= pos:
                break
            length = 0
            while (
                pos + length < len(texts)
                and earlier + length < pos
                and texts[earlier + length] == texts[pos + length]
            ):
                length += 1
            if length > best:
                best, best_from = length, earlier
        if best >= 2:
            first_copy = [seq[p] for p in range(best_from, best_from + best)]
            later_copy = [seq[p] for p in range(pos, pos + best)]
            _settle_copies(page, [first_copy, later_copy])
            seen.update(first_copy + later_copy)
            pos += best
        else:
            pos += 1
    return seen


def _settle_copies(page: Page, copies: list[list[int]]) -> None:
    """Furniture goes in every copy; of a story passage, the copy outside the story goes."""
    if page.lead in copies[0]:
        at = copies[0].index(page.lead)
        _echoes_of_lead(page, [copy[at] for copy in copies[1:]])
        copies = [copy[:at] + copy[at + 1 :] for copy in copies]
        if not copies[0]:
            return
    lines = [i for copy in copies for i in copy]
    if not _story_like(page, copies[0]):
        for i in lines:
            page.drop(i, REPEATED_BLOCK)
        return
    for i in _extra_copy(page, copies, keep_both=False):
        page.drop(i, REPEATED_BLOCK)


def _extra_copy(page: Page, copies: list[list[int]], *, keep_both: bool) -> list[int]:
    """The copy of a story passage that sits outside the story: after it, or ahead of its lead."""
    members = {i for copy in copies for i in copy}
    first, last = copies[0], copies[-1]
    if not _story_after(page, last[-1], members):
        return last
    between = any(page.story(i) for i in page.order if first[-1] < i < last[0] and i not in members)
    if not between or not _story_before(page, first[0], members):
        return first
    return [] if keep_both else [i for copy in copies[1:] for i in copy]


def _story_like(page: Page, block: list[int]) -> bool:
    return any(
        page.infos[i].prose and page.lex.cue_count(page.infos[i].folded) == 0 for i in block
    ) or any(i in page.protected for i in block)


def _story_after(page: Page, index: int, exclude: set[int]) -> bool:
    return any(page.story(i) for i in page.order if i > index and i not in exclude)


def _story_before(page: Page, index: int, exclude: set[int]) -> bool:
    return any(page.story(i) for i in page.order if i < index and i not in exclude)


def _repeated_lines(page: Page, in_blocks: set[int]) -> None:
    groups: dict[str, list[int]] = {}
    for i in page.order:
        if i in in_blocks or (i in page.reasons and not page.infos[i].prose):
            continue
        info = page.infos[i]
        key = _normal(info.text)
        if len(key) < MIN_DUPLICATE_CHARS[info.system]:
            continue
        groups.setdefault(key, []).append(i)
    for copies in groups.values():
        if len(copies) >= 2:
            _settle_line_copies(page, copies)
    _truncated_teasers(page, groups)
    _pull_quotes(page)


def _repeated_labels(page: Page, in_blocks: set[int]) -> None:
    """A short label printed again on the very next line (a byline the page shows twice)
    loses its second copy, also when that copy was taken for a title."""
    for i in page.order:
        info, before = page.infos[i], page.previous_line(i)
        if before is None or i in in_blocks or i in page.reasons or i == page.lead:
            continue
        if info.shape != LABEL or (i in page.protected and i not in page.titles):
            continue
        if _normal(page.infos[before].text) == _normal(info.text) and _normal(info.text):
            page.titles.discard(i)
            page.protected.discard(i)
            page.drop(i, "repeat/next-line")


def _echoes_of_lead(page: Page, others: list[int]) -> None:
    """Copies of the page's first line (its title): headline-like ones go; a copy that reads
    as a paragraph of the story stays."""
    for i in others:
        if not page.infos[i].prose and i != page.lead:
            if i in page.titles:  # a title guess that merely repeats the first line
                page.titles.discard(i)
                page.protected.discard(i)
            page.drop(i, "title/echo")


def _settle_line_copies(page: Page, copies: list[int]) -> None:
    if page.lead in copies:
        _echoes_of_lead(page, copies)
        return
    titles = [i for i in copies if i in page.titles]
    if page.lead >= 0 and len(copies) >= MIN_REPEATED_HEADLINE and len(titles) == len(copies):
        # the page's title is its first line: a headline shown three times below it is a
        # video's or a gallery's title in its player, not the story's title
        for i in copies:
            page.titles.discard(i)
            page.protected.discard(i)
            page.drop(i, REPEATED_BLOCK)
        return  # page.headline still marks where the page's own furniture ends
    if titles:
        for i in copies:
            if i not in titles:
                page.drop(i, "title/echo")
        return
    if not any(page.infos[i].prose for i in copies):
        for i in copies:
            page.drop(i, REPEATED_BLOCK)
        return
    for i in _extra_copy(page, [[i] for i in copies], keep_both=True):
        page.drop(i, "teaser/duplicate")


def _truncated_teasers(page: Page, groups: dict[str, list[int]]) -> None:
    """A line cut off with an ellipsis that begins another line of the page."""
    full = [(key, copies[0]) for key, copies in groups.items() if page.story(copies[0])]
    for i in page.order:
        if i in page.reasons or (i in page.protected and i not in page.titles):
            continue
        info = page.infos[i]
        if not info.text.rstrip("”\"'」』)） ").endswith(("...", "…")):
            continue
        stem = _normal(info.text.rstrip("”\"'」』)） ").rstrip(".…"))
        if len(stem) < MIN_DUPLICATE_CHARS[info.system]:
            continue
        if any(j != i and key.startswith(stem) and len(key) > len(stem) for key, j in full):
            page.titles.discard(i)
            page.protected.discard(i)
            page.drop(i, "teaser/truncated")


_QUOTES = re.compile(r"[\"“”‘’'「」『』]")


def _pull_quotes(page: Page) -> None:
    """A line that repeats a sentence found inside a longer story line (a pull quote)."""
    stories = [_normal(_QUOTES.sub("", page.infos[i].folded)) for i in page.order if page.story(i)]
    for i in page.order:
        info = page.infos[i]
        if i in page.reasons or i in page.protected:
            continue
        key = _normal(_QUOTES.sub("", info.folded))
        if len(key) < 2 * MIN_DUPLICATE_CHARS[info.system]:
            continue
        if any(key in story and len(story) > len(key) + 10 for story in stories):
            page.drop(i, "repeat/pull-quote")


def _title_echoes(page: Page, title: str | None) -> None:
    """Lines that restate the title (share text, "Title | Site"), the title line kept."""
    if title:
        key, keep = _normal(title), set()
    elif page.titles:
        first_title = min(page.titles)
        if page.infos[first_title].shape == LABEL:
            return
        key, keep = _normal(page.infos[first_title].text), {first_title}
    else:
        return
    if len(key) < 20:
        return
    for i in page.order:
        info = page.infos[i]
        if i in keep or i in page.reasons or info.meta:
            continue
        text = _normal(info.text)
        echo = key in text and len(text) <= len(key) + 40 and not info.prose
        if echo or text == key:
            page.drop(i, "title/echo")
