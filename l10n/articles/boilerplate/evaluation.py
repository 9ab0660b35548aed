"""Scoring the cleaner on labelled pages (evaluation/boilerplate/): precision and recall.

A labelled text page is the page itself with a label before every non-blank
line and a header of ``# key: value`` lines::

    # layout: wire service story page, photo captions, single line breaks
    # language: en
    # split: dev
    B:nav Skip to main content
    S Lee Proposes Yearly Summits
    S SEOUL (Harbor Wire) — South Korean President ...

``S`` marks a story line, ``B:<class>`` boilerplate of a class (nav, related,
caption, player, subscribe, share, embed, comment, ad, copyright, continue,
promo, repeat, teaser). An HTML page carries the same labels in
``data-eval="S"`` / ``data-eval="B:share"`` attributes on the elements whose
text is one line, and its header in a ``<!-- key: value; ... -->`` comment.

Pages are read the way a user's file is (``read_inputs``), so the site marker,
the title logic and, for HTML, trafilatura are part of what is measured.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from l10n.articles.boilerplate.rules import BoilerplateRules

_LABEL = re.compile(r"(S|B:[a-z-]+) (.*)")
_HEADER = re.compile(r"#\s*([a-z-]+)\s*:\s*(.*)")
_HTML_HEADER = re.compile(r"<!--\s*(layout:.*?)-->", re.DOTALL)


class EvaluationFormatError(ValueError):
    """A labelled page that does not follow the format; the message names file and line."""


@dataclass(frozen=True)
class Gold:
    text: str
    story: bool
    cls: str | None


@dataclass
class Page:
    path: Path
    layout: str
    language: str
    split: str
    body: str
    """The page as a user would have it (labels removed)."""
    gold: list[Gold]
    gold_lines: dict[int, int] = field(default_factory=dict)
    """Text pages: line index in ``body`` → index in ``gold``."""

    @property
    def is_html(self) -> bool:
        return self.path.suffix.lower() in (".html", ".htm")


@dataclass(frozen=True)
class Result:
    page: Page
    gold: Gold
    dropped: bool


def load_pages(folder: Path) -> list[Page]:
    pages = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".txt":
            pages.append(_load_text(path))
        elif path.suffix in (".html", ".htm"):
            pages.append(_load_html(path))
    return pages


def _header(path: Path, values: dict[str, str]) -> tuple[str, str, str]:
    missing = [k for k in ("layout", "language", "split") if not values.get(k)]
    if missing:
        raise EvaluationFormatError(f"{path}: header lacks {', '.join(missing)}")
    if not re.fullmatch(r"dev|heldout-\d+", values["split"]):
        raise EvaluationFormatError(f"{path}: split must be dev or heldout-<n>")
    return values["layout"], values["language"], values["split"]


def _load_text(path: Path) -> Page:
    values: dict[str, str] = {}
    body: list[str] = []
    gold: list[Gold] = []
    gold_lines: dict[int, int] = {}
    in_header = True
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if in_header and (match := _HEADER.fullmatch(raw.strip())):
            values[match.group(1)] = match.group(2).strip()
            continue
        in_header = False
        if not raw.strip():
            body.append("")
            continue
        match = _LABEL.fullmatch(raw)
        if match is None:
            raise EvaluationFormatError(
                f"{path}:{number}: start the line with 'S ' or 'B:<class> '"
            )
        label, text = match.groups()
        gold_lines[len(body)] = len(gold)
        gold.append(Gold(text.strip(), label == "S", None if label == "S" else label[2:]))
        body.append(text)
    layout, language, split = _header(path, values)
    return Page(path, layout, language, split, "\n".join(body) + "\n", gold, gold_lines)


def _load_html(path: Path) -> Page:
    import lxml.html

    html = path.read_text(encoding="utf-8")
    comment = _HTML_HEADER.search(html)
    if comment is None:
        raise EvaluationFormatError(f"{path}: add a <!-- layout: …; language: …; split: … -->")
    values = {}
    for part in comment.group(1).split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            values[key.strip()] = value.strip()
    layout, language, split = _header(path, values)
    gold = []
    for element in lxml.html.fromstring(html).iter():
        label = element.get("data-eval")
        if not label:
            continue
        text = " ".join(element.text_content().split())
        if text:
            gold.append(Gold(text, label == "S", None if label == "S" else label[2:]))
    return Page(path, layout, language, split, html, gold)


def run_pages(pages: Iterable[Page], rules: BoilerplateRules) -> list[Result]:
    """Read every page through the real input path and say, per labelled line, if it went."""
    from l10n.articles.read import read_inputs

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="l10n-bp-eval-") as tmp:
        for page in pages:
            path = Path(tmp) / page.path.name
            path.write_text(page.body, encoding="utf-8")
            batch = read_inputs([str(path)], rules)
            article = batch.articles[0] if batch.articles else None
            if page.is_html:
                results.extend(_html_results(page, article))
            else:
                gone = {d.line - 1 for d in article.dropped_lines} if article else None
                for line, index in page.gold_lines.items():
                    dropped = True if gone is None else line in gone
                    results.append(Result(page, page.gold[index], dropped))
            path.unlink()
    return results


def _html_results(page: Page, article: object) -> list[Result]:
    kept = []
    if article is not None:
        kept = [" ".join(p.split()) for p in [article.title, *article.paragraphs] if p]  # type: ignore[attr-defined]
    joined = "\n".join(kept)
    results = []
    for gold in page.gold:
        if gold.story:
            present = gold.text in joined
        else:
            present = any(gold.text == p or (len(gold.text) >= 20 and gold.text in p) for p in kept)
        results.append(Result(page, gold, not present))
    return results


@dataclass(frozen=True)
class Score:
    boilerplate: int
    removed: int
    story: int
    story_dropped: int

    @property
    def recall(self) -> float:
        return self.removed / self.boilerplate if self.boilerplate else 1.0

    @property
    def precision(self) -> float:
        total = self.removed + self.story_dropped
        return self.removed / total if total else 1.0


def score(results: Iterable[Result]) -> Score:
    counts: Counter[str] = Counter()
    for r in results:
        if r.gold.story:
            counts["story"] += 1
            counts["story_dropped"] += r.dropped
        else:
            counts["boilerplate"] += 1
            counts["removed"] += r.dropped
    return Score(counts["boilerplate"], counts["removed"], counts["story"], counts["story_dropped"])
