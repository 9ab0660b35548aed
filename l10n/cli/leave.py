"""Ending the ``l10n`` process once a command is done, without tearing its modules down.

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
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

ENTRY_POINT = "l10n"


def leave(code: int) -> NoReturn:
    """Exit with ``code``; as the ``l10n`` command itself, without module teardown."""
    if Path(sys.argv[0]).name != ENTRY_POINT:
        sys.exit(code)
    try:
        threading._shutdown()  # type: ignore[attr-defined]  # what exit runs first
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
                stream.flush()
        os._exit(code)
