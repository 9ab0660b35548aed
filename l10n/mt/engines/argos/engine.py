"""Offline translation with installed Argos Translate packages, on the shared CTranslate2 runner.

argostranslate's own translate module pulls in stanza and torch for sentence splitting; l10n
splits sentences itself, so only the package metadata and tokenizers come from
argostranslate, and the model runs on :class:`~l10n.mt.engines.ct2.CT2Runner` with the
decoding options argos uses (beam 4, ``length_penalty`` 0.2, unknowns copied from the
source). A pair without its own package goes through English (ko→ja as ko→en→ja).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.mt.engines.argos.packages import (
    PINNED,
    InstalledPackage,
    default_packages_dir,
    installed_packages,
)
from l10n.mt.engines.base import MissingModelError, ModelInfo
from l10n.mt.engines.ct2engine import CT2Engine
from l10n.text.languages import PIVOT, is_valid_code

NAME = "argos"


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
        if isinstance(self.tokenizer, SentencePieceTokenizer):
            # argostranslate's decode also turns "_" into spaces, which mangles
            # names like "__ja__" and any underscore in the text; decode pieces plainly.
            text = str(self.tokenizer.lazy_processor().decode_pieces(tokens)).replace("▁", " ")
        else:
            text = str(self.tokenizer.decode(tokens))
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        return text[1:] if text.startswith(" ") else text


def languages_to_install(pairs: Iterable[tuple[str, str]]) -> list[str]:
    langs: set[str] = set()
    for source, target in pairs:
        langs.update(code for code in (source, target) if code != PIVOT and is_valid_code(code))
    return sorted(langs)


def install_command(pairs: Iterable[tuple[str, str]]) -> str:
    """The one command that installs what ``pairs`` need (it says what to do offline)."""
    return f"l10n models install {' '.join(languages_to_install(pairs))}"


def offline_files(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The ``.argosmodel`` file names ``pairs`` need (pinned names where known)."""
    names = []
    for source, target in sorted(set(pairs)):
        stem = f"translate-{source}_{target}-"
        pinned = sorted(name for name in PINNED if name.startswith(stem))
        names += pinned or [f"{stem}VERSION.argosmodel"]
    return names


TRY_NOW = (
    "or, to try the pipeline without a model, use `--engine auto` (pseudo where no model "
    "is installed) or `--engine pseudo`"
)


def install_advice(pairs: Iterable[tuple[str, str]]) -> str:
    """How to get what ``pairs`` lack: online, offline from files, or not at all for now."""
    pairs = sorted(set(pairs))
    files = " ".join(f"--file {name}" for name in offline_files(pairs))
    return (
        f"run `{install_command(pairs)}` (offline: download the files elsewhere and run "
        f"`l10n models install {files}`), {TRY_NOW}"
    )


def _pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{s}→{t}" for s, t in pairs)


