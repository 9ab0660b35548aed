"""Correcting and storing articles in worker processes, on the cores the run leaves idle.

Finishing an article (glossary, QA, review files, the durable writes) is about half of a
run's own work and needs only the article, the glossary and the run folder, while reading,
planning, the memory and the engine stay in the run's process. :class:`FinishPool` runs it
in ``spawn``-started worker processes that receive the glossary and the run once; a
window's jobs go to a worker and small :class:`~l10n.pipeline.steps.Finished` records come
back, so one window is stored while the next is planned and translated.

Each file is written by one process, and an article's ``manifest.json`` last, as in the
run's process. A worker ignores Ctrl-C (the run's process decides what stops) and ends
within a moment of the process that started it, however that one ended (a kill -9
included), so no orphan keeps writing into a run folder.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from typing import Any

from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.pipeline.steps import Finished, FinishJob, finish_with_retry
from l10n.run.store import Run

PROCESSES_ENV = "L10N_FINISH_PROCESSES"
MAX_PROCESSES = 4
MIN_JOBS = 20
"""Windows with fewer articles are finished in the run's process: starting a worker costs
about a second of a core (a new Python importing the finishing stages)."""
PARENT_CHECK_S = 0.2


def finish_processes() -> int:
    """How many worker processes a run finishes articles in: one per core (at most
    :data:`MAX_PROCESSES`; none on one core), or ``$L10N_FINISH_PROCESSES`` (0: none).

    One per core, not one per core beyond the run's own: with the pseudo engine on 2 cores
    the run's process was busy 0.8 s of each window's 1.9 s with one worker, waiting for it
    the rest (``docs/speed.md``)."""
    raw = os.environ.get(PROCESSES_ENV, "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            raise L10nError(
                f"${PROCESSES_ENV}={raw!r}: give a whole number of worker processes "
                "(0 finishes every article in the run's own process)"
            ) from None
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(MAX_PROCESSES, cores) if cores > 1 else 0


class FinishPool:
    """Worker processes that correct and store the articles of one run."""

    def __init__(self, glossary: Glossary, run: Run, processes: int) -> None:
        self._executor = ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(glossary, run, os.getpid()),
        )
        self._closed = False
        atexit.register(self.close)  # an interrupted run may end without closing it
        try:
            with _main_module_hidden():
                for _ in range(processes):  # every worker starts now, while the run plans
                    self._executor.submit(os.getpid)
        except BaseException:
            self._executor.shutdown(wait=False, cancel_futures=True)
            raise

    def submit(self, jobs: Sequence[FinishJob]) -> Future[tuple[list[Finished], list[str]]]:
        """Finish ``jobs`` in a worker: one result per job, and the warnings it gave
        (``CancelledError`` once the pool is closed: the run is ending)."""
        if self._closed:
            raise CancelledError("the run's worker processes are closed")
        return self._executor.submit(_finish_jobs, list(jobs))

    def close(self) -> None:
        """Let the workers finish the articles they hold, drop the jobs not begun (their
        articles are redone on resume), then end the workers."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Workers started inside the block do not import the program's main module.

    ``spawn`` runs the parent's ``__main__`` again in each child unless it has no file.
    The workers need nothing of it (their work and records are named by importable
    modules), and running it there would cost the command's own imports in every worker,
    or start a run again from a script without an ``if __name__ == "__main__":`` guard."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def release_at_once() -> None:
    """Before an immediate exit (Ctrl-C ends a run with ``os._exit``): release the worker
    pools' semaphores, which a normal exit releases, so Python's resource tracker has no
    "leaked semaphore" warning to print on the user's terminal. The workers end by
    themselves once this process has (see the module's notes)."""
    from multiprocessing import util

    util._run_finalizers(0)  # type: ignore[attr-defined]  # what its exit handler runs first


_WORK: dict[str, Any] = {}


def _start_worker(glossary: Glossary, run: Run, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORK.update(glossary=glossary, run=run)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _finish_jobs(jobs: list[FinishJob]) -> tuple[list[Finished], list[str]]:
    warnings: list[str] = []
    glossary, run = _WORK["glossary"], _WORK["run"]
    results = [finish_with_retry(job, glossary, run, warnings.append)[0] for job in jobs]
    return results, warnings
