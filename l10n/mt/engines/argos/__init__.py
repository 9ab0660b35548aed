"""The Argos Translate family: installed ``.argosmodel`` packages, and their installer."""

from __future__ import annotations

from l10n.mt.engines.argos.engine import ArgosEngine, build, install
from l10n.mt.engines.registry import Family, register

FAMILY = register(
    Family(
        name="argos",
        build=build,
        summary="Argos Translate packages installed with `l10n models install`; never a fallback",
        install=install,
    )
)

__all__ = ["FAMILY", "ArgosEngine"]
