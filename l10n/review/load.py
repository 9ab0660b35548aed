"""Read a stored run back for review: the one place that knows the on-disk run format.

The terminal review, the HTML report, the diff files and the XLIFF/TMX exports all see a
run through :func:`load_run`, so a damaged or foreign folder fails in one way, with one
message that names the file (and line) and says what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.errors import L10nError
from l10n.models import GlossaryChange, QAFlag

REVIEW_FORMAT = "l10n-review/1"
"""Version tag of the ``--json`` document; bumped when a field changes meaning."""


class RunReadError(L10nError):
    """A run folder (or a file in it) that can't be read; ``str()`` is the one-line message."""


@dataclass
class TargetView:
    """One segment in one target language, as stored."""

    lang: str
    mt: str
    final: str
    changes: list[GlossaryChange] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    flags: list[QAFlag] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.mt != self.final or bool(self.changes)


@dataclass
class SegmentView:
    """A source sentence (paragraph -1: the title) with its stored translations."""

    index: int
    paragraph: int
    source: str
    targets: dict[str, TargetView]


@dataclass
class ArticleView:
    """An article folder of a run: its manifest and its segments."""

    id: str
    dir: Path
    title: str
    status: str
    source_language: str
    targets: list[str]
    segments: list[SegmentView]
    manifest: dict[str, Any]

    def counts(self, lang: str | None = None) -> dict[str, int]:
        """Segments, changed segments, glossary changes, unresolved names and QA flags,
        for one target language or all of them."""
        views = [
            view
            for segment in self.segments
            for code, view in segment.targets.items()
            if lang is None or code == lang
        ]
        return {
            "segments": len(self.segments),
            "changed": sum(view.changed for view in views),
            "changes": sum(len(view.changes) for view in views),
            "unresolved": sum(len(view.unresolved) for view in views),
            "flags": sum(len(view.flags) for view in views),
        }


@dataclass
class RunView:
    """A whole run: ``run.json`` plus every article that was translated or copied."""

    dir: Path
    run_id: str
    targets: list[str]
    pseudo: bool
    info: dict[str, Any]
    articles: list[ArticleView]

    def article(self, article_id: str) -> ArticleView:
        for article in self.articles:
            if article.id == article_id:
                return article
        known = ", ".join(a.id for a in self.articles) or "none"
        raise RunReadError(
            f"{self.dir}: no article '{article_id}' in this run — choose one of: {known}"
        )


