"""``l10n translate`` as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, GLOSSARY, ROOT
from modelkit import build_test_package

from l10n.models import EngineIdentity

L10N = str(ROOT / ".venv" / "bin" / "l10n")


def l10n(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [L10N, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def segments(article_dir: Path) -> list[dict]:
    lines = (article_dir / "segments.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def argos_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Test packages built from scratch, installed the way a user installs real ones."""
    built = tmp_path_factory.mktemp("built")
    packages = tmp_path_factory.mktemp("argos-packages")
    files = []
    for source, target, variant in [
        ("en", "ja", "plain"),
        ("en", "ko", "target_prefix"),
        ("ko", "en", "plain"),
    ]:
        files += ["--file", str(build_test_package(built, source, target, variant=variant))]
    result = l10n("models", "install", *files, "--allow-unpinned", "--packages-dir", str(packages))
    assert result.returncode == 0, result.stderr
    return packages


@pytest.mark.slow
def test_examples_through_the_real_argos_stack(argos_packages, tmp_path):
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(EXAMPLES),
        "--to",
        "ja,ko",
        "--engine",
        "argos",
        "--out",
        str(out),
        "--run-id",
        "argos",
        env={"ARGOS_PACKAGES_DIR": str(argos_packages)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run_dir = out / "argos"
    summary = json.loads((run_dir / "run.json").read_text("utf-8"))
    assert summary["engine"]["name"] == "argos" and summary["engine"]["pseudo"] is False
    pairs = {(p["from"], p["to"]) for p in summary["engine"]["packages"]}
    assert pairs == {("en", "ja"), ("en", "ko"), ("ko", "en")}
    assert all(p["sha256"] and p["version"] for p in summary["engine"]["packages"])
    assert summary["articles"]["failed"] == [] and len(summary["articles"]["done"]) >= 6

    unresolved_total = 0
    for done in summary["articles"]["done"]:
        folder = run_dir / done["id"]
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        paragraphs = len((folder / "source.txt").read_text("utf-8").strip().split("\n\n"))
        for lang, target in manifest["targets"].items():
            text = (folder / target["file"]).read_text("utf-8").strip()
            assert len(text.split("\n\n")) == paragraphs, (done["id"], lang)
        rows = segments(folder)
        assert len(rows) == manifest["segments"]
        for row in rows:
            for lang, target in row["targets"].items():
                assert target["mt"].strip(), (done["id"], row["index"], lang)
                flagged = {f["entry_id"] for f in target["flags"] if f["code"] == "unresolved-term"}
                assert flagged == set(target["unresolved"])
        for lang, target in manifest["targets"].items():
            listed = {e for row in rows for e in row["targets"][lang]["unresolved"]}
            assert set(target["unresolved"]) == listed
            unresolved_total += len(listed)
    # A random-weight model cannot spell 高市早苗; the glossary must say so, not hide it.
    assert unresolved_total > 0

    korean = json.loads((run_dir / "seoul-tokyo-ko" / "manifest.json").read_text("utf-8"))
    assert korean["source_language"]["code"] == "ko"
    assert korean["targets"]["ko"]["action"] == "copy"
    assert korean["targets"]["ja"]["action"] == "translate"


@pytest.mark.slow
def test_auto_falls_back_to_pseudo_loudly(tmp_path):
    empty = tmp_path / "no-packages"
    empty.mkdir()
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(EXAMPLES / "nara-summit.txt"),
        "--engine",
        "auto",
        "--out",
        str(out),
        "--run-id",
        "auto",
        env={"ARGOS_PACKAGES_DIR": str(empty)},
    )
    assert result.returncode == 0, result.stderr
    assert "PSEUDO" in result.stdout
    summary = json.loads((out / "auto" / "run.json").read_text("utf-8"))
    assert summary["engine"]["pseudo"] is True
    assert any("PSEUDO" in w for w in summary["warnings"])
    # The warning once, with one install command (not again in Prefect's log, no --file list).
    said = " ".join((result.stdout + result.stderr).split())
    assert said.count("NO TRANSLATION MODEL") == 1
    assert said.count("`l10n models install ja ko`") == 1
    assert "`l10n models install --file translate-en_ja-1_1.argosmodel" in said
    last = result.stdout.strip().splitlines()[-2:]
    assert last == [
        f"Review and approve: l10n review serve {out / 'auto'}",
        f"Report: {out / 'auto'}/report.html",
    ]


