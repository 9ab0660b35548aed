"""How a run ends: its final Prefect state and the one message that says why.

A run with a failed article, an unreadable input or no article at all ends ``Failed``; its
state carries a :class:`RunFailed` (an exception, the only kind of data Prefect can turn a
failed state into) that holds the run summary, so ``l10n translate`` still reports every
outcome. Prefect logs a traceback for any failed flow run it executes for a deployment
("Engine execution exited with unexpected exception"); for a ``RunFailed`` that record only
repeats the message already logged, so :func:`quiet_reported_failures` drops it.

Messages meant for the run's page in the UI but printed by ``l10n translate`` itself at the
end (warnings, the failure) go through :func:`ui_logger`, which writes to Prefect's API and
not to the terminal, so the terminal shows each of them once.
"""

from __future__ import annotations

import logging
from typing import Any

from prefect.states import Completed, Failed, State

from l10n.errors import L10nError
from l10n.run.summary import RunSummary

MAX_MESSAGE_CHARS = 1500
_UI_LOGGER = "l10n.prefect_ui"


class RunFailed(L10nError):
    """A run that failed: ``summary`` is what it did, ``None`` when it stopped before reading.

    ``exit_code`` is the one ``l10n translate`` exits with (that of the error that stopped it).
    """

    def __init__(self, message: str, summary: RunSummary | None = None, exit_code: int = 1):
        super().__init__(message, summary, exit_code)
        self.message = message
        self.summary = summary
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


def failure_message(summary: RunSummary, *, given: bool = True) -> str | None:
    """The one line that says why the run failed, or ``None`` when it did not."""
    errors = summary.input_errors
    problems = [f"{o.id}: {o.reason}" for o in summary.failed]
    problems += [f"{e['path']}{_line(e)}: {e['message']}" for e in errors]
    if not summary.outcomes:
        if not given:
            return "no input: give files, folders or links, or paste an article"
        if errors:
            return _capped(f"no input: every input failed ({len(errors)}) — " + "; ".join(problems))
        return "no input: no article found in the inputs given"
    if not problems:
        return None
    parts = []
    if summary.failed:
        parts.append(f"{len(summary.failed)} of {len(summary.outcomes)} article(s) failed")
    if errors:
        parts.append(f"{len(errors)} input(s) could not be read")
    return _capped(f"{', '.join(parts)} — " + "; ".join(problems))


def final_state(summary: RunSummary, *, given: bool = True) -> State:
    message = failure_message(summary, given=given)
    if message is None:
        return Completed(message=f"{len(summary.done)} article(s) done", data=summary)
    ui_logger().error(message)
    return Failed(message=message, data=RunFailed(message, summary))


def stopped(error: L10nError) -> State:
    """The state of a run a setting or its folder stopped before it read anything."""
    message = str(error)
    ui_logger().error(message)
    return Failed(message=message, data=RunFailed(message, None, error.exit_code))


def _line(error: dict[str, Any]) -> str:
    return f":{error['line']}" if error.get("line") else ""


def _capped(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 30].rstrip() + " … (the rest in run.json)"


class _ReportedFailure(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, RunFailed)


def quiet_reported_failures() -> None:
    """Drop Prefect's traceback record for a run that ended with a ``RunFailed`` (idempotent)."""
    logger = logging.getLogger("prefect.flow_runs")
    if not any(isinstance(f, _ReportedFailure) for f in logger.filters):
        logger.addFilter(_ReportedFailure())


def ui_logger() -> logging.LoggerAdapter:
    """The flow run's logger, writing to the run's page in the UI only (not the terminal)."""
    from prefect import get_run_logger
    from prefect.logging.handlers import APILogHandler
    from prefect.logging.loggers import PrefectLogAdapter

    logger = logging.getLogger(_UI_LOGGER)
    if not any(isinstance(h, APILogHandler) for h in logger.handlers):
        logger.addHandler(APILogHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    run_logger = get_run_logger()
    extra = run_logger.extra if isinstance(run_logger, logging.LoggerAdapter) else None
    return PrefectLogAdapter(logger, extra=dict(extra or {}))
