"""What every page l10n renders shares: autoescaped templates, hashed inline assets, diffs.

Pages carry their style and script inline and a Content-Security-Policy that admits
exactly those (by hash), so markup hidden in an article can neither run nor load
anything even if escaping were ever missed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape


@lru_cache(maxsize=4)
def environment(package: str) -> Environment:
    """Templates of ``package``'s ``templates/`` folder, every value autoescaped."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=16)
def asset(package: str, name: str) -> str:
    """A file of ``package``'s ``templates/`` folder (a stylesheet or script to inline)."""
    return files(package).joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=16)
def hash_source(text: str) -> str:
    """The CSP source expression admitting exactly this inline style or script."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def diff_html(ops: Sequence[tuple[str, str]]) -> tuple[Markup, Markup]:
    """(before with deletions marked, after with insertions marked) of an edit script."""
    before: list[str] = []
    after: list[str] = []
    for op, chunk in ops:
        text = str(escape(chunk))
        if op == "equal":
            before.append(text)
            after.append(text)
        elif op == "delete":
            before.append(f"<del>{text}</del>")
        else:
            after.append(f"<ins>{text}</ins>")
    return Markup("".join(before)), Markup("".join(after))
