"""The contract every translation engine meets, so the pipeline never cares which one runs.

An engine is a small class with capability flags (as Weblate's machinery backends are):
``is_pseudo`` (its output is not a translation), ``carries_placeholders`` (protected names
may be sent as placeholders), ``needs_model`` (it translates with models a user installs).
What it records about itself is one record, :class:`EngineIdentity`: manifests, ``run.json``
and translation-memory keys all store that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from l10n.errors import L10nError


class MissingModelError(L10nError):
    """No installed model covers a language pair; the message names the command that fixes it."""


@dataclass(frozen=True)
class ModelInfo:
    """One model an engine translates a language pair with, as manifests record it."""

    name: str
    version: str
    sha256: str | None
    source: str
    target: str
    family: str | None = None
    license: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "from": self.source,
            "to": self.target,
        }
        if self.family:
            data["family"] = self.family
        if self.license:
            data["license"] = self.license
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelInfo:
        return cls(
            name=str(data.get("name", "")),
            version=str(data.get("version", "")),
            sha256=data.get("sha256"),
            source=str(data.get("from", "")),
            target=str(data.get("to", "")),
            family=data.get("family"),
            license=data.get("license"),
        )


@dataclass(frozen=True)
class EngineIdentity:
    """An engine as it translated: name, whether it is pseudo, the options that change its
    output and the models the recorded language pairs used (with their checksums)."""

    name: str
    pseudo: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    packages: tuple[ModelInfo, ...] = ()

    @property
    def label(self) -> str:
        """The name a person reads: ``pseudo`` says it is not a translation."""
        return self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pseudo": self.pseudo,
            "options": dict(self.options),
            "packages": [p.to_json() for p in self.packages],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EngineIdentity:
        """Raises TypeError/ValueError on a value that is not a recorded engine."""
        if not isinstance(data, Mapping) or "name" not in data:
            raise ValueError("an engine record needs a name")
        packages = data.get("packages") or []
        options = data.get("options") or {}
        if not isinstance(packages, list) or not isinstance(options, Mapping):
            raise TypeError("engine packages must be a list and options an object")
        return cls(
            name=str(data["name"]),
            pseudo=bool(data.get("pseudo", False)),
            options=dict(options),
            packages=tuple(ModelInfo.from_json(p) for p in packages if isinstance(p, Mapping)),
        )


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
