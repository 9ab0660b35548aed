"""Prefect's flow-run heartbeats, stopped the moment a run ends.

A flow run sends heartbeat events (what a zombie-run automation watches) from a thread.
Prefect 3.9's thread sleeps in one-second steps and the run joins it as it ends, so every
run waited up to a second for that sleep: a sixth of a warm one-article run. :func:`install`
puts in the same heartbeats on an event the run's end sets, so the join is immediate: the
same event, the same interval, the same stop once the run's state is final. It installs
only where Prefect's hook and the engine methods it calls exist; a Prefect that changed
them keeps its own heartbeats (``tests/test_heartbeats.py`` fails on the pinned one then).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ENGINE_NEEDS = ("heartbeat_seconds", "_build_heartbeat_event_template", "_emit_flow_run_heartbeat")


@contextmanager
def prompt_heartbeats(engine: Any, join_on_exit: bool = True) -> Iterator[None]:
    """Heartbeats for ``engine``'s flow run every ``heartbeat_seconds`` while the block runs
    (none when that setting is off); the thread ends as soon as the block does."""
    seconds = engine.heartbeat_seconds
    if seconds is None:
        yield
        return
    resource, related = engine._build_heartbeat_event_template()
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            run = engine.flow_run
            if run is not None and run.state is not None and run.state.is_final():
                return
            try:
                engine._emit_flow_run_heartbeat(resource, related)
            except Exception:  # as Prefect's: a missed heartbeat must never fail the run
                engine.logger.debug("Failed to emit heartbeat", exc_info=True)
            stop.wait(seconds)

    # the thread sees the run's settings context (its API URL), as Prefect's does
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(beat,), daemon=True, name="heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        if join_on_exit:
            thread.join(timeout=2)


def install() -> bool:
    """Use :func:`prompt_heartbeats` for this process's flow runs; False (Prefect's own kept)
    when this Prefect lacks what it replaces or calls."""
    from prefect import flow_engine

    engine = getattr(flow_engine, "BaseFlowRunEngine", None)
    if not hasattr(flow_engine, "_send_heartbeats") or engine is None:
        return False
    if not all(hasattr(engine, name) for name in ENGINE_NEEDS):
        return False
    flow_engine._send_heartbeats = prompt_heartbeats
    return True
