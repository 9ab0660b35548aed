"""Importing a term table (CSV/TSV) or term file (TBX/TMX) item by item, in bounded memory.

The table is read one line at a time (at most :data:`MAX_LINE` bytes a line) and each row
is checked as it is read; what must be remembered across rows (each source form's target
per language, which rows share targets, the ids given out) lives in a small SQLite file
beside the output, not in Python objects, so memory stays flat whatever the table's size.

All or nothing: a file that cannot be read as a table stops the import at its first bad
line (:class:`TableError`: ``LINE: problem; fix``); rows that contradict earlier rows are
all listed (:class:`TableImport.problems`, by line of the table) and nothing is written.
The TBX and TMX readers (:mod:`.tbx`, :mod:`.tmx`) stream their XML into the same
:class:`TermStore`, one term entry or unit at a time, with the same rules and reports.

Only a table without problems yields YAML (:meth:`TableImport.yaml_chunks`), written by
the caller in one atomic step.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

import yaml

from l10n.glossary.schema import TARGET_LANGUAGES, Entry, slug

MAX_LINE = 1 << 20
"""The longest line read (1 MiB): a file without line breaks is not a term table."""
SHOWN_PROBLEMS = 20
_T = TypeVar("_T")
_CACHE_KIB = 8192


class TableError(ValueError):
    """The table cannot be read; ``str`` is ``LINE: problem; fix``."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"{line}: {message}")


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass
class TableImport:
    """What reading a table found: counts, the first problems, and the terms (in the store)."""

    source_language: str
    item: str = "row"
    """What one read item is called in messages: row, term entry, unit."""
    rows: int = 0
    skipped: int = 0
    """Rows without a source term or without a target in any target-language column."""
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    """The first :data:`SHOWN_PROBLEMS`; :meth:`all_problems` lists every one."""
    store: TermStore | None = None

    @property
    def entries(self) -> int:
        return self.store.count() if self.store else 0

    def count(self, n: int) -> str:
        """``n`` items, in words: "1 row", "3 term entries"."""
        if n == 1:
            return f"1 {self.item}"
        plural = self.item[:-1] + "ies" if self.item.endswith("y") else self.item + "s"
        return f"{n} {plural}"

    def note(self, problems: Iterable[RowProblem]) -> None:
        """Count ``problems``, keeping the first :data:`SHOWN_PROBLEMS` to show."""
        for problem in problems:
            self.problem_count += 1
            if len(self.problems) < SHOWN_PROBLEMS:
                self.problems.append(problem)

    def all_problems(self) -> Iterator[RowProblem]:
        if self.store is not None:
            yield from self.store.problems()

    def yaml_chunks(self) -> Iterator[bytes]:
        if self.store is None:
            return
        yield from yaml_chunks(self.store.entries(), self.source_language)


