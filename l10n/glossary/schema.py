"""Reading a glossary YAML file into entries, with every problem tied to a line.

The YAML node tree is walked directly (instead of ``yaml.safe_load``) because
editors fix glossaries by line number: each problem carries the line of the
node that caused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from l10n.errors import L10nError
from l10n.text.languages import TARGET_LANGUAGES

ENTRY_TYPES = ("person", "place", "org", "term")
STRATEGIES = ("post-edit", "protect")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_ENTRY_KEYS = {
    "id",
    "type",
    "source",
    "aliases",
    "targets",
    "variants",
    "note",
    "short_form_of",
    "short_forms",
    "strategy",
}
_SHORT_KEYS = {"id", "source", "aliases", "targets", "variants", "note", "strategy"}
_TOP_KEYS = {"version", "source_language", "strategy", "entries", "name", "description"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a glossary file, with the fix an editor should make."""

    line: int
    message: str
    fix: str

    def render(self, path: Path | str) -> str:
        return f"{path}:{self.line}: {self.message} — {self.fix}"


@dataclass
class Entry:
    """One name and its house renderings per target language.

    A *short form* (a bare surname, say) has ``short_form_of``: the ids of the
    full-name entries it may stand for. It counts as a mention only where the
    article names exactly one of those people (see :mod:`l10n.glossary.persons`).
    """

    id: str
    type: str
    source: str
    targets: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    variants: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None
    short_form_of: tuple[str, ...] = ()
    strategy: str | None = None
    line: int = 0
    nested: bool = False
    """Written under its person's ``short_forms:`` rather than as an entry of its own."""

    @property
    def source_forms(self) -> list[str]:
        return [self.source, *self.aliases]

    @property
    def is_short(self) -> bool:
        return bool(self.short_form_of)


@dataclass
class ParsedGlossary:
    """What the file says, plus every problem found; entries may be partial when problems exist.

    ``entries`` lists every entry, short forms included (a nested short form comes
    right after its person).
    """

    version: int
    source_language: str
    strategy: str
    entries: list[Entry]
    problems: list[Problem]


class GlossaryError(L10nError):
    """A glossary that cannot be used; ``str`` is ``FILE:LINE: problem — fix``."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        first = problems[0].render(path) if problems else f"{path}: invalid glossary"
        more = f" (and {len(problems) - 1} more; run `l10n glossary check {path}`)"
        super().__init__(first + (more if len(problems) > 1 else ""))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


_STR_TAG = "tag:yaml.org,2002:str"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: a 10,000-entry glossary composes in a second."""


def _scalar(node: yaml.Node) -> object:
    """The Python value of a scalar node, resolved the way safe_load would."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
        return node.value
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def slug(text: str) -> str:
    """An id made from a name: lower-case ASCII letters and digits joined by hyphens."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "term"


