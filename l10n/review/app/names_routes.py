"""The names panel's page and its one write: apply a chosen rendering (see
:mod:`l10n.review.name_choice`). The article page shows the same panel for its own names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.models import TranslatedArticle
from l10n.review.app.body import error, read_json
from l10n.review.app.catalog import UnknownRun
from l10n.review.app.failures import save_failed
from l10n.review.app.names_view import names_data, names_view
from l10n.review.name_choice import MAX_SEGMENTS, NameChoice, apply_name_choice

if TYPE_CHECKING:
    from l10n.review.app.routes import ReviewApp

MAX_FIELD = 400


def segment_link(run_id: str) -> Any:
    from l10n.review.app.routes import article_href

    def href(article: str, segment: int, lang: str) -> str:
        return f"{article_href(run_id, article)}#u-{lang}-{segment}"

    return href


def article_names_panel(
    run_id: str, translated: TranslatedArticle, glossary: Glossary | None
) -> list[dict[str, Any]]:
    """The names panel of one article: its names, renderings and what a choice rewrites."""
    return names_view(names_data([translated], glossary), glossary, run_id, segment_link(run_id))


class NamesRoutes:
    def __init__(self, app: ReviewApp) -> None:
        self.app = app

    async def page(self, request: Request) -> Response:
        return await run_in_threadpool(
            self._page, request.path_params["run_id"], request.query_params.get("lang", "")
        )

    def _page(self, run_id: str, lang: str) -> Response:
        from l10n.review.app.routes import run_href

        app = self.app
        try:
            run = app.catalog.open_run(run_id)
            app.refresher.flush(run_id)
            summary = app.catalog.summary(run)
            glossary = app.catalog.glossary(run)
            done = [o.id for o in summary.done]
            data = names_data((run.read_article(a) for a in done), glossary.glossary)
        except UnknownRun:
            return app.error_page(404, "No such run", f"There is no run {run_id!r} here.")
        except L10nError as exc:
            return app.error_page(500, "Run can't be read", str(exc))
        chosen = lang if lang in summary.targets else ""
        names = names_view(data, glossary.glossary, run_id, segment_link(run_id), chosen or None)
        return app.page(
            "names.html",
            run=summary,
            run_href=run_href(run_id),
            names=names,
            lang=chosen,
            notice=glossary.notice,
            inconsistent=sum(not n["consistent"] for n in names),
        )

    async def apply(self, request: Request) -> Response:
        data, problem = await read_json(request, "choice")
        if problem is not None:
            return problem
        try:
            run_id, choice = _parse_choice(data, self.app.reviewer)
        except ValueError as exc:
            return error(400, str(exc))
        return await run_in_threadpool(self._apply, run_id, choice)

    def _apply(self, run_id: str, choice: NameChoice) -> Response:
        app = self.app
        try:
            run = app.catalog.open_run(run_id)
            app.refresher.flush(run_id)
            with app.catalog.write_lock(run.run_id):
                result = apply_name_choice(
                    run,
                    choice,
                    glossary=app.catalog.glossary(run).glossary,
                    memory_location=app.catalog.memory_location(run),
                )
        except (UnknownRun, L10nError) as exc:
            return save_failed(exc, run_id)
        parts = [
            f"{choice.form!r} is now written {choice.text!r} in {len(result.edited)} segment(s) "
            f"({choice.lang}) — saved as your edits, not approved: approve each in its article"
        ]
        if result.unchanged:
            parts.append(f"{len(result.unchanged)} already wrote it so")
        parts.append(f"{result.inconsistent} segment(s) of the run still flagged name-inconsistent")
        return JSONResponse(
            {
                "ok": True,
                "edited": result.edited,
                "unchanged": result.unchanged,
                "inconsistent": result.inconsistent,
                "message": " · ".join(parts),
            }
        )


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_FIELD:
        raise ValueError(f"'{name}' must be a non-empty string of at most {MAX_FIELD} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"'{name}' holds invalid Unicode (a lone surrogate)") from None
    return value


def _parse_choice(data: Any, default_reviewer: str) -> tuple[str, NameChoice]:
    """(run id, choice) from the request body; ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the choice must be a JSON object")
    run_id, lang, key, form, text = (_text(data, n) for n in ("run", "lang", "key", "form", "text"))
    reviewer = data.get("reviewer") or default_reviewer
    if not isinstance(reviewer, str) or len(reviewer) > 80:
        raise ValueError("'reviewer' must be a name of at most 80 characters")
    if not reviewer.strip():
        raise ValueError("type your name in Reviewer: every edit is saved with it")
    items = data.get("segments")
    if not isinstance(items, list) or not items or len(items) > MAX_SEGMENTS:
        raise ValueError(f"'segments' must list 1 to {MAX_SEGMENTS} segments")
    segments = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("each segment must be {article, segment, base}")
        article, segment, base = item.get("article"), item.get("segment"), item.get("base")
        if (
            not isinstance(article, str)
            or not article
            or not isinstance(segment, int)
            or isinstance(segment, bool)
            or segment < 0
            or not isinstance(base, str)
            or len(base) > MAX_FIELD
        ):
            raise ValueError("each segment must be {article, segment, base}")
        segments.append((article, segment, base))
    return run_id, NameChoice(lang, key, form, text, reviewer, tuple(segments))
