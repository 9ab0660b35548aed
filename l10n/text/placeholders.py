"""Placeholders that stand in for protected glossary terms while a sentence is machine-translated.

The brackets are rare in news text and survive NFKC normalisation, so an engine
that copies unknown tokens through (or the pseudo engine) hands them back intact.

A source may already contain something that looks like a placeholder (a literal ``⟦1⟧``,
or a footnote mark ``[1]`` that an engine could turn into one). Slots are therefore
numbered above every bracketed number in the source (:func:`first_free_number`), so a
literal can never be taken for a slot, nor a slot for a literal.
"""

from __future__ import annotations

import re

PLACEHOLDER_RE = re.compile(r"⟦(\d+)⟧")

MANGLED_RE = re.compile(r"[⟦\[【〚［〔]\s*(\d{1,6})\s*[⟧\]】〛］〕]|⟦\s*(\d{1,6})|(\d{1,6})\s*⟧")
"""A placeholder as engines mangle it: other brackets, spaces inside, one bracket lost."""


def make_placeholder(n: int) -> str:
    return f"⟦{n}⟧"


def placeholder_numbers(text: str) -> set[int]:
    """Numbers of the exact placeholders ``⟦n⟧`` in ``text``."""
    return {int(m.group(1)) for m in PLACEHOLDER_RE.finditer(text)}


def first_free_number(text: str) -> int:
    """The lowest slot number above every bracketed number in ``text`` (1 when there is none)."""
    numbers = [int(n) for m in MANGLED_RE.finditer(text) for n in m.groups() if n is not None]
    return max(numbers, default=0) + 1
