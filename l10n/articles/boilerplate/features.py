"""Features of one line: script, size, sentence end, function-word density, shape.

The shape is what the classifier reasons with:

- ``prose``: a sentence of running text (ends like a sentence, long enough,
  enough function words). Prose is kept unless a rule or a lexicon phrase
  names it.
- ``sentence``: ends like a sentence but is short or has few function words.
- ``headline``: no sentence end, longer than a label (titles, link text).
- ``label``: one to three words (a button, a menu item, a section name).
- ``debris``: no letters at all (counters, timecodes, separators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from l10n.articles.boilerplate import stopwords
from l10n.articles.boilerplate.lexicon import Lexicon, fold_chinese
from l10n.text.languages import script_counts

PROSE = "prose"
SENTENCE = "sentence"
HEADLINE = "headline"
LABEL = "label"
DEBRIS = "debris"

# Thresholds per writing system: (label max words, prose min words, long line words).
# Spaceless scripts (Japanese, Chinese) count letters instead of words.
_SIZES = {
    "latin": (3, 4, 25),
    "hangul": (3, 3, 15),
    "cjk": (10, 12, 60),
}
_MIN_DENSITY = {"latin": 0.1, "hangul": 0.1, "ja": 0.1, "zh": 0.0}
LABEL_MAX_CHARS = 32
_STORY_MIN = {"latin": 10, "hangul": 6, "cjk": 25, "none": 10**6}

_FINAL = re.compile(r"[.!?。！？](?:[\"'”’」』）)\]】》>]*)$")
_TAG = re.compile(r"(?<=[.!?。！？])\s*[(（][^()（）]{1,30}[)）]$")
_ABBREVIATION = re.compile(r"(^|\s)([A-Za-z]\.){2,}$")
_TRUNCATED = re.compile(r"(\.\.\.|…)[\"'”’」』）)\]】》>]*$")
_LEAD = re.compile(r"^[\s•·・\-–—*+>»›▶▷►▸▹☞☛■□◆◇○●◎※★☆→⇒|#▲△▼▽♦✓✔\u2022\u25aa\u25ab]+")
_TRAIL = re.compile(r"[\s:：»›>→▶|｜/]+$")
_COUNT = re.compile(
    r"\s*[\(\[（【]?\s*\d[\d,.]*\s*[kKmM万+]?\s*(件|개|条|則|건|명)?\s*[\)\]）】]?$"
)
_WRAPS = {"【": "】", "[": "]", "(": ")", "（": "）", "〔": "〕", "<": ">", "〈": "〉", "《": "》",
          "「": "」", "『": "』", "［": "］", "＜": "＞"}  # fmt: skip


def core_text(text: str) -> str:
    """The line without bullets, wrapping brackets, trailing colons/arrows and counts."""
    core = text
    for _ in range(3):
        before = core
        core = _LEAD.sub("", core)
        if len(core) >= 2 and core[0] in _WRAPS and core.endswith(_WRAPS[core[0]]):
            inner = core[1:-1]
            if _WRAPS[core[0]] not in inner:
                core = inner
        core = _TRAIL.sub("", core)
        if core.endswith(("...", "…")):
            core = core.rstrip(".…").rstrip()
        counted = _COUNT.sub("", core)
        if counted.strip() and re.search(r"[^\W\d_]", counted):
            core = counted
        core = core.strip()
        if core == before:
            break
    return core


@dataclass(frozen=True)
class LineInfo:
    index: int
    text: str
    folded: str
    """The text for lexicon matching (traditional Chinese folded to simplified)."""
    core: str
    system: str
    """``latin``, ``hangul``, ``cjk`` or ``none`` (no letters)."""
    language: str
    """Best guess for the line alone: en-like Latin is ``latin``; ``ja``, ``zh``, ``ko``."""
    size: int
    """Words, or letters for Japanese and Chinese."""
    final: bool
    density: float
    shape: str
    meta: str | None
    """``byline``, ``stamp`` (a labelled time: "Updated …", "入力 …"), ``date`` or
    ``dateline``: lines the classifier keeps (a bare date inside a link list excepted)."""
    attributed: bool
    """Carries an attribution verb ("said", "と述べた", "밝혔다", "表示")."""

    @property
    def prose(self) -> bool:
        return self.shape == PROSE

    @property
    def story_like(self) -> bool:
        """Prose long enough to be a paragraph of the story (not a one-line button text)."""
        return self.prose and self.size >= _STORY_MIN[self.system]

    @property
    def short(self) -> bool:
        return self.shape in (LABEL, DEBRIS)


def _system(text: str) -> tuple[str, str]:
    counts = script_counts(text)
    letters = counts["letters"]
    if not letters:
        return "none", ""
    hangul = counts.get("hangul", 0)
    kana = counts.get("kana", 0)
    han = counts.get("han", 0)
    if hangul / letters >= 0.3:
        return "hangul", "ko"
    if kana and (kana + han) / letters >= 0.3:
        return "cjk", "ja"
    if han / letters >= 0.3:
        return "cjk", "zh"
    return "latin", "latin"


def _size(text: str, system: str) -> int:
    if system == "cjk":
        return sum(1 for ch in text if ch.isalnum())
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def _density(text: str, language: str) -> float:
    if language == "ko":
        return stopwords.korean_density(text)
    if language == "ja":
        return stopwords.japanese_density(text)
    if language == "zh":
        return stopwords.chinese_density(text)
    return stopwords.latin_density(text)


_MACHINE_DATE = re.compile(
    r"^(?:date|published|updated|modified)\s+\d{4}-\d\d-\d\d"
    r"(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s+"
)


def describe(index: int, raw: str, lex: Lexicon, page_language: str | None = None) -> LineInfo:
    text = " ".join(raw.split())
    # A scraper's machine date stamp in front of the first line of the page: the features
    # are those of what follows it.
    text = _MACHINE_DATE.sub("", text) or text
    system, language = _system(text)
    if language == "zh" and page_language == "ja":
        language = "ja"
    folded = fold_chinese(text) if language == "zh" else text
    core = core_text(folded)
    size = _size(text, system)
    final = (
        bool(_FINAL.search(_TAG.sub("", text)))
        and not _TRUNCATED.search(text)
        and not (len(text.split()) <= 2 and _ABBREVIATION.search(text))
    )
    density = _density(text, language) if system != "none" else 0.0
    shape = _shape(text, system, language, size, final, density)
    meta = None
    if shape != PROSE:
        if lex.byline.search(folded):
            meta = "byline"
        elif lex.stamp.search(folded):
            meta = "stamp"
        elif lex.date.search(folded):
            meta = "date"
        elif lex.dateline.search(folded):
            meta = "dateline"
    attributed = bool(lex.attribution.search(folded))
    return LineInfo(
        index, text, folded, core, system, language, size, final, density, shape, meta, attributed
    )


def _shape(text: str, system: str, language: str, size: int, final: bool, density: float) -> str:
    if system == "none":
        return DEBRIS
    label_max, prose_min, long_min = _SIZES[system]
    min_density = _MIN_DENSITY.get(language, _MIN_DENSITY.get(system, 0.1))
    if final and size >= prose_min and density >= min_density:
        return PROSE
    if size >= long_min and density >= max(min_density, 0.2 if system == "latin" else 0.0):
        return PROSE
    if final:
        return SENTENCE
    if size <= label_max and len(text) <= LABEL_MAX_CHARS:
        return LABEL
    return HEADLINE


def page_language(lines: list[str]) -> str:
    """The language most of the page's letters are in (``latin`` for any Latin script)."""
    weight: dict[str, int] = {}
    for line in lines:
        _, language = _system(line)
        if language:
            weight[language] = weight.get(language, 0) + len(line)
    return max(weight, key=lambda k: weight[k]) if weight else "latin"
