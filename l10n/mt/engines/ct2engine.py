"""What every CTranslate2 engine shares: the runner's settings, the folder, the flags, the scores.

A CTranslate2 family (Argos packages, the registered ``quickmt``/``opusmt``/``nllb``/
``m2m100`` models) is one subclass of :class:`CT2Engine` plus its registration. The base
holds the :class:`~l10n.mt.engines.ct2.CT2Runner` (device, compute type, beam, batch
tokens, threads), reports ``options`` (part of every memory key) and ``settings`` (to
rebuild the engine in a worker) the same way for every family, and turns scored
translations into plain ones; a subclass finds its models for a pair, turns text into
tokens and back, and scores each output (:meth:`CT2Engine.translate_scored`).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from l10n.mt.engines.base import DEFAULT_CHUNK_SEGMENTS, ModelInfo
from l10n.mt.engines.ct2 import CT2Runner

Pair = tuple[str, str]

GPU_CHUNK_SEGMENTS = 512
"""Segments per translation task on CUDA: ~15,000 source tokens of news sentences, a few of
the 4,000-16,000-token batches a GPU is measured at (``bench_engine.py --sweep``)."""

RUNNER_SETTINGS = (
    "beam_size",
    "compute_type",
    "device",
    "max_batch_tokens",
    "max_length_ratio",
    "threads",
    "inter_threads",
)
"""The settings :class:`~l10n.mt.engines.ct2.CT2Runner` takes, for every CTranslate2 family."""


class CT2Engine(ABC):
    """A translation engine whose models run on CTranslate2.

    ``folder_setting`` names the setting that says where the family's models live
    (``packages_dir`` for Argos, ``models_dir`` for registered models); the runner's
    settings are those of :class:`~l10n.mt.engines.ct2.CT2Runner`.
    """

    name: str
    is_pseudo = False
    needs_model = True
    # Unverified on every CTranslate2 family: a published model may turn "⟦0⟧" into unknown
    # pieces whose copy-through depends on its attention, so the glossary post-edits instead.
    carries_placeholders = False
    folder_setting: ClassVar[str]

    def __init__(self, folder: Path, runner: Mapping[str, Any]) -> None:
        self.folder = folder
        self.runner = CT2Runner(**runner)
        self._lock = threading.Lock()

    @classmethod
    def known_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The run's engine settings this family takes: the runner's and its folder."""
        return {k: v for k, v in settings.items() if k in (*RUNNER_SETTINGS, cls.folder_setting)}

    @property
    def options(self) -> dict[str, Any]:
        """Settings that change the output (the runner's); part of every memory key."""
        return self.runner.options

    @property
    def chunk_segments(self) -> int:
        """Segments per translation task: on a GPU, enough for a few of its big batches."""
        return GPU_CHUNK_SEGMENTS if self.runner.device == "cuda" else DEFAULT_CHUNK_SEGMENTS

    @property
    def settings(self) -> dict[str, Any]:
        """Every setting, to build the same engine in another process."""
        return {self.folder_setting: str(self.folder), **self.runner.settings}

    @abstractmethod
    def can_translate(self, source: str, target: str) -> bool: ...

    @abstractmethod
    def models(self, source: str, target: str) -> list[ModelInfo]: ...

    @abstractmethod
    def missing_reason(self, pairs: Iterable[Pair]) -> str: ...

    def threshold(self, source: str, target: str) -> float | None:
        """The score below which a segment of this pair is flagged ``low-confidence``."""
        return None

    @abstractmethod
    def translate_scored(
        self, texts: list[str], source: str, target: str
    ) -> list[tuple[str, float | None]]:
        """Each text's translation and the model's mean log-probability per output token.

        Blank strings come back unchanged, with no score.
        """

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate ``texts`` in order; blank strings come back unchanged."""
        return [text for text, _ in self.translate_scored(texts, source, target)]
