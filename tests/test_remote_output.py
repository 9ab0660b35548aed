"""Runs stored on S3-compatible storage, end to end from the command line.

A real S3 API (moto's server) listens on 127.0.0.1; the CLI reaches it through s3fs the
way a team reaches its bucket, configured only by environment variables.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

L10N = Path(sys.executable).with_name("l10n")
STORIES = {
    "summit.txt": (
        "Leaders Meet in Nara\n\n"
        "Prime Minister Sanae Takaichi welcomed President Lee Jae Myung to Nara on Saturday."
    ),
    "ports.txt": (
        "Ports Deal Signed\n\nOfficials from Tokyo and Seoul signed an agreement on Monday."
    ),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    """An S3 endpoint on this machine, and the environment that points s3fs at it."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "newsroom",
        "AWS_SECRET_ACCESS_KEY": "newsroom-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    try:
        yield env
    finally:
        server.stop()


@pytest.fixture
def bucket(s3: dict[str, str]) -> Iterator[object]:
    import s3fs

    fs = s3fs.S3FileSystem(
        key=s3["AWS_ACCESS_KEY_ID"],
        secret=s3["AWS_SECRET_ACCESS_KEY"],
        client_kwargs={"endpoint_url": s3["FSSPEC_S3_ENDPOINT_URL"]},
    )
    fs.mkdir("desk")
    yield fs
    fs.rm("desk", recursive=True)


def translate(inputs: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(L10N), "translate", str(inputs), "--engine", "pseudo", "--to", "ja,ko", *extra],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "COLUMNS": "200"},
        timeout=300,
        check=False,
    )


def test_a_run_goes_to_s3_and_resumes_there(tmp_path: Path, s3, bucket) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in STORIES.items():
        (inputs / name).write_text(text, encoding="utf-8")
    out = ["--out", "s3://desk/runs", "--run-id", "monday"]

    first = translate(inputs, s3, *out)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Output: s3://desk/runs/monday" in first.stdout
    assert "Traceback" not in first.stderr
    summary = json.loads(bucket.cat("desk/runs/monday/run.json"))
    assert sorted(d["id"] for d in summary["articles"]["done"]) == ["ports", "summit"]
    for name in ("report.html", "translations.tmx", "summit/ja.txt", "summit/report.html"):
        assert bucket.exists(f"desk/runs/monday/{name}"), name
    assert "高市早苗" in bucket.cat("desk/runs/monday/summit/ja.txt").decode("utf-8")
    assert not list(tmp_path.glob("**/run.json"))  # nothing was written locally instead

    # A lost file makes its article incomplete: the rerun redoes it and trusts the other.
    bucket.rm("desk/runs/monday/summit/ko.xlf")
    second = translate(inputs, s3, *out)
    assert second.returncode == 0, second.stdout + second.stderr
    summary = json.loads(bucket.cat("desk/runs/monday/run.json"))
    resumed = {d["id"]: d["resumed"] for d in summary["articles"]["done"]}
    assert resumed == {"summit": False, "ports": True}
    assert bucket.exists("desk/runs/monday/summit/ko.xlf")


def test_a_failed_input_on_s3_output_exits_1_with_the_summary(tmp_path: Path, s3, bucket) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "summit.txt").write_text(STORIES["summit.txt"], encoding="utf-8")
    (inputs / "broken.jsonl").write_text('{"id": "x", "body": 5}\n', encoding="utf-8")
    result = translate(inputs, s3, "--out", "s3://desk/runs", "--run-id", "tuesday")
    assert result.returncode == 1
    assert "broken.jsonl:1" in result.stdout and "Output: s3://desk/runs/tuesday" in result.stdout
    summary = json.loads(bucket.cat("desk/runs/tuesday/run.json"))
    assert [d["id"] for d in summary["articles"]["done"]] == ["summit"]
    assert summary["input_errors"][0]["line"] == 1


def test_an_unreachable_bucket_is_reported_before_translating(tmp_path: Path, s3) -> None:
    story = tmp_path / "summit.txt"
    story.write_text(STORIES["summit.txt"], encoding="utf-8")
    result = translate(story, s3, "--out", "s3://no-such-bucket/runs")
    assert result.returncode == 2
    assert "s3://no-such-bucket/runs" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_stream_that_fails_part_way_leaves_the_old_object(bucket) -> None:
    from l10n.run.storage import FsspecStorage

    storage = FsspecStorage("s3://desk/run")
    storage.fs = bucket  # the test's endpoint
    storage.write("report.html", b"old")

    def failing() -> Iterator[bytes]:
        yield b"half of a new page " * 1000
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError):
        storage.write_stream("report.html", failing())
    assert storage.read("report.html") == b"old"
    storage.write_stream("report.html", iter([b"a new ", b"page"]))
    assert storage.read("report.html") == b"a new page"
