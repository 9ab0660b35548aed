"""The `l10n glossary` commands, run as the installed console script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from l10n.articles.read import article_from_text
from l10n.glossary import load_glossary
from l10n.models import EngineIdentity, LanguageGuess, QAFlag, TranslatedArticle, Translation
from l10n.run.store import Run, RunContext
from l10n.run.summary import RunSummary, outcome_of
from l10n.text.plan import plan_article

ROOT = Path(__file__).resolve().parent.parent
L10N = ROOT / ".venv" / "bin" / "l10n"
LEADERS = ROOT / "glossaries" / "leaders.yaml"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(L10N), "glossary", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_ok() -> None:
    done = run("check", LEADERS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"OK {LEADERS}:")
    assert len(done.stdout.strip().splitlines()) == 1


def test_check_lists_problems_with_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nentries:\n"
        "  - id: a\n    type: human\n    source: A\n    targets: {ja: あ}\n"
        "  - id: a\n    type: place\n    source: B\n    targets: {kr: 비}\n",
        encoding="utf-8",
    )
    done = run("check", bad)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith(str(bad))]
    assert any(line.startswith(f"{bad}:4: ") and "human" in line for line in lines)
    assert any(line.startswith(f"{bad}:7: ") and "duplicate id" in line for line in lines)
    assert any(line.startswith(f"{bad}:10: ") and "'kr'" in line for line in lines)


def test_apply_json() -> None:
    done = run(
        "apply",
        "--glossary",
        LEADERS,
        "--lang",
        "ko",
        "--source",
        "Takaichi met Xi Jinping in Tokyo.",
        "--mt",
        "타카이치는 동경에서 일본 총리를 만났다.",
        "--context",
        "Sanae Takaichi flew in.",
        "--context",
        "Xi Jinping met her.",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["text"] == "다카이치는 도쿄에서 일본 총리를 만났다."
    assert [c["rule"] for c in payload["changes"]] == ["variant", "variant"]
    assert payload["unresolved"] == [{"entry_id": "xi-jinping", "source": "Xi Jinping"}]


def test_apply_human_output() -> None:
    done = run(
        "apply",
        "--glossary",
        LEADERS,
        "--lang",
        "ko",
        "--source",
        "He flew to Tokyo.",
        "--mt",
        "그는 동경으로 날아갔다.",
    )
    assert done.returncode == 0, done.stderr
    assert "도쿄로 날아갔다" in done.stdout
    assert "동경 → 도쿄" in done.stdout


def test_apply_bad_glossary_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentries: {}\n", encoding="utf-8")
    done = run("apply", "--glossary", bad, "--lang", "ja", "--source", "x", "--mt", "y")
    assert done.returncode != 0
    assert f"{bad}:2:" in done.stderr


@pytest.mark.parametrize("fmt", ["tbx", "csv", "tsv", "amazon-csv", "amazon-tmx"])
def test_export_import_round_trip(tmp_path: Path, fmt: str) -> None:
    suffix = fmt.rsplit("-", 1)[-1]
    exported = tmp_path / f"leaders.{suffix}"
    done = run("export", LEADERS, "--format", fmt, "-o", exported)
    assert done.returncode == 0, done.stderr
    if fmt != "tbx":
        assert "short form(s) left out" in done.stderr
    back = tmp_path / "back.yaml"
    done = run("import", exported, "-o", back)
    assert done.returncode == 0, done.stderr
    assert run("check", back).returncode == 0
    original = {e.source: e for e in load_glossary(LEADERS).entries}
    imported = {e.source: e for e in load_glossary(back).entries}
    if fmt == "tbx":
        assert imported.keys() == original.keys()
    else:
        assert imported.keys() == {s for s, e in original.items() if not e.is_short}
    for source, entry in imported.items():
        assert entry.targets == original[source].targets
        assert entry.aliases == original[source].aliases
        if fmt == "tbx":
            assert entry.id == original[source].id
            assert entry.variants == {k: v for k, v in original[source].variants.items() if v}
            assert entry.short_form_of == original[source].short_form_of


def test_deepl_export_writes_one_file_per_language_pair(tmp_path: Path) -> None:
    done = run("export", LEADERS, "--format", "deepl-csv", "-o", tmp_path / "leaders.csv")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leaders.en-ja.csv", "leaders.en-ko.csv"]
    first = (tmp_path / "leaders.en-ko.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.count(",") == 1 and not first.startswith("en,")
    one = run("export", LEADERS, "--format", "deepl-tsv", "--lang", "ja")
    assert one.returncode == 0 and "Tokyo\t東京" in one.stdout
    both = run("export", LEADERS, "--format", "deepl-tsv")
    assert both.returncode == 2 and "--lang" in both.stderr


def test_import_pair_table_with_its_target_language(tmp_path: Path) -> None:
    table = tmp_path / "pair.csv"
    table.write_text("Tokyo,도쿄\nOsaka,오사카\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    refused = run("import", table, "-o", out)
    assert refused.returncode != 0 and "--target-lang" in refused.stderr
    assert not out.exists()
    done = run("import", table, "--target-lang", "ko", "-o", out)
    assert done.returncode == 0, done.stderr
    assert {e.source: e.targets for e in load_glossary(out).entries} == {
        "Tokyo": {"ko": "도쿄"},
        "Osaka": {"ko": "오사카"},
    }


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02 not xml at all",
        b"<html><body><p>a web page</p></body></html>",
        b'<martif xml:lang="en"><text><body></body></text></martif>',
        b"<martif><text><body><termEntry>",
    ],
)
def test_import_of_an_unreadable_tbx_writes_nothing(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_bytes(content)
    out = tmp_path / "out.yaml"
    done = run("import", bad, "-o", out)
    assert done.returncode != 0
    assert str(bad) in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def _write_run(run_dir: Path) -> Path:
    """A stored run whose Korean MT has the wrong renderings, written by the run owner."""
    article = article_from_text(
        "Sanae Takaichi visits Tokyo", "Takaichi met Lee Jae Myung. Nara is calm.", id="art-1"
    )
    plan = plan_article(article, LanguageGuess("en", 0.99), ["ko"])
    mts = ["타카이치 사나에, 동경 방문", "타카이치는 리재명을 만났다.", "나라는 조용하다."]
    rows = [
        Translation(i, "ko", mt, mt, flags=[QAFlag("length-ratio", "m")])
        for i, mt in enumerate(mts)
    ]
    engine = EngineIdentity("argos")
    ctx = RunContext(("ko",), (engine,), {"path": "old.yaml", "sha256": "0" * 64})
    run = Run.create(str(run_dir.parent), run_dir.name)
    translated = TranslatedArticle(plan, {"ko": rows})
    run.write_article(translated, ctx)
    summary = RunSummary("r1", "2026-01-01T00:00:00+00:00", ["ko"], [engine], ctx.glossary)
    summary.outcomes.append(outcome_of(translated))
    run.write_summary(summary)
    return run_dir / "art-1"


def test_reapply_rewrites_stored_run(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    article = _write_run(run_dir)
    done = run("reapply", run_dir, "--glossary", LEADERS)
    assert done.returncode == 0, done.stderr
    assert "art-1 [ko]: 2 segment(s) changed" in done.stdout
    text = (article / "ko.txt").read_text(encoding="utf-8")
    assert text == "다카이치 사나에, 도쿄 방문\n\n다카이치는 이재명을 만났다. 나라는 조용하다.\n"
    rows = [json.loads(line) for line in (article / "segments.jsonl").read_text().splitlines()]
    second = rows[1]["targets"]["ko"]
    assert second["final"] == "다카이치는 이재명을 만났다."
    assert [c["entry_id"] for c in second["changes"]] == ["takaichi", "lee-jae-myung"]
    assert "length-ratio" not in [f["code"] for f in second["flags"]]  # QA ran on the new text
    manifest = json.loads((article / "manifest.json").read_text())
    glossary = load_glossary(LEADERS)
    assert manifest["glossary"]["sha256"] == glossary.sha256
    assert manifest["targets"]["ko"]["changes"] == 4
    run_json = json.loads((run_dir / "run.json").read_text())
    assert run_json["glossary"]["sha256"] == glossary.sha256
    assert run_json["totals"]["changes"] == 4
    # the raw MT is untouched, and re-applying again changes nothing
    assert (article / "ko.mt.txt").read_text(encoding="utf-8").startswith("타카이치 사나에, 동경")
    again = run("reapply", run_dir, "--glossary", LEADERS)
    assert "0 segment(s) changed" in again.stdout.splitlines()[-1]
    assert (article / "ko.txt").read_text(encoding="utf-8") == text
    # reviewers' files follow the new corrected text
    assert "+다카이치 사나에, 도쿄 방문" in (article / "ko.diff").read_text(encoding="utf-8")
    assert "도쿄" in (article / "report.html").read_text(encoding="utf-8")
    assert (run_dir / "report.html").is_file() and (run_dir / "translations.tmx").is_file()


def test_reapply_refuses_placeholders_it_cannot_resolve(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    article = _write_run(run_dir)
    segments = article / "segments.jsonl"
    segments.write_text(segments.read_text("utf-8").replace("리재명", "⟦2⟧"), encoding="utf-8")
    before = {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    done = run("reapply", run_dir, "--glossary", LEADERS)
    assert done.returncode == 2
    assert "placeholders" in done.stderr and "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()} == before


def test_every_command_help_has_an_example() -> None:
    for command in ("check", "apply", "reapply", "export", "import"):
        done = run(command, "--help")
        assert done.returncode == 0
        assert "Example:" in done.stdout and "l10n glossary " + command in done.stdout
