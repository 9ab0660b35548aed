"""Article ids: file-name-safe slugs of input names, made unique within a run."""

from __future__ import annotations

import hashlib
import re
import unicodedata

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
