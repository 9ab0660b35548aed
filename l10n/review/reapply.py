"""Re-running glossary enforcement over a stored run, without translating again.

Editors fix a glossary after reading a run; the raw MT is stored, so the
corrected texts, change logs and counts can be rebuilt from it in seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.glossary.core import GLOSSARY_FLAG_CODES, Glossary
from l10n.models import to_jsonable
from l10n.review.files import write_article_review_files, write_run_review_files
from l10n.run.atomic import write_json_atomic, write_jsonl_atomic, write_text_atomic
from l10n.text.languages import sentence_joiner

PSEUDO_HEADER = "# PSEUDO-LOCALIZED"


@dataclass
class LangReport:
    lang: str
    segments_changed: int = 0
    changes_before: int = 0
    changes_after: int = 0
    unresolved_before: int = 0
    unresolved_after: int = 0


@dataclass
class ArticleReport:
    article_id: str
    langs: list[LangReport] = field(default_factory=list)


@dataclass
class ReapplyReport:
    articles: list[ArticleReport] = field(default_factory=list)

    @property
    def segments_changed(self) -> int:
        return sum(lang.segments_changed for a in self.articles for lang in a.langs)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc


def _read_segments(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
    return rows


def article_dirs(run_dir: Path) -> list[Path]:
    """Article folders of a run (or the folder itself when it is one article)."""
    if (run_dir / "manifest.json").is_file():
        return [run_dir]
    run_file = run_dir / "run.json"
    if run_file.is_file():
        done = _read_json(run_file).get("articles", {}).get("done", [])
        dirs = []
        for item in done:
            candidate = run_dir / (item.get("dir") or item["id"])
            if not candidate.is_dir():
                candidate = run_dir / Path(item.get("dir") or item["id"]).name
            if (candidate / "manifest.json").is_file():
                dirs.append(candidate)
        if dirs:
            return dirs
    return sorted(p.parent for p in run_dir.glob("*/manifest.json"))


def _rebuild_text(old_text: str, rows: list[dict[str, Any]], lang: str, finals: list[str]) -> str:
    """The target file with each segment's final text swapped in place.

    Replacing in the stored file keeps whatever layout the pipeline wrote; when
    a segment cannot be found the file is laid out afresh from the segments.
    """
    out: list[str] = []
    cursor = 0
    for row, new in zip(rows, finals, strict=True):
        old = row["targets"][lang]["final"]
        pos = old_text.find(old, cursor) if old else cursor
        if pos == -1:
            break
        out.append(old_text[cursor:pos])
        out.append(new)
        cursor = pos + len(old)
    else:
        out.append(old_text[cursor:])
        return "".join(out)
    joiner = sentence_joiner(lang)
    paragraphs: list[list[str]] = []
    last = None
    for row, final in zip(rows, finals, strict=True):
        if row.get("paragraph") != last or not paragraphs:
            paragraphs.append([])
            last = row.get("paragraph")
        paragraphs[-1].append(final)
    header = old_text.splitlines()[0] + "\n" if old_text.startswith(PSEUDO_HEADER) else ""
    return header + "\n\n".join(joiner.join(p) for p in paragraphs) + "\n"


def reapply_article(article_dir: Path, glossary: Glossary) -> ArticleReport:
    """Re-enforce the glossary on one stored article and rewrite its files."""
    manifest = _read_json(article_dir / "manifest.json")
    rows = _read_segments(article_dir / "segments.jsonl")
    report = ArticleReport(str(manifest.get("id", article_dir.name)))
    langs = list(manifest.get("targets", {}))
    for row in rows:
        langs.extend(lang for lang in row.get("targets", {}) if lang not in langs)
    new_texts: dict[str, str] = {}
    names = glossary.article_names([row.get("source", "") for row in rows])
    for lang in langs:
        lang_rows = [row for row in rows if lang in row.get("targets", {})]
        lang_report = LangReport(lang)
        finals: list[str] = []
        new_targets = []
        for row in rows:
            source = row.get("source", "")
            target = row.get("targets", {}).get(lang)
            if target is not None:
                result = glossary.enforce(
                    lang,
                    source,
                    target["mt"],
                    names=names,
                    segment=int(row.get("index", 0)),
                )
                kept = [
                    f for f in target.get("flags", []) if f.get("code") not in GLOSSARY_FLAG_CODES
                ]
                updated = dict(target)
                updated.update(
                    final=result.text,
                    changes=to_jsonable(result.changes),
                    unresolved=list(result.unresolved),
                    flags=kept + to_jsonable(result.flags),
                )
                lang_report.changes_before += len(target.get("changes", []))
                lang_report.changes_after += len(result.changes)
                lang_report.unresolved_before += len(target.get("unresolved", []))
                lang_report.unresolved_after += len(result.unresolved)
                if result.text != target.get("final"):
                    lang_report.segments_changed += 1
                finals.append(result.text)
                new_targets.append((row, updated))
        text_path = article_dir / f"{lang}.txt"
        old_text = text_path.read_text(encoding="utf-8") if text_path.is_file() else ""
        new_texts[lang] = _rebuild_text(old_text, lang_rows, lang, finals)
        for row, updated in new_targets:
            row["targets"][lang] = updated
        summary = manifest.setdefault("targets", {}).setdefault(lang, {})
        summary["changes"] = sum(len(r["targets"][lang]["changes"]) for r in lang_rows)
        summary["unresolved"] = sorted(
            {i for r in lang_rows for i in r["targets"][lang]["unresolved"]}
        )
        summary["flags"] = sum(len(r["targets"][lang]["flags"]) for r in lang_rows)
        report.langs.append(lang_report)
    manifest["glossary"] = {"path": str(glossary.path), "sha256": glossary.sha256}
    write_jsonl_atomic(article_dir / "segments.jsonl", rows)
    for lang, text in new_texts.items():
        write_text_atomic(article_dir / f"{lang}.txt", text)
    write_json_atomic(article_dir / "manifest.json", manifest)
    write_article_review_files(article_dir)
    return report


def reapply_run(run_dir: Path, glossary: Glossary) -> ReapplyReport:
    """Re-enforce the glossary on every article of a run and update run.json."""
    dirs = article_dirs(run_dir)
    if not dirs:
        raise ValueError(f"{run_dir}: no article folders with manifest.json; pass a run folder")
    report = ReapplyReport([reapply_article(d, glossary) for d in dirs])
    run_file = run_dir / "run.json"
    if run_file.is_file():
        run = _read_json(run_file)
        run["glossary"] = {"path": str(glossary.path), "sha256": glossary.sha256}
        totals = run.setdefault("totals", {})
        langs = [lang for a in report.articles for lang in a.langs]
        for key, before, after in (
            ("changes", "changes_before", "changes_after"),
            ("unresolved", "unresolved_before", "unresolved_after"),
        ):
            delta = sum(getattr(x, after) - getattr(x, before) for x in langs)
            totals[key] = max(0, int(totals.get(key, 0)) + delta)
        write_json_atomic(run_file, run)
        write_run_review_files(run_dir)
    return report