class _Reader:
    """Walks the node tree, recording problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | int, message: str, fix: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(line, message, fix))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping", f"write {what} as `key: value` lines")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what} has a non-text key", "use plain text keys")
                continue
            if key in out:
                self.problem(key_node, f"{what} repeats the key {key!r}", "keep one of them")
            out[key] = (key_node, value_node)
        return out

    def text(self, node: yaml.Node, what: str) -> str | None:
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.problem(node, f"{what} must be non-empty text", f"give {what} a text value")
            return None
        if value != value.strip():
            self.problem(node, f"{what} {value!r} has surrounding spaces", "remove them")
            return None
        return value

    def text_list(self, node: yaml.Node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode) and isinstance(_scalar(node), str):
            value = self.text(node, what)
            return [value] if value else []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of text", f"write {what} as [a, b]")
            return []
        values = [self.text(item, f"an item of {what}") for item in node.value]
        return [v for v in values if v]

    def lang_key(self, key_node: yaml.Node, key: str, what: str) -> bool:
        if key not in TARGET_LANGUAGES:
            self.problem(
                key_node,
                f"unknown target language {key!r} in {what}",
                f"use one of: {', '.join(TARGET_LANGUAGES)}",
            )
            return False
        return True


def _targets_and_variants(
    reader: _Reader, fields: dict[str, tuple[yaml.Node, yaml.Node]], label: str
) -> tuple[dict[str, str], dict[str, list[str]]]:
    targets: dict[str, str] = {}
    if "targets" in fields:
        mapping = reader.mapping(fields["targets"][1], f"{label} targets")
        for lang, (key_node, value_node) in (mapping or {}).items():
            value = reader.text(value_node, f"{label} target for {lang}")
            if reader.lang_key(key_node, lang, f"{label} targets") and value:
                targets[lang] = value
        if mapping is not None and not mapping:
            reader.problem(
                fields["targets"][1], f"{label} has no targets", "add `ja:` and/or `ko:`"
            )
    variants: dict[str, list[str]] = {}
    if "variants" in fields:
        mapping = reader.mapping(fields["variants"][1], f"{label} variants")
        for lang, (key_node, value_node) in (mapping or {}).items():
            values = reader.text_list(value_node, f"{label} variants for {lang}")
            if reader.lang_key(key_node, lang, f"{label} variants"):
                variants[lang] = values
                if lang not in targets and "targets" in fields:
                    reader.problem(
                        key_node,
                        f"{label} has {lang} variants but no {lang} target",
                        f"add `{lang}:` under targets or drop these variants",
                    )
    return targets, variants


def _optional_text(
    reader: _Reader, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, label: str
) -> str | None:
    return reader.text(fields[key][1], f"{label} {key}") if key in fields else None


def _check_id(reader: _Reader, node: yaml.Node, entry_id: str | None) -> None:
    if entry_id and not _ID_RE.match(entry_id):
        reader.problem(
            node, f"id {entry_id!r} is not a slug", "use lower-case letters, digits and hyphens"
        )


def _check_strategy(reader: _Reader, node: yaml.Node, strategy: str | None, label: str) -> None:
    if strategy and strategy not in STRATEGIES:
        reader.problem(
            node,
            f"{label} has unknown strategy {strategy!r}",
            f"use one of: {', '.join(STRATEGIES)}",
        )


def _parse_short_forms(reader: _Reader, node: yaml.Node, person: Entry) -> list[Entry]:
    """The ``short_forms:`` list of a person: each a source form with its own targets."""
    label = f"entry {person.id!r}"
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, f"{label} short_forms must be a list", "start each with `- source:`")
        return []
    out: list[Entry] = []
    for index, item in enumerate(node.value):
        what = f"short form #{index + 1} of {person.id!r}"
        fields = reader.mapping(item, what)
        if fields is None:
            continue
        for key, (key_node, _) in fields.items():
            if key not in _SHORT_KEYS:
                reader.problem(
                    key_node,
                    f"{what} has unknown key {key!r}",
                    f"use only: {', '.join(sorted(_SHORT_KEYS))}",
                )
        for required in ("source", "targets"):
            if required not in fields:
                reader.problem(item, f"{what} lacks {required!r}", f"add `{required}:` to it")
        source = _optional_text(reader, fields, "source", what)
        entry_id = _optional_text(reader, fields, "id", what)
        if "id" in fields:
            _check_id(reader, fields["id"][1], entry_id)
        elif source:
            entry_id = f"{person.id}.{slug(source)}"
        aliases = (
            reader.text_list(fields["aliases"][1], f"{what} aliases") if "aliases" in fields else []
        )
        targets, variants = _targets_and_variants(reader, fields, what)
        strategy = _optional_text(reader, fields, "strategy", what)
        if strategy:
            _check_strategy(reader, fields["strategy"][1], strategy, what)
        note = _optional_text(reader, fields, "note", what)
        if not (entry_id and source and targets):
            continue
        out.append(
            Entry(
                id=entry_id,
                type=person.type,
                source=source,
                targets=targets,
                aliases=aliases,
                variants=variants,
                note=note or f"{source} alone, for {person.source}",
                short_form_of=(person.id,),
                strategy=strategy,
                line=_line(item),
                nested=True,
            )
        )
    return out


def _parse_entry(reader: _Reader, node: yaml.Node, index: int) -> list[Entry]:
    """The entry at ``node`` followed by its nested short forms (empty when unusable)."""
    what = f"entry #{index + 1}"
    fields = reader.mapping(node, what)
    if fields is None:
        return []
    for key, (key_node, _) in fields.items():
        if key not in _ENTRY_KEYS:
            reader.problem(
                key_node,
                f"{what} has unknown key {key!r}",
                f"use only: {', '.join(sorted(_ENTRY_KEYS))}",
            )
    for required in ("id", "type", "source", "targets"):
        if required not in fields:
            reader.problem(node, f"{what} lacks {required!r}", f"add `{required}:` to the entry")
    entry_id = reader.text(fields["id"][1], f"{what} id") if "id" in fields else None
    if "id" in fields:
        _check_id(reader, fields["id"][1], entry_id)
    label = f"entry {entry_id!r}" if entry_id else what
    entry_type = reader.text(fields["type"][1], f"{label} type") if "type" in fields else None
    if entry_type and entry_type not in ENTRY_TYPES:
        reader.problem(
            fields["type"][1],
            f"{label} has unknown type {entry_type!r}",
            f"use one of: {', '.join(ENTRY_TYPES)}",
        )
    source = reader.text(fields["source"][1], f"{label} source") if "source" in fields else None
    aliases = (
        reader.text_list(fields["aliases"][1], f"{label} aliases") if "aliases" in fields else []
    )
    targets, variants = _targets_and_variants(reader, fields, label)
    note = _optional_text(reader, fields, "note", label)
    short_of: tuple[str, ...] = ()
    if "short_form_of" in fields:
        short_of = tuple(reader.text_list(fields["short_form_of"][1], f"{label} short_form_of"))
    strategy = _optional_text(reader, fields, "strategy", label)
    if strategy:
        _check_strategy(reader, fields["strategy"][1], strategy, label)
    if "short_forms" in fields and short_of:
        reader.problem(
            fields["short_forms"][0],
            f"{label} is a short form itself and cannot have short_forms",
            "move these short forms to the full-name entry",
        )
    if not (entry_id and entry_type and source and targets):
        return []
    entry = Entry(
        id=entry_id,
        type=entry_type,
        source=source,
        targets=targets,
        aliases=aliases,
        variants=variants,
        note=note,
        short_form_of=short_of,
        strategy=strategy,
        line=_line(node),
    )
    shorts = []
    if "short_forms" in fields and not short_of:
        shorts = _parse_short_forms(reader, fields["short_forms"][1], entry)
    return [entry, *shorts]


def _cross_checks(reader: _Reader, entries: list[Entry], lines: dict[tuple[str, str], int]) -> None:
    """Problems that involve more than one entry, found with dictionaries (linear time).

    Allowed on purpose: one short form for several people (the article decides), and a
    variant of one entry that is another entry's target (광주 is Gwangju's house form and
    what engines write for Guangzhou; the source sentence decides).
    """
    by_id: dict[str, Entry] = {}
    for entry in entries:
        other = by_id.setdefault(entry.id, entry)
        if other is not entry and entry.nested:
            reader.problem(
                entry.line,
                f"short form id {entry.id!r} is already used (line {other.line})",
                "give the short form its own `id:`",
            )
    full_forms: dict[str, Entry] = {}
    short_forms: dict[str, Entry] = {}
    for entry in entries:
        seen: set[str] = set()
        for form in entry.source_forms:
            if form in seen:
                reader.problem(
                    entry.line, f"entry {entry.id!r} lists {form!r} twice", "remove the repeat"
                )
                continue
            seen.add(form)
            table, rival_table = (
                (short_forms, full_forms) if entry.is_short else (full_forms, short_forms)
            )
            rival = rival_table.get(form)
            if rival is not None:
                full, short = (rival, entry) if entry.is_short else (entry, rival)
                reader.problem(
                    entry.line,
                    f"{form!r} is the full name of {full.id!r} and a short form in {short.id!r}",
                    "a name is either always that entry or a short form; keep one",
                )
            other = table.setdefault(form, entry)
            if other is entry or entry.is_short:
                continue
            clash = sorted(
                lang
                for lang in set(entry.targets) & set(other.targets)
                if entry.targets[lang] != other.targets[lang]
            )
            if clash:
                reader.problem(
                    entry.line,
                    f"{form!r} maps to different {'/'.join(clash)} targets in entries "
                    f"{other.id!r} (line {other.line}) and {entry.id!r}",
                    "keep the form in one entry only",
                )
    for entry in entries:
        for lang, values in entry.variants.items():
            for value in values:
                if value == entry.targets.get(lang):
                    reader.problem(
                        entry.line,
                        f"entry {entry.id!r} lists its own {lang} target {value!r} as a variant",
                        "remove it from variants",
                    )
    for entry in entries:
        for person_id in entry.short_form_of:
            owner = by_id.get(person_id)
            line = lines.get(("short", entry.id), entry.line)
            if owner is None:
                reader.problem(
                    line,
                    f"short_form_of {person_id!r} of {entry.id!r} names no entry",
                    "use the id of the full-name entry",
                )
            elif owner is entry or owner.is_short:
                reader.problem(
                    line,
                    f"short_form_of of {entry.id!r} must name a full-name entry",
                    "point it at an entry that is not itself a short form",
                )


def _key_node(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _id_node(node: yaml.Node) -> yaml.ScalarNode | None:
    found = _key_node(node, "id")
    return found if isinstance(found, yaml.ScalarNode) else None


def parse_glossary_text(text: str) -> ParsedGlossary:
    """Parse and validate glossary YAML; never raises for bad content."""
    reader = _Reader()
    empty = ParsedGlossary(1, "en", "post-edit", [], reader.problems)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reader.problem(line, f"YAML syntax error: {problem}", "fix the indentation or quoting")
        return empty
    if root is None:
        reader.problem(1, "the file is empty", "start with `version: 1` and `entries:`")
        return empty
    top = reader.mapping(root, "the glossary")
    if top is None:
        return empty
    for key, (key_node, _) in top.items():
        if key not in _TOP_KEYS:
            reader.problem(
                key_node,
                f"unknown top-level key {key!r}",
                f"use only: {', '.join(sorted(_TOP_KEYS))}",
            )
    if "version" not in top:
        reader.problem(root, "missing `version`", "add `version: 1` at the top")
    else:
        value = (
            _scalar(top["version"][1]) if isinstance(top["version"][1], yaml.ScalarNode) else None
        )
        if value != 1:
            reader.problem(top["version"][1], f"unsupported version {value!r}", "use `version: 1`")
    source_language = "en"
    if "source_language" in top:
        value = reader.text(top["source_language"][1], "source_language")
        if value and not _LANG_RE.match(value):
            reader.problem(
                top["source_language"][1], f"bad language code {value!r}", "use a code such as en"
            )
        source_language = value or "en"
    strategy = "post-edit"
    if "strategy" in top:
        value = reader.text(top["strategy"][1], "strategy")
        if value and value not in STRATEGIES:
            reader.problem(
                top["strategy"][1],
                f"unknown strategy {value!r}",
                f"use one of: {', '.join(STRATEGIES)}",
            )
        elif value:
            strategy = value
    entries: list[Entry] = []
    lines: dict[tuple[str, str], int] = {}
    if "entries" not in top:
        reader.problem(root, "missing `entries`", "add an `entries:` list")
    elif not isinstance(top["entries"][1], yaml.SequenceNode):
        reader.problem(
            top["entries"][1], "`entries` must be a list", "start each entry with `- id:`"
        )
    else:
        first_line: dict[str, int] = {}
        for index, node in enumerate(top["entries"][1].value):
            id_node = _id_node(node)
            if id_node is not None:
                raw_id = _scalar(id_node)
                if isinstance(raw_id, str) and raw_id in first_line:
                    reader.problem(
                        id_node,
                        f"duplicate id {raw_id!r} (first at line {first_line[raw_id]})",
                        "give each entry its own id",
                    )
                elif isinstance(raw_id, str):
                    first_line[raw_id] = _line(id_node)
            parsed = _parse_entry(reader, node, index)
            entries.extend(parsed)
            short_node = _key_node(node, "short_form_of")
            if parsed and short_node is not None:
                lines[("short", parsed[0].id)] = _line(short_node)
    _cross_checks(reader, entries, lines)
    reader.problems.sort(key=lambda p: p.line)
    return ParsedGlossary(1, source_language, strategy, entries, reader.problems)
