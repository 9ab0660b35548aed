"""Scoring on a folder of real scraped pages with an editor's labels (a development set
kept outside the repository): ``pages/NAME.txt`` and ``gold/NAME.yaml``.

A gold file names the page (``page:``), its ``language``, and its lines by exact text
under ``story``, ``story_meta`` and ``boilerplate`` (each ``{text, kind}``) or
``ambiguous`` (not scored). A text listed as story and as something else is story where
it first occurs and the other label after that (a repeated copy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from l10n.articles.boilerplate import strip_boilerplate
from l10n.articles.boilerplate.rules import BoilerplateRules, find_site_marker


@dataclass
class RealScore:
    name: str
    language: str
    tp: int = 0
    fn: int = 0
    story_dropped: int = 0
    meta_dropped: int = 0
    wrong: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _labels(lines: list[str], gold: dict[str, Any]) -> dict[int, str]:
    """1-based line → ``story``, ``meta``, ``boilerplate`` or ``ambiguous``."""
    story = {_norm(t) for t in gold.get("story") or []}
    meta = {_norm(t) for t in gold.get("story_meta") or []}
    boiler = {_norm(b["text"]) for b in gold.get("boilerplate") or []}
    unscored = {_norm(a["text"]) for a in gold.get("ambiguous") or []}
    seen: Counter[str] = Counter()
    out: dict[int, str] = {}
    for number, raw in enumerate(lines, start=1):
        text = _norm(raw)
        if not text:
            continue
        seen[text] += 1
        other = "boilerplate" if text in boiler else "ambiguous" if text in unscored else None
        storyish = "story" if text in story else "meta" if text in meta else None
        label = storyish if storyish and (seen[text] == 1 or other is None) else other
        if label:
            out[number] = label
    return out


def score_real_pages(folder: Path, rules: BoilerplateRules) -> list[RealScore]:
    scores = []
    for gold_path in sorted((folder / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        page = folder / "pages" / Path(str(gold["page"])).name
        lines = page.read_text(encoding="utf-8").splitlines()
        site, marker = find_site_marker(lines)
        if marker is not None:  # as the text reader does: the marker line goes, its site rules
            lines = [*lines[:marker], "", *lines[marker + 1 :]]
        _, dropped = strip_boilerplate(lines, rules, site)
        reasons = {d.line: d.rule for d in dropped}
        if marker is not None:
            reasons[marker + 1] = "site-marker"
        result = RealScore(page.stem, str(gold.get("language", "?")))
        for number, label in _labels(lines, gold).items():
            gone = number in reasons
            if label == "boilerplate":
                result.tp += gone
                result.fn += not gone
            elif label in ("story", "meta") and gone:
                result.story_dropped += label == "story"
                result.meta_dropped += label == "meta"
                result.wrong.append(f"DROPPED {label} line {number} ({reasons[number]})")
        scores.append(result)
    return scores
