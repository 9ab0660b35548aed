"""Printing text that came from articles, paths or other programs, safely.

Such text is never parsed as rich markup (a ``[/]`` in a path would crash rich, other
``[...]`` would vanish) and its control characters are shown, not sent: an escape
sequence hidden in an article must not move the cursor, recolour or retitle the
terminal of the person reading it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import click
from rich.console import Console
from rich.text import Text

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: object) -> str:
    """``text`` with control characters replaced by ``\\xNN`` / ``\\uNNNN`` escapes."""
    return _CONTROL_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode(), str(text))


def plain(text: object, style: str = "") -> Text:
    """Rich ``Text`` of untrusted text: printed as written, controls made visible."""
    return Text(visible(text), style=style)


def print_error(console: Console, message: object, *, prefix: str = "error: ") -> None:
    console.print(Text.assemble((prefix, "red"), visible(message)), soft_wrap=True)


INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it."""


class QuietInterrupts(click.Group):
    """A group whose commands end on Ctrl-C with status 130 and no "Aborted!" or traceback.

    ``l10n translate`` prints how to resume before it exits; every other command has
    nothing to add, so the shell's own ``^C`` is all the user sees.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # An event loop cut off mid-start is collected at exit and would print its own
            # "Exception ignored" traceback; the interrupt is the whole story.
            sys.unraisablehook = lambda _unraisable: None
            sys.stderr.write("\n")
            sys.stderr.flush()
            ctx.exit(INTERRUPTED)
