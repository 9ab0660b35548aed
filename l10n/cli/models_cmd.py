"""``l10n models``: install Argos packages, register other CTranslate2 models, list them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from l10n.errors import L10nError
from l10n.mt.engines import ct2store as store
from l10n.mt.engines.argos import packages as ap
from l10n.mt.engines.ct2family import RegisteredModel
from l10n.text.languages import is_valid_code


def _packages_dir(value: Path | None) -> Path:
    return value if value is not None else ap.default_packages_dir(os.environ)


_packages_dir_option = click.option(
    "--packages-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Package folder [default: $ARGOS_PACKAGES_DIR, else argostranslate's own folder].",
)


class _Bar:
    """Adapts a download's (done, total) callback to a click progress bar on stderr."""

    def __init__(self) -> None:
        self._bars: list = []

    def __call__(self, filename: str) -> ap.Progress:
        state: dict = {"bar": None, "shown": 0}

        def update(done: int, total: int | None) -> None:
            if state["bar"] is None:
                bar = click.progressbar(length=total or 0, label=filename, file=sys.stderr)
                state["bar"] = bar.__enter__()
                self._bars.append(bar)
            state["bar"].update(done - state["shown"])
            state["shown"] = done

        return update

    def close(self) -> None:
        for bar in self._bars:
            bar.__exit__(None, None, None)
        self._bars.clear()


def _report(outcome: ap.InstallOutcome) -> None:
    pkg = outcome.package
    trust = "pinned" if outcome.pinned else f"UNPINNED sha256 {pkg.sha256}"
    replaced = f"; replaced {', '.join(outcome.replaced)}" if outcome.replaced else ""
    click.echo(
        f"{outcome.action}: {pkg.name} {pkg.version} ({pkg.from_code}→{pkg.to_code}, {trust}) "
        f"in {pkg.path}{replaced}"
    )


@click.group("models")
def models() -> None:
    """Install Argos Translate packages, register other CTranslate2 models, list them.

    \b
    Example:
        l10n models install ja ko
        l10n models add ./quickmt-en-ja
        l10n models list
    """


@models.command("install")
@click.argument("langs", nargs=-1)
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Install this .argosmodel archive instead of downloading (repeatable).",
)
@click.option(
    "--index-url",
    default=ap.OFFICIAL_INDEX_URL,
    show_default=True,
    help="Package index to download from.",
)
@click.option(
    "--allow-unpinned",
    is_flag=True,
    help="Accept packages with no pinned sha256; the sha256 is recorded and printed.",
)
@click.option(
    "--one-way",
    is_flag=True,
    help="Install only en→LANG, not LANG→en (which lets LANG sources pivot).",
)
@click.option(
    "--replace",
    "replace",
    multiple=True,
    metavar="NAME",
    help="Let the install remove this installed folder or package (e.g. translate-en_ja) "
    "when it stands in the way; packages of the same pair are replaced anyway (repeatable).",
)
@click.option(
    "--max-unpacked-mb",
    type=click.IntRange(min=1),
    default=ap.DEFAULT_LIMITS.max_unpacked_bytes // 1_000_000,
    show_default=True,
    help="Refuse an archive that unpacks to more than this.",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1.0),
    default=ap.DEFAULT_LIMITS.max_ratio,
    show_default=True,
    help="Refuse an archive whose content compresses more than this (a zip bomb).",
)
@_packages_dir_option
def install(
    langs: tuple[str, ...],
    files: tuple[Path, ...],
    index_url: str,
    allow_unpinned: bool,
    one_way: bool,
    replace: tuple[str, ...],
    max_unpacked_mb: int,
    max_ratio: float,
    packages_dir: Path | None,
) -> None:
    """Install the packages that translate English into LANGS (and LANGS into English).

    Every archive must match a pinned size and sha256 unless --allow-unpinned is given.
    Without network access, download the .argosmodel files elsewhere and use --file.
    Each --file is installed on its own: one bad archive does not stop the others.

    \b
    Example:
        l10n models install ja ko
        l10n models install --file translate-en_ja-1_1.argosmodel
    """
    target = _packages_dir(packages_dir)
    if not langs and not files:
        raise click.UsageError("name languages (e.g. `ja ko`) or give --file X.argosmodel")
    for code in langs:
        if not is_valid_code(code):
            raise click.UsageError(
                f"{code[:40]!r} is not a language code — use ISO 639 codes, e.g. `ja ko`"
            )
    limits = ap.ArchiveLimits(
        max_unpacked_bytes=max_unpacked_mb * 1_000_000,
        max_ratio=max_ratio,
        max_entries=ap.DEFAULT_LIMITS.max_entries,
    )
    failed = False
    for path in files:
        try:
            outcome = ap.install_file(
                path, target, allow_unpinned=allow_unpinned, replace=replace, limits=limits
            )
        except L10nError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed = True
        else:
            _report(outcome)
    if langs:
        bar = _Bar()
        try:
            outcomes = ap.install_languages(
                list(langs),
                target,
                index_url=index_url,
                allow_unpinned=allow_unpinned,
                both_ways=not one_way,
                progress=bar,
                replace=replace,
                limits=limits,
            )
        except L10nError as exc:
            bar.close()
            raise click.ClickException(str(exc)) from exc
        bar.close()
        for outcome in outcomes:
            _report(outcome)
    if failed:
        raise click.exceptions.Exit(1)


