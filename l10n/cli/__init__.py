"""The ``l10n`` command line: thin commands over the library.

The command group is :data:`l10n.cli.app.main`, loaded when ``main`` is first asked for:
the ``l10n`` command starts in :mod:`l10n.cli.warm`, which imports none of the commands
when a warm process runs the command.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "main":
        from l10n.cli.app import main

        return main
    raise AttributeError(f"module 'l10n.cli' has no attribute {name!r}")
