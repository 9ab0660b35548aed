"""What a run shows in the Prefect UI: each article's text, a table of articles, a summary.

Each article gets one markdown artifact per target language when it is stored
(``finish_article_task``), keyed ``article-<id>-<lang>`` and described by its headline: every
segment's source, raw MT and corrected text, with what the glossary removed struck through
and what it put in bold, and the QA flags under it; long articles are cut with a pointer to
the review app. A run of more than :data:`PER_ARTICLE_ARTIFACTS_LIMIT` articles gets one
``article-index`` artifact with links instead, so the UI never lists hundreds of cards.
The run ends with a table of the columns an editor reads (article, status, engine, names
fixed, flags), a markdown artifact with the rest, a short summary and, when the review app
runs (``L10N_REVIEW_URL``, see :func:`review_app_url`), a link to it. Nothing accumulates per
article in the flow for these: each article's artifact is built from the article in hand,
the run's from its summary.

All text comes from arbitrary web pages and is escaped (:func:`md`): the UI renders
artifacts as markdown, and no link, image, HTML or emphasis may come from an article. Table
cells are shown as text, so an article id (letters, digits, ``.``, ``_``, ``-`` only) goes
in as it is, copyable (:func:`cell`).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import shlex
from urllib.parse import quote, urlsplit

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from l10n.articles.discover import expected_articles
from l10n.models import (
    ArticleOutcome,
    ReviewCounts,
    Segment,
    Status,
    TranslatedArticle,
    Translation,
)
from l10n.run import layout
from l10n.run.codec import review_counts
from l10n.run.summary import RunSummary, engine_labels
from l10n.text.languages import label

MAX_ARTICLE_CHARS = 20_000
"""Markdown per article artifact; a longer article is cut and points to the review app."""
MAX_SEGMENT_CHARS = 2_000
MAX_LIST_ITEMS = 50
REVIEW_URL_ENV = "L10N_REVIEW_URL"
PSEUDO_NOTE = "**PSEUDO-LOCALIZED — not a translation.**"
PER_ARTICLE_ARTIFACTS_LIMIT = 50
"""Above this many articles a run shows one ``article-index`` artifact, not one per article."""
MAX_TABLE_ROWS = 1000
INDEX_KEY = "article-index"
_PLAIN_CELL = re.compile(r"[A-Za-z0-9._,()+ -]{1,200}")
_KEY_UNSAFE = re.compile(r"[^a-z0-9-]+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:&])")


def md(text: object) -> str:
    """Text shown literally in markdown: no links, HTML, emphasis or tables from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def cell(text: object) -> str:
    """A table cell: ids and engine names as they are (the UI shows cells as text), other
    text through :func:`md`."""
    value = str(text)
    return value if _PLAIN_CELL.fullmatch(value) else md(value)


def artifact_key(article_id: str, lang: str) -> str:
    """``article-<id>-<lang>``, in what Prefect allows in a key (lowercase, digits, ``-``)."""
    slug = _KEY_UNSAFE.sub("-", article_id.lower()).strip("-") or "untitled"
    return f"article-{slug}-{_KEY_UNSAFE.sub('-', lang.lower())}"


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


