"""The terminal at 80 columns: the run summary, progress totals, help examples, Ctrl-C."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import GLOSSARY, ROOT
from rich.console import Console

from l10n.articles.discover import expected_articles
from l10n.cli import main
from l10n.cli.translate_cmd import TABLE_LIMIT, print_summary
from l10n.models import Action, ArticleOutcome, EngineIdentity, LanguageGuess, TargetSummary
from l10n.run.ids import new_run_id
from l10n.run.summary import RunSummary

L10N = str(ROOT / ".venv" / "bin" / "l10n")
RUN_ID = "20260301-090000-3f9c"


def _done(article_id: str, engines: dict[str, tuple[str, bool]]) -> ArticleOutcome:
    targets = {
        lang: TargetSummary(
            Action.TRANSLATE, f"{lang}.mt.txt", f"{lang}.txt", changes=2, engine=name, pseudo=p
        )
        for lang, (name, p) in engines.items()
    }
    return ArticleOutcome(
        article_id, f"{article_id}.txt", "done", source_language=LanguageGuess("en", 1.0),
        targets=targets, engine=next(iter(engines.values()))[0],
    )  # fmt: skip


def _summary(outcomes: list[ArticleOutcome]) -> RunSummary:
    summary = RunSummary(RUN_ID, "now", ["ja", "ko"], [EngineIdentity("argos")], {})
    summary.outcomes = outcomes
    return summary


def _printed(summary: RunSummary, width: int = 80, *, full: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, color_system=None)
    print_summary(console, summary, f"/out/{RUN_ID}", full=full)
    return buffer.getvalue()


ARGOS = {"ja": ("argos", False), "ko": ("argos", False)}


def test_ids_are_never_broken_at_80_columns():
    ids = ["beijing-taiwan-remarks", "seoul-tokyo-shuttle-diplomacy-2026", "nara"]
    text = _printed(_summary([_done(i, ARGOS) for i in ids]))
    table = [line for line in text.splitlines() if not line.startswith(("3 done", "Review"))]
    assert all(len(line) <= 80 for line in table), text
    for article_id in ids:
        assert any(
            re.search(rf"(^|\W){re.escape(article_id)}(\W|$)", line) for line in text.splitlines()
        ), (
            article_id,
            text,
        )
    header = next(line for line in text.splitlines() if "article" in line)
    assert header.split() == ["article", "languages", "glossary", "flags", "status"]


def test_language_cells_wrap_only_between_languages_at_80_columns():
    """A column squeezed by a long id wraps "en→ja, ko(copy)" after the comma, never
    inside "ko(copy)" or "ja"."""

    def copy_ko(article_id: str, confidence: float) -> ArticleOutcome:
        outcome = _done(article_id, ARGOS)
        outcome.targets["ko"] = TargetSummary(Action.COPY, "ko.txt", "ko.txt")
        outcome.source_language = LanguageGuess("en", confidence)
        return outcome

    ids = ["seoul-tokyo-shuttle-diplomacy-2026-03", "nara"]
    text = _printed(_summary([copy_ko(ids[0], 0.6), copy_ko(ids[1], 1.0)]))
    lines = text.splitlines()
    header = next(line for line in lines if "article" in line)
    assert header.split() == ["article", "languages", "glossary", "flags", "status"], text
    table = lines[lines.index(header) : lines.index(header) + 8]
    assert all(len(line) <= 80 for line in table), text
    words = [word for line in table for word in line.split()]
    assert words.count("ko(copy)") == 2, text  # whole, once per article
    assert "en→ja," in words and "0.60→ja," in words, text
    assert not any(w.endswith(("ko(", "(co", "→j")) or w.startswith("copy)") for w in words)


def test_ids_too_long_for_a_table_get_lines_of_their_own():
    long_id = "a-very-long-article-id-from-a-feed-that-names-everything-2026-03-01"
    text = _printed(_summary([_done(long_id, ARGOS), _done("nara", ARGOS)]))
    lines = text.splitlines()
    assert long_id in lines and "nara" in lines
    below = lines[lines.index(long_id) + 1]
    assert below.startswith("  en→ja,ko · argos · 4 fixed · flags 0") and below.endswith("done")


def test_many_articles_print_counts_and_failures_unless_all():
    outcomes = [_done(f"brief-{n:03}", ARGOS) for n in range(TABLE_LIMIT + 5)]
    outcomes.append(ArticleOutcome("broken", "b.txt", "failed", "disk full"))
    text = _printed(_summary(outcomes))
    assert "brief-000" not in text and "add --all" in text
    assert "35 done, 0 skipped, 1 failed" in text and "failed broken: disk full" in text
    full = _printed(_summary(outcomes), full=True)
    assert all(f"brief-{n:03}" in full for n in range(TABLE_LIMIT + 5))


def test_engine_labels_follow_each_target():
    mixed = _done("mixed", {"ja": ("argos", False), "ko": ("pseudo", True)})
    text = _printed(_summary([mixed, _done("plain", ARGOS)]), width=120)
    assert "ja argos, ko pseudo" in text
    assert "engine argos (2), pseudo (1) (some targets PSEUDO-LOCALIZED" in text
    all_pseudo = _summary([_done("p", {"ja": ("pseudo", True)})])
    # The run asked for argos, but pseudo made every target: the line says what was used.
    assert all_pseudo.all_pseudo and "engine pseudo (PSEUDO-LOCALIZED" in _printed(all_pseudo)
    assert "engine argos\n" in _printed(_summary([_done("plain", ARGOS)]))
    assert not _summary([mixed]).all_pseudo


def test_progress_total_counts_files_and_jsonl_lines(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    lines = [f'{{"id": "b{n}", "title": "T", "body": "B."}}' for n in range(7)]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    assert expected_articles([str(tmp_path)]) == 8
    assert expected_articles([str(tmp_path / "b.jsonl"), "https://example.org/n/1"], 2) == 10
    assert expected_articles([str(tmp_path / "missing.txt")]) == 0


def _help_texts(group: click.Group, prefix: str = "") -> dict[str, str]:
    texts = {}
    for name, command in group.commands.items():
        texts[f"{prefix}{name}"] = command.help or ""
        if isinstance(command, click.Group):
            texts.update(_help_texts(command, f"{prefix}{name} "))
    return texts


def test_help_examples_use_run_ids_in_the_format_runs_have():
    made = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4}")
    assert made.fullmatch(new_run_id())
    found = 0
    for name, text in _help_texts(main).items():
        for candidate in re.findall(r"\b(\d{8}[^\s/]*)", text):  # anything dated
            found += 1
            assert made.fullmatch(candidate), f"l10n {name}: {candidate}"
    assert found >= 5
    assert "T090000Z" not in "".join(_help_texts(main).values())


def test_glossary_check_and_export_default_to_the_translate_glossary():
    result = CliRunner().invoke(main, ["glossary", "check"])
    assert result.exit_code == 0, result.output
    assert (
        "OK glossaries/leaders.yaml: 42 entries" in result.output
        or f"OK {GLOSSARY}:" in result.output
    )
    exported = CliRunner().invoke(main, ["glossary", "export", "--format", "tbx"])
    assert exported.exit_code == 0 and "<martif" in exported.output


def _interrupt(args: list[str], ready: str, tmp_path: Path) -> subprocess.CompletedProcess:
    log = tmp_path / "out.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [L10N, *args], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=os.environ.copy()
        )
        deadline = time.monotonic() + 60
        while ready not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    return subprocess.CompletedProcess(args, code, log.read_text(), "")


@pytest.mark.server
def test_ctrl_c_stops_review_serve_with_130_and_no_noise(tmp_path: Path):
    run = tmp_path / "out" / RUN_ID
    run.parent.mkdir()
    shutil.copytree(ROOT / "tests" / "fixtures" / "run_sample", run)
    result = _interrupt(["review", "serve", str(run.parent)], "Ctrl-C stops it", tmp_path)
    assert result.returncode == 130, result.stdout
    assert "Aborted" not in result.stdout and "Traceback" not in result.stdout


def test_ctrl_c_in_any_command_exits_130_quietly():
    @main.command("sleep-for-test", hidden=True)
    def _sleeper() -> None:
        raise KeyboardInterrupt

    try:
        result = CliRunner().invoke(main, ["sleep-for-test"])
    finally:
        del main.commands["sleep-for-test"]
    assert result.exit_code == 130 and "Aborted" not in result.output


def test_a_row_whose_other_cells_wrap_keeps_the_table():
    busy = _done("draft-xi-trade-ministers", ARGOS)
    busy.targets["ja"].flag_codes = {"number-missing": 1, "unresolved-term": 1}
    busy.targets["ko"].action = Action.COPY
    outcomes = [busy, *(_done(f"brief-{n}", ARGOS) for n in range(3))]
    text = _printed(_summary(outcomes))
    assert any(
        line.split() == ["article", "languages", "glossary", "flags", "status"]
        for line in text.splitlines()
    )
    assert any(
        re.search(r"^ draft-xi-trade-ministers\s.*\sdone\s*$", line) for line in text.splitlines()
    )
