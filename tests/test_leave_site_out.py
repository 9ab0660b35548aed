"""Leave-site-out scoring of a labelled real-page set: a lexicon entry that only one site's
pages match is held out while that site is scored (pages and labels written here)."""

from __future__ import annotations

from pathlib import Path

import yaml

from l10n.articles.boilerplate import load_rules
from l10n.articles.boilerplate.realpages import leave_site_out, score_real_pages, site_of

STORY = [
    "Harbour officials reopened the northern ferry terminal on Tuesday after a week of repairs.",
    "The operator said crossings would run every forty minutes until the summer timetable starts.",
]


def _write(folder: Path, stem: str, lines: list[str], furniture: list[str]) -> None:
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "gold").mkdir(exist_ok=True)
    (folder / "pages" / f"{stem}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    gold = {
        "page": f"pages/{stem}.txt",
        "language": "en",
        "story": [line for line in lines if line not in furniture],
        "boilerplate": [{"text": line, "kind": "share"} for line in furniture],
    }
    (folder / "gold" / f"{stem}.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")


def test_site_of_reads_the_file_name():
    assert site_of("012-harbour-ferry-reopens") == "harbour"
    assert site_of("140-ko-bay-ferry-reopens") == "bay"


def test_an_entry_only_one_site_supports_is_held_out_for_that_site(tmp_path):
    title = "Northern ferry terminal reopens after repairs"
    _write(
        tmp_path, "001-harbour-ferry", [title, *STORY, "Share on Facebook"], ["Share on Facebook"]
    )
    _write(tmp_path, "002-bay-ferry", [title, *STORY], [])
    own = tmp_path / "own"
    own.mkdir()
    (own / "page.txt").write_text("Nothing here names furniture.\n", encoding="utf-8")
    rules = load_rules()
    [seen] = score_real_pages(tmp_path, rules, only={"001-harbour-ferry"})
    assert (seen.tp, seen.fn) == (1, 0)
    result = leave_site_out(tmp_path, rules, own)
    assert result.entries["harbour"] >= 1 and result.entries["bay"] == 0
    held = {s.name: s for s in result.scores}
    assert (held["001-harbour-ferry"].tp, held["001-harbour-ferry"].fn) == (0, 1)
    assert held["002-bay-ferry"].story_dropped == 0


def test_an_entry_the_projects_own_pages_use_is_not_held_out(tmp_path):
    title = "Northern ferry terminal reopens after repairs"
    _write(
        tmp_path, "001-harbour-ferry", [title, *STORY, "Share on Facebook"], ["Share on Facebook"]
    )
    own = tmp_path / "own"
    own.mkdir()
    (own / "page.txt").write_text("Share on Facebook\n", encoding="utf-8")
    result = leave_site_out(tmp_path, load_rules(), own)
    [held] = result.scores
    assert (held.tp, held.fn) == (1, 0)