def article_markdown(
    translated: TranslatedArticle, *, engine: str, pseudo: bool, langs: list[str] | None = None
) -> str:
    """The article's artifact: per language (``langs``, default all), each segment's source,
    MT and corrected text. The engine and the pseudo note are per language where the
    article records them (``translated.engines``), else ``engine`` / ``pseudo``."""
    article = translated.article
    shown = [lang for lang in translated.translations if langs is None or lang in langs]
    counts = translated.counts() if langs is None else _counts(translated, shown)
    names = {translated.engines[lang].name for lang in shown if lang in translated.engines}
    engine_text = ", ".join(sorted(names)) if names else engine
    lines = [
        f"# {md(article.title or article.id)}",
        "",
        f"Article {code(article.id)} · {md(label(translated.source_language))} · engine "
        f"{md(engine_text)} · {counts['segments']} segment(s) · {counts['changes']} glossary "
        f"fix(es) · {counts['unresolved']} unresolved · {counts['flags']} QA flag(s)",
        "",
    ]
    if translated.engines:
        pseudo = any(translated.is_pseudo(lang) for lang in shown)
    if pseudo:
        lines += [PSEUDO_NOTE, ""]
    used = sum(len(line) + 1 for line in lines)
    for lang in shown:
        rows = translated.translations[lang]
        lang_counts = translated.counts(lang)
        decided = any(row.review is not None for row in rows)
        lines += [
            f"## {md(label(lang))} — {lang_counts['changes']} fix(es), "
            f"{lang_counts['flags']} flag(s)",
            "",
            f"**{publish_line(lang, review_counts(rows), decided)}**",
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


def publish_line(lang: str, counts: ReviewCounts, decided: bool) -> str:
    """What is published for one target: the verdict and the file to take.

    ``<lang>.reviewed.txt`` only when every segment is approved; once a reviewer decided
    something, ``<lang>.draft.txt`` with every segment not approved marked; before that,
    nothing is reviewed and ``<lang>.txt`` is the unreviewed translation.
    """
    if counts.publishable:
        return f"{counts.verdict()} — publish {layout.reviewed_file(lang)}"
    if decided:
        return (
            f"{counts.verdict()} — {layout.draft_file(lang)} is a draft, every segment "
            "not approved marked"
        )
    return f"{counts.verdict()} — not reviewed yet: {layout.final_file(lang)} is unreviewed"


def publishable_cell(outcome: ArticleOutcome) -> str:
    """Per target, whether it is publishable: ``ja yes, ko no (1 of 4 approved)``."""
    parts = []
    for lang, target in outcome.targets.items():
        counts = target.reviews or ReviewCounts(0, 0, outcome.segments)
        verdict = (
            "yes" if counts.publishable else f"no ({counts.approved} of {counts.total} approved)"
        )
        parts.append(f"{lang} {verdict}")
    return ", ".join(parts)


def _counts(translated: TranslatedArticle, langs: list[str]) -> dict[str, int]:
    total = {"segments": len(translated.plan.segments), "changes": 0, "unresolved": 0}
    total["flags"] = 0
    for lang in langs:
        one = translated.counts(lang)
        for name in ("changes", "unresolved", "flags"):
            total[name] += one[name]
    return total


def per_article_artifacts(limit: int = PER_ARTICLE_ARTIFACTS_LIMIT) -> bool:
    """Whether this flow run shows each article as artifacts: only when its inputs hold at
    most ``limit`` articles (an index artifact stands in above)."""
    expected = _expected_articles(_flow_run_id())
    return expected is None or expected <= limit


class ArticleArtifacts:
    """The one cap on per-article artifacts in a flow run: which stored articles get theirs.

    None when the run's inputs hold more than ``limit`` articles; else the first ``limit``
    stored (the count of the inputs is unknown for some, e.g. links, so the cap holds there
    too). A run that leaves any article out, or stores more than ``limit``, gets the
    ``article-index`` artifact listing every article (:attr:`indexed`).
    """

    def __init__(self, limit: int = PER_ARTICLE_ARTIFACTS_LIMIT, *, small: bool | None = None):
        self.limit = limit
        self.small = per_article_artifacts(limit) if small is None else small
        self.left = limit if self.small else 0
        self.skipped = 0

    def take(self, count: int) -> int:
        """How many of the next ``count`` stored articles get their artifacts."""
        shown = min(count, self.left)
        self.left -= shown
        self.skipped += count - shown
        return shown

    def indexed(self, stored: int) -> bool:
        """Whether the run's articles are listed in the index artifact instead."""
        return not self.small or bool(self.skipped) or stored > self.limit


def _flow_run_id() -> str:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id or "")
    except Exception:
        return ""


@functools.lru_cache(maxsize=64)
def _expected_articles(flow_run_id: str) -> int | None:
    """How many articles the flow run's inputs hold (counted once per run and process)."""
    if not flow_run_id:
        return None
    try:
        from prefect.runtime import flow_run

        params = flow_run.parameters
        inputs = [str(i) for i in params.get("inputs") or []]
        return expected_articles(inputs, len(params.get("pasted") or []))
    except Exception:  # unknown: show the articles, as small runs do
        return None


