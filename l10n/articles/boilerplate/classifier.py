"""The line classifier: which lines of a page are site furniture rather than story.

It works in passes over the page, each adding lines to ``reasons`` with a
``class/feature`` reason ("share/label", "related/list", "promo/blurb" …):

1. lexicon: a line whose words name it (a phrase anywhere, or the whole line a
   label such as "Share" or "広告"); list headings are noted for pass 3;
2. zones: the story core runs from the first to the last prose line that
   nothing named; the title is the first headline before it;
3. lists under a heading ("Related", "関連記事"), which stop at prose, at a
   change of rhythm and at a subheading, so they never eat the page;
4. repeats: a repeated block that is not story goes in all its copies; a
   repeated story paragraph (a teaser of the lead) loses the copy outside it;
5. runs of short lines (menus, share bars, player controls, tag lists);
6. above the title, a list of links after the story, and the blurb around a
   promotion.

Precision comes first: prose (a long line that ends like a sentence and has
function words) is only dropped by a lexicon phrase or a file rule, and the
title, bylines and dates are kept by every structural pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from l10n.articles.boilerplate.features import (
    DEBRIS,
    HEADLINE,
    LABEL,
    PROSE,
    SENTENCE,
    LineInfo,
    describe,
    page_language,
)
from l10n.articles.boilerplate.lexicon import LIST_CLASSES, Lexicon, lexicon

REPEATED_BLOCK = "repeated-block"
MAX_PHRASE_CHARS = 250
PROMO_CLASSES = ("promo", "subscribe")
MIN_DUPLICATE_CHARS = {"latin": 25, "hangul": 12, "cjk": 12, "none": 10**6}
_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class Page:
    lines: Sequence[str]
    infos: dict[int, LineInfo]
    order: list[int]
    """Indices of the non-blank lines, in order."""
    reasons: dict[int, str]
    protected: set[int]
    lex: Lexicon
    headings: dict[int, str] = field(default_factory=dict)
    weak: dict[int, str] = field(default_factory=dict)
    first: int = -1
    last: int = -1
    titles: set[int] = field(default_factory=set)
    position: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {index: pos for pos, index in enumerate(self.order)}

    def drop(self, index: int, reason: str) -> None:
        if index not in self.reasons and index not in self.protected:
            self.reasons[index] = reason

    def story(self, index: int) -> bool:
        """A prose line nothing has named: the evidence of running story text."""
        return (
            self.infos[index].prose and index not in self.reasons and index not in self.headings
        )

    def zone(self, index: int) -> str:
        """``leading`` (before the title), ``trailing`` (after the story) or ``core``."""
        if self.first < 0:
            return "core"
        if index < self.first and (not self.titles or index < min(self.titles)):
            return "leading"
        if index > self.last:
            return "trailing"
        return "core"

    def next_line(self, index: int) -> int | None:
        pos = self.position[index]
        return self.order[pos + 1] if pos + 1 < len(self.order) else None

    def previous_line(self, index: int) -> int | None:
        pos = self.position[index]
        return self.order[pos - 1] if pos > 0 else None

    def blank_between(self, a: int, b: int) -> bool:
        return any(not self.lines[i].strip() for i in range(min(a, b) + 1, max(a, b)))

    def heads_paragraph(self, index: int) -> bool:
        """A short line directly followed by story prose: a subheading, not a link."""
        nxt = self.next_line(index)
        return nxt is not None and self.story(nxt)


def classify(
    lines: Sequence[str],
    reasons: dict[int, str],
    *,
    keep: Iterable[re.Pattern[str]] = (),
    title: str | None = None,
) -> dict[int, str]:
    """Add the classifier's drops to ``reasons`` (index → reason) and return it."""
    lex = lexicon()
    order = [i for i, line in enumerate(lines) if line.strip()]
    rough = [describe(i, lines[i], lex) for i in order]
    language = page_language(rough)
    infos = {i: describe(i, lines[i], lex, language) for i in order}
    keep = tuple(keep)
    protected = {i for i in order if any(p.search(lines[i].strip()) for p in keep)}
    page = Page(lines, infos, order, reasons, protected, lex)
    _lexicon_pass(page)
    _zones(page, title)
    _headed_lists(page)
    _repeats(page, title)
    _core(page)
    _protect_sign_off(page)
    _protect_byline_blocks(page)
    _runs(page)
    _above_title(page)
    _trailing_lists(page)
    _promo_blurbs(page)
    _between_drops(page)
    return page.reasons


# -- 1. lexicon -------------------------------------------------------------


