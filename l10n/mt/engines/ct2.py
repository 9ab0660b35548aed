"""The CTranslate2 runtime every model family shares: device, precision, threads, batching.

A family (Argos packages, and any other CTranslate2 model) turns text into tokens and back;
this module runs the tokens through ``ctranslate2.Translator`` the way that was measured
fastest here (docs/speed.md): inputs sorted by length and cut into batches of up to
``max_batch_tokens`` tokens, every batch queued at once so the translator's replicas decode
in parallel, one replica per core, outputs capped relative to their source, one translator
per model folder and settings per process. Each hypothesis comes back with its score.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.errors import UsageError

# Runaway repetition is the usual failure of small NMT models on odd input; cap every
# output relative to its source instead of letting it run to ctranslate2's default 256.
ABSOLUTE_MAX_TOKENS = 256
LENGTH_PENALTY = 0.2  # argostranslate's

DEFAULT_BEAM_SIZE = 4  # argostranslate's: its published quality figures were made with it
# Measured on the published Argos packages' shape with one batch per core (docs/speed.md):
# 512 and 1024 tokens per batch were fastest at beam 4, 1024 at beam 2; 2048 took 15%
# longer, 4096 25%, 8192 twice as long and 2.7 GB of memory.
DEFAULT_MAX_BATCH_TOKENS = 1024
DEFAULT_MAX_LENGTH_RATIO = 3.0
# Threads inside one batch: on 2 cores two single-threaded batches in parallel beat one
# batch on both cores by 35-65% at every budget (docs/speed.md), so each core decodes its own.
MAX_INTRA_THREADS = 1
# The smallest batch a call is cut into so that every parallel batch has work: 512 tokens
# cost no more per token than 1024 (docs/speed.md).
MIN_SPREAD_TOKENS = 512
DEVICES = ("cpu", "cuda", "auto")
DEFAULT_DEVICE = "cpu"
# ctranslate2's names; "default" keeps the model's own type, "auto" lets ctranslate2 pick.
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
_DEFAULT_COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}
CUDA_NOTE = "ctranslate2's CUDA build needs an NVIDIA driver and CUDA 12's cuBLAS (libcublas.so.12)"

_M_TRIM_THRESHOLD = -1  # glibc mallopt parameters
_M_MMAP_THRESHOLD = -3


class EngineSettingsError(UsageError):
    """An engine setting that cannot work here: an unknown name, or a device that is missing."""


@dataclass(frozen=True)
class Hypothesis:
    """The best output for one input: target tokens (prefix removed) and the model's score.

    ``score`` is ctranslate2's: the sum of the log-probabilities of the tokens the model
    chose (the end-of-sentence token included when it came; a forced target prefix
    excluded), divided by the hypothesis' whole length (prefix and end token included)
    raised to the length penalty. ``scored`` is how many tokens that sum covers and
    ``length`` the length the penalty used (both measured on what ctranslate2 decoded,
    before an output is cut to its own cap); by default those of an output that ended by
    itself without a prefix. ``per_token`` undoes the penalty: the mean log-probability of
    a token the model chose, comparable across outputs of different lengths and families.
    """

    tokens: list[str]
    score: float
    scored: int | None = None
    length: int | None = None

    @property
    def per_token(self) -> float:
        scored = self.scored if self.scored is not None else len(self.tokens) + 1
        length = self.length if self.length is not None else scored
        return float(self.score * max(length, 1) ** LENGTH_PENALTY / max(scored, 1))


@dataclass(frozen=True)
class _RunSettings:
    """How ctranslate2 runs a model; one Translator per distinct value per process."""

    device: str
    compute_type: str
    inter_threads: int
    intra_threads: int


_translators: dict[tuple[str, _RunSettings], Any] = {}
_translators_lock = threading.Lock()


def _translator(model_dir: Path, run: _RunSettings) -> Any:
    """One ctranslate2.Translator per model folder and settings per process.

    Loading costs ~1 s and ~300 MB; replicas (``inter_threads``) share the weights.
    """
    import ctranslate2

    key = (str(model_dir.resolve()), run)
    with _translators_lock:
        if key not in _translators:
            _restore_malloc_thresholds(os.environ)
            try:
                _translators[key] = ctranslate2.Translator(
                    str(model_dir),
                    device=run.device,
                    compute_type=run.compute_type,
                    inter_threads=run.inter_threads,
                    intra_threads=run.intra_threads,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                hint = f" ({CUDA_NOTE})" if run.device == "cuda" else ""
                raise EngineSettingsError(
                    f"{model_dir}: ctranslate2 cannot run this model on {run.device} with "
                    f"compute type {run.compute_type}: {exc}{hint}"
                ) from exc
        return _translators[key]


def available_cores() -> int:
    """CPU cores this process may use (its affinity mask, which containers and taskset set)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def split_threads(threads: int, inter_threads: int = 0) -> tuple[int, int]:
    """(inter, intra): parallel batches and threads per batch for ``threads`` cores.

    ``threads`` 0 means every core this process may use (ctranslate2's own 0 means at most
    4 threads, which leaves most of a big machine idle). ``inter_threads`` 0 gives each batch
    up to ``MAX_INTRA_THREADS`` threads and runs as many batches in parallel as that leaves
    cores for (one per core while the cap is 1).
    """
    total = threads if threads > 0 else available_cores()
    # ceil: no batch gets more threads than the cap
    inter = min(inter_threads, total) if inter_threads > 0 else -(-total // MAX_INTRA_THREADS)
    return inter, max(1, total // inter)


def resolve_device(device: str) -> str:
    """``cpu`` or ``cuda``; ``auto`` picks cuda when ctranslate2 sees a GPU."""
    if device not in DEVICES:
        raise EngineSettingsError(f"unknown device {device!r}: choose one of {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return "cuda" if gpus > 0 else "cpu"
    if gpus == 0:
        raise EngineSettingsError(
            "--device cuda: ctranslate2 finds no CUDA device on this machine "
            f"(get_cuda_device_count() is 0); {CUDA_NOTE}. Use --device cpu or --device auto."
        )
    return "cuda"


def resolve_compute_type(compute_type: str | None, device: str) -> str:
    """The compute type for ``device``, checked against what ctranslate2 supports there."""
    chosen = compute_type or _DEFAULT_COMPUTE_TYPE[device]
    if chosen not in COMPUTE_TYPES:
        raise EngineSettingsError(
            f"unknown compute type {chosen!r}: choose one of {', '.join(COMPUTE_TYPES)}"
        )
    if chosen in ("default", "auto"):
        return chosen
    import ctranslate2

    try:
        supported = set(ctranslate2.get_supported_compute_types(device))
    except RuntimeError as exc:  # a GPU whose driver or libraries do not fit ctranslate2
        raise EngineSettingsError(
            f"ctranslate2 cannot use {device} here: {exc}; {CUDA_NOTE}"
        ) from exc
    if chosen not in supported:
        raise EngineSettingsError(
            f"compute type {chosen!r} is not supported on {device} here "
            f"(supported: {', '.join(sorted(supported))})"
        )
    return chosen


def _restore_malloc_thresholds(env: Mapping[str, str]) -> None:
    """Undo a fixed glibc trim threshold (Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_``).

    A fixed threshold also freezes glibc's mmap threshold at 128 KiB, so every decoding
    buffer is mmapped and unmapped again: measured 3-4x slower translation on a Dask
    worker. Raising both thresholds in this process gives the speed back.
    """
    if "MALLOC_TRIM_THRESHOLD_" not in env or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024)
    libc.mallopt(_M_TRIM_THRESHOLD, 128 * 1024 * 1024)


class CT2Runner:
    """Runs token sequences through CTranslate2 models with one set of decoding settings.

    ``compute_type`` None is int8 on CPU and int8_float16 on CUDA; ``device`` auto takes
    CUDA when ctranslate2 sees a GPU. Both are resolved here, so ``options`` (and every
    translation-memory key) name what actually runs. ``threads`` is the cores the model may
    use in this process (0: all), ``inter_threads`` how many batches run at once (0: the
    measured default, see :func:`split_threads`).
    """

    def __init__(
        self,
        *,
        beam_size: int = DEFAULT_BEAM_SIZE,
        compute_type: str | None = None,
        device: str = DEFAULT_DEVICE,
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        max_length_ratio: float = DEFAULT_MAX_LENGTH_RATIO,
        threads: int = 0,
        inter_threads: int = 0,
    ) -> None:
        if not isinstance(beam_size, int) or beam_size < 1:
            raise EngineSettingsError(f"beam size must be a whole number >= 1, not {beam_size!r}")
        if max_batch_tokens < 1 or max_length_ratio <= 0 or threads < 0 or inter_threads < 0:
            raise EngineSettingsError(
                "max_batch_tokens and max_length_ratio must be positive, threads and "
                "inter_threads 0 or more"
            )
        self.beam_size = beam_size
        self.device = resolve_device(device)
        self.compute_type = resolve_compute_type(compute_type, self.device)
        self.max_batch_tokens = max_batch_tokens
        self.max_length_ratio = max_length_ratio
        self.threads = threads
        self.inter_threads = inter_threads

    @property
    def options(self) -> dict[str, Any]:
        """Settings that change the output; threads and batch size do not, so they stay out."""
        return {
            "beam_size": self.beam_size,
            "compute_type": self.compute_type,
            "device": self.device,
            "length_penalty": LENGTH_PENALTY,
            "max_length_ratio": self.max_length_ratio,
            "max_tokens": ABSOLUTE_MAX_TOKENS,
        }

    @property
    def settings(self) -> dict[str, Any]:
        """Every setting, to build the same runner in another process."""
        return {
            "beam_size": self.beam_size,
            "compute_type": self.compute_type,
            "device": self.device,
            "max_batch_tokens": self.max_batch_tokens,
            "max_length_ratio": self.max_length_ratio,
            "threads": self.threads,
            "inter_threads": self.inter_threads,
        }

    def translator(self, model_dir: Path) -> Any:
        return _translator(model_dir, self.run_settings())

    def run_settings(self) -> _RunSettings:
        if self.device == "cuda":  # ctranslate2 runs one thread per GPU batch
            return _RunSettings(self.device, self.compute_type, self.inter_threads or 1, 1)
        inter, intra = split_threads(self.threads, self.inter_threads)
        return _RunSettings(self.device, self.compute_type, inter, intra)

    def translate(
        self,
        translator: Any,
        sources: Sequence[list[str]],
        *,
        target_prefix: Sequence[str] = (),
    ) -> list[Hypothesis]:
        """The best hypothesis for each token sequence, in order, in length-sorted batches.

        ``translator`` is one :meth:`translator` loaded. ``target_prefix`` (a language
        token, for multilingual models) starts every output and is removed from it. Every
        batch is queued at once, so the translator's replicas decode several in parallel
        while this thread collects finished ones. Only outputs that hit the length cap can
        depend on their batch neighbours: a beam search cut at the batch's cap may rank
        hypotheses differently than one cut later.
        """
        prefix = list(target_prefix)
        order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
        results: list[Hypothesis | None] = [None] * len(sources)
        queued = []
        for batch in self.batches(order, sources, self.budget(order, sources)):
            limit = max(self.length_cap(len(sources[i])) for i in batch)
            pending = translator.translate_batch(
                [list(sources[i]) for i in batch],
                target_prefix=[prefix for _ in batch] if prefix else None,
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                max_decoding_length=limit + len(prefix),
                # The prefix counts as decoded; a non-empty source must not come back empty.
                min_decoding_length=len(prefix) + 1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                return_scores=True,
                asynchronous=True,
            )
            queued.append((batch, pending))
        for batch, pending in queued:
            for i, async_result in zip(batch, pending, strict=True):
                result = async_result.result()
                decoded = list(result.hypotheses[0])
                # An output that reached the decoding limit has no end token, so none was scored.
                ended = 1 if len(decoded) < limit + len(prefix) else 0
                tokens = decoded
                if prefix and tokens[: len(prefix)] == prefix:
                    tokens = tokens[len(prefix) :]
                scored = len(decoded) - len(prefix) + ended
                # The batch shares its longest member's cap; hold each output to its own.
                tokens = tokens[: self.length_cap(len(sources[i]))]
                score = float(result.scores[0]) if result.scores else 0.0
                results[i] = Hypothesis(tokens, score, scored, len(decoded) + ended)
        return [r for r in results if r is not None]

    def length_cap(self, source_tokens: int) -> int:
        return min(ABSOLUTE_MAX_TOKENS, int(source_tokens * self.max_length_ratio) + 10)

    def budget(self, order: Sequence[int], sources: Sequence[Sequence[str]]) -> int:
        """The batch budget for one call: small calls are cut so every replica gets a batch.

        A Dask worker sends one chunk at a time; left whole, a chunk smaller than
        ``inter_threads`` budgets would leave replicas idle. Batches stay at least
        ``MIN_SPREAD_TOKENS``, below which a batch costs more per token than it saves.
        """
        parallel = self.run_settings().inter_threads
        if parallel <= 1:
            return self.max_batch_tokens
        padded = sum(max(len(sources[i]), 1) for i in order)
        share = -(-padded // parallel)
        return min(self.max_batch_tokens, max(MIN_SPREAD_TOKENS, share))

    def batches(
        self, order: Sequence[int], sources: Sequence[Sequence[str]], budget: int | None = None
    ) -> list[list[int]]:
        """Consecutive runs of similar-length inputs whose padded size fits the token budget."""
        budget = budget or self.max_batch_tokens
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = max(len(sources[i]), 1)
            if current and width * (len(current) + 1) > budget:
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches
