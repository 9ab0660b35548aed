"""Photo captions: a descriptive line with a caption's marks (where people stand, what the
picture is, the credit or date-place stamp closing it), confirmed by where it sits.

A mark alone never drops a line: a paragraph may say "left" or name an agency. The line
goes when structure agrees — it lies between the headline and the lead, it has a credit,
an image marker or another caption next to it, or the page shows it twice.
"""

from __future__ import annotations

import re

from l10n.articles.boilerplate.features import DEBRIS, HEADLINE, LABEL, PROSE, SENTENCE
from l10n.articles.boilerplate.page import Page

_PICTURE_CLASSES = ("caption", "embed", "player")


def drop_captions(page: Page) -> None:
    if page.first < 0:
        return
    _release_credited_titles(page)
    marked = {i for i in page.order if _marks(page, i) != (False, False)}
    body = next((i for i in page.order if page.story(i) and i not in marked), page.first)
    lead_dateline = body >= 0 and bool(page.lex.dateline.match(page.infos[body].folded))
    texts: dict[str, int] = {}
    for i in page.order:
        key = page.infos[i].text
        texts[key] = texts.get(key, 0) + 1
    for i in page.order:
        info = page.infos[i]
        if i in page.reasons or i in page.protected or i in page.headings or info.meta:
            continue
        if info.attributed or info.shape not in (PROSE, SENTENCE, HEADLINE):
            continue
        strong, weak = _marks(page, i)
        if not (strong or weak):
            continue
        under_headline = page.lead < i < body and i not in page.titles
        beside = _beside_picture(page, i)
        twice = texts[info.text] > 1
        if (strong and (under_headline or beside or twice or _self_evident(page, i))) or (
            weak and ((under_headline and lead_dateline) or _self_evident(page, i))
        ):
            page.drop(i, "caption/marked" if strong else "caption/described")


def _release_credited_titles(page: Page) -> None:
    """A headline-like line under the page's title line that closes with a picture's credit
    was taken for a copy of the title: it is a caption, the title line stays."""
    if page.lead < 0:
        return
    for i in sorted(page.titles - {page.lead}):
        if page.infos[i].attributed or not _closing_credit(page, i):
            continue
        page.titles.discard(i)
        page.protected.discard(i)
        if page.headline == i:
            below = sorted(page.titles - {page.lead})
            page.headline = below[0] if below else -1


def _marks(page: Page, i: int) -> tuple[bool, bool]:
    """(a strong caption mark, only a caption's present tense)."""
    info = page.infos[i]
    if info.attributed:
        return False, False
    strong = bool(page.lex.caption_strong.search(info.folded)) or _closing_credit(page, i)
    return strong, not strong and bool(page.lex.caption_weak.search(info.folded))


# A picture's source by its shape, whatever the agency: an all-capitals name after a bar at
# the very end ("… in Tokyo in July | REUTERS"), or capitalised names followed by "photo(s)"
# in brackets at the end ("(AFP, Reuters photos)", "(Yonhap photo)").
_SHAPED_CREDITS = (
    re.compile(r"\S\s+[|｜]\s*[A-Z][A-Z0-9&./-]{1,20}(?:[ -][A-Z][A-Z0-9&./-]{1,20}){0,2}\s*$"),
    re.compile(
        r"\((?:[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?(?:,\s*|\s*/\s*|\s+and\s+))*"
        r"[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)? (?:photos?|pictures?|images?|file photo)\)\s*$"
    ),
)


def _closing_credit(page: Page, i: int) -> bool:
    info = page.infos[i]
    if page.lex.caption_credit.search(info.folded):
        return True
    return info.system == "latin" and any(p.search(info.text) for p in _SHAPED_CREDITS)


def _self_evident(page: Page, i: int) -> bool:
    """A caption wherever it stands: it closes with a photo credit or date-place stamp, or
    it places people in the picture in a caption's present tense, or it is one sentence in a
    caption's present tense closed by a wire caption's date ("… speaks during a session in
    Tokyo on November 10, 2025.")."""
    info = page.infos[i]
    if _closing_credit(page, i):
        return True
    if not page.lex.caption_weak.search(info.folded):
        return False
    if page.lex.caption_strong.search(info.folded):
        return True
    return bool(page.lex.caption_stamp.search(info.folded)) and _one_sentence(info.text)


def _one_sentence(text: str) -> bool:
    """No sentence end before the last one ("Jan. 5" and "U.S." aside)."""
    body = text.rstrip().rstrip(".")
    return not re.search(r"[a-z]{3,}[.!?]\s+[A-Z]", body)


def _beside_picture(page: Page, i: int) -> bool:
    """A credit, an image marker or another caption directly above or below."""
    for j in (page.previous_line(i), page.next_line(i)):
        if j is None:
            continue
        if page.reasons.get(j, "").split("/")[0] in _PICTURE_CLASSES:
            return True
        info = page.infos[j]
        if info.shape in (LABEL, DEBRIS) and page.lex.label_class(info.core) == "caption":
            return True
        if j not in page.reasons and _marks(page, j)[0]:
            return True
    return False
