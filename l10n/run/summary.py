"""What a run did, in the words a reviewer and ``run.json`` use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from l10n.articles.read import InputBatch
from l10n.mt.engines.base import Engine
from l10n.text.plan import ArticlePlan


def engine_record(engine: Engine | None, name: str, plans: list[ArticlePlan]) -> dict[str, Any]:
    """The engine and every model package the run's language pairs use."""
    if engine is None:
        return {"name": name, "pseudo": False, "packages": []}
    packages: dict[str, dict] = {}
    for plan in plans:
        if plan.language is None:
            continue
        for lang, action in plan.actions.items():
            if action != "translate":
                continue
            for pkg in engine.packages(plan.language.code, lang):
                packages[pkg.get("name", repr(pkg))] = pkg
    return {
        "name": engine.name,
        "pseudo": engine.is_pseudo,
        "packages": [packages[k] for k in sorted(packages)],
    }


def summarise(
    plans: list[ArticlePlan],
    batch: InputBatch,
    states: dict[str, Any],
    run_dir: Path,
    warnings: list[str],
    failures: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Sort every article into done / skipped / failed, with reasons.

    ``states`` holds the Prefect state of each article's finishing task; an
    article not in it was already complete in this run folder (a resumed run).
    Input errors count as failures: something the user gave was not translated.
    """
    done, skipped, failed = [], [], []
    for plan in plans:
        article = plan.article
        entry = {"id": article.id, "input": article.input_path}
        if plan.skipped:
            skipped.append({**entry, "reason": plan.skip_reason})
            continue
        state = states.get(article.id)
        if failures and article.id in failures:
            failed.append({**entry, "reason": failures[article.id]})
        elif state is not None and not state.is_completed():
            failed.append({**entry, "reason": _failure_reason(state)})
        else:
            done.append({**entry, "dir": article.id, "resumed": state is None})
    for error in batch.errors:
        where = f"{error.path}:{error.line}" if error.line else error.path
        failed.append({"id": where, "input": error.path, "reason": error.message})
    return {
        "articles": {"done": done, "skipped": skipped, "failed": failed},
        "input_errors": [
            {"path": e.path, "line": e.line, "message": e.message} for e in batch.errors
        ],
        "warnings": list(warnings),
        "totals": run_totals(run_dir, [d["dir"] for d in done]),
    }


def _failure_reason(state: Any) -> str:
    try:
        state.result()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return state.message or state.name


def run_totals(run_dir: Path, article_dirs: list[str]) -> dict[str, int]:
    totals = {
        "articles": len(article_dirs),
        "segments": 0,
        "changes": 0,
        "unresolved": 0,
        "flags": 0,
    }
    for name in article_dirs:
        manifest = json.loads((run_dir / name / "manifest.json").read_text("utf-8"))
        totals["segments"] += manifest["segments"]
        for target in manifest["targets"].values():
            totals["changes"] += target["changes"]
            totals["unresolved"] += len(target["unresolved"])
            totals["flags"] += target["flags"]
    return totals
