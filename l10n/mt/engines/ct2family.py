"""CTranslate2 model families beyond Argos: what each layout needs, and the engine they share.

A family module (``quickmt``, ``opusmt``, ``nllb``, ``m2m100``) defines a :class:`Layout`:
the files that identify it, the languages its vocabulary names, and a :class:`Codec` that
turns text into the model's source tokens, names the target prefix and turns output
tokens back into text. :class:`CT2FamilyEngine` does the rest for every family: it finds
the registered model for a pair (``l10n models add``), runs it on the shared
:class:`~l10n.mt.engines.ct2.CT2Runner` and records the model in the engine's identity.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.mt.engines.base import MissingModelError, ModelInfo
from l10n.mt.engines.ct2engine import CT2Engine
from l10n.mt.engines.ct2engine import Pair as Pair
from l10n.mt.engines.ct2files import ModelFilesError, read_config

# Tokens no reader may see: sentence ends, starts, padding and unknowns.
SPECIAL_TOKENS = frozenset({"<s>", "</s>", "<pad>", "<unk>", "<mask>"})
SPM_SPACE = "▁"


class Codec(ABC):
    """Text to a model's tokens and back, for one loaded model folder."""

    @abstractmethod
    def source_tokens(self, text: str, source: str, target: str) -> list[str]:
        """The tokens the encoder reads for ``text`` (language tokens and ``</s>`` included)."""

    def target_prefix(self, target: str) -> list[str]:
        """Tokens every output starts with (a language token); removed from the output."""
        return []

    @abstractmethod
    def detokenize(self, tokens: list[str]) -> str:
        """Readable text: no language token, ``</s>`` or sentencepiece mark left."""


def spm_processor(path: Path) -> Any:
    """A loaded sentencepiece model; ModelFilesError naming the file when it won't load."""
    import sentencepiece as spm

    if not path.is_file():
        raise ModelFilesError(f"{path}: missing")
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ModelFilesError(f"{path}: not a sentencepiece model ({exc})") from None


def pieces_to_text(processor: Any, tokens: list[str], drop: Iterable[str] = ()) -> str:
    """Sentencepiece pieces back to text, without special or language tokens or ``▁``."""
    dropped = SPECIAL_TOKENS | set(drop)
    kept = [t for t in tokens if t not in dropped]
    text = str(processor.decode_pieces(kept)) if kept else ""
    return text.replace(SPM_SPACE, " ").strip()


class Layout(ABC):
    """How one family's published model folders look and are tokenized."""

    family: str
    summary: str
    license: str
    """The licence of the family's published models, unless ``models add --license`` says."""
    multilingual: bool = False
    files: tuple[str, ...] = ("model.bin", "config.json")
    """Files every model of the family has (vocabulary files are checked by ``check``)."""

    @abstractmethod
    def claims(self, folder: Path, target_vocabulary: list[str]) -> bool:
        """Whether ``folder`` looks like this family's (its distinctive files and tokens)."""

    def missing_files(self, folder: Path) -> list[str]:
        return [name for name in self.files if not (folder / name).is_file()]

    def languages(self, target_vocabulary: list[str]) -> dict[str, str]:
        """Language code → language token, for multilingual families; empty otherwise."""
        return {}

    def check_pair(self, folder: Path, pair: Pair, target_vocabulary: list[str]) -> None:
        """Raise ModelFilesError when a bilingual model's vocabulary cannot serve ``pair``."""
        return None

    def check_config(self, folder: Path, config: Mapping[str, Any]) -> None:
        """Raise ModelFilesError when ``config.json`` lacks what this layout relies on."""
        for key in ("eos_token", "unk_token", "decoder_start_token"):
            if key not in config:
                raise ModelFilesError(f"{folder / 'config.json'}: no {key!r} key")
        if config.get("add_source_bos") or config.get("add_source_eos"):
            raise ModelFilesError(
                f"{folder / 'config.json'}: add_source_bos/add_source_eos are set, but "
                f"{self.family} adds its own tokens; convert the model as docs/engines.md says"
            )

    @abstractmethod
    def codec(self, folder: Path, languages: Mapping[str, str]) -> Codec:
        """Load the tokenizers of ``folder`` (raises ModelFilesError naming a bad file)."""


@dataclass(frozen=True)
class RegisteredModel:
    """A model folder ``l10n models add`` stored: what it is and what it translates."""

    name: str
    family: str
    path: Path
    license: str
    sha256: str
    files: Mapping[str, str]
    size: int
    languages: Mapping[str, str]
    """Language code → language token, for multilingual models."""
    pairs: tuple[Pair, ...] = ()
    """The pairs it translates; empty for a multilingual model registered for every pair."""
    threshold: float | None = None
    """Segments scoring below this are flagged ``low-confidence`` (``models add --threshold``)."""

    def translates(self, source: str, target: str) -> bool:
        if source == target:
            return False
        if self.pairs:
            return (source, target) in self.pairs
        return source in self.languages and target in self.languages

    def model_info(self, source: str, target: str) -> ModelInfo:
        return ModelInfo(self.name, "", self.sha256, source, target, self.family, self.license)

    @property
    def non_commercial(self) -> bool:
        text = self.license.upper().replace(" ", "-")
        return "-NC" in text or "NON-COMMERCIAL" in text or "NONCOMMERCIAL" in text

    def describe_pairs(self) -> str:
        if self.pairs:
            return ", ".join(f"{s}→{t}" for s, t in self.pairs)
        return f"any direction between {', '.join(sorted(self.languages))}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "license": self.license,
            "sha256": self.sha256,
            "files": dict(sorted(self.files.items())),
            "size": self.size,
            "languages": dict(sorted(self.languages.items())),
            "pairs": [f"{s}-{t}" for s, t in self.pairs],
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], path: Path) -> RegisteredModel:
        pairs = []
        for text in data.get("pairs") or []:
            source, _, target = str(text).partition("-")
            pairs.append((source, target))
        threshold = data.get("threshold")
        return cls(
            name=str(data["name"]),
            family=str(data["family"]),
            path=path,
            license=str(data.get("license") or ""),
            sha256=str(data.get("sha256") or ""),
            files={str(k): str(v) for k, v in (data.get("files") or {}).items()},
            size=int(data.get("size") or 0),
            languages={str(k): str(v) for k, v in (data.get("languages") or {}).items()},
            pairs=tuple(pairs),
            threshold=float(threshold) if threshold is not None else None,
        )


