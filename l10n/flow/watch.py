"""The ``watch-sources`` flow: on a schedule, translate what is new on feeds and in folders.

Each run looks at its sources, translates only the items not translated before (one l10n
run holding them all, the same pipeline as ``translate-articles``), remembers their keys
(:mod:`l10n.newsroom.watch`) and, with a webhook, pushes each finished article's ninjs
(:mod:`l10n.newsroom.push`). A look that finds nothing new ends Completed with "nothing new"
and writes no run. The schedule is the deployment's: ``l10n serve --watch SOURCE --every 10m``
or the ``watch`` deployment in prefect.yaml (an interval or a cron line).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from prefect import flow, get_run_logger
from prefect.states import Completed, State
from pydantic import Field

from l10n.errors import L10nError
from l10n.flow.events import announce
from l10n.flow.outcome import final_state, quiet_reported_failures, stopped, ui_logger
from l10n.flow.params import EngineOption, GlossaryFile, OutFolder, PrivateUrls, Targets
from l10n.flow.translate import PrefectExecutor
from l10n.newsroom.push import push_run
from l10n.newsroom.watch import locked_state, look, remember, state_file
from l10n.pipeline import DEFAULTS, RunOptions, open_run, translate_run
from l10n.run.ids import new_run_id

Sources = Annotated[list[str], Field(json_schema_extra={"title": "Feeds and folders to watch"})]
WatchName = Annotated[str, Field(json_schema_extra={"title": "Watch name"})]
PushUrl = Annotated[str, Field(json_schema_extra={"title": "Webhook for results"})]


@flow(
    name="watch-sources",
    description=(
        "Translate what is new on RSS/Atom feeds and in folders (ninjs items, articles) since "
        "the last look; each item once. Runs on the deployment's schedule."
    ),
    log_prints=True,
)
def watch_sources(
    sources: Sources,
    targets: Targets = DEFAULTS.targets,
    engine: EngineOption = DEFAULTS.engine,
    out: OutFolder = DEFAULTS.out,
    glossary: GlossaryFile = DEFAULTS.glossary,
    watch_name: WatchName = "watch",
    push_url: PushUrl = "",
    allow_private_urls: PrivateUrls = DEFAULTS.allow_private_urls,
) -> Any:
    """Look at the sources, translate the new items, remember them, push the results.

    Args:
        sources: RSS or Atom feed links, and folders or files on this machine (ninjs
            .json/.jsonl, .txt, .md, .html …). Each feed entry (by its guid) and each item
            (by its uri and version, or a file by its content) is translated once.
        targets: The languages to translate into: Japanese (ja), Korean (ko) or both.
        engine: argos, auto or pseudo, as in translate-articles.
        out: The folder where each look's run is saved; the watch remembers what it has
            translated in OUT/.l10n-watch/WATCH_NAME.json.
        glossary: The name glossary on this machine.
        watch_name: Names what this watch remembers: two watches with different names
            translate the same items separately.
        push_url: A webhook that receives each finished article's ninjs (POST, retried
            with back-off); leave empty for none. `l10n push RUN` resends failures.
        allow_private_urls: Also fetch feeds and links on this machine and its network.
    """
    quiet_reported_failures()
    logger = get_run_logger()
    path = state_file(out, watch_name)
    try:
        with locked_state(path) as state:
            run_id = new_run_id()
            found = look(
                list(sources),
                state["seen"],
                path.parent / f"{path.stem}-staged" / run_id,
                allow_private=allow_private_urls,
            )
            for problem in found.errors:
                ui_logger().warning(problem)
            if not found.items:
                return Completed(message="nothing new")
            logger.info("%d new item(s); translating them as run %s", len(found.items), run_id)
            options = RunOptions(
                inputs=[item.input for item in found.items],
                targets=list(targets),
                engine=engine,
                out=out,
                glossary=glossary,
                run_id=run_id,
                allow_private_urls=allow_private_urls,
            )
            run = open_run(options)
            executor = PrefectExecutor()
            try:
                summary = translate_run(options, executor, run=run)
            finally:
                executor.close()
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            counts = remember(state["seen"], found.items, summary, when)
            logger.info("remembered: %s", counts)
        if push_url:
            report = push_run(run, push_url)
            for key, reason in report.failed.items():
                ui_logger().warning(f"not delivered {key}: {reason} — `l10n push {run.location}`")
    except L10nError as exc:
        return stopped(exc)
    announce(summary)
    state_out: State = final_state(summary)
    return state_out


def build_watch_deployment(
    name: str,
    sources: list[str],
    *,
    every_s: int | None,
    cron: str | None,
    parameters: dict[str, Any],
) -> Any:
    """The ``watch-sources/NAME`` deployment on an interval (seconds) or a cron schedule."""
    from prefect.types.entrypoint import EntrypointType

    from l10n import installed_version

    return watch_sources.to_deployment(
        name=name,
        description=watch_sources.description,
        tags=["l10n", "watch"],
        version=installed_version(),
        parameters={"sources": list(sources), "watch_name": name, **parameters},
        interval=every_s if cron is None else None,
        cron=cron,
        # One look at a time: a slow look is never overtaken by the next one.
        concurrency_limit=1,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
