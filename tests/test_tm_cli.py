"""``l10n tm stats|export|import`` as a user runs them."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from test_memory import FOREIGN, FP, _fill

from l10n.cli import main
from l10n.mt.memory import open_memory, tm_location

L10N = str(ROOT / ".venv" / "bin" / "l10n")


@pytest.fixture
def filled(tmp_path) -> Path:
    path = tmp_path / "tm.sqlite"
    with open_memory(path) as tm:
        _fill(tm)
    return path


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_stats_counts_pairs_and_engines(filled):
    result = invoke("tm", "stats", "--tm", str(filled))
    assert result.exit_code == 0, result.output
    assert "4 raw MT, 2 approved" in result.output
    assert "en→ja" in result.output and "pseudo" in result.output
    result = invoke("tm", "stats", "--tm", str(filled), "--json")
    stats = json.loads(result.output)
    assert (stats["mt"], stats["approved"], stats["backend"]) == (4, 2, "sqlite")
    assert {(p["source"], p["target"]): p["mt"] for p in stats["pairs"]} == {
        ("en", "ja"): 3,
        ("en", "ko"): 1,
    }


def test_export_then_import_into_another_memory(filled, tmp_path):
    tmx = tmp_path / "out" / "memory.tmx"
    result = invoke("tm", "export", str(tmx), "--tm", str(filled))
    assert result.exit_code == 0, result.output
    assert "2 approved, 3 raw MT" in result.output
    copy = tmp_path / "copy.sqlite"
    result = invoke("tm", "import", str(tmx), "--tm", f"sqlite://{copy}")
    assert result.exit_code == 1  # approvals in a file are not trusted on their own word
    assert "0 approved, 3 raw MT, 2 skipped" in result.output
    assert "give --as-approved --reviewer NAME" in result.output
    result = invoke(
        "tm", "import", str(tmx), "--tm", f"sqlite://{copy}", "--as-approved", "--reviewer", "jun"
    )
    assert result.exit_code == 0, result.output
    assert "2 approved, 3 raw MT, 0 skipped" in result.output
    with open_memory(copy) as tm:
        assert tm.lookup(["Nara is old."], "en", "ja", FP)["Nara is old."].text == "奈良は古い。"


def test_export_filters_by_pair_and_origin(filled, tmp_path):
    tmx = tmp_path / "ja-approved.tmx"
    result = invoke(
        "tm", "export", str(tmx), "--tm", str(filled), "--target", "ja", "--only", "approved"
    )
    assert result.exit_code == 0, result.output
    assert "1 approved, 0 raw MT" in result.output
    assert "奈良は古い。" in tmx.read_text("utf-8") and "나라" not in tmx.read_text("utf-8")


def test_foreign_units_need_a_reviewer(tmp_path):
    tmx = tmp_path / "foreign.tmx"
    tmx.write_text(FOREIGN, "utf-8")
    memory = tmp_path / "tm.sqlite"
    result = invoke("tm", "import", str(tmx), "--tm", str(memory))
    assert result.exit_code == 1
    assert "0 approved, 0 raw MT, 3 skipped" in result.output
    assert "give --as-approved --reviewer NAME" in result.output and f"{tmx}:6:" in result.output
    result = invoke("tm", "import", str(tmx), "--tm", str(memory), "--reviewer", "desk-lead")
    assert result.exit_code == 2 and "go together" in result.output  # --reviewer alone
    result = invoke(
        "tm", "import", str(tmx), "--tm", str(memory), "--as-approved", "--reviewer", "desk-lead"
    )
    assert result.exit_code == 1  # the unit without a source language is still skipped
    assert "2 approved, 0 raw MT, 1 skipped" in result.output


def test_the_location_can_come_from_the_environment(filled):
    result = invoke("tm", "stats", "--json", env={"L10N_TM": str(filled)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["location"] == str(filled)


def test_reading_a_missing_memory_fails_without_creating_it(tmp_path):
    missing = tmp_path / "none.sqlite"
    for args in (["stats"], ["export", str(tmp_path / "x.tmx")]):
        result = invoke("tm", *args, "--tm", str(missing))
        assert result.exit_code == 1
        assert f"no translation memory at {missing}" in result.output
    assert not missing.exists() and not (tmp_path / "x.tmx").exists()


def test_errors_reach_the_user_as_one_line_with_the_right_status(tmp_path):
    proc = subprocess.run(
        [L10N, "tm", "stats", "--tm", "s3://bucket/tm"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert "sqlite:///PATH" in proc.stderr and "Traceback" not in proc.stderr
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu>\n</body></tmx>", "utf-8")
    proc = subprocess.run(
        [L10N, "tm", "import", str(broken), "--tm", str(tmp_path / "tm.sqlite")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert f"{broken}:2: not well-formed XML" in proc.stderr
    assert "Traceback" not in proc.stderr


def _example(command: str) -> list[str]:
    text = invoke("tm", command, "--help").output
    lines = text.splitlines()
    line = lines[next(i for i, s in enumerate(lines) if s.strip() == "Example:") + 1]
    words = shlex.split(line)
    assert words[:3] == ["l10n", "tm", command]
    return words[1:]


def test_every_example_in_the_help_runs(tmp_path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        Path("outputs").mkdir()
        with open_memory(tm_location("outputs")) as tm:
            _fill(tm)
        for command in ("stats", "export", "import"):
            result = invoke(*_example(command))
            assert result.exit_code == 0, (command, result.output)
    finally:
        os.chdir(cwd)
    assert (tmp_path / "outputs" / "memory.tmx").exists()


def test_stats_name_the_engine_that_translate_records(tmp_path):
    from l10n.mt.engines.base import engine_identity
    from l10n.mt.engines.pseudo import PseudoEngine
    from l10n.mt.memory.records import MTEntry

    fingerprint = engine_identity(PseudoEngine(), [("en", "ja")]).to_json()
    path = tmp_path / "tm.sqlite"
    with open_memory(path) as tm:
        tm.record([MTEntry("Nara is old.", "en", "ja", fingerprint, "[Ñàrà]", pseudo=True)])
    result = invoke("tm", "stats", "--tm", str(path), "--json")
    assert [e["engine"] for e in json.loads(result.output)["engines"]] == ["pseudo"]
    table = invoke("tm", "stats", "--tm", str(path)).output
    assert "pseudo (pseudo)" in table


ENTITIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header srclang="en" creationtool="desk" segtype="sentence" o-tmf="x" adminlang="en"
 datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en"><seg>The ferry&nbsp;leaves at noon.</seg></tuv>
<tuv xml:lang="ja"><seg>フェリーは正午に&nbsp;出発する。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Tom &amp; Mina met &#x41;CME staff.</seg></tuv>
<tuv xml:lang="ja"><seg>トムとミナが&#x41;CMEの職員に会った。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The harbour office opened.</seg></tuv>
<tuv xml:lang="ja"><seg><hi>港の事務所&harbour;</hi>が開いた。</seg></tuv></tu>
</body>
</tmx>
"""


def test_units_with_entity_references_are_refused_never_shortened(tmp_path):
    """``&nbsp;`` under an external DTD is not expanded: such a unit is refused and
    counted with its line; predefined and character references are kept as text."""
    tmx = tmp_path / "entities.tmx"
    tmx.write_text(ENTITIES, "utf-8")
    memory = tmp_path / "tm.sqlite"
    result = invoke(
        "tm", "import", str(tmx), "--tm", str(memory), "--as-approved", "--reviewer", "desk"
    )
    assert result.exit_code == 1
    assert "1 approved, 0 raw MT, 2 skipped" in result.output
    assert f"{tmx}:7: entity reference &nbsp; is not expanded" in result.output
    assert f"{tmx}:11: entity reference &harbour; is not expanded" in result.output
    with open_memory(memory) as tm:
        stored = [(a.source_text, a.target_text) for a in tm.iter_approved()]
    assert stored == [("Tom & Mina met ACME staff.", "トムとミナがACMEの職員に会った。")]
