"""Offline translation with installed Argos Translate packages, driven through ctranslate2.

argostranslate's own translate module pulls in stanza and torch for sentence splitting; l10n
splits sentences itself, so only the package metadata and tokenizers come from
argostranslate and the model runs on ctranslate2 directly, with the decoding options argos
uses (beam search, ``length_penalty`` 0.2, unknowns copied from the source).
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

from l10n.mt.engines.base import MissingModelError, PackageInfo
from l10n.mt.packages import InstalledPackage, installed_packages
from l10n.text.languages import PIVOT

# Runaway repetition is the usual failure of small NMT models on odd input; cap every
# output relative to its source instead of letting it run to ctranslate2's default 256.
_ABSOLUTE_MAX_TOKENS = 256

_M_TRIM_THRESHOLD = -1  # glibc mallopt parameters
_M_MMAP_THRESHOLD = -3

_translators: dict[tuple[str, int], Any] = {}
_translators_lock = threading.Lock()


def _translator(model_dir: Path, threads: int) -> Any:
    """One ctranslate2.Translator per model folder per process: loading costs ~1 s and ~300 MB."""
    import ctranslate2

    key = (str(model_dir.resolve()), threads)
    with _translators_lock:
        if key not in _translators:
            _restore_malloc_thresholds(os.environ)
            _translators[key] = ctranslate2.Translator(
                str(model_dir), device="cpu", inter_threads=1, intra_threads=threads
            )
        return _translators[key]


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
        beam_size: int = 2,
        max_batch_tokens: int = 1024,
        max_length_ratio: float = 3.0,
        threads: int = 0,
    ) -> None:
        self.packages_dir = Path(packages_dir)
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.max_length_ratio = max_length_ratio
        self.threads = threads
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
                translator = _translator(info.path / "model", self.threads)
                self._loaded[hop] = _Loaded(info, tokenizer, translator)
            return self._loaded[hop]

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate ``texts`` in order; blank strings come back unchanged, unmodelled."""
        hops = self.route(source, target)
        out = list(texts)
        for hop in hops:
            out = self._translate_hop(out, self._load(hop))
        return out

    def _translate_hop(self, texts: list[str], loaded: _Loaded) -> list[str]:
        """One package over ``texts``, in batches of similar length (less padding, faster).

        Only outputs that hit the length cap can depend on their batch neighbours: a beam
        search cut at the batch's cap may rank hypotheses differently than one cut later.
        """
        results = [text if not text.strip() else "" for text in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        tokens = {i: loaded.encode(texts[i].strip()) for i in todo}
        todo.sort(key=lambda i: len(tokens[i]))
        prefix = loaded.info.target_prefix
        for batch in self._batches(todo, tokens):
            limit = max(self._length_cap(len(tokens[i])) for i in batch)
            hypotheses = loaded.translator.translate_batch(
                [tokens[i] for i in batch],
                target_prefix=[[prefix] for _ in batch] if prefix else None,
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens,
                batch_type="tokens",
                max_decoding_length=limit + (1 if prefix else 0),
                # The prefix counts as decoded; a non-empty source must not come back empty.
                min_decoding_length=2 if prefix else 1,
                length_penalty=0.2,
                replace_unknowns=True,
            )
            for i, result in zip(batch, hypotheses, strict=True):
                # The batch shares its longest member's cap; hold each output to its own.
                own = self._length_cap(len(tokens[i])) + (1 if prefix else 0)
                results[i] = loaded.decode(result.hypotheses[0][:own])
        return results

    @property
    def options(self) -> dict[str, Any]:
        """Decoding settings that change the output (threads and batching do not)."""
        return {"beam_size": self.beam_size, "max_length_ratio": self.max_length_ratio}

    def _length_cap(self, source_tokens: int) -> int:
        return min(_ABSOLUTE_MAX_TOKENS, int(source_tokens * self.max_length_ratio) + 10)

    def _batches(self, order: list[int], tokens: dict[int, list[str]]) -> list[list[int]]:
        """Consecutive runs of similar-length inputs whose padded size fits the token budget."""
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = max(len(tokens[i]), 1)
            if current and width * (len(current) + 1) > self.max_batch_tokens:
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches
