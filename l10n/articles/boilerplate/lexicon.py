"""The call-to-action lexicon (lexicon.yaml), compiled once per process on first use."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
HANT_PATH = Path(__file__).with_name("hant.txt")

# Order decides which class names a line that two classes would claim.
CLASS_ORDER = (
    "copyright",
    "embed",
    "caption",
    "cookie",
    "ad",
    "promo",
    "subscribe",
    "player",
    "comment",
    "share",
    "continue",
    "related",
    "tags",
    "nav",
    "debris",
)
LIST_CLASSES = ("related", "tags")


@dataclass(frozen=True)
class LexClass:
    name: str
    labels: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    phrases: re.Pattern[str] | None
    headings: re.Pattern[str] | None
    guarded: bool


@dataclass(frozen=True)
class Lexicon:
    classes: tuple[LexClass, ...]
    byline: re.Pattern[str]
    date: re.Pattern[str]
    stamp: re.Pattern[str]
    dateline: re.Pattern[str]
    attribution: re.Pattern[str]
    quotes: re.Pattern[str]
    cues: re.Pattern[str]
    address: re.Pattern[str]
    caption_strong: re.Pattern[str]
    caption_credit: re.Pattern[str]
    caption_weak: re.Pattern[str]
    caption_stamp: re.Pattern[str]

    def phrase_class(self, text: str, *, guarded_ok: bool) -> str | None:
        """The first class with a phrase in ``text``; guarded classes only when allowed."""
        for cls in self.classes:
            if cls.phrases is None or (cls.guarded and not guarded_ok):
                continue
            if cls.phrases.search(text):
                return cls.name
        return None

    def label_class(self, core: str) -> str | None:
        for cls in self.classes:
            if cls.labels is not None and cls.labels.fullmatch(core):
                return cls.name
        return None

    def weak_class(self, core: str) -> str | None:
        for cls in self.classes:
            if cls.weak is not None and cls.weak.fullmatch(core):
                return cls.name
        return None

    def heading_class(self, core: str) -> str | None:
        for cls in self.classes:
            if cls.headings is not None and cls.headings.fullmatch(core):
                return cls.name
        return None

    def caption_marked(self, text: str) -> bool:
        """A caption's strong mark or its closing credit (see ``caption_marks``)."""
        return bool(self.caption_strong.search(text) or self.caption_credit.search(text))

    def cue_count(self, text: str) -> int:
        return sum(1 for _ in self.cues.finditer(text)) + self.address_count(text)

    def address_count(self, text: str) -> int:
        return sum(1 for _ in self.address.finditer(text))


def _entries(node: Any) -> list[str]:
    """Flatten ``{lang: [patterns]}`` or ``[patterns]`` into one list."""
    if node is None:
        return []
    if isinstance(node, dict):
        return [p for value in node.values() for p in _entries(value)]
    if isinstance(node, list):
        return [str(p) for p in node]
    return [str(node)]


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _compile(data: dict[str, Any]) -> Lexicon:
    classes = []
    for name in CLASS_ORDER:
        section = data["classes"].get(name) or {}
        classes.append(
            LexClass(
                name=name,
                labels=_alternation(_entries(section.get("labels"))),
                weak=_alternation(_entries(section.get("weak"))),
                phrases=_alternation(_entries(section.get("phrases"))),
                headings=_alternation(_entries(section.get("headings"))),
                guarded=bool(section.get("guarded", False)),
            )
        )
    meta = data["meta"]
    marks = data.get("caption_marks") or {}
    never = re.compile(r"(?!x)x")
    return Lexicon(
        classes=tuple(classes),
        byline=_alternation(_entries(meta.get("byline"))) or never,
        date=_alternation(_entries(meta.get("date"))) or never,
        stamp=_alternation(_entries(meta.get("stamp"))) or never,
        dateline=_alternation(_entries(meta.get("dateline"))) or never,
        attribution=_alternation(_entries(data.get("attribution"))) or never,
        quotes=re.compile(str(data.get("quotes", never.pattern))),
        cues=_alternation(_entries(data.get("cues"))) or never,
        address=_alternation(_entries(data.get("address"))) or never,
        caption_strong=_alternation(_entries(marks.get("strong"))) or never,
        caption_credit=_alternation(_entries(marks.get("credit"))) or never,
        caption_weak=_alternation(_entries(marks.get("weak"))) or never,
        caption_stamp=_alternation(_entries(marks.get("stamp"))) or never,
    )


@functools.lru_cache(maxsize=1)
def _hant_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in HANT_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            traditional, simplified = line.split()
            table[ord(traditional)] = simplified
    return table


def fold_chinese(text: str) -> str:
    """Traditional characters as simplified ones, so one lexicon serves both scripts."""
    return text.translate(_hant_table())


_OVERRIDE: list[Lexicon] = []
"""A lexicon used instead of the packaged one (evaluation only: ``using``)."""


def lexicon() -> Lexicon:
    """The lexicon in force: the packaged one unless an evaluation set another (``using``)."""
    return _OVERRIDE[-1] if _OVERRIDE else _packaged()


@functools.lru_cache(maxsize=1)
def _packaged() -> Lexicon:
    """The packaged lexicon; a broken file is a packaging bug, so it raises plainly."""
    return _compile(lexicon_data())


def lexicon_data() -> dict[str, Any]:
    """The packaged lexicon file, parsed (a fresh copy each call)."""
    # libyaml's parser when PyYAML has it (the same objects, a tenth of the time)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=loader)
    return data


@contextlib.contextmanager
def using(data: dict[str, Any]) -> Iterator[None]:
    """Classify with the lexicon ``data`` (the file's structure) inside the block: used to
    score pages with entries held out, never by the pipeline."""
    _OVERRIDE.append(_compile(data))
    try:
        yield
    finally:
        _OVERRIDE.pop()
