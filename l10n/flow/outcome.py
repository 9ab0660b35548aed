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
from datetime import UTC, datetime
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


PSEUDO_STATE = "Completed (pseudo)"
"""The state name of a run whose every target is pseudo-localized: done, but no translation."""


def final_state(summary: RunSummary, *, given: bool = True) -> State:
    message = failure_message(summary, given=given)
    if message is None:
        done = f"{len(summary.done)} article(s) done"
        if summary.all_pseudo:
            return Completed(
                name=PSEUDO_STATE,
                message=f"{done} — PSEUDO-LOCALIZED, not a translation: no model was used",
                data=summary,
            )
        if summary.some_pseudo:
            done += " — some targets PSEUDO-LOCALIZED (see the articles table)"
        return Completed(message=done, data=summary)
    log_failure(message)
    return Failed(message=message, data=RunFailed(message, summary))


def stopped(error: L10nError) -> State:
    """The state of a run a setting or its folder stopped before it read anything."""
    message = str(error)
    log_failure(message)
    return Failed(message=message, data=RunFailed(message, None, error.exit_code))


def log_failure(message: str) -> None:
    """The reason as the run's first log line, sent before the run's state turns Failed.

    The UI lists a run's logs oldest first and opens a failed run before its last logs
    arrive; so the record is dated at the run's start (its text says when it was written)
    and the log queue is flushed now, and the first view of the run says why it failed.
    """
    logger = ui_logger()
    written = datetime.now(UTC).strftime("%H:%M:%S UTC")
    record_time = _run_start()
    if record_time is None:
        logger.error("run failed: %s", message)
    else:
        logger.error(
            "run failed (at %s): %s", written, message, extra={"l10n_created": record_time}
        )
    for handler in logger.logger.handlers:
        try:
            handler.flush()
        except Exception:  # a slow API must not turn a reported failure into a crash
            continue


def _run_start() -> float | None:
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    run = context.flow_run if context else None
    start = (run.start_time or run.expected_start_time) if run else None
    return start.timestamp() - 0.001 if start else None


class _Backdated(logging.Filter):
    """Dates a record at ``l10n_created`` (see :func:`log_failure`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        created = getattr(record, "l10n_created", None)
        if isinstance(created, float):
            record.created = created
        return True


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
        logger.addFilter(_Backdated())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    run_logger = get_run_logger()
    extra = run_logger.extra if isinstance(run_logger, logging.LoggerAdapter) else None
    return PrefectLogAdapter(logger, extra=dict(extra or {}))
