"""Operations costs: a password check, and a backup, its verification and a restore.

    python bench/bench_ops.py                       # 20,000 applications on SQLite
    python bench/bench_ops.py --rows 100000 --postgres

Argon2: ms per verification with the chosen parameters (services.passwords) beside
argon2-cffi's defaults (what the product used before), measured in the same run.
Backup: seconds for `disclosure backup` (dump, archive, verify), `backup verify` and
`disclosure restore` into an empty database, each beside an anchor measured in the same run:
gzip level 1 of the database file (what compressing it alone costs; on PostgreSQL a bare
`pg_dump -Fc`).
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from argon2 import PasswordHasher

from disclosure.backup.archive import verify_backup
from disclosure.backup.database import pg_env, pg_tool
from disclosure.backup.restore import restore_backup
from disclosure.backup.schedule import run_backup
from disclosure.db import make_engine, transaction
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.passwords import make_hasher
from disclosure.services.registration import register_many
from disclosure.services.setup import ensure_database
from disclosure.settings import Settings, load_settings

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"


def _gzip(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, gzip.open(dst, "wb", compresslevel=1) as fout:
        shutil.copyfileobj(fin, fout, 1024 * 1024)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def argon2_bench(n: int = 20) -> None:
    for name, hasher in (("chosen (19 MiB, t=2, p=1)", make_hasher()),
                         ("argon2-cffi default (64 MiB, t=3, p=4)", PasswordHasher())):  # fmt: skip
        hashed = hasher.hash("plum-kettle-harbour")
        hasher.verify(hashed, "plum-kettle-harbour")
        t = timed(lambda h=hasher, x=hashed: [h.verify(x, "plum-kettle-harbour") for _ in range(n)])
        print(f"argon2 verify, {name:40} {t / n * 1000:7.1f} ms")


def populate(settings: Settings, rows: int) -> None:
    engine = make_engine(settings)
    ensure_database(engine, settings)
    with transaction(engine) as session:
        office = load_office(session, settings)
    day = date(2026, 11, 27)
    for start in range(0, rows, 5000):
        items = [
            ApplicationCreate(
                channel="post_signed", arrived_on=day, received_on=day,
                applicant_name=f"申请人{i}", applicant_type="natural",
                content="请公开某项目的环境影响评价批复文件及其附件",
                id_number="110101199003077777",
            )
            for i in range(start, min(rows, start + 5000))
        ]  # fmt: skip
        with transaction(engine) as session:
            register_many(session, items=items, ctx=Context(office, day, "b", NOW))
    engine.dispose()


def _settings(home: Path, url: str) -> Settings:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    return load_settings(home / "config.toml", backup={"dir": str(home / "backups")})


def _pg_database(name: str, drop: bool = False) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            if drop
            else f'CREATE DATABASE "{name}"'
        )


def backup_bench(rows: int, postgres: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        names = [f"bench_ops_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        if postgres:
            for n in names:
                _pg_database(n)
            urls = [PG + n for n in names]
        else:
            urls = [f"sqlite:///{root / 'a' / 'data.db'}", f"sqlite:///{root / 'b' / 'data.db'}"]
        try:
            source, target = _settings(root / "a", urls[0]), _settings(root / "b", urls[1])
            populate(source, rows)
            engine = make_engine(source)
            if postgres:
                out = root / "anchor.pgdump"
                anchor = timed(lambda: subprocess.run(
                    [pg_tool(source, "pg_dump"), "-Fc", f"--file={out}"],
                    env=pg_env(source), check=True))  # fmt: skip
                what = "bare pg_dump -Fc"
            else:
                db = Path(engine.url.database or "")
                anchor = timed(lambda: _gzip(db, root / "anchor.db.gz"))
                what = "gzip -1 of the database file"
            made = []
            backup = timed(lambda: made.append(run_backup(engine, source, actor="b", now=NOW)))
            path = made[0].path
            verify = timed(lambda: verify_backup(path, source))
            other = make_engine(target)
            restore = timed(lambda: restore_backup(other, target, path, force=False, actor="b",
                                                   now=NOW))  # fmt: skip
            kind = "PostgreSQL" if postgres else "SQLite"
            counted = made[0].counts
            print(f"{kind}, {counted['application']} applications and {counted['event']} events "
                  f"in the archive, {made[0].size / 1e6:.1f} MB")  # fmt: skip
            print(f"  anchor ({what}) {anchor:7.2f} s")
            for label, t in (("backup (dump+archive+verify)", backup), ("backup verify", verify),
                             ("restore into an empty db", restore)):  # fmt: skip
                print(f"  {label:30} {t:7.2f} s  = {t / anchor:5.1f}x anchor")
            engine.dispose()
            other.dispose()
        finally:
            if postgres:
                for n in names:
                    _pg_database(n, drop=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    argon2_bench()
    backup_bench(args.rows, args.postgres)


if __name__ == "__main__":
    main()
