"""Storing parallel versions: source, raw MT and corrected text side by side.

Every file is written atomically and ``manifest.json`` is written last, so an
article folder with a manifest is complete; a resumed run redoes the others.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from l10n.models import Segment, Translation, to_jsonable
from l10n.mt.engines.pseudo import PSEUDO_LABEL
from l10n.run.atomic import write_json_atomic, write_jsonl_atomic, write_text_atomic
from l10n.text.languages import sentence_joiner
from l10n.text.plan import ArticlePlan

PSEUDO_HEADER = f"# {PSEUDO_LABEL}\n\n"
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def check_run_id(run_id: str) -> str:
    if not _RUN_ID_RE.match(run_id) or run_id in {".", ".."}:
        raise ValueError(
            f"run id {run_id!r} is not a safe folder name: use letters, digits, '.', '_' or '-'"
        )
    return run_id


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class RunContext:
    """What every article of a run shares, as recorded in its manifest."""

    run_dir: Path
    targets: list[str]
    engine: dict[str, Any]
    glossary: dict[str, Any]
    started: str = field(default_factory=now_iso)


def article_fingerprint(plan: ArticlePlan, ctx: RunContext) -> str:
    """Identifies the work an article folder holds, so a resumed run can trust it."""
    payload = json.dumps(
        [plan.article.text, ctx.targets, ctx.engine, ctx.glossary.get("sha256")],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_article_complete(article_dir: Path, fingerprint: str) -> bool:
    try:
        manifest = json.loads((article_dir / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("fingerprint") == fingerprint


def join_paragraphs(segments: list[Segment], texts: list[str], lang: str) -> str:
    """Rebuild the article's paragraph structure from per-segment texts."""
    joiner = sentence_joiner(lang)
    paragraphs: list[list[str]] = []
    last: int | None = None
    for seg, text in zip(segments, texts, strict=True):
        if seg.paragraph != last:
            paragraphs.append([])
            last = seg.paragraph
        paragraphs[-1].append(text.strip())
    return "\n\n".join(joiner.join(p) for p in paragraphs) + "\n"


def write_article(
    plan: ArticlePlan,
    translations: dict[str, list[Translation]],
    ctx: RunContext,
    timings: dict[str, float],
) -> Path:
    store_started = time.perf_counter()
    article = plan.article
    assert plan.language is not None
    article_dir = ctx.run_dir / article.id
    pseudo = bool(ctx.engine.get("pseudo"))
    targets_meta: dict[str, Any] = {}
    for lang, rows in translations.items():
        copied = plan.actions[lang] == "copy"
        header = PSEUDO_HEADER if pseudo and not copied else ""
        mt_text = join_paragraphs(plan.segments, [t.mt for t in rows], lang)
        final_text = join_paragraphs(plan.segments, [t.final for t in rows], lang)
        write_text_atomic(article_dir / f"{lang}.mt.txt", header + mt_text)
        write_text_atomic(article_dir / f"{lang}.txt", header + final_text)
        unresolved = sorted({e for t in rows for e in t.unresolved})
        targets_meta[lang] = {
            "action": plan.actions[lang],
            "mt_file": f"{lang}.mt.txt",
            "file": f"{lang}.txt",
            "changes": sum(len(t.changes) for t in rows),
            "unresolved": unresolved,
            "flags": sum(len(t.flags) for t in rows),
        }
    write_text_atomic(article_dir / "source.txt", article.text + "\n")
    write_jsonl_atomic(article_dir / "segments.jsonl", segment_rows(plan, translations))
    manifest = {
        "id": article.id,
        "title": article.title,
        "input": article.input_path,
        "input_line": article.input_line,
        "status": "copied" if all(a == "copy" for a in plan.actions.values()) else "translated",
        "source_language": to_jsonable(plan.language),
        "paragraph_languages": [to_jsonable(p) for p in plan.paragraph_languages],
        "engine": ctx.engine,
        "pseudo": pseudo,
        "glossary": ctx.glossary,
        "targets": targets_meta,
        "segments": len(plan.segments),
        "dropped_lines": to_jsonable(article.dropped_lines),
        "timings": {
            k: round(v, 4)
            for k, v in {**timings, "store": time.perf_counter() - store_started}.items()
        },
        "fingerprint": article_fingerprint(plan, ctx),
        "written": now_iso(),
    }
    write_json_atomic(article_dir / "manifest.json", manifest)
    return article_dir


def segment_rows(plan: ArticlePlan, translations: dict[str, list[Translation]]) -> list[dict]:
    rows = []
    for seg in plan.segments:
        targets = {}
        for lang, items in translations.items():
            t = items[seg.index]
            targets[lang] = {
                "mt": t.mt,
                "final": t.final,
                "changes": to_jsonable(t.changes),
                "unresolved": list(t.unresolved),
                "flags": to_jsonable(t.flags),
            }
        rows.append(
            {"index": seg.index, "paragraph": seg.paragraph, "source": seg.text, "targets": targets}
        )
    return rows


def write_run_summary(ctx: RunContext, summary: dict[str, Any]) -> Path:
    path = ctx.run_dir / "run.json"
    write_json_atomic(
        path,
        {
            "run_id": ctx.run_dir.name,
            "started": ctx.started,
            "finished": now_iso(),
            "targets": ctx.targets,
            "engine": ctx.engine,
            "glossary": ctx.glossary,
            **summary,
        },
    )
    return path
