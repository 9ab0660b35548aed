"""What a run is asked to do: one declaration, read by the CLI, the flow and its run form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.articles.read import DEFAULT_MAX_INPUT_BYTES
from l10n.mt.engines.ct2 import DEFAULT_BEAM_SIZE, DEFAULT_DEVICE
from l10n.mt.engines.routes import Routes
from l10n.paths import DEFAULT_GLOSSARY
from l10n.text.languages import TARGET_LANGUAGES

DEFAULT_ENGINE = "argos"
DEFAULT_OUT = "outputs"
DEFAULT_MAX_INPUT_MB = DEFAULT_MAX_INPUT_BYTES // 1_000_000


@dataclass(frozen=True)
class PastedText:
    """An article typed or pasted by a person: its headline and its text."""

    title: str
    body: str


@dataclass
class RunOptions:
    """Everything a run is asked to do. ``None`` means "detect" or "the default".

    ``routes`` are ``SRC-TGT=ENGINE`` overrides of ``engine`` for single language pairs;
    ``memory`` is the translation memory's location (see :mod:`l10n.mt.memory`).
    """

    inputs: list[str] = field(default_factory=list)
    pasted: list[PastedText] = field(default_factory=list)
    targets: list[str] = field(default_factory=lambda: list(TARGET_LANGUAGES))
    engine: str = DEFAULT_ENGINE
    routes: list[str] = field(default_factory=list)
    out: str = DEFAULT_OUT
    glossary: str = DEFAULT_GLOSSARY
    source_lang: str | None = None
    run_id: str | None = None
    memory: str | None = None
    boilerplate_rules: str | None = None
    threads: int = 0
    beam: int = DEFAULT_BEAM_SIZE
    compute_type: str | None = None
    device: str = DEFAULT_DEVICE
    allow_private_urls: bool = False
    max_input_mb: int = DEFAULT_MAX_INPUT_MB

    @property
    def given(self) -> bool:
        """Whether any input was given (files, folders, links or pasted text)."""
        return bool(self.inputs or self.pasted)

    def engine_settings(self) -> Mapping[str, Any]:
        """The decoding settings every engine family is built with (unset ones left out)."""
        settings = {
            "beam_size": self.beam,
            "compute_type": self.compute_type,
            "device": self.device,
            "threads": self.threads,
        }
        return {k: v for k, v in settings.items() if v is not None}

    def engine_routes(self) -> Routes:
        return Routes.parse(self.engine, self.routes)


DEFAULTS = RunOptions()
"""The default of every option, for the CLI's and the form's defaults."""
