"""Which engine translates each language pair of a run, and saying so loudly when it is pseudo.

``--engine NAME`` names the engine for every pair; ``--route SRC-TGT=NAME`` overrides it for
one pair. ``auto`` is resolved pair by pair, the first time a pair is met: the first model
family with a model for it, else (after trying to download one) the pseudo engine, with a
warning that its output is not a translation. A named family is never replaced: an article
whose pair it cannot translate fails alone, with the engine's own reason and fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.errors import UsageError
from l10n.mt.engines.base import Engine, EngineIdentity, engine_identity
from l10n.mt.engines.registry import (
    AUTO,
    build_engine,
    engine_names,
    family,
    is_engine_name,
    model_families,
)
from l10n.text.languages import is_valid_code, normalise_code

Pair = tuple[str, str]
PSEUDO = "pseudo"


def describe_pairs(pairs: Iterable[Pair]) -> str:
    return ", ".join(f"{s}→{t}" for s, t in sorted(set(pairs)))


ANY_SOURCE = "*"
"""A route's source for "every source language": ``*-ko=nllb`` picks the engine of a target."""


def parse_route(text: str) -> tuple[Pair, str]:
    """``en-ko=argos`` → ((en, ko), argos), ``*-ko=nllb`` → ((*, ko), nllb); UsageError
    naming the expected form otherwise."""
    pair, sep, name = text.partition("=")
    source, dash, target = pair.strip().partition("-")
    source = source.strip() if source.strip() == ANY_SOURCE else normalise_code(source)
    target, name = normalise_code(target), name.strip()
    known_source = source == ANY_SOURCE or is_valid_code(source)
    if not (sep and dash and known_source and is_valid_code(target) and name):
        raise UsageError(
            f"route {text!r}: write it as SOURCE-TARGET=ENGINE, e.g. en-ko=argos "
            "(or *-ko=ENGINE for every source language)"
        )
    if not is_engine_name(name):
        raise UsageError(
            f"route {text!r}: unknown engine {name!r}; choose one of {', '.join(engine_names())}"
            " or a model from `l10n models list`"
        )
    return (source, target), name


def target_routes(engines: Mapping[str, str]) -> list[str]:
    """Routes (``*-ko=nllb``) for the engines chosen per target language; empty ones skipped."""
    return [f"{ANY_SOURCE}-{lang}={name}" for lang, name in engines.items() if name]


@dataclass(frozen=True)
class Routes:
    """The engine asked for: ``default`` for every pair, ``pairs`` for the named ones."""

    default: str = "argos"
    pairs: Mapping[Pair, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, default: str, routes: Iterable[str] = ()) -> Routes:
        if default != AUTO:
            family(default)  # an unknown name fails here, once
        return cls(default, dict(parse_route(r) for r in routes))

    def name_for(self, pair: Pair) -> str:
        """The pair's own route, else its target's (``*-ko``), else the default."""
        return self.pairs.get(pair) or self.pairs.get((ANY_SOURCE, pair[1]), self.default)


class RunEngines:
    """The engines of one run, built once each and chosen per language pair.

    ``settings`` are the run's decoding settings (``beam_size``, ``compute_type``,
    ``device``, ``threads`` …); each family takes those it knows. A setting the machine
    cannot honour raises ``EngineSettingsError`` when the first engine is built.
    """

    def __init__(
        self, routes: Routes, settings: Mapping[str, Any] | None = None, *, download: bool = True
    ) -> None:
        self.routes = routes
        self.settings = {k: v for k, v in (settings or {}).items() if v is not None}
        self.download = download
        self.warnings: list[str] = []
        self._built: dict[str, Engine] = {}
        self._chosen: dict[Pair, Engine] = {}

    def engine(self, name: str) -> Engine:
        if name not in self._built:
            self._built[name] = build_engine(name, self.settings)
        return self._built[name]

    def choose(self, pairs: Iterable[Pair]) -> None:
        """Choose the engine of every pair not met before."""
        new = sorted(set(pairs) - set(self._chosen))
        automatic = [p for p in new if self.routes.name_for(p) == AUTO]
        for pair in new:
            if pair not in automatic:
                self._chosen[pair] = self._narrowed(self.engine(self.routes.name_for(pair)), pair)
        if automatic:
            self._choose_automatically(automatic)
            for pair in automatic:
                self._chosen[pair] = self._narrowed(self._chosen[pair], pair)

    def _narrowed(self, engine: Engine, pair: Pair) -> Engine:
        """The engine of the one model a family picks for ``pair``, when it names one
        (``--engine nllb`` translates en→ja with the registered model ``nllb-600m``), so
        that manifests, ``run.json``, memory keys and reports name the model."""
        model_name = getattr(engine, "model_name_for", None)
        name = model_name(*pair) if callable(model_name) else None
        return self.engine(name) if isinstance(name, str) and name != engine.name else engine

    def for_pair(self, source: str, target: str) -> Engine:
        pair = (source, target)
        if pair not in self._chosen:
            self.choose([pair])
        return self._chosen[pair]

    def chosen(self) -> dict[Pair, Engine]:
        return dict(self._chosen)

    def identities(self, pairs: Iterable[Pair] | None = None) -> list[EngineIdentity]:
        """One identity per engine the given pairs (default: every chosen pair) used."""
        wanted = sorted(set(self._chosen) if pairs is None else set(pairs) & set(self._chosen))
        by_engine: dict[int, tuple[Engine, list[Pair]]] = {}
        for pair in wanted:
            engine = self._chosen[pair]
            by_engine.setdefault(id(engine), (engine, []))[1].append(pair)
        # The most used first; among equals, the one of the first pair (ja before ko).
        ranked = sorted(by_engine.values(), key=lambda item: (-len(item[1]), item[1][0]))
        return [engine_identity(engine, used) for engine, used in ranked]

    def _choose_automatically(self, pairs: list[Pair]) -> None:
        remaining = list(pairs)
        for candidate in model_families():
            engine = self.engine(candidate.name)
            for pair in [p for p in remaining if engine.can_translate(*p)]:
                self._chosen[pair] = engine
                remaining.remove(pair)
        if not remaining:
            return
        failure = ""
        if self.download:
            for candidate in model_families():
                if candidate.install is None or not remaining:
                    continue
                try:
                    candidate.install(remaining, self.settings)
                except Exception as exc:  # any download failure means: fall back, loudly
                    # The cause only: the engine's reason below says what to do.
                    failure = f"Could not download a model ({str(exc).split(' — ')[0]}). "
                    continue
                engine = self._built[candidate.name] = build_engine(candidate.name, self.settings)
                got = [p for p in remaining if engine.can_translate(*p)]
                for pair in got:
                    self._chosen[pair] = engine
                    remaining.remove(pair)
                if got:
                    self.warnings.append(
                        f"downloaded {candidate.name} models for {describe_pairs(got)}"
                    )
        if not remaining:
            return
        first = model_families()[0]
        reason = self.engine(first.name).missing_reason(remaining)
        self.warnings.append(
            f"NO TRANSLATION MODEL — using the PSEUDO engine for {describe_pairs(remaining)}: "
            f"its output is not a translation. {failure}{_capital(reason)}"
        )
        pseudo = self.engine(PSEUDO)
        for pair in remaining:
            self._chosen[pair] = pseudo


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
