"""Who a bare surname stands for: the article decides, and only when it is unambiguous.

A short form (Lee, Kim, Trump) is a mention of a glossary person only where

* the article — title included — names exactly one glossary person with that short
  form in full, and names nobody else who carries it (another Lee: Lee Jun-seok,
  Senator Mike Lee); and
* this occurrence is not itself part of another name: a capitalised name word right
  before or after it (Mike Lee, Kim Yo Jong, Robert E. Lee), or a suffix such as Jr.

Titles (President Lee), possessors (South Korea's Lee), acronyms (LDP Takaichi),
function words at a sentence start (When Lee …) and institution words after the name
(Trump Tower, Kim regime) are not name words. In all-caps or title-case headlines the
capitals say nothing, so there only the article-wide evidence counts.

:class:`ArticleNames` is computed once per article from all its source segments and is
small and picklable, so it can travel to the workers that translate its segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words(
    """
    president prime minister premier chancellor chairman chairwoman chair leader general gen
    senator sen rep representative congressman congresswoman governor gov mayor mr mrs ms miss
    mx dr prof professor secretary chief justice judge ambassador speaker king queen emperor
    empress prince princess lt col adm admiral colonel captain capt sgt sergeant commander
    lord lady sir dame pope rev reverend vice deputy former acting foreign defense defence
    finance trade unification interior opposition party presidential candidate nominee envoy
    spokesman spokeswoman spokesperson director officer ceo chairperson marshal
    lieutenant major brig brigadier field supreme first state
    """
)
FUNCTION_WORDS = _words(
    """
    a an the and but or nor for so yet as at by in of off on per to up via with from into over
    after before when while since if though although because until unless whereas then than
    also still even just only not no yes he she it they we you i his her its their our my your
    this that these those there here who whom whose which what where why how all both each
    every some many most more few other such another asked meanwhile however therefore moreover
    yesterday today tonight tomorrow earlier later now instead besides despite during under
    above below between among against without within about around near across through toward
    towards upon once again perhaps maybe indeed mr monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec
    north south east west northern southern eastern western
    """
)
INSTITUTION_WORDS = _words(
    """
    tower towers organization organisation administration foundation group corp corporation
    inc doctrine thought era plaza hotel library center centre museum estate golf resort
    campaign presidency family clan dynasty regime government cabinet camp loyalists supporters
    """
)
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_WORD_CHARS = "A-Za-z'’.\\-"
_WORD_BEFORE = re.compile(rf"([{_WORD_CHARS}]+) $")
_WORD_AFTER = re.compile(rf"^ ,? ?([{_WORD_CHARS}]+)")
_SMALL_WORDS = _words(
    "a an the and but or nor for so yet as at by in of off on per to up via vs with from into "
    "over amid after than out"
)
_NON_LETTERS = re.compile(r"[^A-Za-z]+")
_DROP_LOWER = {c: None for c in range(ord("a"), ord("z") + 1)}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")


@dataclass(frozen=True)
class ArticleNames:
    """What the whole article says about people, for deciding short forms.

    ``persons``: ids of the glossary entries the article names in full (any alias or
    spelling). ``others``: per short form (lower-cased), the other names in the
    article that carry it (``("lee", ("Lee Jun-seok",))``).
    """

    persons: frozenset[str] = frozenset()
    others: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def others_for(self, key: str) -> tuple[str, ...]:
        for form, names in self.others:
            if form == key:
                return names
        return ()


def short_key(surface: str) -> str:
    """The key a short form is filed under (case and apostrophe style folded)."""
    return surface.casefold().replace("’", "'")


def mostly_upper(text: str) -> bool:
    """At least 70% of at least four ASCII letters are capitals (a headline in capitals)."""
    letters = _NON_LETTERS.sub("", text)
    if len(letters) < 4:
        return False
    return len(letters.translate(_DROP_LOWER)) >= 0.7 * len(letters)


def is_headline(text: str) -> bool:
    """All capitals or Title Case, where capitals do not mark names."""
    if mostly_upper(text):
        return True
    count = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() and word.lower() not in _SMALL_WORDS:
            return False
        count += 1
    return count >= 3


def _is_name_word(word: str, *, sentence_start: bool) -> bool:
    """Whether a capitalised word next to a surname is part of a person's name."""
    if not word or not word[0].isupper():
        return False
    if word.endswith(("'s", "’s", "'", "’")):
        return False
    if word.endswith(".") and len(word.rstrip(".")) > 1:
        return False
    bare = word.rstrip(".").lower()
    if bare in TITLES or bare in FUNCTION_WORDS or bare in INSTITUTION_WORDS:
        return False
    if len(bare) >= 2 and word.rstrip(".").isupper():
        return False
    return not (sentence_start and bare.endswith(("ly", "ed", "ing")))


def _starts_sentence(text: str, index: int) -> bool:
    return index == 0 or bool(_SENTENCE_END.search(text[max(0, index - 8) : index]))


def other_name(text: str, start: int, end: int, covered: list[tuple[int, int]]) -> str | None:
    """The other person's name ``text[start:end]`` is part of, or None when it stands alone.

    ``covered`` lists spans of other glossary names in ``text``: a place or person next to
    a surname (Seoul Lee) is not a given name.
    """

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in covered)

    before_words: list[str] = []
    cursor = start
    while True:
        window = max(0, cursor - 40)
        match = _WORD_BEFORE.search(text[window:cursor])
        if match is None:
            break
        a, b = window + match.start(1), window + match.end(1)
        word = match.group(1)
        if not free(a, b) or not _is_name_word(word, sentence_start=_starts_sentence(text, a)):
            break
        before_words.insert(0, word)
        cursor = a
        if len(before_words) == 3:
            break
    after_words: list[str] = []
    cursor = end
    suffix = False
    while True:
        match = _WORD_AFTER.match(text[cursor : cursor + 40])
        if match is None:
            break
        word = match.group(1)
        a, b = cursor + match.start(1), cursor + match.end(1)
        bare = word.rstrip(".,").lower()
        if bare in NAME_SUFFIXES and not after_words:
            suffix = True
            after_words.append(word)
            break
        ends_sentence = word.endswith(".") and len(word.rstrip(".")) > 1
        bare_word = word.rstrip(".") if ends_sentence else word
        if (
            "," in match.group(0)
            or not free(a, b)
            or not _is_name_word(bare_word, sentence_start=False)
        ):
            break
        after_words.append(bare_word)
        cursor = b
        if ends_sentence or len(after_words) == 3:
            break
    if not before_words and not after_words and not suffix:
        return None
    return " ".join([*before_words, text[start:end], *after_words])


def followed_by_suffix(text: str, end: int) -> bool:
    """``Donald Trump Jr.`` names another person than ``Donald Trump``."""
    if not text.startswith((" J", " S", " I", ", J", ", S", ", I"), end):
        return False
    match = _WORD_AFTER.match(text[end : end + 12])
    return match is not None and match.group(1).rstrip(".,").lower() in NAME_SUFFIXES
