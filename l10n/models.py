"""The records that flow from one pipeline stage to the next.

Every stage takes and returns these plain dataclasses, so a stage can be
tested alone and the Prefect flow only wires them together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import Enum, StrEnum
from typing import Any


class Status(StrEnum):
    """What became of an input article in a run."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


class Action(StrEnum):
    """What a run does for one target language of an article."""

    TRANSLATE = "translate"
    COPY = "copy"
    """The article (or paragraph) is already in that language."""


class Origin(StrEnum):
    """Where a segment's raw text in a target language came from."""

    MT = "mt"
    """The engine, or the translation memory's raw MT of the same engine."""
    APPROVED = "approved"
    """A translation a reviewer approved, from the memory."""
    COPY = "copy"
    """The segment is already in the target language."""
    PROVIDED = "provided"
    """Brought with the input (JSONL translations, XLIFF targets)."""


class ReviewStatus(StrEnum):
    """A reviewer's decision on a segment."""

    APPROVED = "approved"
    REJECTED = "rejected"
    NEEDS_RECHECK = "needs-recheck"
    """Was approved, but the segment's text changed under the approval (a re-run): the
    review keeps the old approved text until a reviewer decides again."""
    COMMENTED = "commented"
    """A comment without a decision: the segment is still open."""
    EDITED = "edited"
    """A reviewer's edit not yet approved (one rendering of a name applied from the names
    panel): the text the segment now publishes, and the segment is still open."""


class Channel(StrEnum):
    """Where a reviewer's decision was made."""

    APP = "app"
    XLIFF = "xliff"
    NAMES = "names"
    """The review app's names panel: one rendering of a name applied to many segments."""


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class FlagCode(StrEnum):
    """Every QA flag a segment can carry: what a reviewer should look at before publishing."""

    UNTRANSLATED = "untranslated"
    EMPTY_OUTPUT = "empty-output"
    NUMBER_MISSING = "number-missing"
    REPETITION = "repetition"
    LENGTH_RATIO = "length-ratio"
    UNRESOLVED_TERM = "unresolved-term"
    AMBIGUOUS_SHORT_FORM = "ambiguous-short-form"
    AMBIGUOUS_TARGET = "ambiguous-target"
    LATIN_LEFTOVER = "latin-leftover"
    PLACEHOLDER_DUPLICATED = "placeholder-duplicated"
    PLACEHOLDER_MANGLED = "placeholder-mangled"
    PLACEHOLDER_UNKNOWN = "placeholder-unknown"
    MIXED_LANGUAGE = "mixed-language"
    REVIEW_DROPPED_NAME = "review-dropped-name"
    NAME_INCONSISTENT = "name-inconsistent"
    LOW_CONFIDENCE = "low-confidence"
    LANGUAGE_MISMATCH = "language-mismatch"
    MEMORY_SUGGESTION = "memory-suggestion"
    POSSIBLE_LEFTOVER = "possible-leftover"


@dataclass(frozen=True)
class ModelInfo:
    """One model an engine translates a language pair with, as manifests record it."""

    name: str
    version: str
    sha256: str | None
    source: str
    target: str
    family: str | None = None
    license: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "from": self.source,
            "to": self.target,
        }
        if self.family:
            data["family"] = self.family
        if self.license:
            data["license"] = self.license
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelInfo:
        return cls(
            name=str(data.get("name", "")),
            version=str(data.get("version", "")),
            sha256=data.get("sha256"),
            source=str(data.get("from", "")),
            target=str(data.get("to", "")),
            family=data.get("family"),
            license=data.get("license"),
        )


