"""What a run shows in the Prefect UI: each article's text, a table of articles, a summary.

Each article gets a markdown artifact when it is stored (``finish_article_task``): per target
language, every segment's source, raw MT and corrected text, with what the glossary removed
struck through and what it put in bold, and the QA flags under it; long articles are cut
with a pointer to the review app. The run ends with a table of articles, a short summary
and, when the review app runs (``L10N_REVIEW_URL``, see :func:`review_app_url`), a link to it.
Nothing accumulates per article in the flow for these: each article's artifact is built from
the article in hand, the run's from its summary.

All text comes from arbitrary web pages and is escaped (:func:`md`): the UI renders
artifacts as markdown, and no link, image, HTML or emphasis may come from an article.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
from urllib.parse import quote, urlsplit

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from l10n.models import Segment, TranslatedArticle, Translation
from l10n.run.summary import RunSummary
from l10n.text.languages import label

MAX_ARTICLE_CHARS = 20_000
"""Markdown per article artifact; a longer article is cut and points to the review app."""
MAX_SEGMENT_CHARS = 2_000
MAX_LIST_ITEMS = 50
PER_ARTICLE_ARTIFACTS_LIMIT = 50
"""Articles of a run that get their own markdown artifact; the run's table lists them all."""
REVIEW_URL_ENV = "L10N_REVIEW_URL"
PSEUDO_NOTE = "**PSEUDO-LOCALIZED — not a translation.**"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:&])")


def md(text: object) -> str:
    """Text shown literally in markdown: no links, HTML, emphasis or tables from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def code(text: object) -> str:
    """Text as an inline code span: shown as written, with a fence no backtick in it closes."""
    flat = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}"


def _escape_run(text: str) -> str:
    """Like :func:`md` for a piece of a sentence: inner spacing kept (as single spaces)."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _wrap(piece: str, marker: str) -> str:
    """``marker`` around the piece's text, its outer spaces left outside (CommonMark)."""
    core = piece.strip()
    if not core:
        return _escape_run(piece)
    lead = " " if piece[:1].isspace() else ""
    tail = " " if piece[-1:].isspace() else ""
    return f"{lead}{marker}{_escape_run(core)}{marker}{tail}"


def marked_pair(before: str, after: str) -> tuple[str, str]:
    """``before`` with what changed struck through, ``after`` with what changed in bold."""
    old, new = [], []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old.append(_escape_run(before[i1:i2]))
            new.append(_escape_run(after[j1:j2]))
            continue
        if i2 > i1:
            old.append(_wrap(before[i1:i2], "~~"))
        if j2 > j1:
            new.append(_wrap(after[j1:j2], "**"))
    return "".join(old).strip(), "".join(new).strip()


def _cut(text: str) -> str:
    if len(text) <= MAX_SEGMENT_CHARS:
        return text
    return text[:MAX_SEGMENT_CHARS] + " …"


def segment_lines(segment: Segment, row: Translation) -> list[str]:
    """One segment as a short list: source, raw MT, corrected text, flags."""
    where = "title" if segment.paragraph < 0 else f"¶{segment.paragraph + 1}"
    lines = [f"**{segment.index + 1}** · {where} · {md(_cut(segment.text))}", ""]
    mt, final = _cut(row.mt), _cut(row.final)
    if row.origin == "copy":
        lines.append(f"- copied as it is: {md(final)}")
    elif mt == final:
        lines.append(f"- {_origin(row)} (unchanged): {md(mt)}")
    else:
        old, new = marked_pair(mt, final)
        lines += [f"- {_origin(row)}: {old}", f"- corrected: {new}"]
    for flag in row.flags:
        lines.append(f"- ⚠ {md(flag.code)}: {md(flag.message)}")
    return [*lines, ""]


def _origin(row: Translation) -> str:
    return {"provided": "provided text", "approved": "approved text"}.get(row.origin, "MT")


def article_markdown(translated: TranslatedArticle, *, engine: str, pseudo: bool) -> str:
    """The article's artifact: per language, each segment's source, MT and corrected text."""
    article = translated.article
    counts = translated.counts()
    lines = [
        f"# {md(article.title or article.id)}",
        "",
        f"Article {code(article.id)} · {md(label(translated.source_language))} · engine "
        f"{md(engine)} · {counts['segments']} segment(s) · {counts['changes']} glossary "
        f"fix(es) · {counts['unresolved']} unresolved · {counts['flags']} QA flag(s)",
        "",
    ]
    if pseudo:
        lines += [PSEUDO_NOTE, ""]
    used = sum(len(line) + 1 for line in lines)
    for lang, rows in translated.translations.items():
        lang_counts = translated.counts(lang)
        lines += [
            f"## {md(label(lang))} — {lang_counts['changes']} fix(es), "
            f"{lang_counts['flags']} flag(s)",
            "",
        ]
        if rows and all(row.origin == "copy" for row in rows):
            lines += ["The article is already in this language: copied as it is.", ""]
            continue
        for number, (segment, row) in enumerate(zip(translated.plan.segments, rows, strict=True)):
            block = segment_lines(segment, row)
            size = sum(len(line) + 1 for line in block)
            if used + size > MAX_ARTICLE_CHARS:
                left = len(rows) - number
                lines += [f"… {left} more segment(s): see the review app or the report.", ""]
                break
            lines += block
            used += size
    return "\n".join(lines)


