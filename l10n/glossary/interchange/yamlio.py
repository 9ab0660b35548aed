"""Glossary YAML written from entries (the target of every import)."""

from __future__ import annotations

import yaml

from l10n.glossary.schema import Entry, slug


def _fields(entry: Entry) -> dict[str, object]:
    row: dict[str, object] = {}
    if entry.aliases:
        row["aliases"] = list(entry.aliases)
    if entry.strategy:
        row["strategy"] = entry.strategy
    row["targets"] = dict(entry.targets)
    variants = {lang: list(v) for lang, v in entry.variants.items() if v}
    if variants:
        row["variants"] = variants
    if entry.note:
        row["note"] = entry.note
    return row


def entries_to_yaml(
    entries: list[Entry], *, source_language: str = "en", strategy: str = "post-edit"
) -> str:
    """Glossary YAML for entries, with optional keys left out when empty.

    A short form of exactly one person in ``entries`` is written under that person's
    ``short_forms:``; one shared by several people stays an entry with ``short_form_of``.
    """
    ids = {e.id for e in entries}
    nested: dict[str, list[Entry]] = {}
    for entry in entries:
        if len(entry.short_form_of) == 1 and entry.short_form_of[0] in ids:
            nested.setdefault(entry.short_form_of[0], []).append(entry)
    rows = []
    for entry in entries:
        if len(entry.short_form_of) == 1 and entry.short_form_of[0] in ids:
            continue
        row: dict[str, object] = {"id": entry.id, "type": entry.type, "source": entry.source}
        if entry.short_form_of:
            row["short_form_of"] = list(entry.short_form_of)
        row.update(_fields(entry))
        shorts = []
        for short in nested.get(entry.id, []):
            item: dict[str, object] = {}
            if short.id != f"{entry.id}.{slug(short.source)}":
                item["id"] = short.id
            item["source"] = short.source
            item.update(_fields(short))
            shorts.append(item)
        if shorts:
            row["short_forms"] = shorts
        rows.append(row)
    head = {"version": 1, "source_language": source_language, "strategy": strategy}
    if not rows:
        return _dump({**head, "entries": rows})
    # One entry at a time, with libyaml's emitter where PyYAML has it: the same text as
    # dumping the whole document, without holding a node for every scalar of a glossary
    # of a few hundred thousand names at once.
    return "".join([_dump(head), "entries:\n", *(_dump([row]) for row in rows)])


def _dump(data: object) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