@pytest.mark.slow
def test_argos_without_packages_fails_naming_the_fix(tmp_path):
    empty = tmp_path / "no-packages"
    empty.mkdir()
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(EXAMPLES / "nara-summit.txt"),
        "--engine",
        "argos",
        "--out",
        str(out),
        "--run-id",
        "none",
        env={"ARGOS_PACKAGES_DIR": str(empty)},
    )
    assert result.returncode == 1
    assert "l10n models install" in result.stdout + result.stderr
    summary = json.loads((out / "none" / "run.json").read_text("utf-8"))
    assert summary["articles"]["failed"][0]["id"] == "nara-summit"
    assert not (out / "none" / "nara-summit").exists()


def test_malformed_glossary_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsource_language: en\nentries:\n  - id: x\n    type: person\n")
    out = tmp_path / "out"
    result = l10n(
        "translate", str(EXAMPLES), "--glossary", str(bad), "--engine", "pseudo", "--out", str(out)
    )
    assert result.returncode == 2
    assert (f"{bad}:" in result.stderr and ":4" in result.stderr) or ":5" in result.stderr
    assert not out.exists()


def test_an_unknown_route_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = l10n(
        *("translate", str(EXAMPLES), "--engine", "pseudo", "--route", "en-ja=nosuch"),
        *("--out", str(out)),
    )
    assert result.returncode == 2
    assert "unknown engine 'nosuch'" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_bad_input_line_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Talks in Seoul\n\nLee Jae Myung met officials in Seoul on Monday to discuss trade."
    )
    (folder / "batch.jsonl").write_text(
        '{"id": "ok", "title": "Nara", "body": "Visitors returned to Nara this spring in '
        'large numbers, officials said."}\n{"id": "broken", "title": \n'
    )
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(folder),
        "--engine",
        "pseudo",
        "--out",
        str(out),
        "--run-id",
        "bad",
        "--glossary",
        str(GLOSSARY),
    )
    assert result.returncode == 1
    summary = json.loads((out / "bad" / "run.json").read_text("utf-8"))
    assert {d["id"] for d in summary["articles"]["done"]} == {"good", "ok"}
    [error] = summary["input_errors"]
    assert error["path"].endswith("batch.jsonl") and error["line"] == 2
    assert "batch.jsonl:2" in result.stdout