class ArgosEngine(CT2Engine):
    """Translate with the Argos packages installed in ``packages_dir``.

    The decoding settings (``beam_size``, ``compute_type``, ``device``, ``threads`` …),
    ``options`` and ``settings`` are :class:`~l10n.mt.engines.ct2engine.CT2Engine`'s.
    """

    name = NAME
    folder_setting = "packages_dir"

    def __init__(self, packages_dir: Path | str | None = None, **runner: Any) -> None:
        super().__init__(Path(packages_dir) if packages_dir else default_packages_dir(), runner)
        self._installed: dict[tuple[str, str], InstalledPackage] | None = None
        self._loaded: dict[tuple[str, str], _Loaded] = {}

    @property
    def packages_dir(self) -> Path:
        return self.folder

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
        missing = [(source, target)] if PIVOT in (source, target) else hops
        missing = [hop for hop in missing if hop not in installed]
        raise MissingModelError(
            f"no Argos package for {source}→{target} in {self.packages_dir} "
            f"(missing {_pairs(missing)}) — {install_advice(missing)}"
        )

    def missing_hops(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """The packages ``pairs`` lack: the pair itself, or the legs through the pivot that
        are not installed (Argos translates ko→ja as ko→en→ja)."""
        installed = self._packages()
        hops: set[tuple[str, str]] = set()
        for source, target in pairs:
            if PIVOT in (source, target):
                hops.add((source, target))
                continue
            legs = [(source, PIVOT), (PIVOT, target)]
            hops.update(leg for leg in legs if leg not in installed)
        return sorted(hops)

    def can_translate(self, source: str, target: str) -> bool:
        try:
            self.route(source, target)
        except MissingModelError:
            return False
        return True

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        pairs = sorted(set(pairs))
        return (
            f"no Argos package for {_pairs(pairs)} in {self.packages_dir} — "
            f"{install_advice(self.missing_hops(pairs))}"
        )

    def models(self, source: str, target: str) -> list[ModelInfo]:
        installed = self._packages()
        return [installed[hop].model_info() for hop in self.route(source, target)]

    def threshold(self, source: str, target: str) -> float | None:
        """The package's ``low-confidence`` threshold (``models set --threshold``).

        Through the pivot the score is the sum of the legs' (:func:`pivot_score`), so the
        threshold is the sum of theirs, and none unless both legs have one.
        """
        installed = self._packages()
        limits = [installed[hop].threshold for hop in self.route(source, target)]
        if not limits or any(limit is None for limit in limits):
            return None
        return sum(limit for limit in limits if limit is not None)

    # ------------------------------------------------------------ translation

    def _load(self, hop: tuple[str, str]) -> _Loaded:
        with self._lock:
            if hop not in self._loaded:
                from argostranslate.package import Package

                info = self._packages()[hop]
                tokenizer = getattr(Package(info.path), "tokenizer", None)
                if tokenizer is None:
                    raise MissingModelError(
                        f"{info.path}: package has no sentencepiece.model or bpe.model — "
                        f"reinstall it with `l10n models install {info.to_code}`"
                    )
                translator = self.runner.translator(info.path / "model")
                self._loaded[hop] = _Loaded(info, tokenizer, translator)
            return self._loaded[hop]

    def translate_scored(
        self, texts: list[str], source: str, target: str
    ) -> list[tuple[str, float | None]]:
        """Each text's translation and the model's mean log-probability per output token.

        Through the pivot (ko→en→ja) the score is the sum of the two legs' scores: the
        log of the chance, per token, that both legs chose well, so a pivoted segment is
        never rated more confident than either leg (docs/engines.md). Blank strings come
        back unchanged, with no score.
        """
        out: list[tuple[str, float | None]] = [(text, None) for text in texts]
        for hop in self.route(source, target):
            leg = self._translate_hop([text for text, _ in out], self._load(hop))
            out = [
                (text, pivot_score(before, score))
                for (_, before), (text, score) in zip(out, leg, strict=True)
            ]
        return out

    def _translate_hop(self, texts: list[str], loaded: _Loaded) -> list[tuple[str, float | None]]:
        results: list[tuple[str, float | None]] = [
            (text if not text.strip() else "", None) for text in texts
        ]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        prefix = [loaded.info.target_prefix] if loaded.info.target_prefix else []
        hypotheses = self.runner.translate(
            loaded.translator,
            [loaded.encode(texts[i].strip()) for i in todo],
            target_prefix=prefix,
        )
        for i, hypothesis in zip(todo, hypotheses, strict=True):
            results[i] = (loaded.decode(hypothesis.tokens), hypothesis.per_token)
        return results


def pivot_score(first: float | None, second: float | None) -> float | None:
    """The score of a translation made in legs: the sum of the legs that were scored.

    Mean log-probabilities per token add up to the log of the chance that every leg chose
    well (as if the legs erred independently): an output both legs were unsure of ranks
    below one only a single leg was unsure of, which the lower of the two would not tell.
    A leg whose input was blank scored nothing and adds nothing.
    """
    if first is None:
        return second
    if second is None:
        return first
    return first + second


def build(settings: Mapping[str, Any]) -> ArgosEngine:
    return ArgosEngine(**ArgosEngine.known_settings(settings))


def install(pairs: Iterable[tuple[str, str]], settings: Mapping[str, Any]) -> None:
    """Download and install the packages ``pairs`` lack (``auto`` does this before pseudo)."""
    from l10n.mt.engines.argos.packages import install_languages

    engine = build(settings)
    install_languages(
        languages_to_install(engine.missing_hops(pairs)),
        engine.packages_dir,
    )
