"""Placeholders that stand in for protected glossary terms while a sentence is machine-translated.

The brackets are rare in news text and survive NFKC normalisation, so an engine
that copies unknown tokens through (or the pseudo engine) hands them back intact.
"""

from __future__ import annotations

import re

PLACEHOLDER_RE = re.compile(r"⟦(\d+)⟧")


def make_placeholder(n: int) -> str:
    return f"⟦{n}⟧"
