"""The runs a review app serves: one run folder, or every run in an output folder."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from l10n.errors import UsageError
from l10n.mt.memory import tm_location
from l10n.review.names import RunGlossary, load_run_glossary
from l10n.run import layout
from l10n.run.ids import check_run_id
from l10n.run.storage import StorageError, storage_for
from l10n.run.store import Run, RunReadError
from l10n.run.summary import RunSummary


class UnknownRun(LookupError):
    """A run id that is not in the catalog."""


@dataclass(frozen=True)
class RunEntry:
    run_id: str
    location: str


class Catalog:
    """Runs by id; ``single`` when the app was started on one run folder."""

    def __init__(self, location: str, *, single: bool, memory: str | None = None) -> None:
        self.location = location.rstrip("/") or "/"
        self.single = single
        self._memory = memory
        self._glossaries: dict[tuple[str, str, str], RunGlossary] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._summaries: dict[str, tuple[tuple[int, int], RunSummary]] = {}
        self._guard = threading.Lock()

    @classmethod
    def open(cls, location: str, *, memory: str | None = None) -> Catalog:
        """A run folder (has run.json) or a folder of runs; UsageError when it is neither."""
        try:
            storage = storage_for(location)
        except StorageError as exc:
            raise UsageError(str(exc)) from exc
        local = storage.local_path()
        if local is not None and not local.is_dir():
            raise UsageError(
                f"{location}: no such folder — pass an output folder (outputs) or a run folder"
            )
        if local is not None:  # `.` inside a run folder still names the run by its folder
            location = str(local.resolve())
        if storage.exists(layout.RUN_FILE):
            Run.open(location)  # a damaged run.json fails here, with its message
            return cls(location, single=True, memory=memory)
        catalog = cls(location, single=False, memory=memory)
        if not catalog.runs():
            raise UsageError(
                f"{location}: neither a run folder (no run.json) nor a folder holding runs — "
                "pass the --out folder of `l10n translate` or one of its runs"
            )
        return catalog

    def runs(self) -> list[RunEntry]:
        """Runs newest first (run ids made by l10n sort by time)."""
        if self.single:
            run = Run.open(self.location)
            return [RunEntry(run.run_id, run.location)]
        storage = storage_for(self.location)
        found = []
        for name in storage.names():
            try:
                check_run_id(name)
            except UsageError:
                continue
            if storage.exists(f"{name}/{layout.RUN_FILE}"):
                found.append(RunEntry(name, f"{self.location}/{name}"))
        return sorted(found, key=lambda entry: entry.run_id, reverse=True)

    def open_run(self, run_id: str) -> Run:
        """The run of that id; UnknownRun when there is none (or the id is no folder name)."""
        if self.single:
            run = Run.open(self.location)
            if run.run_id != run_id:
                raise UnknownRun(run_id)
            return run
        try:
            check_run_id(run_id)  # a plain folder name: nothing outside OUT can be named
        except UsageError:
            raise UnknownRun(run_id) from None
        if not storage_for(self.location).exists(f"{run_id}/{layout.RUN_FILE}"):
            raise UnknownRun(run_id)
        return Run.open(f"{self.location}/{run_id}")

    def summary(self, run: Run) -> RunSummary:
        """``run.json``, parsed again only when the file changed (it can be megabytes).

        The same object may be returned to several requests: read it, don't change it.
        """
        local = run.local_dir
        if local is None:
            return run.read_summary()
        try:
            stat = (local / layout.RUN_FILE).stat()
        except OSError:
            return run.read_summary()  # fails with the run owner's message
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._guard:
            cached = self._summaries.get(run.run_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        summary = run.read_summary()
        with self._guard:
            self._summaries[run.run_id] = (stamp, summary)
        return summary

    def glossary(self, run: Run) -> RunGlossary:
        """The glossary the run was corrected with, loaded once per (run, file digest)."""
        info = self.summary(run).glossary
        key = (run.run_id, str(info.get("path")), str(info.get("sha256")))
        with self._guard:
            cached = self._glossaries.get(key)
        if cached is None:
            cached = load_run_glossary(info)
            with self._guard:
                self._glossaries[key] = cached
        return cached

    def write_lock(self, run_id: str) -> threading.Lock:
        """Saves to one run, one at a time in this process (the run lock is per process)."""
        with self._guard:
            return self._locks.setdefault(run_id, threading.Lock())

    def memory_location(self, run: Run) -> str:
        """The memory approvals of ``run`` go to: ``--tm`` if given, else the default one."""
        return tm_location(run.out, self._memory)


__all__ = ["Catalog", "RunEntry", "RunReadError", "UnknownRun"]
