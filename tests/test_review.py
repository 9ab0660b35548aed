from __future__ import annotations

import io
import itertools
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.console import Console

from l10n.cli import review_cmd
from l10n.cli.review_cmd import diff_texts, render_review
from l10n.review.diffs import char_diff, render_diffs, translation_diff
from l10n.review.document import review_document
from l10n.run.store import Run, RunReadError

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
L10N = Path(sys.executable).parent / "l10n"


@click.group()
def main() -> None:
    """Only this module's commands, so these tests don't depend on the others."""


review_cmd.register(main)


@pytest.fixture
def run_copy(tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(FIXTURE, target)
    return target


def read_all(path: Path) -> tuple[Run, list]:
    """Open a run and read every stored article, as a reviewer's tools do."""
    run = Run.open(path)
    return run, list(run.iter_articles())


def render(doc: dict) -> str:
    console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
    render_review(doc, console)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# --- loading ------------------------------------------------------------------------------


def test_load_run_reads_every_article_and_segment() -> None:
    run, articles = read_all(FIXTURE)
    assert run.read_summary().run_id == "20260301T090000Z-sample"
    assert [a.id for a in articles] == ["nara-summit", "hostile-page"]
    assert [len(a.plan.segments) for a in articles] == [5, 3]
    totals = json.loads((FIXTURE / "run.json").read_text(encoding="utf-8"))["totals"]
    counts = [a.counts() for a in articles]
    assert sum(c["changes"] for c in counts) == totals["changes"]
    assert sum(c["flags"] for c in counts) == totals["flags"]
    assert sum(c["unresolved"] for c in counts) == totals["unresolved"]


def test_glossary_changes_replay_from_raw_mt_to_final() -> None:
    for article in read_all(FIXTURE)[1]:
        for rows in article.translations.values():
            for view in rows:
                text = view.mt
                for change in view.changes:
                    assert text[change.start : change.end] == change.before
                    text = text[: change.start] + change.after + text[change.end :]
                assert text == view.final


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda run: shutil.rmtree(run), "no such folder"),
        (lambda run: (run / "run.json").unlink(), "not a run folder (no run.json)"),
        (
            lambda run: (run / "run.json").write_text('{"run_id": \n', "utf-8"),
            "run.json:2: invalid",
        ),
        (
            lambda run: (run / "nara-summit" / "segments.jsonl").write_text(
                '{"index": 0, "source": "x", "targets": {}}\n{broken\n', "utf-8"
            ),
            "segments.jsonl:2: invalid JSON",
        ),
        (
            lambda run: (run / "hostile-page" / "segments.jsonl").write_text(
                '{"source": "no index"}\n', "utf-8"
            ),
            "segments.jsonl:1: not a stored segment",
        ),
        (lambda run: (run / "hostile-page" / "manifest.json").unlink(), "manifest.json: missing"),
        (
            lambda run: (run / "run.json").write_text(
                (run / "run.json")
                .read_text("utf-8")
                .replace('"id": "nara-summit"', '"id": "../../etc"'),
                "utf-8",
            ),
            "not a run summary",
        ),
    ],
)
def test_unreadable_runs_raise_one_line_errors(run_copy: Path, damage, expected: str) -> None:
    damage(run_copy)
    with pytest.raises(RunReadError) as info:
        read_all(run_copy)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_a_folder_of_runs_points_at_a_run(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "20260301-a")
    with pytest.raises(RunReadError, match="pass one of them"):
        Run.open(tmp_path)


# --- review document ----------------------------------------------------------------------


def test_review_json_golden(data_regression) -> None:
    data_regression.check(review_document(Run.open(FIXTURE)))


def test_filters_select_language_article_and_changed_segments() -> None:
    run = Run.open(FIXTURE)
    doc = review_document(run, lang="ko", article="nara-summit", only_changed=True)
    assert doc["targets"] == ["ko"]
    assert [a["id"] for a in doc["articles"]] == ["nara-summit"]
    segments = doc["articles"][0]["segments"]
    assert [s["index"] for s in segments] == [0, 1]
    assert all(set(s["targets"]) == {"ko"} and s["targets"]["ko"]["changed"] for s in segments)


def test_unknown_filters_are_user_errors() -> None:
    run = Run.open(FIXTURE)
    with pytest.raises(RunReadError, match="no 'zh' target"):
        review_document(run, lang="zh")
    with pytest.raises(RunReadError, match="nara-summit, hostile-page"):
        review_document(run, article="nope")


