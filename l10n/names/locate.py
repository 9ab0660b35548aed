"""Where a source name is rendered in a target sentence: the span that sounds like it.

Candidates are the name-like spans of the target: hangul words (one to three, spaced as
written) with their particles cut off (조현은 → 조현, reusing the glossary's particle
table), and runs of kanji and katakana with titles and honorifics cut off (岩屋氏,
岩屋外相 → 岩屋). Each is romanised and compared with the source name in either order
of its parts; a span that starts with the family name (岩屋毅 for Takeshi Iwaya, whose
given name kanji read otherwise) also counts. Each name takes its best span; two names
never take the same one, so two people sharing a surname keep their own renderings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from l10n.glossary.korean_particles import ends_word_with_particles
from l10n.names.finder import JA_TITLES, KO_TITLES, MAX_TEXT, NameMention
from l10n.names.romanize import KOREAN_SURNAMES, ratio, romanize, skeleton

THRESHOLD = 0.7
"""Lowest similarity at which a span is taken for the name."""
STRICT = 0.85
"""A lone word that nothing marks as a person (no title, no full name) must sound closer."""
TOLERANCE = 0.1
"""Spans this close to the best one are equally good; the tie goes by length."""
CUT_TOLERANCE = 0.06
"""A shorter cut this close to the best is taken: what it leaves off is a particle."""
MAX_WORDS = 3
MAX_SYLLABLES = 6
"""A longer hangul word is not joined to the next one (크리스토퍼 랜도 is)."""
MAX_KANJI = 8

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_JA_RUN = re.compile(r"[\u3400-\u9fff\u3005\u30a0-\u30ff・ー]+")
_KANJI = re.compile(r"[\u3400-\u9fff]")
_KANJI_RUN = re.compile(r"[\u3400-\u9fff\u3005]+")
_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ffー・]+")
_KATAKANA = re.compile(r"^[\u30a0-\u30ffー・]+$")
_JA_TITLES = tuple(sorted(JA_TITLES, key=len, reverse=True))
_FORMER = ("前", "元", "現", "第")
_JA_PREFIXES = ("前", "元", "新", "現", "故", "同", "韓国", "日本", "中国", "米国", "北朝鮮")
_KO_SUFFIXES = tuple(sorted((*KO_TITLES, "씨", "측", "님"), key=len, reverse=True))
_KO_TITLE_WORDS = frozenset(_KO_SUFFIXES)


@dataclass(frozen=True)
class Span:
    """A name-like span of a target sentence: offsets and text (particles left out)."""

    start: int
    end: int
    text: str
    whole: bool = True
    """Bounded as a word is: not a piece cut out of a longer kanji run."""
    titled: bool = False
    """A title or honorific follows it (趙顕外相, 조현 장관): a name whatever it sounds like."""


@dataclass(frozen=True)
class Rendering:
    """How a mention is rendered in the target: the span and how close it sounds."""

    mention: NameMention
    start: int
    end: int
    text: str
    score: float


def _cut_particles(word: str) -> list[int]:
    """Lengths at which ``word`` may end a name: the rest is particles (or nothing)."""
    cuts = [i for i in range(1, len(word)) if ends_word_with_particles(word, i)]
    for end in (*cuts, len(word)):  # a title written on to the name: 조현장관은 → 조현
        for suffix in _KO_SUFFIXES:  # longest first; only the longest counts
            if word.endswith(suffix, 0, end):
                if end > len(suffix):
                    cuts.append(end - len(suffix))
                break
    return sorted({*cuts, len(word)})


@lru_cache(maxsize=4096)
def korean_spans(text: str) -> tuple[tuple[Span, ...], ...]:
    """Per span of one to three spaced hangul words: the ways of cutting its last word."""
    words = list(_HANGUL_WORD.finditer(text))
    out: list[tuple[Span, ...]] = []
    for i in range(len(words)):
        for j in range(i, min(i + MAX_WORDS, len(words))):
            if j > i and text[words[j - 1].end() : words[j].start()] != " ":
                break
            start = words[i].start()
            last = words[j]
            cuts = _cut_particles(last.group(0))
            if j > i and any(last.group(0)[:c] in _KO_TITLE_WORDS for c in cuts):
                break  # 마이클 그린 씨는: the honorific is not part of the name
            if j > i and not all(ends_word_with_particles(w.group(0), len(w.group(0)))
                                 for w in words[i:j]):  # fmt: skip
                break
            after = text[last.end() : last.end() + 6].lstrip()
            titled = after.startswith(KO_TITLES)
            out.append(
                tuple(
                    Span(
                        start,
                        last.start() + c,
                        text[start : last.start() + c],
                        titled=titled or last.group(0)[c:].startswith(KO_TITLES),
                    )
                    for c in cuts
                )
            )
            if len(last.group(0)) > MAX_SYLLABLES:
                break
    return tuple(out)


def _strip_ja(run: str, start: int) -> tuple[int, int, bool]:
    a, b = 0, len(run)
    if run.endswith("第") and b > 1:  # 第1外務次官: the ordinal of the title after it
        b -= 1
    titled = False
    changed = True
    while changed and b > a:
        changed = False
        for title in _JA_TITLES:
            if run.endswith(title, a, b) and b - len(title) > a:
                b -= len(title)
                changed = titled = True
                if run[b - 1 : b] in _FORMER and b - 1 > a:
                    b -= 1
                break
        for prefix in _JA_PREFIXES:
            if run.startswith(prefix, a, b) and a + len(prefix) < b:
                a += len(prefix)
                changed = True
                break
    return start + a, start + b, titled


@lru_cache(maxsize=4096)
def japanese_spans(text: str) -> tuple[tuple[Span, ...], ...]:
    """Runs of kanji and katakana without titles; kanji runs also by their pieces."""
    out: list[tuple[Span, ...]] = []
    for match in _JA_RUN.finditer(text):
        a, b, titled = _strip_ja(match.group(0), match.start())
        piece = text[a:b]
        out.append((Span(a, b, piece, titled=titled),))
        if _KATAKANA.match(piece):
            parts = [p for p in re.finditer(r"[^・]+", piece)]
            if len(parts) > 1:
                for p in parts:
                    out.append((Span(a + p.start(), a + p.end(), p.group(0), False),))
            continue
        for kanji in _KANJI_RUN.finditer(piece):
            start, chunk = a + kanji.start(), kanji.group(0)
            if len(chunk) > MAX_KANJI * 2:
                continue
            for i in range(len(chunk)):
                for j in range(i + 1, min(len(chunk), i + MAX_KANJI) + 1):
                    if (start + i, start + j) != (a, b):
                        out.append((Span(start + i, start + j, chunk[i:j], False),))
        for kana in _KATAKANA_RUN.finditer(piece):
            if kana.end() - kana.start() < len(piece):
                span = Span(a + kana.start(), a + kana.end(), kana.group(0), False)
                out.append((span,))
    return tuple(out)


def spans(text: str, lang: str) -> tuple[tuple[Span, ...], ...]:
    """The candidate spans of a target sentence (each with its alternative cuts)."""
    if lang == "ko":
        return korean_spans(text)
    if lang == "ja":
        return japanese_spans(text)
    return ()


@lru_cache(maxsize=4096)
def _parts(form: str) -> tuple[str, ...]:
    """Skeletons of the first and last part of a multi-part name, as it may start a span."""
    words = [w for w in re.split(r"[\s\-・]+", form.lower()) if w]
    if len(words) < 2:
        return ()
    out = []
    for word in (words[0], words[-1]):
        for spelling in {word, KOREAN_SURNAMES.get(word, word)}:
            key = skeleton(romanize(spelling))
            if len(key) >= 3:
                out.append(key)
    return tuple(out)


def score(text: str, keys: tuple[str, ...], parts: tuple[str, ...] = ()) -> float:
    """How well ``text`` sounds like a name with ``keys`` (and family/given ``parts``)."""
    key = skeleton(romanize(text))
    if not key:
        return 0.0
    best = max((ratio(key, k) for k in keys), default=0.0)
    longest = max((len(k) for k in keys), default=0)
    if len(key) > 2 * longest + 2:
        return best
    for part in (*parts, *(k for k in keys if len(keys) == 1 and len(k) >= 3)):
        if key.startswith(part) and len(key) > len(part):
            best = max(best, 0.7 + 0.1 * ratio(key, part))
    bare = _consonants(key)
    if len(bare) >= MIN_CONSONANTS:
        for k in keys:
            other = _consonants(k)
            if len(other) >= MIN_CONSONANTS:
                best = max(best, CONSONANT_WEIGHT * ratio(bare, other))
    return best


CONSONANT_WEIGHT = 0.85
"""Consonants alone (Landau ≈ 랜도: r-n-t) count, a little less than the whole sound."""
MIN_CONSONANTS = 3
_VOWEL = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=65536)
def _consonants(key: str) -> str:
    return _VOWEL.sub("", key)


def _best_cut(
    cuts: tuple[Span, ...], keys: tuple[str, ...], parts: tuple[str, ...]
) -> tuple[Span, float]:
    scored = [(span, score(span.text, keys, parts)) for span in cuts]
    top = max(s for _, s in scored)
    floor = max(top - CUT_TOLERANCE, min(top, THRESHOLD))
    for span, value in scored:  # shortest cut that is as good: particles come off
        if value >= floor:
            return span, value
    raise AssertionError("unreachable")


def locate(
    mentions: Sequence[NameMention],
    text: str,
    lang: str,
    *,
    targets: Mapping[str, str] | None = None,
    threshold: float = THRESHOLD,
) -> list[Rendering]:
    """The rendering of each mention in ``text`` (mentions without one are left out).

    ``targets`` maps glossary entry ids to their house form in ``lang``: a glossary
    mention is rendered by that form where the text has it, else by what sounds like it.
    """
    if len(text) > MAX_TEXT or not mentions:
        return []
    candidates = spans(text, lang)
    if not candidates:
        return []
    options: list[tuple[float, int, NameMention, Span]] = []
    taken: list[Span] = []
    done: set[int] = set()
    out: list[Rendering] = []
    for number, mention in enumerate(mentions):
        target = (targets or {}).get(mention.glossary or "")
        if not target:
            continue
        at = text.find(target)
        while at != -1 and _overlaps(Span(at, at + len(target), target), taken):
            at = text.find(target, at + 1)
        if at != -1:
            span = Span(at, at + len(target), target)
            taken.append(span)
            done.add(number)
            out.append(Rendering(mention, at, span.end, target, 1.0))
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[Span, float]]] = {}
    for number, mention in enumerate(mentions):
        if number in done:
            continue
        target = (targets or {}).get(mention.glossary or "")
        keys = (skeleton(romanize(target)),) if target else mention.keys
        parts = () if target else _parts(mention.form)
        scored = seen.get((keys, parts))
        if scored is None:  # the same name again in the segment: scored once
            scored = seen[(keys, parts)] = [_best_cut(c, keys, parts) for c in candidates]
        limit = threshold
        if not target and mention.type != "person":
            limit = max(threshold, STRICT)
        loose = limit if limit > threshold else limit - 0.05
        good = [
            (s, v)
            for s, v in scored
            if (len(s.text) >= 2 or (s.whole and not parts))
            and (v >= limit or (not parts and s.whole and v >= loose and len(s.text) <= 4))
        ]
        if not good:
            continue
        top = max(v for _, v in good)
        pool = [(s, v) for s, v in good if v >= top - TOLERANCE]
        if parts:  # a full name: the longest span that is as good (岩屋毅 over 岩屋)
            pool.sort(key=lambda sv: (not _name_sized(sv[0]), -len(sv[0].text), -sv[1]))
        else:
            pool.sort(key=lambda sv: (not sv[0].whole, -sv[1], len(sv[0].text), sv[0].start))
        for rank, (span, _value) in enumerate(pool):
            options.append((top - rank * 1e-6, number, mention, span))
    options.sort(key=lambda o: (-o[0], o[1]))
    for value, number, mention, span in options:
        if number in done or _overlaps(span, taken):
            continue
        if _parts(mention.form):
            span = _extend(span, candidates, taken)
        done.add(number)
        taken.append(span)
        out.append(Rendering(mention, span.start, span.end, span.text, round(value, 3)))
    out.extend(_by_title(mentions, done, candidates, taken))
    out.sort(key=lambda r: r.start)
    return out


def _extend(span: Span, candidates: tuple[tuple[Span, ...], ...], taken: list[Span]) -> Span:
    """A full name found as the start of a name-sized kanji piece is the whole piece
    (朴潤 in 朴潤柱: the given-name kanji did not read as romanised)."""
    if span.whole:
        return span
    for cuts in candidates:
        whole = cuts[0]
        if (
            whole.whole
            and whole.start == span.start
            and whole.end > span.end
            and _name_sized(whole)
            and not _overlaps(whole, taken)
        ):
            return whole
    return span


def _name_sized(span: Span) -> bool:
    """A word-bounded span, or in kanji a whole piece of at most four characters."""
    return span.whole and (len(span.text) <= 4 or not _KANJI.search(span.text))


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(t.start < span.end and span.start < t.end for t in taken)


ANCHORED = 0.5
"""The score of a rendering placed by its title alone."""


def _by_title(
    mentions: Sequence[NameMention],
    done: set[int],
    candidates: tuple[tuple[Span, ...], ...],
    taken: list[Span],
) -> list[Rendering]:
    """People left without a rendering take, in order, the untaken spans a title follows
    (趙顕外相, 金民錫氏) — only when there are exactly as many of each."""
    people = [
        m for i, m in enumerate(mentions) if i not in done and m.type == "person" and not m.glossary
    ]
    if not people:
        return []
    anchored: list[Span] = []
    for cuts in candidates:
        for span in cuts:
            if span.titled and span.whole and not _overlaps(span, taken + anchored):
                anchored.append(span)
                break
    if len(anchored) != len(people):
        return []
    anchored.sort(key=lambda s: s.start)
    return [
        Rendering(m, s.start, s.end, s.text, ANCHORED)
        for m, s in zip(people, anchored, strict=True)
    ]