_threshold_option = click.option(
    "--threshold",
    type=float,
    default=None,
    help="Flag segments whose score (mean log-probability per token) is below this "
    "as low-confidence, e.g. -1.5.",
)

_models_dir_option = click.option(
    "--models-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Registered-model folder [default: $L10N_MODELS_DIR, else l10n-models beside the "
    "Argos package folder].",
)


def _models_dir(value: Path | None, packages_dir: Path | None = None) -> Path:
    if value is not None:
        return value
    if packages_dir is not None and "L10N_MODELS_DIR" not in os.environ:
        return packages_dir.parent / "l10n-models"
    return store.default_models_dir(os.environ)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}"
        size = size // 1000
    return f"{size:.0f} GB"


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pairs_cell(model: RegisteredModel) -> str:
    if model.pairs:
        return ",".join(f"{s}→{t}" for s, t in model.pairs)
    codes = sorted(c for c in model.languages if len(c) == 2) or sorted(model.languages)
    shown = ",".join(codes[:6]) + ("…" if len(codes) > 6 else "")
    return f"{shown} ({len(model.languages)} languages, any direction)"


def _rows(packages: Path, models_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for pkg in ap.installed_packages(packages):
        rows.append(
            {
                "name": pkg.name,
                "family": "argos",
                "pairs": [f"{pkg.from_code}-{pkg.to_code}"],
                "languages": [],
                "version": pkg.version,
                "size": _folder_size(pkg.path),
                "sha256": pkg.sha256,
                "pinned": pkg.pinned(),
                "license": None,
                "non_commercial": False,
                "threshold": pkg.threshold,
                "path": str(pkg.path),
            }
        )
    for model in store.list_models(models_dir):
        rows.append(
            {
                "name": model.name,
                "family": model.family,
                "pairs": [f"{s}-{t}" for s, t in model.pairs],
                "languages": sorted(model.languages),
                "version": "",
                "size": model.size,
                "sha256": model.sha256,
                "pinned": None,
                "license": model.license,
                "non_commercial": model.non_commercial,
                "threshold": model.threshold,
                "path": str(model.path),
                "_pairs": _pairs_cell(model),
            }
        )
    return rows


def _checksum_cell(row: dict[str, Any]) -> str:
    if row["sha256"] is None:
        return "unknown (not installed by l10n)"
    if row["family"] == "argos":
        return f"{row['sha256'][:12]} {'pinned' if row['pinned'] else 'unpinned'}"
    return str(row["sha256"][:12])


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the models as a JSON list.")
@_packages_dir_option
@_models_dir_option
def list_packages(as_json: bool, packages_dir: Path | None, models_dir: Path | None) -> None:
    """List every model: Argos packages (family argos) and the models `models add` registered.

    Each has its name, family, pairs, size, sha256 and licence; NLLB's licence
    (CC-BY-NC-4.0) allows NON-COMMERCIAL use only, and the list says so.

    \b
    Example:
        l10n models list
        l10n models list --json
        ARGOS_PACKAGES_DIR=/srv/argos l10n models list
    """
    target = _packages_dir(packages_dir)
    registered = _models_dir(models_dir, packages_dir)
    rows = _rows(target, registered)
    if as_json:
        click.echo(
            json.dumps(
                [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not rows:
        click.echo(
            f"no models in {target} or {registered} — run `l10n models install ja ko`, "
            "or `l10n models add DIR` for a converted CTranslate2 model"
        )
        return
    table = [("NAME", "FAMILY", "PAIRS", "VERSION", "SIZE", "SHA256", "LICENCE", "PATH")]
    for row in rows:
        pairs = row.get("_pairs") or ",".join(p.replace("-", "→") for p in row["pairs"])
        licence = row["license"] or "-"
        if row["non_commercial"]:
            licence += " NON-COMMERCIAL"
        table.append(
            (
                row["name"],
                row["family"],
                pairs,
                row["version"] or "-",
                _size(row["size"]).replace(" ", ""),
                _checksum_cell(row),
                licence,
                row["path"],
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    for cells in table:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
        click.echo("  ".join([*padded, cells[-1]]))
    for row in rows:
        if row["non_commercial"]:
            click.echo(
                f"WARNING: {row['name']} is licensed {row['license']}: NON-COMMERCIAL use only "
                "— not for a commercial publication's output",
                err=False,
            )


@models.command("add")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="Name to route by [default: the folder's name].")
@click.option(
    "--pair",
    default=None,
    metavar="SRC-TGT",
    help="The pair it translates (bilingual models whose folder name does not say; for a "
    "multilingual model, only this pair).",
)
@click.option(
    "--license",
    "licence",
    default=None,
    metavar="TEXT",
    help="The model's licence [default: the family's published one].",
)
@_threshold_option
@_packages_dir_option
@_models_dir_option
def add(
    folder: Path,
    name: str | None,
    pair: str | None,
    licence: str | None,
    threshold: float | None,
    packages_dir: Path | None,
    models_dir: Path | None,
) -> None:
    """Register a converted CTranslate2 model folder (quickmt, opus-mt, nllb or m2m100).

    The family is detected from the files and the vocabulary; the files are checked
    (config keys, vocabulary size against model.bin, the sentencepiece models load),
    their sha256 recorded, and the folder copied beside the Argos packages. Route by
    its name (--engine NAME, --route en-ja=NAME) or its family (--engine nllb).

    \b
    Example:
        l10n models add ./quickmt-en-ja
        l10n models add ./nllb-200-distilled-600M-ct2 --name nllb600m
        l10n models add ./opus-mt-tc-big-en-ko --pair en-ko
    """
    try:
        record = store.add_model(
            folder,
            name=name,
            pair=pair,
            license=licence,
            threshold=threshold,
            models_dir=_models_dir(models_dir, packages_dir),
        )
    except L10nError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"added: {record.name} ({record.family}, {record.describe_pairs()}, "
        f"{_size(record.size)}, sha256 {record.sha256[:12]}, {record.license}) in {record.path}"
    )
    if record.non_commercial:
        click.echo(f"WARNING: {record.license}: NON-COMMERCIAL use only")


@models.command("set")
@click.argument("name")
@_threshold_option
@click.option("--no-threshold", is_flag=True, help="Remove the model's threshold.")
@_packages_dir_option
@_models_dir_option
def set_model(
    name: str,
    threshold: float | None,
    no_threshold: bool,
    packages_dir: Path | None,
    models_dir: Path | None,
) -> None:
    """Set the low-confidence threshold of a model: an Argos package or a registered model.

    NAME is as `models list` shows it (Argos: translate-en_ja). Through the English
    pivot (ko→en→ja) the threshold is the sum of both packages' thresholds.

    \b
    Example:
        l10n models set translate-en_ja --threshold -1.5
        l10n models set quickmt-en-ja --no-threshold
    """
    if (threshold is None) == (not no_threshold):
        raise click.UsageError("give either --threshold VALUE or --no-threshold")
    try:
        where = store.set_threshold(
            name,
            threshold,
            models_dir=_models_dir(models_dir, packages_dir),
            packages_dir=_packages_dir(packages_dir),
        )
    except L10nError as exc:
        raise click.ClickException(str(exc)) from exc
    shown = "none" if threshold is None else f"{threshold:g}"
    click.echo(f"{name}: threshold {shown} (recorded in {where})")


@models.command("remove")
@click.argument("name")
@_packages_dir_option
@_models_dir_option
def remove(name: str, packages_dir: Path | None, models_dir: Path | None) -> None:
    """Remove a model `models add` registered (Argos packages: delete their folder).

    \b
    Example:
        l10n models remove quickmt-en-ja
    """
    try:
        record = store.remove_model(name, _models_dir(models_dir, packages_dir))
    except L10nError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"removed: {record.name} ({record.family}) from {record.path}")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(models)
