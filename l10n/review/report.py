"""The run report: an index page and one self-contained page per article.

A run of any size opens in a browser: the index holds one row per article (counts,
search, filters kept in the URL) and links to ``<article>/report.html``, which shows
source, raw MT and corrected text side by side. Article text comes from arbitrary web
pages, so templates autoescape everything, and a Content-Security-Policy admits only the
page's own script and style (by hash): markup hidden in a story can't run or load anything
even if escaping were ever missed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup

from l10n.models import Action, ArticleOutcome, TargetSummary, TranslatedArticle
from l10n.review.diffs import translation_diff
from l10n.review.html import asset, diff_html, environment, hash_source
from l10n.run import layout
from l10n.run.summary import RunSummary

PSEUDO_BANNER = "PSEUDO-LOCALIZED — not a translation"
PACKAGE = "l10n.review"
_CHUNK_CHARS = 1 << 16


def _page(template: str, script_name: str, **context: Any) -> bytes:
    return b"".join(_page_chunks(template, script_name, **context))


def _page_chunks(template: str, script_name: str, **context: Any) -> Iterator[bytes]:
    """The page, rendered as it is written: about 64 KB of UTF-8 at a time."""
    style, script = asset(PACKAGE, "report.css"), asset(PACKAGE, script_name)
    csp = (
        "default-src 'none'; "
        f"style-src {hash_source(style)}; script-src {hash_source(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    pieces = (
        environment(PACKAGE)
        .get_template(template)
        .generate(csp=csp, style=Markup(style), script=Markup(script), **context)
    )
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK_CHARS:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def render_index(summary: RunSummary) -> Iterator[bytes]:
    """``report.html`` of the run, one row per article linking to its page, in chunks: a
    row is built as it is written, so a run of any size never holds the whole page."""
    packages = ", ".join(
        f"{p.name} {p.version} ({p.source}→{p.target})"
        for engine in summary.engines
        for p in engine.packages
    )
    return _page_chunks(
        "index.html",
        "index.js",
        run=summary,
        pseudo=summary.all_pseudo,
        pseudo_articles=len(summary.pseudo_articles),
        packages=packages,
        totals=summary.totals(),
        problems=_problems(summary),
        rows=_IndexRows(summary),
    )


class _IndexRows:
    """The index's rows, counted at once and built one at a time as the page is written."""

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary
        self.outcomes = summary.done

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (_index_row(o, self.summary) for o in self.outcomes)


def _problems(summary: RunSummary) -> list[str]:
    problems = [
        f"{o.status} {o.id} ({o.input}): {o.reason}" for o in summary.outcomes if o.status != "done"
    ]
    for error in summary.input_errors:
        where = str(error.get("path"))
        if error.get("line") is not None:
            where += f":{error['line']}"
        problems.append(f"input error {where}: {error.get('message')}")
    return problems


def _index_row(outcome: ArticleOutcome, summary: RunSummary) -> dict[str, Any]:
    targets = outcome.targets
    data: dict[str, int] = {}
    counters: dict[str, Callable[[TargetSummary], int]] = {
        "flagged": lambda t: t.flags,
        "changed": lambda t: t.changes,
        "unresolved": lambda t: len(t.unresolved),
    }
    for key, count in counters.items():
        for lang, info in targets.items():
            data[f"{key}-{lang}"] = count(info)
        data[key] = sum(count(info) for info in targets.values())
    language = outcome.source_language
    return {
        "id": outcome.id,
        "href": f"{outcome.id}/{layout.REPORT}",
        "title": outcome.title,
        "search": f"{outcome.id} {outcome.title}".lower(),
        "source": f"{language.code} {language.confidence:.2f}" if language else "",
        "engine": summary.engine_of(outcome),
        "pseudo_langs": summary.pseudo_langs(outcome),
        "langs": [
            f"{lang}" if info.action != Action.COPY else f"{lang} (copy)"
            for lang, info in targets.items()
        ],
        "publish": [
            f"{lang} {info.reviews.verdict()}"
            for lang, info in targets.items()
            if info.reviews is not None
        ],
        "segments": outcome.segments,
        "changes": data["changed"],
        "unresolved": data["unresolved"],
        "flags": data["flagged"],
        "data": data,
    }


def render_article_page(translated: TranslatedArticle, run_id: str) -> bytes:
    """``<article>/report.html``: every segment in every language, with diffs and notes."""
    article = translated.article
    rows = []
    for lang, items in translated.translations.items():
        for segment, view in zip(translated.plan.segments, items, strict=True):
            mt_html, final_html = diff_html(translation_diff(view))
            rows.append(
                {
                    "index": segment.index,
                    "where": "title" if segment.paragraph < 0 else f"¶{segment.paragraph + 1}",
                    "lang": lang,
                    "source": segment.text,
                    "mt_html": mt_html,
                    "final_html": final_html,
                    "changed": 1 if view.changed else 0,
                    "changes": view.changes,
                    "unresolved": view.unresolved,
                    "flags": view.flags,
                    "review": view.review,
                    "provenance": view.provenance,
                    "final": view.final,
                }
            )
    rows.sort(key=lambda r: (r["index"], r["lang"]))
    # Attributes, not keys: Jinja reads ``row.lang`` with getattr first, and a dict makes
    # every one of the page's thousands of lookups raise and catch an AttributeError.
    return _page(
        "article.html",
        "article.js",
        run_id=run_id,
        pseudo=_all_pseudo(translated),
        pseudo_langs=[lang for lang in translated.translations if translated.is_pseudo(lang)],
        article=SimpleNamespace(
            id=article.id,
            title=article.title,
            input=article.input_path,
            source_language=translated.source_language,
            status=translated.status,
            encoding=article.encoding,
            dropped=article.dropped_lines,
            langs=list(translated.translations),
            rows=[SimpleNamespace(**row) for row in rows],
        ),
    )


def _all_pseudo(translated: TranslatedArticle) -> bool:
    """Every target of the article is pseudo-localized (a provided draft beside a pseudo
    target is not)."""
    langs = list(translated.translations)
    return bool(langs) and all(translated.is_pseudo(lang) for lang in langs)
