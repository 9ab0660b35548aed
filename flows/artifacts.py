"""What a finished run shows in the Prefect UI: a table of articles and the glossary's edits.

Both are built from what the flow holds in memory (the run summary and a few lines per
article), and every piece of article text is escaped: the UI renders artifacts as
markdown, and ids, titles and failure reasons come from arbitrary web pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from l10n.models import TranslatedArticle
from l10n.run.summary import RunSummary

MAX_LINES_PER_ARTICLE = 20
MAX_LINES = 400
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:&])")


def md(text: object) -> str:
    """Text shown literally in markdown: no links, HTML, emphasis or tables from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def article_change_lines(translated: TranslatedArticle) -> list[str]:
    """Markdown lines listing what the glossary did to one article (capped)."""
    lines = []
    for lang, rows in translated.translations.items():
        for row in rows:
            for change in row.changes:
                lines.append(
                    f"- {lang} · segment {row.segment} · `{md(change.entry_id)}`: "
                    f"{md(change.before)} → {md(change.after)}"
                )
            for entry_id in row.unresolved:
                lines.append(f"- {lang} · segment {row.segment} · **unresolved** {md(entry_id)}")
    if len(lines) > MAX_LINES_PER_ARTICLE:
        more = len(lines) - MAX_LINES_PER_ARTICLE
        lines = [*lines[:MAX_LINES_PER_ARTICLE], f"- … and {more} more (see the report)"]
    return lines


def article_rows(summary: RunSummary) -> list[dict]:
    rows = []
    for outcome in summary.done:
        targets = outcome.targets.values()
        language = outcome.source_language
        rows.append(
            {
                "article": md(outcome.id),
                "status": "resumed" if outcome.resumed else "done",
                "source language": md(language.code) if language else "",
                "confidence": round(language.confidence, 3) if language else None,
                "segments": outcome.segments,
                "glossary changes": sum(int(t.get("changes", 0)) for t in targets),
                "unresolved terms": sum(len(t.get("unresolved", [])) for t in targets),
                "QA flags": sum(int(t.get("flags", 0)) for t in targets),
            }
        )
    for outcome in summary.outcomes:
        if outcome.status != "done":
            rows.append(
                {"article": md(outcome.id), "status": md(f"{outcome.status}: {outcome.reason}")}
            )
    return rows


def corrections_markdown(
    summary: RunSummary, location: str, change_lines: dict[str, list[str]]
) -> str:
    lines = [f"# Run {md(summary.run_id)}", ""]
    if summary.pseudo:
        lines += ["**PSEUDO-LOCALIZED — not a translation.**", ""]
    report = f"{location}/report.html"
    if "://" not in location:
        report = Path(report).resolve().as_uri()
    lines += [f"Output folder: `{location}` — report: `{report}`", ""]
    budget = MAX_LINES
    for outcome in summary.done:
        if budget <= 0:
            lines.append(f"… {len(summary.done)} articles in all; see the report for the rest.")
            break
        edits = change_lines.get(outcome.id, [])
        lines += [f"## {md(outcome.id)}", "", *(edits or ["No glossary corrections."]), ""]
        budget -= len(edits) + 1
    for outcome in summary.failed:
        lines.append(f"- **failed** {md(outcome.id)}: {md(outcome.reason)}")
    return "\n".join(lines)


def publish_run_artifacts(
    summary: RunSummary, location: str, change_lines: dict[str, list[str]]
) -> None:
    """``location`` is where readers find the run: the local folder or its URL."""
    create_table_artifact(
        key="translated-articles",
        table=article_rows(summary),
        description=f"Articles of run {md(summary.run_id)}",
    )
    create_markdown_artifact(
        key="glossary-corrections",
        markdown=corrections_markdown(summary, location, change_lines),
        description=f"Glossary corrections of run {md(summary.run_id)}",
    )
