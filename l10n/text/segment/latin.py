"""Sentence ends in languages written with spaces and capitals (English and other Latin-script
languages): full stops that are not abbreviations, initials, list markers or ellipses inside a
sentence.

A period after an abbreviation is read from what follows: a title ("Mr.") never ends a
sentence, a number-taking abbreviation ("No.", "Jan.") does not before a number, and an
abbreviation that often closes a sentence ("Inc.", "U.S.", "etc.") does so only when the next
word is one that opens sentences ("The", "How", "It" …), so "the U.S. Navy" stays whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from l10n.text.segment import quotes
from l10n.text.segment.marks import BULLETS, CLOSERS, CLOSERS_CLASS, OPENERS, next_visible


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and prefixes that are practically never the last word of a sentence.
NEVER_FINAL = _words(
    "mr mrs ms mx dr prof gen gov sen rep lt col capt sgt cmdr adm pres supt insp fr rev hon"
    " mt ft messrs mme mlle vs e.g i.e cf approx viz"
    # Vietnamese and Indonesian titles written before names: TP. Hồ Chí Minh, PGS.TS., Jl.
    " tp ts ths pgs gs bs bpk jl kab prov drs ir hj"
)
# Before a number they never end a sentence: "No. 10", "p. 55", "Jan. 31", "N°. 4471".
BEFORE_NUMBER = _words(
    "no nos nr n° nº num p pp para paras fig figs vol vols art arts ch sec secs ref tel ext"
    " ca est op ed rt ste apt"
    # currencies written before the amount: "Rs. 16,720", "Rp. 5.000"
    " rs rp"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
)
# End a sentence only when the next word opens one: "Acme Inc. The firm…", "Acme Inc. Chief…".
MAYBE_FINAL = _words(
    "inc ltd co corp llc plc bros jr sr etc st ave blvd rd sq dept univ assn esq al"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
)
TIME = _words("a.m p.m")
# After "3 p.m." these stay in the sentence: "3 p.m. Monday", "6 p.m. Eastern time".
TIME_FOLLOWERS = _words(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs"
    " fri sat sun today tonight tomorrow yesterday"
    " january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
    " eastern central pacific mountain atlantic gmt utc bst cet cest est edt cst cdt pst pdt"
    " mst mdt et pt ct kst jst hkt sgt ist aest local"
)
# Closed-class words that open sentences; after an ambiguous abbreviation they mark a boundary.
STARTERS = _words(
    "the a an this that these those there here it its he she they we i you his her their our"
    " my your who what when where why how which whose whom but and or so yet nor however"
    " meanwhile still also then now later instead moreover furthermore nevertheless although"
    " though while if as after before since because in on at by for with without from during"
    " under over despite among some many most all both each every several few no none is are"
    " was were do does did has have had will would can could should shall may might must"
    " mr mrs ms"
    # counts that open news sentences: "… in the U.S. Millions watched."
    " millions thousands hundreds dozens billions tens scores"
)
PREPOSITIONS = _words("at by in on until till before after since from around about near")
"""A sentence cannot be just "At 5 a.m.": a short prepositional opening goes on past it."""

_DOTTED = re.compile(r"(?:[a-z]{1,2}\.)+[a-z]{1,2}")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A run of sentence-final marks: spaced dots (". . ."), or any run of . ! ? … and the like;
# then closing quotes and brackets; then a space or the end. A full-width mark ("．", "。")
# carries its own space: the next sentence may follow at once. Group 1 is the marks and their
# closers; the spaces after them are taken too, so the match ends where the next word starts.
# (The lookahead first lets the regex engine skip to the next mark at once: 40% faster.)
_END = re.compile(
    r"(?=[.!?…‽‼⁇⁈⁉؟।۔．。！？])((?:\.(?:[ \u00a0]\.)+|[.!?…‽‼⁇⁈⁉؟।۔]+)"
    + CLOSERS_CLASS
    + r"*(?=\s|$)|[．。！？]+"
    + CLOSERS_CLASS
    + r"*)\s*",
)
_MARK = re.compile(r"[.!?…‽‼⁇⁈⁉؟।۔．。！？]")
_FULL_WIDTH = frozenset("．。！？")
# A quotation broken off with a dash, then a new sentence: '… afore she comes, to--" At this'.
_BROKEN_OFF = re.compile(r"(?:--|[—–])[\"”’']\s+(?=[A-Z])")


_GLUED_DOT = re.compile(r"\.[A-Z\d\[]")
# A full stop glued to the next sentence: "world.Today", "bought 1,000.That".
# A reference mark after the full stop: "martyr.[1] The", "consultation.11 12 Take".
_NOTE = re.compile(
    r"\.(?:(?<=[^\W\d_]\.)|(?<=[)\]]\.))((?:\[\d{1,3}\])+|\d{1,3}(?: \d{1,3})*)(?=\s+[A-Z])"
)


def cuts(text: str, caseless: bool = False) -> set[int]:
    """Positions where a sentence ends (the index after its last mark)."""
    found: set[int] = set()
    sentence_start = 0
    held = quotes.spans(text) if quotes.TRIGGER.search(text) else []
    length = len(text)
    pos = 0
    # _END.finditer(text), found faster: the next mark by a plain character class (which the
    # regex engine scans for at once), then _END matched there alone.
    # The commonest mark, a full stop with one space and a word after it, is read directly.
    while (mark := _MARK.search(text, pos)) is not None:
        start = mark.start()
        if start + 1 == length:
            break  # the text's last mark: its end is a cut anyway
        if (
            text[start] == "."
            and text[start + 1] == " "
            and start + 2 < length
            and text[start + 2] != "."
            and not text[start + 2].isspace()
        ):
            marks, end, nxt = ".", start + 1, start + 2
        else:
            match = _END.match(text, start)
            if match is None:
                pos = start + 1
                continue
            marks, end, nxt = match.group(1), match.end(1), match.end()
            if nxt == length:
                break
        pos = nxt
        cut = _cut_for(text, start, end, marks, nxt, caseless, sentence_start)
        if cut is not None and held and not _quote_allows(text, held, cut, nxt):
            cut = None
        if cut is not None:
            found.add(cut)
            sentence_start = cut
    if not caseless and _GLUED_DOT.search(text):
        found.update(_glued(text))
        found.update(m.end() for m in _NOTE.finditer(text))
    if held and ("--" in text or "—" in text or "–" in text):
        found.update(
            m.start() + len(m.group().rstrip())
            for m in _BROKEN_OFF.finditer(text)
            if quotes.closing_at(held, m.start() + len(m.group().rstrip()) - 1) is not None
        )
    return found


_GLUED_WORD = re.compile(r"(?:[A-Za-z]?[a-z]{2,}|[\d,]*\d)")
_CAPITAL_WORD = re.compile(r"[A-Z][a-z]+\b")


def _glued(text: str) -> Iterator[int]:
    """Ends of full stops glued to the next sentence ("world.Today", "1,000.That"): a word or
    number that starts after a space (not inside an address or an abbreviation), a dot, then
    a capitalised word."""
    for hit in _GLUED_DOT.finditer(text):
        dot = hit.start()
        if not _CAPITAL_WORD.match(text, dot + 1) or _in_address(text, dot + 1):
            continue
        word = number = dot
        while word > 0 and text[word - 1].isalnum():
            word -= 1
        while number > 0 and (text[number - 1].isalnum() or text[number - 1] == ","):
            number -= 1
        if any(
            _GLUED_WORD.fullmatch(text, start, dot)
            and not (start and (text[start - 1] in "_.@/" or text[start - 1].isalnum()))
            for start in {word, number}
        ):
            yield dot + 1


def _quote_allows(text: str, held: list[tuple[int, int]], cut: int, nxt: int | None) -> bool:
    """No cut inside a quotation or brackets; after a quotation that ends with its own mark, a
    bracket opens no new sentence ("… the house!' (Which was true.)") unless another quotation
    follows the bracket (a narrator's aside between two quoted passages)."""
    if quotes.inside(held, cut):
        return False
    if nxt is None or text[nxt] not in "([" or text[cut - 1] not in CLOSERS:
        return True
    if quotes.closing_at(held, cut - 1) is None:
        return True
    aside = next((end for start, end in held if start == nxt), None)
    after = next_visible(text, aside + 1) if aside is not None else None
    return after is not None and text[after] in "\"“‘'"


def _in_address(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside an e-mail address or a web address ("Jane.Doe@example.com")."""
    start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = len(text)
    for space in (" ", "\n"):
        found = text.find(space, pos)
        if found != -1:
            end = min(end, found)
    token = text[start:end]
    return "@" in token or "://" in token or token.lower().startswith("www.")


_OPENS = frozenset(OPENERS + BULLETS)


def starts_sentence(ch: str, caseless: bool) -> bool:
    if ch.isupper() or ch.isdigit() or ch in _OPENS:
        return True
    if ch.isalpha():
        # Uncased scripts (Hangul, kana, Han) cannot signal a new sentence by case.
        return caseless or not ch.islower()
    return False


def _cut_for(
    text: str, start: int, end: int, marks: str, nxt: int, caseless: bool, sentence_start: int
) -> int | None:
    """Where ``marks`` (from ``start`` to ``end``, closers included) end a sentence, if they
    do; ``nxt`` is where the next word starts."""
    if marks == ".":  # the common case first: one full stop, nothing after it
        if not (
            starts_sentence(text[nxt], caseless) or _camel(text, nxt) or _dash_opening(text, nxt)
        ):
            return None
        return end if period_ends_sentence(text, start, nxt, sentence_start) else None
    marks = marks.rstrip(CLOSERS)
    before = text[start - 1] if start else " "
    follows = starts_sentence(text[nxt], caseless) or _camel(text, nxt) or _dash_opening(text, nxt)
    if " " in marks or "\u00a0" in marks:
        return _spaced_ellipsis(start, end, marks, before, follows)
    if marks.startswith(("..", "…")):
        if before in "[(":
            return None  # "[...]" marks words left out of a quotation
        if before.isspace() and marks.count(".") < 4:
            return None  # "really ... well": an ellipsis standing between words
        return end if follows else None
    if marks[0] in _FULL_WIDTH and before.isdigit() and text[nxt].isdigit():
        return None  # "３．２"
    if marks != ".":
        return end if follows else None
    if not follows:
        return None
    return end if period_ends_sentence(text, start, nxt, sentence_start) else None


def _spaced_ellipsis(start: int, end: int, marks: str, before: str, follows: bool) -> int | None:
    """ ". . ." inside a sentence; ". . . ." ends one; "word. . . . Next" ends after "word."."""
    if not follows:
        return None
    dots = marks.count(".")
    if not before.isspace():
        # The first dot is the full stop of the word; the spaced dots open the next sentence.
        return start + 1 if dots >= 4 else end
    return end if dots >= 4 else None


def period_ends_sentence(text: str, period: int, nxt: int, sentence_start: int) -> bool:
    """Whether a single '.' (followed by a sentence-like start at ``nxt``) is a full stop."""
    start = text.rfind(" ", 0, period) + 1
    token = text[start:period]
    if not token.isprintable() or "\u00a0" in token:
        start = period  # another space (a line break, a tab, a no-break space) stands nearer
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        token = text[start:period]
    rules = _rules_of(token)
    if not rules:
        return True
    if rules & _NEVER:
        return False
    if rules & _NUMBER and text[nxt].isdigit():
        return False
    if rules & _LETTER and not text[sentence_start:start].strip():
        return False  # "Q. What …", "A. It …": a letter that opens a sentence labels it
    if rules & _TIME:
        following = _words_at(text, nxt, 2)
        if _fronted_phrase(text[sentence_start:period]) or not following:
            return False
        return following[0] not in TIME_FOLLOWERS and following[1:2] != ["time"]
    if rules & _MAYBE:
        following = _words_at(text, nxt, 1)
        if not following or following[0] not in STARTERS:
            return False
        return not _fronted_phrase(text[sentence_start:period])
    return True


_NEVER, _NUMBER, _LETTER, _TIME, _MAYBE = 1, 2, 4, 8, 16


@functools.lru_cache(maxsize=8192)
def _rules_of(token: str) -> int:
    """What the word before a full stop says about it, as flags (0: an ordinary word, the
    stop ends the sentence). Looked up once per word: the same words recur in every text."""
    token = token.lstrip(OPENERS)
    if not token or "@" in token or "/" in token or token[-1].isdigit():
        return 0
    word = token.lower()
    if word in NEVER_FINAL or word.rsplit(".", 1)[-1] in NEVER_FINAL:
        return _NEVER
    letter = len(token) == 1 and token.isalpha()
    rules = (_NUMBER if word in BEFORE_NUMBER else 0) | (_LETTER if letter else 0)
    if word in TIME:
        rules |= _TIME
    if letter or word in MAYBE_FINAL or ("." in word and _DOTTED.fullmatch(word)):
        rules |= _MAYBE
    return rules


def _dash_opening(text: str, pos: int) -> bool:
    """ "What do you see? - Posted …": a dash and a capital open the next sentence."""
    after = text[pos + 1 : pos + 3]
    return text[pos] in "-–—" and after[:1] == " " and after[1:].isupper()


def _camel(text: str, pos: int) -> bool:
    """A word written lower-case first by design ("iOS", "eBay") may open a sentence."""
    word = _WORD.match(text, pos)
    return word is not None and any(ch.isupper() for ch in word.group()[1:])


def _words_at(text: str, pos: int, count: int) -> list[str]:
    if count == 1:
        word = _WORD.search(text, pos)
        return [word.group().lower()] if word else []
    words = []
    for match in _WORD.finditer(text, pos):
        words.append(match.group().lower())
        if len(words) == count:
            break
    return words


def _fronted_phrase(sentence: str) -> bool:
    """ "At 5 a.m.", "By 7 p.m.": a short opening phrase, not yet a sentence of its own."""
    words = sentence.split(None, 4)
    return 0 < len(words) <= 4 and words[0].lower().strip(OPENERS) in PREPOSITIONS
