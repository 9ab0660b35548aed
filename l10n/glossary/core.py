"""The glossary as the pipeline uses it: find names in the source, fix them in the MT.

Per article, :meth:`Glossary.article_names` reads every source segment once (title
first) and records which glossary people the article names, and who else carries
their surnames. Per segment, :meth:`Glossary.protect` may swap names for placeholders
before MT, and :meth:`Glossary.enforce` corrects the MT for the names the source
segment mentions — nothing else — and reports what it could not fix.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from l10n.glossary.apply import apply_changes, apply_edits
from l10n.glossary.leftovers import LATIN_ALLOWLIST, latin_leftover_flags
from l10n.glossary.persons import (
    ArticleNames,
    followed_by_suffix,
    is_headline,
    other_name,
    short_key,
)
from l10n.glossary.post_edit import Edit, plan_post_edits
from l10n.glossary.protection import restore_edits
from l10n.glossary.schema import (
    TARGET_LANGUAGES,
    Entry,
    GlossaryError,
    Problem,
    parse_glossary_text,
)
from l10n.glossary.source_match import Mention, SourceMatcher
from l10n.glossary.targets import LangTable
from l10n.models import ArticlePlan, FlagCode, GlossaryChange, Protection, QAFlag, Severity, Slot
from l10n.text.normalize import normalize_for_matching
from l10n.text.placeholders import first_free_number, make_placeholder, placeholder_numbers

__all__ = [
    "GLOSSARY_FLAG_CODES",
    "LATIN_ALLOWLIST",
    "ArticleNames",
    "Glossary",
    "GlossaryResult",
    "Protection",
    "Slot",
    "SourceScan",
    "apply_changes",
    "glossary_from_text",
    "latin_leftover_flags",
    "load_glossary",
]

GLOSSARY_FLAG_CODES = frozenset(
    {
        "unresolved-term",
        "latin-leftover",
        "ambiguous-short-form",
        "ambiguous-target",
        "placeholder-duplicated",
        "placeholder-mangled",
        "placeholder-unknown",
    }
)
_WORD_SPLIT = re.compile(r"[\s\-]+")
_CAPITAL = re.compile(r"[A-Z]")
_SCAN_CACHE_SIZE = 256


@dataclass
class GlossaryResult:
    """The corrected target sentence and everything the glossary did to it."""

    text: str
    changes: list[GlossaryChange] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    flags: list[QAFlag] = field(default_factory=list)


@dataclass(frozen=True)
class Ambiguity:
    """A short form in the source that could be several people: left alone, flagged."""

    surface: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class SourceScan:
    """The glossary names of one source segment, and the short forms it could not place."""

    mentions: tuple[Mention, ...]
    ambiguous: tuple[Ambiguity, ...]
    skipped_short: tuple[str, ...]
    """Short-form entry ids seen but not active (no full name in the article, or another name)."""


class Glossary:
    """A loaded, validated glossary with its matchers compiled."""

    def __init__(
        self,
        entries: list[Entry],
        *,
        path: Path | None = None,
        sha256: str = "",
        strategy: str = "post-edit",
        source_language: str = "en",
    ):
        self.entries = entries
        self.path = path
        self.sha256 = sha256
        self.strategy = strategy
        self.source_language = source_language
        self.by_id = {e.id: e for e in entries}
        self._matcher = SourceMatcher(entries)
        self._tables = {lang: LangTable(lang, entries) for lang in TARGET_LANGUAGES}
        self._short_keys: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            for person in entry.short_form_of:
                self._short_keys[person].update(short_key(f) for f in entry.source_forms)
        all_keys = {k for keys in self._short_keys.values() for k in keys}
        self._contained_keys: dict[str, frozenset[str]] = {}
        for entry in entries:
            if entry.is_short:
                continue
            words = {short_key(w) for f in entry.source_forms for w in _WORD_SPLIT.split(f)}
            inside = (words & all_keys) - self._short_keys.get(entry.id, set())
            if inside:
                self._contained_keys[entry.id] = frozenset(inside)
        self._known_words: dict[str, list[str]] | None = None
        self._full_cache: dict[tuple[str, ...], list[str]] = {}
        self._scan_cache: dict[tuple[str, ArticleNames | None], SourceScan] = {}

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_scan_cache"] = {}
        state["_known_words"] = None
        return state

    def strategy_for(self, entry: Entry) -> str:
        return entry.strategy or self.strategy

    # -- source side -------------------------------------------------------

    def _hits(self, text: str) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
        norm = normalize_for_matching(text)
        return norm.text, self._matcher.find(norm.text)

    def _full_ids(self, ids: tuple[str, ...]) -> list[str]:
        found = self._full_cache.get(ids)
        if found is None:
            found = self._full_cache[ids] = [i for i in ids if not self.by_id[i].is_short]
        return found

    def _collect(
        self,
        text: str,
        hits: list[tuple[int, int, tuple[str, ...]]],
        persons: set[str],
        others: dict[str, set[str]],
        headline: bool,
    ) -> None:
        covered = [(s, e) for s, e, _ in hits]
        for start, end, ids in hits:
            full = self._full_ids(ids)
            if full:
                person = full[0]
                if self.by_id[person].type == "person" and followed_by_suffix(text, end):
                    suffixed = other_name(text, start, end, []) or text[start:end]
                    for key in self._short_keys.get(person, ()):
                        others[key].add(suffixed)
                    continue
                persons.update(full)
                for key in self._contained_keys.get(person, ()):
                    others[key].add(text[start:end])
                continue
            if headline:
                continue
            name = other_name(text, start, end, [c for c in covered if c != (start, end)])
            if name is not None:
                others[short_key(text[start:end])].add(name)

    def article_names(self, texts: Sequence[str]) -> ArticleNames:
        """What the article (its source segments in order, title first) says about people.

        Computed once per article; pass it as ``names=`` to :meth:`protect` and
        :meth:`enforce` for each of its segments.
        """
        persons: set[str] = set()
        others: dict[str, set[str]] = defaultdict(set)
        for text in texts:
            norm_text, hits = self._hits(text)
            if hits:
                self._collect(norm_text, hits, persons, others, is_headline(norm_text))
        return ArticleNames(
            frozenset(persons),
            tuple(sorted((key, tuple(sorted(names))) for key, names in others.items())),
        )

    def plan_names(self, plan: ArticlePlan) -> ArticleNames:
        """:meth:`article_names` of a planned article: its segments in the glossary's language."""
        return self.article_names(
            [s.text for s in plan.segments if plan.source_lang(s) == self.source_language]
        )

    def scan(self, source: str, names: ArticleNames | None = None) -> SourceScan:
        """Mentions in ``source`` and the short forms it could not place.

        ``names=None`` treats the segment alone as the article.
        """
        key = (source, names)
        cached = self._scan_cache.get(key)
        if cached is not None:
            return cached
        norm = normalize_for_matching(source)
        hits = self._matcher.find(norm.text)
        headline = bool(hits) and is_headline(norm.text)
        if names is None:
            persons: set[str] = set()
            others: dict[str, set[str]] = defaultdict(set)
            self._collect(norm.text, hits, persons, others, headline)
            names = ArticleNames(
                frozenset(persons), tuple((k, tuple(sorted(v))) for k, v in others.items())
            )
        covered = [(s, e) for s, e, _ in hits]
        mentions: list[Mention] = []
        ambiguous: list[Ambiguity] = []
        skipped: list[str] = []
        for start, end, ids in hits:
            full = self._full_ids(ids)
            chosen: str | None = None
            if full:
                if not (
                    self.by_id[full[0]].type == "person" and followed_by_suffix(norm.text, end)
                ):
                    chosen = full[0]
            elif (
                headline
                or other_name(norm.text, start, end, [c for c in covered if c != (start, end)])
                is None
            ):
                chosen, candidates = self._resolve_short(ids, names, norm.text[start:end])
                if candidates:
                    ambiguous.append(Ambiguity(norm.text[start:end], candidates))
                if chosen is None:
                    skipped.extend(ids)
            else:
                skipped.extend(ids)
            if chosen is not None:
                a, b = norm.span(start, end)
                mentions.append(Mention(chosen, a, b, source[a:b]))
        scan = SourceScan(tuple(mentions), tuple(ambiguous), tuple(dict.fromkeys(skipped)))
        if len(self._scan_cache) >= _SCAN_CACHE_SIZE:
            self._scan_cache.clear()
        self._scan_cache[key] = scan
        return scan

    def _resolve_short(
        self, ids: tuple[str, ...], names: ArticleNames, surface: str
    ) -> tuple[str | None, tuple[str, ...]]:
        """The short-form entry meant here, or None and the candidates when ambiguous."""
        active: dict[str, str] = {}
        for entry_id in ids:
            for person in self.by_id[entry_id].short_form_of:
                if person in names.persons:
                    active.setdefault(person, entry_id)
        if not active:
            return None, ()
        others = names.others_for(short_key(surface))
        if len(active) == 1 and not others:
            return next(iter(active.values())), ()
        return None, (*sorted(active), *others)

    def mentions(self, source: str, names: ArticleNames | None = None) -> list[Mention]:
        """Glossary names in ``source``; a short form only where the article makes it one person."""
        return list(self.scan(source, names).mentions)

    # -- protect strategy --------------------------------------------------

    def protect(
        self,
        source: str,
        lang: str,
        *,
        names: ArticleNames | None = None,
        strategy: str | None = None,
    ) -> Protection:
        """Swap protected names for placeholders so MT cannot mistranslate them.

        ``strategy="protect"`` protects every entry whatever the glossary says; the
        pseudo engine uses it, since it mangles every letter it is given.
        """
        table = self._tables.get(lang)
        if table is None:
            return Protection(source)
        pieces: list[str] = []
        slots: list[Slot] = []
        last = 0
        number = first_free_number(source)
        for mention in self.scan(source, names).mentions:
            entry = self.by_id[mention.entry_id]
            if entry.id not in table.targets:
                continue
            if (strategy or self.strategy_for(entry)) != "protect":
                continue
            slots.append(Slot(number, entry.id, mention.surface))
            pieces.append(source[last : mention.start])
            pieces.append(make_placeholder(number))
            last = mention.end
            number += 1
        if not slots:
            return Protection(source)
        pieces.append(source[last:])
        return Protection("".join(pieces), slots)

    def _guess_protection(
        self, source: str, lang: str, names: ArticleNames | None, found: set[int]
    ) -> Protection | None:
        """The protection a stored MT with placeholders was made with (glossary or pseudo)."""
        best: Protection | None = None
        for strategy in (None, "protect"):
            candidate = self.protect(source, lang, names=names, strategy=strategy)
            numbers = {s.number for s in candidate.slots}
            if best is None or len(numbers & found) > len({s.number for s in best.slots} & found):
                best = candidate
        return best if best is not None and best.slots else None

    # -- target side -------------------------------------------------------

    def enforce(
        self,
        lang: str,
        source: str,
        mt: str,
        *,
        names: ArticleNames | None = None,
        protection: Protection | None = None,
        segment: int = 0,
    ) -> GlossaryResult:
        """Correct ``mt`` for the names ``source`` mentions; report what could not be fixed."""
        table = self._tables.get(lang)
        if table is None:
            return GlossaryResult(mt)
        scan = self.scan(source, names)
        mentions = [m for m in scan.mentions if m.entry_id in table.targets]
        changes: list[GlossaryChange] = []
        flags: list[QAFlag] = []
        text = mt
        literal = placeholder_numbers(source) if "⟦" in source else set()
        in_mt = placeholder_numbers(mt) - literal if "⟦" in mt else set()
        if protection is None and in_mt:
            protection = self._guess_protection(source, lang, names, in_mt)
        if protection is not None and (protection.slots or in_mt):
            norm = normalize_for_matching(text)
            edits = restore_edits(norm.text, protection, table, flags, literal)
            text = apply_edits(norm, edits, lang, segment, changes)
        norm = normalize_for_matching(text)
        plan = plan_post_edits(norm.text, [m.entry_id for m in mentions], table)
        edits = list(plan.edits)
        if not norm.identity:
            for start, end, entry_id in plan.present:
                a, b = norm.span(start, end)
                if norm.original[a:b] != table.targets[entry_id]:
                    edits.append(Edit(start, end, table.targets[entry_id], entry_id, "normalized"))
        edits.sort(key=lambda e: (e.start, e.end))
        text = apply_edits(norm, edits, lang, segment, changes)
        first: dict[str, Mention] = {}
        for mention in mentions:
            first.setdefault(mention.entry_id, mention)
        unresolved = [entry_id for entry_id in first if plan.missing.get(entry_id, 0) > 0]
        for entry_id in unresolved:
            flags.append(
                QAFlag(
                    code=FlagCode.UNRESOLVED_TERM,
                    message=(
                        f"{first[entry_id].surface!r} should read {table.targets[entry_id]!r} "
                        f"but the {lang} text has neither that nor a known variant"
                    ),
                    severity=Severity.ERROR,
                    entry_id=entry_id,
                )
            )
        for item in scan.ambiguous:
            flags.append(
                QAFlag(
                    FlagCode.AMBIGUOUS_SHORT_FORM,
                    f"{item.surface!r} could be {' or '.join(map(self._label, item.candidates))}"
                    "; left as translated — check who is meant",
                    Severity.WARNING,
                )
            )
        for form, ids in plan.ambiguous:
            flags.append(
                QAFlag(
                    FlagCode.AMBIGUOUS_TARGET,
                    f"{form!r} could stand for {' or '.join(map(self._label, ids))} here (the "
                    "source names both); left as translated — check each occurrence",
                    Severity.WARNING,
                    ids[-1],
                )
            )
        if _CAPITAL.search(text):
            flags.extend(latin_leftover_flags(text, lambda w: self._explain_leftover(w, scan)))
        return GlossaryResult(text, changes, unresolved, flags)

    def _label(self, candidate: str) -> str:
        """``Lee Jae Myung (lee-jae-myung)`` for an entry id; other names as they are."""
        entry = self.by_id.get(candidate)
        return f"{entry.source} ({entry.id})" if entry else candidate

    def _explain_leftover(self, word: str, scan: SourceScan) -> str | None:
        if self._known_words is None:
            known: dict[str, list[str]] = defaultdict(list)
            for entry in self.entries:
                for form in entry.source_forms:
                    for part in _WORD_SPLIT.split(form):
                        if part and entry.id not in known[part.casefold()]:
                            known[part.casefold()].append(entry.id)
            self._known_words = dict(known)
        ids = self._known_words.get(word.casefold())
        if not ids:
            return None
        for item in scan.ambiguous:
            if item.surface.casefold() == word.casefold():
                return f"the glossary knows it, but here it could be {' or '.join(item.candidates)}"
        short = [i for i in ids if i in scan.skipped_short]
        if short:
            people = sorted({p for i in short for p in self.by_id[i].short_form_of})
            return (
                f"a short form in the glossary ({', '.join(short)}) that this article does not "
                f"tie to one person ({', '.join(people)} not named in full, or another name)"
            )
        return f"in the glossary ({', '.join(ids)}), but the source sentence does not name it"


def glossary_from_text(text: str, path: Path | str = "<glossary>") -> Glossary:
    """Build a glossary from YAML text; raises GlossaryError naming the first problem."""
    parsed = parse_glossary_text(text)
    if parsed.problems:
        raise GlossaryError(path, parsed.problems)
    return Glossary(
        parsed.entries,
        path=Path(path),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        strategy=parsed.strategy,
        source_language=parsed.source_language,
    )


def load_glossary(path: Path) -> Glossary:
    """Load and validate a glossary file, compiling its matchers once.

    A file loaded before in this process, unchanged since (same bytes), is not compiled
    again: the command line validates the glossary before the flow loads it.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(
            path, [Problem(1, f"cannot read the file ({exc.strerror})", "check the path")]
        ) from exc
    return _compiled(path, hashlib.sha256(data).hexdigest(), data)


@lru_cache(maxsize=4)
def _compiled(path: Path, sha256: str, data: bytes) -> Glossary:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossaryError(
            path, [Problem(1, "the file is not UTF-8", "save it as UTF-8")]
        ) from exc
    glossary = glossary_from_text(text, path)
    glossary.sha256 = sha256
    return glossary