def publish_article(translated: TranslatedArticle, *, engine: str, pseudo: bool) -> None:
    """One markdown artifact per target language, keyed ``article-<id>-<lang>`` and
    described by the headline (which articles get one: :class:`ArticleArtifacts`)."""
    article = translated.article
    for lang in translated.translations:
        create_markdown_artifact(
            key=artifact_key(article.id, lang),
            markdown=article_markdown(translated, engine=engine, pseudo=pseudo, langs=[lang]),
            description=md(f"{article.title or article.id} — {label(lang)} ({article.id})"),
        )


def _status(outcome: ArticleOutcome) -> str:
    if outcome.status == Status.DONE:
        return "resumed" if outcome.resumed else "done"
    return str(outcome.status)


def _engine_cell(outcome: ArticleOutcome, summary: RunSummary) -> str:
    labels = engine_labels(outcome, summary.engine_name)
    if not labels:
        return summary.engine_of(outcome) if outcome.status == Status.DONE else ""
    names = {f"{name} (PSEUDO)" if pseudo else name for name, pseudo in labels.values()}
    if len(names) == 1:
        return names.pop()
    return ", ".join(
        f"{lang} {name}{' (PSEUDO)' if pseudo else ''}" for lang, (name, pseudo) in labels.items()
    )


def article_rows(summary: RunSummary) -> list[dict]:
    """The table an editor reads without scrolling: article, status, engine, names fixed
    and flags (failed and skipped articles too; their reasons, and what each target
    publishes, are in the details)."""
    rows = []
    for outcome in summary.outcomes:
        targets = outcome.targets.values()
        rows.append(
            {
                "article": cell(outcome.id),
                "status": _status(outcome),
                "engine": cell(_engine_cell(outcome, summary)),
                "names fixed": sum(t.changes for t in targets),
                "flags": sum(t.flags for t in targets),
            }
        )
    return rows[:MAX_TABLE_ROWS]


