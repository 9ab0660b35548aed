"""The records that flow from one pipeline stage to the next.

Every stage takes and returns these plain dataclasses, so a stage can be
tested alone and the Prefect flow only wires them together.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DroppedLine:
    """A line removed from the input as site boilerplate, kept for the reviewer."""

    line: int
    text: str
    rule: str


@dataclass(frozen=True)
class LanguageGuess:
    """A detected (or declared) language and how sure the detector was."""

    code: str
    confidence: float
    method: str = "langdetect"


@dataclass
class Article:
    """One news article as read from the input, after boilerplate removal.

    ``paragraphs`` keeps the structure of the body: the title is not part of it.
    """

    id: str
    title: str
    paragraphs: list[str]
    input_path: str
    input_line: int | None = None
    site: str | None = None
    lang_hint: str | None = None
    dropped_lines: list[DroppedLine] = field(default_factory=list)
    encoding: str | None = None
    """The input's character encoding as detected or declared (``utf-8``, ``cp932`` …)."""
    encoding_confidence: float | None = None

    @property
    def text(self) -> str:
        """The cleaned source as stored in ``source.txt``."""
        parts = [self.title] if self.title else []
        parts.extend(self.paragraphs)
        return "\n\n".join(parts)


@dataclass
class Segment:
    """A sentence (or headline) of an article: the unit of translation.

    ``paragraph`` is -1 for the title and counts body paragraphs from 0.
    """

    article_id: str
    index: int
    paragraph: int
    text: str


@dataclass(frozen=True)
class GlossaryChange:
    """One edit the glossary made to a target sentence.

    ``start``/``end`` index ``before`` in the text the change was applied to;
    applying a segment's changes in order to its raw MT reproduces the final text.
    """

    segment: int
    entry_id: str
    before: str
    after: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class QAFlag:
    """Something a reviewer should look at before publishing a segment."""

    code: str
    message: str
    severity: str = "warning"
    entry_id: str | None = None


@dataclass
class Translation:
    """A segment in one target language: raw MT, corrected text and what happened."""

    segment: int
    lang: str
    mt: str
    final: str
    changes: list[GlossaryChange] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    flags: list[QAFlag] = field(default_factory=list)


def to_jsonable(value: Any) -> Any:
    """Dataclasses (nested) to plain JSON types."""
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value
