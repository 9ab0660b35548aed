"""Where the translation memory lives: one rule, and every command that opens it follows it.

``--tm`` > ``$L10N_TM`` > ``OUT/.l10n-tm.sqlite`` (local OUT) > ``$XDG_DATA_HOME/l10n/tm.sqlite``
(OUT on shared storage). Translating and reviewing a run with the same settings reach one
memory, also when the run is on shared storage.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, GLOSSARY
from lxml import etree

from l10n.cli import main
from l10n.mt.memory import open_memory, tm_location
from l10n.mt.memory.records import MTEntry
from l10n.review.app.catalog import Catalog
from l10n.review.decisions import Decision, save_decisions
from l10n.review.files import rebuild_review_files
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"
X1 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("L10N_TM", raising=False)
    return home


@pytest.fixture
def local_run(tmp_path: Path) -> Path:
    target = tmp_path / "out" / RUN_ID
    shutil.copytree(FIXTURE, target)
    rebuild_review_files(Run.open(target))
    return target


# -- the rule -------------------------------------------------------------------------------


def test_a_local_out_keeps_its_memory_inside(data_home: Path) -> None:
    assert tm_location("outputs") == "outputs/.l10n-tm.sqlite"
    assert tm_location("file:///srv/desk") == "/srv/desk/.l10n-tm.sqlite"
    assert tm_location(Path("/srv/desk")) == "/srv/desk/.l10n-tm.sqlite"


@pytest.mark.parametrize(
    "out", ["s3://desk/runs", "gs://desk/runs", "az://desk/runs", "memory://x"]
)
def test_a_remote_out_keeps_its_memory_in_the_data_folder(data_home: Path, out: str) -> None:
    assert tm_location(out) == str(data_home / "l10n" / "tm.sqlite")


def test_without_xdg_data_home_the_data_folder_is_under_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("L10N_TM", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert tm_location("s3://desk") == str(tmp_path / ".local/share/l10n/tm.sqlite")


def test_given_beats_the_environment_which_beats_the_default(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("L10N_TM", "postgresql://desk@tm-host/l10n_tm")
    for out in ("outputs", "s3://desk/runs"):
        assert tm_location(out) == "postgresql://desk@tm-host/l10n_tm"
        assert tm_location(out, "/tmp/mine.sqlite") == "/tmp/mine.sqlite"
    monkeypatch.setenv("L10N_TM", "  ")  # blank counts as unset, as does an empty --tm
    assert tm_location("outputs", "") == "outputs/.l10n-tm.sqlite"


def test_a_run_knows_the_out_it_sits_in(local_run: Path) -> None:
    assert Run.open(local_run).out == str(local_run.parent)
    remote = Run.create("memory://desk/runs", "monday")
    assert remote.out == "memory://desk/runs"


# -- every command follows it ---------------------------------------------------------------


def test_review_serve_uses_l10n_tm(
    local_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_memory = str(tmp_path / "team.sqlite")
    monkeypatch.setenv("L10N_TM", env_memory)
    for location in (local_run.parent, local_run):  # serving OUT or one run folder
        catalog = Catalog.open(str(location))
        assert catalog.memory_location(Run.open(local_run)) == env_memory
    given = Catalog.open(str(local_run.parent), memory="/tmp/given.sqlite")
    assert given.memory_location(Run.open(local_run)) == "/tmp/given.sqlite"


def edited_xliff(run_dir: Path, tmp_path: Path) -> Path:
    root = etree.parse(str(run_dir / "nara-summit" / "ko.xlf")).getroot()
    target = root.find(".//x:trans-unit[@id='2']/x:target", X1)
    target.text = "공원 근처에 1만 명 이상이 모였다."
    target.set("state", "signed-off")
    path = tmp_path / "ko.reviewed.xlf"
    path.write_bytes(etree.tostring(root))
    return path


def test_xliff_import_uses_l10n_tm(
    local_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_memory = tmp_path / "team.sqlite"
    monkeypatch.setenv("L10N_TM", str(env_memory))
    path = edited_xliff(local_run, tmp_path)
    result = CliRunner().invoke(
        main, ["xliff", "import", str(path), "--run", str(local_run), "--reviewer", "Jun"]
    )
    assert result.exit_code == 0, result.output
    with open_memory(env_memory) as memory:
        assert [a.target_text for a in memory.iter_approved()] == [
            "공원 근처에 1만 명 이상이 모였다."
        ]
    assert not (local_run.parent / ".l10n-tm.sqlite").exists()


def test_tm_commands_use_l10n_tm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_memory = tmp_path / "team.sqlite"
    with open_memory(env_memory) as memory:
        memory.record([MTEntry("Hello.", "en", "ja", {"engine": "x"}, "こんにちは。")])
    monkeypatch.setenv("L10N_TM", str(env_memory))
    monkeypatch.chdir(tmp_path)  # no outputs/ here: only $L10N_TM can be read
    result = CliRunner().invoke(main, ["tm", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["location"] == str(env_memory) and stats["mt"] == 1


def translate(inputs: list[Path], out: str, run_id: str) -> None:
    from l10n.flow.translate import translate_articles

    state = translate_articles(
        inputs=[str(p) for p in inputs],
        engine="pseudo",
        glossary=str(GLOSSARY),
        out=out,
        run_id=run_id,
        return_state=True,
    )
    assert state.is_completed(), state.message


def story(tmp_path: Path) -> Path:
    path = tmp_path / "summit.txt"
    path.write_text(
        "Leaders Meet in Nara\n\nPrime Minister Sanae Takaichi welcomed President Lee Jae "
        "Myung to Nara on Saturday.",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_translate_uses_l10n_tm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_memory = tmp_path / "team.sqlite"
    monkeypatch.setenv("L10N_TM", str(env_memory))
    out = tmp_path / "out"
    translate([story(tmp_path)], str(out), "env-tm")
    with open_memory(env_memory) as memory:
        assert memory.stats().mt > 0  # the pseudo engine's output, kept as such
    assert not (out / ".l10n-tm.sqlite").exists()


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_approvals_on_a_remote_run_reach_the_memory_its_translations_went_to(
    tmp_path: Path, data_home: Path
) -> None:
    import fsspec

    out = f"memory://desk-{uuid.uuid4().hex[:8]}/runs"
    # The drafts bring translations (not pseudo: approvals of them are kept); the story is
    # translated by the pseudo engine, whose output goes to the memory too.
    translate([story(tmp_path), EXAMPLES / "mt-drafts.jsonl"], out, "monday")
    memory_file = data_home / "l10n" / "tm.sqlite"
    with open_memory(memory_file) as memory:
        assert memory.stats().mt > 0 and memory.stats().approved == 0

    catalog = Catalog.open(out)
    run = catalog.open_run("monday")
    location = catalog.memory_location(run)
    assert location == str(memory_file)
    approval = Decision(
        1, "ko", "approved", "Mina Park", "이재명 대통령이 다음 달 도쿄를 방문한다."
    )
    saved = save_decisions(run, "draft-lee-tokyo-visit", [approval], memory_location=location)
    assert saved.memory_approved == 1 and saved.memory_note is None

    # A reviewed XLIFF imported into the remote run lands in the same memory.
    fs = fsspec.filesystem("memory")
    xlf = fs.cat(f"{out.removeprefix('memory://')}/monday/draft-xi-trade-ministers/ja.xlf")
    root = etree.fromstring(xlf)
    target = root.find(".//x:trans-unit[@id='1']/x:target", X1)
    target.text = "習近平国家主席は月曜日、北京で日韓の貿易相に語った。"
    target.set("state", "signed-off")
    path = tmp_path / "ja.xlf"
    path.write_bytes(etree.tostring(root))
    result = CliRunner().invoke(
        main, ["xliff", "import", str(path), "--run", f"{out}/monday", "--reviewer", "Jun"]
    )
    assert result.exit_code == 0, result.output
    with open_memory(memory_file) as memory:
        approved = {(a.article_id, a.target, a.reviewer) for a in memory.iter_approved()}
    assert approved == {
        ("draft-lee-tokyo-visit", "ko", "Mina Park"),
        ("draft-xi-trade-ministers", "ja", "Jun"),
    }
