"""Per target language: each entry's house form and the wrong forms to look for in MT output.

An entry's forms are worked out the first time it is needed, so loading a large
glossary costs little and a run pays only for the names its articles mention.
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n.glossary.schema import Entry
from l10n.glossary.source_match import spelling_variants
from l10n.glossary.target_rules import spacing_variants, stray_space_variants
from l10n.text.normalize import normalize_for_matching


@dataclass(frozen=True)
class EntryForms:
    """One entry in one language: its target, and every wrong form with the rule that fixes it.

    ``shared`` lists wrong forms that are another entry's target (광주 for Guangzhou is
    Gwangju's house form); which entry such a form stands for is decided by the source.
    """

    target: str
    wrong: tuple[str, ...]
    """Wrong forms, longest first."""
    rules: dict[str, str]
    shared: frozenset[str]


def _norm(text: str) -> str:
    return normalize_for_matching(text).text


class LangTable:
    """Targets of every entry in one language, with wrong forms compiled on demand."""

    def __init__(self, lang: str, entries: list[Entry]):
        self.lang = lang
        self._entries = {e.id: e for e in entries if lang in e.targets}
        self.targets: dict[str, str] = {i: _norm(e.targets[lang]) for i, e in self._entries.items()}
        self.by_target: dict[str, list[str]] = {}
        for entry_id, target in self.targets.items():
            self.by_target.setdefault(target, []).append(entry_id)
        self._forms: dict[str, EntryForms] = {}

    def forms(self, entry_id: str) -> EntryForms:
        found = self._forms.get(entry_id)
        if found is None:
            found = self._forms[entry_id] = self._compile(self._entries[entry_id])
        return found

    def _compile(self, entry: Entry) -> EntryForms:
        target = self.targets[entry.id]
        forms: dict[str, str] = {}
        for variant in entry.variants.get(self.lang, []):
            for spelled in spacing_variants(_norm(variant)):
                forms.setdefault(spelled, "variant")
        for spelled in spacing_variants(target)[1:]:
            forms.setdefault(spelled, "variant")
        for part in target.split(" "):
            for spelled in stray_space_variants(part):
                forms.setdefault(target.replace(part, spelled, 1), "variant")
        for form in entry.source_forms:
            for spelled in spelling_variants(_norm(form), entry.type):
                forms.setdefault(spelled, "latin-leftover")
                forms.setdefault(spelled.upper(), "latin-leftover")
        forms.pop(target, None)
        forms = {f: r for f, r in forms.items() if f}
        shared = frozenset(
            f for f in forms if any(other != entry.id for other in self.by_target.get(f, ()))
        )
        return EntryForms(
            target=target,
            wrong=tuple(sorted(forms, key=len, reverse=True)),
            rules=forms,
            shared=shared,
        )
