"""One name for a run: the l10n run id, its folder and the Prefect run's name agree.

A run a deployment starts without a run id (the UI's form, a schedule) takes its id from
the Prefect run's own name, so the name the UI showed when it was submitted is the folder;
a name another run already holds gets a suffix, never that run's folder."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from conftest import GLOSSARY

from l10n.errors import UsageError
from l10n.run import layout
from l10n.run.ids import check_run_id, run_id_from_name
from l10n.run.storage import StorageError
from l10n.run.store import MAX_CLAIMS, Run

STORY = "Leaders Meet in Nara\n\nPrime Minister Sanae Takaichi welcomed President Lee Jae Myung.\n"


@pytest.mark.parametrize(
    ("name", "run_id"),
    [
        ("small-fox", "small-fox"),
        ("Nara summit", "Nara-summit"),
        ("  Café / Séoul: day 2 ", "Cafe-Seoul-day-2"),
        ("..hidden", "hidden"),
        ("a" * 120, "a" * 80),
        ("奈良サミット", None),
        ("---", None),
    ],
)
def test_a_free_form_name_becomes_a_safe_run_id(name: str, run_id: str | None) -> None:
    made = run_id_from_name(name)
    assert made == run_id
    if made is not None:
        assert check_run_id(made) == made


def test_a_claim_takes_a_free_name_and_keeps_it_for_its_owner(tmp_path: Path) -> None:
    run = Run.claim(str(tmp_path), "small-fox", "flow-run-1")
    assert run.run_id == "small-fox"
    assert (tmp_path / "small-fox" / layout.CLAIM_FILE).read_text().strip() == "flow-run-1"
    # The same Prefect run, retried, finds its own folder again.
    assert Run.claim(str(tmp_path), "small-fox", "flow-run-1").run_id == "small-fox"


def test_a_name_another_run_holds_gets_a_suffix_and_its_folder_is_untouched(
    tmp_path: Path,
) -> None:
    earlier = tmp_path / "small-fox"
    earlier.mkdir()
    (earlier / "run.json").write_text('{"run_id": "small-fox"}', "utf-8")
    before = sorted(p.name for p in earlier.iterdir())
    assert Run.claim(str(tmp_path), "small-fox", "flow-run-2").run_id == "small-fox-2"
    assert Run.claim(str(tmp_path), "small-fox", "flow-run-3").run_id == "small-fox-3"
    assert sorted(p.name for p in earlier.iterdir()) == before
    # A case twin is another run's folder on a case-insensitive disk: skipped too.
    (tmp_path / "Big-Owl").mkdir()
    assert Run.claim(str(tmp_path), "big-owl", "flow-run-4").run_id == "big-owl-2"
    # A long name keeps its suffix within the 80 characters allowed.
    long = "n" * 80
    (tmp_path / long).mkdir()
    assert Run.claim(str(tmp_path), long, "flow-run-5").run_id == "n" * 78 + "-2"


def test_two_runs_claiming_one_name_at_once_get_two_folders(tmp_path: Path) -> None:
    got: list[str] = []
    barrier = threading.Barrier(8)

    def claim(owner: str) -> None:
        barrier.wait()
        got.append(Run.claim(str(tmp_path), "same-name", owner).run_id)

    threads = [threading.Thread(target=claim, args=(f"owner-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(got)) == 8


def test_a_claim_gives_up_with_a_message_when_every_suffix_is_taken(tmp_path: Path) -> None:
    for number in range(1, MAX_CLAIMS + 1):
        (tmp_path / ("busy" if number == 1 else f"busy-{number}")).mkdir()
    with pytest.raises(StorageError, match="give this run another name"):
        Run.claim(str(tmp_path), "busy", "flow-run-1")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_claim_in_a_folder_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StorageError, match="cannot make the run folder"):
        Run.claim(str(locked), "small-fox", "flow-run-1")


def test_run_id_from_name_never_returns_an_unsafe_id() -> None:
    with pytest.raises(UsageError):
        check_run_id("Nara summit")
    assert run_id_from_name("Nara summit") == "Nara-summit"


# -- with a Prefect server -------------------------------------------------------------


def _deployment_run(out: Path, inputs: Path, name: str, **parameters):
    """A flow run made from a deployment, as the UI's form makes it, run by Prefect's engine
    (as `l10n serve` runs it); the finished flow run as the API reads it."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow

    from l10n.flow.translate import translate_articles

    parameters = {
        "inputs": [str(inputs)],
        "engine": "pseudo",
        "glossary": str(GLOSSARY),
        "out": str(out),
        **parameters,
    }
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow(translate_articles)
        deployment_id = client.create_deployment(flow_id=flow_id, name="run-names")
        flow_run = client.create_flow_run_from_deployment(
            deployment_id, parameters=parameters, name=name
        )
        assert flow_run.name == name  # what the UI's toast shows
    run_flow(translate_articles, flow_run=flow_run, parameters=parameters, return_type="state")
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run.id)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nara.txt").write_text(STORY, "utf-8")
    return folder


def _run_ids(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if (p / "run.json").exists()}


@pytest.mark.usefixtures("prefect_harness")
def test_a_deployment_run_without_a_run_id_is_named_as_it_was_submitted(
    story: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _deployment_run(out, story, "small-fox")
    assert first.state.is_completed(), first.state.message
    assert first.name == "small-fox"
    assert _run_ids(out) == {"small-fox"}
    summary = json.loads((out / "small-fox" / "run.json").read_text("utf-8"))
    assert summary["run_id"] == "small-fox"

    # A name the UI allows but a folder can't have: the id is the name made safe.
    spaced = _deployment_run(out, story, "Nara summit")
    assert spaced.state.is_completed(), spaced.state.message
    assert spaced.name == "Nara-summit"
    assert _run_ids(out) == {"small-fox", "Nara-summit"}

    # The same name again (Prefect's names repeat): a new folder, the run renamed to it,
    # the earlier run's files untouched.
    earlier = (out / "small-fox" / "run.json").read_bytes()
    again = _deployment_run(out, story, "small-fox")
    assert again.state.is_completed(), again.state.message
    assert again.name == "small-fox-2"
    assert _run_ids(out) == {"small-fox", "Nara-summit", "small-fox-2"}
    assert (out / "small-fox" / "run.json").read_bytes() == earlier
    assert json.loads((out / "small-fox-2" / "run.json").read_text("utf-8"))["run_id"] == (
        "small-fox-2"
    )
    from test_flow import flow_run_logs

    said = [log.message for log in flow_run_logs(again.id)]
    assert any("a run named 'small-fox', so this run is 'small-fox-2'" in m for m in said), said


@pytest.mark.usefixtures("prefect_harness")
def test_a_deployment_run_given_a_run_id_keeps_it(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _deployment_run(out, story, "quiet-owl", run_id="nara-summit")
    assert run.state.is_completed(), run.state.message
    assert run.name == "nara-summit"
    assert _run_ids(out) == {"nara-summit"}
    # Given again, it finishes that run (its meaning: resume), whatever the form's name.
    again = _deployment_run(out, story, "other-name", run_id="nara-summit")
    assert again.state.is_completed(), again.state.message
    assert again.name == "nara-summit"
    assert _run_ids(out) == {"nara-summit"}
