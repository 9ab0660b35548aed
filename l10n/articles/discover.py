"""Finding the inputs and guarding the reads: folders, links, sizes, pipes, binary files.

Every problem becomes an ``InputError`` naming the input and the fix, and the batch goes on.
Inside a folder, hidden files and links that lead out of it are never read.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from l10n.articles.encodings import Decoded, NotText, decode_bytes
from l10n.articles.errors import InputError
from l10n.formats.xliff import SUFFIXES as XLIFF_SUFFIXES

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".json", *XLIFF_SUFFIXES)
DEFAULT_MAX_INPUT_BYTES = 20_000_000
"""Local files larger than this are skipped (``--max-input-mb`` raises it)."""
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def expand(raw: str, errors: list[InputError]) -> Iterator[str | Path]:
    """URLs as strings, files as paths; a folder yields its supported files, hidden ones skipped."""
    if _URL_SCHEME.match(raw):
        if raw[:8].lower().startswith(("http://", "https://")):
            yield raw
        else:
            errors.append(
                InputError(
                    raw,
                    None,
                    "only http and https URLs are fetched — link to a web page, "
                    "or save it as .html and pass the file",
                )
            )
        return
    path = Path(raw)
    if path.is_dir():
        yield from _walk(path, errors)
    elif path.is_file():
        if path.suffix.lower() in SUFFIXES:
            yield path
        else:
            kind = repr(path.suffix) if path.suffix else "a file without suffix"
            errors.append(
                InputError(
                    raw, None, f"unsupported file type {kind} — use one of {', '.join(SUFFIXES)}"
                )
            )
    elif path.exists():
        errors.append(
            InputError(raw, None, "not a regular file (a device, pipe or socket) — pass a file")
        )
    elif path.is_symlink():
        errors.append(InputError(raw, None, "broken symbolic link — fix or remove it"))
    else:
        errors.append(InputError(raw, None, "no such file or folder — check the path"))


def _walk(folder: Path, errors: list[InputError]) -> Iterator[Path]:
    """Supported files under ``folder`` in sorted order, never leaving it through a link.

    Links to files inside the folder are read; links to folders are not descended (what
    they hold is either walked already or outside); links that lead out are reported.
    """
    root = folder.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=None, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in dirnames:
            link = here / name
            if link.is_symlink() and not _inside(link, root):
                errors.append(_outside_link(link, folder))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            file = here / name
            if file.is_symlink():
                if not file.exists():
                    errors.append(
                        InputError(str(file), None, "broken symbolic link — fix or remove it")
                    )
                    continue
                if not _inside(file, root):
                    errors.append(_outside_link(file, folder))
                    continue
            if file.is_file():
                found.append(file)
    yield from sorted(found)


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _outside_link(link: Path, folder: Path) -> InputError:
    return InputError(
        str(link),
        None,
        f"symbolic link to a place outside {folder}, not followed — "
        "pass its target directly if you mean to read it",
    )


def check_size(path: Path, max_bytes: int) -> None:
    """InputError when ``path`` is a regular file over ``max_bytes``."""
    try:
        info = path.stat()
    except OSError:
        return  # reading it reports the problem
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise InputError(
            str(path),
            None,
            f"file is {_megabytes(info.st_size)} MB, over the {_megabytes(max_bytes)} MB limit "
            f"— skipped; pass --max-input-mb {_megabytes(info.st_size, up=True)} to read it",
        )


def _megabytes(size: int, *, up: bool = False) -> str:
    if up:
        return str(-(-size // 1_000_000))
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            str(path),
            None,
            f"cannot read file ({exc.strerror}) — check that it exists and is readable",
        ) from exc


def decode(path: Path, data: bytes, *, html: bool = False) -> Decoded:
    """The file's text; binary data and undecodable bytes are an InputError."""
    try:
        return decode_bytes(data, html=html)
    except NotText as exc:
        raise InputError(str(path), exc.line, exc.message) from exc


def expected_articles(inputs: Sequence[str], pasted: int = 0) -> int | None:
    """How many articles ``inputs`` hold, counted without reading them: one per file or link,
    one per non-blank line of a JSONL file; ``None`` when that can't be known cheaply (a
    file that can't be read). A progress bar's total, not a promise: bad lines still count.
    """
    total = pasted
    for raw in inputs:
        for source in expand(raw, []):
            if isinstance(source, Path) and source.suffix.lower() == ".jsonl":
                try:
                    with source.open("rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    return None
            else:
                total += 1
    return total
