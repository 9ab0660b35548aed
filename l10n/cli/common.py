"""What several commands do the same way before they start Prefect."""

from __future__ import annotations

import sys

from rich.console import Console

from l10n.cli.output import print_error
from l10n.glossary import GlossaryError, load_glossary
from l10n.paths import resolve_glossary


def require_valid_glossary(glossary: str, console: Console) -> None:
    """A malformed glossary stops the command with status 2 before anything is written."""
    try:
        load_glossary(resolve_glossary(glossary))
    except (GlossaryError, FileNotFoundError) as exc:
        print_error(console, exc)
        sys.exit(2)
