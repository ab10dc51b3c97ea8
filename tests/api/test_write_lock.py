"""The API's SQLite writers of several processes take turns on a `flock` beside the database
(`api.writes`): a second process waits while one holds it and goes on as soon as it is
released."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from disclosure.api.writes import LOCK_SUFFIX, _across_processes

CHILD = """
import sys, time
from disclosure.api.writes import _across_processes
with _across_processes(sys.argv[1], time.monotonic() + float(sys.argv[2])):
    print(time.monotonic(), flush=True)
"""


def test_a_second_process_waits_for_the_first(tmp_path: Path) -> None:
    database = str(tmp_path / "register.db")
    with _across_processes(database, time.monotonic()):
        assert Path(database + LOCK_SUFFIX).exists()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, database, "60"], stdout=subprocess.PIPE, text=True
        )
        time.sleep(1.0)  # the child has started and is waiting on the lock
        assert child.poll() is None
        released = time.monotonic()
    out, _ = child.communicate(timeout=30)
    assert child.returncode == 0
    assert float(out) >= released  # it entered only after the lock was released


def test_a_wait_past_the_busy_timeout_is_refused_as_busy(tmp_path: Path) -> None:
    database = str(tmp_path / "register.db")
    with _across_processes(database, time.monotonic()):
        child = subprocess.run(
            [sys.executable, "-c", CHILD, database, "0.3"], capture_output=True, text=True
        )
    assert child.returncode == 1 and "RegisterBusy" in child.stderr and child.stdout == ""


def test_an_in_memory_database_takes_no_lock(tmp_path: Path) -> None:
    soon = time.monotonic()
    with _across_processes(":memory:", soon), _across_processes(None, soon):
        pass
    assert list(tmp_path.iterdir()) == []
