"""`l10n names` and `l10n glossary suggest` on a stored run, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from l10n.cli import main
from l10n.glossary import load_glossary
from l10n.models import FlagCode, Review, ReviewStatus
from l10n.pipeline import RunOptions, translate_run
from l10n.review.reapply import reapply_run
from l10n.run.store import Run

EVAL = Path("evaluation/names/articles.jsonl")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli")
    translate_run(
        RunOptions(
            inputs=[str(EVAL)], targets=("ja", "ko"), engine="auto", out=str(out), run_id="r"
        )
    )
    return out / "r"


def _names(run_dir: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["names", str(run_dir), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _by_source(data: dict) -> dict[str, dict]:
    return {n["source"]: n for n in data["names"]}


def test_names_json_lists_renderings_counts_and_segments(run_dir: Path) -> None:
    cho = _by_source(_names(run_dir))["Cho Hyun"]
    assert cho["glossary"] is None and cho["type"] == "person"
    ko = cho["languages"]["ko"]
    assert ko["consistent"] is False
    texts = {r["text"]: r for r in ko["renderings"]}
    assert texts["조현"]["count"] == 4
    assert texts["조 현"]["segments"] == ["names-ministers-phone-call#2"]
    assert texts["초현"]["segments"] == ["names-visit-preview#3"]
    assert cho["languages"]["ja"]["consistent"] is True


def test_shared_surnames_are_two_consistent_names(run_dir: Path) -> None:
    names = _by_source(_names(run_dir, "--lang", "ko"))
    for person in ("Kim Min-seok", "Kim Jung-kwan"):
        assert names[person]["languages"]["ko"]["consistent"] is True
        assert set(names[person]["languages"]) == {"ko"}
    assert "Kim" not in names


def test_an_unlisted_variant_shows_under_its_glossary_entry(run_dir: Path) -> None:
    xi = _by_source(_names(run_dir, "--lang", "ja"))["Xi Jinping"]
    assert xi["glossary"] == "xi-jinping"
    (rendering,) = xi["languages"]["ja"]["renderings"]
    assert rendering["text"] == "习近平" and rendering["variant"] is True
    assert xi["languages"]["ja"]["consistent"] is False


def test_names_table_and_a_missing_run(run_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["names", str(run_dir)])
    assert result.exit_code == 0 and "rendered inconsistently" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["names", str(empty)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "l10n names:" in result.output


def test_suggest_drafts_entries_a_desk_can_merge_and_reapply(run_dir: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["glossary", "suggest", str(run_dir), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in data["entries"]}
    cho = entries["cho-hyun"]
    assert cho["targets"] == {"ja": "趙顕", "ko": "조현"}
    assert cho["variants"] == {"ko": ["조 현", "초현"]}
    assert "names-visit-preview#3" in cho["note"]
    assert [s["source"] for s in cho["short_forms"]] == ["Cho"]
    assert "xi-jinping" not in entries and "kim-min-seok" in entries
    check = CliRunner().invoke(main, ["glossary", "check", str(draft)])
    assert check.exit_code == 0, check.output

    merged = yaml.safe_load(Path("glossaries/leaders.yaml").read_text(encoding="utf-8"))
    merged["entries"] += data["entries"]
    path = tmp_path / "merged.yaml"
    path.write_text(yaml.safe_dump(merged, allow_unicode=True), encoding="utf-8")
    run = Run.open(run_dir)
    reapply_run(run, load_glossary(path))
    article = run.read_article("names-visit-preview")
    row = article.translations["ko"][3]
    assert "조현" in row.final and "초현" not in row.final
    assert not [f for f in row.flags if f.code == FlagCode.NAME_INCONSISTENT]


def test_an_approved_review_decides_the_suggested_target(tmp_path: Path) -> None:
    out = tmp_path / "out"
    translate_run(
        RunOptions(inputs=[str(EVAL)], targets=("ko",), engine="auto", out=str(out), run_id="r")
    )
    run = Run.open(out / "r")
    article = run.read_article("names-ministers-phone-call")
    row = article.translations["ko"][2]
    row.review = Review(ReviewStatus.APPROVED, row.final, "desk", "2026-01-01T00:00:00Z")
    run.update_article(article)
    result = CliRunner().invoke(main, ["glossary", "suggest", str(out / "r")])
    entries = {e["id"]: e for e in yaml.safe_load(result.stdout)["entries"]}
    assert entries["cho-hyun"]["targets"]["ko"] == "조 현"
    assert "approved" in entries["cho-hyun"]["note"]


def test_names_translated_rather_than_transliterated_are_listed_as_not_located(
    tmp_path: Path,
) -> None:
    article = {
        "id": "ministry-note",
        "title": "Ministry Comments on Talks",
        "lang": "en",
        "body": "The Ministry of Foreign Affairs said Foreign Minister Cho Hyun would travel "
        "on Monday.\n\nThe harbour reopened, the Ministry of Foreign Affairs added.",
        "translations": {
            "ko": "외교부, 회담에 대해 논평\n\n외교부는 조현 외교부 장관이 월요일 출국한다고 "
            "밝혔다.\n\n항구가 다시 열렸다고 외교부는 덧붙였다.",
        },
    }
    source = tmp_path / "ministry.jsonl"
    source.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    translate_run(
        RunOptions(
            inputs=[str(source)], targets=("ko",), engine="auto", out=str(tmp_path), run_id="m"
        )
    )
    names = _by_source(_names(tmp_path / "m"))
    ministry = names["Ministry of Foreign Affairs"]["languages"]["ko"]
    assert ministry["renderings"] == []
    assert ministry["not_located"] == {
        "count": 2,
        "segments": ["ministry-note#1", "ministry-note#2"],
    }
    assert "not_located" not in names["Cho Hyun"]["languages"]["ko"]
    table = CliRunner().invoke(main, ["names", str(tmp_path / "m")])
    assert table.exit_code == 0 and "not located ×2" in table.stdout
