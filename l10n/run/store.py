"""A run folder: the one owner of its layout, for writing, reading, listing and resuming.

Everything that touches a run — the flow, the summary, review, report, artifacts and
reapply — goes through :class:`Run`. An article folder counts as done only when its
``manifest.json`` (written last) names every file of it and each is in place with the
size it was written with; a resumed run redoes the others and cleans stale temp files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.errors import L10nError
from l10n.models import ArticlePlan, EngineIdentity, TargetEngine, TranslatedArticle
from l10n.run import layout
from l10n.run.atomic import make_folder, make_new_folder
from l10n.run.codec import (
    StoredFormatError,
    article_from_stored,
    encode_json,
    encode_jsonl,
    manifest_of,
    segment_row,
    segment_rows,
    stored_engines,
    target_summary,
    text_files,
)
from l10n.run.decision_log import append_rows, read_log
from l10n.run.ids import check_run_id, now_iso
from l10n.run.ninjs import NinjsError, plain_meta, render
from l10n.run.storage import (
    Storage,
    StorageError,
    check_location,
    is_remote,
    safe_relative,
    storage_for,
)
from l10n.run.summary import RunSummary

MIN_FREE_BYTES = 50_000_000
"""Free space a run folder needs before translating starts."""
MAX_CLAIMS = 99
"""How many ``-N`` suffixes :meth:`Run.claim` tries before it gives up."""


class RunReadError(L10nError):
    """A run folder (or a file in it) that can't be read; ``str()`` is the one-line message."""


class RunLockedError(L10nError):
    """Another process is writing the same run."""


@dataclass
class DecisionLog:
    """Where an article's decision log stands (:mod:`l10n.run.decision_log`)."""

    generation: str | None
    """The manifest's generation the log's lines are written against; None: an article
    stored before logs existed, or on storage that can't append — store it in full."""
    lines: int = 0


_Stamp = tuple[tuple[int, int, int] | None, ...]
_EDITING: dict[tuple[str, str], tuple[_Stamp, TranslatedArticle, DecisionLog]] = {}
"""Articles a save read, kept parsed for the next save of the same article (at most
:data:`EDITING_KEPT`): valid while their files' stamps are those seen after the last save."""
EDITING_KEPT = 4
_EDITING_GUARD = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunContext:
    """What every article of a run shares, as recorded in its manifest: its targets, the
    engines its language pairs used (usually one) and the glossary."""

    targets: tuple[str, ...]
    engines: tuple[EngineIdentity, ...]
    glossary: dict[str, Any]
    target_engines: Mapping[str, TargetEngine] = field(default_factory=dict)
    """Per target language, what translated it (default: the article's engines)."""

    def __post_init__(self) -> None:
        if not self.engines:
            raise ValueError("a stored article names the engine that translated it")

    @property
    def engine(self) -> EngineIdentity:
        return self.engines[0]

    @property
    def engine_name(self) -> str:
        return "+".join(e.name for e in self.engines)

    @property
    def pseudo(self) -> bool:
        return any(e.pseudo for e in self.engines)

    def engines_for(self, langs: Iterable[str]) -> dict[str, TargetEngine]:
        fallback = TargetEngine(self.engine_name, self.pseudo)
        return {lang: self.target_engines.get(lang, fallback) for lang in langs}

    def engine_json(self) -> Any:
        """One engine's record, or a list of them when the article's pairs used several."""
        if len(self.engines) == 1:
            return self.engine.to_json()
        return [e.to_json() for e in self.engines]