def publish_article(translated: TranslatedArticle, *, engine: str, pseudo: bool) -> None:
    create_markdown_artifact(
        markdown=article_markdown(translated, engine=engine, pseudo=pseudo),
        description=md(f"{translated.id}: source, MT and corrected text"),
    )


def article_rows(summary: RunSummary) -> list[dict]:
    rows = []
    for outcome in summary.done:
        targets = outcome.targets.values()
        language = outcome.source_language
        rows.append(
            {
                "article": md(outcome.id),
                "status": "resumed" if outcome.resumed else "done",
                "engine": md(outcome.engine or summary.engine_name),
                "source language": md(language.code) if language else "",
                "confidence": round(language.confidence, 3) if language else None,
                "segments": outcome.segments,
                "glossary changes": sum(t.changes for t in targets),
                "unresolved terms": sum(len(t.unresolved) for t in targets),
                "QA flags": sum(t.flags for t in targets),
            }
        )
    for outcome in summary.outcomes:
        if outcome.status != "done":
            rows.append(
                {"article": md(outcome.id), "status": md(f"{outcome.status}: {outcome.reason}")}
            )
    return rows


def run_markdown(summary: RunSummary, location: str, review_url: str | None) -> str:
    """The run at a glance: counts, engines, where the files are, how to review, what failed."""
    totals = summary.totals()
    lines = [f"# Run {md(summary.run_id)}", ""]
    if summary.pseudo:
        lines += [PSEUDO_NOTE, ""]
    lines += [
        f"{len(summary.done)} done · {len(summary.skipped)} skipped · {len(summary.failed)} "
        f"failed · {len(summary.input_errors)} unreadable input(s) — {totals['changes']} "
        f"glossary fix(es), {totals['unresolved']} unresolved, {totals['flags']} QA flag(s).",
        "",
        f"Engine: {md(_engines(summary))}.",
        "",
        f"Files: {code(location)} on the machine that ran the run (`report.html` there).",
        "",
    ]
    if review_url:
        target = quote(review_url, safe=":/?#@!$&'*+,;=%~")
        lines.append(f"Review and approve: [{md(review_url)}]({target})")
    else:
        command = code(f"l10n review serve {shlex.quote(location)}")
        lines.append(f"Review and approve: run {command} on that machine.")
    lines += ["", "Each article's text is in its own artifact of this run.", ""]
    if summary.failed or summary.input_errors:
        lines += ["## What failed", ""]
        items = [f"- {md(o.id)}: {md(o.reason)}" for o in summary.failed]
        items += [f"- {md(e['path'])}: {md(e['message'])}" for e in summary.input_errors]
        lines += _capped_list(items)
    if summary.warnings:
        lines += ["## Warnings", "", *_capped_list([f"- {md(w)}" for w in summary.warnings])]
    return "\n".join(lines)


def _engines(summary: RunSummary) -> str:
    used: dict[str, int] = {}
    for outcome in summary.done:
        name = outcome.engine or summary.engine_name
        used[name] = used.get(name, 0) + 1
    if not used:
        return summary.engine_name
    return ", ".join(f"{name} ({n} article(s))" for name, n in sorted(used.items()))


def _capped_list(items: list[str]) -> list[str]:
    if len(items) <= MAX_LIST_ITEMS:
        return [*items, ""]
    more = len(items) - MAX_LIST_ITEMS
    return [*items[:MAX_LIST_ITEMS], f"- … and {more} more (see run.json)", ""]


def review_app_url(run_id: str, timeout: float = 1.5) -> str | None:
    """The run's page in the review app, when an app that serves this run answers.

    The app's address is ``L10N_REVIEW_URL`` (the address ``l10n review serve`` prints).
    Only an http(s) URL counts (a browser refuses ``file://`` links from the UI), and only
    if the app answers for this run now (``/runs/RUN``), so a stale setting, or an app
    serving other runs, never produces a dead link.
    """
    import httpx

    base = os.environ.get(REVIEW_URL_ENV, "").strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    page = f"{base.rstrip('/')}/runs/{quote(run_id, safe='')}"
    try:
        response = httpx.get(page, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError:
        return None
    return page if response.status_code == 200 else None


def publish_run_artifacts(summary: RunSummary, location: str, review_url: str | None) -> None:
    """``location`` is where readers find the run: the local folder or its URL."""
    create_table_artifact(
        key="translated-articles",
        table=article_rows(summary),
        description=f"Articles of run {md(summary.run_id)}",
    )
    create_markdown_artifact(
        key="run-summary",
        markdown=run_markdown(summary, location, review_url),
        description=f"Run {md(summary.run_id)}",
    )
    if review_url:
        create_link_artifact(
            key="review-app",
            link=review_url,
            link_text=f"Review run {summary.run_id} in the review app",
            description="The review app (l10n review serve) on the machine that ran the run",
        )
