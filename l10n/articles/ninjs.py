"""Articles from IPTC ninjs items: a ``.json`` file holding one, or a ``.jsonl`` of them.

The item's ``uri`` is the article's identity (its id is made from it), its main headline
the title, and its other text — further headlines, descriptions, body paragraphs — the
paragraphs. A declared ``language`` (BCP 47: ``de``, ``nb-NO``) is used as the source
language and checked against detection; when they disagree, the newsroom flags it for the
editor. An item with nothing to translate (a picture) is an ``InputError`` saying so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from l10n.articles.errors import InputError
from l10n.articles.ids import safe_id
from l10n.formats.ninjs import NinjsError, looks_like_ninjs, read_item
from l10n.models import Article
from l10n.text.detect import detect_language
from l10n.text.languages import is_valid_code, normalise_code

_FIX = "give an IPTC ninjs item (see docs/newsroom.md)"


def read_ninjs_json(path: Path, text: str) -> list[Article]:
    """The article of a ``.json`` file holding one ninjs item."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path), exc.lineno, f"invalid JSON ({exc.msg} at column {exc.colno}) — fix the file"
        ) from exc
    return [article_from_item(value, path, None)]


def is_ninjs_jsonl(text: str) -> bool:
    """Whether a JSONL file's first object is a ninjs item (else it is l10n's own JSONL)."""
    for line in text.splitlines():
        if line.strip():
            try:
                return looks_like_ninjs(json.loads(line))
            except json.JSONDecodeError:
                return False
    return False


def read_ninjs_jsonl(path: Path, text: str) -> tuple[list[Article], list[InputError]]:
    """One article per line; a line that is not a translatable item is an error of its own."""
    articles: list[Article] = []
    errors: list[InputError] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(
                InputError(str(path), line_no, f"invalid JSON ({exc.msg}) — fix or remove the line")
            )
            continue
        try:
            articles.append(article_from_item(value, path, line_no))
        except InputError as exc:
            errors.append(exc)
    return articles, errors


def article_from_item(value: object, path: Path | str, line: int | None) -> Article:
    """An article from one ninjs item; InputError naming the file, line and reason if not."""
    try:
        text = read_item(value)
    except NinjsError as exc:
        raise InputError(str(path), line, f"{exc}") from exc
    assert isinstance(value, dict)  # read_item refuses anything else
    declared = None
    if text.language:
        if not is_valid_code(text.language):
            raise InputError(
                str(path),
                line,
                f'"language" {text.language[:40]!r} is not a BCP 47 language tag — use one '
                f'such as de or nb-NO, or leave "language" out to detect it; {_FIX}',
            )
        declared = normalise_code(text.language)
    body = "\n\n".join([text.headline, *text.paragraphs])
    guess = detect_language(body)
    return Article(
        id=safe_id(re.sub(r"^(urn:|[a-z][a-z0-9+.-]*://)", "", text.uri, flags=re.I)),
        title=text.headline,
        paragraphs=text.paragraphs,
        input_path=str(path),
        input_line=line,
        lang_hint=declared,
        ninjs={
            "item": value,
            "layout": text.layout(),
            "declared": text.language,
            "detected": guess.code if guess is not None else None,
        },
    )