LAYOUTS: dict[str, Layout] = {}


def add_layout(layout: Layout) -> Layout:
    LAYOUTS[layout.family] = layout
    return layout


class CT2FamilyEngine(CT2Engine):
    """Translate with the registered models of one family (or with one named model).

    ``only`` limits the engine to one registered model: ``--engine NAME`` for a model.
    A pair goes to the first model (by name) that translates it; there is no pivot here,
    and a multilingual model translates ko→ja directly. Runner settings, ``options`` and
    ``settings`` are :class:`~l10n.mt.engines.ct2engine.CT2Engine`'s.
    """

    folder_setting = "models_dir"

    def __init__(
        self,
        layout: Layout,
        *,
        only: str | None = None,
        models_dir: Path | str | None = None,
        **runner: Any,
    ) -> None:
        from l10n.mt.engines.ct2store import default_models_dir

        super().__init__(Path(models_dir) if models_dir else default_models_dir(), runner)
        self.layout = layout
        self.only = only
        self.name = only or layout.family
        self._models: list[RegisteredModel] | None = None
        self._loaded: dict[str, tuple[Codec, Any]] = {}

    @property
    def models_dir(self) -> Path:
        return self.folder

    def registered(self) -> list[RegisteredModel]:
        if self._models is None:
            from l10n.mt.engines.ct2store import list_models

            found = [m for m in list_models(self.models_dir) if m.family == self.layout.family]
            if self.only is not None:
                found = [m for m in found if m.name == self.only]
            self._models = found
        return self._models

    def model_for(self, source: str, target: str) -> RegisteredModel:
        for model in self.registered():
            if model.translates(source, target):
                return model
        raise MissingModelError(self.missing_reason([(source, target)]))

    def can_translate(self, source: str, target: str) -> bool:
        return any(m.translates(source, target) for m in self.registered())

    def model_name_for(self, source: str, target: str) -> str | None:
        """The registered model this family translates ``source``→``target`` with, if any."""
        for model in self.registered():
            if model.translates(source, target):
                return model.name
        return None

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [self.model_for(source, target).model_info(source, target)]

    def threshold(self, source: str, target: str) -> float | None:
        return self.model_for(source, target).threshold

    def missing_reason(self, pairs: Iterable[Pair]) -> str:
        listed = sorted(set(pairs))
        wanted = ", ".join(f"{s}→{t}" for s, t in listed)
        example = listed[0] if listed else ("en", "ja")
        if self.only is not None:
            known = self.registered()
            if not known:
                return (
                    f"no registered model named {self.only!r} in {self.models_dir} — "
                    f"run `l10n models add DIR --name {self.only}`"
                )
            return (
                f"model {self.only} does not translate {wanted} (it translates "
                f"{known[0].describe_pairs()}) — choose another for that pair, e.g. "
                f"`--route {example[0]}-{example[1]}=argos`"
            )
        return (
            f"no {self.layout.family} model for {wanted} in {self.models_dir} — run "
            f"`l10n models add DIR --pair {example[0]}-{example[1]}` with a converted "
            f"{self.layout.family} model folder (docs/engines.md)"
        )

    def _load(self, model: RegisteredModel) -> tuple[Codec, Any]:
        with self._lock:
            if model.name not in self._loaded:
                try:
                    read_config(model.path)
                    codec = self.layout.codec(model.path, model.languages)
                except ModelFilesError as exc:
                    raise MissingModelError(
                        f"registered model {model.name} is damaged: {exc} — run "
                        f"`l10n models remove {model.name}` and add it again"
                    ) from exc
                self._loaded[model.name] = (codec, self.runner.translator(model.path))
            return self._loaded[model.name]

    def translate_scored(
        self, texts: list[str], source: str, target: str
    ) -> list[tuple[str, float | None]]:
        """Each text's translation and the model's mean log-probability per output token.

        Blank strings come back unchanged, with no score.
        """
        model = self.model_for(source, target)
        codec, translator = self._load(model)
        results: list[tuple[str, float | None]] = [(t, None) for t in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        hypotheses = self.runner.translate(
            translator,
            [codec.source_tokens(texts[i].strip(), source, target) for i in todo],
            target_prefix=codec.target_prefix(target),
        )
        for i, hypothesis in zip(todo, hypotheses, strict=True):
            results[i] = (codec.detokenize(hypothesis.tokens), hypothesis.per_token)
        return results


def build_family(layout: Layout, settings: Mapping[str, Any]) -> CT2FamilyEngine:
    known = CT2FamilyEngine.known_settings(settings)
    return CT2FamilyEngine(layout, only=settings.get("model"), **known)


def register_layout(layout: Layout) -> Layout:
    """Add the layout, and its family to the engine registry (``--engine FAMILY``)."""
    from l10n.mt.engines.registry import Family, register

    add_layout(layout)

    def build(settings: Mapping[str, Any]) -> CT2FamilyEngine:
        return build_family(layout, settings)

    register(Family(layout.family, build, layout.summary))
    return layout
