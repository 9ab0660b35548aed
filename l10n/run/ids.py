"""Run ids: folder names a user picks (``--run-id``) or l10n makes from the clock."""

from __future__ import annotations

import re
import secrets
import unicodedata
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


def run_id_from_name(name: str) -> str | None:
    """A run id made from a free-form name (a Prefect run's "Run Name"): accents dropped,
    every other character outside the rule a '-', at most 80 long; None when nothing is
    left ("奈良サミット"). "Nara summit" becomes "Nara-summit"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    dashed = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name)
    dashed = re.sub(r"-{2,}", "-", dashed)
    cleaned = re.sub(r"^[^A-Za-z0-9]+", "", dashed)[:80].rstrip("-.")
    if not cleaned:
        return None
    return check_run_id(cleaned)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
