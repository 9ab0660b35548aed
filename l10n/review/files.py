"""The files reviewers and translators read, derived from a stored run.

They are rebuilt from what is on disk, so ``l10n report`` can regenerate them
after a glossary re-apply without touching the translations.
"""

from __future__ import annotations

from pathlib import Path

from l10n.review.diffs import write_diffs
from l10n.review.interchange import write_tmx, write_xliff
from l10n.review.report import write_report


def write_article_review_files(article_dir: Path) -> list[Path]:
    return [*write_diffs(article_dir), *write_xliff(article_dir)]


def write_run_review_files(run_dir: Path) -> list[Path]:
    return [write_tmx(run_dir), write_report(run_dir)]
