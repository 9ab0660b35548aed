"""The contract every translation engine meets, so the pipeline never cares which one runs.

An engine is a small class with capability flags (as Weblate's machinery backends are):
``is_pseudo`` (its output is not a translation), ``carries_placeholders`` (protected names
may be sent as placeholders), ``needs_model`` (it translates with models a user installs),
and optionally ``chunk_segments`` (how many segments one translation task should hold; see
:func:`chunk_segments`).
What it records about itself is one record, :class:`~l10n.models.EngineIdentity`: manifests,
``run.json`` and translation-memory keys all store that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from l10n.errors import L10nError
from l10n.models import EngineIdentity, ModelInfo

__all__ = [
    "DEFAULT_CHUNK_SEGMENTS",
    "Engine",
    "EngineIdentity",
    "MissingModelError",
    "ModelInfo",
    "chunk_segments",
    "engine_identity",
]

DEFAULT_CHUNK_SEGMENTS = 64
"""Segments per translation task for an engine that does not say: a model on a CPU, where
chunks spread the work over the task runner's threads or a Dask cluster's workers."""


class MissingModelError(L10nError):
    """No installed model covers a language pair; the message names the command that fixes it."""


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a translation engine.

    ``carries_placeholders`` tells the glossary whether protected terms may be swapped for
    placeholders before MT (the engine is known to copy them through) or must be fixed after.
    """

    name: str
    is_pseudo: bool
    carries_placeholders: bool
    needs_model: bool

    @property
    def options(self) -> dict[str, Any]:
        """Settings that change the output; part of every translation-cache key."""
        ...

    @property
    def settings(self) -> dict[str, Any]:
        """Every constructor setting, so another process can build the same engine."""
        ...

    def can_translate(self, source: str, target: str) -> bool: ...

    def models(self, source: str, target: str) -> list[ModelInfo]:
        """The models ``source``→``target`` uses; MissingModelError when there is none."""
        ...

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        """Why ``pairs`` can't be translated here, with the one command that fixes it."""
        ...

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]: ...


def chunk_segments(engine: Engine) -> int | None:
    """How many segments of one language pair a translation task holds for ``engine``:
    its ``chunk_segments`` flag (``None``: every segment of the pair in a window, for an
    engine with no model whose work could be spread), else :data:`DEFAULT_CHUNK_SEGMENTS`.

    A task costs tens of milliseconds of orchestration whatever it holds, so an engine
    whose model is fast on big batches (a GPU) asks for bigger chunks."""
    return getattr(engine, "chunk_segments", DEFAULT_CHUNK_SEGMENTS)


def engine_identity(engine: Engine, pairs: Iterable[tuple[str, str]]) -> EngineIdentity:
    """The engine as manifests, run summaries and translation-memory keys record it, with the
    models the given language pairs use."""
    models: dict[str, ModelInfo] = {}
    for source, target in sorted(set(pairs)):
        try:
            found = engine.models(source, target)
        except MissingModelError:
            continue
        for model in found:
            models[model.name] = model
    return EngineIdentity(
        name=engine.name,
        pseudo=engine.is_pseudo,
        options=dict(engine.options),
        packages=tuple(models[name] for name in sorted(models)),
    )
