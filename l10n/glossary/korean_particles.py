"""The Korean particles whose form depends on the word before them, and how to repair them.

Replacing 동경 (ends in ㅇ) with 도쿄 (ends in a vowel) turns a correct 동경은 into a
wrong 도쿄은, so every replacement re-chooses the particle after it. The table follows
the standard grammar:

* case and topic particles: 은/는, 이/가, 을/를, 과/와, 으로/로 (ㄹ takes 로) with
  으로서/로서, 으로써/로써, 으로부터/로부터 and the contraction 으론/론;
* vocatives: 아/야, 이여/여, 이시여/시여;
* the copula 이다, whose 이 drops after a vowel: 이다/다, 이고/고, 이며/며, 이라고/라고,
  이라는/라는, 이라면/라면, 이랑/랑 (with stacks 이랑은/랑은), 이나/나, 이든지/든지 …;
  its past 이었-/였- (이었다/였다, 이었지만/였지만, any ending), 이어서/여서 (also when
  written 이여서), and 이에요/예요 (also when written 이예요).

Particles that never alternate (의, 에, 에서, 도, 만, 까지 …) may follow or stack; only
the particle right after the word agrees with it, and what the word sounds like is
decided by :func:`l10n.glossary.korean.coda` (digits and acronyms by their reading).
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n.glossary.korean import CLOSING_QUOTES, RIEUL, coda, is_hangul


@dataclass(frozen=True)
class Alternation:
    """One particle in its two forms, the endings that may follow it, and known misspellings."""

    consonant: str
    vowel: str
    endings: tuple[str, ...] = ("",)
    rieul_takes_vowel: bool = False
    """The 으로 family: a word ending in ㄹ takes the vowel form (서울로)."""
    misspelled_consonant: tuple[str, ...] = ()
    """Forms engines write after a consonant that the grammar does not allow (서울이여서)."""
    open_ending: bool = False
    """Any verb ending may follow (이었다, 이었으며, 이었습니다 …)."""

    def form(self, final: int) -> str:
        if final == 0 or (self.rieul_takes_vowel and final == RIEUL):
            return self.vowel
        return self.consonant


_EURO_ENDINGS = (
    "", "는", "도", "만", "의", "나", "야", "라도", "까지", "서", "써", "부터", "서는", "서도",
    "서의", "서만", "서야", "써는", "써도", "써야", "부터는", "부터도", "부터의", "까지는",
    "까지도", "만은", "만이", "만을", "만의", "야말로",
)  # fmt: skip

_COPULA_ENDINGS = (
    "다", "고", "며", "면", "면서", "지만", "니까", "니", "므로", "자", "든", "든지", "든가",
    "건", "거나", "라고", "라는", "라며", "라면", "라서", "라도", "라든가", "라든지", "라기보다",
    "라니", "라니까", "라지만", "라야", "라고도", "라고는", "라는데", "란", "랑", "랑은", "랑도",
    "랑의", "랑만", "랑까지", "나", "나마", "냐", "네", "요", "랴", "야", "야말로", "던", "던가",
    "죠", "지요", "다고", "다는", "다며", "다면", "다가",
)  # fmt: skip

ALTERNATIONS: tuple[Alternation, ...] = (
    Alternation("은", "는", ("", "커녕")),
    Alternation("이", "가"),
    Alternation("을", "를"),
    Alternation("과", "와", ("", "는", "도", "의", "만", "는커녕")),
    Alternation("으로", "로", _EURO_ENDINGS, rieul_takes_vowel=True),
    Alternation("으론", "론", rieul_takes_vowel=True),
    Alternation("아", "야"),
    Alternation("이여", "여"),
    Alternation("이시여", "시여"),
    Alternation("이었", "였", misspelled_consonant=("이였",), open_ending=True),
    Alternation(
        "이어", "여", ("서", "도", "야", "서는", "서도", "서야"), misspelled_consonant=("이여",)
    ),
    Alternation("이에", "예", ("요",), misspelled_consonant=("이예",)),
    Alternation("이", "", _COPULA_ENDINGS),
)
"""Every alternating particle, in order of preference when one spelling fits two."""

INVARIANT_PARTICLES: tuple[str, ...] = (
    "의", "에", "에서", "에게", "에게서", "께", "께서", "한테", "한테서", "더러", "도", "만",
    "까지", "부터", "조차", "마저", "밖에", "보다", "처럼", "만큼", "마냥", "같이", "하고",
    "대로", "씩", "뿐", "쯤", "들", "인", "인가", "인지", "입니다", "입니까", "임", "엔",
    "에선", "에겐", "한텐", "에다", "에다가", "씨", "측", "님", "이나마",
)  # fmt: skip
"""Particles (and name suffixes) that attach whatever the word's last sound."""


