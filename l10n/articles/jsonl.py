"""Articles from JSONL batches: one ``{"id", "title", "body"}`` object a line.

A line may name its language (``lang``), its site (``site``) and bring translations
(``translations``: language code → text, aligned block by block with the body). A bad line
is an ``InputError`` naming its line number; the other lines still load.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from l10n.articles.boilerplate import BoilerplateRules
from l10n.articles.errors import InputError
from l10n.articles.ids import safe_id
from l10n.articles.text import has_blank, paragraphs_of, strip_site
from l10n.models import Article, DroppedLine, SourceUnit, SuspectLine
from l10n.text.languages import is_spaceless, is_valid_code, normalise_code

_JSONL_SHAPE = 'expected {"id", "title", "body"} — fix or remove the line'
_ALIGNMENT = (
    "give one translated block per source block — the title first when there is one, then "
    "each paragraph — separated by blank lines (see docs/inputs-with-translations.md)"
)


def read_jsonl(
    path: Path, text: str, rules: BoilerplateRules
) -> tuple[list[Article], list[InputError]]:
    """The articles of a JSONL file, and an InputError for each line that is not one."""
    articles: list[Article] = []
    errors: list[InputError] = []
    file_site = rules.site_for_file(path.name)
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            articles.append(_jsonl_article(path, line_no, line, rules, file_site))
        except InputError as exc:
            errors.append(exc)
    return articles, errors


def _jsonl_article(
    path: Path, line_no: int, line: str, rules: BoilerplateRules, file_site: str | None
) -> Article:
    def bad(problem: str) -> InputError:
        return InputError(str(path), line_no, f"{problem}: {_JSONL_SHAPE}")

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise bad(f"a JSON {type(record).__name__} instead of an object")
    body = record.get("body")
    if body is None:
        raise bad('missing "body"')
    for key in ("title", "body", "lang", "site"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise bad(f'"{key}" is not a string')
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise bad('"id" is not a string')
    raw_id = str(raw_id) if raw_id is not None and str(raw_id).strip() else f"{path.stem}-{line_no}"
    lang = (record.get("lang") or "").strip() or None
    if lang is not None and not is_valid_code(lang):
        raise InputError(
            str(path),
            line_no,
            f'"lang" {lang[:40]!r} is not a language code — use an ISO 639 code '
            'such as en, ja or ko, or leave "lang" out to detect the language',
        )
    lang = normalise_code(lang) if lang is not None else None
    translations = _jsonl_translations(record.get("translations"), bad)
    lines = body.splitlines()
    record_site = (record.get("site") or "").strip().lower() or None
    gone: set[int] = set()
    dropped: list[DroppedLine] = []
    suspects: list[SuspectLine] = []
    if translations:
        # The translations were made of the text as it is: dropping lines as boilerplate
        # would leave them without their source.
        kept, site = list(enumerate(lines)), record_site or file_site
    else:
        kept, gone, dropped, site = strip_site(lines, rules, record_site or file_site, suspects)
    paragraphs = paragraphs_of(kept, gone, by_blank_lines=has_blank(lines))
    title = " ".join((record.get("title") or "").split())
    if not title and not paragraphs:
        raise bad('no text in "title" or "body"')
    article = Article(
        id=safe_id(raw_id),
        title=title,
        paragraphs=paragraphs,
        input_path=str(path),
        input_line=line_no,
        site=site,
        lang_hint=lang,
        dropped_lines=dropped,
        suspect_lines=suspects,
    )
    if translations:
        article.units = _aligned_units(article, translations, path, line_no)
    return article


def _jsonl_translations(value: object, bad: Callable[[str], InputError]) -> dict[str, str]:
    """``"translations": {"ja": "…", "ko": "…"}`` checked: language codes to non-empty text."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad('"translations" is not an object of language code → translated text')
    found: dict[str, str] = {}
    for code, text in value.items():
        if not isinstance(code, str) or not is_valid_code(code):
            raise bad(f'"translations" key {str(code)[:40]!r} is not a language code such as ja')
        if not isinstance(text, str):
            raise bad(f'"translations"."{code}" is not a string')
        if not text.strip():
            raise bad(f'"translations"."{code}" is empty; give the text or leave the key out')
        found[normalise_code(code)] = text
    return found


def _aligned_units(
    article: Article, translations: dict[str, str], path: Path, line_no: int
) -> list[SourceUnit]:
    """The title and each paragraph as a unit, with block N of each translation as its own.

    Paragraphs are aligned one to one, by position: a translation with another number of
    blocks than the source is refused rather than guessed at.
    """
    units = [SourceUnit(-1, article.title)] if article.title else []
    units += [SourceUnit(n, text) for n, text in enumerate(article.paragraphs)]
    for lang, text in translations.items():
        blocks = _blocks(text, lang)
        if len(blocks) != len(units):
            have = f"{len(article.paragraphs)} paragraph(s)"
            if article.title:
                have = f"a title and {have}"
            raise InputError(
                str(path),
                line_no,
                f'"translations"."{lang}" has {len(blocks)} block(s) but the article has '
                f"{len(units)} ({have}): {_ALIGNMENT}",
            )
        for unit, block in zip(units, blocks, strict=True):
            unit.translations[lang] = block
    return units


def _blocks(text: str, lang: str) -> list[str]:
    """A translation cut like a body: at blank lines when it has any, else at each line."""
    lines = text.strip().splitlines()
    joiner = "" if is_spaceless(lang) else " "
    if not has_blank(lines):
        return [" ".join(line.split()) for line in lines if line.strip()]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    return [joiner.join(block) for block in blocks if block]
