"""Finding glossary names in English source text with one Aho-Corasick pass.

An automaton built once per glossary keeps per-sentence cost proportional to
the text and the hits, whatever the glossary size.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import ahocorasick

from l10n.glossary.schema import Entry


@dataclass(frozen=True)
class Mention:
    """A glossary name found in the source: where, which entry and the surface form."""

    entry_id: str
    start: int
    end: int
    surface: str


def spelling_variants(form: str, entry_type: str) -> list[str]:
    """Hyphen/space spellings of a multi-part name (Lee Jae Myung, Lee Jae-myung, Lee Jae-Myung).

    Only personal names vary this way in the press; places keep their spelling.
    """
    parts = form.replace("-", " ").split()
    if entry_type != "person" or not 2 <= len(parts) <= 4:
        return [form]
    out = [form]
    for seps in itertools.product((" ", "-"), repeat=len(parts) - 1):
        for caps in itertools.product((False, True), repeat=len(parts) - 1):
            text = parts[0]
            for sep, cap, part in zip(seps, caps, parts[1:], strict=True):
                if sep == "-" and not cap:
                    part = part[:1].lower() + part[1:]
                elif sep == "-" or cap:
                    part = part[:1].upper() + part[1:]
                text += sep + part
            if text not in out:
                out.append(text)
    return out


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def mostly_upper(text: str) -> bool:
    """Headlines in capitals must still match names written in title case."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(letters) < 4:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.7


class SourceMatcher:
    """All source forms of all entries in two automatons: exact case, and upper-cased."""

    def __init__(self, entries: list[Entry]):
        self._exact = ahocorasick.Automaton()
        self._upper = ahocorasick.Automaton()
        exact: dict[str, list[str]] = {}
        upper: dict[str, list[str]] = {}
        for entry in entries:
            for form in entry.source_forms:
                for spelling in spelling_variants(form, entry.type):
                    ids = exact.setdefault(spelling, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
                    ids = upper.setdefault(spelling.upper(), [])
                    if entry.id not in ids:
                        ids.append(entry.id)
        for automaton, table in ((self._exact, exact), (self._upper, upper)):
            for key, ids in table.items():
                automaton.add_word(key, (len(key), tuple(ids)))
            if table:
                automaton.make_automaton()
        self._empty = not exact

    def find(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Whole-word, longest-first, non-overlapping hits as (start, end, entry ids)."""
        if self._empty or not text:
            return []
        haystack, automaton = text, self._exact
        if mostly_upper(text):
            upper = text.upper()
            if len(upper) == len(text):
                haystack, automaton = upper, self._upper
        hits: list[tuple[int, int, tuple[str, ...]]] = []
        size = len(text)
        for end_index, (length, ids) in automaton.iter(haystack):
            start = end_index + 1 - length
            end = end_index + 1
            if start > 0 and _is_word_char(text[start - 1]):
                continue
            if end < size and _is_word_char(text[end]):
                continue
            hits.append((start, end, ids))
        if len(hits) < 2:
            return hits
        hits.sort(key=lambda h: (h[0] - h[1], h[0]))
        taken: list[tuple[int, int, tuple[str, ...]]] = []
        for hit in hits:
            if all(hit[1] <= t[0] or hit[0] >= t[1] for t in taken):
                taken.append(hit)
        taken.sort()
        return taken
