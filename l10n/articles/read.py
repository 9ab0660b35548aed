"""Reading articles from files, folders, JSONL batches, URLs and pasted text.

A bad input never stops the batch: it becomes an ``InputError`` that names the
file (and line) and says what to do, and the remaining inputs still load. This module
walks the inputs and hands each to its reader; the readers live beside it, one per
concern: ``discover`` (finding files, guards), ``ids``, ``text`` (plain text, markdown,
pasted text), ``html``, ``jsonl`` and ``xliff``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from l10n.articles.boilerplate import BoilerplateRules
from l10n.articles.discover import (
    DEFAULT_MAX_INPUT_BYTES,
    SUFFIXES,
    check_size,
    decode,
    expand,
    read_bytes,
)
from l10n.articles.errors import InputError
from l10n.articles.html import article_from_html
from l10n.articles.ids import StableIds, safe_id, unique_id
from l10n.articles.jsonl import read_jsonl
from l10n.articles.ninjs import is_ninjs_jsonl, read_ninjs_json, read_ninjs_jsonl
from l10n.articles.text import article_from_markdown, article_from_plain, article_from_text
from l10n.articles.xliff import articles_from_xliff
from l10n.formats.xliff import SUFFIXES as XLIFF_SUFFIXES
from l10n.models import Article

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "SUFFIXES",
    "InputBatch",
    "InputError",
    "article_from_html",
    "article_from_text",
    "iter_inputs",
    "read_inputs",
    "safe_id",
    "unique_id",
]


@dataclass
class InputBatch:
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def read_inputs(
    inputs: Sequence[str],
    rules: BoilerplateRules,
    *,
    allow_private_urls: bool = False,
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
) -> InputBatch:
    """Load every input in order; folders are walked recursively in sorted order.

    URLs must lead to public addresses unless ``allow_private_urls``; local files over
    ``max_bytes`` are skipped with an error. Inside a folder, symbolic links that lead
    out of it are skipped with an error; a file named directly is read wherever it is.
    """
    batch = InputBatch()
    stream = iter_inputs(inputs, rules, allow_private_urls=allow_private_urls, max_bytes=max_bytes)
    for item in stream:
        if isinstance(item, InputError):
            batch.errors.append(item)
        else:
            batch.articles.append(item)
    return batch


def iter_inputs(
    inputs: Sequence[str],
    rules: BoilerplateRules,
    *,
    taken: set[str] | None = None,
    allow_private_urls: bool = False,
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    reserved: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[Article | InputError]:
    """Articles and input errors one at a time, so a batch of any size streams through.

    Repeated ids get ``-2``, ``-3`` … in input order (compared without case, since such
    ids would share a folder on a case-insensitive disk); ``taken`` holds ids already used.
    ``reserved`` maps an input path to the ids a run gave its articles before: a resumed
    run gives each article its old id back, whatever order the inputs are found in, and a
    new input never takes one of them.
    """
    taken = set() if taken is None else taken
    claims = StableIds(reserved or {}, taken)
    for raw in inputs:
        errors: list[InputError] = []
        for source in expand(raw, errors):
            yield from _drain(errors)
            try:
                if isinstance(source, str):
                    found, entry_errors = _read_url(source, allow_private_urls)
                    errors.extend(entry_errors)
                else:
                    check_size(source, max_bytes)
                    found = _read_file(source, rules, errors)
            except InputError as exc:
                yield exc
                continue
            yield from _drain(errors)
            for article in found:
                article.id = claims.assign(article.id, article.input_path)
                yield article
        yield from _drain(errors)


def _drain(errors: list[InputError]) -> Iterator[InputError]:
    while errors:
        yield errors.pop(0)


def _read_url(url: str, allow_private: bool) -> tuple[list[Article], list[InputError]]:
    """A news page, or a feed's entries (imported here: file runs need no HTTP client)."""
    from l10n.articles import feeds

    return feeds.read_url(url, allow_private=allow_private)


def _read_file(path: Path, rules: BoilerplateRules, errors: list[InputError]) -> list[Article]:
    suffix = path.suffix.lower()
    data = read_bytes(path)
    stem_id = safe_id(path.stem)
    if suffix in XLIFF_SUFFIXES:
        return articles_from_xliff(path, data, stem_id)
    html = suffix in (".html", ".htm")
    decoded = decode(path, data, html=html)
    text = decoded.text
    if html:
        articles = [article_from_html(text, id=stem_id, input_path=str(path), rules=rules)]
    elif suffix == ".json":
        articles = read_ninjs_json(path, text)
    elif suffix == ".jsonl":
        reader = read_ninjs_jsonl if is_ninjs_jsonl(text) else partial(read_jsonl, rules=rules)
        articles, bad_lines = reader(path, text)
        errors.extend(bad_lines)
    else:
        lines = text.splitlines()
        site = rules.site_for_file(path.name)
        if suffix == ".md":
            articles = [article_from_markdown(path, lines, rules, site, stem_id)]
        else:
            articles = [article_from_plain(path, lines, rules, site, stem_id)]
    for article in articles:
        article.encoding, article.encoding_confidence = decoded.encoding, decoded.confidence
    return articles
