"""Finding glossary names in English source text with one Aho-Corasick pass.

An automaton built once per glossary keeps per-sentence cost proportional to
the text and the hits, whatever the glossary size. The text is expected already
normalised (:func:`l10n.text.normalize.normalize_for_matching`); the glossary's own
forms are normalised the same way when the automaton is built.

Capitals: a form matches exactly as written, and also in capitals where capitals do
not mark an acronym — a headline in capitals, a dateline (``SEOUL (Reuters) –``), or a
run of several capitalised words (``KIM JONG UN``). A lone capitalised word elsewhere
(``NARA``, the US archives) is not taken for the entry.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import ahocorasick

from l10n.glossary.persons import mostly_upper
from l10n.glossary.schema import Entry
from l10n.glossary.target_rules import APOSTROPHES
from l10n.text.normalize import normalize_for_matching


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


_DATELINE = re.compile(r"\s*[A-Z][A-Z.'’/ \-]*[A-Z](?=\s*(?:,|\(|–|—|-|:|$))")
_CAPS_RUN = re.compile(r"[A-Z]{2}")


def boundary_ok(text: str, start: int, end: int) -> bool:
    """A hit is a whole word: no letter or digit around it, no apostrophe joining more letters.

    ``Xi's`` is Xi; ``Xi'an`` (a city) and ``d'Lee`` are other words.
    """
    if start > 0:
        before = text[start - 1]
        if before.isalnum():
            return False
        if before in APOSTROPHES and start >= 2 and text[start - 2].isalpha():
            return False
    size = len(text)
    if end < size:
        after = text[end]
        if after.isalnum():
            return False
        if after in APOSTROPHES and end + 1 < size and text[end + 1].isalpha():
            return text[end + 1] in "sS" and (end + 2 >= size or not text[end + 2].isalnum())
    return True


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
                    spelling = normalize_for_matching(spelling).text
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

    def _hits(
        self, automaton: ahocorasick.Automaton, haystack: str, text: str
    ) -> list[tuple[int, int, tuple[str, ...]]]:
        hits = []
        for end_index, (length, ids) in automaton.iter(haystack):
            start, end = end_index + 1 - length, end_index + 1
            if boundary_ok(text, start, end):
                hits.append((start, end, ids))
        return hits

    def find(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Whole-word, longest-first, non-overlapping hits as (start, end, entry ids)."""
        if self._empty or not text:
            return []
        upper = text.upper() if _CAPS_RUN.search(text) else None
        if upper is not None and len(upper) != len(text):
            upper = None
        if upper is not None and mostly_upper(text):
            hits = self._hits(self._upper, upper, text)
        else:
            hits = self._hits(self._exact, text, text)
            if upper is not None:
                dateline = _DATELINE.match(text)
                dateline_end = dateline.end() if dateline else 0
                for start, end, ids in self._hits(self._upper, upper, text):
                    surface = text[start:end]
                    if not surface.isupper():
                        continue
                    if end <= dateline_end or " " in surface or "-" in surface:
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