class TermStore:
    """Terms gathered from rows, kept in SQLite (a file in ``folder``, or in memory).

    Rows with the same targets become one entry whose other forms are aliases; ids are
    slugs of the first form, made unique with ``-2``, ``-3`` ….
    A row whose every target is already recorded for its form adds nothing.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._path: Path | None = None
        if folder is None:
            self._db = sqlite3.connect(":memory:")
        else:
            fd, name = tempfile.mkstemp(prefix=".l10n-import.", suffix=".sqlite", dir=folder)
            os.close(fd)
            self._path = Path(name)
            self._db = sqlite3.connect(name)
        self._db.executescript(
            f"""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{_CACHE_KIB};
            PRAGMA temp_store=FILE;
            CREATE TABLE entry(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                               source TEXT NOT NULL, targets TEXT NOT NULL, extra TEXT);
            CREATE INDEX entry_targets ON entry(targets);
            CREATE TABLE alias(n INTEGER PRIMARY KEY, entry INTEGER NOT NULL, form TEXT NOT NULL,
                               UNIQUE(entry, form));
            CREATE INDEX alias_order ON alias(entry, n);
            CREATE TABLE target(form TEXT NOT NULL, lang TEXT NOT NULL, value TEXT NOT NULL,
                                line INTEGER NOT NULL, PRIMARY KEY(form, lang)) WITHOUT ROWID;
            CREATE TABLE slug(base TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE problem(n INTEGER PRIMARY KEY, line INTEGER NOT NULL,
                                 message TEXT NOT NULL);
            CREATE TABLE reference(line INTEGER NOT NULL, entry TEXT NOT NULL,
                                   person TEXT NOT NULL);
            CREATE TABLE short(form TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID;
            """
        )

    def close(self) -> None:
        self._db.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

    def __enter__(self) -> TermStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _targets(
        self, form: str, targets: Mapping[str, str], line: int, fix: str
    ) -> tuple[list[tuple[str, str, str, int]], list[RowProblem]]:
        """``form``'s targets not seen before (rows to insert), and those that differ from
        the one an earlier line gave it."""
        known = {
            lang: (value, where)
            for lang, value, where in self._db.execute(
                "SELECT lang, value, line FROM target WHERE form = ?", (form,)
            )
        }
        new = []
        problems = []
        for lang, value in targets.items():
            if lang not in known:
                new.append((form, lang, value, line))
            elif known[lang][0] != value:
                earlier, where = known[lang]
                problems.append(
                    RowProblem(
                        line,
                        f"{form!r} has the {lang} target {value!r} here but {earlier!r} on "
                        f"line {where} — keep one rendering per term ({fix})",
                    )
                )
        return new, problems

    def _refuse(self, problems: list[RowProblem]) -> list[RowProblem]:
        self._db.executemany(
            "INSERT INTO problem(line, message) VALUES (?, ?)",
            [(p.line, p.message) for p in problems],
        )
        return problems

    def add(self, form: str, targets: dict[str, str], line: int) -> list[RowProblem]:
        """Record one row's term; the problems it has with earlier rows (then nothing is kept)."""
        db = self._db
        new, problems = self._targets(form, targets, line, "correct or delete one of the rows")
        if problems:
            return self._refuse(problems)
        if not new:
            return []
        db.executemany("INSERT INTO target VALUES (?, ?, ?, ?)", new)
        key = json.dumps(sorted(targets.items()), ensure_ascii=False)
        found = db.execute(
            "SELECT n, source FROM entry WHERE targets = ? AND extra IS NULL", (key,)
        ).fetchone()
        if found is not None:
            if found[1] != form:
                db.execute(
                    "INSERT OR IGNORE INTO alias(entry, form) VALUES (?, ?)", (found[0], form)
                )
            return []
        db.execute(
            "INSERT INTO entry(id, source, targets) VALUES (?, ?, ?)",
            (self._unique(slug(form)), form, key),
        )
        return []

    def add_entry(self, entry: Entry, line: int) -> list[RowProblem]:
        """Record a whole entry as it stands (a TBX concept): its id kept where free.

        Its source forms are checked against every earlier one as :meth:`add` checks a
        row's; a short form's targets are not (one short form may stand for several
        people), but a name may not be both a full name and a short form. A variant may not
        be the entry's own target.
        """
        db = self._db
        problems = []
        new = []
        forms = list(dict.fromkeys(entry.source_forms))
        for lang, values in entry.variants.items():
            if entry.targets.get(lang) in values:
                problems.append(
                    RowProblem(
                        line,
                        f"{entry.source!r} lists its own {lang} target "
                        f"{entry.targets[lang]!r} as a deprecated variant — remove that term",
                    )
                )
        for form in forms:
            rival = db.execute(
                "SELECT line FROM target WHERE form = ? LIMIT 1"
                if entry.is_short
                else "SELECT line FROM short WHERE form = ?",
                (form,),
            ).fetchone()
            if rival is not None:
                kinds = ("a full name", "a short form")
                earlier, here = kinds if entry.is_short else kinds[::-1]
                problems.append(
                    RowProblem(
                        line,
                        f"{form!r} is {here} here but {earlier} on line {rival[0]} — a name "
                        "is either always that entry or a short form; keep one",
                    )
                )
        if not entry.is_short:
            for form in forms:
                rows, clashes = self._targets(
                    form, entry.targets, line, "correct it, or delete one of the entries"
                )
                new += rows
                problems += clashes
        if problems:
            return self._refuse(problems)
        db.executemany("INSERT INTO target VALUES (?, ?, ?, ?)", new)
        if entry.is_short:
            db.executemany(
                "INSERT OR IGNORE INTO short VALUES (?, ?)", [(form, line) for form in forms]
            )
        entry_id = self._unique(entry.id or slug(entry.source))
        extra = {
            "type": entry.type,
            "aliases": forms[1:],
            "variants": entry.variants,
            "note": entry.note,
            "short_form_of": list(entry.short_form_of),
            "strategy": entry.strategy,
        }
        db.execute(
            "INSERT INTO entry(id, source, targets, extra) VALUES (?, ?, ?, ?)",
            (
                entry_id,
                entry.source,
                json.dumps(sorted(entry.targets.items()), ensure_ascii=False),
                json.dumps(extra, ensure_ascii=False),
            ),
        )
        db.executemany(
            "INSERT INTO reference VALUES (?, ?, ?)",
            [(line, entry_id, person) for person in entry.short_form_of],
        )
        return []

    def check_references(self) -> Iterator[RowProblem]:
        """A problem (recorded too) for each short form naming an entry the store lacks."""
        query = (
            "SELECT line, entry, person FROM reference "
            "WHERE person NOT IN (SELECT id FROM entry WHERE extra IS NULL OR "
            "json_array_length(extra, '$.short_form_of') = 0) ORDER BY line"
        )
        for line, entry_id, person in self._db.execute(query).fetchall():
            problem = RowProblem(
                line,
                f"the short form {entry_id!r} refers to {person!r}, which names no full-name "
                "entry in the file — point it at the id of a full-name termEntry",
            )
            self._db.execute(
                "INSERT INTO problem(line, message) VALUES (?, ?)", (line, problem.message)
            )
            yield problem

    def _unique(self, base: str) -> str:
        row = self._db.execute("SELECT next FROM slug WHERE base = ?", (base,)).fetchone()
        n = row[0] if row else 1
        while True:
            candidate = base if n == 1 else f"{base}-{n}"
            if self._db.execute("SELECT 1 FROM entry WHERE id = ?", (candidate,)).fetchone():
                n += 1
                continue
            self._db.execute("INSERT OR REPLACE INTO slug VALUES (?, ?)", (base, n + 1))
            return candidate

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM entry").fetchone()[0])

    def problems(self) -> Iterator[RowProblem]:
        for line, message in self._db.execute("SELECT line, message FROM problem ORDER BY n"):
            yield RowProblem(line, message)

    def entries(self) -> Iterator[Entry]:
        """Every entry in the order of its first row, with its aliases in row order."""
        aliases = self._db.execute("SELECT entry, form FROM alias ORDER BY entry, n")
        pending = aliases.fetchone()
        query = "SELECT n, id, source, targets, extra FROM entry ORDER BY n"
        for n, entry_id, source, targets, extra in self._db.execute(query):
            forms = []
            while pending is not None and pending[0] == n:
                forms.append(pending[1])
                pending = aliases.fetchone()
            if extra is None:
                yield Entry(entry_id, "term", source, dict(json.loads(targets)), aliases=forms)
                continue
            more = json.loads(extra)
            yield Entry(
                entry_id,
                more["type"],
                source,
                dict(json.loads(targets)),
                aliases=more["aliases"],
                variants=more["variants"],
                note=more["note"],
                short_form_of=tuple(more["short_form_of"]),
                strategy=more["strategy"],
            )


def entries_of(
    read: Callable[[Path | bytes, TermStore], TableImport], data: Path | bytes
) -> tuple[str, list[Entry]]:
    """The source language and entries a streaming reader finds in ``data``, all of them.

    Raises ValueError (``LINE: problem``) at the first problem the reader reports.
    """
    with TermStore() as store:
        result = read(data, store)
        if result.problems:
            first = result.problems[0]
            raise ValueError(f"{first.line}: {first.message}")
        return result.source_language, list(store.entries())


def _lines(handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text, checked one at a time (UTF-8, no NUL, not too long)."""
    number, offset = 0, 0
    while True:
        raw = handle.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE:
            raise TableError(
                number,
                f"a line longer than {MAX_LINE >> 20} MiB: not a CSV/TSV term table "
                "(one term per line)",
            )
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, offset = raw[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableError(
                number,
                f"not UTF-8 text (byte {offset + exc.start} of the file); save the table as UTF-8",
            ) from None
        if "\x00" in line:
            raise TableError(number, "binary data, not a CSV/TSV table")
        offset += len(raw)
        yield line


def _is_code(cell: str) -> bool:
    code = cell.strip().lower()
    return 2 <= len(code) <= 8 and code.replace("-", "").isalpha() and code.isascii()


def _rows(handle: BinaryIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every row that is not blank."""
    reader = csv.reader(_lines(handle), delimiter=delimiter)
    kind = "TSV" if delimiter == "\t" else "CSV"
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            fix = (
                "its lines end in a bare carriage return; save the table with Unix or "
                "Windows line ends"
                if "new-line character" in str(exc)
                else 'check for a quote (") that opens a cell and never closes'
            )
            raise TableError(start, f"this row cannot be read as {kind} ({exc}); {fix}") from None
        if any(cell.strip() for cell in row):
            yield start, row


def _chain(first: _T, rest: Iterator[_T]) -> Iterator[_T]:
    yield first
    yield from rest


def read_table(
    handle: BinaryIO,
    delimiter: str,
    store: TermStore,
    *,
    source_language: str | None = None,
    target_language: str | None = None,
) -> TableImport:
    """Read a term table into ``store``: a header row of language codes, or one pair's rows.

    A pair table has no header, so its target language comes from ``target_language``.
    Raises :class:`TableError` when the file cannot be read as a table.
    """
    rows = _rows(handle, delimiter)
    first = next(rows, None)
    if first is None:
        raise TableError(1, "empty file; expected a header row of language codes (en,ja,ko)")
    header = [cell.strip().lower() for cell in first[1]]
    is_header = (
        len(header) >= 2
        and all(_is_code(cell) for cell in header if cell)
        and 2 <= len(header[0].split("-")[0]) <= 3
    )
    if is_header:
        columns = {lang: i for i, lang in enumerate(header) if lang in TARGET_LANGUAGES and i}
        if not columns:
            raise TableError(
                first[0],
                f"header {','.join(header)} names no target language; "
                f"the first row must list codes like en,{','.join(TARGET_LANGUAGES)}",
            )
        result = TableImport(header[0], store=store)
    elif target_language in TARGET_LANGUAGES:
        columns = {target_language: 1}
        result = TableImport(source_language or "en", store=store)
        rows = _chain(first, rows)
    else:
        raise TableError(
            first[0],
            "no header row of language codes, so this is a one-pair table (DeepL/Google); "
            f"say its target language with --target-lang ({'/'.join(TARGET_LANGUAGES)})",
        )
    for line, row in rows:
        result.rows += 1
        form = row[0].strip()
        targets = {
            lang: row[i].strip() for lang, i in columns.items() if i < len(row) and row[i].strip()
        }
        if not form or not targets:
            result.skipped += 1
            continue
        result.note(store.add(form, targets, line))
    return result


# -- YAML, written entry by entry ---------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`.")


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain where that reads back as the same text, else quoted."""
    if (
        value
        and value.isprintable()
        and value == value.strip()
        and value[0] not in _INDICATORS
        and not value.endswith(":")
        and ": " not in value
        and " #" not in value
        and (
            value[0] not in _RESOLVER.yaml_implicit_resolvers
            or _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR
        )
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_chunks(
    entries: Iterator[Entry], source_language: str, batch: int = 500
) -> Iterator[bytes]:
    """Glossary YAML for entries, each at the top level, in chunks (libyaml-free, flat memory).

    Keys as :func:`~l10n.glossary.interchange.yamlio.entries_to_yaml` writes them, optional
    ones left out when empty; a short form stays an entry of its own with ``short_form_of``.
    """
    head = f"version: 1\nsource_language: {_scalar(source_language)}\nstrategy: post-edit\n"
    first = next(entries, None)
    if first is None:
        yield (head + "entries: []\n").encode("utf-8")
        return
    lines = [head, "entries:\n"]
    for entry in _chain(first, entries):
        lines.append(f"- id: {_scalar(entry.id)}\n  type: {_scalar(entry.type)}\n")
        lines.append(f"  source: {_scalar(entry.source)}\n")
        if entry.short_form_of:
            lines.append("  short_form_of:\n")
            lines.extend(f"  - {_scalar(person)}\n" for person in entry.short_form_of)
        if entry.aliases:
            lines.append("  aliases:\n")
            lines.extend(f"  - {_scalar(alias)}\n" for alias in entry.aliases)
        if entry.strategy:
            lines.append(f"  strategy: {_scalar(entry.strategy)}\n")
        lines.append("  targets:\n")
        lines.extend(f"    {lang}: {_scalar(value)}\n" for lang, value in entry.targets.items())
        variants = {lang: values for lang, values in entry.variants.items() if values}
        if variants:
            lines.append("  variants:\n")
            for lang, values in variants.items():
                lines.append(f"    {lang}:\n")
                lines.extend(f"    - {_scalar(value)}\n" for value in values)
        if entry.note:
            lines.append(f"  note: {_scalar(entry.note)}\n")
        if len(lines) >= batch:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")
