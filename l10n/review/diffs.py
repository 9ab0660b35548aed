"""What the glossary changed, as diffs a person (or ``patch``) can read.

Japanese and Korean have no spaces between words, so a word diff would mark whole
clauses; :func:`char_diff` compares characters, and both the terminal review and the HTML
report draw their highlighting from it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from l10n.review.load import load_article
from l10n.run.atomic import write_text_atomic

DiffOp = Literal["equal", "delete", "insert"]


def char_diff(a: str, b: str) -> list[tuple[DiffOp, str]]:
    """Character-level edit script from ``a`` to ``b``.

    A replacement becomes a delete followed by an insert, so renderers only know three
    operations; adjacent runs of the same operation are merged.
    """
    ops: list[tuple[DiffOp, str]] = []

    def push(op: DiffOp, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", a[i1:i2])
        else:
            push("delete", a[i1:i2])
            push("insert", b[j1:j2])
    return ops


def segment_diff(lang: str, mt_lines: list[str], final_lines: list[str]) -> str:
    """Unified diff of raw MT against the corrected text, one segment per line."""
    return "".join(
        difflib.unified_diff(
            [_one_line(line) + "\n" for line in mt_lines],
            [_one_line(line) + "\n" for line in final_lines],
            fromfile=f"a/{lang}.mt",
            tofile=f"b/{lang}",
            n=1,
        )
    )


def write_diffs(article_dir: Path) -> list[Path]:
    """Write ``<lang>.diff`` for every target of the article (empty when nothing changed)."""
    article = load_article(article_dir)
    written = []
    for lang in article.targets:
        views = [s.targets[lang] for s in article.segments if lang in s.targets]
        path = article.dir / f"{lang}.diff"
        write_text_atomic(path, segment_diff(lang, [v.mt for v in views], [v.final for v in views]))
        written.append(path)
    return written


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
