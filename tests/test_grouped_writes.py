"""An article's files are written as one durable group, its manifest only after them.

The group is flushed with concurrent fsyncs (one disk flush instead of one per file), so
these tests check the order that the crash guarantee rests on: every file fsync'd before
any is renamed into place, the folder fsync'd after the renames, the manifest after all
of it; and a failure in the middle of the group leaves the article visibly incomplete,
with no temporary file behind, and a second write completes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import GLOSSARY
from fake_engine import FakeEngine

from l10n.articles.read import article_from_text
from l10n.correct.stage import correct_article
from l10n.glossary import load_glossary
from l10n.models import EngineIdentity, LanguageGuess, TranslatedArticle
from l10n.mt.translate import translate_plans
from l10n.run import atomic
from l10n.run.store import Run, RunContext, article_fingerprint
from l10n.text.plan import plan_article


@pytest.fixture(scope="module")
def stored() -> tuple[TranslatedArticle, RunContext]:
    glossary = load_glossary(GLOSSARY)
    article = article_from_text(
        "Leaders meet", "Sanae Takaichi met Lee Jae Myung in Nara.\n\nTalks went on.", id="story"
    )
    plan = plan_article(article, LanguageGuess("en", 0.99), ["ja", "ko"])
    machine = translate_plans([plan], FakeEngine(), glossary)["story"]
    ctx = RunContext(("ja", "ko"), (EngineIdentity("fake"),), {"sha256": glossary.sha256})
    return TranslatedArticle(plan, correct_article(plan, machine, glossary)), ctx


def test_files_are_flushed_before_renamed_and_the_manifest_comes_last(
    stored, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translated, ctx = stored
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            events.append(("fsync", "folder"))
        else:
            events.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(("rename", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    Run.create(str(tmp_path), "run").write_article(translated, ctx, {"extra.txt": b"x\n"})

    renames = [name for kind, name in events if kind == "rename"]
    assert renames[-1] == "manifest.json" and renames.count("manifest.json") == 1
    group = renames[:-1]
    assert {"source.txt", "segments.jsonl", "ja.txt", "ko.mt.txt", "extra.txt"} <= set(group)
    first_rename = next(i for i, (kind, _) in enumerate(events) if kind == "rename")
    flushed = [name for kind, name in events[:first_rename] if kind == "fsync"]
    assert len(flushed) == len(group)  # every file of the group, before any rename
    last_group_rename = max(
        i for i, e in enumerate(events) if e[0] == "rename" and e[1] != "manifest.json"
    )
    manifest_at = events.index(("rename", "manifest.json"))
    between = events[last_group_rename + 1 : manifest_at]
    assert ("fsync", "folder") in between  # the renames are on disk before the manifest


def test_a_failure_inside_the_group_leaves_the_article_incomplete_and_no_temp(
    stored, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translated, ctx = stored
    run = Run.create(str(tmp_path), "run")
    run.write_article(translated, ctx)  # a complete earlier version is being replaced
    fingerprint = article_fingerprint(translated.plan, ctx)
    assert run.is_complete("story", fingerprint)
    real_replace = os.replace
    calls = iter(range(100))

    def replace_then_fail(src: str, dst: str) -> None:
        if next(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace_then_fail)
    with pytest.raises(Exception, match="disk is full"):
        run.write_article(translated, ctx)
    monkeypatch.setattr(atomic.os, "replace", real_replace)

    folder = tmp_path / "run" / "story"
    assert not run.is_complete("story", fingerprint)
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    run.write_article(translated, ctx)
    assert run.is_complete("story", fingerprint)
    assert run.read_article("story") == translated


def test_one_file_group_and_an_empty_group(tmp_path: Path) -> None:
    atomic.write_files_atomic({})
    target = tmp_path / "deep" / "one.txt"
    atomic.write_files_atomic({target: b"hello\n"})
    assert target.read_bytes() == b"hello\n"
    assert oct(target.stat().st_mode & 0o777) == oct(atomic.modes().file)  # private: 0600
