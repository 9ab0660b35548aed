"""The run report: one self-contained HTML file a reviewer can open from disk or mail around.

Article text comes from arbitrary web pages, so every piece of it is escaped on the way
in, and a Content-Security-Policy admits only this file's own script and style (by hash):
markup hidden in a story can't run or load anything even if escaping were ever missed.
The filters only toggle ``hidden`` on rows that were rendered here; no data becomes HTML in
the browser.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path
from typing import Any

from l10n.review.diffs import char_diff
from l10n.review.load import ArticleView, RunView, SegmentView, TargetView, load_run
from l10n.run.atomic import write_text_atomic

PSEUDO_BANNER = "PSEUDO-LOCALIZED — not a translation"

_STYLE = """
:root { color-scheme: light; --line: #d0d4da; --muted: #5b6470; }
body { font: 15px/1.5 system-ui, "Noto Sans CJK JP", "Noto Sans CJK KR", sans-serif;
       margin: 0 auto; max-width: 1500px; padding: 0 1.5rem 3rem; color: #1d2329; }
h1 { font-size: 1.4rem; margin: 1.2rem 0 .3rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .4rem; }
.meta { color: var(--muted); margin: .1rem 0; }
.pseudo { background: #7a1f6b; color: #fff; font-weight: 700; font-size: 1.3rem;
          padding: .6rem 1rem; margin: 1rem 0; text-align: center; letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.segments td.text { width: 23%; white-space: pre-wrap; word-break: break-word; }
td.notes { min-width: 16rem; font-size: .9rem; }
td.idx, td.lang { white-space: nowrap; color: var(--muted); }
del { background: #ffd7d5; color: #86181d; text-decoration: line-through; }
ins { background: #ccf3d4; color: #144620; text-decoration: none; font-weight: 600; }
.badge { display: inline-block; border-radius: .7rem; padding: 0 .5rem; margin: 0 .2rem .2rem 0;
         font-size: .8rem; border: 1px solid; }
.badge.warning { background: #fff5d6; border-color: #c9a227; color: #6b5200; }
.badge.error { background: #ffe1e1; border-color: #c23b3b; color: #7d1111; }
.badge.change { background: #e3efff; border-color: #4a78c2; color: #183d7a; }
.filters { position: sticky; top: 0; background: #fff; padding: .6rem 0;
           border-bottom: 2px solid var(--line); display: flex; gap: 1.2rem; z-index: 1; }
details { margin: .3rem 0; color: var(--muted); }
[hidden] { display: none !important; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var lang = document.getElementById("filter-lang");
  var article = document.getElementById("filter-article");
  var changed = document.getElementById("filter-changed");
  function apply() {
    var sections = document.querySelectorAll("section.article");
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      section.hidden = article.value !== "" && section.dataset.article !== article.value;
      var rows = section.querySelectorAll("tr.seg");
      for (var j = 0; j < rows.length; j++) {
        var row = rows[j];
        var langOk = lang.value === "" || row.dataset.lang === lang.value;
        var changeOk = !changed.checked || row.dataset.changed === "1";
        row.hidden = !(langOk && changeOk);
      }
    }
    var entries = document.querySelectorAll("tr.index-row");
    for (var k = 0; k < entries.length; k++) {
      entries[k].hidden = article.value !== "" && entries[k].dataset.article !== article.value;
    }
  }
  lang.addEventListener("change", apply);
  article.addEventListener("change", apply);
  changed.addEventListener("change", apply);
  apply();
})();
"""


def write_report(run_dir: Path) -> Path:
    """Write ``RUN_DIR/report.html`` from the stored run and return its path."""
    run = load_run(run_dir)
    path = run.dir / "report.html"
    write_text_atomic(path, render_report(run))
    return path


def render_report(run: RunView) -> str:
    """The whole report as an HTML string."""
    title = f"l10n report — {run.run_id}" + (" — PSEUDO" if run.pseudo else "")
    csp = (
        "default-src 'none'; "
        f"style-src {_hash_source(_STYLE)}; script-src {_hash_source(_SCRIPT)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        _run_header(run),
        _filters(run),
        _index(run),
        *(_article_section(run, article) for article in run.articles),
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _hash_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _pseudo_banner(run: RunView) -> str:
    return f'<div class="pseudo" role="alert">{_e(PSEUDO_BANNER)}</div>' if run.pseudo else ""


def _run_header(run: RunView) -> str:
    info = run.info
    engine: dict[str, Any] = info.get("engine", {})
    glossary: dict[str, Any] = info.get("glossary") or {}
    packages = ", ".join(
        f"{p.get('name')} {p.get('version')} ({p.get('from')}→{p.get('to')})"
        for p in engine.get("packages", [])
    )
    lines = [
        f"<h1>Translation run {_e(run.run_id)}</h1>",
        _pseudo_banner(run),
        f'<p class="meta">Started {_e(info.get("started", "?"))} · finished '
        f"{_e(info.get('finished', '?'))} · targets {_e(', '.join(run.targets))}</p>",
        f'<p class="meta">Engine {_e(engine.get("name", "?"))}'
        + (f" · packages {_e(packages)}" if packages else "")
        + "</p>",
    ]
    if glossary:
        lines.append(
            f'<p class="meta">Glossary {_e(glossary.get("path", "?"))} '
            f"(sha256 {_e(str(glossary.get('sha256', '?'))[:12])}…)</p>"
        )
    articles = info.get("articles", {})
    problems = [
        f"<li>skipped {_e(item.get('id'))} ({_e(item.get('input'))}): {_e(item.get('reason'))}</li>"
        for item in articles.get("skipped", [])
    ]
    problems += [
        f"<li>failed {_e(item.get('id'))} ({_e(item.get('input'))}): {_e(item.get('reason'))}</li>"
        for item in articles.get("failed", [])
    ]
    for error in info.get("input_errors", []):
        where = str(error.get("path"))
        if error.get("line") is not None:
            where += f":{error['line']}"
        problems.append(f"<li>input error {_e(where)}: {_e(error.get('message'))}</li>")
    if problems:
        lines.append(
            f"<details><summary>{len(problems)} input(s) not translated</summary>"
            f"<ul>{''.join(problems)}</ul></details>"
        )
    return "\n".join(lines)


def _filters(run: RunView) -> str:
    lang_options = "".join(
        f'<option value="{_e(code)}">{_e(code)}</option>' for code in run.targets
    )
    article_options = "".join(
        f'<option value="{_e(a.id)}">{_e(a.id)}</option>' for a in run.articles
    )
    return (
        '<div class="filters" id="filters" role="search">'
        '<label>Language <select id="filter-lang"><option value="">all</option>'
        f"{lang_options}</select></label>"
        '<label>Article <select id="filter-article"><option value="">all</option>'
        f"{article_options}</select></label>"
        '<label><input type="checkbox" id="filter-changed"> changed only</label>'
        "</div>"
    )


def _index(run: RunView) -> str:
    rows = []
    for article in run.articles:
        counts = article.counts()
        rows.append(
            f'<tr class="index-row" data-article="{_e(article.id)}">'
            f'<td><a href="#{_anchor(article)}">{_e(article.id)}</a></td>'
            f"<td>{_e(article.title)}</td>"
            f"<td>{_e(article.source_language)}</td><td>{_e(article.status)}</td>"
            f'<td class="num">{counts["segments"]}</td><td class="num">{counts["changed"]}</td>'
            f'<td class="num">{counts["changes"]}</td>'
            f'<td class="num">{counts["unresolved"]}</td><td class="num">{counts["flags"]}</td>'
            "</tr>"
        )
    return (
        "<h2>Articles</h2>"
        '<table class="index"><thead><tr><th>Article</th><th>Title</th><th>Source</th>'
        "<th>Status</th><th>Segments</th><th>Changed</th><th>Glossary changes</th>"
        "<th>Unresolved</th><th>Flags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _anchor(article: ArticleView) -> str:
    return _e(f"article-{article.id}")


def _article_section(run: RunView, article: ArticleView) -> str:
    rows = [
        _segment_row(article, segment, code, segment.targets[code])
        for segment in article.segments
        for code in run.targets
        if code in segment.targets
    ]
    dropped = article.manifest.get("dropped_lines") or []
    dropped_html = ""
    if dropped:
        items = "".join(
            f"<li>line {_e(d.get('line'))} ({_e(d.get('rule'))}): {_e(d.get('text'))}</li>"
            for d in dropped
        )
        dropped_html = (
            f"<details><summary>{len(dropped)} boilerplate line(s) removed from the input"
            f"</summary><ul>{items}</ul></details>"
        )
    return (
        f'<section class="article" id="{_anchor(article)}" data-article="{_e(article.id)}">'
        f"<h2>{_e(article.title or article.id)}</h2>"
        + _pseudo_banner(run)
        + f'<p class="meta">{_e(article.id)} · from {_e(article.manifest.get("input", "?"))} · '
        f"{_e(article.source_language)} · {_e(article.status)}</p>"
        + dropped_html
        + '<table class="segments"><thead><tr><th>#</th><th>Lang</th><th>Source</th>'
        "<th>Raw MT</th><th>Corrected</th><th>Glossary &amp; QA</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _segment_row(article: ArticleView, segment: SegmentView, code: str, view: TargetView) -> str:
    mt_html, final_html = _diff_html(view.mt, view.final)
    notes = [
        f'<span class="badge change" title="{_e(c.rule)}">'
        f"{_e(c.entry_id)}: {_e(c.before)} → {_e(c.after)}</span>"
        for c in view.changes
    ]
    notes += [
        f'<span class="badge warning" data-code="unresolved">unresolved {_e(entry)}</span>'
        for entry in view.unresolved
    ]
    notes += [
        f'<span class="badge {_severity(f.severity)}" data-code="{_e(f.code)}" '
        f'title="{_e(f.message)}">{_e(f.code)}</span> <small>{_e(f.message)}</small><br>'
        for f in view.flags
    ]
    where = "title" if segment.paragraph < 0 else f"¶{segment.paragraph + 1}"
    return (
        f'<tr class="seg" data-article="{_e(article.id)}" data-lang="{_e(code)}" '
        f'data-segment="{segment.index}" data-changed="{1 if view.changed else 0}" '
        f'data-flags="{len(view.flags)}">'
        f'<td class="idx">{segment.index} <small>{where}</small></td>'
        f'<td class="lang">{_e(code)}</td>'
        f'<td class="text source">{_e(segment.source)}</td>'
        f'<td class="text mt">{mt_html}</td>'
        f'<td class="text final">{final_html}</td>'
        f'<td class="notes">{"".join(notes)}</td></tr>'
    )


def _severity(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _diff_html(mt: str, final: str) -> tuple[str, str]:
    before: list[str] = []
    after: list[str] = []
    for op, chunk in char_diff(mt, final):
        text = _e(chunk)
        if op == "equal":
            before.append(text)
            after.append(text)
        elif op == "delete":
            before.append(f"<del>{text}</del>")
        else:
            after.append(f"<ins>{text}</ins>")
    return "".join(before), "".join(after)