def article_fingerprint(plan: ArticlePlan, ctx: RunContext) -> str:
    """Identifies the work an article folder holds, so a resumed run can trust it."""
    payload = json.dumps(
        [plan.article.text, list(ctx.targets), ctx.engine_json(), ctx.glossary.get("sha256")],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Run:
    """One run folder, ``OUT/<run-id>/``, local or on shared storage."""

    def __init__(self, storage: Storage, run_id: str) -> None:
        self.storage = storage
        self.run_id = run_id
        self.log_problems: list[str] = []
        """Decision-log lines skipped on reading (a save cut short), one message each."""

    # -- opening -------------------------------------------------------------

    @classmethod
    def create(cls, out: str, run_id: str) -> Run:
        """The folder for a new run, or the existing one of that id (to resume it)."""
        check_location(out)
        check_run_id(run_id)
        base = out.rstrip("/") or "/"
        _refuse_case_twin(base, run_id)
        return cls(storage_for(f"{base}/{run_id}"), run_id)

    @classmethod
    def claim(cls, out: str, run_id: str, owner: str) -> Run:
        """A folder of its own for a run that takes its id from a name chosen elsewhere
        (a Prefect run's name): ``OUT/<run_id>`` when it is free or already ``owner``'s
        (the same Prefect run, retried), else the first free ``<run_id>-2``, ``-3``, ….
        Someone else's run of that name is never resumed nor written into."""
        check_location(out)
        base = out.rstrip("/") or "/"
        for number in range(1, MAX_CLAIMS + 1):
            suffix = "" if number == 1 else f"-{number}"
            candidate = check_run_id(run_id[: 80 - len(suffix)] + suffix)
            try:
                _refuse_case_twin(base, candidate)
            except StorageError:
                continue
            run = cls(storage_for(f"{base}/{candidate}"), candidate)
            if run._take(owner):
                return run
        raise StorageError(
            f"{base}: runs {run_id!r} to {run_id}-{MAX_CLAIMS} exist already — give this run "
            "another name"
        )

    def _take(self, owner: str) -> bool:
        """Whether this folder is now ``owner``'s: newly made for it, or made for it before."""
        local = self.storage.local_path()
        if local is not None:
            try:
                make_new_folder(local)  # of two runs claiming one name, one gets it
            except FileExistsError:
                return self._claimed_by() == owner
            except OSError as exc:
                raise StorageError(
                    f"{local}: cannot make the run folder ({exc.strerror or exc}) — check the "
                    "output folder"
                ) from exc
        elif self.storage.names():
            return self._claimed_by() == owner
        self.storage.write(layout.CLAIM_FILE, f"{owner}\n".encode())
        return True

    def _claimed_by(self) -> str | None:
        try:
            return self.storage.read(layout.CLAIM_FILE).decode("utf-8", "replace").strip()
        except (OSError, StorageError):
            return None

    @classmethod
    def open(cls, location: str | Path) -> Run:
        """An existing run folder (one with ``run.json``), to read or re-correct."""
        text = str(location)
        try:
            storage = storage_for(text)
        except StorageError as exc:
            raise RunReadError(str(exc)) from exc
        local = storage.local_path()
        if local is not None and not local.is_dir():
            raise RunReadError(
                f"{local}: no such folder — pass the run folder `l10n translate` printed "
                "(OUT/<run-id>)"
            )
        if not storage.exists(layout.RUN_FILE):
            raise RunReadError(
                f"{storage.display()}: not a run folder (no run.json) — {_nested_hint(storage)}"
            )
        return cls(storage, text.rstrip("/").rsplit("/", 1)[-1])

    @property
    def location(self) -> str:
        """Where readers find the run: the folder path or its URL."""
        return self.storage.display()

    @property
    def local_dir(self) -> Path | None:
        return self.storage.local_path()

    @property
    def out(self) -> str:
        """The output folder the run sits in: OUT of ``OUT/<run-id>``, a path or a URL."""
        local = self.local_dir
        if local is not None:
            return str(local.parent)
        return self.location.rstrip("/").rsplit("/", 1)[0]

    def display(self, rel: str = "") -> str:
        return self.storage.display(rel)

    def preflight(self, min_free_bytes: int = MIN_FREE_BYTES) -> None:
        """Fail before any translating when the run folder can't be written or is nearly full."""
        probe = ".l10n-write-check"
        self.storage.write(probe, b"ok\n")
        self.storage.remove(probe)
        with self.lock():
            pass  # a second writer of the same run id fails here, before any work
        free = self.storage.free_bytes()
        if free is not None and free < min_free_bytes:
            raise StorageError(
                f"{self.location}: only {free // 1_000_000} MB free (a run needs at least "
                f"{min_free_bytes // 1_000_000} MB) — free space or choose another --out"
            )

    def remove_if_unused(self) -> None:
        """Remove the run's folder when it holds nothing but its lock file: a command that
        ends before its run began (no Prefect server to use) leaves no empty run behind."""
        local = self.storage.local_path()
        if local is None:
            return  # the preflight's probe is gone already: nothing was left
        try:
            with self.lock():
                if {p.name for p in local.iterdir()} - {layout.LOCK_FILE}:
                    return
                (local / layout.LOCK_FILE).unlink()
                local.rmdir()
        except (OSError, L10nError):
            pass  # someone else's run, or a folder that can't be read: left as it is

    # -- writer's lock -------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Held while a process writes the run; a second writer gets RunLockedError."""
        local = self.storage.local_path()
        if local is None:
            yield  # object stores have no atomic create-if-absent to lock with
            return
        make_folder(local)
        handle = open(local / layout.LOCK_FILE, "a+")  # noqa: SIM115 - held across the yield
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunLockedError(
                f"run {self.run_id!r} in {local.parent} is being written by {holder} — wait "
                "for it to finish, or choose another --run-id"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def clean_stale(self) -> int:
        """Remove temp files a killed writer left; returns how many."""
        return self.storage.clean_stale()

    # -- articles ------------------------------------------------------------

    def is_complete(self, article_id: str, fingerprint: str) -> bool:
        """True when the article folder holds this exact work and every file is in place."""
        manifest = self._manifest_or_none(article_id)
        if manifest is None or manifest.get("fingerprint") != fingerprint or WRITING in manifest:
            return False
        files = manifest.get("files")
        if not isinstance(files, dict) or not files:
            return False
        return all(
            self.storage.size(layout.article_file(article_id, str(name))) == size
            for name, size in files.items()
        )

    def write_article(
        self,
        translated: TranslatedArticle,
        ctx: RunContext,
        extra_files: dict[str, bytes] | None = None,
        *,
        keep_other_files: bool = False,
    ) -> str:
        """Store an article: every file first, ``manifest.json`` (naming them all) last.

        ``keep_other_files`` (an edit, not a new translation) keeps the files the last write
        listed and this one doesn't rewrite (the ninjs source, for example); a language's
        reviewed or draft text follows the new decisions, and so does its ``<lang>.ninjs.json``,
        rendered again under the publish rule (see :mod:`l10n.run.ninjs`).

        The files are written as one durable group (each atomic, all flushed together);
        the manifest follows only once they are on disk, so a crash at any point leaves
        the article complete or visibly incomplete (redone on resume). Returns the new
        manifest's generation (the decision log's lines name it).
        """
        article_id = safe_relative(translated.id)
        translated.engines = ctx.engines_for(translated.translations)
        files = text_files(translated)
        files[layout.SEGMENTS] = encode_jsonl(segment_rows(translated))
        files.update(extra_files or {})
        manifest_path = layout.article_file(article_id, layout.MANIFEST)
        # Each file is replaced atomically (written and flushed as one group, renamed in
        # order) and the old manifest stays valid JSON until the new one replaces it: a kill
        # or a full disk at any step leaves a readable article (its old manifest, marked
        # ``writing``, so a resume redoes it, keeping the stored reviews). A stale reviewed
        # text goes first; the segments (the truth a repair starts from) are renamed next and
        # a reviewed text last, so it never stands without its approvals.
        previous = self._manifest_or_none(article_id)
        listed = (previous or {}).get("files")
        listed = listed if isinstance(listed, dict) else {}
        stale = self._stale_files(article_id, translated, files, listed)
        kept: dict[str, int] = {}
        if keep_other_files:
            texts = {f(lang) for lang in translated.translations for f in _DECIDED_TEXTS}
            stale = [name for name in stale if name in texts]
            refreshed, broken = self._refresh_ninjs(translated, files, listed)
            files.update(refreshed)
            stale += broken
            kept = {
                name: size
                for name, size in listed.items()
                if name not in files and name not in stale and isinstance(size, int)
            }
        if previous is not None:
            # Still the old, readable manifest, but marked: until the new one replaces it, a
            # resume sees the article as incomplete even where a rewritten file kept its size.
            previous[WRITING] = now_iso()
            self.storage.write(manifest_path, encode_json(previous))
        for name in stale:
            self.storage.remove(layout.article_file(article_id, name))
        self.storage.write_many(
            {
                layout.article_file(article_id, name): files[name]
                for name in sorted(files, key=_write_order)
            }
        )
        manifest = manifest_of(
            translated,
            engine=ctx.engine_json(),
            pseudo=ctx.pseudo,
            glossary=ctx.glossary,
            fingerprint=article_fingerprint(translated.plan, ctx),
            files={**kept, **{name: len(data) for name, data in files.items()}},
            written=now_iso(),
        )
        generation = manifest[GENERATION] = secrets.token_hex(8)
        self._forget_edit(article_id)
        self.storage.write(manifest_path, encode_json(manifest))
        # The new segments hold every logged decision; lines left by a crash here are of the
        # old generation and skipped.
        self.storage.remove(layout.article_file(article_id, layout.DECISION_LOG))
        return generation

    def _refresh_ninjs(
        self,
        translated: TranslatedArticle,
        files: Mapping[str, bytes],
        listed: Mapping[str, object],
    ) -> tuple[dict[str, bytes], list[str]]:
        """The ``<lang>.ninjs.json`` the last write listed, rendered again from the edited
        article (a review decision changes what may be published); and those that can no
        longer be rendered, to remove rather than leave out of date."""
        names = {
            lang: layout.ninjs_file(lang)
            for lang in translated.translations
            if layout.ninjs_file(lang) in listed and layout.ninjs_file(lang) not in files
        }
        if not names:
            return {}, []
        refreshed: dict[str, bytes] = {}
        broken: list[str] = []
        try:
            meta = self.ninjs_source(translated)
        except NinjsError:
            return {}, [name for name in names.values() if self._has(translated.id, name)]
        for lang, name in names.items():
            try:
                refreshed[name] = encode_json(render(translated, lang, meta).item)
            except NinjsError:
                if self._has(translated.id, name):
                    broken.append(name)
        return refreshed, broken

    def _has(self, article_id: str, name: str) -> bool:
        return self.storage.exists(layout.article_file(safe_relative(article_id), name))

    def has_article_file(self, article_id: str, name: str) -> bool:
        """Whether the article's folder holds ``name`` now."""
        return self._has(article_id, name)

    def ninjs_source(self, translated: TranslatedArticle) -> dict[str, Any]:
        """The ninjs source an article was stored with (``source.ninjs.json``); for an
        article read from another format, a plain 3.x item of its title and paragraphs."""
        if translated.article.ninjs:
            return translated.article.ninjs
        rel = layout.article_file(safe_relative(translated.id), layout.SOURCE_NINJS)
        if not self.storage.exists(rel):
            return plain_meta(translated, self.run_id)
        try:
            meta = json.loads(self.storage.read(rel).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NinjsError(f"{self.display(rel)}: not JSON ({exc}) — re-run the run") from exc
        if not isinstance(meta, dict) or "item" not in meta or "layout" not in meta:
            raise NinjsError(f"{self.display(rel)}: not a stored ninjs source — re-run the run")
        return meta

    def _stale_files(
        self,
        article_id: str,
        translated: TranslatedArticle,
        files: Mapping[str, bytes],
        listed: Mapping[str, object],
    ) -> list[str]:
        """Files the last write ``listed`` (or a language's reviewed/draft text) not written
        now: a ``<lang>.reviewed.txt`` must not outlive the approvals it was made from."""
        candidates = set(listed)
        for lang in translated.translations:
            candidates.update(f(lang) for f in _DECIDED_TEXTS)
        return sorted(
            name
            for name in candidates - set(files) - {layout.ORPHANED_REVIEWS}
            if self.storage.exists(layout.article_file(article_id, name))
        )

    def stored_inputs(self) -> dict[str, list[str]]:
        """Per input path, the ids of the articles stored from it (a resume gives them back),
        from ``run.json`` and every article folder's manifest, whichever exist."""
        ids: dict[str, list[str]] = {}

        def add(path: object, article_id: object) -> None:
            if isinstance(path, str) and path and isinstance(article_id, str) and article_id:
                known = ids.setdefault(path, [])
                if article_id not in known:
                    known.append(article_id)

        if self.storage.exists(layout.RUN_FILE):
            try:
                for outcome in self.read_summary().outcomes:
                    add(outcome.input, outcome.id)
            except L10nError:
                pass
        for name in self.storage.names():
            try:
                manifest = self._manifest_or_none(name) if not name.startswith(".") else None
            except StorageError:
                continue
            if manifest is not None:
                add(manifest.get("input"), manifest.get("id"))
        return ids

    def read_segment_rows(
        self, article_id: str, name: str = layout.SEGMENTS
    ) -> list[dict[str, Any]] | None:
        """The stored ``segments.jsonl`` rows of an article (or another JSONL file of it),
        whatever its manifest holds; None when there is none or it can't be read (a re-run
        carries reviews from it)."""
        rel = layout.article_file(safe_relative(article_id), name)
        if not self.storage.exists(rel):
            return None
        try:
            rows = self._read_jsonl(rel)
        except RunReadError:
            return None
        if name == layout.SEGMENTS:
            manifest = self._manifest_or_none(article_id)
            if manifest is not None:
                self._replay(article_id, manifest, rows)
        return rows

    def article_context(self, article_id: str) -> RunContext:
        """The context an article was stored with (its engine, glossary and targets)."""
        manifest = self._read_manifest_file(article_id)
        try:
            recorded = manifest["engine"]
            engines = recorded if isinstance(recorded, list) else [recorded]
            return RunContext(
                tuple(str(t) for t in manifest["targets"]),
                tuple(EngineIdentity.from_json(e) for e in engines),
                dict(manifest.get("glossary") or {}),
                stored_engines(manifest),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RunReadError(
                f"{self.display(layout.article_file(article_id, layout.MANIFEST))}: not a stored "
                f"article ({type(exc).__name__}: {exc}) — re-run `l10n translate`"
            ) from exc

    def update_article(
        self,
        translated: TranslatedArticle,
        extra_files: dict[str, bytes] | None = None,
        *,
        keep_for_decisions: bool = False,
    ) -> None:
        """Store an edited article (a reviewer's decisions) with the context it had;
        ``keep_for_decisions``: the record is the one :meth:`article_for_decisions` gave, kept
        for the next save as it is now stored (no read of a long article again)."""
        generation = self.write_article(
            translated, self.article_context(translated.id), extra_files, keep_other_files=True
        )
        stamp = self._stamp(translated.id)
        if keep_for_decisions and stamp is not None:
            with _EDITING_GUARD:
                _EDITING[(self.location, translated.id)] = (
                    stamp,
                    translated,
                    DecisionLog(generation),
                )

    def write_article_files(self, article_id: str, files: dict[str, bytes]) -> None:
        """Replace derived files of a stored article (review files after an edit)."""
        manifest = self.read_manifest(article_id)
        listed = dict(manifest.get("files") or {})
        self.storage.write_many(
            {layout.article_file(article_id, name): data for name, data in files.items()}
        )
        for name, data in files.items():
            listed[name] = len(data)
        manifest["files"] = listed
        self.storage.write(layout.article_file(article_id, layout.MANIFEST), encode_json(manifest))

    def read_manifest(self, article_id: str) -> dict[str, Any]:
        """The article's manifest; while decisions wait in its log, with the counts of its
        ``targets`` as they are with those decisions (the file has them as of its writing)."""
        manifest = self._read_manifest_file(article_id)
        if self.pending_decisions(article_id):
            translated = self._article_of(article_id, manifest)
            manifest["targets"] = {
                lang: info.to_json() for lang, info in target_summary(translated).items()
            }
        return manifest

    def _read_manifest_file(self, article_id: str) -> dict[str, Any]:
        path = layout.article_file(safe_relative(article_id), layout.MANIFEST)
        if not self.storage.exists(path):
            raise RunReadError(
                f"{self.display(path)}: missing — the article folder is incomplete; re-run "
                "`l10n translate` with the same --run-id"
            )
        data = self._read_json(path)
        if not isinstance(data, dict):
            raise RunReadError(f"{self.display(path)}: expected a JSON object — re-run the run")
        return data

    def read_article(self, article_id: str) -> TranslatedArticle:
        """The record the article was written from, with the decisions in its log."""
        return self._article_of(article_id, self._read_manifest_file(article_id))

    def _article_of(self, article_id: str, manifest: dict[str, Any]) -> TranslatedArticle:
        rows_path = layout.article_file(article_id, layout.SEGMENTS)
        rows = self._read_jsonl(rows_path)
        self._replay(article_id, manifest, rows)
        source = self._read_text(layout.article_file(article_id, layout.SOURCE))
        try:
            return article_from_stored(manifest, rows, source)
        except StoredFormatError as exc:
            if exc.row is None:
                where, what = (
                    self.display(layout.article_file(article_id, layout.MANIFEST)),
                    "article",
                )
            else:
                where, what = (
                    f"{self.display(rows_path)}:{self._line_of(rows_path, exc.row)}",
                    "segment",
                )
            raise RunReadError(
                f"{where}: not a stored {what} ({exc}) — restore the file or re-run "
                "`l10n translate`"
            ) from exc

    # -- decision logs (docs/review.md, "What is on disk when") ---------------

    def _log_path(self, article_id: str) -> Path | None:
        local = self.local_dir
        if local is None:
            return None
        return local / layout.article_file(safe_relative(article_id), layout.DECISION_LOG)

    def _replay(
        self, article_id: str, manifest: Mapping[str, Any], rows: list[dict[str, Any]]
    ) -> int:
        """Put the logged decisions' rows in ``rows``; returns how many log lines count."""
        path = self._log_path(article_id)
        if path is None:
            return 0
        generation = manifest.get(GENERATION)
        entries = read_log(
            path,
            generation if isinstance(generation, str) else None,
            self.display(layout.article_file(article_id, layout.DECISION_LOG)),
        )
        for problem in entries.problems:
            if problem not in self.log_problems:
                self.log_problems.append(problem)
                log.warning("%s", problem)
        for position, row in entries.rows.items():
            if 0 <= position < len(rows) and rows[position].get("index") == row.get("index"):
                rows[position] = row
        return entries.lines

    def pending_decisions(self, article_id: str) -> int:
        """Decisions saved in the article's log, not yet in its full files (0: none)."""
        manifest = self._manifest_or_none(article_id)
        path = self._log_path(article_id)
        if manifest is None or path is None:
            return 0
        generation = manifest.get(GENERATION)
        return read_log(path, generation if isinstance(generation, str) else None, "").lines

    def _stamp(self, article_id: str) -> _Stamp | None:
        local = self.local_dir
        if local is None:
            return None
        folder = local / safe_relative(article_id)
        stamp: list[tuple[int, int, int] | None] = []
        for name in (layout.MANIFEST, layout.SEGMENTS, layout.SOURCE, layout.DECISION_LOG):
            try:
                st = os.stat(folder / name)
            except OSError:
                stamp.append(None)
                continue
            stamp.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return tuple(stamp)

    def article_for_decisions(self, article_id: str) -> tuple[TranslatedArticle, DecisionLog]:
        """The stored article (its log replayed) for a save to change, under the run's lock.

        The record is kept for the next save of the same article as long as its files are
        unchanged since: the caller stores its changes (:meth:`append_decisions` or a full
        write) or calls :meth:`forget_edit`, never leaves it changed and unstored.
        """
        stamp = self._stamp(article_id)
        key = (self.location, article_id)
        with _EDITING_GUARD:
            kept = _EDITING.get(key)
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        manifest = self._read_manifest_file(article_id)
        translated = self._article_of(article_id, manifest)
        generation = manifest.get(GENERATION)
        state = DecisionLog(None)
        if stamp is not None and isinstance(generation, str):
            state = DecisionLog(generation, self.pending_decisions(article_id))
        if stamp is not None:
            with _EDITING_GUARD:
                while len(_EDITING) >= EDITING_KEPT:
                    _EDITING.pop(next(iter(_EDITING)))
                _EDITING[key] = (stamp, translated, state)
        return translated, state

    def append_decisions(
        self, translated: TranslatedArticle, state: DecisionLog, positions: Iterable[int]
    ) -> None:
        """Save the rows of the decided segments at ``positions`` to the article's log,
        flushed to disk; the article's other files stay as they are (StorageError when the
        log can't be written: the article is as before the save)."""
        path = self._log_path(translated.id)
        if path is None or state.generation is None:
            raise StorageError(f"{self.location}: this run keeps no decision log")
        rows = {p: segment_row(translated, p) for p in sorted(set(positions))}
        try:
            append_rows(path, state.generation, rows)
        except OSError as exc:
            self._forget_edit(translated.id)
            raise StorageError(
                f"{path}: can't save the decision ({exc.strerror or exc}) — free space or "
                "check the folder, then decide again"
            ) from exc
        state.lines += len(rows)
        key = (self.location, translated.id)
        stamp = self._stamp(translated.id)
        with _EDITING_GUARD:
            if key in _EDITING and stamp is not None:
                _EDITING[key] = (stamp, translated, state)

    def forget_edit(self, article_id: str) -> None:
        """Drop the record :meth:`article_for_decisions` kept (a save that failed part way)."""
        self._forget_edit(article_id)

    def _forget_edit(self, article_id: str) -> None:
        with _EDITING_GUARD:
            _EDITING.pop((self.location, article_id), None)

    def _line_of(self, rel: str, row: int) -> int:
        """1-based line of the ``row``-th non-blank line of a JSONL file."""
        seen = -1
        for number, line in enumerate(self._read_text(rel).splitlines(), start=1):
            if line.strip():
                seen += 1
                if seen == row:
                    return number
        return row + 1

    def article_ids(self) -> list[str]:
        """Ids of the run's finished articles, in the order the summary lists them."""
        return [o.id for o in self.read_summary().done]

    def iter_articles(self) -> Iterator[TranslatedArticle]:
        """Every finished article, one at a time (memory stays flat on big runs)."""
        for article_id in self.article_ids():
            yield self.read_article(article_id)

    def _manifest_or_none(self, article_id: str) -> dict[str, Any] | None:
        path = layout.article_file(safe_relative(article_id), layout.MANIFEST)
        try:
            data = json.loads(self.storage.read(path).decode("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # -- run files -----------------------------------------------------------

    def write_file(self, name: str, data: bytes) -> None:
        self.storage.write(name, data)

    def write_stream(self, name: str, chunks: Iterable[bytes]) -> None:
        self.storage.write_stream(name, chunks)

    def write_summary(self, summary: RunSummary) -> None:
        self.storage.write(layout.RUN_FILE, encode_json(summary.to_json()))

    def read_summary(self) -> RunSummary:
        data = self._read_json(layout.RUN_FILE)
        try:
            summary = RunSummary.from_json(data)
            for outcome in summary.outcomes:
                if outcome.status == "done":
                    safe_relative(outcome.id)
            return summary
        except (KeyError, TypeError, ValueError, AttributeError, StorageError) as exc:
            raise RunReadError(
                f"{self.display(layout.RUN_FILE)}: not a run summary ({type(exc).__name__}: "
                f"{exc}) — the file is not from `l10n translate`; re-run it"
            ) from exc

    def _read_text(self, rel: str) -> str:
        try:
            return self.storage.read(rel).decode("utf-8")
        except FileNotFoundError as exc:
            raise RunReadError(
                f"{self.display(rel)}: missing — the article folder is incomplete; re-run "
                "`l10n translate` with the same --run-id"
            ) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise RunReadError(f"{self.display(rel)}: can't read ({exc}) — check the file") from exc

    def _read_json(self, rel: str) -> Any:
        text = self._read_text(rel)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise RunReadError(
                f"{self.display(rel)}:{exc.lineno}: invalid JSON ({exc.msg}) — restore the file "
                "or re-run `l10n translate`"
            ) from exc

    def _read_jsonl(self, rel: str) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(self._read_text(rel).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RunReadError(
                    f"{self.display(rel)}:{number}: invalid JSON ({exc.msg}) — restore the file "
                    "or re-run `l10n translate`"
                ) from exc
            if not isinstance(row, dict):
                raise RunReadError(f"{self.display(rel)}:{number}: expected a JSON object per line")
            rows.append(row)
        return rows


WRITING = "writing"
GENERATION = "generation"
"""A manifest's random token, new with every full write: the decision log's lines name it."""
"""Set in the old manifest while an article's files are being replaced (see write_article)."""
_DECIDED_TEXTS = (layout.reviewed_file, layout.draft_file)
"""A language's texts that exist or not by its review decisions (docs/review.md)."""


def _write_order(name: str) -> int:
    if name == layout.SEGMENTS:
        return 0
    return 2 if name.endswith(layout.reviewed_file("")) else 1


def _refuse_case_twin(base: str, run_id: str) -> None:
    """Ids that differ only in case are one folder on case-insensitive disks: refuse the twin."""
    if is_remote(base):
        return
    folder = Path(base.split("://", 1)[-1])
    if not folder.is_dir():
        return
    for name in os.listdir(folder):
        if name != run_id and name.lower() == run_id.lower():
            raise StorageError(
                f"{folder / name} already exists and differs from --run-id {run_id!r} only in "
                f"case — reuse {name!r} or choose another id"
            )


def _nested_hint(storage: Storage) -> str:
    runs = [name for name in storage.names() if storage.exists(f"{name}/{layout.RUN_FILE}")]
    if runs:
        return f"it holds runs; pass one of them, e.g. {storage.display(runs[-1])}"
    return "pass the run folder `l10n translate` printed (OUT/<run-id>)"
