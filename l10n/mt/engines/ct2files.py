"""What a CTranslate2 model folder holds, read without loading the model.

``config.json`` and the vocabulary files are JSON (or, from older converters, one token a
line); ``model.bin`` starts with a header that names every weight and its shape, which is
enough to check that a vocabulary file has as many tokens as the model's embeddings.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from l10n.errors import L10nError

MODEL_BIN = "model.bin"
CONFIG = "config.json"
# ctranslate2's names for the weights whose first dimension is a vocabulary's size.
SOURCE_EMBEDDINGS = ("encoder/embeddings_0/weight", "encoder/embeddings/weight")
TARGET_EMBEDDINGS = ("decoder/projection/weight", "decoder/embeddings/weight")
_MIN_BINARY_VERSION = 5  # the header layout read here (ctranslate2 4.x writes 6)


class ModelFilesError(L10nError):
    """A model folder that is incomplete or inconsistent; the message names the file."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFilesError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelFilesError(f"{path}: not readable JSON ({exc})") from None


def read_config(folder: Path) -> dict[str, Any]:
    data = read_json(folder / CONFIG)
    if not isinstance(data, dict):
        raise ModelFilesError(f"{folder / CONFIG}: expected a JSON object")
    return data


def vocabulary_file(folder: Path, name: str) -> Path | None:
    """``<name>_vocabulary.json`` (current converters) or ``.txt`` (older ones), if present."""
    for suffix in (".json", ".txt"):
        path = folder / f"{name}_vocabulary{suffix}"
        if path.is_file():
            return path
    return None


def read_vocabulary(path: Path) -> list[str]:
    if path.suffix == ".json":
        tokens = read_json(path)
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise ModelFilesError(f"{path}: expected a JSON list of tokens")
        return tokens
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelFilesError(f"{path}: not readable ({exc})") from None


def vocabularies(folder: Path) -> tuple[list[str], list[str]]:
    """(source tokens, target tokens): a shared vocabulary counts as both."""
    shared = vocabulary_file(folder, "shared")
    if shared is not None:
        tokens = read_vocabulary(shared)
        return tokens, tokens
    source, target = vocabulary_file(folder, "source"), vocabulary_file(folder, "target")
    if source is None or target is None:
        raise ModelFilesError(
            f"{folder}: no shared_vocabulary.json, nor source_vocabulary.json and "
            "target_vocabulary.json — is this a CTranslate2 model folder?"
        )
    return read_vocabulary(source), read_vocabulary(target)


@dataclass(frozen=True)
class WeightShapes:
    """The header of ``model.bin``: the model's spec name and each weight's shape."""

    spec: str
    shapes: dict[str, tuple[int, ...]]
    aliases: dict[str, str]

    def shape(self, names: Iterable[str]) -> tuple[int, ...] | None:
        for name in names:
            name = self.aliases.get(name, name)
            if name in self.shapes:
                return self.shapes[name]
        return None


def _read(handle: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = handle.read(size)
    if len(data) != size:
        raise EOFError
    return struct.unpack(fmt, data)[0]


def _string(handle: BinaryIO) -> str:
    length = _read(handle, "H")
    data = handle.read(length)
    if len(data) != length:
        raise EOFError
    return data[:-1].decode("utf-8")


def weight_shapes(path: Path) -> WeightShapes:
    """Read the names and shapes of ``model.bin``'s weights, skipping the weights themselves."""
    try:
        with path.open("rb") as handle:
            version = _read(handle, "I")
            if version < _MIN_BINARY_VERSION:
                raise ModelFilesError(
                    f"{path}: model format version {version} is older than ctranslate2 4 "
                    "writes; convert the model again with a current ct2-*-converter"
                )
            spec = _string(handle)
            _read(handle, "I")  # spec revision
            shapes: dict[str, tuple[int, ...]] = {}
            for _ in range(_read(handle, "I")):
                name = _string(handle)
                rank = _read(handle, "B")
                dims = tuple(_read(handle, "I") for _ in range(rank))
                _read(handle, "B")  # dtype
                handle.seek(_read(handle, "I"), 1)
                shapes[name] = dims
            aliases = {}
            for _ in range(_read(handle, "I")):
                alias = _string(handle)
                aliases[alias] = _string(handle)
    except FileNotFoundError:
        raise ModelFilesError(f"{path}: missing") from None
    except (EOFError, UnicodeDecodeError, struct.error):
        raise ModelFilesError(f"{path}: truncated or not a CTranslate2 model") from None
    except OSError as exc:
        raise ModelFilesError(f"{path}: not readable ({exc})") from None
    return WeightShapes(spec, shapes, aliases)


def check_vocabulary_sizes(folder: Path, source: list[str], target: list[str]) -> None:
    """The vocabulary files must have as many tokens as the model's embeddings have rows."""
    shapes = weight_shapes(folder / MODEL_BIN)
    for side, names, tokens in (
        ("source", SOURCE_EMBEDDINGS, source),
        ("target", TARGET_EMBEDDINGS, target),
    ):
        shape = shapes.shape(names)
        if shape is None:
            raise ModelFilesError(
                f"{folder / MODEL_BIN}: no {side} embeddings ({names[0]}); "
                f"a {shapes.spec} model is not a translation model"
            )
        if shape[0] != len(tokens):
            raise ModelFilesError(
                f"{folder}: the {side} vocabulary has {len(tokens)} tokens but model.bin's "
                f"embeddings have {shape[0]} rows — the files come from different models"
            )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_digest(files: dict[str, str]) -> str:
    """One sha256 for a model folder: of its files' names and sha256s, in name order."""
    lines = "".join(f"{name}\t{files[name]}\n" for name in sorted(files))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()
