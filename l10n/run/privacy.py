"""Bringing files written before runs were private to the modes new files get.

:func:`l10n.run.atomic.modes` decides what a new file or folder gets (0600/0700, or a
team's group with ``--shared-group``). Runs, memories and server state written by an
earlier l10n kept the umask's modes (often world-readable); :func:`apply_modes` walks a
tree and sets each of the user's own files and folders to those modes.

Symbolic links are never followed (a link in a run could point anywhere), and files of
another account are left alone and reported: only their owner can change them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from l10n.run.atomic import Modes

SHOWN = 10


@dataclass
class ModeReport:
    """What :func:`apply_modes` changed (or, dry, would change), and what it could not."""

    changed: int = 0
    unchanged: int = 0
    changed_paths: list[str] = field(default_factory=list)
    """The first :data:`SHOWN` paths changed."""
    not_yours: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """``PATH: reason`` for each path whose mode could not be set."""

    @property
    def ok(self) -> bool:
        return not (self.not_yours or self.failed)


def _wanted(info: os.stat_result, modes: Modes) -> tuple[int, int | None]:
    mode = modes.folder if stat.S_ISDIR(info.st_mode) else modes.file
    gid = modes.gid if modes.gid is not None and info.st_gid != modes.gid else None
    return mode, gid


def fix_path(path: Path, modes: Modes, report: ModeReport, dry_run: bool) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        report.failed.append(f"{path}: {exc.strerror or exc}")
        return
    if stat.S_ISLNK(info.st_mode) or not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        return  # links are not followed; sockets and pipes have no content to hide
    if info.st_uid != os.getuid():
        report.not_yours.append(str(path))
        return
    mode, gid = _wanted(info, modes)
    if stat.S_IMODE(info.st_mode) == mode and gid is None:
        report.unchanged += 1
        return
    report.changed += 1
    if len(report.changed_paths) < SHOWN:
        report.changed_paths.append(f"{path}: {stat.S_IMODE(info.st_mode):04o} → {mode:04o}")
    if dry_run:
        return
    try:
        if gid is not None:
            os.chown(path, -1, gid, follow_symlinks=False)
        os.chmod(path, mode)  # after chown: a new group clears the setgid bit on some systems
    except OSError as exc:
        report.changed -= 1
        report.failed.append(f"{path}: {exc.strerror or exc}")


def apply_modes(root: Path, modes: Modes, report: ModeReport, *, dry_run: bool = False) -> None:
    """Set ``root`` and, for a folder, everything in it to ``modes`` (see the module)."""
    fix_path(root, modes, report, dry_run)
    if root.is_symlink() or not root.is_dir():
        return
    for folder, dirs, files in os.walk(root, onerror=lambda e: _walk_error(e, report)):
        for name in (*dirs, *files):
            fix_path(Path(folder) / name, modes, report, dry_run)


def _walk_error(error: OSError, report: ModeReport) -> None:
    report.failed.append(f"{error.filename}: {error.strerror or error}")
