"""Glossaries in the formats terminology tools and MT services read.

=============  ==================================================  ===============
format         what                                                 files
=============  ==================================================  ===============
tbx            TBX-Basic (martif), translate-toolkit and CAT tools  one
deepl-csv/tsv  DeepL glossary entries: ``source,target`` rows       one per pair
google-csv     Google unidirectional glossary: two columns          one per pair
google-tmx     Google unidirectional glossary: TMX                  one per pair
amazon-csv/tsv Amazon Translate custom terminology: header en,ja,ko one
amazon-tmx     Amazon Translate custom terminology: TMX             one
csv, tsv       the multilingual table (as amazon-csv/tsv)           one
=============  ==================================================  ===============

Only TBX can say that a short form applies under a condition; the other formats
leave short forms out, and :class:`Export` lists a warning for each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from l10n.glossary.interchange.tables import export_multilingual, export_pair, import_table
from l10n.glossary.interchange.tbx import export_tbx, import_tbx
from l10n.glossary.interchange.tmx import export_tmx, import_tmx
from l10n.glossary.interchange.yamlio import entries_to_yaml
from l10n.glossary.schema import TARGET_LANGUAGES, Entry

__all__ = [
    "FORMATS",
    "PAIR_FORMATS",
    "Export",
    "ExportFile",
    "entries_to_yaml",
    "export_glossary",
    "import_table",
    "import_tbx",
    "import_tmx",
    "read_interchange",
]

PAIR_FORMATS = ("deepl-csv", "deepl-tsv", "google-csv", "google-tmx")
FORMATS = ("tbx", *PAIR_FORMATS, "amazon-csv", "amazon-tsv", "amazon-tmx", "csv", "tsv")
_SUFFIX = {"tbx": "tbx", "tmx": "tmx", "csv": "csv", "tsv": "tsv"}


@dataclass(frozen=True)
class ExportFile:
    """One output file: its target language when the format holds one pair, and its bytes."""

    lang: str | None
    suffix: str
    data: bytes


@dataclass
class Export:
    files: list[ExportFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _short_form_warnings(entries: list[Entry], fmt: str) -> list[str]:
    shorts = [e.id for e in entries if e.is_short]
    if not shorts:
        return []
    return [
        f"{len(shorts)} short form(s) left out of {fmt}: they apply only where the article "
        f"names their person, which {fmt} cannot say ({', '.join(shorts)}); use tbx to keep them"
    ]


def export_glossary(
    entries: list[Entry],
    fmt: str,
    *,
    source_language: str = "en",
    name: str = "glossary",
    langs: list[str] | None = None,
) -> Export:
    """Serialise ``entries`` as ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    kind = fmt.rsplit("-", 1)[-1]
    suffix = _SUFFIX[kind]
    if fmt == "tbx":
        return Export([ExportFile(None, suffix, export_tbx(entries, source_language, name))])
    out = Export(warnings=_short_form_warnings(entries, fmt))
    present = [lang for lang in TARGET_LANGUAGES if any(lang in e.targets for e in entries)]
    chosen = [lang for lang in (langs or present) if lang in present]
    delimiter = "\t" if kind == "tsv" else ","
    if fmt in PAIR_FORMATS:
        for lang in chosen:
            if kind == "tmx":
                data, warnings = export_tmx(entries, source_language, [lang])
            else:
                data, warnings = export_pair(entries, lang, delimiter)
            out.files.append(ExportFile(lang, suffix, data))
            out.warnings.extend(w for w in warnings if w not in out.warnings)
        return out
    if kind == "tmx":
        data, warnings = export_tmx(entries, source_language, chosen)
    else:
        data, warnings = export_multilingual(
            [e for e in entries if any(lang in e.targets for lang in chosen)],
            source_language,
            delimiter,
        )
    out.files.append(ExportFile(None, suffix, data))
    out.warnings.extend(warnings)
    return out


def read_interchange(
    path: Path, *, source_language: str | None = None, target_language: str | None = None
) -> tuple[str, list[Entry]]:
    """Entries from a TBX/TMX/CSV/TSV file, the format taken from the suffix.

    Raises ValueError (``PATH:LINE: problem``) for a file that cannot be read as that
    format or holds no usable term.
    """
    suffix = path.suffix.lower().lstrip(".")
    try:
        if suffix in ("tbx", "xml"):
            language, entries = import_tbx(path)
        elif suffix == "tmx":
            language, entries = import_tmx(path)
        elif suffix in ("csv", "tsv"):
            language, entries = import_table(
                path.read_bytes(),
                "," if suffix == "csv" else "\t",
                source_language=source_language,
                target_language=target_language,
            )
        else:
            raise ValueError(f"1: unknown suffix {path.suffix!r}; use .tbx, .tmx, .csv or .tsv")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ValueError(f"{path}:{exc}") from exc
    if not entries:
        raise ValueError(
            f"{path}:1: no usable term found (each needs a {source_language or 'source'} term "
            f"and a {'/'.join(TARGET_LANGUAGES)} term); nothing was written"
        )
    return language, entries