# --- terminal -----------------------------------------------------------------------------


def test_terminal_review_golden(file_regression) -> None:
    file_regression.check(render(review_document(Run.open(FIXTURE))), extension=".txt")


def test_terminal_prints_hostile_text_verbatim_not_as_markup() -> None:
    doc = review_document(Run.open(FIXTURE), article="hostile-page")
    doc["articles"][0]["segments"][0]["source"] = "[bold red]not markup[/] <script>x</script>"
    out = render(doc)
    assert "[bold red]not markup[/] <script>x</script>" in out
    assert 'onerror="window.__pwned=1"' in out


def test_pseudo_runs_are_labelled_in_the_terminal() -> None:
    doc = review_document(Run.open(FIXTURE))
    assert "PSEUDO-LOCALIZED" not in render(doc)
    doc["pseudo"] = True
    assert "PSEUDO-LOCALIZED — not a translation" in render(doc)


def test_diff_highlighting_marks_exactly_the_changed_characters() -> None:
    before, after = diff_texts("タカイチ氏は述べた", "高市氏は述べた")
    struck = [before.plain[s.start : s.end] for s in before.spans if "strike" in str(s.style)]
    added = [after.plain[s.start : s.end] for s in after.spans if "green" in str(s.style)]
    assert struck == ["タカイチ"]
    assert added == ["高市"]
    assert before.plain == "タカイチ氏は述べた"
    assert after.plain == "高市氏は述べた"


