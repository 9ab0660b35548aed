"""Runs stored on shared storage (``s3://``, ``gcs://`` … through fsspec).

A run is written to a local staging folder with the same atomic writes as a
local run, then uploaded whole, so readers of the bucket never see torn files.
"""

from __future__ import annotations

from pathlib import Path

import fsspec


def is_remote(location: str) -> bool:
    protocol = location.split("://", 1)[0] if "://" in location else "file"
    return protocol not in {"file", "local"}


def upload_run(run_dir: Path, out_url: str) -> str:
    """Copy ``run_dir`` to ``<out_url>/<run-id>/``; returns the remote run URL."""
    fs, base = fsspec.core.url_to_fs(out_url.rstrip("/"))
    target = f"{base}/{run_dir.name}"
    for path in sorted(run_dir.rglob("*")):
        if path.is_file():
            remote = f"{target}/{path.relative_to(run_dir).as_posix()}"
            fs.makedirs(remote.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(path), remote)
    return f"{out_url.rstrip('/')}/{run_dir.name}"
