"""The files reviewers and translators read, rendered from the records the flow holds.

Per article: the diffs, XLIFF files and the article's report page, written together
with the article (before its manifest). Per run: the report index and the TMX, built
from the run summary and the TMX fragments each article produced.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from l10n.models import ArticleOutcome, TranslatedArticle
from l10n.review.diffs import render_diffs
from l10n.review.interchange import render_xliff, run_tmx_document, tmx_units
from l10n.review.report import render_article_page, render_index
from l10n.run import layout
from l10n.run.store import Run
from l10n.run.summary import RunSummary, outcome_of


def article_review_files(translated: TranslatedArticle, run_id: str) -> dict[str, bytes]:
    """Diffs, XLIFF and the report page of one article."""
    return {
        **render_diffs(translated),
        **render_xliff(translated),
        layout.REPORT: render_article_page(translated, run_id),
    }


def store_rewritten(
    run: Run, translated: TranslatedArticle, outcomes: list[ArticleOutcome]
) -> None:
    """Store an article again after a run-level pass changed it (its flags, its names): its
    other files (the ninjs source and renderings) are kept, and its outcome in ``outcomes``
    is brought up to date."""
    run.write_article(
        translated,
        run.article_context(translated.id),
        article_review_files(translated, run.run_id),
        keep_other_files=True,
    )
    at = next(i for i, o in enumerate(outcomes) if o.id == translated.id)
    new = outcome_of(translated, resumed=outcomes[at].resumed)
    new.engine = outcomes[at].engine
    outcomes[at] = new


def compact(run: Run, article_id: str) -> TranslatedArticle | None:
    """Write an article in full when decisions wait in its log, so that every file of it
    (reviewed or draft text, XLIFF, diffs, report page, ninjs) shows them and the log goes;
    the caller holds the run's lock. Returns the article when it wrote it."""
    if not run.pending_decisions(article_id):
        return None
    translated = run.read_article(article_id)
    run.update_article(translated, article_review_files(translated, run.run_id))
    return translated


class TmxSpool:
    """The run's TMX units, spooled to a temporary file as articles finish.

    Units are kept per article: adding an article again (the names pass rewrote it after
    it was spooled) replaces its units in place, so the TMX has the text as finally stored.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by spool()
        self.languages: set[str] = set()
        self._ranges: dict[str, tuple[int, int]] = {}
        """Article id → (offset, length) of its units in the file, in the order first added."""

    def add(self, translated: TranslatedArticle) -> None:
        self.add_units(translated.source_language, tmx_units(translated), translated.id)

    def add_units(self, source_language: str, units: bytes, article_id: str) -> None:
        self.languages.add(source_language)
        self._file.seek(0, 2)
        self._ranges[article_id] = (self._file.tell(), len(units))
        self._file.write(units)

    def chunks(self) -> Iterator[bytes]:
        for start, length in self._ranges.values():
            self._file.seek(start)
            left = length
            while left > 0 and (chunk := self._file.read(min(left, 1 << 20))):
                left -= len(chunk)
                yield chunk

    def close(self) -> None:
        self._file.close()


def write_run_files(run: Run, summary: RunSummary, tmx: TmxSpool) -> list[str]:
    """Write the report index and translations.tmx; returns where they are."""
    run.write_stream(layout.REPORT, render_index(summary))
    document = run_tmx_document(
        summary.run_id,
        summary.finished or summary.started,
        tmx.languages,
        summary.all_pseudo,
        tmx.chunks(),
        some_pseudo=summary.some_pseudo,
    )
    run.write_stream(layout.TMX, document)
    return [run.display(layout.REPORT), run.display(layout.TMX)]


@contextmanager
def spool() -> Iterator[TmxSpool]:
    tmx = TmxSpool()
    try:
        yield tmx
    finally:
        tmx.close()


def rebuild_review_files(run: Run) -> list[str]:
    """Render every review file of a stored run again (``l10n report``); an article whose
    decisions wait in its log is written in full (its reviewed or draft text and ninjs too)."""
    summary = run.read_summary()
    written: list[str] = []
    with run.lock(), spool() as tmx:
        for translated in run.iter_articles():
            files = article_review_files(translated, summary.run_id)
            if run.pending_decisions(translated.id):
                run.update_article(translated, files)  # the log goes into the article's files
            else:
                run.write_article_files(translated.id, files)
            written.extend(run.display(layout.article_file(translated.id, n)) for n in files)
            tmx.add(translated)
        written.extend(write_run_files(run, summary, tmx))
    return written
