"""Results pushed: a webhook receiver on 127.0.0.1 that fails, then accepts; nothing lost."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ninjs_items import V2_ITEM, V3_ITEM

from l10n.cli import main
from l10n.newsroom.push import push_run, read_state
from l10n.pipeline import RunOptions, translate_run
from l10n.run.store import Run


class Receiver:
    """Answers 503 to the first ``fail_first`` requests (``always_fail``: to all), then 200."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.always_fail = False
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.accepted: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append((dict(self.headers), body))
                failing = receiver.always_fail or len(receiver.requests) <= receiver.fail_first
                if not failing:
                    receiver.accepted.append(body)
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(fail_first=2)
    yield found
    found.server.shutdown()


@pytest.fixture
def run(tmp_path: Path) -> Run:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps(V2_ITEM), "utf-8")
    (tmp_path / "in" / "b.json").write_text(json.dumps(V3_ITEM), "utf-8")
    translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja", "ko"],
            engine="pseudo",
            out=str(tmp_path / "out"),
            run_id="pushed",
        )
    )
    return Run.open(tmp_path / "out" / "pushed")


def test_a_receiver_that_fails_twice_gets_every_item_after_retries(run: Run, receiver: Receiver):
    waits: list[float] = []
    report = push_run(run, receiver.url, attempts=4, backoff_s=0.5, sleep=waits.append)
    assert not report.failed
    assert sorted(report.pushed) == sorted(
        f"{a}/{lang}"
        for a in ("example-no-2026-ferje-1", "news.example.org-items-2026-lindau-hafen-2")
        for lang in ("ja", "ko")
    )
    assert waits == [0.5, 1.0]  # two failures, exponential back-off
    assert len(receiver.requests) == 6 and len(receiver.accepted) == 4
    headers, _body = receiver.requests[0]
    assert headers["Content-Type"] == "application/json" and headers["X-L10n-Run"] == "pushed"
    assert {item["uri"] for item in receiver.accepted} == {
        "urn:example:no:2026:ferje-1:ja",
        "urn:example:no:2026:ferje-1:ko",
        "http://news.example.org/items/2026/lindau-hafen-2/ja",
        "http://news.example.org/items/2026/lindau-hafen-2/ko",
    }
    state = read_state(run)
    assert state["url"] == receiver.url
    marks = [t for targets in state["articles"].values() for t in targets.values()]
    assert sorted(t["attempts"] for t in marks) == [1, 1, 1, 3]
    assert {t["status"] for t in marks} == {"pushed"}


def test_a_failed_push_marks_the_article_and_push_retries_it_without_translating(
    run: Run, receiver: Receiver
):
    receiver.always_fail = True
    report = push_run(run, receiver.url, attempts=2, backoff_s=0, sleep=lambda s: None)
    assert len(report.failed) == 4 and not report.pushed
    state = read_state(run)
    marks = [t["status"] for targets in state["articles"].values() for t in targets.values()]
    assert marks == ["failed"] * 4
    assert all("HTTP 503" in t["error"] for a in state["articles"].values() for t in a.values())
    folder = run.local_dir
    assert folder is not None
    segments = {p: p.stat().st_mtime_ns for p in folder.glob("*/segments.jsonl")}

    receiver.always_fail = False
    receiver.requests.clear()
    result = CliRunner().invoke(main, ["push", str(folder)])  # the URL comes from push.json
    assert result.exit_code == 0, result.output
    assert "4 pushed, 0 failed, 0 already delivered." in result.output
    assert len(receiver.accepted) == 4
    assert {p: p.stat().st_mtime_ns for p in folder.glob("*/segments.jsonl")} == segments

    receiver.requests.clear()
    again = CliRunner().invoke(main, ["push", str(folder)])
    assert again.exit_code == 0 and "0 pushed, 0 failed, 4 already delivered." in again.output
    assert receiver.requests == []


def test_a_refusal_is_not_retried_and_the_exit_status_says_so(run: Run, tmp_path: Path):
    class Refusing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(422)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = CliRunner().invoke(main, ["push", str(run.local_dir), "--url", url])
    finally:
        server.shutdown()
    assert result.exit_code == 1
    assert "HTTP 422" in result.output and "not retried" in result.output
    assert "Traceback" not in result.output


def test_push_without_a_url_says_how(run: Run):
    result = CliRunner().invoke(main, ["push", str(run.local_dir)])
    assert result.exit_code == 2 and "give --url" in result.output


def test_translate_push_posts_each_finished_article(local_server, receiver: Receiver, tmp_path):
    """`l10n translate … --push URL` through the real CLI and Prefect server."""
    import os
    import subprocess
    import sys

    (tmp_path / "a.json").write_text(json.dumps(V3_ITEM), "utf-8")
    l10n = str(Path(sys.executable).with_name("l10n"))
    args = [l10n, "translate", str(tmp_path / "a.json"), "--to", "ja", "--engine", "pseudo"]
    args += ["--out", str(tmp_path / "out"), "--run-id", "wire", "--push", receiver.url]
    env = dict(os.environ, PREFECT_API_URL=local_server.api_url)
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Pushed 1 item(s) to {receiver.url}; 0 failed." in result.stdout
    [item] = receiver.accepted
    assert item["uri"] == "urn:example:no:2026:ferje-1:ja" and len(receiver.requests) == 3
