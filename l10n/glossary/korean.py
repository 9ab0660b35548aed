"""Korean particles that depend on whether the word before them ends in a consonant.

Replacing 동경 (ends in ㅇ) with 도쿄 (ends in a vowel) turns a correct 동경은
into a wrong 도쿄은, so every replacement re-chooses the particle after it.
"""

from __future__ import annotations

# (after a final consonant, after a vowel); the ㄹ exception of 으로 is handled in code.
PARTICLE_PAIRS: tuple[tuple[str, str], ...] = (
    ("으로부터", "로부터"),
    ("으로서", "로서"),
    ("으로써", "로써"),
    ("으로", "로"),
    ("이라고", "라고"),
    ("이라는", "라는"),
    ("이라며", "라며"),
    ("이라도", "라도"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이여", "여"),
    ("이란", "란"),
    ("이며", "며"),
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
    ("아", "야"),
)

# Particles that attach to a name without depending on its last sound; a hangul
# variant followed by one of these is still a whole word.
OTHER_PARTICLES: tuple[str, ...] = (
    "의",
    "에",
    "에서",
    "에게",
    "에게서",
    "께서",
    "께",
    "도",
    "만",
    "까지",
    "부터",
    "보다",
    "처럼",
    "한테",
    "조차",
    "마저",
    "씨",
    "측",
    "와의",
    "과의",
    "에서의",
    "에서는",
    "에는",
    "으로는",
    "로는",
    "과는",
    "와는",
    "이다",
    "였다",
    "이었다",
    "다",
)

# What may follow a paired particle and still leave it a particle (동경으로는, 동경에서도).
_STACKABLE = ("는", "도", "만", "의", "서", "부터", "써", "요")

_FORM_TO_PAIR: dict[str, tuple[str, str]] = {}
for _pair in PARTICLE_PAIRS:
    for _form in _pair:
        _FORM_TO_PAIR.setdefault(_form, _pair)
_ALL_PARTICLES = sorted({*_FORM_TO_PAIR, *OTHER_PARTICLES}, key=len, reverse=True)
_PAIR_FORMS = sorted(_FORM_TO_PAIR, key=len, reverse=True)


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def final_consonant(word: str) -> int | None:
    """Index of the final consonant of the last syllable (0 = none), None if not hangul."""
    if not word or not "\uac00" <= word[-1] <= "\ud7a3":
        return None
    return (ord(word[-1]) - 0xAC00) % 28


def starts_with_particle(text: str, pos: int) -> bool:
    """True when hangul at ``pos`` begins with a particle, so a name may end at ``pos``."""
    for particle in _ALL_PARTICLES:
        if text.startswith(particle, pos):
            after = pos + len(particle)
            if after >= len(text) or not is_hangul(text[after]):
                return True
            if any(text.startswith(s, after) for s in _STACKABLE):
                return True
    return False


def particle_fix(word: str, text: str, pos: int) -> tuple[str, str] | None:
    """The (wrong, right) particle at ``pos`` after ``word``, or None when nothing to fix."""
    final = final_consonant(word)
    if final is None:
        return None
    for form in _PAIR_FORMS:
        if not text.startswith(form, pos):
            continue
        after = pos + len(form)
        if (
            after < len(text)
            and is_hangul(text[after])
            and not any(text.startswith(s, after) for s in _STACKABLE)
        ):
            continue
        with_consonant, with_vowel = _FORM_TO_PAIR[form]
        if with_consonant.startswith("으로"):
            right = with_vowel if final in (0, 8) else with_consonant
        else:
            right = with_consonant if final else with_vowel
        return None if right == form else (form, right)
    return None
