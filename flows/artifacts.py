"""What a finished run shows in the Prefect UI: a table of articles and the glossary's edits."""

from __future__ import annotations

import json
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact


def _md(text: str) -> str:
    """Article text comes from the web: keep it from being read as markdown or HTML."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")


def article_rows(run_dir: Path) -> list[dict]:
    summary = json.loads((run_dir / "run.json").read_text("utf-8"))
    rows = []
    for done in summary["articles"]["done"]:
        manifest = json.loads((run_dir / done["dir"] / "manifest.json").read_text("utf-8"))
        targets = manifest["targets"].values()
        rows.append(
            {
                "article": manifest["id"],
                "status": manifest["status"],
                "source language": manifest["source_language"]["code"],
                "confidence": round(manifest["source_language"]["confidence"], 3),
                "segments": manifest["segments"],
                "glossary changes": sum(t["changes"] for t in targets),
                "unresolved terms": sum(len(t["unresolved"]) for t in targets),
                "QA flags": sum(t["flags"] for t in targets),
            }
        )
    for kind in ("skipped", "failed"):
        for item in summary["articles"][kind]:
            rows.append({"article": item["id"], "status": f"{kind}: {item['reason']}"})
    return rows


def corrections_markdown(run_dir: Path, location: str) -> str:
    summary = json.loads((run_dir / "run.json").read_text("utf-8"))
    engine = summary["engine"]
    lines = [f"# Run {summary['run_id']}", ""]
    if engine.get("pseudo"):
        lines += ["**PSEUDO-LOCALIZED — not a translation.**", ""]
    report = f"{location}/report.html"
    if "://" not in location:
        report = Path(report).as_uri()
    lines += [f"Output folder: `{location}` — [report.html]({report})", ""]
    for done in summary["articles"]["done"]:
        article_dir = run_dir / done["dir"]
        lines += [f"## {_md(done['id'])}", ""]
        edits = []
        for raw in (article_dir / "segments.jsonl").read_text("utf-8").splitlines():
            row = json.loads(raw)
            for lang, target in row["targets"].items():
                for change in target["changes"]:
                    edits.append(
                        f"- {lang} · segment {row['index']} · `{change['entry_id']}`: "
                        f"{_md(change['before'])} → {_md(change['after'])}"
                    )
                for entry_id in target["unresolved"]:
                    edits.append(f"- {lang} · segment {row['index']} · **unresolved** `{entry_id}`")
        lines += edits or ["No glossary corrections."]
        lines.append("")
    for item in summary["articles"]["failed"]:
        lines.append(f"- **failed** {_md(item['id'])}: {_md(item['reason'])}")
    return "\n".join(lines)


def publish_run_artifacts(run_dir: Path, location: str) -> None:
    """``location`` is where readers find the run: the local folder or its upload URL."""
    create_table_artifact(
        key="translated-articles",
        table=article_rows(run_dir),
        description=f"Articles of run {run_dir.name}",
    )
    create_markdown_artifact(
        key="glossary-corrections",
        markdown=corrections_markdown(run_dir, location),
        description=f"Glossary corrections of run {run_dir.name}",
    )
