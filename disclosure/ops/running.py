"""Which of this installation's services are running, so that `disclosure restore` does not
pull the database from under them, and no service starts while a restore runs
(docs/operations.md, "Restoring").

- On this machine: `disclosure office`, `serve` and `notify` (the daemon) each hold a lock
  file in `data/running/` (beside the secret key) for as long as they run. The lock is the
  operating system's (`flock`), so it goes with the process however it ends: a file whose
  lock can be taken is a service that stopped without tidying up, and is removed.
- On other machines (PostgreSQL): every connection of this product names itself to the
  server (`application_name`, set by `disclosure.db.make_engine`), and the server's list of
  sessions shows the ones of other processes.
- A restore holds `data/running/restore.lock` the same way. Each side takes its own lock
  first and then looks for the other's, so of a service starting and a restore starting at
  the same moment at least one sees the other and stops.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from disclosure.data_folder import data_dir
from disclosure.db import APPLICATION_NAME, application_name
from disclosure.errors import Conflict
from disclosure.settings import Settings
from disclosure.timefmt import local_time

RUNNING_DIR = "running"
RESTORE_LOCK = "restore.lock"


@dataclass(frozen=True)
class Service:
    """A running service as its lock file describes it."""

    command: str  # office, serve, notify
    pid: int
    host: str
    since: str  # ISO 8601, UTC

    def describe(self, tz: str) -> str:
        since = f"，{local_time(self.since, tz)} 起" if self.since else ""
        return f"disclosure {self.command}（主机 {self.host}，进程 {self.pid}{since}）"


def running_dir(settings: Settings) -> Path:
    return data_dir(settings) / RUNNING_DIR


def _me(command: str) -> Service:
    return Service(
        command=command,
        pid=os.getpid(),
        host=socket.gethostname(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
    )


@contextmanager
def _holding(path: Path, me: Service, *, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `path`, which describes `me`; yields False (and holds
    nothing) when `wait` is False and another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(asdict(me), ensure_ascii=False).encode())
        try:
            yield True
        finally:
            path.unlink(missing_ok=True)
    finally:
        os.close(fd)


@contextmanager
def service_running(settings: Settings, command: str) -> Iterator[Service]:
    """Hold this process's lock file while the service runs; refuse to start during a
    restore."""
    me = _me(command)
    folder = running_dir(settings)
    with _holding(folder / f"{me.host}-{me.pid}.lock", me):  # our own file: never contended
        busy = restore_running(settings)
        if busy is not None:
            raise Conflict(
                f"正在从备份恢复数据：{busy.describe(settings.office.timezone)}；"
                "请等恢复完成后再启动"
            )
        yield me


@contextmanager
def restoring(settings: Settings) -> Iterator[None]:
    """Hold the restore lock, then refuse if a service runs (or another restore does)."""
    me = _me("restore")
    path = running_dir(settings) / RESTORE_LOCK
    with _holding(path, me, wait=False) as held:
        if not held:
            other = _read(path)
            raise Conflict(f"另一个恢复正在进行：{other.describe(settings.office.timezone)}")
        yield


def restore_running(settings: Settings) -> Service | None:
    """The restore in progress on this installation, if any."""
    path = running_dir(settings) / RESTORE_LOCK
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(path)
        return None  # a restore that was killed left its file: nobody holds it
    finally:
        os.close(fd)


def running_services(settings: Settings) -> list[Service]:
    """The services holding their lock on this machine; stale lock files are removed."""
    folder = running_dir(settings)
    out = []
    for path in sorted(folder.glob("*.lock")) if folder.is_dir() else []:
        if path.name == RESTORE_LOCK:
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # stopped while we looked
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                out.append(_read(path))
                continue
            path.unlink(missing_ok=True)  # nobody holds it: the service is gone
        finally:
            os.close(fd)
    return out


def _read(path: Path) -> Service:
    try:
        return Service(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):  # still being written
        return Service(command="（正在启动）", pid=0, host=path.stem, since="")


def other_sessions(engine: Engine) -> list[str]:
    """PostgreSQL: the other processes of this product connected to the same database, as
    “10.0.0.5（disclosure-tracker/1234）”; SQLite: none (its services hold lock files)."""
    if engine.dialect.name != "postgresql":
        return []
    query = text(
        "SELECT application_name, coalesce(host(client_addr), '本机') FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND application_name LIKE :product AND application_name <> :me"
        " ORDER BY backend_start"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"product": f"{APPLICATION_NAME}/%", "me": application_name()})
        return [f"{addr}（{name}）" for name, addr in rows]


def refusal(settings: Settings, engine: Engine) -> str:
    """Why a restore must wait ("" when nothing of this product is running)."""
    services = running_services(settings)
    if services:
        tz = settings.office.timezone
        return "本系统的服务正在运行：" + "；".join(s.describe(tz) for s in services)
    sessions = other_sessions(engine)
    if sessions:
        return f"另有 {len(sessions)} 个本系统的数据库连接：" + "、".join(sessions[:5])
    return ""
