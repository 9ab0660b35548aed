"""Scoring on a folder of real scraped pages with an editor's labels (a development set
kept outside the repository): ``pages/NAME.txt`` and ``gold/NAME.yaml``.

A gold file names the page (``page:``), its ``language``, and its lines by exact text
under ``story``, ``story_meta`` and ``boilerplate`` (each ``{text, kind}``) or
``ambiguous`` (not scored). A text listed as story and as something else is story where
it first occurs and the other label after that (a repeated copy).
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from l10n.articles.boilerplate import strip_boilerplate
from l10n.articles.boilerplate.lexicon import fold_chinese, lexicon_data, using
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


def score_real_pages(
    folder: Path, rules: BoilerplateRules, only: set[str] | None = None
) -> list[RealScore]:
    """Score every labelled page (or the pages whose stem is in ``only``)."""
    scores = []
    for gold_path in sorted((folder / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        page = folder / "pages" / Path(str(gold["page"])).name
        if only is not None and page.stem not in only:
            continue
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


LANGUAGE_TAGS = frozenset(("en", "ko", "ja", "zh", "vi", "id"))


def site_of(stem: str) -> str:
    """The site a page came from, by its file name: ``NNN-[lang-]site-slug``."""
    parts = stem.split("-")[1:]
    if len(parts) > 1 and parts[0] in LANGUAGE_TAGS:
        parts = parts[1:]
    return parts[0] if parts else stem


@dataclass
class HeldOut:
    """Leave-site-out: each site scored with the lexicon entries only it supports removed."""

    scores: list[RealScore]
    entries: dict[str, int]
    """Per site, how many lexicon entries were held out for it."""


def _patterns(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, pattern) of every pattern in the lexicon's lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _patterns(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield (*path, index), value


def leave_site_out(folder: Path, rules: BoilerplateRules, own_pages: Path) -> HeldOut:
    """Score each site of the dev set with the lexicon entries that match lines of that site
    alone removed — no other site of the set and none of the project's own pages
    (``own_pages``) has a line they match, so they may have been written for it. The
    structural passes stay as they are: their thresholds were set on the whole set, so this
    measures the lexicon's tuning only, and is still an upper bound for unseen sites."""
    texts: dict[str, list[str]] = defaultdict(list)
    for page in sorted((folder / "pages").glob("*.txt")):
        texts[site_of(page.stem)].append(page.read_text(encoding="utf-8"))
    by_site = {site: fold_chinese("\n".join(parts)) for site, parts in texts.items()}
    own = fold_chinese(
        "\n".join(p.read_text(encoding="utf-8") for p in sorted(own_pages.rglob("*.*")))
    )
    data = lexicon_data()
    owned: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for path, pattern in _patterns(data):
        try:
            found = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
        except re.error:
            continue
        if found.search(own):
            continue
        sites = [site for site, text in by_site.items() if found.search(text)]
        if len(sites) == 1:
            owned[sites[0]].append(path)
    scores: list[RealScore] = []
    for site in sorted(by_site):
        held = copy.deepcopy(data)
        for path in sorted(owned[site], reverse=True):  # later indices first
            node = held
            for key in path[:-1]:
                node = node[key]
            del node[path[-1]]
        stems = {p.stem for p in (folder / "pages").glob("*.txt") if site_of(p.stem) == site}
        with using(held):
            scores.extend(score_real_pages(folder, rules, only=stems))
    return HeldOut(scores, {site: len(owned[site]) for site in sorted(by_site)})
