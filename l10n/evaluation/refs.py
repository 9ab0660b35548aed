"""A desk's reference set: TSV (source⇥reference, one pair) or TMX (any pairs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from l10n.errors import L10nError
from l10n.formats.tmx import TmxError, TmxHeader, read_tmx
from l10n.text.languages import is_valid_code, normalise_code

Pair = tuple[str, str]


class ReferenceFileError(L10nError):
    """A reference file that cannot be read; the message names the file, the line and the fix."""


@dataclass
class ReferenceSet:
    """The sources and references of one language pair, in file order."""

    source: str
    target: str
    sources: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    @property
    def pair(self) -> Pair:
        return (self.source, self.target)

    @property
    def name(self) -> str:
        return f"{self.source}-{self.target}"


def parse_pair(text: str) -> Pair:
    source, dash, target = text.strip().partition("-")
    source, target = normalise_code(source), normalise_code(target)
    if not (dash and is_valid_code(source) and is_valid_code(target)) or source == target:
        raise ReferenceFileError(f"--pair {text!r}: write it as SOURCE-TARGET, e.g. --pair en-ja")
    return source, target


def read_references(path: Path, pair: Pair | None = None) -> list[ReferenceSet]:
    """Every pair's references in ``path``; ``pair`` is needed for TSV and filters TMX."""
    if not path.is_file():
        raise ReferenceFileError(
            f"{path}: no such file — give a TSV (source<TAB>reference) or TMX file"
        )
    if path.suffix.lower() == ".tmx":
        sets = _read_tmx(path)
        if pair is not None:
            sets = [s for s in sets if s.pair == pair]
    else:
        if pair is None:
            raise ReferenceFileError(
                f"{path}: a TSV file has no languages — name them, e.g. --pair en-ja"
            )
        sets = [_read_tsv(path, pair)]
    sets = [s for s in sets if s.sources]
    if not sets:
        wanted = f" for {pair[0]}-{pair[1]}" if pair else ""
        raise ReferenceFileError(f"{path}: no reference segments{wanted}")
    return sets


def _read_tsv(path: Path, pair: Pair) -> ReferenceSet:
    refs = ReferenceSet(*pair)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ReferenceFileError(f"{path}: not UTF-8 text — save it as UTF-8") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        source, tab, reference = line.partition("\t")
        if not tab or not source.strip() or not reference.strip() or "\t" in reference:
            raise ReferenceFileError(
                f"{path}:{number}: expected SOURCE<TAB>REFERENCE (one tab, both filled)"
            )
        refs.sources.append(source.strip())
        refs.references.append(reference.strip())
    return refs


def _read_tmx(path: Path) -> list[ReferenceSet]:
    sets: dict[Pair, ReferenceSet] = {}
    srclang: str | None = None
    try:
        for item in read_tmx(path):
            if isinstance(item, TmxHeader):
                srclang = item.srclang
                continue
            unit_src = item.srclang or srclang
            if not unit_src or unit_src == "*all*":
                raise ReferenceFileError(
                    f"{path}:{item.line or 1}: the unit has no source language (srclang)"
                )
            source = normalise_code(unit_src)
            texts = {normalise_code(v.lang): v.text.strip() for v in item.variants}
            if source not in texts:
                continue
            for target, text in texts.items():
                if target == source or not text or not texts[source]:
                    continue
                refs = sets.setdefault((source, target), ReferenceSet(source, target))
                refs.sources.append(texts[source])
                refs.references.append(text)
    except TmxError as exc:
        raise ReferenceFileError(f"{path}:{exc.line or 1}: {exc.message}") from None
    return [sets[p] for p in sorted(sets)]
