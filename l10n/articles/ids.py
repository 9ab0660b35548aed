"""Article ids: file-name-safe slugs of input names, made unique within a run."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence

MAX_ID_CHARS = 80


def safe_id(raw: str) -> str:
    """A file-name-safe article id that is stable for the same input name.

    Characters that cannot be transliterated to ASCII (e.g. Hangul) are
    replaced by a short hash of the original, so two Korean file names still
    get different, reproducible ids.
    """
    decomposed = unicodedata.normalize("NFKD", raw)
    lossy = any(ord(ch) > 127 and not unicodedata.combining(ch) for ch in decomposed)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    slug = re.sub(r"-{2,}", "-", slug).strip("-.")
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return f"article-{digest}"
    if lossy:
        slug = f"{slug}-{digest}"
    if len(slug) > MAX_ID_CHARS:
        slug = f"{slug[: MAX_ID_CHARS - 9].rstrip('-.')}-{digest}"
    return slug


def unique_id(article_id: str, taken: set[str]) -> str:
    """``article_id``, or it with the first free ``-N`` suffix; records the choice in ``taken``."""
    candidate, n = article_id, 2
    while candidate.lower() in taken:
        candidate = f"{article_id}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


class StableIds:
    """Ids that survive a resume: an input gets back the id the run gave it before.

    ``reserved`` maps an input path to the ids its articles had (``id`` or ``id-N``); those
    ids are taken from the start, so a new input that slugs the same (``a/dup.txt`` beside
    the old ``b/dup.txt``) gets the next free suffix instead of shifting the old one.
    """

    def __init__(self, reserved: Mapping[str, Sequence[str]], taken: set[str]) -> None:
        self._reserved = {path: list(ids) for path, ids in reserved.items()}
        self._taken = taken
        taken.update(i.lower() for ids in self._reserved.values() for i in ids)

    def assign(self, article_id: str, input_path: str) -> str:
        own = self._reserved.get(input_path, [])
        suffixed = re.compile(re.escape(article_id) + r"-[0-9]+", re.IGNORECASE)
        for candidate in own:
            if candidate.lower() == article_id.lower() or suffixed.fullmatch(candidate):
                own.remove(candidate)
                return candidate
        return unique_id(article_id, self._taken)
