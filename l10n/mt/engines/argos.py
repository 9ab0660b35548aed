"""Offline translation with installed Argos Translate packages, driven through ctranslate2.

argostranslate's own translate module pulls in stanza and torch for sentence splitting; l10n
splits sentences itself, so only the package metadata and tokenizers come from
argostranslate and the model runs on ctranslate2 directly, with the decoding options argos
uses (beam 4, ``length_penalty`` 0.2, unknowns copied from the source), but in
length-sorted batches of up to ``max_batch_tokens`` tokens instead of argostranslate's 32,
one batch per core: 3x argostranslate's speed on 2 cores (docs/speed.md).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.errors import UsageError
from l10n.mt.engines.base import MissingModelError, PackageInfo
from l10n.mt.packages import InstalledPackage, installed_packages
from l10n.text.languages import PIVOT

# Runaway repetition is the usual failure of small NMT models on odd input; cap every
# output relative to its source instead of letting it run to ctranslate2's default 256.
_ABSOLUTE_MAX_TOKENS = 256
LENGTH_PENALTY = 0.2  # argostranslate's

DEFAULT_BEAM_SIZE = 4  # argostranslate's: its published quality figures were made with it
# Measured on the published packages' shape with one batch per core (docs/speed.md): 512
# and 1024 tokens per batch were fastest at beam 4, 1024 at beam 2; 2048 took 15% longer,
# 4096 25%, 8192 twice as long and 2.7 GB of memory.
DEFAULT_MAX_BATCH_TOKENS = 1024
# Threads inside one batch: on 2 cores two single-threaded batches in parallel beat one
# batch on both cores by 35-65% at every budget (docs/speed.md), so each core decodes its own.
MAX_INTRA_THREADS = 1
# The smallest batch a call is cut into so that every parallel batch has work: 512 tokens
# cost no more per token than 1024 (docs/speed.md).
MIN_SPREAD_TOKENS = 512
DEVICES = ("cpu", "cuda", "auto")
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
    4 threads, which leaves most of a big machine idle). ``inter_threads`` 0 gives each batch up to
    ``MAX_INTRA_THREADS`` threads and runs as many batches in parallel as that leaves cores
    for (one per core while the cap is 1).
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


@dataclass
class _Loaded:
    info: InstalledPackage
    tokenizer: Any
    translator: Any

    def encode(self, text: str) -> list[str]:
        return list(self.tokenizer.encode(text))

    def decode(self, tokens: list[str]) -> str:
        from argostranslate.tokenizer import SentencePieceTokenizer

        prefix = self.info.target_prefix
        if prefix and tokens and tokens[0] == prefix:
            tokens = tokens[1:]
        if isinstance(self.tokenizer, SentencePieceTokenizer):
            # argostranslate's decode also turns "_" into spaces, which mangles
            # names like "__ja__" and any underscore in the text; decode pieces plainly.
            text = self.tokenizer.lazy_processor().decode_pieces(tokens).replace("▁", " ")
        else:
            text = self.tokenizer.decode(tokens)
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        return text[1:] if text.startswith(" ") else text


class ArgosEngine:
    """Translate with the Argos packages installed in ``packages_dir``."""

    name = "argos"
    is_pseudo = False
    # Published packages turn "⟦0⟧" into unknown pieces whose copy-through depends on the
    # model's attention; that cannot be verified offline, so the glossary post-edits instead.
    carries_placeholders = False

    def __init__(
        self,
        packages_dir: Path,
        *,
        beam_size: int = DEFAULT_BEAM_SIZE,
        compute_type: str | None = None,
        device: str = "cpu",
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        max_length_ratio: float = 3.0,
        threads: int = 0,
        inter_threads: int = 0,
    ) -> None:
        """``compute_type`` None is int8 on CPU and int8_float16 on CUDA; ``device`` auto
        takes CUDA when ctranslate2 sees a GPU. Both are resolved here, so the options (and
        every translation-memory key) name what actually runs. ``threads`` is the cores the
        model may use in this process (0: all), ``inter_threads`` how many batches run at
        once (0: measured default, see :func:`split_threads`)."""
        if not isinstance(beam_size, int) or beam_size < 1:
            raise EngineSettingsError(f"beam size must be a whole number >= 1, not {beam_size!r}")
        if max_batch_tokens < 1 or max_length_ratio <= 0 or threads < 0 or inter_threads < 0:
            raise EngineSettingsError(
                "max_batch_tokens and max_length_ratio must be positive, threads and "
                "inter_threads 0 or more"
            )
        self.packages_dir = Path(packages_dir)
        self.beam_size = beam_size
        self.device = resolve_device(device)
        self.compute_type = resolve_compute_type(compute_type, self.device)
        self.max_batch_tokens = max_batch_tokens
        self.max_length_ratio = max_length_ratio
        self.threads = threads
        self.inter_threads = inter_threads
        self._installed: dict[tuple[str, str], InstalledPackage] | None = None
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ routing

    def _packages(self) -> dict[tuple[str, str], InstalledPackage]:
        if self._installed is None:
            newest: dict[tuple[str, str], InstalledPackage] = {}
            for pkg in installed_packages(self.packages_dir):  # sorted oldest → newest
                newest[(pkg.from_code, pkg.to_code)] = pkg
            self._installed = newest
        return self._installed

    def route(self, source: str, target: str) -> list[tuple[str, str]]:
        """The package hops from ``source`` to ``target``: direct, else through English."""
        if source == target:
            return []
        installed = self._packages()
        if (source, target) in installed:
            return [(source, target)]
        hops = [(source, PIVOT), (PIVOT, target)]
        if PIVOT not in (source, target) and all(hop in installed for hop in hops):
            return hops
        if PIVOT in (source, target):
            missing = [(source, target)]
        else:
            missing = [hop for hop in hops if hop not in installed]
        needed = sorted({code for hop in missing for code in hop if code != PIVOT})
        raise MissingModelError(
            f"no Argos package for {source}→{target} in {self.packages_dir} "
            f"(missing {', '.join(f'{a}→{b}' for a, b in missing)}) "
            f"— run `l10n models install {' '.join(needed)}`"
        )

    def can_translate(self, source: str, target: str) -> bool:
        try:
            self.route(source, target)
        except MissingModelError:
            return False
        return True

    def packages(self, source: str, target: str) -> list[PackageInfo]:
        installed = self._packages()
        return [
            PackageInfo(**installed[hop].manifest_entry())  # type: ignore[typeddict-item]
            for hop in self.route(source, target)
        ]

    # ------------------------------------------------------------ translation

    def _load(self, hop: tuple[str, str]) -> _Loaded:
        with self._lock:
            if hop not in self._loaded:
                from argostranslate.package import Package

                info = self._packages()[hop]
                pkg = Package(info.path)
                tokenizer = getattr(pkg, "tokenizer", None)
                if tokenizer is None:
                    raise MissingModelError(
                        f"{info.path}: package has no sentencepiece.model or bpe.model — "
                        f"reinstall it with `l10n models install {info.to_code}`"
                    )
                translator = _translator(info.path / "model", self._run_settings())
                self._loaded[hop] = _Loaded(info, tokenizer, translator)
            return self._loaded[hop]

    def _run_settings(self) -> _RunSettings:
        if self.device == "cuda":  # ctranslate2 runs one thread per GPU batch
            return _RunSettings(self.device, self.compute_type, self.inter_threads or 1, 1)
        inter, intra = split_threads(self.threads, self.inter_threads)
        return _RunSettings(self.device, self.compute_type, inter, intra)

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate ``texts`` in order; blank strings come back unchanged, unmodelled."""
        hops = self.route(source, target)
        out = list(texts)
        for hop in hops:
            out = self._translate_hop(out, self._load(hop))
        return out

    def _translate_hop(self, texts: list[str], loaded: _Loaded) -> list[str]:
        """One package over ``texts``, in batches of similar length (less padding, faster).

        Every batch is queued at once, so ctranslate2's replicas (``inter_threads``) decode
        several in parallel while this thread decodes finished ones. Only outputs that hit
        the length cap can depend on their batch neighbours: a beam search cut at the
        batch's cap may rank hypotheses differently than one cut later.
        """
        results = [text if not text.strip() else "" for text in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        tokens = {i: loaded.encode(texts[i].strip()) for i in todo}
        todo.sort(key=lambda i: len(tokens[i]))
        prefix = loaded.info.target_prefix
        queued = []
        for batch in self._batches(todo, tokens, self._budget(todo, tokens)):
            limit = max(self._length_cap(len(tokens[i])) for i in batch)
            pending = loaded.translator.translate_batch(
                [tokens[i] for i in batch],
                target_prefix=[[prefix] for _ in batch] if prefix else None,
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                max_decoding_length=limit + (1 if prefix else 0),
                # The prefix counts as decoded; a non-empty source must not come back empty.
                min_decoding_length=2 if prefix else 1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                asynchronous=True,
            )
            queued.append((batch, pending))
        for batch, pending in queued:
            for i, result in zip(batch, pending, strict=True):
                # The batch shares its longest member's cap; hold each output to its own.
                own = self._length_cap(len(tokens[i])) + (1 if prefix else 0)
                results[i] = loaded.decode(result.result().hypotheses[0][:own])
        return results

    @property
    def options(self) -> dict[str, Any]:
        """Settings that change the output; threads and batch size do not, so they stay out."""
        return {
            "beam_size": self.beam_size,
            "compute_type": self.compute_type,
            "device": self.device,
            "length_penalty": LENGTH_PENALTY,
            "max_length_ratio": self.max_length_ratio,
            "max_tokens": _ABSOLUTE_MAX_TOKENS,
        }

    def _length_cap(self, source_tokens: int) -> int:
        return min(_ABSOLUTE_MAX_TOKENS, int(source_tokens * self.max_length_ratio) + 10)

    def _budget(self, order: list[int], tokens: dict[int, list[str]]) -> int:
        """The batch budget for one call: small calls are cut so every replica gets a batch.

        A Dask worker sends one chunk at a time; left whole, a chunk smaller than
        ``inter_threads`` budgets would leave replicas idle. Batches stay at least
        ``MIN_SPREAD_TOKENS``, below which a batch costs more per token than it saves.
        """
        parallel = self._run_settings().inter_threads
        if parallel <= 1:
            return self.max_batch_tokens
        padded = sum(max(len(tokens[i]), 1) for i in order)
        share = -(-padded // parallel)
        return min(self.max_batch_tokens, max(MIN_SPREAD_TOKENS, share))

    def _batches(
        self, order: list[int], tokens: dict[int, list[str]], budget: int | None = None
    ) -> list[list[int]]:
        """Consecutive runs of similar-length inputs whose padded size fits the token budget."""
        budget = budget or self.max_batch_tokens
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = max(len(tokens[i]), 1)
            if current and width * (len(current) + 1) > budget:
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches
