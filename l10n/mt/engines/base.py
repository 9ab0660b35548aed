"""The contract every translation engine meets, so the pipeline never cares which one runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypedDict, runtime_checkable

from l10n.errors import L10nError


class MissingModelError(L10nError):
    """No installed model covers a language pair; the message names the command that fixes it."""


# Functional form because "from" is a keyword; these are the manifest's package fields.
PackageInfo = TypedDict(
    "PackageInfo",
    {"name": str, "version": str, "sha256": str | None, "from": str, "to": str},
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

    @property
    def options(self) -> dict[str, Any]:
        """Settings that change the output; part of every translation-cache key."""
        ...

    def can_translate(self, source: str, target: str) -> bool: ...

    def route(self, source: str, target: str) -> list[tuple[str, str]]: ...

    def packages(self, source: str, target: str) -> list[PackageInfo]: ...

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]: ...


def engine_identity(engine: Engine, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The engine as manifests, run summaries and translation-memory keys record it.

    Name, pseudo or not, the options that change its output and the model packages
    the given language pairs use (with their checksums).
    """
    packages: dict[str, Any] = {}
    for source, target in sorted(set(pairs)):
        try:
            found = engine.packages(source, target)
        except MissingModelError:
            continue
        for pkg in found:
            packages[str(pkg.get("name", repr(pkg)))] = dict(pkg)
    return {
        "name": engine.name,
        "pseudo": engine.is_pseudo,
        "options": dict(engine.options),
        "packages": [packages[name] for name in sorted(packages)],
    }
