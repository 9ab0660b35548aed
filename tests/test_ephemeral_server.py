"""`L10N_PREFECT_SERVER=ephemeral`: Prefect's temporary server, started as l10n's commands
start it, answers l10n's clients only — not a page from another origin, nor a client
without the command's secret (a page after DNS rebinding)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from l10n.server.local import MODE_ENV

pytestmark = [pytest.mark.server, pytest.mark.slow, pytest.mark.timeout(300)]

START = """
import json, os, sys
from l10n.server.local import use_prefect_server
use_prefect_server()
from prefect.server.api.server import SubprocessASGIServer
server = SubprocessASGIServer()
server.start(timeout=240)
print(json.dumps({"url": server.api_url, "secret": os.environ["PREFECT_API_AUTH_STRING"]}))
sys.stdout.flush()
sys.stdin.read()
server.stop()
"""


def test_the_ephemeral_server_answers_l10ns_clients_only(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_API") and "AUTH_STRING" not in k
    }
    env.update({"PREFECT_HOME": str(tmp_path), MODE_ENV: "ephemeral"})
    starter = subprocess.Popen(
        [sys.executable, "-c", START],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert starter.stdout is not None
        started = json.loads(starter.stdout.readline())
        url, secret = started["url"], started["secret"]
        port = url.rsplit(":", 1)[1].split("/")[0]
        auth = {"Authorization": "Basic " + base64.b64encode(secret.encode()).decode()}
        evil = {"Origin": "http://evil.example", "Host": f"evil.example:{port}"}
        with httpx.Client(base_url=url, timeout=10) as client:
            # A page: no secret, so nothing is listed, run or read; no CORS grant either.
            for headers in ({}, evil, {"Origin": "http://evil.example"}):
                listed = client.post("/deployments/filter", json={}, headers=headers)
                assert listed.status_code in (401, 403), listed.text
                assert "access-control-allow-origin" not in listed.headers
                # nor can it fetch the CSRF token that a change would need
                csrf = client.get("/csrf-token", params={"client": "page"}, headers=headers)
                assert csrf.status_code == 401, csrf.text
            preflight = client.options(
                "/flow_runs/filter",
                headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
            )
            assert preflight.headers.get("access-control-allow-origin") in (None, "")
            # The secret alone does not change anything: a CSRF token must come with it.
            assert client.post("/flows/filter", json={}, headers=auth).status_code == 403
            token = client.get("/csrf-token", params={"client": "t"}, headers=auth)
            assert token.status_code == 200, token.text
            full = {
                **auth,
                "Prefect-Csrf-Token": token.json()["token"],
                "Prefect-Csrf-Client": "t",
            }
            assert client.post("/flows/filter", json={}, headers=full).status_code == 200
    finally:
        if starter.stdin:
            starter.stdin.close()
        try:
            starter.wait(timeout=30)
        except subprocess.TimeoutExpired:
            starter.kill()
            starter.wait()
