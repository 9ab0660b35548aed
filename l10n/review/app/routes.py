"""The review app's routes: server-rendered pages and JSON endpoints for decisions (and the
names panel's choices, :mod:`l10n.review.app.names_routes`).

Pages are rendered with Jinja2 (autoescape on); their only script and style are inline and
admitted by hash in the Content-Security-Policy, so markup hidden in an article can't run,
load or send anything. Writes go through :func:`l10n.review.decisions.save_decisions`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from l10n.errors import L10nError
from l10n.models import Channel, ReviewStatus
from l10n.review.app.body import error as _error
from l10n.review.app.body import read_json
from l10n.review.app.catalog import Catalog, UnknownRun
from l10n.review.app.failures import save_failed
from l10n.review.app.guard import SameOriginGuard, local_origins
from l10n.review.app.names_routes import NamesRoutes, article_names_panel
from l10n.review.app.refresher import SummaryRefresher
from l10n.review.app.views import (
    FLAG_CODES,
    SHOW_CHOICES,
    Filters,
    article_view,
    progress,
    run_view,
    unit_view,
)
from l10n.review.decisions import (
    Decision,
    SaveResult,
    save_decisions,
)
from l10n.review.html import asset, environment, hash_source
from l10n.review.names import DROPPED_NAME, article_names
from l10n.run.store import Run

MAX_COMMENT = 2_000
MAX_REVIEWER = 80
ACTIONS = {
    "approve": ReviewStatus.APPROVED,
    "reject": ReviewStatus.REJECTED,
    "comment": ReviewStatus.COMMENTED,
}
MAX_BASE = 400
PACKAGE = "l10n.review.app"


def content_security_policy() -> str:
    """Only the app's own inline style and script (by hash); fetches to this origin only."""
    return (
        "default-src 'none'; "
        f"style-src {hash_source(asset(PACKAGE, 'app.css'))}; "
        f"script-src {hash_source(asset(PACKAGE, 'app.js'))}; "
        "connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def run_href(run_id: str) -> str:
    return f"/runs/{quote(run_id, safe='')}"


def article_href(run_id: str, article_id: str) -> str:
    return f"{run_href(run_id)}/articles/{quote(article_id, safe='')}"


class ReviewApp:
    """The handlers, sharing the catalog, this start's token and the default reviewer."""

    def __init__(
        self, catalog: Catalog, *, token: str, reviewer: str, summary_delay: float = 0.5
    ) -> None:
        self.catalog = catalog
        self.token = token
        self.reviewer = reviewer
        self.refresher = SummaryRefresher(catalog, delay=summary_delay)

    # -- rendering -----------------------------------------------------------

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        from markupsafe import Markup

        html = (
            environment(PACKAGE)
            .get_template(template)
            .render(
                token=self.token,
                reviewer=self.reviewer,
                style=Markup(asset(PACKAGE, "app.css")),
                script=Markup(asset(PACKAGE, "app.js")),
                show_choices=SHOW_CHOICES,
                flag_codes=FLAG_CODES,
                **context,
            )
        )
        return HTMLResponse(
            html, status_code=status, headers={"content-security-policy": content_security_policy()}
        )

    def error_page(self, status: int, title: str, message: str) -> HTMLResponse:
        return self.page("error.html", status, title=title, message=message)

    def _open(self, run_id: str) -> Run:
        return self.catalog.open_run(run_id)

    # -- pages ---------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return await run_in_threadpool(self._home)

    def _home(self) -> Response:
        self.refresher.flush()
        entries = self.catalog.runs()
        if self.catalog.single:
            return RedirectResponse(run_href(entries[0].run_id), status_code=303)
        rows = []
        empty = 0
        for entry in entries:
            row: dict[str, Any] = {"id": entry.run_id, "href": run_href(entry.run_id)}
            try:
                summary = Run.open(entry.location).read_summary()
            except L10nError as exc:
                row["error"] = str(exc)
            else:
                if not summary.done:  # a failed attempt that stored nothing: not a run to review
                    empty += 1
                    continue
                row.update(
                    started=summary.started,
                    targets=summary.targets,
                    engine=summary.engine_name,
                    pseudo=summary.pseudo_label,
                    pseudo_count=len(summary.pseudo_articles),
                    articles=len(summary.done),
                    totals=summary.totals(),
                )
            rows.append(row)
        # Newest first by start time: ids named in Prefect's UI ("small-fox") don't sort by it.
        rows.sort(key=lambda row: str(row.get("started") or ""), reverse=True)
        return self.page("runs.html", location=self.catalog.location, rows=rows, empty=empty)

    async def run_page(self, request: Request) -> Response:
        return await run_in_threadpool(
            self._run_page, request.path_params["run_id"], dict(request.query_params)
        )

    def _run_page(self, run_id: str, params: dict[str, str]) -> Response:
        try:
            run = self._open(run_id)
            notice = self.refresher.flush(run_id)
            summary = self.catalog.summary(run)
        except UnknownRun:
            return self.error_page(404, "No such run", f"There is no run {run_id!r} here.")
        except L10nError as exc:
            return self.error_page(500, "Run can't be read", str(exc))
        filters = Filters.from_query(params, summary.targets)
        view = run_view(summary, filters)

        def page_href(page: int) -> str:
            query = {k: v for k, v in (("q", filters.q), ("lang", filters.lang)) if v}
            if filters.show:
                query["show"] = filters.show
            if filters.flag:
                query["flag"] = filters.flag
            query["page"] = str(page)
            return "?" + urlencode(query)

        return self.page(
            "run.html",
            notice=notice,
            view=view,
            filters=filters,
            run_href=run_href(run_id),
            article_href=lambda article_id: article_href(run_id, article_id),
            page_href=page_href,
        )

    async def article_page(self, request: Request) -> Response:
        return await run_in_threadpool(
            self._article_page,
            request.path_params["run_id"],
            request.path_params["article_id"],
            dict(request.query_params),
        )

    def _article_page(self, run_id: str, article_id: str, params: dict[str, str]) -> Response:
        try:
            run = self._open(run_id)
            summary = self.catalog.summary(run)
            if article_id not in {o.id for o in summary.done}:
                return self.error_page(
                    404, "No such article", f"Run {run_id} has no finished article {article_id!r}."
                )
            translated = run.read_article(article_id)
            glossary = self.catalog.glossary(run)
        except UnknownRun:
            return self.error_page(404, "No such run", f"There is no run {run_id!r} here.")
        except L10nError as exc:
            return self.error_page(500, "Article can't be read", str(exc))
        filters = Filters.from_query(params, list(translated.translations))
        names = article_names(translated, glossary.glossary)

        def page_href(page: int) -> str:
            query = {k: v for k, v in (("q", filters.q), ("lang", filters.lang)) if v}
            query.update(
                {
                    k: v
                    for k, v in (
                        ("show", filters.show),
                        ("flag", filters.flag),
                        ("order", filters.order),
                    )
                    if v
                }
            )
            query["page"] = str(page)
            return "?" + urlencode(query)

        return self.page(
            "article.html",
            page_href=page_href,
            run=summary,
            article=article_view(run_id, translated, names, filters),
            pseudo_langs=[lang for lang in translated.translations if translated.is_pseudo(lang)],
            filters=filters,
            notice=glossary.notice,
            run_href=run_href(run_id),
            names_panel=article_names_panel(run_id, translated, glossary.glossary),
        )

    # -- writes --------------------------------------------------------------

    async def decision(self, request: Request) -> Response:
        data, problem = await read_json(request, "decision")
        if problem is not None:
            return problem
        try:
            request_data = _parse_decision(data, self.reviewer)
        except ValueError as exc:
            return _error(400, str(exc))
        return await run_in_threadpool(self._decide, *request_data)

    def _decide(self, run_id: str, article_id: str, decision: Decision) -> Response:
        try:
            run = self._open(run_id)
            if article_id not in {o.id for o in self.catalog.summary(run).done}:
                return _error(404, f"run {run_id} has no finished article {article_id!r}")
            with self.catalog.write_lock(run.run_id):
                result = save_decisions(
                    run,
                    article_id,
                    [decision],
                    glossary=self.catalog.glossary(run).glossary,
                    memory_location=self.catalog.memory_location(run),
                    refresh=False,
                )
            self.refresher.add(run.run_id, article_id)
        except (UnknownRun, L10nError) as exc:
            return save_failed(exc, run_id)
        return self._saved(run_id, result)

    def _saved(self, run_id: str, result: SaveResult) -> Response:
        translation = result.updated[0]
        unit = unit_view(run_id, result.article, translation)
        html = environment(PACKAGE).get_template("unit.html").render(unit=unit)
        dropped = [f for f in translation.flags if f.code == DROPPED_NAME]
        parts = [f"Saved: segment {translation.segment} ({translation.lang}) {unit['status']}"]
        if result.memory_approved:
            parts.append("approved text kept in the translation memory")
        if result.memory_note:
            parts.append(result.memory_note)
        if dropped:
            parts.append("the edit dropped a glossary name — check it")
        return JSONResponse(
            {
                "ok": True,
                "status": unit["status"],
                "html": html,
                "message": " · ".join(parts),
                "warning": bool(dropped or result.memory_error),
                "flags": [f.code for f in translation.flags],
                "progress": {
                    lang: {"label": p["label"], "done": p["done"]}
                    for lang, p in progress(result.article, result.counts).items()
                },
            }
        )


def _parse_decision(data: Any, default_reviewer: str) -> tuple[str, str, Decision]:
    """(run id, article id, decision) from the request body; ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the decision must be a JSON object")
    run_id, article_id, lang = data.get("run"), data.get("article"), data.get("lang")
    for name, value in (("run", run_id), ("article", article_id), ("lang", lang)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"'{name}' must be a non-empty string")
    assert isinstance(run_id, str) and isinstance(article_id, str) and isinstance(lang, str)
    segment = data.get("segment")
    if not isinstance(segment, int) or isinstance(segment, bool) or segment < 0:
        raise ValueError("'segment' must be a segment number")
    action = data.get("action")
    if action not in ACTIONS:
        raise ValueError("'action' must be 'approve', 'reject' or 'comment'")
    for name in ("run", "article", "lang", "text", "comment", "reviewer", "base"):
        value = data.get(name)
        if isinstance(value, str) and not _valid_unicode(value):
            raise ValueError(
                f"'{name}' holds invalid Unicode (a lone surrogate) — retype or paste it again"
            )
    base = data.get("base")
    if base is not None and (not isinstance(base, str) or len(base) > MAX_BASE):
        raise ValueError("'base' must be the review version the page loaded, or null")
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError("'text' must be a string or null")
    comment = data.get("comment") or ""
    reviewer = data.get("reviewer") or default_reviewer
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise ValueError(f"'comment' must be text of at most {MAX_COMMENT} characters")
    if not isinstance(reviewer, str) or len(reviewer) > MAX_REVIEWER:
        raise ValueError(f"'reviewer' must be a name of at most {MAX_REVIEWER} characters")
    if not reviewer.strip():
        raise ValueError("type your name in Reviewer: every decision is saved with it")
    decision = Decision(
        segment=segment,
        lang=lang,
        status=ACTIONS[action],
        reviewer=reviewer,
        text=text,
        comment=comment,
        origin=Channel.APP,
        base=base,
    )
    return run_id, article_id, decision


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def create_app(
    catalog: Catalog, *, token: str, port: int, reviewer: str = "", summary_delay: float = 0.5
) -> Starlette:
    """The review app for ``catalog``, answering only at 127.0.0.1/localhost:``port``.

    ``summary_delay``: seconds the run summary waits for more decisions before it is written.
    """
    app = ReviewApp(catalog, token=token, reviewer=reviewer, summary_delay=summary_delay)
    names = NamesRoutes(app)
    hosts, origins = local_origins(port)
    starlette = Starlette(
        routes=[
            Route("/", app.home, methods=["GET"]),
            Route("/runs/{run_id}", app.run_page, methods=["GET"]),
            Route("/runs/{run_id}/articles/{article_id:path}", app.article_page, methods=["GET"]),
            Route("/runs/{run_id}/names", names.page, methods=["GET"]),
            Route("/api/decision", app.decision, methods=["POST"]),
            Route("/api/names/apply", names.apply, methods=["POST"]),
        ],
        middleware=[Middleware(SameOriginGuard, token=token, hosts=hosts, origins=origins)],
    )
    starlette.state.refresher = app.refresher  # flushed by whoever stops the app
    return starlette
