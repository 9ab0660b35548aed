"""Articles from plain text and markdown files, and from text a user pasted.

Lines become paragraphs (at blank lines when the text has any, else one per line), site
boilerplate is dropped with a record of each line that went, and markdown is reduced to
its text: headings and list items stand alone, a level-1 heading is the title.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from l10n.articles.boilerplate import (
    SITE_MARKER,
    BoilerplateRules,
    find_site_marker,
    strip_boilerplate,
)
from l10n.articles.errors import InputError
from l10n.articles.ids import safe_id
from l10n.models import Article, DroppedLine, SuspectLine


def article_from_text(title: str, body: str, id: str | None = None) -> Article:
    """An article from text pasted by a user (no file, so no boilerplate rules)."""
    lines = body.splitlines()
    paragraphs = paragraphs_of(list(enumerate(lines)), set(), by_blank_lines=has_blank(lines))
    title = " ".join(title.split())
    digest = hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:8]
    article_id = safe_id(id or title) if (id or title) else f"pasted-{digest}"
    return Article(id=article_id, title=title, paragraphs=paragraphs, input_path="pasted")


def has_blank(lines: Sequence[str]) -> bool:
    return any(not line.strip() for line in lines)


def strip_site(
    lines: list[str],
    rules: BoilerplateRules,
    site: str | None,
    suspects: list[SuspectLine] | None = None,
) -> tuple[list[tuple[int, str]], set[int], list[DroppedLine], str | None]:
    """Boilerplate removal that keeps each kept line's index and where lines went missing;
    ``suspects`` receives the kept lines a boilerplate phrase named."""
    marker_site, marker_index = find_site_marker(lines)
    extra: list[DroppedLine] = []
    if marker_index is not None:
        site = marker_site
        extra.append(DroppedLine(marker_index + 1, lines[marker_index].strip(), SITE_MARKER))
        lines = lines.copy()
        lines[marker_index] = ""
    _, dropped = strip_boilerplate(lines, rules, site, suspects=suspects)
    gone = {d.line - 1 for d in dropped}
    kept = [(i, line) for i, line in enumerate(lines) if i not in gone]
    return kept, gone, sorted(extra + dropped, key=lambda d: d.line), site


def paragraphs_of(
    lines: list[tuple[int, str]], breaks: set[int], *, by_blank_lines: bool
) -> list[str]:
    """Group lines into paragraphs; a line index in ``breaks`` ends the paragraph before it."""
    if not by_blank_lines:
        return [" ".join(line.split()) for _, line in lines if line.strip()]
    paragraphs: list[str] = []
    current: list[str] = []
    previous = None
    for index, line in lines:
        gap = previous is not None and index != previous + 1
        if not line.strip() or gap or index in breaks:
            if current:
                paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(" ".join(line.split()))
        previous = index
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _finish(
    path: Path,
    article_id: str,
    title_index: int | None,
    kept: list[tuple[int, str]],
    breaks: set[int],
    by_blank_lines: bool,
    site: str | None,
    dropped: list[DroppedLine],
) -> Article:
    title = ""
    if title_index is not None:
        title = " ".join(dict(kept)[title_index].split())
        kept = [(i, line) for i, line in kept if i != title_index]
    paragraphs = paragraphs_of(kept, breaks, by_blank_lines=by_blank_lines)
    if not title and not paragraphs:
        why = f" after removing {len(dropped)} boilerplate lines" if dropped else ""
        raise InputError(
            str(path), None, f"no article text{why} — check the file or the boilerplate rules"
        )
    return Article(
        id=article_id,
        title=title,
        paragraphs=paragraphs,
        input_path=str(path),
        site=site,
        dropped_lines=dropped,
    )


def article_from_plain(
    path: Path, lines: list[str], rules: BoilerplateRules, site: str | None, article_id: str
) -> Article:
    """A ``.txt`` file: the first line that is left is the title."""
    suspects: list[SuspectLine] = []
    kept, gone, dropped, site = strip_site(lines, rules, site, suspects)
    title_index = next((i for i, line in kept if line.strip()), None)
    body = [line for i, line in enumerate(lines) if title_index is None or i > title_index]
    article = _finish(path, article_id, title_index, kept, gone, has_blank(body), site, dropped)
    article.suspect_lines = suspects
    return article


_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*")
_MD_RULE = re.compile(r"\s*([-*_=])(\s*\1){2,}\s*")
_MD_FENCE = re.compile(r"\s*(```|~~~).*")
_MD_LIST = re.compile(r"\s*([-*+]|\d{1,3}[.)])\s+")
_MD_QUOTE = re.compile(r"\s*>\s?")
_MD_REF_DEF = re.compile(r"\s{0,3}\[[^\]]+\]:\s+\S+.*")
_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),
)


def _markdown_line(line: str) -> tuple[str, int | None, bool]:
    """Plain text of one markdown line, its heading level, and whether it stands alone."""
    if _MD_RULE.fullmatch(line) or _MD_FENCE.fullmatch(line) or _MD_REF_DEF.fullmatch(line):
        return "", None, False
    level = None
    alone = False
    while (quote := _MD_QUOTE.match(line)) and line.strip():
        line = line[quote.end() :]
    if heading := _MD_HEADING.fullmatch(line):
        level, line, alone = len(heading.group(1)), heading.group(2), True
    elif item := _MD_LIST.match(line):
        line, alone = line[item.end() :], True
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    return line.rstrip(), level, alone


def article_from_markdown(
    path: Path, lines: list[str], rules: BoilerplateRules, site: str | None, article_id: str
) -> Article:
    """A ``.md`` file: the first level-1 heading left is the title, else the first line."""
    plain: list[str] = []
    alone: set[int] = set()
    title_index = None
    for index, line in enumerate(lines):
        text, level, stands_alone = _markdown_line(line)
        plain.append(text)
        if stands_alone:
            alone.update({index, index + 1})
        if level == 1 and title_index is None and text.strip():
            title_index = index
    suspects: list[SuspectLine] = []
    kept, gone, dropped, site = strip_site(plain, rules, site, suspects)
    kept_indices = {i for i, line in kept if line.strip()}
    if title_index not in kept_indices:
        title_index = min(kept_indices, default=None)
    article = _finish(path, article_id, title_index, kept, gone | alone, True, site, dropped)
    article.suspect_lines = suspects
    return article
