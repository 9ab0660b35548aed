"""Each target language of a ninjs article as ninjs: what a run writes and ``l10n export`` redoes.

The rendering itself (and its publish rule: the approved text only when every segment is
approved, else a withheld draft) is ``l10n.run.ninjs``'s, so the run owner can refresh
``<lang>.ninjs.json`` after every review decision; this module adds the language check,
the stored source of articles read from other formats, and the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.errors import L10nError
from l10n.models import FlagCode, QAFlag, TranslatedArticle
from l10n.run import layout
from l10n.run.codec import encode_json
from l10n.run.ninjs import Rendered, editor_note, language_mismatch, render
from l10n.run.store import Run

__all__ = ["Rendered", "editor_note", "export_ninjs", "language_mismatch", "ninjs_files", "render"]


def flag_language(translated: TranslatedArticle) -> None:
    """Flag the title (else first) segment of every target when declaration and detection
    disagree: the declared language was used, the reviewer should know it may be wrong."""
    meta = translated.article.ninjs
    message = language_mismatch(meta) if meta else None
    if message is None:
        return
    for rows in translated.translations.values():
        if rows and not any(f.code == FlagCode.LANGUAGE_MISMATCH for f in rows[0].flags):
            rows[0].flags.append(QAFlag(FlagCode.LANGUAGE_MISMATCH, message))


def ninjs_files(translated: TranslatedArticle) -> dict[str, bytes]:
    """``source.ninjs.json`` and ``<lang>.ninjs.json`` for an article read from ninjs; the
    language check's flag is added first. Nothing for other articles."""
    meta = translated.article.ninjs
    if not meta:
        return {}
    flag_language(translated)
    files = {layout.SOURCE_NINJS: encode_json(meta)}
    for lang in translated.translations:
        files[layout.ninjs_file(lang)] = encode_json(render(translated, lang).item)
    return files


def stored_meta(run: Run, translated: TranslatedArticle) -> dict[str, Any]:
    """The ninjs source an article was stored with (see :meth:`Run.ninjs_source`)."""
    return run.ninjs_source(translated)


@dataclass
class Exported:
    """What ``export_ninjs`` wrote, and what an editor should look at."""

    written: list[str]
    unplaced: dict[str, list[str]]
    failed: dict[str, str]


def article_items(run: Run, article_id: str) -> list[Rendered]:
    """Every target of a stored article as ninjs, reviewed text included."""
    translated = run.read_article(article_id)
    translated.article.ninjs = stored_meta(run, translated)
    return [render(translated, lang) for lang in translated.translations]


def export_ninjs(run: Run, out: Path | None = None) -> Exported:
    """``<article>/<lang>.ninjs.json`` for every article of ``run``, in it or under ``out``.

    An article that cannot be read is listed in ``failed``; the others are written.
    """
    result = Exported([], {}, {})
    for article_id in run.article_ids():
        try:
            rendered = article_items(run, article_id)
        except L10nError as exc:
            result.failed[article_id] = str(exc)
            continue
        files = {layout.ninjs_file(r.lang): encode_json(r.item) for r in rendered}
        if out is None:
            run.write_article_files(article_id, files)
            where = run.display(article_id)
        else:
            folder = out / article_id
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (folder / name).write_bytes(data)
            where = str(folder)
        result.written += [f"{where}/{name}" for name in files]
        for r in rendered:
            if r.unplaced:
                result.unplaced[f"{article_id}/{r.lang}"] = r.unplaced
    return result
