"""While a restore runs, no service of the installation starts (docs/operations.md,
"Restoring"): a real process holding the restore lock, the real commands refused; and a
real `disclosure office` stopped with SIGTERM tidies up after itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from disclosure.errors import Conflict
from disclosure.ops.running import restore_running, restoring, running_dir, running_services
from disclosure.settings import Settings
from tests.ops.test_restore_while_running import _child, _started, _stop

EXE = str(Path(sys.executable).with_name("disclosure"))
RESTORING = """
import sys, time
from disclosure.ops.running import restoring
from tests.conftest import base_settings
from pathlib import Path
settings = base_settings(Path(sys.argv[1]), sys.argv[2])
with restoring(settings):
    print("ready", flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize(
    "command",
    [("office", "--port", "8999"), ("serve", "--port", "8999"), ("notify",), ("notify", "--once")],
    ids=" ".join,
)
def test_services_do_not_start_while_a_restore_runs(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, db_url: str, settings: Settings, command: tuple[str, ...]
) -> None:
    holder = _child(RESTORING, tmp_path, db_url)
    try:
        _started(holder, "ready")
        r = cli(*command)
        assert r.exit_code == 5, (r.stdout, r.stderr)
        assert r.stderr.startswith("错误：正在从备份恢复数据：disclosure restore"), r.stderr
        assert f"进程 {holder.pid}" in r.stderr and "请等恢复完成后再启动" in r.stderr
        assert "数据库：" not in r.stdout  # office had not opened (or migrated) the database
        assert running_services(settings) == []  # it took its own lock file away again
    finally:
        _stop(holder)
    # The restore was killed: its file stays, but nobody holds it, and services start again.
    assert (running_dir(settings) / "restore.lock").exists()
    assert restore_running(settings) is None
    r = cli("notify", "--once", "--today", "2026-11-27")
    assert r.exit_code == 0, r.stderr


def test_a_second_restore_at_the_same_time_is_refused(settings: Settings) -> None:
    refused = pytest.raises(Conflict, match=f"另一个恢复正在进行：.*进程 {os.getpid()}")
    with restoring(settings), refused, restoring(settings):
        pass  # pragma: no cover
    with restoring(settings):  # the first one let go
        assert restore_running(settings) is not None
    assert restore_running(settings) is None
    assert not (running_dir(settings) / "restore.lock").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_office_stopped_with_sigterm_tidies_up(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DISCLOSURE_DATABASE__URL": f"sqlite:///{tmp_path / 'office.db'}",
        "DISCLOSURE_ADMIN_PASSWORD": "correct-horse-1",
        "DISCLOSURE_WEB__PORT": str(port),
    }
    env.pop("DISCLOSURE_CONFIG", None)
    office = subprocess.Popen(
        [EXE, "office"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        locks = list((tmp_path / "running").glob("*.lock"))
        assert [p.name for p in locks] == [f"{socket.gethostname()}-{office.pid}.lock"]
        office.send_signal(signal.SIGTERM)
        _out, err = office.communicate(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.communicate(timeout=30)
    assert office.returncode == 0, err.decode()  # before: killed by the re-raised signal (-15)
    assert "Traceback" not in err.decode()
    assert not list((tmp_path / "running").glob("*.lock"))  # the finally blocks ran
