"""Where the project's bundled files are when a relative default does not resolve."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GLOSSARY = "glossaries/leaders.yaml"


def resolve_glossary(path: str) -> Path:
    """``path`` as given; the default glossary also resolves from outside the project folder."""
    given = Path(path)
    if path == DEFAULT_GLOSSARY and not given.exists():
        return PROJECT_ROOT / DEFAULT_GLOSSARY
    return given
