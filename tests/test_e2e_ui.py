"""Runs started the way a team starts them: from the Prefect UI and from a work pool.

Real components only: a `prefect server` subprocess on a free port, `l10n serve`
or a `prefect worker`, and headless Chromium clicking through the run form.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from browser import launch_chromium
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

BIN = Path(sys.executable).parent
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
ARTICLE = (
    "Nara hosts summit\n\n"
    "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Tuesday.\n\n"
    "The two leaders agreed to meet again in Seoul next year.\n"
)
FORM = {
    "pasted": "Articles to translate",
    "inputs": "Files, folders or web links",
    "targets": "Translate into",
    "engine": "Translation engine",
    "out": "Save results in",
}
PASTED_TITLE = "Takaichi lands in Seoul"
PASTED_BODY = "Sanae Takaichi arrived in Seoul on Monday.\n\nShe will meet Lee Jae Myung."


@dataclass
class Server:
    api: str
    home: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    """A subprocess in its own process group, so teardown also ends what it spawned."""
    with log.open("wb") as out:
        return subprocess.Popen(
            args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def client_env(server: Server, **extra: str) -> dict[str, str]:
    env = dict(
        os.environ,
        PREFECT_API_URL=server.api,
        PREFECT_HOME=str(server.home / "client"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        **extra,
    )
    env.pop("PREFECT_PROFILES_PATH", None)
    return env


def wait_for(what: str, check, timeout: float, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    tail = log.read_text("utf-8", "replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{tail}")


def get_json(url: str, **kwargs):
    try:
        response = httpx.request(kwargs.pop("method", "GET"), url, timeout=5, **kwargs)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


def deployment(server: Server, name: str) -> dict | None:
    return get_json(f"{server.api}/deployments/name/translate-articles/{name}")


def deployment_runs(server: Server, deployment_id: str) -> list[dict] | None:
    return get_json(
        f"{server.api}/flow_runs/filter",
        method="POST",
        json={"flow_runs": {"deployment_id": {"any_": [deployment_id]}}},
    )


def finished_run(server: Server, deployment_id: str) -> dict | None:
    runs = deployment_runs(server, deployment_id)
    done = [r for r in runs or [] if r["state"] and r["state"]["type"] in TERMINAL]
    return done[0] if done else None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_API_URL=api,
        PREFECT_UI_URL=f"http://127.0.0.1:{port}",
    )
    env.pop("PREFECT_API_URL", None)
    log = home / "server.log"
    process = start(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=home,
        log=log,
    )
    try:
        wait_for("the Prefect server", lambda: get_json(f"{api}/health") is True, 120, log)
        yield Server(api=api, home=home)
    finally:
        stop(process)


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "summit.txt").write_text(ARTICLE, "utf-8")
    return folder


def check_outputs(out: Path, expected: set[str]) -> Path:
    (run_dir,) = [p for p in out.iterdir() if (p / "run.json").exists()]
    summary = json.loads((run_dir / "run.json").read_text("utf-8"))
    assert {a["id"] for a in summary["articles"]["done"]} == expected
    assert summary["articles"]["failed"] == []
    assert summary["engine"]["name"] == "pseudo"
    for article_id in expected:
        article = run_dir / article_id
        manifest = json.loads((article / "manifest.json").read_text("utf-8"))
        assert manifest["engine"]["pseudo"] is True
        for lang in ("ja", "ko"):
            text = (article / f"{lang}.txt").read_text("utf-8")
            assert text.startswith("# PSEUDO-LOCALIZED"), (article_id, lang)
    return run_dir


def test_prefect_yaml_deploys_to_the_work_pool_and_a_worker_runs_it(
    server: Server, tmp_path: Path
) -> None:
    env = client_env(server, PREFECT_WORKER_QUERY_SECONDS="2")
    prefect = str(BIN / "prefect")
    before = (ROOT / "prefect.yaml").read_bytes()
    for args in (
        ["work-pool", "create", "l10n-process", "--type", "process"],
        ["--no-prompt", "deploy", "--all"],
    ):
        result = subprocess.run(
            [prefect, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert (ROOT / "prefect.yaml").read_bytes() == before

    registered = deployment(server, "team")
    assert registered is not None
    assert registered["work_pool_name"] == "l10n-process"
    assert registered["entrypoint"] == "l10n/flow/translate.py:translate_articles"
    form = registered["parameter_openapi_schema"]["properties"]
    from l10n.mt.engines.registry import engine_names

    assert form["engine"]["enum"] == list(engine_names())  # every registered family
    assert {"argos", "pseudo", "auto", "quickmt", "nllb"} <= set(form["engine"]["enum"])

    # The worker starts outside the checkout: only the pull step's L10N_REPO can
    # lead it to the flow file and the relative default glossary.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    worker_log = tmp_path / "worker.log"
    worker = start(
        [prefect, "worker", "start", "--pool", "l10n-process"],
        env=client_env(server, PREFECT_WORKER_QUERY_SECONDS="2", L10N_REPO=str(ROOT)),
        cwd=elsewhere,
        log=worker_log,
    )
    try:
        inputs = write_articles(tmp_path / "in")
        out = tmp_path / "out"
        refused = httpx.post(
            f"{server.api}/deployments/{registered['id']}/create_flow_run",
            json={"parameters": {"inputs": [str(inputs)], "engine": "google"}},
            timeout=10,
        )
        assert refused.status_code == 409, refused.text
        started = subprocess.run(
            [
                prefect,
                "deployment",
                "run",
                "translate-articles/team",
                "--param",
                f"inputs={json.dumps([str(inputs)])}",
                "--param",
                "engine=pseudo",
                "--param",
                f"out={out}",
            ],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert started.returncode == 0, started.stdout + started.stderr
        run = wait_for(
            "the worker's flow run", lambda: finished_run(server, registered["id"]), 150, worker_log
        )
        assert run["state"]["type"] == "COMPLETED", run["state"]["message"]
        check_outputs(out, {"summit"})
    finally:
        stop(worker)


@pytest.mark.browser
def test_run_started_in_the_prefect_ui(server: Server, tmp_path: Path, artifacts_dir: Path) -> None:
    with launch_chromium() as browser:
        serve_log = tmp_path / "serve.log"
        serve = start(
            [str(BIN / "l10n"), "serve", "--name", "ui-test"],
            env=client_env(server, PREFECT_RUNNER_POLL_FREQUENCY="2", PREFECT_LOGGING_LEVEL="INFO"),
            cwd=ROOT,
            log=serve_log,
        )
        try:
            served = wait_for(
                "the served deployment", lambda: deployment(server, "ui-test"), 90, serve_log
            )
            inputs = write_articles(tmp_path / "in")
            out = tmp_path / "out"
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            fill_run_form(page, server, served["id"], inputs, out)
            page.screenshot(path=str(artifacts_dir / "prefect-ui-run-form.png"))
            # The toast names the run as Prefect made it; that name is the run's id.
            submitted = submit_run_form(
                page, server, served["id"], artifacts_dir / "prefect-ui-submit-failed.png"
            )
            if submitted is not None:
                page.locator(".toast-flow-run-create").first.screenshot(
                    path=str(artifacts_dir / "prefect-ui-run-submitted.png")
                )
                assert submitted

            run = wait_for(
                "the flow run started in the UI",
                lambda: finished_run(server, served["id"]),
                150,
                serve_log,
            )
            assert run["state"]["type"] == "COMPLETED", run["state"]["message"]
            assert run["state"]["name"] == "Completed (pseudo)"  # not a plain success
            assert run["parameters"]["engine"] == "pseudo"
            run_dir = check_outputs(out, {"summit", "Takaichi-lands-in-Seoul"})
            # One name: the toast's, the Prefect run's, the run folder's and run.json's.
            assert run["name"] == run_dir.name == (submitted or run["name"])
            assert json.loads((run_dir / "run.json").read_text("utf-8"))["run_id"] == run_dir.name

            ui = server.api.removesuffix("/api")
            page.goto(f"{ui}/runs/flow-run/{run['id']}")
            page.set_viewport_size({"width": 1400, "height": 1000})
            page.get_by_text("Completed").first.wait_for(timeout=30_000)
            page.get_by_text("run stored in").first.wait_for(timeout=30_000)
            page.screenshot(path=str(artifacts_dir / "prefect-ui-run.png"))
            # Each article's text is an artifact per language, keyed and titled.
            artifacts = get_json(
                f"{server.api}/artifacts/filter",
                method="POST",
                json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}},
            )
            keyed = {a["key"]: a for a in artifacts}
            assert None not in keyed  # no untitled cards
            pasted = keyed["article-takaichi-lands-in-seoul-ko"]
            assert pasted["data"].startswith(f"# {PASTED_TITLE}")
            assert "**이재명**" in pasted["data"] and "- corrected:" in pasted["data"]
            assert PASTED_TITLE in pasted["description"]
            page.goto(f"{ui}/artifacts/artifact/{pasted['id']}")
            page.get_by_text("corrected:").first.wait_for(timeout=30_000)
            page.screenshot(path=str(artifacts_dir / "prefect-ui-article-artifact.png"))
            # The articles table: ids as written, the five columns that matter, no scrolling.
            table = keyed["translated-articles"]
            page.goto(f"{ui}/artifacts/artifact/{table['id']}")
            page.get_by_text("Takaichi-lands-in-Seoul").first.wait_for(timeout=30_000)
            assert not page.get_by_text("Takaichi\\-lands").count()
            for column in ("article", "status", "engine", "names fixed", "flags"):
                page.get_by_role("columnheader", name=column).first.wait_for(timeout=10_000)
            page.screenshot(path=str(artifacts_dir / "prefect-ui-articles-table.png"))

            # A name typed in Prefect's own Run Name box names the run, made a folder name.
            named_out = tmp_path / "out-named"
            fill_run_form(page, server, served["id"], inputs, named_out)
            run_name_box = page.locator("form input").first  # "Run Name", above Parameters
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", run_name_box.input_value())
            run_name_box.fill("Nara summit")
            named_toast = submit_run_form(
                page, server, served["id"], artifacts_dir / "prefect-ui-submit-failed-named.png"
            )
            assert named_toast in ("Nara summit", None)  # None: created, toast unseen
            named = wait_for(
                "the run named in the Run Name box",
                lambda: next(
                    (
                        r
                        for r in get_json(
                            f"{server.api}/flow_runs/filter",
                            method="POST",
                            json={"flow_runs": {"name": {"any_": ["Nara-summit"]}}},
                        )
                        or []
                        if r["state"] and r["state"]["type"] in TERMINAL
                    ),
                    None,
                ),
                150,
                serve_log,
            )
            assert named["state"]["type"] == "COMPLETED", named["state"]["message"]
            assert check_outputs(named_out, {"summit", "Takaichi-lands-in-Seoul"}).name == (
                "Nara-summit"
            )

            # A name with a space is refused by the form itself, with the rule beside it.
            fill_run_form(page, server, served["id"], inputs, out, run_name="Nara summit")
            page.get_by_role("button", name="Submit").click()
            page.get_by_text("Validation failed for field 'run_id'").first.wait_for(timeout=15_000)
            assert page.get_by_text("no spaces").count()  # the rule, in the field's description
            page.screenshot(path=str(artifacts_dir / "prefect-ui-run-name-refused.png"))
            runs = get_json(
                f"{server.api}/flow_runs/filter",
                method="POST",
                json={"flow_runs": {"deployment_id": {"any_": [served["id"]]}}},
            )
            assert len(runs) == 2, [r["name"] for r in runs]

            # A run that fails (argos, no model installed) says why on the first view.
            fill_run_form(page, server, served["id"], inputs, out, engine=None, run_name="no-model")
            page.get_by_role("button", name="Submit").click()
            failed = wait_for(
                "the failed flow run",
                lambda: next(
                    (
                        r
                        for r in get_json(
                            f"{server.api}/flow_runs/filter",
                            method="POST",
                            json={"flow_runs": {"name": {"any_": ["no-model"]}}},
                        )
                        or []
                        if r["state"] and r["state"]["type"] in TERMINAL
                    ),
                    None,
                ),
                150,
                serve_log,
            )
            assert failed["state"]["type"] == "FAILED"
            assert "no Argos package" in failed["state"]["message"]
            assert "--engine pseudo" in failed["state"]["message"]
            page.goto(f"{ui}/runs/flow-run/{failed['id']}")
            page.get_by_text("run failed (at").first.wait_for(timeout=15_000)
            page.screenshot(path=str(artifacts_dir / "prefect-ui-failed-run.png"))
        finally:
            stop(serve)


def submit_run_form(page, server: Server, deployment_id: str, failed_shot: Path) -> str | None:
    """Submit the run form; the new run's name as the toast shows it (None: the run was
    created, but no toast was seen).

    Twice in about eight full-suite runs Prefect's form showed no toast for a minute after
    Submit. When no run was created either, the page is kept (``failed_shot`` and its text)
    and Submit is clicked once more, as a person would; a second silence fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = {r["id"] for r in runs_of(server, deployment_id)}
    toast = page.locator(".toast-flow-run-create__message--emphasized").first
    for attempt in (1, 2):
        page.get_by_role("button", name="Submit").click()
        try:
            toast.wait_for(timeout=60_000)  # the server may be busy with the run before
            return (toast.text_content() or "").strip()
        except PlaywrightTimeout:
            page.screenshot(path=str(failed_shot), full_page=True)
            shown = " ".join(page.locator("body").inner_text().split())
            print(f"no toast after Submit ({attempt}); the page ({failed_shot}) shows: {shown}")
        if any(r["id"] not in before for r in runs_of(server, deployment_id)):
            return None
    raise AssertionError(f"Submit created no run, twice; the page is in {failed_shot}")


