"""Lists of links: under a heading ("Related", "関連記事", "相关新闻"), or a run of
headlines after the story. A list stops at prose, at a change of rhythm and at a
subheading, so a heading never takes the rest of the page with it."""

from __future__ import annotations

import re

from l10n.articles.boilerplate.features import DEBRIS, HEADLINE, LABEL, PROSE, SENTENCE
from l10n.articles.boilerplate.page import Page
from l10n.articles.boilerplate.zones import MIN_BODY_TOKENS, OFF_TOPIC, body_tokens, overlap


def drop_headed_lists(page: Page) -> None:
    for h, cls in sorted(page.headings.items()):
        if h in page.reasons or h in page.protected:
            continue
        items = _list_items(page, h)
        if items:
            page.drop(h, f"{cls}/heading")
            for i in items:
                page.drop(i, f"{cls}/list")
        elif _lone_heading_is_furniture(page, h):
            page.drop(h, f"{cls}/heading")


_OPEN_QUOTE = re.compile(r"[\"“「『][^\"”」』]*$")


def _cut_off(text: str) -> bool:
    """A line that stops inside a quotation: a paragraph cut short, not a link's headline."""
    straight = text.count('"') % 2 == 1 and bool(_OPEN_QUOTE.search(text))
    return straight or text.count("“") > text.count("”") or text.count("「") > text.count("」")


def _question_link(page: Page, j: int) -> bool:
    """A headline that ends in a question mark, followed by more links rather than story."""
    info = page.infos[j]
    if not info.text.rstrip("\"'”’」』 ").endswith(("?", "？")) or info.attributed:
        return False
    if len(re.findall(r"[.!?。！？]", info.text)) > 1:
        return False
    nxt = page.next_line(j)
    if nxt is None or nxt in page.reasons:
        return True
    nxt_info = page.infos[nxt]
    return not page.story(nxt) and nxt_info.shape in (HEADLINE, LABEL, DEBRIS)


def _subheading_after_links(page: Page, j: int, items: list[int], link_shape: str) -> bool:
    """A line that heads a paragraph and differs from the links above it: shorter than
    they are, a blank line apart when they were not, or of another shape."""
    info = page.infos[j]
    if info.shape != link_shape:
        return True
    sizes = [page.infos[i].size for i in items if page.infos[i].shape in (HEADLINE, LABEL)]
    short = info.size <= (12 if info.system == "cjk" else 4)
    return short and bool(sizes) and info.size <= 0.6 * sum(sizes) / len(sizes)


def _lone_heading_is_furniture(page: Page, h: int) -> bool:
    """A heading with no links under it: furniture unless it heads a paragraph of the story."""
    if page.zone(h) != "core" or page.infos[h].shape == LABEL:
        return True
    if page.lex.label_class(page.infos[h].core) is not None:
        return True
    return not page.heads_paragraph(h)


def _list_items(page: Page, heading: int) -> list[int]:
    items: list[int] = []
    link_shape: str | None = None
    contiguous: bool | None = None
    previous = heading
    j = page.next_line(heading)
    while j is not None:
        info = page.infos[j]
        gap = page.blank_between(previous, j)
        if gap and contiguous:
            break
        if j in page.protected or j in page.headings:
            break
        if j in page.reasons:
            previous, j = j, page.next_line(j)
            continue
        if info.meta in ("byline", "stamp"):
            # the names just above a byline are its author block, not a link
            while items and items[-1] == previous and page.infos[previous].shape == LABEL:
                items.pop()
                previous = page.previous_line(previous) or heading
            break
        if _cut_off(info.text):
            break
        if info.shape in (PROSE, SENTENCE):
            if not _question_link(page, j):
                break
            items.append(j)
            previous, j = j, page.next_line(j)
            continue
        if info.meta in ("date", "dateline") or info.shape == DEBRIS:
            items.append(j)
        elif info.shape in (HEADLINE, LABEL):
            if link_shape is None:
                link_shape = info.shape
            elif page.heads_paragraph(j) and (
                contiguous is False or _subheading_after_links(page, j, items, link_shape)
            ):
                break
            if items and contiguous is None:
                contiguous = not gap
            items.append(j)
        else:
            break
        previous, j = j, page.next_line(j)
    after = page.next_line(items[-1]) if items else None
    ends_in_story = after is None or after in page.protected or page.story(after)
    while (
        ends_in_story
        and items
        and (page.infos[items[-1]].shape == DEBRIS or page.infos[items[-1]].meta)
    ):
        items.pop()
    return items if any(page.infos[i].shape in (HEADLINE, LABEL) for i in items) else []


def drop_trailing_lists(page: Page) -> None:
    if page.tail < 0:
        return
    tail = [i for i in page.order if i >= page.tail]
    run: list[int] = []
    for i in [*tail, None]:
        if i is not None and _link_like(page, i):
            run.append(i)
            continue
        links = [
            j for j in run if page.infos[j].shape in (HEADLINE, LABEL) and j not in page.reasons
        ]
        if len(links) + sum(1 for j in run if j in page.reasons) >= 2 and len(links) >= 1:
            for j in run:
                if j not in page.reasons and (
                    (page.infos[j].shape in (HEADLINE, LABEL) and not page.infos[j].meta)
                    or _between(page, run, j)
                ):
                    page.drop(j, "related/trailing-list")
        run = []


def _link_like(page: Page, i: int) -> bool:
    info = page.infos[i]
    if i in page.reasons:
        return True
    if i in page.protected or info.meta in ("byline", "stamp") or _cut_off(info.text):
        return False
    return info.shape in (HEADLINE, LABEL, DEBRIS) or info.meta in ("date", "dateline")


def _between(page: Page, run: list[int], j: int) -> bool:
    """A date or counter with a link line on each side of it in the run."""
    pos = run.index(j)

    def link(k: int) -> bool:
        return page.infos[k].shape in (HEADLINE, LABEL) and (
            k not in page.reasons or page.reasons[k].endswith(("/list", "/trailing-list"))
        )

    return 0 < pos < len(run) - 1 and link(run[pos - 1]) and link(run[pos + 1])


def drop_headline_runs(page: Page) -> None:
    """Runs of headline-like lines with no heading over them: mostly off the story's topic,
    they are a list of other stories (a bulleted list under the title, a column after it)."""
    if page.first < 0 or len(body_tokens(page)) < MIN_BODY_TOKENS:
        return
    run: list[int] = []
    for i in [*page.order, None]:
        if i is not None and _headline_member(page, i):
            run.append(i)
            continue
        _settle_headline_run(page, run)
        run = []


def _headline_member(page: Page, i: int) -> bool:
    info = page.infos[i]
    if i in page.reasons:
        return page.reasons[i].split("/")[0] in ("related", "nav", "title")
    return (
        info.shape == HEADLINE
        and not info.meta
        and i not in page.protected
        and i not in page.headings
        and not _cut_off(info.text)
    )


def _settle_headline_run(page: Page, run: list[int]) -> None:
    open_lines = [i for i in run if i not in page.reasons]
    if not open_lines:
        return
    after_story = all(i > page.last for i in run)
    if len(run) < (2 if after_story else 3):
        return
    off = sum(1 for i in open_lines if overlap(page, i) < OFF_TOPIC)
    named = sum(1 for i in run if i in page.reasons)
    if (off + named) * 2 < len(run):
        return
    for i in open_lines:
        page.drop(i, "related/headlines")
