"""``l10n models``: install and list the Argos Translate packages the engine uses."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from l10n.errors import L10nError
from l10n.mt.engines.argos import packages as ap
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
    """Install and list Argos Translate packages.

    \b
    Example:
        l10n models install ja ko
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


@models.command("list")
@_packages_dir_option
def list_packages(packages_dir: Path | None) -> None:
    """List installed translation packages and whether their checksum is pinned.

    \b
    Example:
        l10n models list
        ARGOS_PACKAGES_DIR=/srv/argos l10n models list
    """
    target = _packages_dir(packages_dir)
    found = ap.installed_packages(target)
    if not found:
        click.echo(f"no packages in {target} — run `l10n models install ja ko`")
        return
    rows = [("PACKAGE", "PAIR", "VERSION", "SHA256", "PATH")]
    for pkg in found:
        if pkg.sha256 is None:
            checksum = "unknown (not installed by l10n)"
        else:
            checksum = f"{pkg.sha256[:12]} {'pinned' if pkg.pinned() else 'unpinned'}"
        rows.append(
            (pkg.name, f"{pkg.from_code}→{pkg.to_code}", pkg.version, checksum, str(pkg.path))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    group.add_command(models)