@pytest.mark.slow
def test_killed_run_resumes_without_redoing_or_duplicating(argos_packages, tmp_path):
    import signal
    import time

    from briefings import write_briefings

    inputs = tmp_path / "in"
    inputs.mkdir()
    write_briefings(inputs, 40)
    out = tmp_path / "out"
    args = [
        L10N,
        "translate",
        str(inputs),
        "--engine",
        "argos",
        "--out",
        str(out),
        "--run-id",
        "killed",
    ]
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(argos_packages)}
    process = subprocess.Popen(
        args,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    memory = out / ".l10n-tm.sqlite"

    def remembered() -> int:
        if not memory.exists():
            return 0
        with contextlib.closing(sqlite3.connect(memory, timeout=30)) as db:
            try:
                return db.execute("SELECT COUNT(*) FROM tm_mt").fetchone()[0]
            except sqlite3.OperationalError:  # the tables are not there yet
                return 0

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not remembered():
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the whole process group, Prefect's server too
    process.wait()
    assert not (out / "killed" / "run.json").exists()
    cached_before = remembered()
    assert cached_before > 0

    result = l10n(
        "translate",
        str(inputs),
        "--engine",
        "argos",
        "--out",
        str(out),
        "--run-id",
        "killed",
        env={"ARGOS_PACKAGES_DIR": str(argos_packages)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "killed" / "run.json").read_text("utf-8"))
    assert len(summary["articles"]["done"]) == 40
    assert summary["translation"]["segments_from_memory"] >= cached_before
    folders = sorted(p.name for p in (out / "killed").iterdir() if p.is_dir())
    assert folders == sorted(d["id"] for d in summary["articles"]["done"])
    assert not [p for p in (out / "killed").rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_url_input_from_a_local_page(tmp_path):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(EXAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        good = f"http://127.0.0.1:{port}/shuttle-diplomacy.html"
        missing = f"http://127.0.0.1:{port}/no-such-page.html"
        out = tmp_path / "out"
        result = l10n(
            "translate",
            good,
            missing,
            "--engine",
            "pseudo",
            "--out",
            str(out),
            "--run-id",
            "urls",
            "--allow-private-urls",
        )
    finally:
        server.shutdown()
    assert result.returncode == 1  # the missing page is a failure the user must see
    summary = json.loads((out / "urls" / "run.json").read_text("utf-8"))
    [done] = summary["articles"]["done"]
    assert done["input"] == good
    [error] = summary["input_errors"]
    assert error["path"] == missing and "404" in error["message"]
    source = (out / "urls" / done["id"] / "source.txt").read_text("utf-8")
    assert "Takaichi" in source or "Lee" in source


@pytest.mark.slow
def test_a_language_without_a_package_fails_only_its_own_articles(argos_packages, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "nara.txt").write_text(
        "Leaders meet in Nara\n\nPrime Minister Sanae Takaichi welcomed President Lee Jae Myung "
        "to Nara on Saturday for talks on trade and security.",
        encoding="utf-8",
    )
    # Finnish and Portuguese: detected fine, but no package translates them.
    (inputs / "helsinki.txt").write_text(
        "Johtajat tapasivat Helsingissä\n\nPääministeri sanoi maanantaina, että hallitus "
        "aikoo jatkaa neuvotteluja kaupasta ja turvallisuudesta naapurimaiden kanssa.",
        encoding="utf-8",
    )
    (inputs / "briefs.jsonl").write_text(
        json.dumps(
            {
                "id": "lisboa",
                "title": "Líderes reúnem-se em Lisboa",
                "body": "O primeiro-ministro disse na segunda-feira que o governo vai "
                "continuar as negociações sobre comércio e segurança com os vizinhos.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(inputs),
        "--engine",
        "argos",
        "--out",
        str(out),
        "--run-id",
        "mixed",
        env={"ARGOS_PACKAGES_DIR": str(argos_packages), "COLUMNS": "250"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads((out / "mixed" / "run.json").read_text("utf-8"))
    assert [d["id"] for d in summary["articles"]["done"]] == ["nara"]
    failed = {f["id"]: f["reason"] for f in summary["articles"]["failed"]}
    assert set(failed) == {"helsinki", "lisboa"}
    assert "fi→ja" in failed["helsinki"] and "l10n models install fi" in failed["helsinki"]
    assert "pt→ja" in failed["lisboa"] and "l10n models install pt" in failed["lisboa"]
    assert "helsinki" not in failed["lisboa"] and "lisboa" not in failed["helsinki"]
    assert (out / "mixed" / "nara" / "ja.txt").is_file()
    assert not (out / "mixed" / "helsinki").exists()


def test_summary_groups_failures_and_points_to_review(tmp_path):
    """The terminal summary: an engine and a flags column, one line per failure reason, and
    the last lines say where to look next."""
    import io

    from rich.console import Console

    from l10n.cli.translate_cmd import print_summary
    from l10n.models import Action, ArticleOutcome, LanguageGuess, TargetSummary
    from l10n.run.summary import RunSummary

    reason = "no Argos package for en→ja in /p — run `l10n models install ja`"
    summary = RunSummary("r1", "now", ["ja"], [EngineIdentity("argos")], {})
    en = LanguageGuess("en", 1.0)
    summary.outcomes = [
        ArticleOutcome(
            "draft",
            "d.jsonl",
            "done",
            source_language=en,
            engine="provided",
            targets={
                "ja": TargetSummary(
                    Action.TRANSLATE,
                    "ja.mt.txt",
                    "ja.txt",
                    changes=3,
                    unresolved=["x"],
                    flags=1,
                    flag_codes={"number-missing": 1},
                )
            },
        ),
        *(ArticleOutcome(f"story-{n}", "s.txt", "failed", reason) for n in range(7)),
        ArticleOutcome("odd", "o.txt", "failed", "disk full"),
    ]
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=200, highlight=False), summary, "/out/r1")
    text = buffer.getvalue()
    assert "provided" in text and "3 fixed, 1 unresolved" in text and "number-missing×1" in text
    assert text.count("l10n models install ja") == 1
    assert "story-0, story-1, story-2, story-3, story-4 and 2 more: " + reason in text
    assert "failed odd: disk full" in text
    assert text.strip().splitlines()[-2:] == [
        "Review and approve: l10n review serve /out/r1",
        "Report: /out/r1/report.html",
    ]


@pytest.mark.slow
def test_make_run_shows_real_glossary_corrections_offline(tmp_path):
    """`make run` with no model installed: pseudo for the plain articles, the example drafts
    corrected for real and labelled as the provided engine's."""
    empty = tmp_path / "no-packages"
    empty.mkdir()
    out = tmp_path / "out"
    result = l10n(
        "translate",
        str(EXAMPLES),
        "--to",
        "ja,ko",
        "--engine",
        "auto",
        "--out",
        str(out),
        "--run-id",
        "demo",
        env={"ARGOS_PACKAGES_DIR": str(empty), "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "demo" / "run.json").read_text("utf-8"))
    engines = {d["id"]: d["engine"] for d in summary["articles"]["done"]}
    assert engines["ports-agreement"] == "provided" and engines["nara-summit"] == "pseudo"
    assert "provided" in result.stdout
    ko = (out / "demo" / "draft-lee-tokyo-visit" / "ko.txt").read_text("utf-8")
    assert "도쿄로" in ko and "동경" not in ko and not ko.startswith("# PSEUDO")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pseudo", "argos"])
def test_reapply_rebuilds_a_stored_run_of_either_engine(argos_packages, tmp_path, engine):
    story = tmp_path / "summit.txt"
    story.write_text(
        "Leaders meet in Nara\n\nPrime Minister Sanae Takaichi welcomed President Lee Jae "
        "Myung to Nara on Saturday.\n\nThe two leaders will meet again in Tokyo next year.",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {"ARGOS_PACKAGES_DIR": str(argos_packages)}
    done = l10n(
        "translate", str(story), "--engine", engine, "--out", str(out), "--run-id", "r", env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    article = out / "r" / "summit"
    mt_before = {lang: (article / f"{lang}.mt.txt").read_bytes() for lang in ("ja", "ko")}
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        GLOSSARY.read_text("utf-8").replace(
            "targets: {ja: 奈良, ko: 나라}", "targets: {ja: 奈良市, ko: 나라시}"
        ),
        encoding="utf-8",
    )
    again = l10n("glossary", "reapply", str(out / "r"), "--glossary", str(edited), env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Traceback" not in again.stderr
    rows = segments(article)
    for lang in ("ja", "ko"):
        assert (article / f"{lang}.mt.txt").read_bytes() == mt_before[lang]  # raw MT untouched
        final = (article / f"{lang}.txt").read_text("utf-8")
        assert "⟦" not in final
        for row in rows:
            target = row["targets"][lang]
            text = target["mt"]
            for change in target["changes"]:  # the stored log still replays
                assert text[change["start"] : change["end"]] == change["before"]
                text = text[: change["start"]] + change["after"] + text[change["end"] :]
            assert text == target["final"]
    if engine == "pseudo":  # names were protected: the edited house form is in place
        assert "奈良市" in (article / "ja.txt").read_text("utf-8")
        assert "나라시" in (article / "ko.txt").read_text("utf-8")
    manifest = json.loads((article / "manifest.json").read_text("utf-8"))
    assert manifest["glossary"]["path"] == str(edited)
