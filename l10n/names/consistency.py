"""One rendering per name across a run: renderings with counts, and the segments that differ.

For each name and target language the run's renderings are counted. The usual one is the
rendering a reviewer approved (most often, where reviewers chose several), else the most
frequent (the first seen on a tie). Every occurrence written otherwise is inconsistent:
spacing (조 현 / 조현), a wrong syllable (초현), another script (岩屋 / イワヤ) or a wrong
kanji (岩谷). A short form (Cho, Iwaya) is compared with its own kind and must also be
part of its full name's usual rendering (조 in 조현, 岩屋 in 岩屋毅).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from l10n.models import FlagCode, QAFlag, Severity

NAME_INCONSISTENT = FlagCode.NAME_INCONSISTENT


@dataclass(frozen=True)
class Occurrence:
    """One rendering of one mention: where (article, segment, language) and what."""

    article: str
    segment: int
    lang: str
    key: str
    form: str
    text: str
    type: str = "name"
    glossary: str | None = None
    approved: bool = False
    variant: bool = False
    """A glossary name written neither as its target nor as a listed variant."""

    @property
    def where(self) -> str:
        return f"{self.article}#{self.segment}"


@dataclass(frozen=True)
class Deviation:
    """An occurrence written otherwise than its name's usual rendering in the run."""

    occurrence: Occurrence
    usual: str
    count: int
    reason: str

    def flag(self) -> QAFlag:
        o = self.occurrence
        what = f"{o.form!r}" if o.form == o.key else f"{o.form!r} ({o.key})"
        return QAFlag(
            NAME_INCONSISTENT,
            f"{what} is written {o.text!r} here but {self.usual!r} {self.reason} — use one "
            "rendering throughout",
            Severity.WARNING,
            o.glossary,
        )


@dataclass
class NameIndex:
    """Every located rendering of a run, by name, form and language."""

    occurrences: list[Occurrence] = field(default_factory=list)
    unlocated: list[Occurrence] = field(default_factory=list)
    """Mentions whose rendering was not found in the target (text ""): names translated
    rather than transliterated (Ministry of Foreign Affairs), or left out by the MT."""

    def add(self, items: Iterable[Occurrence]) -> None:
        self.occurrences.extend(items)

    def groups(self) -> dict[tuple[str, str, str], list[Occurrence]]:
        out: dict[tuple[str, str, str], list[Occurrence]] = {}
        for o in self.occurrences:
            out.setdefault((o.key, o.form, o.lang), []).append(o)
        return out

    def usual(self, items: list[Occurrence]) -> tuple[str, bool]:
        """The rendering to keep and whether a reviewer approved it."""
        approved = Counter(o.text for o in items if o.approved)
        if approved:
            return _most_common(approved, items), True
        return _most_common(Counter(o.text for o in items), items), False

    def deviations(self) -> list[Deviation]:
        groups = self.groups()
        out: list[Deviation] = []
        for (key, form, lang), items in groups.items():
            if items[0].glossary:
                continue  # the glossary decides its own names' renderings
            text, approved = self.usual(items)
            count = sum(o.text == text for o in items)
            for o in items:
                if o.text != text:
                    reason = "as a reviewer approved" if approved else f"in {count} other place(s)"
                    out.append(Deviation(o, text, count, reason))
            if form == key:
                continue
            full = groups.get((key, key, lang))
            if not full:
                continue
            full_text, _ = self.usual(full)
            for o in items:
                if o.text == text and o.text not in full_text and not _same_name(o.text, full_text):
                    out.append(Deviation(o, full_text, len(full), f"for the full name {key!r}"))
        return out


def _same_name(short: str, full: str) -> bool:
    """A short form is part of the full rendering, spaces and middle dots aside."""
    strip = str.maketrans("", "", " ・·")
    return short.translate(strip) in full.translate(strip)


def _most_common(counts: Counter[str], items: list[Occurrence]) -> str:
    order = {o.text: i for i, o in reversed(list(enumerate(items)))}
    return min(counts, key=lambda t: (-counts[t], order.get(t, 0)))
