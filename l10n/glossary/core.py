"""The glossary as the pipeline uses it: find names in the source, fix them in the MT.

Enforcement is anchored on the source: a target sentence is corrected only for
entries its source sentence mentions, and only as many times as the source
mentions them, so a word that merely looks like a variant (나라 "country",
リー in リーダー "leader") is left alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from l10n.glossary.korean import particle_fix
from l10n.glossary.schema import (
    TARGET_LANGUAGES,
    Entry,
    GlossaryError,
    Problem,
    parse_glossary_text,
)
from l10n.glossary.source_match import Mention, SourceMatcher, spelling_variants
from l10n.glossary.target_rules import bounded_finditer, fits, literal_pattern, spacing_variants
from l10n.models import GlossaryChange, Protection, QAFlag, Slot
from l10n.text.placeholders import PLACEHOLDER_RE, make_placeholder

GLOSSARY_FLAG_CODES = frozenset(
    {
        "unresolved-term",
        "latin-leftover",
        "placeholder-duplicated",
        "placeholder-mangled",
        "placeholder-unknown",
    }
)
LATIN_ALLOWLIST = frozenset(
    {
        "AI",
        "APEC",
        "ASEAN",
        "AUKUS",
        "BBC",
        "BRICS",
        "CEO",
        "CNN",
        "COVID",
        "CPTPP",
        "DMZ",
        "EU",
        "EV",
        "FIFA",
        "GDP",
        "IAEA",
        "ICBM",
        "IMF",
        "IOC",
        "IPEF",
        "IT",
        "KOSPI",
        "LDP",
        "NATO",
        "NHK",
        "OECD",
        "OPEC",
        "QUAD",
        "Quad",
        "RCEP",
        "SNS",
        "THAAD",
        "TPP",
        "TSMC",
        "UK",
        "UN",
        "UNESCO",
        "US",
        "USA",
        "USD",
        "WHO",
        "WTO",
        "YTN",
        "KBS",
        "MBC",
        "SBS",
        "OK",
        "TV",
        "PM",
        "AM",
        "PC",
        "IC",
        "Mr",
        "Ms",
        "Dr",
    }
)
_LATIN_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]+(?:[-'][A-Za-z]+)*(?![A-Za-z0-9])")
_MANGLED_RE = re.compile(r"[⟦\[【〚［〔]\s*(\d{1,3})\s*[⟧\]】〛］〕]|⟦\s*(\d{1,3})|(\d{1,3})\s*⟧")
_CONTEXT_OVERLAP = 200


@dataclass
class GlossaryResult:
    """The corrected target sentence and everything the glossary did to it."""

    text: str
    changes: list[GlossaryChange] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    flags: list[QAFlag] = field(default_factory=list)


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    after: str
    entry_id: str
    rule: str


@dataclass
class _LangTable:
    """Everything one target language needs, compiled once at load time."""

    targets: dict[str, str]
    target_patterns: dict[str, re.Pattern[str]]
    patterns: dict[str, re.Pattern[str]]
    rules: dict[str, dict[str, str]]


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
        self._tables = {lang: self._compile(lang) for lang in TARGET_LANGUAGES}
        self._context_cache: tuple[str, frozenset[str]] = ("", frozenset())

    def _compile(self, lang: str) -> _LangTable:
        targets: dict[str, str] = {}
        target_patterns: dict[str, re.Pattern[str]] = {}
        patterns: dict[str, re.Pattern[str]] = {}
        rules: dict[str, dict[str, str]] = {}
        all_targets = {e.targets[lang] for e in self.entries if lang in e.targets}
        for entry in self.entries:
            target = entry.targets.get(lang)
            if target is None:
                continue
            targets[entry.id] = target
            target_patterns[entry.id] = literal_pattern([target])
            forms: dict[str, str] = {}
            for variant in entry.variants.get(lang, []):
                for spelled in spacing_variants(variant):
                    forms.setdefault(spelled, "variant")
            for spelled in spacing_variants(target)[1:]:
                forms.setdefault(spelled, "variant")
            for form in entry.source_forms:
                for spelled in spelling_variants(form, entry.type):
                    forms.setdefault(spelled, "latin-leftover")
            forms = {f: r for f, r in forms.items() if f and f not in all_targets}
            if not forms:
                continue
            patterns[entry.id] = literal_pattern(list(forms))
            rules[entry.id] = forms
        return _LangTable(targets, target_patterns, patterns, rules)

    def strategy_for(self, entry: Entry) -> str:
        return entry.strategy or self.strategy

    # -- source side -------------------------------------------------------

    def _full_mentions_in(self, text: str) -> frozenset[str]:
        """Ids of full (non-short-form) entries named in ``text``.

        Articles are processed in order with a growing context, so only the
        new tail of the context is scanned.
        """
        cached_text, cached_ids = self._context_cache
        if text == cached_text:
            return cached_ids
        if cached_text and text.startswith(cached_text):
            scan_from = max(0, len(cached_text) - _CONTEXT_OVERLAP)
            ids = set(cached_ids)
        else:
            scan_from, ids = 0, set()
        for _, _, hit_ids in self._matcher.find(text[scan_from:]):
            ids.update(i for i in hit_ids if self.by_id[i].short_form_of is None)
        result = frozenset(ids)
        self._context_cache = (text, result)
        return result

    def mentions(self, source: str, context: str = "") -> list[Mention]:
        """Glossary names in ``source``; a short form counts only after its full name."""
        found: list[Mention] = []
        context_ids: frozenset[str] | None = None
        for start, end, ids in self._matcher.find(source):
            chosen = None
            for entry_id in ids:
                full = self.by_id[entry_id].short_form_of
                if full is None or any(m.entry_id == full for m in found):
                    chosen = entry_id
                    break
                if context_ids is None:
                    context_ids = self._full_mentions_in(context) if context else frozenset()
                if full in context_ids:
                    chosen = entry_id
                    break
            if chosen is not None:
                found.append(Mention(chosen, start, end, source[start:end]))
        return found

    # -- protect strategy --------------------------------------------------

    def protect(
        self, source: str, lang: str, context: str = "", *, strategy: str | None = None
    ) -> Protection:
        """Swap protected names for placeholders so MT cannot mistranslate them.

        ``strategy="protect"`` protects every entry whatever the glossary says; the
        pseudo engine uses it, since it mangles every letter it is given.
        """
        table = self._tables.get(lang)
        pieces: list[str] = []
        slots: list[Slot] = []
        last = 0
        for mention in self.mentions(source, context):
            entry = self.by_id[mention.entry_id]
            if table is None or entry.id not in table.targets:
                continue
            if (strategy or self.strategy_for(entry)) != "protect":
                continue
            slots.append(Slot(len(slots) + 1, entry.id, mention.surface))
            pieces.append(source[last : mention.start])
            pieces.append(make_placeholder(len(slots)))
            last = mention.end
        if not slots:
            return Protection(source)
        pieces.append(source[last:])
        return Protection("".join(pieces), slots)

    # -- target side -------------------------------------------------------

    def enforce(
        self,
        lang: str,
        source: str,
        mt: str,
        *,
        context: str = "",
        protection: Protection | None = None,
        segment: int = 0,
    ) -> GlossaryResult:
        """Correct ``mt`` for the names ``source`` mentions; report what could not be fixed."""
        table = self._tables.get(lang)
        if table is None:
            return GlossaryResult(mt)
        mentions = [m for m in self.mentions(source, context) if m.entry_id in table.targets]
        wanted = Counter(m.entry_id for m in mentions)
        changes: list[GlossaryChange] = []
        flags: list[QAFlag] = []
        text = mt
        if protection is None and PLACEHOLDER_RE.search(mt):
            protection = self.protect(source, lang, context)
        if protection is not None and (protection.slots or PLACEHOLDER_RE.search(mt)):
            edits = self._placeholder_edits(text, protection, table, flags)
            text = self._apply(text, edits, lang, segment, changes)
        edits, missing = self._post_edits(text, wanted, table)
        text = self._apply(text, edits, lang, segment, changes)
        order = {}
        for mention in mentions:
            order.setdefault(mention.entry_id, mention)
        unresolved = [entry_id for entry_id in order if missing.get(entry_id, 0) > 0]
        for entry_id in unresolved:
            mention = order[entry_id]
            flags.append(
                QAFlag(
                    code="unresolved-term",
                    message=(
                        f"{mention.surface!r} should read {table.targets[entry_id]!r} "
                        f"but the {lang} text has neither that nor a known variant"
                    ),
                    severity="error",
                    entry_id=entry_id,
                )
            )
        flags.extend(latin_leftover_flags(text))
        return GlossaryResult(text, changes, unresolved, flags)

    def _placeholder_edits(
        self, text: str, protection: Protection, table: _LangTable, flags: list[QAFlag]
    ) -> list[_Edit]:
        """Restore placeholders; duplicates are dropped, mangled ones restored, lost ones left
        to the post-edit pass (which finds them as variants or reports them unresolved)."""
        slots = {slot.number: slot for slot in protection.slots}
        exact: dict[int, list[re.Match[str]]] = {}
        for match in PLACEHOLDER_RE.finditer(text):
            exact.setdefault(int(match.group(1)), []).append(match)
        edits: list[_Edit] = []
        for number, matches in exact.items():
            slot = slots.get(number)
            if slot is None:
                flags.append(
                    QAFlag(
                        "placeholder-unknown",
                        f"MT output contains {matches[0].group(0)} that the source never had",
                        "error",
                    )
                )
                continue
            target = table.targets[slot.entry_id]
            first = matches[0]
            edits.append(_Edit(first.start(), first.end(), target, slot.entry_id, "placeholder"))
            for extra in matches[1:]:
                edits.append(
                    _Edit(extra.start(), extra.end(), "", slot.entry_id, "placeholder-duplicate")
                )
            if len(matches) > 1:
                flags.append(
                    QAFlag(
                        "placeholder-duplicated",
                        f"MT repeated the placeholder for {slot.surface!r}; extra copies removed",
                        "warning",
                        slot.entry_id,
                    )
                )
        lost = [n for n in slots if n not in exact]
        if lost:
            taken = [(e.start, e.end) for e in edits]
            for match in _MANGLED_RE.finditer(text):
                number = int(next(g for g in match.groups() if g is not None))
                if number not in lost or any(
                    match.start() < b and a < match.end() for a, b in taken
                ):
                    continue
                slot = slots[number]
                lost.remove(number)
                taken.append((match.start(), match.end()))
                edits.append(
                    _Edit(
                        match.start(),
                        match.end(),
                        table.targets[slot.entry_id],
                        slot.entry_id,
                        "placeholder-mangled",
                    )
                )
                flags.append(
                    QAFlag(
                        "placeholder-mangled",
                        f"MT altered the placeholder for {slot.surface!r}; restored the name",
                        "warning",
                        slot.entry_id,
                    )
                )
        edits.sort(key=lambda e: e.start)
        return edits

    def _post_edits(
        self, text: str, wanted: Counter[str], table: _LangTable
    ) -> tuple[list[_Edit], dict[str, int]]:
        """Edits replacing variants and leftovers, and how many mentions stay unmatched."""
        if not wanted:
            return [], {}
        occupied: list[tuple[int, int]] = []
        missing: dict[str, int] = {}
        for entry_id in sorted(wanted, key=lambda i: len(table.targets[i]), reverse=True):
            found = 0
            for start, end in bounded_finditer(table.target_patterns[entry_id], text):
                if not any(start < b and a < end for a, b in occupied):
                    occupied.append((start, end))
                    found += 1
            if found < wanted[entry_id]:
                missing[entry_id] = wanted[entry_id] - found
        if not missing:
            return [], missing
        candidates: list[tuple[int, int, str]] = []
        for entry_id in missing:
            pattern = table.patterns.get(entry_id)
            if pattern is None:
                continue
            target = table.targets[entry_id]
            for start, end in bounded_finditer(pattern, text):
                if any(start < b and a < end for a, b in occupied):
                    continue
                if not fits(text, start, end, target):
                    continue
                candidates.append((start, end, entry_id))
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        edits: list[_Edit] = []
        for start, end, entry_id in candidates:
            if missing[entry_id] <= 0 or any(start < e.end and e.start < end for e in edits):
                continue
            missing[entry_id] -= 1
            rule = table.rules[entry_id][text[start:end]]
            edits.append(_Edit(start, end, table.targets[entry_id], entry_id, rule))
        edits.sort(key=lambda e: e.start)
        return edits, missing

    @staticmethod
    def _apply(
        text: str, edits: list[_Edit], lang: str, segment: int, changes: list[GlossaryChange]
    ) -> str:
        """Apply non-overlapping edits left to right, logging offsets in the text as it is then."""
        shift = 0
        for index, edit in enumerate(edits):
            start = edit.start + shift
            end = edit.end + shift
            before = text[start:end]
            text = text[:start] + edit.after + text[end:]
            changes.append(
                GlossaryChange(segment, edit.entry_id, before, edit.after, start, end, edit.rule)
            )
            shift += len(edit.after) - (edit.end - edit.start)
            if lang != "ko" or not edit.after:
                continue
            pos = start + len(edit.after)
            fix = particle_fix(edit.after, text, pos)
            if fix is None:
                continue
            wrong, right = fix
            next_start = edits[index + 1].start + shift if index + 1 < len(edits) else len(text)
            if pos + len(wrong) > next_start:
                continue
            text = text[:pos] + right + text[pos + len(wrong) :]
            changes.append(
                GlossaryChange(
                    segment, edit.entry_id, wrong, right, pos, pos + len(wrong), "ko-particle"
                )
            )
            shift += len(right) - len(wrong)
        return text


def latin_leftover_flags(text: str) -> list[QAFlag]:
    """Capitalised Latin words left in Japanese/Korean output: likely names the glossary lacks."""
    seen: list[str] = []
    for match in _LATIN_WORD_RE.finditer(text):
        word = match.group(0)
        if word in LATIN_ALLOWLIST or word in seen:
            continue
        seen.append(word)
    return [
        QAFlag("latin-leftover", f"untranslated Latin word {word!r}; add it to the glossary?")
        for word in seen
    ]


def apply_changes(text: str, changes: list[GlossaryChange]) -> str:
    """Replay a change log on the raw MT; the audit trail must reproduce the final text."""
    for change in changes:
        if text[change.start : change.end] != change.before:
            raise ValueError(
                f"change {change.rule} of {change.entry_id!r} expects {change.before!r} at "
                f"{change.start}, found {text[change.start : change.end]!r}"
            )
        text = text[: change.start] + change.after + text[change.end :]
    return text


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
    """Load and validate a glossary file, compiling its matchers once."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(
            path, [Problem(1, f"cannot read the file ({exc.strerror})", "check the path")]
        ) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossaryError(
            path, [Problem(1, "the file is not UTF-8", "save it as UTF-8")]
        ) from exc
    glossary = glossary_from_text(text, path)
    glossary.sha256 = hashlib.sha256(data).hexdigest()
    return glossary
