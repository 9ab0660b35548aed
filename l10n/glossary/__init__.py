"""Name glossary: load and validate it, find names in the source, enforce them in MT output."""

from l10n.glossary.core import (
    GLOSSARY_FLAG_CODES,
    Glossary,
    GlossaryResult,
    SourceScan,
    apply_changes,
    glossary_from_text,
    latin_leftover_flags,
    load_glossary,
)
from l10n.glossary.persons import ArticleNames
from l10n.glossary.schema import Entry, GlossaryError, Problem, parse_glossary_text
from l10n.glossary.source_match import Mention
from l10n.models import Protection, Slot

__all__ = [
    "GLOSSARY_FLAG_CODES",
    "ArticleNames",
    "Entry",
    "Glossary",
    "GlossaryError",
    "GlossaryResult",
    "Mention",
    "Problem",
    "Protection",
    "Slot",
    "SourceScan",
    "apply_changes",
    "glossary_from_text",
    "latin_leftover_flags",
    "load_glossary",
    "parse_glossary_text",
]
