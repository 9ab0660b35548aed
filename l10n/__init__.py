"""l10n: offline news translation into Japanese and Korean with a name glossary."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version

__version__ = "0.1.0"


@cache
def installed_version() -> str | None:
    """The installed l10n's version (what exports name as their tool), None when not installed.

    Looked up once per process: reading the installed metadata costs milliseconds, and every
    article's XLIFF files name it."""
    try:
        return version("l10n")
    except PackageNotFoundError:
        return None
