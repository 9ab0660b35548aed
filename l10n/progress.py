"""Progress reporting from pipeline stages to whoever is watching (the CLI's bar).

Stages report through a context variable instead of taking a callback argument,
so the flow's parameters stay plain data that a deployment form can hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str, int, int | None], None]

_reporter: ContextVar[Reporter | None] = ContextVar("l10n_progress_reporter", default=None)


def report(stage: str, done: int, total: int | None) -> None:
    reporter = _reporter.get()
    if reporter is not None:
        reporter(stage, done, total)


@contextmanager
def reporting_to(reporter: Reporter) -> Iterator[None]:
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
