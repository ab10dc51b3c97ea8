"""`disclosure restore` refuses while a service of the installation runs (docs/operations.md):
a real `disclosure notify` daemon, a real process killed without tidying up, and (PostgreSQL)
a real connection from another process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from disclosure.ops.running import other_sessions, running_dir, running_services
from disclosure.settings import Settings

EXE = str(Path(sys.executable).with_name("disclosure"))
HOLDER = """
import sys, time
from disclosure.ops.running import service_running
from tests.conftest import base_settings
from pathlib import Path
settings = base_settings(Path(sys.argv[1]), sys.argv[2])
with service_running(settings, "serve"):
    print("ready", flush=True)
    time.sleep(120)
"""
CONNECTED = """
import sys, time
from sqlalchemy import text
from disclosure.db import make_engine
from tests.conftest import base_settings
from pathlib import Path
engine = make_engine(base_settings(Path(sys.argv[1]), sys.argv[2]))
with engine.connect() as conn:
    conn.execute(text("SELECT 1"))
    print("ready", flush=True)
    time.sleep(120)
"""


def _started(proc: subprocess.Popen[bytes], word: str) -> str:
    deadline, seen = time.monotonic() + 60, b""
    while word.encode() not in seen and time.monotonic() < deadline:
        chunk = proc.stdout.read1(1024)  # type: ignore[union-attr]
        if not chunk:
            break
        seen += chunk
    assert word in seen.decode(), (seen.decode(), proc.stderr.read().decode())  # type: ignore[union-attr]
    return seen.decode()


def _child(code: str, tmp_path: Path, db_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path), db_url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def test_restore_waits_for_a_running_notify_daemon(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某文件", "--received", "2026-11-02", "--today", "2026-11-27",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert cli("backup", "--out", str(tmp_path / "bk")).exit_code == 0
    (made,) = (tmp_path / "bk").glob("disclosure-backup-*.tar.gz")
    daemon = subprocess.Popen(
        [EXE, "notify"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _started(daemon, "期限提醒已启动")
        r = cli("restore", "--force", str(made))
        assert r.exit_code == 5, r.stdout
        assert "服务正在运行" in r.stderr and "disclosure notify" in r.stderr
        assert f"进程 {daemon.pid}" in r.stderr and "请先停止" in r.stderr
        # nothing was done: no copy of the data "before restore" was written
        assert list((tmp_path / "bk").iterdir()) == [made]
        assert not list(tmp_path.rglob("disclosure-before-restore-*"))
        daemon.send_signal(signal.SIGTERM)
        daemon.communicate(timeout=30)
        assert daemon.returncode == 0
    finally:
        _stop(daemon)
    assert not list(tmp_path.rglob("running/*.lock"))  # the daemon took its lock file away
    r = cli("restore", "--force", str(made))
    assert r.exit_code == 0, r.stderr
    assert "逐表行数核对无误" in r.stdout


def test_a_service_killed_without_tidying_up_does_not_block_restore(
    tmp_path: Path, settings: Settings, db_url: str
) -> None:
    holder = _child(HOLDER, tmp_path, db_url)
    try:
        _started(holder, "ready")
        (found,) = running_services(settings)
        assert (found.command, found.pid) == ("serve", holder.pid)
        holder.send_signal(signal.SIGKILL)  # no finally block runs: the file stays behind
        holder.wait(timeout=30)
    finally:
        _stop(holder)
    assert len(list(running_dir(settings).glob("*.lock"))) == 1
    assert running_services(settings) == []  # the lock went with the process
    assert list(running_dir(settings).glob("*.lock")) == []  # and the stale file is removed


@pytest.mark.postgres
def test_postgres_sessions_of_other_processes_are_seen(
    tmp_path: Path, engine: Engine, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's list of sessions")
    with engine.connect():
        assert other_sessions(engine) == []  # this process's own connections do not count
    other = _child(CONNECTED, tmp_path, db_url)
    try:
        _started(other, "ready")
        seen = other_sessions(engine)
        assert len(seen) == 1 and f"disclosure-tracker/{other.pid}" in seen[0], seen
    finally:
        _stop(other)
