"""A page being classified: its lines, their features, and what has been decided so far."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from l10n.articles.boilerplate.features import LineInfo
from l10n.articles.boilerplate.lexicon import Lexicon


@dataclass
class Page:
    lines: Sequence[str]
    infos: dict[int, LineInfo]
    order: list[int]
    """Indices of the non-blank lines, in order."""
    reasons: dict[int, str]
    protected: set[int]
    lex: Lexicon
    headings: dict[int, str] = field(default_factory=dict)
    weak: dict[int, str] = field(default_factory=dict)
    pending: dict[int, str] = field(default_factory=dict)
    """Story-like lines a lexicon phrase named: dropped only when structure agrees."""
    lead: int = -1
    headline: int = -1
    """The first headline on the story's topic below the first line (not a bullet item)."""
    """The page's first line when it reads as a headline: the title of a scraped page."""
    first: int = -1
    last: int = -1
    tail: int = -1
    """The first furniture line after the story: the trailing zone starts there."""
    titles: set[int] = field(default_factory=set)
    position: dict[int, int] = field(default_factory=dict)
    body_tokens: set[str] | None = None

    def __post_init__(self) -> None:
        self.position = {index: pos for pos, index in enumerate(self.order)}

    def drop(self, index: int, reason: str) -> None:
        if index not in self.reasons and index not in self.protected:
            self.reasons[index] = reason

    def story(self, index: int) -> bool:
        """A prose line nothing has named: the evidence of running story text."""
        return (
            self.infos[index].prose
            and index not in self.reasons
            and index not in self.headings
            and index not in self.pending
        )

    def top_title(self) -> int:
        """The on-page headline. When the page's first line is its title, that is the first
        copy of it further down (the site's own headline), else the first line itself."""
        if self.lead < 0:
            return min(self.titles)
        echoes = [i for i, reason in self.reasons.items() if reason == "title/echo"]
        if echoes:
            return min(echoes)
        return self.headline if self.headline >= 0 else self.lead

    def zone(self, index: int) -> str:
        """``leading`` (before the title), ``trailing`` (after the story) or ``core``."""
        if self.first < 0:
            return "core"
        if index < self.first and (not self.titles or index < self.top_title()):
            return "leading"
        if index > self.last and self.tail >= 0 and index >= self.tail:
            return "trailing"
        return "core"

    def next_line(self, index: int) -> int | None:
        pos = self.position[index]
        return self.order[pos + 1] if pos + 1 < len(self.order) else None

    def previous_line(self, index: int) -> int | None:
        pos = self.position[index]
        return self.order[pos - 1] if pos > 0 else None

    def blank_between(self, a: int, b: int) -> bool:
        return any(not self.lines[i].strip() for i in range(min(a, b) + 1, max(a, b)))

    def heads_paragraph(self, index: int) -> bool:
        """A short line directly followed by story prose: a subheading, not a link."""
        nxt = self.next_line(index)
        return nxt is not None and self.story(nxt)
