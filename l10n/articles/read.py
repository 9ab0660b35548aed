"""Reading articles from files, folders, JSONL batches, URLs and pasted text.

A bad input never stops the batch: it becomes an ``InputError`` that names the
file (and line) and says what to do, and the remaining inputs still load.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10n.articles.boilerplate import (
    SITE_MARKER,
    BoilerplateRules,
    default_rules,
    find_site_marker,
    strip_boilerplate,
)
from l10n.articles.encodings import Decoded, NotText, decode_bytes
from l10n.articles.xliff import XLIFF_SUFFIXES, XliffError, articles_from_xliff
from l10n.errors import L10nError
from l10n.models import Article, DroppedLine, SourceUnit
from l10n.text.languages import is_spaceless, is_valid_code, normalise_code

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", *XLIFF_SUFFIXES)
MAX_ID_CHARS = 80
DEFAULT_MAX_INPUT_BYTES = 20_000_000
"""Local files larger than this are skipped (``--max-input-mb`` raises it)."""
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_JSONL_SHAPE = 'expected {"id", "title", "body"} — fix or remove the line'
_ALIGNMENT = (
    "give one translated block per source block — the title first when there is one, then "
    "each paragraph — separated by blank lines (see docs/inputs-with-translations.md)"
)


@dataclass(unsafe_hash=True)
class InputError(L10nError):
    """An input that could not be read; ``message`` ends with what to do about it."""

    path: str
    line: int | None
    message: str

    def __post_init__(self) -> None:
        # Exception.args must carry the fields so the error survives pickling
        # (Prefect and Dask move results between processes).
        super().__init__(self.path, self.line, self.message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


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
) -> Iterator[Article | InputError]:
    """Articles and input errors one at a time, so a batch of any size streams through.

    Repeated ids get ``-2``, ``-3`` … in input order (compared without case, since such
    ids would share a folder on a case-insensitive disk); ``taken`` holds ids already used.
    """
    taken = set() if taken is None else taken
    for raw in inputs:
        errors: list[InputError] = []
        for source in _expand(raw, errors):
            yield from _drain(errors)
            try:
                if isinstance(source, str):
                    found: list[Article] = [_read_url(source, allow_private_urls)]
                else:
                    _check_size(source, max_bytes)
                    found = _read_file(source, rules, errors)
            except InputError as exc:
                yield exc
                continue
            yield from _drain(errors)
            for article in found:
                article.id = unique_id(article.id, taken)
                yield article
        yield from _drain(errors)


def _drain(errors: list[InputError]) -> Iterator[InputError]:
    while errors:
        yield errors.pop(0)


def unique_id(article_id: str, taken: set[str]) -> str:
    """``article_id``, or it with the first free ``-N`` suffix; records the choice in ``taken``."""
    candidate, n = article_id, 2
    while candidate.lower() in taken:
        candidate = f"{article_id}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def article_from_text(title: str, body: str, id: str | None = None) -> Article:
    """An article from text pasted by a user (no file, so no boilerplate rules)."""
    lines = body.splitlines()
    paragraphs = _paragraphs(list(enumerate(lines)), set(), by_blank_lines=_has_blank(lines))
    title = " ".join(title.split())
    digest = hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:8]
    article_id = safe_id(id or title) if (id or title) else f"pasted-{digest}"
    return Article(id=article_id, title=title, paragraphs=paragraphs, input_path="pasted")


def safe_id(raw: str) -> str:
    """A file-name-safe article id that is stable for the same input name.

    Characters that cannot be transliterated to ASCII (e.g. Hangul) are
    replaced by a short hash of the original, so two Korean file names still
    get different, reproducible ids.
    """
    decomposed = unicodedata.normalize("NFKD", raw)
    lossy = any(ord(ch) > 127 and not unicodedata.combining(ch) for ch in decomposed)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    slug = re.sub(r"-{2,}", "-", slug).strip("-.")
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return f"article-{digest}"
    if lossy:
        slug = f"{slug}-{digest}"
    if len(slug) > MAX_ID_CHARS:
        slug = f"{slug[: MAX_ID_CHARS - 9].rstrip('-.')}-{digest}"
    return slug


def article_from_html(
    html: str | bytes,
    *,
    id: str,
    input_path: str,
    site: str | None = None,
    rules: BoilerplateRules | None = None,
) -> Article:
    """Main text of a web page: trafilatura drops navigation, asides and footers, then the
    boilerplate cleaner drops what it left inside the article (line numbers in
    ``dropped_lines`` count lines of trafilatura's text)."""
    import trafilatura

    try:
        text = trafilatura.extract(
            html, include_comments=False, output_format="txt", include_tables=False
        )
        metadata = trafilatura.extract_metadata(html)
    except Exception as exc:  # a malformed page must not stop the rest of the batch
        raise InputError(
            input_path, None, f"could not parse the page ({exc}) — save the story as .txt"
        ) from exc
    if not text or not text.strip():
        raise InputError(
            input_path,
            None,
            "no article text found in the page — save the story as .txt and pass that",
        )
    title = " ".join((metadata.title or "").split()) if metadata is not None else ""
    kept, dropped = strip_boilerplate(
        text.splitlines(), rules or default_rules(), site, title=title or None
    )
    paragraphs = [" ".join(line.split()) for line in kept if line.strip()]
    if not paragraphs and not title:
        raise InputError(
            input_path, None, "only boilerplate found in the page — save the story as .txt"
        )
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    elif not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(
        id=id,
        title=title,
        paragraphs=paragraphs,
        input_path=input_path,
        site=site,
        dropped_lines=dropped,
    )


def _expand(raw: str, errors: list[InputError]) -> Iterator[str | Path]:
    """URLs as strings, files as paths; a folder yields its supported files, hidden ones skipped."""
    if _URL_SCHEME.match(raw):
        if raw[:8].lower().startswith(("http://", "https://")):
            yield raw
        else:
            errors.append(
                InputError(
                    raw,
                    None,
                    "only http and https URLs are fetched — link to a web page, "
                    "or save it as .html and pass the file",
                )
            )
        return
    path = Path(raw)
    if path.is_dir():
        yield from _walk(path, errors)
    elif path.is_file():
        if path.suffix.lower() in SUFFIXES:
            yield path
        else:
            kind = repr(path.suffix) if path.suffix else "a file without suffix"
            errors.append(
                InputError(
                    raw, None, f"unsupported file type {kind} — use one of {', '.join(SUFFIXES)}"
                )
            )
    elif path.exists():
        errors.append(
            InputError(raw, None, "not a regular file (a device, pipe or socket) — pass a file")
        )
    elif path.is_symlink():
        errors.append(InputError(raw, None, "broken symbolic link — fix or remove it"))
    else:
        errors.append(InputError(raw, None, "no such file or folder — check the path"))


def _walk(folder: Path, errors: list[InputError]) -> Iterator[Path]:
    """Supported files under ``folder`` in sorted order, never leaving it through a link.

    Links to files inside the folder are read; links to folders are not descended (what
    they hold is either walked already or outside); links that lead out are reported.
    """
    root = folder.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=None, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in dirnames:
            link = here / name
            if link.is_symlink() and not _inside(link, root):
                errors.append(_outside_link(link, folder))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            file = here / name
            if file.is_symlink():
                if not file.exists():
                    errors.append(
                        InputError(str(file), None, "broken symbolic link — fix or remove it")
                    )
                    continue
                if not _inside(file, root):
                    errors.append(_outside_link(file, folder))
                    continue
            if file.is_file():
                found.append(file)
    yield from sorted(found)


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _outside_link(link: Path, folder: Path) -> InputError:
    return InputError(
        str(link),
        None,
        f"symbolic link to a place outside {folder}, not followed — "
        "pass its target directly if you mean to read it",
    )


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        info = path.stat()
    except OSError:
        return  # reading it reports the problem
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise InputError(
            str(path),
            None,
            f"file is {_megabytes(info.st_size)} MB, over the {_megabytes(max_bytes)} MB limit "
            f"— skipped; pass --max-input-mb {_megabytes(info.st_size, up=True)} to read it",
        )


def _megabytes(size: int, *, up: bool = False) -> str:
    if up:
        return str(-(-size // 1_000_000))
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def _read_url(url: str, allow_private: bool) -> Article:
    # Imported here: fetch.py builds on this module, and plain file runs
    # should not pay for the HTTP client.
    from l10n.articles.fetch import fetch_article

    return fetch_article(url, allow_private=allow_private)


def _read_file(path: Path, rules: BoilerplateRules, errors: list[InputError]) -> list[Article]:
    suffix = path.suffix.lower()
    data = _read_bytes(path)
    stem_id = safe_id(path.stem)
    if suffix in XLIFF_SUFFIXES:
        return _read_xliff(path, data, stem_id)
    html = suffix in (".html", ".htm")
    decoded = _decode(path, data, html=html)
    text = decoded.text
    if html:
        articles = [article_from_html(text, id=stem_id, input_path=str(path), rules=rules)]
    elif suffix == ".jsonl":
        articles, bad_lines = _read_jsonl(path, text, rules)
        errors.extend(bad_lines)
    else:
        lines = text.splitlines()
        site = rules.site_for_file(path.name)
        if suffix == ".md":
            articles = [_article_from_markdown(path, lines, rules, site, stem_id)]
        else:
            articles = [_article_from_plain(path, lines, rules, site, stem_id)]
    for article in articles:
        article.encoding, article.encoding_confidence = decoded.encoding, decoded.confidence
    return articles


def _read_xliff(path: Path, data: bytes, stem_id: str) -> list[Article]:
    try:
        articles = articles_from_xliff(data, path, stem_id)
    except XliffError as exc:
        raise InputError(
            str(path), exc.line, f"{exc.message} — fix the file, or export it again as XLIFF"
        ) from exc
    for article in articles:
        article.id = safe_id(article.id)
    return articles


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            str(path),
            None,
            f"cannot read file ({exc.strerror}) — check that it exists and is readable",
        ) from exc


def _decode(path: Path, data: bytes, *, html: bool = False) -> Decoded:
    try:
        return decode_bytes(data, html=html)
    except NotText as exc:
        raise InputError(str(path), exc.line, exc.message) from exc


def _has_blank(lines: Sequence[str]) -> bool:
    return any(not line.strip() for line in lines)


def _strip_site(
    lines: list[str], rules: BoilerplateRules, site: str | None
) -> tuple[list[tuple[int, str]], set[int], list[DroppedLine], str | None]:
    """Boilerplate removal that keeps each kept line's index and where lines went missing."""
    marker_site, marker_index = find_site_marker(lines)
    extra: list[DroppedLine] = []
    if marker_index is not None:
        site = marker_site
        extra.append(DroppedLine(marker_index + 1, lines[marker_index].strip(), SITE_MARKER))
        lines = lines.copy()
        lines[marker_index] = ""
    _, dropped = strip_boilerplate(lines, rules, site)
    gone = {d.line - 1 for d in dropped}
    kept = [(i, line) for i, line in enumerate(lines) if i not in gone]
    return kept, gone, sorted(extra + dropped, key=lambda d: d.line), site


def _paragraphs(
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
    paragraphs = _paragraphs(kept, breaks, by_blank_lines=by_blank_lines)
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


def _article_from_plain(
    path: Path, lines: list[str], rules: BoilerplateRules, site: str | None, article_id: str
) -> Article:
    kept, gone, dropped, site = _strip_site(lines, rules, site)
    title_index = next((i for i, line in kept if line.strip()), None)
    body = [line for i, line in enumerate(lines) if title_index is None or i > title_index]
    return _finish(path, article_id, title_index, kept, gone, _has_blank(body), site, dropped)


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


def _article_from_markdown(
    path: Path, lines: list[str], rules: BoilerplateRules, site: str | None, article_id: str
) -> Article:
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
    kept, gone, dropped, site = _strip_site(plain, rules, site)
    kept_indices = {i for i, line in kept if line.strip()}
    if title_index not in kept_indices:
        title_index = min(kept_indices, default=None)
    return _finish(path, article_id, title_index, kept, gone | alone, True, site, dropped)


def _read_jsonl(
    path: Path, text: str, rules: BoilerplateRules
) -> tuple[list[Article], list[InputError]]:
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
    if translations:
        # The translations were made of the text as it is: dropping lines as boilerplate
        # would leave them without their source.
        kept, site = list(enumerate(lines)), record_site or file_site
        gone: set[int] = set()
        dropped: list[DroppedLine] = []
    else:
        kept, gone, dropped, site = _strip_site(lines, rules, record_site or file_site)
    paragraphs = _paragraphs(kept, gone, by_blank_lines=_has_blank(lines))
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
    if not _has_blank(lines):
        return [" ".join(line.split()) for line in lines if line.strip()]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(" ".join(line.split()))
        elif blocks[-1]:
            blocks.append([])
    return [joiner.join(block) for block in blocks if block]