# --- character diff and diff files -------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("サナエ・タカイチ首相", "高市早苗首相"),
        ("사나에 타카이치 총리는", "다카이치 사나에 총리는"),
        ("", "new"),
        ("old", ""),
        ("same", "same"),
    ],
)
def test_char_diff_rebuilds_both_sides(a: str, b: str) -> None:
    ops = char_diff(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b
    assert all(op in ("equal", "delete", "insert") for op, _ in ops)
    assert all(x[0] != y[0] for x, y in itertools.pairwise(ops))


def test_char_diff_of_very_long_texts_still_rebuilds_both_sides() -> None:
    base = "".join(f"第{i}回の会合で首脳は協力を確認した。" for i in range(8000))
    a = "タカイチ・サナエ首相は" + base + "リー・ジェミョン大統領と会った。"
    b = "高市早苗首相は" + base + "李在明大統領と会った。"
    ops = char_diff(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b


def test_render_diffs_lists_changed_segments_only() -> None:
    article = Run.open(FIXTURE).read_article("nara-summit")
    files = render_diffs(article)
    assert sorted(files) == ["ja.diff", "ko.diff"]
    for name, data in files.items():
        lang = name.split(".")[0]
        lines = data.decode("utf-8").splitlines()
        assert lines[:2] == [f"--- a/{lang}.mt", f"+++ b/{lang}"]
        removed = [line[1:] for line in lines[2:] if line.startswith("-")]
        added = [line[1:] for line in lines[2:] if line.startswith("+")]
        changed = [v for v in article.translations[lang] if v.changed]
        assert removed == [v.mt for v in changed]
        assert added == [v.final for v in changed]


def test_render_diffs_is_empty_when_nothing_changed() -> None:
    files = render_diffs(Run.open(FIXTURE).read_article("hostile-page"))
    assert files["ko.diff"] == b""
    assert "+奈良の当局者" in files["ja.diff"].decode("utf-8")


# --- command line -------------------------------------------------------------------------


def test_cli_review_renders_the_fixture() -> None:
    result = subprocess.run(
        [str(L10N), "review", str(FIXTURE), "--lang", "ja"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "高市早苗首相は土曜日" in result.stdout
    assert "다카이치" not in result.stdout


def test_cli_review_json_parses_and_matches_the_library() -> None:
    result = subprocess.run(
        [str(L10N), "review", str(FIXTURE), "--json", "--only-changed"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == review_document(Run.open(FIXTURE), only_changed=True)


def test_cli_review_bad_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(L10N), "review", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "missing: no such folder" in result.stderr


@pytest.mark.parametrize(
    "args", [["--lang", "zh"], ["--article", "nope"]], ids=["bad-lang", "bad-article"]
)
def test_cli_review_bad_filters_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["review", str(FIXTURE), *args])
    assert result.exit_code == 2
    assert "choose one of" in result.output


def test_cli_review_corrupt_file_names_file_and_line(run_copy: Path) -> None:
    (run_copy / "run.json").write_text("{\n  oops\n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(run_copy)])
    assert result.exit_code == 2
    assert f"{run_copy / 'run.json'}:2: invalid JSON" in result.output


def test_cli_report_rebuilds_every_review_file(run_copy: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(run_copy)])
    assert result.exit_code == 0, result.output
    for name in (
        "report.html",
        "translations.tmx",
        "nara-summit/ja.diff",
        "nara-summit/ko.xlf",
        "hostile-page/ja.xlf",
    ):
        assert (run_copy / name).is_file()
        assert str(run_copy / name) in result.output


@pytest.mark.parametrize("command", ["review", "report"])
def test_help_examples_run(command: str, run_copy: Path) -> None:
    help_text = CliRunner().invoke(main, [command, "--help"]).output
    examples = [
        shlex.split(line.strip())
        for line in help_text.split("Example:", 1)[1].splitlines()
        if line.strip().startswith("l10n ")
    ]
    assert examples
    for words in examples:
        words = words[: words.index(">")] if ">" in words else words
        args = [str(run_copy) if w.startswith("outputs/") else w for w in words[1:]]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (words, result.output)


def test_translation_diff_replays_the_change_log_exactly() -> None:
    for article in read_all(FIXTURE)[1]:
        for rows in article.translations.values():
            for view in rows:
                ops = translation_diff(view)
                assert "".join(t for op, t in ops if op != "insert") == view.mt
                assert "".join(t for op, t in ops if op != "delete") == view.final
                deleted = [t for op, t in ops if op == "delete"]
                assert deleted == [c.before for c in view.changes if c.before] or not view.changes


def test_translation_diff_of_a_huge_segment_follows_every_change() -> None:
    from l10n.models import GlossaryChange, Translation

    unit = "タカイチ・サナエ首相は奈良で会談した。"
    mt = unit * 20000
    changes, shift = [], 0
    for i in range(20000):
        start = i * len(unit) + shift
        changes.append(
            GlossaryChange(0, "sanae-takaichi", unit[:8], "高市早苗", start, start + 8, "variant")
        )
        shift += 4 - 8
    final = ("高市早苗首相は奈良で会談した。") * 20000
    ops = translation_diff(Translation(0, "ja", mt, final, changes))
    assert [t for op, t in ops if op == "delete"] == ["タカイチ・サナエ"] * 20000
    assert "".join(t for op, t in ops if op != "delete") == final


def test_reviews_show_in_the_json_the_terminal_and_the_report(run_copy: Path) -> None:
    from l10n.models import Review
    from l10n.review.files import article_review_files

    run = Run.open(run_copy)
    article = run.read_article("nara-summit")
    article.translations["ko"][1].review = Review(
        "approved",
        "이재명 대통령과 다카이치 총리가 만났다.",
        "minji",
        "2026-11-27T09:00:00+00:00",
        "house style",
        "app",
    )
    article.translations["ja"][2].review = Review(
        "rejected",
        article.translations["ja"][2].final,
        "kenji",
        "2026-11-27T09:05:00+00:00",
        "numbers wrong",
    )
    run.update_article(article, article_review_files(article, "sample"))
    doc = review_document(Run.open(run_copy), article="nara-summit")
    segments = doc["articles"][0]["segments"]
    assert segments[1]["targets"]["ko"]["review"]["reviewer"] == "minji"
    assert "review" not in segments[0]["targets"]["ko"]
    text = render(doc)
    assert "approved by minji" in text and "이재명 대통령과 다카이치 총리가 만났다." in text
    assert "rejected by kenji" in text and "numbers wrong" in text
    page = (run_copy / "nara-summit" / "report.html").read_text("utf-8")
    assert "approved by minji" in page and "rejected by kenji" in page
    # one approval of five segments is not publishable: a marked draft, no reviewed text
    assert not (run_copy / "nara-summit" / "ko.reviewed.txt").exists()
    draft = (run_copy / "nara-summit" / "ko.draft.txt").read_text("utf-8")
    assert "이재명 대통령과 다카이치 총리가 만났다." in draft
    assert "publishable: no (approved 1/5, rejected 0)" in draft
    assert draft.count("[NOT REVIEWED]") == 4
    assert "[REJECTED]" in (run_copy / "nara-summit" / "ja.draft.txt").read_text("utf-8")
    assert "ko: publishable: no (approved 1/5, rejected 0)" in text
    assert "ja: publishable: no (approved 0/5, rejected 1)" in text
