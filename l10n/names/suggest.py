"""Draft glossary entries for the names a run found outside the glossary.

Each name's target per language is its approved rendering, else its usual one; the other
renderings become its variants, and the note says where each came from, so a desk can
check the draft before merging it. Short forms (Cho, Iwaya) go under their person.
"""

from __future__ import annotations

from collections import Counter

from l10n.glossary import Entry, Glossary, parse_glossary_text
from l10n.glossary.interchange import entries_to_yaml
from l10n.glossary.schema import slug
from l10n.names.consistency import NameIndex, Occurrence

ENTRY_TYPE = {"person": "person", "place": "place", "organization": "org"}
MAX_PLACES = 3
"""Segments named per rendering in a note."""


def _describe(items: list[Occurrence]) -> str:
    counts = Counter(o.text for o in items)
    parts = []
    for text, count in counts.most_common():
        places = list(dict.fromkeys(o.where for o in items if o.text == text))
        more = f", +{len(places) - MAX_PLACES}" if len(places) > MAX_PLACES else ""
        approved = " approved" if any(o.approved and o.text == text for o in items) else ""
        parts.append(f"{text} ×{count}{approved} ({', '.join(places[:MAX_PLACES])}{more})")
    return "; ".join(parts)


def _forms(
    index: NameIndex, groups: dict[tuple[str, str, str], list[Occurrence]], key: str, form: str
) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    targets: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    notes: list[str] = []
    for (k, f, lang), items in sorted(groups.items()):
        if (k, f) != (key, form):
            continue
        usual, _ = index.usual(items)
        targets[lang] = usual
        others = [t for t in dict.fromkeys(o.text for o in items) if t != usual]
        if others:
            variants[lang] = others
        notes.append(f"{lang}: {_describe(items)}")
    return targets, variants, notes


def suggest_entries(index: NameIndex, glossary: Glossary | None, run_id: str) -> list[Entry]:
    """Draft entries (short forms after their person) for the names outside ``glossary``."""
    groups = {k: v for k, v in index.groups().items() if not v[0].glossary}
    taken = set(glossary.by_id) if glossary is not None else set()
    keys = sorted({(k, groups[(k, f, lang)][0].type) for k, f, lang in groups if f == k})
    shorts: dict[str, list[str]] = {}
    for k, f, _lang in groups:
        if f != k and f not in shorts.setdefault(k, []):
            shorts[k].append(f)
    entries: list[Entry] = []
    for key, kind in keys:
        entry_id = slug(key)
        if not entry_id or entry_id in taken:
            continue
        taken.add(entry_id)
        targets, variants, notes = _forms(index, groups, key, key)
        entries.append(
            Entry(
                entry_id,
                ENTRY_TYPE.get(kind, "person"),
                key,
                targets,
                variants=variants,
                note=f"suggested from run {run_id} — " + " | ".join(notes),
            )
        )
        for form in sorted(shorts.get(key, [])):
            short_targets, short_variants, _ = _forms(index, groups, key, form)
            entries.append(
                Entry(
                    f"{entry_id}.{slug(form)}",
                    ENTRY_TYPE.get(kind, "person"),
                    form,
                    short_targets,
                    variants=short_variants,
                    short_form_of=(entry_id,),
                )
            )
    return entries


def draft_yaml(entries: list[Entry], source_language: str, run_id: str) -> str:
    """The draft as glossary YAML, with a header saying what to do with it."""
    header = (
        f"# Draft entries suggested by `l10n glossary suggest` from run {run_id}.\n"
        "# Check each target (the approved or usual rendering) and its variants, then merge\n"
        "# the entries into your glossary and fix the run with `l10n glossary reapply`.\n"
    )
    return header + entries_to_yaml(entries, source_language=source_language)


def draft_problems(text: str) -> list[str]:
    """What the glossary validator says about a draft (one line each)."""
    return [f"line {p.line}: {p.message}" for p in parse_glossary_text(text).problems]
