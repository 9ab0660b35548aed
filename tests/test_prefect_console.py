"""What Prefect's console shows during an l10n command (``l10n.server.logs``)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from l10n.errors import L10nError
from l10n.server.logs import ReportedErrors, logging_config


def _record(
    name: str,
    level: int,
    msg: str,
    *,
    task_run: str | None = None,
    error: BaseException | None = None,
) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error is not None else None
    record = logging.LogRecord(name, level, __file__, 1, msg, None, exc_info)
    if task_run is not None:
        record.task_run_id = task_run
    return record


def test_a_task_failed_by_an_l10n_error_is_left_to_l10ns_own_line() -> None:
    keep = ReportedErrors().filter
    damaged = L10nError("tm.sqlite is damaged — `l10n tm recover tm.sqlite`")
    tasks = "prefect.task_runs"
    assert not keep(_record(tasks, logging.ERROR, "Task run failed", task_run="a", error=damaged))
    assert not keep(_record(tasks, logging.ERROR, "Finished in state Failed(…)", task_run="a"))
    # another task's failure, and a failure that is not l10n's, still show
    assert keep(_record(tasks, logging.ERROR, "Finished in state Failed(…)", task_run="b"))
    bug = ValueError("a bug")
    assert keep(_record(tasks, logging.ERROR, "Task run failed", task_run="c", error=bug))
    assert keep(_record(tasks, logging.INFO, "Finished in state Completed()", task_run="a"))
    assert keep(_record("prefect.flow_runs", logging.ERROR, "flow failed", error=damaged))
    drain = "Still processing items: 1 items remaining..."
    assert not keep(_record("EventsWorker", logging.WARNING, drain))
    assert keep(_record("EventsWorker", logging.ERROR, "could not send events"))


def test_the_filter_sits_on_the_console_only(tmp_path: Path) -> None:
    base = {
        "version": 1,
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
        "root": {"handlers": ["console"]},
    }
    config = logging_config(base, tmp_path / "l10n-commands.log")
    assert config["handlers"]["console"]["filters"] == ["l10n_reported"]
    assert "filters" not in config["handlers"]["l10n_file"]
    assert config["filters"]["l10n_reported"]["()"].endswith(".ReportedErrors")
