"""The flow's heartbeats: Prefect's events, on a thread that ends with the run."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from prefect import flow_engine

from l10n.flow import heartbeats


class Engine:
    """The parts of Prefect's flow run engine the heartbeats use."""

    def __init__(self, seconds: int | None, state: Any = None) -> None:
        self.heartbeat_seconds = seconds
        self.flow_run = SimpleNamespace(state=state)
        self.logger = SimpleNamespace(debug=lambda *a, **k: None)
        self.sent: list[tuple[Any, Any]] = []
        self.first = threading.Event()

    def _build_heartbeat_event_template(self) -> tuple[dict[str, str], list[str]]:
        return {"prefect.resource.id": "prefect.flow-run.1"}, ["related"]

    def _emit_flow_run_heartbeat(self, resource: Any, related: Any) -> None:
        self.sent.append((resource, related))
        self.first.set()


def test_the_flow_module_installs_them_on_the_pinned_prefect() -> None:
    import l10n.flow.translate  # noqa: F401 - installs them

    assert flow_engine._send_heartbeats is heartbeats.prompt_heartbeats
    assert heartbeats.install()  # a Prefect without the hook would keep its own: False


def test_a_run_sends_one_at_once_and_the_thread_ends_with_it() -> None:
    engine = Engine(seconds=180)
    before = set(threading.enumerate())
    with heartbeats.prompt_heartbeats(engine):
        assert engine.first.wait(5)
        (thread,) = set(threading.enumerate()) - before
        assert thread.daemon
    assert not thread.is_alive()  # woken from its 180 s wait, not left to finish it
    assert engine.sent == [({"prefect.resource.id": "prefect.flow-run.1"}, ["related"])]


def test_none_when_heartbeats_are_off_or_the_run_is_over() -> None:
    off = Engine(seconds=None)
    before = set(threading.enumerate())
    with heartbeats.prompt_heartbeats(off):
        assert set(threading.enumerate()) == before
    assert off.sent == []

    over = Engine(seconds=30, state=SimpleNamespace(is_final=lambda: True))
    with heartbeats.prompt_heartbeats(over):
        pass
    assert over.sent == []


def test_a_failing_send_never_fails_the_run() -> None:
    engine = Engine(seconds=30)

    def broken(resource: Any, related: Any) -> None:
        engine.first.set()
        raise ConnectionError("server gone")

    engine._emit_flow_run_heartbeat = broken  # type: ignore[method-assign]
    with heartbeats.prompt_heartbeats(engine):
        assert engine.first.wait(5)
