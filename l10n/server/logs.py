"""Prefect's logging for l10n commands: one line per message on screen, tracebacks in a file.

Prefect prints a task's or flow's exception with its whole traceback (two of them,
~50 lines, for one damaged file). l10n already ends such a run with one line naming
the fix, so the console keeps each message and says where its traceback went:
``PREFECT_HOME/l10n-commands.log`` (0600, rotated at 5 MB), which gets every record
in full.

:func:`install` writes a copy of Prefect's own ``logging.yml`` with those two
changes (and :class:`ReportedErrors` on the console) into PREFECT_HOME and points
``PREFECT_LOGGING_SETTINGS_PATH`` at it (unless the user set one), before Prefect is
imported. Workers and flow-run processes started from the command inherit it.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import MutableMapping
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import yaml

from l10n.errors import L10nError

LOG_FILE = "l10n-commands.log"
CONFIG_FILE = "l10n-logging.yml"
SETTINGS_ENV = "PREFECT_LOGGING_SETTINGS_PATH"
MAX_BYTES = 5_000_000


class BriefFormatter(logging.Formatter):
    """A record's message without its traceback, and where the traceback can be read."""

    def __init__(
        self,
        format: str | None = None,
        datefmt: str | None = None,
        *,
        log: str = "",
        flow_run_fmt: str | None = None,
        task_run_fmt: str | None = None,
    ) -> None:
        super().__init__(format, datefmt)
        self.log = log
        self.by_logger = {
            "prefect.flow_runs": logging.PercentStyle(flow_run_fmt or format or "%(message)s"),
            "prefect.task_runs": logging.PercentStyle(task_run_fmt or format or "%(message)s"),
        }

    def formatMessage(self, record: logging.LogRecord) -> str:
        style = self.by_logger.get(record.name)
        return style.format(record) if style is not None else super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        had_traceback = bool(record.exc_info or record.exc_text or record.stack_info)
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return f"{text} (traceback in {self.log})" if had_traceback else text


class ReportedErrors(logging.Filter):
    """Keeps off the console Prefect's records of a task that failed with an l10n error.

    Such an error (a damaged translation memory, say) already ends the command with
    l10n's own line naming the fix — the run stops with it, or the articles it touched
    fail and the closing line lists them — so Prefect's two ERROR records for the task
    ("Task run failed with exception: …" and "Finished in state Failed(…)") would only
    say it twice more. (Nor the "Still processing items" notices of Prefect's event queue
    draining at exit.) They still reach the log file and the run's page in the UI: only
    the console handler carries this filter.
    """

    def __init__(self) -> None:
        super().__init__()
        self._failed: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "prefect.task_runs":
            # Prefect's event queue draining as the command exits: progress of its own
            # bookkeeping, nothing a user can act on (it follows l10n's last line).
            return not (
                record.levelno == logging.WARNING
                and isinstance(record.msg, str)
                and record.msg.startswith("Still processing items:")
            )
        task_run = str(getattr(record, "task_run_id", ""))
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, L10nError):
            self._failed.add(task_run)
            return False
        return not (record.levelno >= logging.ERROR and task_run and task_run in self._failed)


class PrivateLogFile(RotatingFileHandler):
    """A rotating log file readable by its owner only."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)


def _prefect_config() -> dict[str, Any] | None:
    """Prefect's default logging configuration, read as a file (Prefect is not imported)."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "logging" / "logging.yml"
    try:
        config = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return config if isinstance(config, dict) else None


def logging_config(base: dict[str, Any], log: Path) -> dict[str, Any]:
    """``base`` (Prefect's) with a brief console and every record, in full, in ``log``."""
    config = dict(base)
    formatters = dict(config.get("formatters", {}))
    standard = dict(formatters.get("standard", {}))
    formatters["l10n_brief"] = {
        "()": f"{__name__}.BriefFormatter",
        "format": standard.get("format", "%(levelname)s | %(name)s - %(message)s"),
        "datefmt": standard.get("datefmt", "%H:%M:%S"),
        "flow_run_fmt": standard.get("flow_run_fmt"),
        "task_run_fmt": standard.get("task_run_fmt"),
        "log": str(log),
    }
    formatters["l10n_full"] = {
        "format": "%(asctime)s | %(process)d | %(levelname)-7s | %(name)s - %(message)s"
    }
    config["formatters"] = formatters
    handlers = dict(config.get("handlers", {}))
    console = dict(handlers.get("console", {}))
    console["formatter"] = "l10n_brief"
    console["filters"] = [*console.get("filters", []), "l10n_reported"]
    config["filters"] = {
        **dict(config.get("filters", {})),
        "l10n_reported": {"()": f"{__name__}.ReportedErrors"},
    }
    handlers["console"] = console
    handlers["l10n_file"] = {
        "()": f"{__name__}.PrivateLogFile",
        "filename": str(log),
        "maxBytes": MAX_BYTES,
        "backupCount": 2,
        "formatter": "l10n_full",
        "level": 0,
    }
    config["handlers"] = handlers
    loggers = {}
    for name, logger in dict(config.get("loggers", {})).items():
        logger = dict(logger)
        if logger.get("propagate") is False:  # records that never reach the root's file
            logger["handlers"] = [*logger.get("handlers", []), "l10n_file"]
        loggers[name] = logger
    config["loggers"] = loggers
    root = dict(config.get("root", {}))
    root["handlers"] = [*root.get("handlers", []), "l10n_file"]
    config["root"] = root
    return config


def install(home: Path, env: MutableMapping[str, str] | None = None) -> Path | None:
    """Point Prefect at l10n's logging configuration; the log file (None: left as it was)."""
    env = os.environ if env is None else env
    if env.get(SETTINGS_ENV):
        return None
    base = _prefect_config()
    if base is None:
        return None
    log = home / LOG_FILE
    text = yaml.safe_dump(logging_config(base, log), sort_keys=False, allow_unicode=True)
    path = home / CONFIG_FILE
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.is_file() or path.read_text("utf-8") != text:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, "utf-8")
            tmp.replace(path)
    except OSError:
        return None  # an unwritable home: Prefect's own logging, tracebacks and all
    env[SETTINGS_ENV] = str(path)
    return log
