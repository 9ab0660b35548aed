"""Residue that is not story text: markup tags left in a text field, rule lines of one symbol
repeated, and line breaks escaped as text.

A scraper or a feed sometimes hands over "<p>The mayor spoke.</p>", a line of "////////" or
"… said. \\r\\n The" (a line break escaped twice). None of it is text to translate, and an
engine would mangle it. Sentence segmentation reads the paragraph with this residue masked
(:func:`mask`: the same length, residue turned into spaces, an escaped line break into a line
break), so a tag is a space between words, a rule line is blank and an escaped break ends a
line. Segments stay exact slices of the paragraph; only residue at a segment's edges is left
between segments, and a segment of residue alone is not one.

Nothing else is changed or dropped: a tag inside a sentence ("It <em>is</em>!") stays in its
segment, and only tags of HTML's and XLIFF's own elements count (a "<note>" of the story's
own is text), so no word of a story is ever taken for residue. XLIFF's native-code elements
(``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``) are residue with their content, which is code by
that format's definition.
"""

from __future__ import annotations

import re

_ELEMENTS = (
    "a|abbr|article|aside|b|big|blockquote|br|caption|center|cite|code|dd|del|div|dl|dt|em"
    "|figcaption|figure|font|footer|h[1-6]|header|hr|i|iframe|img|ins|kbd|li|main|mark|nav|ol"
    "|p|picture|pre|q|s|section|small|source|span|strike|strong|sub|sup|table|tbody|td|tfoot"
    "|th|thead|time|tr|tt|u|ul|var|wbr"
    # XLIFF's inline elements
    "|bpt|ept|bx|ex|g|it|ph|x"
)
_RESIDUE = re.compile(
    # XLIFF's native-code elements, whose content is code too: <bpt …>&lt;b&gt;</bpt>
    r"<(bpt|ept|ph|it)(?:\s[^<>]*)?>[^<]*</\1>"
    r"|</?(?:" + _ELEMENTS + r")(?:\s[^<>]*)?/?>"  # a tag of a known element
    r"|([/\\=*_~#+|-])\2{3,}"  # a rule: one symbol four times or more
    r"|(?<!\S)(?:\\r\\n|\\n|\\r)+(?!\S)",  # line breaks escaped as text, standing alone
    re.IGNORECASE,
)
_MAY_HAVE = re.compile(r"[<\\/=*_~#+|]")
"""A quick test (with "----"): most paragraphs have no residue at all. One character class,
which the regex engine scans for at once."""


def mask(text: str) -> str:
    """``text`` with its residue blanked: the same length, so every index still points at
    the same place; an escaped line break becomes a line break."""
    if not (_MAY_HAVE.search(text) or "----" in text):
        return text
    return _RESIDUE.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    found = match.group()
    if found.startswith("\\") and found[1:2] in "rn" and not match.group(2):
        return "\n" + " " * (len(found) - 1)
    return " " * len(found)
