"""Events the l10n flows emit for Prefect automations (automations/l10n.yaml).

A failed run needs none: Prefect emits ``prefect.flow-run.Failed`` itself. A run that
finished with names the glossary has no rendering for emits ``l10n.run.unresolved-names``,
naming the run and the names, so an automation can tell the desk.
"""

from __future__ import annotations

from l10n.run.summary import RunSummary

UNRESOLVED = "l10n.run.unresolved-names"


def unresolved_names(summary: RunSummary) -> list[str]:
    return sorted({name for o in summary.done for t in o.targets.values() for name in t.unresolved})


def announce(summary: RunSummary) -> None:
    """Emit ``l10n.run.unresolved-names`` when the run left names unresolved."""
    names = unresolved_names(summary)
    if not names:
        return
    from prefect.events import emit_event

    emit_event(
        event=UNRESOLVED,
        resource={
            "prefect.resource.id": f"l10n.run.{summary.run_id}",
            "prefect.resource.name": summary.run_id,
        },
        payload={"run": summary.run_id, "count": len(names), "names": names[:50]},
    )