def details_markdown(summary: RunSummary) -> str:
    """The columns the table leaves out: title, languages, detection, segments, unresolved
    names, what each target publishes, and why an article failed or was skipped."""
    lines = [
        f"# Articles of run {md(summary.run_id)}: details",
        "",
        "| article | title | language (confidence) | segments | unresolved names | publishable "
        "| reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in summary.outcomes[:MAX_TABLE_ROWS]:
        language = outcome.source_language
        detected = f"{md(language.code)} ({language.confidence:.2f})" if language else ""
        unresolved = sum(len(t.unresolved) for t in outcome.targets.values())
        lines.append(
            f"| {code(outcome.id)} | {md(outcome.title)} | {detected} | {outcome.segments} | "
            f"{unresolved} | {md(publishable_cell(outcome))} | {md(outcome.reason or '')} |"
        )
    more = len(summary.outcomes) - MAX_TABLE_ROWS
    if more > 0:
        lines += ["", f"… and {more} more (see run.json)."]
    return "\n".join(lines)


def index_markdown(summary: RunSummary, location: str, review_url: str | None) -> str:
    """One artifact for a big run: every stored article with a link to read it."""
    lines = [
        f"# Articles of run {md(summary.run_id)}",
        "",
        f"{len(summary.done)} article(s) stored — more than {PER_ARTICLE_ARTIFACTS_LIMIT}, so "
        "they are listed here rather than as one artifact each.",
        "",
        "| article | title | engine | names fixed | flags | publishable | read it |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in summary.done[:MAX_TABLE_ROWS]:
        if review_url:
            target = quote(f"{review_url.rstrip('/')}/articles/{outcome.id}", safe=":/?#@%~")
            where = f"[review app]({target})"
        else:
            where = code(f"{location}/{outcome.id}/report.html")
        targets = outcome.targets.values()
        lines.append(
            f"| {code(outcome.id)} | {md(outcome.title)} | {md(_engine_cell(outcome, summary))} "
            f"| {sum(t.changes for t in targets)} | {sum(t.flags for t in targets)} "
            f"| {md(publishable_cell(outcome))} | {where} |"
        )
    more = len(summary.done) - MAX_TABLE_ROWS
    if more > 0:
        lines += ["", f"… and {more} more (see run.json)."]
    return "\n".join(lines)


def run_markdown(
    summary: RunSummary, location: str, review_url: str | None, indexed: bool | None = None
) -> str:
    """The run at a glance: counts, engines, where the files are, how to review, what failed.

    ``indexed``: whether the articles are in the index artifact (default: as a run of
    ``summary``'s size would be, see :class:`ArticleArtifacts`)."""
    totals = summary.totals()
    lines = [f"# Run {md(summary.run_id)}", ""]
    if summary.all_pseudo:
        lines += [
            f"> {PSEUDO_NOTE} No article of this run was translated: every target is a "
            "pseudo-localized test rendering. Install a model (`l10n models install`) and run "
            "again to translate.",
            "",
        ]
    elif summary.some_pseudo:
        lines += [
            f"> **{len(summary.pseudo_articles)} of {len(summary.done)} articles have "
            "PSEUDO-LOCALIZED targets — not a translation** (marked PSEUDO in the engine "
            "column of the articles table); the other targets are not pseudo.",
            "",
        ]
    lines += [
        f"{len(summary.done)} done · {len(summary.skipped)} skipped · {len(summary.failed)} "
        f"failed · {len(summary.input_errors)} unreadable input(s) — {totals['changes']} "
        f"glossary fix(es), {totals['unresolved']} unresolved, {totals['flags']} QA flag(s).",
        "",
        f"Engine: {md(_engines(summary))}.",
        "",
        _publishable_summary(summary),
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
    if indexed is None:
        indexed = ArticleArtifacts().indexed(len(summary.done))
    if indexed:
        where = f"listed with links in the `{INDEX_KEY}` artifact"
    else:
        where = "in its own artifact of this run, keyed `article-<id>-<lang>`"
    lines += ["", f"Each article's text is {where}.", ""]
    if summary.failed or summary.input_errors:
        lines += ["## What failed", ""]
        items = [f"- {md(o.id)}: {md(o.reason)}" for o in summary.failed]
        items += [f"- {md(e['path'])}: {md(e['message'])}" for e in summary.input_errors]
        lines += _capped_list(items)
    if summary.warnings:
        lines += ["## Warnings", "", *_capped_list([f"- {md(w)}" for w in summary.warnings])]
    return "\n".join(lines)


def _publishable_summary(summary: RunSummary) -> str:
    targets = [
        (target.reviews or ReviewCounts(0, 0, outcome.segments)).publishable
        for outcome in summary.done
        for target in outcome.targets.values()
    ]
    return (
        f"Publishable: {sum(targets)} of {len(targets)} target(s) have every segment approved "
        "(`<lang>.reviewed.txt`); the others are drafts (`<lang>.draft.txt`, segments not "
        "approved marked) or not reviewed yet (`<lang>.txt`)."
    )


def _engines(summary: RunSummary) -> str:
    used: dict[str, int] = {}
    for outcome in summary.done:
        name = summary.engine_of(outcome)
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


def publish_run_artifacts(
    summary: RunSummary,
    location: str,
    review_url: str | None,
    articles: ArticleArtifacts | None = None,
) -> None:
    """``location`` is where readers find the run: the local folder or its URL; ``articles``
    the cap the run's articles were shown under (default: a fresh one, as for a run that
    showed none yet)."""
    indexed = (articles or ArticleArtifacts()).indexed(len(summary.done))
    create_table_artifact(
        key="translated-articles",
        table=article_rows(summary),
        description=f"Articles of run {md(summary.run_id)} (the rest: translated-articles-details)",
    )
    create_markdown_artifact(
        key="translated-articles-details",
        markdown=details_markdown(summary),
        description=f"Articles of run {md(summary.run_id)}: languages, segments, reasons",
    )
    if indexed:
        create_markdown_artifact(
            key=INDEX_KEY,
            markdown=index_markdown(summary, location, review_url),
            description=f"The {len(summary.done)} articles of run {md(summary.run_id)}",
        )
    create_markdown_artifact(
        key="run-summary",
        markdown=run_markdown(summary, location, review_url, indexed),
        description=f"Run {md(summary.run_id)}",
    )
    if review_url:
        create_link_artifact(
            key="review-app",
            link=review_url,
            link_text=f"Review run {summary.run_id} in the review app",
            description="The review app (l10n review serve) on the machine that ran the run",
        )