def runs_of(server: Server, deployment_id: str) -> list[dict]:
    runs = deployment_runs(server, deployment_id)
    assert runs is not None, "the Prefect server did not answer"
    return runs


def fill_run_form(
    page,
    server: Server,
    deployment_id: str,
    inputs: Path,
    out: Path,
    *,
    engine: str | None = "pseudo",
    run_name: str = "",
) -> None:
    """Deployment page → Run → Custom run, then the typed form field by field (the engine
    left at the served default when ``engine`` is None)."""
    from playwright.sync_api import expect

    ui = server.api.removesuffix("/api")
    page.goto(f"{ui}/deployments/deployment/{deployment_id}")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("Custom run").click()
    page.wait_for_url(re.compile(r"/run(\?|$)"))

    def field(label: str):
        name = re.compile(rf"^{re.escape(label)}( \(Optional\))?$")
        return (
            page.locator("div.schema-form-property")
            .filter(has=page.locator("span.schema-form-property__label", has_text=name))
            .last
        )

    # The form reads top-down as a person fills it: pasted articles, files, languages, engine.
    field(FORM["engine"]).wait_for()
    labels = page.locator("span.schema-form-property__label").all_inner_texts()
    order = [FORM["pasted"], FORM["inputs"], FORM["targets"], FORM["engine"]]
    firsts = [label.removesuffix(" (Optional)") for label in labels]
    assert [firsts.index(label) for label in order] == sorted(firsts.index(x) for x in order)
    assert not page.get_by_text("Property is type None").count()

    field(FORM["pasted"]).get_by_role("button", name="Add item").click()
    field("Headline").locator("textarea").fill(PASTED_TITLE)
    field("Article text").locator("textarea").fill(PASTED_BODY)
    field(FORM["inputs"]).get_by_role("button", name="Add item").click()
    field(FORM["inputs"]).locator("textarea").last.fill(str(inputs))
    # The engine drop-down opens from the keyboard; the served default is argos.
    if engine is not None:
        field(FORM["engine"]).locator("button.p-select-button__control").focus()
        page.keyboard.press("ArrowDown")
        page.get_by_role("option", name=engine, exact=True).click()
        expect(field(FORM["engine"]).locator(".p-select-button__value")).to_have_text(engine)
    field(FORM["out"]).locator("textarea").fill(str(out))
    if run_name:
        field("Run name").locator("textarea").fill(run_name)
