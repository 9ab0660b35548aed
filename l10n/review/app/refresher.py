"""Folding the app's decisions into ``run.json`` in the background, many at a time.

A decision is stored at once (its article's decision log, or the article's files: they are
the record, docs/review.md). The run summary is
one file for the whole run — megabytes on a run of ten thousand articles — so the app
queues the articles it changed and a worker thread rewrites ``run.json`` (and the report
index when its counts change) once per batch, shortly after the reviewer pauses. Pages
that show run-level counts flush first; stopping the server flushes what is left.
"""

from __future__ import annotations

import logging
import threading

from l10n.errors import L10nError
from l10n.review.app.catalog import Catalog, UnknownRun
from l10n.review.decisions import refresh_articles

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


class SummaryRefresher:
    """Pending run-summary updates per run, written by one daemon thread."""

    def __init__(self, catalog: Catalog, *, delay: float = 0.5) -> None:
        self.catalog = catalog
        self.delay = delay
        self._pending: dict[str, set[str]] = {}
        self._wake = threading.Condition()
        self._closed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._flushing = threading.Lock()
        """Held for a whole flush: a page that flushes waits for the worker's write in
        progress, so it never reads the summary before that write lands."""

    def add(self, run_id: str, article_id: str) -> None:
        with self._wake:
            self._pending.setdefault(run_id, set()).add(article_id)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="l10n-review-summary", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def pending(self, run_id: str) -> bool:
        with self._wake:
            return bool(self._pending.get(run_id))

    def flush(self, run_id: str | None = None) -> str | None:
        """Write what is pending (for one run, or all) now; a message when it could not."""
        with self._flushing:
            with self._wake:
                runs = [run_id] if run_id is not None else list(self._pending)
                batches = {r: self._pending.pop(r, set()) for r in runs}
            problem = None
            for run, ids in batches.items():
                if ids:
                    problem = self._write(run, ids) or problem
            return problem

    def close(self) -> str | None:
        with self._wake:
            self._closed = True
            self._stop.set()
            self._wake.notify()
        return self.flush()

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
            # Let a burst of decisions (j, a, j, a …) gather into one write.
            if self._stop.wait(self.delay):
                return
            if self.flush() is not None and self._stop.wait(RETRY_SECONDS):
                return  # the run was busy elsewhere: retried after a pause, or at close

    def _write(self, run_id: str, ids: set[str]) -> str | None:
        try:
            run = self.catalog.open_run(run_id)
            with self.catalog.write_lock(run_id), run.lock():
                done = {o.id for o in run.read_summary().done}
                refresh_articles(run, [i for i in sorted(ids) if i in done])
        except UnknownRun:
            return None
        except L10nError as exc:
            with self._wake:  # try again with the next batch
                self._pending.setdefault(run_id, set()).update(ids)
            log.warning("run summary of %s not updated yet: %s", run_id, exc)
            return f"the run summary is not updated yet: {exc}"
        return None