@dataclass(frozen=True)
class ParticleMatch:
    """A written particle: which alternation, the form written (``head``) and what follows it."""

    alternation: Alternation
    head: str
    ending: str


def _surfaces() -> dict[str, list[ParticleMatch]]:
    table: dict[str, list[ParticleMatch]] = {}
    for alt in ALTERNATIONS:
        heads = (alt.consonant, alt.vowel, *alt.misspelled_consonant)
        endings = ("",) if alt.open_ending else alt.endings
        for head in heads:
            for ending in endings:
                surface = head + ending
                if surface:
                    table.setdefault(surface, []).append(ParticleMatch(alt, head, ending))
    return table


_SURFACES = _surfaces()
_INVARIANT = frozenset(INVARIANT_PARTICLES)
_LONGEST = max(len(s) for s in (*_SURFACES, *_INVARIANT))
_MAX_CHAIN = 4
_OPEN_HEADS = tuple(
    head
    for alt in ALTERNATIONS
    if alt.open_ending
    for head in (alt.consonant, alt.vowel, *alt.misspelled_consonant)
)


def _at_boundary(text: str, pos: int) -> bool:
    return pos >= len(text) or not is_hangul(text[pos])


def _chain_ends(text: str, pos: int, depth: int) -> bool:
    """Whether particles from ``pos`` run to the end of the hangul word."""
    if _at_boundary(text, pos):
        return True
    if depth >= _MAX_CHAIN:
        return False
    for length in range(min(_LONGEST, len(text) - pos), 0, -1):
        piece = text[pos : pos + length]
        if (piece in _INVARIANT or piece in _SURFACES) and _chain_ends(
            text, pos + length, depth + 1
        ):
            return True
    return False


def particle_at(text: str, pos: int) -> ParticleMatch | None:
    """The alternating particle that starts at ``pos`` and ends its word, if any."""
    for length in range(min(_LONGEST, len(text) - pos), 0, -1):
        surfaces = _SURFACES.get(text[pos : pos + length])
        if not surfaces:
            continue
        for surface in surfaces:
            if surface.alternation.open_ending or _chain_ends(text, pos + length, 1):
                return surface
    return None


def ends_word_with_particles(text: str, pos: int) -> bool:
    """True when the hangul from ``pos`` is particles only, so a name may end at ``pos``."""
    if _at_boundary(text, pos):
        return True
    if text.startswith(_OPEN_HEADS, pos):
        return True
    return _chain_ends(text, pos, 0)


def particle_site(text: str, pos: int) -> int | None:
    """Where the particle agreeing with the word ending at ``pos`` starts, or None.

    Closing quotes are skipped ("도쿄"라고) and so is one bracketed aside right after
    the word (라이칭더(사진)는); a word followed by a closing bracket sits inside an
    aside, whose particle agrees with the word before the aside instead.
    """
    size = len(text)
    while pos < size and text[pos] in CLOSING_QUOTES:
        pos += 1
    if pos < size and text[pos] in ")]）］】〕}":
        return None
    if pos < size and text[pos] in "([（［":
        closer = {"(": ")", "[": "]", "（": "）", "［": "］"}[text[pos]]
        depth, index = 0, pos
        while index < size and index - pos <= 60:
            if text[index] == text[pos]:
                depth += 1
            elif text[index] == closer:
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if index >= size or depth != 0:
            return None
        pos = index + 1
        while pos < size and text[pos] in CLOSING_QUOTES:
            pos += 1
    return pos


def repair(word: str, text: str, pos: int) -> tuple[int, int, str] | None:
    """The edit ``(start, end, replacement)`` that makes the particle after ``word`` agree.

    ``word`` is what now ends at ``pos`` in ``text``. None when there is no alternating
    particle there, when it already agrees, or when the word's sound is unknown.
    """
    final = coda(word)
    if final is None:
        return None
    site = particle_site(text, pos)
    if site is None or _at_boundary(text, site):
        return None
    surface = particle_at(text, site)
    if surface is None:
        return None
    right = surface.alternation.form(final)
    if right == surface.head:
        return None
    return site, site + len(surface.head), right


def attach(word: str, rest: str) -> str:
    """``word + rest`` with the particle at the start of ``rest`` made to agree with ``word``.

    >>> attach("도쿄", "은 크다")
    '도쿄는 크다'
    """
    text = word + rest
    edit = repair(word, text, len(word))
    if edit is None:
        return text
    start, end, right = edit
    return text[:start] + right + text[end:]
