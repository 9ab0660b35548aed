"""Ctrl-C stops ``l10n review serve`` as an interrupt (exit 130) however the server's own
start-up and shutdown pass the signal along."""

from __future__ import annotations

import os
import signal
import time

import pytest
import uvicorn

from l10n.review.app.catalog import Catalog
from l10n.review.app.server import ReviewServer


def _serve_swallowing_the_interrupt(self: uvicorn.Server, sockets: object = None) -> None:
    """A server run that receives Ctrl-C while it starts and lets no KeyboardInterrupt out
    (a library catching it, a task cancelled instead): it just returns."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the handler runs here
    except KeyboardInterrupt:
        pass


@pytest.fixture
def ctrl_c_heard():
    """SIGINT as a terminal's process has it (a background job's test run ignores it)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_during_start_up_still_ends_the_server_as_an_interrupt(
    tmp_path, monkeypatch, ctrl_c_heard
):
    monkeypatch.setattr(uvicorn.Server, "run", _serve_swallowing_the_interrupt)
    server = ReviewServer(Catalog(str(tmp_path), single=False))
    with pytest.raises(KeyboardInterrupt):
        server.run()
    assert server._server.should_exit
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_server_stopped_without_ctrl_c_returns_normally(tmp_path, monkeypatch, ctrl_c_heard):
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    server = ReviewServer(Catalog(str(tmp_path), single=False))
    server.run()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_stops_it_as_an_interrupt_where_it_was_ignored_too(tmp_path, monkeypatch):
    """A background job ignores SIGINT, but uvicorn stops on it anyway: the command must
    then end as an interrupt, not with 0."""
    monkeypatch.setattr(uvicorn.Server, "run", _serve_swallowing_the_interrupt)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        server = ReviewServer(Catalog(str(tmp_path), single=False))
        with pytest.raises(KeyboardInterrupt):
            server.run()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
