"""Run ids: folder names a user picks (``--run-id``) or l10n makes from the clock."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from l10n.errors import UsageError

RUN_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}"
RUN_ID_RULE = "1 to 80 letters, digits, '.', '_' or '-', starting with a letter or digit"
_RUN_ID_RE = re.compile(RUN_ID_PATTERN)


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def check_run_id(run_id: str) -> str:
    """``run_id`` if it is a safe folder name; a UsageError that says what is allowed."""
    if not _RUN_ID_RE.fullmatch(run_id) or run_id in {".", ".."}:
        raise UsageError(f"run id {run_id!r} is not a safe folder name — use {RUN_ID_RULE}")
    return run_id


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