def load_run(run_dir: Path) -> RunView:
    """Read ``run.json`` and every finished article folder it lists."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunReadError(
            f"{run_dir}: no such folder — pass the run folder `l10n translate` printed "
            "(OUT/<run-id>)"
        )
    run_file = run_dir / "run.json"
    if not run_file.is_file():
        hint = _nested_run_hint(run_dir)
        raise RunReadError(f"{run_dir}: not a run folder (no run.json) — {hint}")
    info = _read_json(run_file)
    if not isinstance(info, dict):
        raise RunReadError(f"{run_file}: expected a JSON object — re-run `l10n translate`")
    engine = _field(info, "engine", dict, run_file)
    articles_info = _field(info, "articles", dict, run_file)
    done = articles_info.get("done", [])
    if not isinstance(done, list):
        raise RunReadError(f"{run_file}: 'articles.done' must be a list — re-run `l10n translate`")
    articles = []
    for entry in done:
        if not isinstance(entry, dict) or "id" not in entry:
            raise RunReadError(
                f"{run_file}: an 'articles.done' entry has no 'id' — re-run `l10n translate`"
            )
        articles.append(load_article(_article_dir(run_dir, entry)))
    return RunView(
        dir=run_dir,
        run_id=str(info.get("run_id") or run_dir.name),
        targets=[str(t) for t in _field(info, "targets", list, run_file)],
        pseudo=bool(engine.get("pseudo", False)),
        info=info,
        articles=articles,
    )


def load_article(article_dir: Path) -> ArticleView:
    """Read one article folder: ``manifest.json`` and ``segments.jsonl``."""
    article_dir = Path(article_dir)
    manifest_file = article_dir / "manifest.json"
    if not manifest_file.is_file():
        raise RunReadError(
            f"{manifest_file}: missing — the article folder is incomplete; re-run `l10n translate`"
        )
    manifest = _read_json(manifest_file)
    if not isinstance(manifest, dict):
        raise RunReadError(f"{manifest_file}: expected a JSON object — re-run `l10n translate`")
    targets = _field(manifest, "targets", dict, manifest_file)
    language = manifest.get("source_language") or {}
    segments = [
        _segment(row, segments_file, line)
        for segments_file, line, row in _read_jsonl(article_dir / "segments.jsonl")
    ]
    return ArticleView(
        id=str(manifest.get("id") or article_dir.name),
        dir=article_dir,
        title=str(manifest.get("title") or ""),
        status=str(manifest.get("status") or "translated"),
        source_language=str(language.get("code") or "und") if isinstance(language, dict) else "und",
        targets=list(targets),
        segments=segments,
        manifest=manifest,
    )


def review_document(
    run: RunView,
    *,
    lang: str | None = None,
    article: str | None = None,
    only_changed: bool = False,
) -> dict[str, Any]:
    """The review as plain JSON data, filtered like the terminal view.

    Keys and their order are part of the ``--json`` contract (see :data:`REVIEW_FORMAT`).
    """
    langs = select_langs(run, lang)
    articles = [run.article(article)] if article else run.articles
    out_articles = []
    for item in articles:
        segments = []
        for segment in select_segments(item, langs, only_changed):
            segments.append(
                {
                    "index": segment.index,
                    "paragraph": segment.paragraph,
                    "source": segment.source,
                    "targets": {
                        code: _target_json(segment.targets[code])
                        for code in langs
                        if code in segment.targets
                    },
                }
            )
        counts = {code: item.counts(code) for code in langs if code in item.targets}
        out_articles.append(
            {
                "id": item.id,
                "title": item.title,
                "status": item.status,
                "source_language": item.source_language,
                "counts": counts,
                "segments": segments,
            }
        )
    articles_info = run.info.get("articles", {})
    return {
        "format": REVIEW_FORMAT,
        "run_id": run.run_id,
        "pseudo": run.pseudo,
        "engine": run.info.get("engine", {}).get("name"),
        "targets": langs,
        "filters": {"lang": lang, "article": article, "only_changed": only_changed},
        "articles": out_articles,
        "skipped": articles_info.get("skipped", []),
        "failed": articles_info.get("failed", []),
        "input_errors": run.info.get("input_errors", []),
    }


def select_langs(run: RunView, lang: str | None) -> list[str]:
    """The target languages to show; an unknown one is a user error."""
    if lang is None:
        return list(run.targets)
    if lang not in run.targets:
        known = ", ".join(run.targets) or "none"
        raise RunReadError(f"{run.dir}: this run has no '{lang}' target — choose one of: {known}")
    return [lang]


def select_segments(
    article: ArticleView, langs: list[str], only_changed: bool
) -> list[SegmentView]:
    """Segments to show: all, or those the glossary changed in one of ``langs``."""
    if not only_changed:
        return list(article.segments)
    return [
        segment
        for segment in article.segments
        if any(code in segment.targets and segment.targets[code].changed for code in langs)
    ]


def _target_json(view: TargetView) -> dict[str, Any]:
    return {
        "mt": view.mt,
        "final": view.final,
        "changed": view.changed,
        "changes": [
            {
                "entry_id": c.entry_id,
                "before": c.before,
                "after": c.after,
                "start": c.start,
                "end": c.end,
                "rule": c.rule,
            }
            for c in view.changes
        ],
        "unresolved": list(view.unresolved),
        "flags": [
            {"code": f.code, "message": f.message, "severity": f.severity, "entry_id": f.entry_id}
            for f in view.flags
        ],
    }


def _article_dir(run_dir: Path, entry: dict[str, Any]) -> Path:
    stored = Path(str(entry.get("dir") or entry["id"]))
    candidate = stored if stored.is_absolute() else run_dir / stored
    # A run folder that was moved or copied still holds its articles by id.
    return candidate if candidate.is_dir() else run_dir / str(entry["id"])


def _nested_run_hint(folder: Path) -> str:
    runs = sorted(p.name for p in folder.iterdir() if (p / "run.json").is_file())
    if runs:
        return f"it holds runs; pass one of them, e.g. {folder / runs[-1]}"
    return "pass the run folder `l10n translate` printed (OUT/<run-id>)"


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RunReadError(f"{path}: can't read ({exc}) — check the file") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RunReadError(
            f"{path}:{exc.lineno}: invalid JSON ({exc.msg}) — restore the file or re-run "
            "`l10n translate`"
        ) from exc


def _read_jsonl(path: Path) -> list[tuple[Path, int, dict[str, Any]]]:
    if not path.is_file():
        raise RunReadError(f"{path}: missing — the article folder is incomplete; re-run the run")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RunReadError(f"{path}: can't read ({exc}) — check the file") from exc
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RunReadError(
                f"{path}:{number}: invalid JSON ({exc.msg}) — restore the file or re-run "
                "`l10n translate`"
            ) from exc
        if not isinstance(row, dict):
            raise RunReadError(f"{path}:{number}: expected a JSON object per line")
        rows.append((path, number, row))
    return rows


def _field(data: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise RunReadError(
            f"{path}: '{key}' is missing or not a {kind.__name__} — the file is not from "
            "`l10n translate`; re-run it"
        )
    return value


def _segment(row: dict[str, Any], path: Path, line: int) -> SegmentView:
    try:
        targets = {
            str(code): TargetView(
                lang=str(code),
                mt=str(data.get("mt", "")),
                final=str(data.get("final", "")),
                changes=[GlossaryChange(**c) for c in data.get("changes", [])],
                unresolved=[str(u) for u in data.get("unresolved", [])],
                flags=[QAFlag(**f) for f in data.get("flags", [])],
            )
            for code, data in row.get("targets", {}).items()
        }
        return SegmentView(
            index=int(row["index"]),
            paragraph=int(row.get("paragraph", 0)),
            source=str(row["source"]),
            targets=targets,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RunReadError(
            f"{path}:{line}: not a stored segment ({type(exc).__name__}: {exc}) — restore the "
            "file or re-run `l10n translate`"
        ) from exc
