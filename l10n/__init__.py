"""l10n: offline news translation into Japanese and Korean with a name glossary."""

from importlib.metadata import PackageNotFoundError, version

__version__ = "0.1.0"


def installed_version() -> str | None:
    """The installed l10n's version (what exports name as their tool), None when not installed."""
    try:
        return version("l10n")
    except PackageNotFoundError:
        return None
