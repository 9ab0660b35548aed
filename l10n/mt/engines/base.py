"""The contract every translation engine meets, so the pipeline never cares which one runs."""

from __future__ import annotations

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
