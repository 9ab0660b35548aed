"""l10n: offline news translation into Japanese and Korean with a name glossary."""

__version__ = "0.1.0"