@dataclass(frozen=True)
class EngineIdentity:
    """An engine as it translated: name, whether it is pseudo, the options that change its
    output and the models the recorded language pairs used (with their checksums)."""

    name: str
    pseudo: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    packages: tuple[ModelInfo, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pseudo": self.pseudo,
            "options": dict(self.options),
            "packages": [p.to_json() for p in self.packages],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EngineIdentity:
        """Raises TypeError/ValueError on a value that is not a recorded engine."""
        if not isinstance(data, Mapping) or "name" not in data:
            raise ValueError("an engine record needs a name")
        packages = data.get("packages") or []
        options = data.get("options") or {}
        if not isinstance(packages, list) or not isinstance(options, Mapping):
            raise TypeError("engine packages must be a list and options an object")
        return cls(
            name=str(data["name"]),
            pseudo=bool(data.get("pseudo", False)),
            options=dict(options),
            packages=tuple(ModelInfo.from_json(p) for p in packages if isinstance(p, Mapping)),
        )


@dataclass(frozen=True)
class DroppedLine:
    """A line removed from the input as site boilerplate, kept for the reviewer."""

    line: int
    text: str
    rule: str


@dataclass(frozen=True)
class SuspectLine:
    """A line kept though a boilerplate phrase named it (it reads as story): a possible
    leftover of site furniture, shown to the reviewer rather than dropped or kept silently."""

    line: int
    text: str
    rule: str


@dataclass(frozen=True)
class LanguageGuess:
    """A detected (or declared) language and how sure the detector was."""

    code: str
    confidence: float
    method: str = "langdetect"


@dataclass(frozen=True)
class InlineCode:
    """An XLIFF inline code: markup of the original document inside a source or target.

    ``kind`` is ``open``, ``close`` or ``standalone``; ``key`` pairs an open code with its
    close (``<g>``'s id, ``<bpt>``/``<ept>``'s ``rid`` or id, ``<sc>``'s id and ``<ec>``'s
    ``startRef``) and names a standalone one. ``name`` and ``attrs`` are as read, ``data``
    is the native markup a ``<bpt>``/``<ept>``/``<ph>``/``<it>`` carries (``<b>``), and
    ``version`` the XLIFF version it was read from (1 or 2).
    """

    name: str
    kind: str
    key: str
    attrs: tuple[tuple[str, str], ...] = ()
    data: str = ""
    version: int = 1


Inline = tuple[str | InlineCode, ...]
"""Text and inline codes in document order; ``()`` when a text has no codes."""


@dataclass
class SourceUnit:
    """A piece of an article its input fixed as one segment, with translations brought for it.

    ``paragraph`` is -1 for the title and counts body paragraphs from 0, as in ``Segment``;
    ``translations`` maps a target language to the text the input gave for this unit.
    """

    paragraph: int
    text: str
    translations: dict[str, str] = field(default_factory=dict)
    inline: Inline = ()
    """The unit's source with its XLIFF inline codes, when the input had any."""


@dataclass
class Article:
    """One news article as read from the input, after boilerplate removal.

    ``paragraphs`` keeps the structure of the body: the title is not part of it.
    ``units`` is set when the input fixed the segments itself: the trans-units of an XLIFF
    file (``keep_units``: they stay the segments whatever translates them), or the title and
    paragraphs of an input that brought its own translations (see
    docs/inputs-with-translations.md). Joined per paragraph, the units' texts are the
    title and ``paragraphs``.
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
    units: list[SourceUnit] = field(default_factory=list)
    keep_units: bool = False
    ninjs: dict[str, Any] | None = None
    """The IPTC ninjs item read (``item``, its text ``layout``, ``detected`` language): the
    newsroom writes each translation as ninjs from it."""
    suspect_lines: list[SuspectLine] = field(default_factory=list)
    """Kept lines a boilerplate phrase named: their segments carry ``possible-leftover``."""

    def provided_languages(self) -> set[str]:
        """Target languages the input brought a translation of every unit for."""
        if not self.units:
            return set()
        common = set(self.units[0].translations)
        for unit in self.units[1:]:
            common &= set(unit.translations)
        return common

    @property
    def text(self) -> str:
        """The cleaned source as stored in ``source.txt``."""
        parts = [self.title] if self.title else []
        parts.extend(self.paragraphs)
        return "\n\n".join(parts)


@dataclass
class Segment:
    """A sentence (or headline) of an article: the unit of translation.

    ``paragraph`` is -1 for the title and counts body paragraphs from 0. ``lang`` is set
    when the segment's paragraph is in another language than the article (a quoted post):
    it is then translated from that language.
    """

    article_id: str
    index: int
    paragraph: int
    text: str
    lang: str | None = None
    inline: Inline = ()
    """The source as text and XLIFF inline codes (an XLIFF input's ``<g>``, ``<x/>`` …),
    when it had codes: ``text`` is its text alone. Exports put the codes back."""


@dataclass
class ArticlePlan:
    """An article with its language, its segments and, per target, what to do.

    ``actions`` maps a target language to ``"translate"`` or ``"copy"`` (the
    article is already in that language). A skipped article has ``skip_reason``.
    ``provided`` is set when the input brought a translation of every segment into every
    target that needs one: the translations come from the input and no engine runs.
    """

    article: Article
    language: LanguageGuess | None
    paragraph_languages: list[LanguageGuess | None] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    actions: dict[str, Action] = field(default_factory=dict)
    skip_reason: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    provided: bool = False

    @property
    def skipped(self) -> bool:
        return self.skip_reason is not None

    def source_lang(self, segment: Segment) -> str:
        """The language ``segment`` is written in."""
        assert self.language is not None
        return segment.lang or self.language.code


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

    code: FlagCode
    message: str
    severity: Severity = Severity.WARNING
    entry_id: str | None = None


@dataclass(frozen=True)
class Slot:
    """A protected mention: placeholder number, entry and the source words it stands for."""

    number: int
    entry_id: str
    surface: str


@dataclass
class Protection:
    """What was sent to MT instead of the source; ``slots`` lists the placeholders in it."""

    text: str
    slots: list[Slot] = field(default_factory=list)


@dataclass
class MachineTranslation:
    """Raw engine output for one segment in one target language.

    ``origin`` says where ``mt`` came from: ``mt`` (the engine or its memory),
    ``approved`` (a reviewed translation in the memory), ``copy`` (the segment is
    already in the target language) or ``provided`` (brought with the input).
    """

    text_sent: str
    mt: str
    protection: Protection | None = None
    origin: Origin = Origin.MT
    score: float | None = None
    """The model's mean log-probability per output token (CTranslate2 families); None when
    the engine gives none. An ordering of review, not a verdict (docs/engines.md)."""
    low_confidence: str = ""
    """Why this segment is among the least confident of its pair (empty when it is not)."""
    provenance: str = ""
    """Where a reused translation came from (who approved it, when, in which run and
    article, or which file it was imported from)."""
    suggestion: str = ""
    """An approved translation the memory offered but did not apply (the sentence depends on
    its context), with its provenance."""


@dataclass
class Review:
    """A reviewer's decision on one segment in one language.

    ``text`` is the target text the reviewer settled on: the corrected text as it was, or
    their edit of it. ``origin`` says where the decision was made (``app`` or ``xliff``).
    """

    status: ReviewStatus
    text: str
    reviewer: str
    time: str
    comment: str = ""
    origin: Channel = Channel.APP
    inline: Inline = ()
    """The approved target with the inline codes the reviewer placed (an XLIFF import of a
    segment whose source has codes); ``text`` is its text alone."""


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
    origin: Origin = Origin.MT
    protection: Protection | None = None
    review: Review | None = None
    score: float | None = None
    """The model's mean log-probability per output token, as :class:`MachineTranslation`."""
    provenance: str = ""
    """Where ``mt`` came from when it was reused from the memory (see MachineTranslation)."""

    @property
    def changed(self) -> bool:
        return self.mt != self.final or bool(self.changes)

    @property
    def reviewed(self) -> str:
        """The text to publish: the approved (or edited) review's, else the corrected text."""
        if self.review is not None and self.review.status in (
            ReviewStatus.APPROVED,
            ReviewStatus.EDITED,
        ):
            return self.review.text
        return self.final


@dataclass(frozen=True)
class TargetEngine:
    """What translated one target language of an article: the engine's name (two names joined
    by ``+`` when a paragraph in another language needed another engine), and whether the
    output is pseudo-localization rather than a translation."""

    name: str
    pseudo: bool = False


@dataclass
class TranslatedArticle:
    """An article with every target language corrected: what the run stores and review reads.

    ``engines`` says, per target language, what translated it (empty when unknown).
    """

    plan: ArticlePlan
    translations: dict[str, list[Translation]]
    timings: dict[str, float] = field(default_factory=dict)
    engines: dict[str, TargetEngine] = field(default_factory=dict)

    def is_pseudo(self, lang: str | None = None) -> bool:
        """Whether ``lang`` (or any target, without one) is pseudo-localized, not translated."""
        if lang is not None:
            engine = self.engines.get(lang)
            return engine is not None and engine.pseudo
        return any(e.pseudo for e in self.engines.values())

    @property
    def article(self) -> Article:
        return self.plan.article

    @property
    def id(self) -> str:
        return self.plan.article.id

    @property
    def source_language(self) -> str:
        return self.plan.language.code if self.plan.language else "und"

    @property
    def status(self) -> str:
        actions = self.plan.actions.values()
        return "copied" if actions and all(a == Action.COPY for a in actions) else "translated"

    def counts(self, lang: str | None = None) -> dict[str, int]:
        """Segments, changed segments, glossary changes, unresolved names and QA flags,
        for one target language or all of them."""
        rows = [
            t
            for code, items in self.translations.items()
            if lang is None or code == lang
            for t in items
        ]
        return {
            "segments": len(self.plan.segments),
            "changed": sum(t.changed for t in rows),
            "changes": sum(len(t.changes) for t in rows),
            "unresolved": sum(len(t.unresolved) for t in rows),
            "flags": sum(len(t.flags) for t in rows),
        }


@dataclass(frozen=True)
class ReviewCounts:
    """How many segments of one target language reviewers approved, rejected or left open."""

    approved: int
    rejected: int
    open: int
    recheck: int = 0
    """Approvals whose segment text changed since (``needs-recheck``); not approved."""

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.open + self.recheck

    @property
    def publishable(self) -> bool:
        """Every segment approved: only then is ``<lang>.reviewed.txt`` written."""
        return self.total > 0 and self.approved == self.total

    def verdict(self) -> str:
        """``publishable: yes``, or ``publishable: no (approved n/m, rejected r)``."""
        if self.publishable:
            return "publishable: yes"
        extra = f", needs re-check {self.recheck}" if self.recheck else ""
        return (
            f"publishable: no (approved {self.approved}/{self.total}, "
            f"rejected {self.rejected}{extra})"
        )


@dataclass
class TargetSummary:
    """One target language of a stored article: what was done and what the checks found."""

    action: Action
    mt_file: str
    file: str
    changes: int = 0
    """Glossary changes."""
    unresolved: list[str] = field(default_factory=list)
    """Glossary entry ids the correction could not enforce."""
    flags: int = 0
    flag_codes: dict[str, int] = field(default_factory=dict)
    reviews: ReviewCounts | None = None
    """Set once a reviewer decided a segment, so unreviewed runs read as before."""
    engine: str | None = None
    pseudo: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "mt_file": self.mt_file,
            "file": self.file,
            "changes": self.changes,
            "unresolved": list(self.unresolved),
            "flags": self.flags,
            "flag_codes": dict(self.flag_codes),
        }
        if self.reviews is not None:
            reviews = asdict(self.reviews)
            if not self.reviews.recheck:
                del reviews["recheck"]
            data["reviews"] = reviews
            data["publishable"] = self.reviews.verdict()
        if self.engine is not None:
            data["engine"] = self.engine
        if self.pseudo:
            data["pseudo"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TargetSummary:
        """Raises TypeError/ValueError on a value that is not a stored target summary."""
        if not isinstance(data, Mapping):
            raise TypeError("a target summary must be an object")
        reviews = data.get("reviews")
        return cls(
            action=Action(data.get("action") or Action.TRANSLATE),
            mt_file=str(data.get("mt_file") or ""),
            file=str(data.get("file") or ""),
            changes=int(data.get("changes") or 0),
            unresolved=[str(u) for u in data.get("unresolved") or []],
            flags=int(data.get("flags") or 0),
            flag_codes={str(k): int(v) for k, v in (data.get("flag_codes") or {}).items()},
            reviews=ReviewCounts(**reviews) if isinstance(reviews, Mapping) else None,
            engine=str(data["engine"]) if data.get("engine") else None,
            pseudo=bool(data.get("pseudo", False)),
        )


@dataclass
class ArticleOutcome:
    """What became of one input article in a run: a line of ``run.json`` and the summary."""

    id: str
    input: str
    status: Status
    reason: str | None = None
    resumed: bool = False
    title: str = ""
    source_language: LanguageGuess | None = None
    targets: dict[str, TargetSummary] = field(default_factory=dict)
    segments: int = 0
    engine: str | None = None
    """Name of the engine that translated the article (``provided``: the input's own text)."""


def to_jsonable(value: Any) -> Any:
    """Dataclasses (nested) and enums to plain JSON types.

    A dataclass becomes the dict ``asdict`` would give, field by field, without the deep
    copy ``asdict`` makes first (the stored files are written from these)."""
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {to_jsonable(k): to_jsonable(v) for k, v in value.items()}
    return value
