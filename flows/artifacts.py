"""What a finished run shows in the Prefect UI: a table of articles and the glossary's edits.

Both are built from the stored run through ``l10n.review.load.load_run``, the one reader of
the stored format, so the UI shows what a reviewer finds on disk.
"""

from __future__ import annotations

from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from l10n.review.load import RunView, load_run


def _md(text: str) -> str:
    """Article text comes from the web: keep it from being read as markdown or HTML."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")


def article_rows(run: RunView) -> list[dict]:
    rows = []
    for article in run.articles:
        manifest = article.manifest
        targets = manifest["targets"].values()
        rows.append(
            {
                "article": article.id,
                "status": article.status,
                "source language": manifest["source_language"]["code"],
                "confidence": round(manifest["source_language"]["confidence"], 3),
                "segments": manifest["segments"],
                "glossary changes": sum(t["changes"] for t in targets),
                "unresolved terms": sum(len(t["unresolved"]) for t in targets),
                "QA flags": sum(t["flags"] for t in targets),
            }
        )
    for kind in ("skipped", "failed"):
        for item in run.info["articles"][kind]:
            rows.append({"article": item["id"], "status": f"{kind}: {item['reason']}"})
    return rows


def corrections_markdown(run: RunView, location: str) -> str:
    lines = [f"# Run {run.run_id}", ""]
    if run.pseudo:
        lines += ["**PSEUDO-LOCALIZED — not a translation.**", ""]
    report = f"{location}/report.html"
    if "://" not in location:
        report = Path(report).as_uri()
    lines += [f"Output folder: `{location}` — [report.html]({report})", ""]
    for article in run.articles:
        lines += [f"## {_md(article.id)}", ""]
        edits = []
        for segment in article.segments:
            for lang, target in segment.targets.items():
                for change in target.changes:
                    edits.append(
                        f"- {lang} · segment {segment.index} · `{change.entry_id}`: "
                        f"{_md(change.before)} → {_md(change.after)}"
                    )
                for entry_id in target.unresolved:
                    edits.append(
                        f"- {lang} · segment {segment.index} · **unresolved** `{entry_id}`"
                    )
        lines += edits or ["No glossary corrections."]
        lines.append("")
    for item in run.info["articles"]["failed"]:
        lines.append(f"- **failed** {_md(item['id'])}: {_md(item['reason'])}")
    return "\n".join(lines)


def publish_run_artifacts(run_dir: Path, location: str) -> None:
    """``location`` is where readers find the run: the local folder or its upload URL."""
    run = load_run(run_dir)
    create_table_artifact(
        key="translated-articles",
        table=article_rows(run),
        description=f"Articles of run {run_dir.name}",
    )
    create_markdown_artifact(
        key="glossary-corrections",
        markdown=corrections_markdown(run, location),
        description=f"Glossary corrections of run {run_dir.name}",
    )
