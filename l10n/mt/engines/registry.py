"""Engine families by name: the one list the CLI, the run form and the pipeline read.

A family is one module that defines its engine class and registers a :class:`Family`; this
module imports the built-in ones on first use, and any installed distribution can add more
through the ``l10n.engines`` entry-point group (each entry point names a module that
registers its family when imported). ``--engine`` choices, the form's drop-down and the
``auto`` rule are all derived from what is registered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from l10n.errors import UsageError
from l10n.mt.engines.base import Engine

AUTO = "auto"
"""Not a family: per language pair, the first model family that has a model, else pseudo."""
ENTRY_POINT_GROUP = "l10n.engines"
_BUILTIN = (
    "l10n.mt.engines.argos",
    "l10n.mt.engines.pseudo",
    "l10n.mt.engines.provided",
    "l10n.mt.engines.quickmt",
    "l10n.mt.engines.opusmt",
    "l10n.mt.engines.nllb",
    "l10n.mt.engines.m2m100",
)


class UnknownEngineError(UsageError):
    """An engine name no family is registered under."""


@dataclass(frozen=True)
class Family:
    """An engine family: how to build its engine from settings, and what a user reads of it.

    ``build`` takes the run's engine settings (``beam_size``, ``compute_type``, ``device``,
    ``threads`` and the family's own) and ignores those it has no use for. ``selectable``
    families can be asked for with ``--engine``; ``provided`` is chosen per article instead.
    ``needs_model`` families are the ones ``auto`` tries, in registration order, and
    ``install`` (optional) fetches what a list of language pairs lacks.
    """

    name: str
    build: Callable[[Mapping[str, Any]], Engine]
    summary: str
    selectable: bool = True
    needs_model: bool = True
    install: Callable[[Iterable[tuple[str, str]], Mapping[str, Any]], None] | None = None


_families: dict[str, Family] = {}
_loaded = False


def register(family: Family) -> Family:
    """Add (or replace) a family; returns it, so a module can keep ``FAMILY = register(…)``."""
    _families[family.name] = family
    return family


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN:
        importlib.import_module(module)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        importlib.import_module(point.value.split(":")[0])


def families() -> list[Family]:
    _load()
    return list(_families.values())


def family(name: str, models_dir: str | None = None) -> Family:
    """The family ``name``, or a registered model's (``l10n models add``) limited to it."""
    _load()
    if name in _families:
        return _families[name]
    model = _registered_model(name, models_dir)
    if model is not None:
        return model
    raise UnknownEngineError(
        f"unknown engine {name!r}: choose one of {', '.join(engine_names())}, "
        "or a model name from `l10n models list`"
    )


def is_engine_name(name: str) -> bool:
    """Whether ``--engine``/``--route`` accept ``name``: a family, ``auto`` or a model."""
    if name == AUTO:
        return True
    try:
        family(name)
    except UnknownEngineError:
        return False
    return True


def _registered_model(name: str, models_dir: str | None = None) -> Family | None:
    from pathlib import Path

    from l10n.mt.engines.ct2store import find_model

    model = find_model(name, Path(models_dir) if models_dir else None)
    if model is None or model.family not in _families:
        return None
    base = _families[model.family]

    def build(settings: Mapping[str, Any]) -> Engine:
        return base.build({**settings, "model": name})

    return Family(name, build, f"the registered {model.family} model {name}")


def engine_names() -> tuple[str, ...]:
    """What ``--engine`` and the run form offer: every selectable family, then ``auto``."""
    return (*(f.name for f in families() if f.selectable), AUTO)


def model_names() -> tuple[str, ...]:
    """The models ``l10n models add`` registered (in the default models folder) whose family
    is known, by name: what the run form offers beside the families."""
    from l10n.mt.engines.ct2store import list_models

    _load()
    try:
        models = list_models()
    except OSError:  # an unreadable models folder offers no model, as an empty one
        return ()
    return tuple(m.name for m in models if m.family in _families and m.name not in _families)


def model_families() -> list[Family]:
    """The families ``auto`` tries, in registration order."""
    return [f for f in families() if f.selectable and f.needs_model]


def build_engine(name: str, settings: Mapping[str, Any] | None = None) -> Engine:
    """The engine of family ``name`` with the given settings (unset ones at their defaults)."""
    given = {k: v for k, v in (settings or {}).items() if v is not None}
    return family(name, given.get("models_dir")).build(given)


@dataclass(frozen=True)
class EngineSpec:
    """A picklable recipe for an engine, rebuilt once per worker process.

    It carries every setting of the engine, so a worker's translations (and the memory
    keys made from its options) are the ones the run asked for.
    """

    family: str
    settings: tuple[tuple[str, Any], ...] = ()


def spec_of(engine: Engine) -> EngineSpec:
    return EngineSpec(engine.name, tuple(sorted(engine.settings.items())))


@lru_cache(maxsize=16)
def engine_from_spec(spec: EngineSpec) -> Engine:
    """The engine for ``spec``; cached, so each process loads its models once."""
    return build_engine(spec.family, dict(spec.settings))
