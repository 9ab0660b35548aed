"""`l10n fix-modes`: runs, memories and server state written before they were private."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.cli import main
from l10n.run.atomic import SHARED_GROUP_ENV


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def old_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """What an l10n of before wrote under a 022 umask: everything world-readable."""
    monkeypatch.delenv(SHARED_GROUP_ENV, raising=False)
    monkeypatch.delenv("L10N_TM", raising=False)
    out = tmp_path / "output"
    article = out / "20260101T000000Z-old" / "summit"
    article.mkdir(parents=True)
    (article / "ja.txt").write_text("訳文", "utf-8")
    (out / "20260101T000000Z-old" / "run.json").write_text("{}", "utf-8")
    (out / ".l10n-tm.sqlite").write_bytes(b"memory")
    elsewhere = tmp_path / "shared-tm.sqlite"
    elsewhere.write_bytes(b"memory")
    (tmp_path / "shared-tm.sqlite-wal").write_bytes(b"wal")
    outside = tmp_path / "not-a-run.txt"
    outside.write_text("someone else's notes", "utf-8")
    (out / "link").symlink_to(outside)
    home = tmp_path / "prefect-home"
    home.mkdir()
    (home / "l10n-server.secret").write_text("secret\n", "utf-8")
    (home / "l10n-commands.log").write_text("log\n", "utf-8")
    (home / "profiles.toml").write_text("", "utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(home))
    for path in [*tmp_path.rglob("*"), tmp_path]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    return {
        "out": out,
        "article": article,
        "memory": out / ".l10n-tm.sqlite",
        "elsewhere": elsewhere,
        "outside": outside,
        "home": home,
    }


def test_fix_modes_makes_old_runs_memories_and_server_state_private(
    old_files: dict[str, Path],
) -> None:
    out, home = old_files["out"], old_files["home"]
    tm = str(old_files["elsewhere"])
    dry = CliRunner().invoke(main, ["fix-modes", str(out), "--tm", tm, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would change" in dry.output and "0644 → 0600" in dry.output
    assert mode(old_files["article"] / "ja.txt") == 0o644  # a dry run changes nothing

    done = CliRunner().invoke(main, ["fix-modes", str(out), "--tm", tm])
    assert done.exit_code == 0, done.output
    for folder in (out, old_files["article"]):
        assert mode(folder) == 0o700
    for file in (old_files["article"] / "ja.txt", old_files["memory"], old_files["elsewhere"]):
        assert mode(file) == 0o600, file
    assert mode(old_files["elsewhere"].with_name("shared-tm.sqlite-wal")) == 0o600
    assert mode(home) == 0o700
    assert mode(home / "l10n-server.secret") == 0o600
    assert mode(home / "l10n-commands.log") == 0o600
    assert mode(home / "profiles.toml") == 0o644  # Prefect's own files are not l10n's to change
    assert mode(old_files["outside"]) == 0o644  # the link in the run was not followed
    assert f"{out}: changed 6 to 0600/0700" in done.output  # 3 folders, 3 files

    again = CliRunner().invoke(main, ["fix-modes", str(out), "--tm", tm])
    assert again.exit_code == 0 and f"{out}: changed 0" in again.output


def test_fix_modes_with_a_shared_group_opens_runs_to_it_but_not_the_server_secret(
    old_files: dict[str, Path],
) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    out = old_files["out"]
    done = CliRunner().invoke(main, ["fix-modes", str(out), "--shared-group", group])
    assert done.exit_code == 0, done.output
    assert mode(old_files["article"]) == 0o2770
    assert mode(old_files["article"] / "ja.txt") == 0o660
    assert mode(old_files["memory"]) == 0o660
    assert mode(old_files["home"] / "l10n-server.secret") == 0o600


def test_an_unknown_group_is_refused_before_anything_changes(old_files: dict[str, Path]) -> None:
    done = CliRunner().invoke(
        main, ["fix-modes", str(old_files["out"]), "--shared-group", "no-such-group-l10n"]
    )
    assert done.exit_code == 2
    assert "no such group" in done.output
    assert mode(old_files["article"] / "ja.txt") == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another account")
def test_another_accounts_files_are_listed_and_left_alone(old_files: dict[str, Path]) -> None:
    theirs = old_files["article"] / "theirs.txt"
    theirs.write_text("x", "utf-8")
    theirs.chmod(0o644)
    os.chown(theirs, 65534, -1)
    done = CliRunner().invoke(main, ["fix-modes", str(old_files["out"])])
    assert done.exit_code == 1
    assert f"not yours, left as it is: {theirs}" in done.output
    assert "1 path(s) belong to another account" in done.output
    assert mode(theirs) == 0o644
    assert mode(old_files["article"] / "ja.txt") == 0o600  # the rest was done
