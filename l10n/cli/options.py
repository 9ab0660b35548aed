"""Options several commands share, declared once (as sqlite-utils does), with their defaults
taken from :data:`l10n.pipeline.DEFAULTS`."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from l10n.errors import UsageError
from l10n.mt.engines.ct2 import DEVICES
from l10n.mt.engines.registry import engine_names, families, is_engine_name
from l10n.pipeline import DEFAULTS
from l10n.run.atomic import SHARED_GROUP_ENV, modes
from l10n.text.languages import TARGET_LANGUAGES

F = TypeVar("F", bound=Callable[..., Any])


def _compose(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


def _parse_targets(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    targets = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGET_LANGUAGES]
    if unknown or not targets:
        raise click.BadParameter(f"choose from {', '.join(TARGET_LANGUAGES)}, e.g. --to ja,ko")
    return targets


def _engine_help(lead: str) -> str:
    kinds = "; ".join(f"{f.name}: {f.summary}" for f in families() if f.selectable)
    return (
        f"{lead} {kinds}; auto: a model where one is installed, else pseudo, with a warning; "
        "MODEL: a model registered with `l10n models add`."
    )


def _check_engine(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not is_engine_name(value):
        raise click.BadParameter(
            f"{value!r}: choose one of {', '.join(engine_names())} or a model name "
            "from `l10n models list`"
        )
    return value


def engine_option(lead: str = "Translation engine.") -> Callable[[F], F]:
    return click.option(
        "--engine",
        metavar=f"[{'|'.join(engine_names())}|MODEL]",
        callback=_check_engine,
        default=DEFAULTS.engine,
        show_default=True,
        help=_engine_help(lead),
    )


def _share_with(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:  # read where files are written (l10n.run.atomic), here and in workers
        try:
            modes(value)
        except UsageError as exc:
            raise click.BadParameter(str(exc)) from None
        os.environ[SHARED_GROUP_ENV] = value


def out_option(help: str = "Output folder; the run goes to OUT/<run-id>/.") -> Callable[[F], F]:
    return _compose(
        click.option(
            "--out",
            default=DEFAULTS.out,
            show_default=True,
            type=click.Path(file_okay=False),
            help=help,
        ),
        click.option(
            "--shared-group",
            metavar="GROUP",
            default=None,
            expose_value=False,
            callback=_share_with,
            help=f"Let GROUP read and write the run and the memory (0660/2770); default: "
            f"private to you (0600/0700). Same as {SHARED_GROUP_ENV}=GROUP; "
            f"{SHARED_GROUP_ENV}=umask follows the umask.",
        ),
    )


def glossary_option(
    help: str = "Name glossary (YAML).", dest: str = "glossary"
) -> Callable[[F], F]:
    return click.option(
        "--glossary",
        dest,
        default=DEFAULTS.glossary,
        show_default=True,
        type=click.Path(dir_okay=False),
        help=help,
    )


targets_option = click.option(
    "--to",
    "targets",
    default=",".join(DEFAULTS.targets),
    show_default=True,
    callback=_parse_targets,
    help="Target languages, comma-separated.",
)

route_option = click.option(
    "--route",
    "routes",
    multiple=True,
    metavar="SRC-TGT=ENGINE",
    help="Another engine for one language pair, e.g. --route en-ko=argos (repeatable).",
)

decoding_options = _compose(
    click.option(
        "--beam",
        type=click.IntRange(1, 16),
        default=DEFAULTS.beam,
        show_default=True,
        help="Beam size: 4 is Argos Translate's (its published quality); lower is faster.",
    ),
    click.option(
        "--compute-type",
        default="",
        metavar="TYPE",
        help="Model precision, e.g. int8, int8_float32, float32 [default: int8 on CPU, "
        "int8_float16 on CUDA].",
    ),
    click.option(
        "--device",
        type=click.Choice(DEVICES),
        default=DEFAULTS.device,
        show_default=True,
        help="Where the model runs; cuda needs an NVIDIA GPU and CUDA 12's cuBLAS.",
    ),
)
