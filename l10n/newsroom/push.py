"""Results pushed to the desk: each finished article's ninjs POSTed to a webhook.

Every target of every stored article is one POST (``Content-Type: application/json``, the
ninjs item as body, ``X-L10n-Run``/``X-L10n-Article``/``X-L10n-Language`` headers). A
connection error, a timeout, ``429`` or a ``5xx`` answer is retried with exponential
back-off; any other ``4xx`` is not (the receiver refused the item). What happened is kept in
the run's ``push.json``, so a failure loses nothing: ``l10n push RUN`` sends what is not yet
delivered — from the stored translation, never translating again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from l10n.errors import L10nError
from l10n.newsroom.ninjs import article_items
from l10n.run import layout
from l10n.run.codec import encode_json
from l10n.run.store import Run

PUSHED = "pushed"
FAILED = "failed"
DEFAULT_ATTEMPTS = 4
DEFAULT_BACKOFF_S = 1.0
DEFAULT_TIMEOUT_S = 30.0


class PushError(L10nError):
    """A push that cannot start (no URL, an unreadable state file)."""

    exit_code = 2


@dataclass
class PushReport:
    """What one push did: delivered, failed (with why) and already delivered before."""

    pushed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def read_state(run: Run) -> dict[str, Any]:
    """The run's ``push.json`` (``{"url", "articles": {id: {lang: {...}}}}``), or an empty one."""
    if not run.storage.exists(layout.PUSH_STATE):
        return {"url": None, "articles": {}}
    try:
        state = json.loads(run.storage.read(layout.PUSH_STATE).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PushError(
            f"{run.display(layout.PUSH_STATE)}: not JSON ({exc}) — delete it to push everything"
        ) from exc
    if not isinstance(state, dict) or not isinstance(state.get("articles"), dict):
        raise PushError(f"{run.display(layout.PUSH_STATE)}: not a push state — delete it")
    return state


def push_run(
    run: Run,
    url: str | None = None,
    *,
    again: bool = False,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff_s: float = DEFAULT_BACKOFF_S,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """POST every target not yet delivered (every target with ``again``) to ``url``.

    ``url`` defaults to the one the run was last pushed to. The state is saved after
    each article, so an interrupted push resumes where it stopped.
    """
    state = read_state(run)
    url = url or state.get("url")
    if not url:
        raise PushError("no webhook URL — give --url (it is remembered in the run's push.json)")
    if not url.lower().startswith(("http://", "https://")):
        raise PushError(f"{url}: the webhook must be an http:// or https:// URL")
    state["url"] = url
    report = PushReport()
    with httpx.Client(timeout=timeout_s) as client:
        for article_id in run.article_ids():
            done = state["articles"].setdefault(article_id, {})
            try:
                rendered = article_items(run, article_id)
            except L10nError as exc:
                report.failed[article_id] = str(exc)
                continue
            for item in rendered:
                key = f"{article_id}/{item.lang}"
                if not again and done.get(item.lang, {}).get("status") == PUSHED:
                    report.skipped.append(key)
                    continue
                headers = {
                    "Content-Type": "application/json",
                    "X-L10n-Run": run.run_id,
                    "X-L10n-Article": article_id,
                    "X-L10n-Language": item.lang,
                }
                body = encode_json(item.item)
                tries, error = _post(client, url, body, headers, attempts, backoff_s, sleep)
                done[item.lang] = {
                    "status": FAILED if error else PUSHED,
                    "uri": item.item.get("uri"),
                    "attempts": tries,
                    "error": error,
                    "time": _now(),
                }
                if error:
                    report.failed[key] = error
                else:
                    report.pushed.append(key)
            run.write_file(layout.PUSH_STATE, encode_json(state))
    return report


def _post(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: dict[str, str],
    attempts: int,
    backoff_s: float,
    sleep: Callable[[float], None],
) -> tuple[int, str | None]:
    """(tries, None) once delivered, or (tries, why) after the last failed try."""
    error = "not tried"
    for attempt in range(1, max(1, attempts) + 1):
        try:
            answer = client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            if answer.status_code < 300:
                return attempt, None
            error = f"HTTP {answer.status_code} {answer.reason_phrase}".strip()
            if answer.status_code < 500 and answer.status_code != 429:
                return attempt, f"{error} (refused by the receiver, not retried)"
        if attempt < attempts:
            sleep(backoff_s * 2 ** (attempt - 1))
    return attempts, error


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
