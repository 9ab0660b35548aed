"""The line classifier: which lines of a page are site furniture rather than story.

It works in passes over the page, each adding lines to ``reasons`` with a
``class/feature`` reason ("share/label", "related/list", "promo/blurb" …):

1. lexicon (here): a line whose words name it — a phrase anywhere, or the whole
   line a label such as "Share" or "広告"; "Home | World | Asia" menus; list
   headings are noted for pass 3;
2. zones: the story runs from the first to the last prose line nothing named;
   the title is the headline before it that shares the most words with it;
3. lists under a heading ("Related", "関連記事"), which stop at prose, at a
   change of rhythm and at a subheading, so they never eat the page;
4. repeats: a repeated block that is not story goes in all its copies; of a
   repeated story passage (a teaser of the lead) the copy outside the story goes;
5. runs of short lines (menus, share bars, player controls, tag lists), menus
   above the title, lists of links after the story, the blurb around a promotion.

Precision comes first: prose (a line that ends like a sentence, long enough and
with function words) is only dropped by a lexicon phrase or a file rule, and the
title, bylines, dates and the sign-off after the story are kept by every
structural pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from l10n.articles.boilerplate.captions import drop_captions
from l10n.articles.boilerplate.crumbs import (
    drop_breadcrumbs,
    drop_date_runs,
    drop_under_title_widgets,
)
from l10n.articles.boilerplate.features import (
    DEBRIS,
    LABEL,
    PROSE,
    LineInfo,
    describe,
    page_language,
)
from l10n.articles.boilerplate.lexicon import Lexicon, lexicon
from l10n.articles.boilerplate.lists import (
    drop_headed_lists,
    drop_headline_runs,
    drop_trailing_lists,
)
from l10n.articles.boilerplate.neighbours import (
    drop_between_drops,
    drop_promo_blurbs,
    drop_runs,
)
from l10n.articles.boilerplate.page import Page
from l10n.articles.boilerplate.repeats import drop_repeats
from l10n.articles.boilerplate.zones import (
    confirm_pending,
    drop_above_title,
    find_core,
    find_tail,
    find_title,
    protect_byline_blocks,
    protect_sign_off,
)

MAX_PHRASE_CHARS = 250
"""Longer lines are never dropped by a lexicon phrase: a paragraph may quote one."""


def classify(
    lines: Sequence[str],
    reasons: dict[int, str],
    *,
    keep: Iterable[re.Pattern[str]] = (),
    title: str | None = None,
    suspects: dict[int, str] | None = None,
) -> dict[int, str]:
    """Add the classifier's drops to ``reasons`` (index → reason) and return it.

    ``suspects``, when given, receives the story-like lines a lexicon phrase named that
    structure did not confirm (index → the phrase's reason): kept, but worth a look.
    """
    lex = lexicon()
    order = [i for i, line in enumerate(lines) if line.strip()]
    language = page_language([lines[i] for i in order])
    infos = {i: describe(i, lines[i], lex, language) for i in order}
    keep = tuple(keep)
    protected = {i for i in order if any(p.search(lines[i].strip()) for p in keep)}
    page = Page(lines, infos, order, reasons, protected, lex)
    if title is None:
        _find_lead(page)
    _lexicon_pass(page)
    drop_breadcrumbs(page)
    find_title(page, title)
    drop_headed_lists(page)
    drop_repeats(page, title)
    find_core(page)
    confirm_pending(page)
    drop_captions(page)
    drop_date_runs(page)
    protect_sign_off(page)
    protect_byline_blocks(page)
    drop_under_title_widgets(page)
    drop_runs(page)
    drop_above_title(page)
    drop_trailing_lists(page)
    drop_headline_runs(page)
    find_tail(page)
    drop_runs(page)
    drop_promo_blurbs(page)
    drop_between_drops(page)
    confirm_pending(page)
    if suspects is not None:
        suspects.update((i, r) for i, r in page.pending.items() if i not in page.reasons)
    return page.reasons


def _find_lead(page: Page) -> None:
    """A scraped page's first line is its title when it reads as a headline: it is kept, and
    a copy of it further down (a teaser, a repeated headline) is what goes."""
    if not page.order or page.order[0] in page.reasons:
        return
    first = page.infos[page.order[0]]
    if first.shape in (LABEL, DEBRIS) or first.meta == "byline" or _segmented(first):
        return  # a menu ("Home | World | Asia") or a label is no title
    page.lead = first.index
    page.titles.add(first.index)
    page.protected.add(first.index)


def _lexicon_pass(page: Page) -> None:
    lex = page.lex
    for i in page.order:
        if i in page.reasons or i in page.protected:
            continue
        info = page.infos[i]
        if len(info.text) <= MAX_PHRASE_CHARS:
            guarded_ok = not (info.prose and info.attributed)
            cls = lex.phrase_class(info.folded, guarded_ok=guarded_ok)
            if cls is None and info.core != info.folded:
                cls = lex.phrase_class(info.core, guarded_ok=guarded_ok)
            if cls is not None:
                if info.story_like and not lex.cue_count(info.folded):
                    page.pending[i] = f"{cls}/phrase"
                else:
                    page.drop(i, f"{cls}/phrase")
                continue
        if not info.core or (info.final and info.text.endswith((".", "。"))):
            continue
        if _segmented(info):
            page.drop(i, "nav/segments")
            continue
        inline = _inline_heading(info.folded, lex)
        if inline is not None:
            page.drop(i, f"{inline}/inline")
            continue
        heading = lex.heading_class(info.core)
        if heading is not None and info.shape != PROSE:
            page.headings[i] = heading
            continue
        cls = lex.label_class(info.core)
        if cls is not None:
            page.drop(i, f"{cls}/label")
            continue
        weak = lex.weak_class(info.core)
        if weak is not None and info.shape in (LABEL, DEBRIS):
            page.weak[i] = weak


_BRACKETED = re.compile(
    r"[【\[［〔(（<＜〈]\s*([^】\]］〕)）>＞〉]{1,24}?)\s*[】\]］〕)）>＞〉]\s*(\S.*)"
)
_COLON = re.compile(r"([^:：|｜]{1,30}?)\s*[:：|｜]\s*(\S.*)")


def _inline_heading(text: str, lex: Lexicon) -> str | None:
    """ "Read more: <headline>", "【関連記事】<headline>": a list heading with its one link."""
    for pattern in (_BRACKETED, _COLON):
        match = pattern.fullmatch(text.lstrip("•·・-–—*▶▷►☞■□◆◇○●※→ "))
        if match:
            cls = lex.heading_class(match.group(1).strip())
            if cls is not None and len(match.group(2)) <= 160:
                return cls
    return None


_PAIR = re.compile(r"\w\s*[:：=]\s*\w")
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*")
_HOME_TRAIL = re.compile(r"\S\s*[›»>]\s*\S")
_SEPARATORS = re.compile(r"\s+[|｜·•›»>/]\s+|\s*[|｜›»]\s*")


def _segmented(info: LineInfo) -> bool:
    """Three or more short items between separators: "Home | World | Asia", "Home › News"."""
    if info.meta or info.shape == PROSE or _TABLE_ROW.fullmatch(info.text):
        return False
    parts = [p for p in _SEPARATORS.split(info.text) if p.strip()]
    if sum(1 for p in parts if _PAIR.search(p)) * 2 >= len(parts):
        return False  # "Text: A / Editing: B": credits in label-value pairs, not a menu
    if sum(1 for p in parts if any(ch.isdigit() for ch in p)) * 2 >= len(parts):
        return False
    if len(parts) == 2 and _HOME_TRAIL.search(info.text):
        return lexicon().label_class(parts[0].strip()) == "nav"  # "Home » Nation"
    if len(parts) < 3:
        commas = [p.strip() for p in re.split(r"[,、，]", info.folded) if p.strip()]
        lex = lexicon()
        return len(commas) >= 3 and all(lex.weak_class(p) is not None for p in commas)
    limit = 12 if info.system == "cjk" else 4
    return all(len(p.split()) <= limit if info.system != "cjk" else len(p) <= limit for p in parts)