def _lexicon_pass(page: Page) -> None:
    lex = page.lex
    for i in page.order:
        if i in page.reasons or i in page.protected:
            continue
        info = page.infos[i]
        if len(info.text) <= MAX_PHRASE_CHARS:
            guarded_ok = not (info.prose and info.attributed)
            cls = lex.phrase_class(info.text, guarded_ok=guarded_ok)
            if cls is None and info.core != info.text:
                cls = lex.phrase_class(info.core, guarded_ok=guarded_ok)
            if cls is not None:
                page.drop(i, f"{cls}/phrase")
                continue
        if not info.core or (info.final and info.text.endswith((".", "。"))):
            continue
        if _segmented(info):
            page.drop(i, "nav/segments")
            continue
        inline = _inline_heading(info.text, lex)
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


_BRACKETED = re.compile(r"[【\[［〔(（<＜〈]\s*([^】\]］〕)）>＞〉]{1,24}?)\s*[】\]］〕)）>＞〉]\s*(\S.*)")
_COLON = re.compile(r"([^:：|｜]{1,30}?)\s*[:：|｜]\s*(\S.*)")


def _inline_heading(text: str, lex: Lexicon) -> str | None:
    """"Read more: <headline>", "【関連記事】<headline>": a list heading with its one link."""
    for pattern in (_BRACKETED, _COLON):
        match = pattern.fullmatch(text.lstrip("•·・-–—*▶▷►☞■□◆◇○●※→ "))
        if match:
            cls = lex.heading_class(match.group(1).strip())
            if cls is not None and len(match.group(2)) <= 160:
                return cls
    return None


_SEPARATORS = re.compile(r"\s+[|｜·•›»>/]\s+|\s*[|｜›»]\s*")


def _segmented(info: LineInfo) -> bool:
    """Three or more short items between separators: "Home | World | Asia", "Home › News"."""
    if info.meta or info.shape == PROSE:
        return False
    parts = [p for p in _SEPARATORS.split(info.text) if p.strip()]
    if len(parts) < 3:
        return False
    limit = 12 if info.system == "cjk" else 4
    return all(
        len(p.split()) <= limit if info.system != "cjk" else len(p) <= limit for p in parts
    )


# -- 2. zones and title -----------------------------------------------------


def _core(page: Page) -> None:
    story = [i for i in page.order if page.story(i)]
    page.first, page.last = (story[0], story[-1]) if story else (-1, -1)


def _zones(page: Page, title: str | None) -> None:
    _core(page)
    if title:
        return
    before = [i for i in page.order if page.first < 0 or i < page.first]
    for i in before:
        if _title_like(page, i) and page.infos[i].shape == HEADLINE:
            page.titles.add(i)
            break
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


def _protect_sign_off(page: Page) -> None:
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
        if page.lex.cue_count(info.text):
            return
        page.protected.add(j)
        j = page.next_line(j)


def _protect_byline_blocks(page: Page) -> None:
    """Short lines next to a byline or date between the title and the story: an author
    block ("Yuki Tanaka / Tokyo correspondent / 3 hours ago")."""
    if page.first < 0 or not page.titles:
        return
    top, body = min(page.titles), _body_start(page)
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


def _title_like(page: Page, i: int) -> bool:
    info = page.infos[i]
    return (
        i not in page.reasons
        and i not in page.headings
        and i not in page.weak
        and not info.meta
        and info.shape in (HEADLINE, LABEL, SENTENCE)
    )


# -- 3. lists under a heading -----------------------------------------------


def _headed_lists(page: Page) -> None:
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


def _lone_heading_is_furniture(page: Page, h: int) -> bool:
    """A heading with no links under it: furniture unless it heads a paragraph of the story."""
    if page.zone(h) != "core":
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
        if info.meta == "byline":
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
            elif info.shape != link_shape and page.heads_paragraph(j):
                break
            if items and contiguous is None:
                contiguous = not gap
            items.append(j)
        else:
            break
        previous, j = j, page.next_line(j)
    while items and (page.infos[items[-1]].shape == DEBRIS or page.infos[items[-1]].meta):
        items.pop()
    return items if any(page.infos[i].shape in (HEADLINE, LABEL) for i in items) else []


# -- 4. repeats -------------------------------------------------------------


def _normal(text: str) -> str:
    return _PUNCT_EDGES.sub("", " ".join(text.split()).casefold())


def _repeats(page: Page, title: str | None) -> None:
    in_blocks = _repeated_blocks(page)
    _repeated_lines(page, in_blocks)
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
    between = any(
        page.story(i) for i in page.order if first[-1] < i < last[0] and i not in members
    )
    if not between or not _story_before(page, first[0], members):
        return first
    return [] if keep_both else [i for copy in copies[1:] for i in copy]


