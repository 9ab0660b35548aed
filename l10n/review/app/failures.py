"""The HTTP answer to a save the run owner refused: one mapping for every write route.

The decision route and the names route save through the same owner and meet the same
refusals; each answers them here, so a client reads one shape for each:

- no such run: 404;
- another reviewer changed the segment (or the names' segments) since the page loaded: 409
  with ``"stale": true`` and what to choose between;
- a decision that does not fit the article: 400;
- the run being written by another process: 409, ``not saved``;
- any other refusal of the run owner (a file it can't read or write): 500, ``not saved``.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from l10n.errors import L10nError
from l10n.review.app.body import error
from l10n.review.app.catalog import UnknownRun
from l10n.review.decisions import DecisionError, StaleDecision
from l10n.review.name_choice import StaleNames
from l10n.run.store import RunLockedError


def save_failed(exc: UnknownRun | L10nError, run_id: str) -> JSONResponse:
    """The answer to ``exc``, raised by a save to run ``run_id``."""
    if isinstance(exc, UnknownRun):
        return error(404, f"there is no run {run_id!r} here")
    if isinstance(exc, StaleNames):
        return JSONResponse(
            {"ok": False, "stale": True, "error": str(exc), "segments": exc.wheres},
            status_code=409,
        )
    if isinstance(exc, StaleDecision):
        return JSONResponse(
            {
                "ok": False,
                "error": str(exc),
                "stale": True,
                "theirs": exc.theirs,
                "yours": exc.yours,
                "by": exc.by,
                "status": exc.status,
                "version": exc.version,
            },
            status_code=409,
        )
    if isinstance(exc, DecisionError):
        return error(400, str(exc))
    if isinstance(exc, RunLockedError):
        return error(409, f"not saved: {exc}")
    return error(500, f"not saved: {exc}")
