"""A content-addressed store of machine translations.

Keys hash the segment text together with everything that could change the
output (engine, model package versions and checksums, options, language pair),
so a re-run only sends new text to the model. The root is an fsspec URL, which
lets every worker of a deployment share one cache (a shared disk or ``s3://``).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem


def translation_key(text: str, source: str, target: str, engine_fingerprint: dict[str, Any]) -> str:
    payload = json.dumps(
        [text, source, target, engine_fingerprint], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """One small JSON object per translated segment under ``<root>/mt/``."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")
        self.fs, self._base = fsspec.core.url_to_fs(self.root)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> str:
        return f"{self._base}/mt/{key[:2]}/{key}.json"

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for key in keys:
            try:
                with self.fs.open(self._path(key), "rb") as handle:
                    found[key] = json.loads(handle.read().decode("utf-8"))["mt"]
                self.hits += 1
            except (FileNotFoundError, ValueError, KeyError):
                self.misses += 1
        return found

    def put_many(self, items: dict[str, str]) -> None:
        for key, mt in items.items():
            path = self._path(key)
            data = json.dumps({"mt": mt}, ensure_ascii=False).encode("utf-8")
            parent = path.rsplit("/", 1)[0]
            self.fs.makedirs(parent, exist_ok=True)
            if isinstance(self.fs, LocalFileSystem):
                # Local disk: write beside, then rename, so a killed run leaves no torn entry.
                tmp = f"{parent}/.{key}.{uuid.uuid4().hex}.tmp"
                with open(tmp, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            else:
                with self.fs.open(path, "wb") as handle:
                    handle.write(data)