def _story_like(page: Page, block: list[int]) -> bool:
    return any(
        page.infos[i].prose and page.lex.cue_count(page.infos[i].text) == 0 for i in block
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
    for key, copies in groups.items():
        if len(copies) < 2:
            continue
        _settle_line_copies(page, copies)
    _truncated_teasers(page, groups)


def _settle_line_copies(page: Page, copies: list[int]) -> None:
    titles = [i for i in copies if i in page.titles]
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
    full = [(key, copies[0]) for key, copies in groups.items()]
    for i in page.order:
        if i in page.reasons or i in page.protected:
            continue
        info = page.infos[i]
        if not info.text.rstrip("”\"'」』)） ").endswith(("...", "…")):
            continue
        stem = _normal(info.text.rstrip("”\"'」』)） ").rstrip(".…"))
        if len(stem) < MIN_DUPLICATE_CHARS[info.system]:
            continue
        if any(j != i and key.startswith(stem) and len(key) > len(stem) for key, j in full):
            page.drop(i, "teaser/truncated")


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


# -- 5. runs of short lines -------------------------------------------------


def _runs(page: Page) -> None:
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
        return not page.reasons[i].startswith(("teaser", "title"))
    info = page.infos[i]
    return i not in page.headings and not info.meta and (info.short or i in page.weak)


def _settle_run(page: Page, run: list[int]) -> None:
    open_lines = [i for i in run if i not in page.reasons and i not in page.protected]
    if not open_lines or len(run) < 2:
        return
    named = sum(1 for i in run if i in page.reasons or i in page.weak)
    zones = {page.zone(i) for i in run}
    if zones <= {"leading", "trailing"}:
        ok = True
    else:
        ok = named * 2 >= len(run)
    if not ok:
        return
    for i in open_lines:
        if i not in page.weak and page.zone(i) == "core" and page.heads_paragraph(i):
            continue
        cls = page.weak.get(i) or _neighbour_class(page, run, i) or "nav"
        page.drop(i, f"{cls}/run")


def _neighbour_class(page: Page, run: list[int], i: int) -> str | None:
    pos = run.index(i)
    for j in sorted(run, key=lambda k: abs(run.index(k) - pos)):
        reason = page.reasons.get(j)
        if reason and "/" in reason:
            return reason.split("/")[0]
    return None


# -- 6. above the title, lists after the story, promotion blurbs --------------


def _above_title(page: Page) -> None:
    if not page.titles or page.first < 0:
        return
    top = min(page.titles)
    for i in page.order:
        if i >= top:
            break
        info = page.infos[i]
        if i in page.reasons or i in page.protected or info.meta:
            continue
        small = info.size <= (6 if info.system == "cjk" else 2)
        if info.shape == DEBRIS or (info.shape == LABEL and small):
            page.drop(i, "nav/above-title")


def _trailing_lists(page: Page) -> None:
    if page.first < 0:
        return
    tail = [i for i in page.order if i > page.last]
    run: list[int] = []
    for i in [*tail, None]:
        if i is not None and _link_like(page, i):
            run.append(i)
            continue
        links = [j for j in run if page.infos[j].shape in (HEADLINE, LABEL) and j not in page.reasons]
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
    if i in page.protected or info.meta == "byline":
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


def _promo_blurbs(page: Page) -> None:
    anchors = [
        i for i, reason in sorted(page.reasons.items()) if reason.split("/")[0] in PROMO_CLASSES
    ]
    for anchor in anchors:
        for step in (page.previous_line, page.next_line):
            j = step(anchor)
            for _ in range(3):
                if j is None or not _blurb(page, j):
                    break
                page.drop(j, f"{page.reasons[anchor].split('/')[0]}/blurb")
                j = step(j)


def _blurb(page: Page, j: int) -> bool:
    if j in page.reasons:
        return True
    info = page.infos[j]
    if j in page.protected or j in page.headings or info.meta or info.attributed:
        return False
    cues = page.lex.cue_count(info.text)
    if info.prose:
        return cues >= 2
    if info.shape in (LABEL, DEBRIS):
        return cues >= 1 or not page.heads_paragraph(j)
    return cues >= 1


def _between_drops(page: Page) -> None:
    """Counters and separators (no letters) sitting between two dropped lines."""
    for i in page.order:
        if i in page.reasons or page.infos[i].shape != DEBRIS:
            continue
        before, after = page.previous_line(i), page.next_line(i)
        if before in page.reasons and (after is None or after in page.reasons):
            page.drop(i, "debris/between")
