"""Choosing the engine for a run, and saying so loudly when it is not a real model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from l10n.mt.engines.base import Engine
from l10n.mt.engines.pseudo import PseudoEngine
from l10n.text.languages import PIVOT, is_valid_code

ENGINE_NAMES = ("argos", "pseudo", "auto")
"""Engines a run can be asked for; ``provided`` is chosen per article, never asked for."""


@dataclass
class EngineChoice:
    """The engine for a run, or why there is none (``error``)."""

    engine: Engine | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def missing_pairs(engine: Engine, pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(p for p in pairs if not engine.can_translate(*p))


def _languages_to_install(pairs: Iterable[tuple[str, str]]) -> list[str]:
    langs: set[str] = set()
    for source, target in pairs:
        langs.update(code for code in (source, target) if code != PIVOT and is_valid_code(code))
    return sorted(langs)


def install_command(pairs: Iterable[tuple[str, str]]) -> str:
    """The one command that installs what ``pairs`` need (it says what to do offline)."""
    return f"l10n models install {' '.join(_languages_to_install(pairs))}"


def missing_hops(engine: Engine, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The packages ``pairs`` lack: the pair itself, or the legs through the pivot that
    are not installed (Argos translates ko→ja as ko→en→ja)."""
    hops: set[tuple[str, str]] = set()
    for source, target in pairs:
        if PIVOT in (source, target):
            hops.add((source, target))
            continue
        legs = [(source, PIVOT), (PIVOT, target)]
        hops.update(leg for leg in legs if not engine.can_translate(*leg))
    return sorted(hops)


def missing_model_reason(engine: Engine, pairs: Iterable[tuple[str, str]]) -> str:
    """Why an article whose language ``pairs`` have no model fails, with the one command
    that fixes it (built as the ``auto`` fallback warning builds it)."""
    pairs = sorted(set(pairs))
    where = getattr(engine, "packages_dir", None)
    place = f" in {where}" if where else ""
    command = install_command(missing_hops(engine, pairs))
    return f"no Argos package for {_pairs(pairs)}{place} — run `{command}`"


def select_engine(
    name: str,
    pairs: set[tuple[str, str]],
    *,
    packages_dir: Path | None = None,
    index_url: str | None = None,
    download: bool = True,
    threads: int = 0,
    settings: Mapping[str, Any] | None = None,
) -> EngineChoice:
    """Build the engine for a run whose first articles need ``pairs`` (source, target).

    ``argos`` never falls back: an article whose pair has no package fails alone, with
    a reason naming the fix (see ``l10n.mt.translate.unavailable_pairs``).
    ``auto`` uses argos when its packages for ``pairs`` are installed or can be
    downloaded, otherwise the pseudo engine, with a warning that the output is not a
    translation. ``threads`` is the model's threads per process (0: all cores); several
    processes on one machine (Dask workers) should share the cores between them.
    ``settings`` are the Argos engine's decoding settings (``beam_size``, ``compute_type``,
    ``device``); a setting the machine cannot honour raises ``EngineSettingsError``.
    """
    if name == "pseudo":
        return EngineChoice(PseudoEngine())
    if name not in ENGINE_NAMES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")

    from l10n.mt.engines.argos import ArgosEngine
    from l10n.mt.packages import default_packages_dir

    packages_dir = packages_dir or default_packages_dir()
    argos = {k: v for k, v in (settings or {}).items() if v is not None}
    engine = ArgosEngine(packages_dir, threads=threads, **argos)
    missing = missing_pairs(engine, pairs)
    if name == "argos" or not missing:
        return EngineChoice(engine)

    failure = ""
    if download:
        try:
            from l10n.mt.packages import install_languages

            install_languages(_languages_to_install(missing), packages_dir, index_url=index_url)
            engine = ArgosEngine(packages_dir, threads=threads, **argos)
            if not missing_pairs(engine, pairs):
                return EngineChoice(engine, [f"downloaded Argos packages for {_pairs(missing)}"])
        except Exception as exc:  # any download failure means: fall back, loudly
            # The cause only: the install command below is the one place that says what to do.
            failure = f" (download failed: {str(exc).split(' — ')[0]})"
    warning = (
        "NO TRANSLATION MODEL — using the PSEUDO engine: its output is not a translation. "
        f"No Argos package for {_pairs(missing)}{failure}; install them with "
        f"`{install_command(missing_hops(engine, missing))}`"
    )
    return EngineChoice(PseudoEngine(), [warning])


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{s}→{t}" for s, t in pairs)


@dataclass(frozen=True)
class EngineSpec:
    """A picklable description of an engine, rebuilt once per worker process.

    It carries every setting of the engine, so a worker's translations (and the translation
    memory keys made from its options) are the ones the run asked for. ``None`` leaves a
    setting at the engine's default.
    """

    name: str
    packages_dir: str | None = None
    threads: int = 0
    beam_size: int | None = None
    compute_type: str | None = None
    device: str | None = None
    max_batch_tokens: int | None = None
    max_length_ratio: float | None = None
    inter_threads: int | None = None


_ARGOS_SETTINGS = (
    "beam_size",
    "compute_type",
    "device",
    "max_batch_tokens",
    "max_length_ratio",
    "inter_threads",
)


@lru_cache(maxsize=8)
def engine_from_spec(spec: EngineSpec) -> Engine:
    """The engine for ``spec``; cached, so each process loads its models once."""
    if spec.name == "pseudo":
        return PseudoEngine()
    from l10n.mt.engines.argos import ArgosEngine

    settings = {
        name: getattr(spec, name) for name in _ARGOS_SETTINGS if getattr(spec, name) is not None
    }
    return ArgosEngine(Path(spec.packages_dir or "."), threads=spec.threads, **settings)


def spec_of(engine: Engine) -> EngineSpec:
    if engine.is_pseudo:
        return EngineSpec("pseudo")
    return EngineSpec(
        engine.name,
        str(getattr(engine, "packages_dir", "")) or None,
        getattr(engine, "threads", 0),
        **{name: getattr(engine, name, None) for name in _ARGOS_SETTINGS},
    )
