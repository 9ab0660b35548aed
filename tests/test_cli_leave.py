"""The ``l10n`` process's cheap start and exit (``l10n/cli/leave.py``)."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from l10n.cli.leave import imports_without_gc, leave


def test_imports_run_without_the_collector_and_leave_it_on():
    assert gc.isenabled()
    with imports_without_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_in_process_leave_is_a_plain_exit_with_the_code():
    with pytest.raises(SystemExit) as stopped:
        leave(3)
    assert stopped.value.code == 3


def test_as_the_command_it_runs_exit_handlers_flushes_and_keeps_the_code(tmp_path):
    script = tmp_path / "l10n"  # named as the entry point
    marker = tmp_path / "handler-ran"
    script.write_text(
        textwrap.dedent(
            f"""
            import atexit, sys, threading, time
            from l10n.cli.leave import leave
            atexit.register(lambda: open({str(marker)!r}, "w").write("yes"))
            worker = threading.Thread(target=lambda: (time.sleep(0.3), print("thread done")))
            worker.start()
            sys.stdout.write("unflushed output")
            leave(5)
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 5
    assert done.stdout == "unflushed outputthread done\n"  # the thread waited for, all flushed
    assert marker.read_text() == "yes"
