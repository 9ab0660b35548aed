"""Serving the ``translate-articles`` flow so editors can start runs from the Prefect UI.

``l10n serve`` registers a deployment on a long-running Prefect server and then
executes the runs started there on this machine, so paths in the run form are
paths on this machine. A temporary (ephemeral) server would vanish with the
process, hence the check that a real one answers before anything is registered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from l10n import installed_version
from l10n.errors import L10nError
from l10n.flow.params import EngineName
from l10n.paths import resolve_glossary
from l10n.run.storage import is_remote

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

TAGS = ["l10n", "translation"]
EXAMPLE_API_URL = "http://127.0.0.1:4200/api"
DESCRIPTION = (
    "Translate news articles into Japanese and Korean offline, enforce the name glossary "
    "and store source, raw MT and corrected versions side by side. Paste articles under "
    "'Articles to translate', or give files, folders or web links. Runs execute on the "
    "machine that runs `l10n serve`, so file paths in the form are paths on that machine. "
    "Each finished article shows its text (source, MT, corrected) among the run's artifacts."
)
_START_HINT = f"start one with `make server`, then `export PREFECT_API_URL={EXAMPLE_API_URL}`"


class ServerUnavailable(L10nError):
    """No Prefect server to register the deployment with; the message says how to start one."""


def check_server(api_url: str | None, *, timeout: float = 3.0) -> None:
    """Fail fast with a how-to instead of Prefect's long retry loop against a dead URL."""
    if not api_url:
        raise ServerUnavailable(
            f"PREFECT_API_URL is not set, so there is no Prefect server to serve on — {_START_HINT}"
        )
    health = f"{api_url.rstrip('/')}/health"
    try:
        response = httpx.get(health, timeout=timeout)
    except httpx.HTTPError as exc:
        raise ServerUnavailable(
            f"no Prefect server answers at {api_url} ({type(exc).__name__}) — {_START_HINT}"
        ) from exc
    if response.status_code != 200:
        raise ServerUnavailable(
            f"{health} answered HTTP {response.status_code}, not a Prefect API — "
            f"check PREFECT_API_URL ends in /api, or {_START_HINT}"
        )


def deployment_parameters(engine: EngineName, out: str, glossary: str) -> dict[str, Any]:
    """Defaults shown in the run form.

    Local ``out`` and ``glossary`` are made absolute so the form shows where
    files really are; ``inputs`` starts empty so a run of pasted text alone is valid.
    """
    return {
        "inputs": [],
        "engine": engine,
        "out": out if is_remote(out) else str(Path(out).resolve()),
        "glossary": str(resolve_glossary(glossary).resolve()),
    }


def build_deployment(name: str, *, engine: EngineName, out: str, glossary: str) -> RunnerDeployment:
    """The deployment ``l10n serve`` registers; built apart from serving so it can be checked."""
    from prefect.types.entrypoint import EntrypointType

    from l10n.flow.translate import translate_articles

    return translate_articles.to_deployment(  # type: ignore[return-value]
        name=name,
        description=DESCRIPTION,
        tags=TAGS,
        version=installed_version(),
        parameters=deployment_parameters(engine, out, glossary),
        # A module entrypoint imports the installed package, so the runs find the
        # flow whatever folder `l10n serve` was started from.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_translate_articles(
    name: str,
    *,
    engine: EngineName,
    out: str,
    glossary: str,
    limit: int | None = None,
    also: list[RunnerDeployment] | None = None,
) -> None:
    """Register ``translate-articles/<name>`` and execute its runs until interrupted.

    ``prefect.serve`` of a deployment, rather than ``Flow.serve``, makes each run
    import the flow afresh in ``python -m prefect.engine``: ``Flow.serve`` pickles
    the flow function by value, which drops the module globals its postponed
    annotations (``TargetLang``, ``PastedArticle``) need for parameter validation.
    ``also`` are served with it (``l10n serve --watch``: the watch-sources deployment).
    """
    from prefect import serve

    deployment = build_deployment(name, engine=engine, out=out, glossary=glossary)
    serve(deployment, *(also or []), limit=limit)
