"""Watching feeds and folders: what is new since the last look, and remembering what was done.

Each item has a key that stays the same across looks: a feed entry's guid (else its link),
a ninjs item's ``uri`` with its ``version`` (a new version is a new item), any other file's
path and content hash. The keys already translated are kept in a state file, so each poll
translates only new items, each exactly once. An item whose article failed (an engine
error) or whose page could not be fetched is tried again at the next look; a file or an
entry's text that can never be read (no text, bad JSON) is remembered as refused, with why,
and not tried again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from l10n.articles import feeds, fetch
from l10n.articles.discover import expand
from l10n.articles.errors import InputError
from l10n.articles.ids import safe_id
from l10n.errors import L10nError
from l10n.formats.ninjs import looks_like_ninjs
from l10n.models import Status
from l10n.run.atomic import write_text_atomic
from l10n.run.storage import is_remote
from l10n.run.summary import RunSummary

DONE = "done"
REFUSED = "refused"
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class WatchError(L10nError):
    """A watch that cannot start: a bad interval, a state file in use or unreadable."""

    exit_code = 2


def parse_every(text: str) -> int:
    """``10m`` → 600 seconds (``s``, ``m``, ``h``, ``d``; at least 10 seconds)."""
    found = _EVERY.match(text)
    if not found:
        raise WatchError(f"{text!r} is not an interval — write it like 30s, 10m, 2h or 1d")
    seconds = int(found.group(1)) * _UNITS[found.group(2)]
    if seconds < 10:
        raise WatchError(f"{text!r} is too often — poll every 10s or less often")
    return seconds


@dataclass
class NewItem:
    """An item not translated yet, and the input that translates it (a path or a link)."""

    key: str
    input: str
    source: str


@dataclass
class Look:
    """What one look at the sources found: new items, and sources that could not be read."""

    items: list[NewItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def state_file(out: str, name: str) -> Path:
    """Where a watch keeps its keys: ``OUT/.l10n-watch/NAME.json`` (a local OUT), else
    ``~/.local/share/l10n/watch/NAME.json``."""
    base = (
        Path.home() / ".local" / "share" / "l10n" / "watch"
        if is_remote(out)
        else Path(out) / ".l10n-watch"
    )
    return base / f"{safe_id(name)}.json"


@contextmanager
def locked_state(path: Path) -> Iterator[dict[str, Any]]:
    """The state, held against a second look at the same sources, saved on leaving."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise WatchError(
            f"{path}: another look at these sources is running — it will pick up new items"
        ) from exc
    try:
        state = _read(path)
        yield state
        write_text_atomic(path, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    finally:
        lock.release()


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"seen": {}}
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WatchError(f"{path}: unreadable watch state ({exc}) — fix or delete it") from exc
    if not isinstance(state, dict) or not isinstance(state.get("seen"), dict):
        raise WatchError(f"{path}: not a watch state — delete it to start afresh")
    return state


def look(sources: list[str], seen: dict[str, Any], staging: Path, *, allow_private: bool) -> Look:
    """The items of ``sources`` whose keys are not in ``seen``; feed entries with their
    full text and items of ninjs JSONL files are written to ``staging`` as .json items."""
    found = Look()
    keys: set[str] = set()
    for source in sources:
        try:
            items = list(_items(source, staging, allow_private=allow_private))
        except InputError as exc:
            found.errors.append(str(exc))
            continue
        for item in items:
            if item.key not in seen and item.key not in keys:
                keys.add(item.key)
                found.items.append(item)
    return found


def _items(source: str, staging: Path, *, allow_private: bool) -> Iterator[NewItem]:
    if re.match(r"https?://", source, re.IGNORECASE):
        page = fetch.download(source, allow_private=allow_private, types=feeds.FEED_TYPES)
        for entry in feeds.parse_feed(page.body, source):
            if entry.html:
                yield NewItem(entry.key, _stage(staging, entry.key, entry.item()), source)
            elif entry.link:
                yield NewItem(entry.key, entry.link, source)
        return
    errors: list[InputError] = []
    for path in expand(source, errors):
        if isinstance(path, Path):
            yield from _file_items(path, staging, source)
    if errors:
        raise errors[0]


def _file_items(path: Path, staging: Path, source: str) -> Iterator[NewItem]:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        lines = [data] if suffix == ".json" else data.splitlines()
        values = [_json(line) for line in lines if line.strip()]
        if values and all(looks_like_ninjs(v) for v in values):
            for value in values:
                assert isinstance(value, dict)
                key = _item_key(value)
                where = str(path) if suffix == ".json" else _stage(staging, key, value)
                yield NewItem(key, where, source)
            return
    digest = hashlib.sha256(data).hexdigest()[:16]
    yield NewItem(f"file:{path.resolve()}:{digest}", str(path), source)


def _json(data: bytes) -> object:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _item_key(item: dict[str, Any]) -> str:
    version = item.get("version")
    return f"{item['uri']}@{version}" if isinstance(version, str | int) else str(item["uri"])


def _stage(staging: Path, key: str, item: dict[str, Any]) -> str:
    staging.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    path = staging / f"{safe_id(key)[:60]}-{digest}.json"
    write_text_atomic(path, json.dumps(item, ensure_ascii=False))
    return str(path)


def _is_link(value: str) -> bool:
    """A page to fetch: its failure may pass (a server down), so it is tried again."""
    return value.lower().startswith(("http://", "https://"))


def remember(
    seen: dict[str, Any], items: list[NewItem], summary: RunSummary, when: str
) -> dict[str, int]:
    """Mark the items the run translated (and those it could never read); counts by mark."""
    outcomes: dict[str, list[Status]] = {}
    for outcome in summary.outcomes:
        outcomes.setdefault(outcome.input, []).append(outcome.status)
    refused = {str(e.get("path")): str(e.get("message")) for e in summary.input_errors}
    counts = {DONE: 0, REFUSED: 0, "retry": 0}
    for item in items:
        statuses = outcomes.get(item.input, [])
        if statuses and all(s in (Status.DONE, Status.SKIPPED) for s in statuses):
            seen[item.key] = {"status": DONE, "run": summary.run_id, "time": when}
            counts[DONE] += 1
        elif item.input in refused and not statuses and not _is_link(item.input):
            seen[item.key] = {
                "status": REFUSED,
                "run": summary.run_id,
                "time": when,
                "reason": refused[item.input],
            }
            counts[REFUSED] += 1
        else:
            counts["retry"] += 1
    return counts
