"""Starting and ending the ``l10n`` process cheaply: imports without the garbage collector,
and an exit without tearing the modules down.

Importing Prefect builds thousands of long-lived objects (pydantic models, settings), and
the cyclic garbage collector walks all of them again and again while they are made: 215
collections and about 0.15 s of CPU on 2 cores. :func:`imports_without_gc` turns it off
for those imports and then moves what they built out of its sight (``gc.freeze``), so the
run's own collections don't walk it either.

A run imports about 2,000 modules (Prefect, pydantic, FastAPI's encoders…), and Python's
own finalisation frees them one by one at exit: 0.3–0.5 s of CPU on 2 cores, a tenth of a
one-article run. :func:`leave` does what a normal exit does that matters — waits for the
threads Python would wait for, runs the exit handlers (Prefect's drain of its event and log
workers, logging's flush), flushes stdout and stderr — and then ends the process with
``os._exit``. Called in-process (``CliRunner``, a test), it is a plain ``sys.exit``.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

ENTRY_POINT = "l10n"


@contextlib.contextmanager
def imports_without_gc() -> Iterator[None]:
    """Run the block (imports) with the collector off, then freeze what it built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            if _as_the_command():  # a test calling the command keeps its own heap as it was
                gc.freeze()


def leave(code: int) -> NoReturn:
    """Exit with ``code``; as the ``l10n`` command itself, without module teardown."""
    if not _as_the_command():
        sys.exit(code)
    try:
        threading._shutdown()  # type: ignore[attr-defined]  # what exit runs first
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
                stream.flush()
        os._exit(code)


def _as_the_command() -> bool:
    """Whether this process is the ``l10n`` command itself (not a test calling it)."""
    return Path(sys.argv[0]).name == ENTRY_POINT
