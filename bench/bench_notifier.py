"""Benchmark: one notifier scan over N open applications (30 departments) to a local SMTP.

    python bench/bench_notifier.py                 # N = 10,000 and 100,000 on SQLite
    python bench/bench_notifier.py --inprocess     # run_once in a child (collect split)
    python bench/bench_notifier.py --n 100000 --db-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
    python bench/bench_notifier.py --n 10000 --profile /tmp/scan.prof   # cProfile of the scan
    python bench/bench_notifier.py --n 100000 --profile /tmp/cpu.prof --profile-cpu  # CPU only
    python bench/bench_notifier.py --people        # with handlers and cooperating departments

Data (see `realistic_dates`): receipts spread over the last 60 working days, reply dues from
5 working days overdue to 19 ahead, 30 departments each with a contact address, two office
recipients and one leader. Rows are inserted with bulk Core inserts (not through the
services). The SMTP server is aiosmtpd on 127.0.0.1 with a 25 MB message limit, as common
servers have. The scan runs in a child process so that its peak RSS (ru_maxrss) is its own;
`collect_rss_mb` is the RSS right after the queueing phase (which reads the applications),
`peak_rss_mb` includes rendering and sending the digests; `*_cpu_s` is the child's CPU time
(the wall time depends on what else the machine runs).

By default the scan is the real command, `disclosure notify --once --today 2026-03-23
--json`, in a subprocess (its CPU time and peak RSS from `os.wait4`). Beside it, in the same
run, an anchor: a fixed pure-Python workload (`ANCHOR`, sorting and hashing 1.5 M tuples) in
its own subprocess, once before and once after the scan; `*_per_anchor` are the scan's
figures divided by the anchor's mean, comparable across machines and loads.

`--people` adds the people side (issue 16): `HANDLERS` handler accounts with an address, one
the handler of every application (each gets a digest of its cases), and one cooperating
department on every tenth application (协办 reminders).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

TODAY = date(2026, 3, 23)
NOW = datetime(2026, 3, 23, 0, 30, tzinfo=UTC)
DEPTS = [
    {"code": f"d{i:02d}", "name": f"第{i}处", "email": f"d{i:02d}@example.gov.cn"}
    for i in range(30)
]
OFFICE = ["office@example.gov.cn", "office-head@example.gov.cn"]
LEADERS = [{"name": "分管局领导", "email": "leader@example.gov.cn"}]
HANDLERS = 200  # --people: handler accounts, each with an address
SMTP_SIZE_LIMIT = 25 * 1024 * 1024  # what common servers accept (Postfix 10 MB .. Gmail 25 MB)
CONTENTS = [  # realistic lengths: 20 to 90 characters
    "申请公开第{i}号建设项目的环境影响评价文件及批复",
    "请求公开本市2025年度第{i}批次城市更新项目征收补偿方案、补偿标准及资金拨付情况的相关文件",
    "某河段水质监测数据（2025年1月至12月，编号{i}）",
    "申请公开关于某街道第{i}号地块控制性详细规划调整的论证报告、专家意见、公示材料及审批文件，"
    "以及该地块土地出让合同",
]


def realistic_dates(cal, rng: random.Random) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """(received, reply due) of one open application on TODAY, as in a busy office.

    80 % were received in the last 20 working days (reply due 0..19 working days ahead); 16 %
    were received 21..60 working days ago and are extended (Reg. art. 33) or paused for a
    correction, so their reply is due 0..19 working days ahead; 4 % are overdue by 1..5
    working days. Internal target: 5 working days before the reply is due.
    """
    r = rng.random()
    if r < 0.80:
        rec = cal.subtract_working_days(TODAY, rng.randint(1, 20))
        return rec, cal.add_working_days(rec, 20)
    if r < 0.96:
        rec = cal.subtract_working_days(TODAY, rng.randint(21, 60))
        left = rng.randint(0, 19)
        return rec, cal.add_working_days(TODAY, left) if left else TODAY
    rec = cal.subtract_working_days(TODAY, rng.randint(21, 25))
    return rec, cal.add_working_days(rec, 20)


def settings_for(url: str, port: int, out: Path):  # type: ignore[no-untyped-def]
    from disclosure.settings import load_settings

    return load_settings(
        None,
        database={"url": url},
        departments=DEPTS,
        smtp={"host": "127.0.0.1", "port": port, "security": "none"},
        notifier={"office_recipients": OFFICE, "leaders": LEADERS, "outbox_dir": str(out)},
    )


def populate(url: str, n: int, out: Path, people: bool = False) -> float:
    from sqlalchemy import insert, select

    from disclosure.db import make_engine, transaction
    from disclosure.models import Application, Department, EventRecord, User
    from disclosure.services.numbering import raise_counter
    from disclosure.services.office import load_office
    from disclosure.services.registration import APPLICATION_SERIES
    from disclosure.services.setup import ensure_database

    settings = settings_for(url, 25, out)
    engine = make_engine(settings)
    t0 = time.perf_counter()
    try:
        ensure_database(engine, settings)
        with transaction(engine) as s:
            cal = load_office(s, settings).calendar
            dep_ids = [d.id for d in s.exec(select(Department)).scalars()]  # type: ignore[call-overload]
            if people:
                s.execute(insert(User), [
                    {"id": 1000 + h, "username": f"h{h:03d}", "password_hash": "-",
                     "role": "clerk", "display_name": f"承办人{h}", "active": True,
                     "created_at": NOW, "email": f"h{h:03d}@example.gov.cn"}
                    for h in range(HANDLERS)
                ])  # fmt: skip
        rng = random.Random(4)
        batch = 10_000
        for start in range(0, n, batch):
            apps, events = [], []
            for i in range(start, min(start + batch, n)):
                rec, due = realistic_dates(cal, rng)
                notice = cal.add_working_days(rec, 7)
                target = cal.subtract_working_days(due, 5)
                apps.append(
                    {
                        "id": i + 1, "number": f"2026-{i + 1:06d}", "year": 2026, "seq": i + 1,
                        "channel": "in_person", "arrived_on": rec, "received_on": rec,
                        "applicant_name": "张三", "applicant_type": "natural",
                        "email": "", "phone": "13800138000", "address": "某路1号",
                        "id_number": "", "content": CONTENTS[i % len(CONTENTS)].format(i=i),
                        "form_wanted": "", "case_type": "",
                        "cooperating": [DEPTS[(i + 1) % 30]["code"]] if people and i % 10 == 0
                        else [],
                        "handler_id": 1000 + i % HANDLERS if people else None,
                        "lead_department_id": dep_ids[i % len(dep_ids)], "stage": "handling",
                        "is_open": True, "reply_due": due, "internal_target": target,
                        "correction_notice_due": notice,
                        "next_action_due": min(due, target, notice), "provisional": False,
                        "awaiting_correction": False, "created_at": NOW, "updated_at": NOW,
                        "created_by": "bench",
                    }
                )  # fmt: skip
                events.append(
                    {"application_id": i + 1, "kind": "received", "on": rec, "data": {},
                     "note": "", "actor": "bench", "recorded_at": NOW}
                )  # fmt: skip
            with transaction(engine) as s:
                s.execute(insert(Application), apps)
                s.execute(insert(EventRecord), events)
        with transaction(engine) as s:  # the number counter, as registration leaves it
            raise_counter(s, series=APPLICATION_SERIES, year=2026, to=n)
    finally:
        engine.dispose()
    return time.perf_counter() - t0


def scan_child(url: str, port: int, out: Path, profile: str | None, cpu: bool = False) -> None:
    from sqlalchemy import func, select

    from disclosure.db import make_engine, transaction
    from notifier import scan
    from notifier.models import OutboxItem

    settings = settings_for(url, port, out)
    engine = make_engine(settings)
    marks: dict[str, float] = {}
    real_collect = scan.collect

    def collect(*a, **kw):  # type: ignore[no-untyped-def]
        t, c = time.perf_counter(), time.process_time()
        n = real_collect(*a, **kw)
        marks["collect_s"] = time.perf_counter() - t
        marks["collect_cpu_s"] = time.process_time() - c
        marks["collect_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return n

    scan.collect = collect  # type: ignore[assignment]
    profiler = None
    if profile:
        import cProfile

        # --profile-cpu: the profile counts CPU time only (waiting for the disk, the SMTP
        # server or PostgreSQL is left out), comparable on a loaded machine
        profiler = cProfile.Profile(time.process_time) if cpu else cProfile.Profile()
        profiler.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = scan.run_once(engine, settings, now=NOW, today=TODAY)
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        with transaction(engine, write=False) as s:
            per = dict(
                s.execute(
                    select(OutboxItem.recipient, func.count()).group_by(OutboxItem.recipient)  # type: ignore[arg-type]
                ).all()
            )
    finally:
        engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dept = [v for k, v in per.items() if k not in OFFICE and k != LEADERS[0]["email"]]
    print(json.dumps({"scan_s": round(total, 2), "scan_cpu_s": round(cpu, 2),
                      "peak_rss_mb": round(peak, 1),
                      **{k: round(v, 2) for k, v in marks.items()},
                      "queued": result.queued, "sent": result.sent,
                      "messages": result.messages, "failed": result.failed,
                      "items_office": per.get(OFFICE[0], 0),
                      "items_leader": per.get(LEADERS[0]["email"], 0),
                      "items_per_department": [min(dept, default=0), max(dept, default=0)],
                      }))  # fmt: skip


class CountingHandler:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.largest = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages += 1
        self.bytes += len(envelope.content)
        self.largest = max(self.largest, len(envelope.content))
        return "250 OK"


ANCHOR = (
    "import random\n"
    "r = random.Random(1)\n"
    "rows = [(r.random(), str(i), i % 97) for i in range(1_500_000)]\n"
    "rows.sort()\n"
    "d = {}\n"
    "for a, b, c in rows:\n"
    "    d[b] = (c, a)\n"
)


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run `cmd`; its wall time, CPU time and peak RSS (from wait4), and its stdout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0,):
        raise SystemExit(f"{cmd[:3]} exited {proc.returncode}: {err.decode()[-2000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "stdout": out.decode()}  # fmt: skip


def anchor() -> dict:
    return timed([sys.executable, "-c", ANCHOR])


def run_cli(n: int, db_url: str | None, people: bool = False) -> dict:
    """The real `disclosure notify --once` against N applications, beside the anchor."""
    import socket

    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        setup_s = populate(url, n, Path(tmp) / "out", people)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        handler = CountingHandler()
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, data_size_limit=SMTP_SIZE_LIMIT
        )
        env = {
            **os.environ,
            "DISCLOSURE_DATABASE__URL": url,
            "DISCLOSURE_SMTP__HOST": "127.0.0.1",
            "DISCLOSURE_SMTP__PORT": str(port),
            "DISCLOSURE_SMTP__SECURITY": "none",
            "DISCLOSURE_NOTIFIER__OFFICE_RECIPIENTS": json.dumps(OFFICE),
            "DISCLOSURE_NOTIFIER__LEADERS": json.dumps(LEADERS),
            "DISCLOSURE_NOTIFIER__OUTBOX_DIR": str(Path(tmp) / "out"),
        }
        env.pop("DISCLOSURE_CONFIG", None)
        exe = str(Path(sys.executable).with_name("disclosure"))
        before = anchor()
        controller.start()
        try:
            scan = timed([exe, "notify", "--once", "--today", TODAY.isoformat(), "--json"], env)
        finally:
            controller.stop()
        after = anchor()
        result = json.loads(scan["stdout"])
        a_wall = (before["wall_s"] + after["wall_s"]) / 2
        a_cpu = (before["cpu_s"] + after["cpu_s"]) / 2
        return {
            "n": n, "insert_s": round(setup_s, 1), "command": "disclosure notify --once",
            "scan_s": round(scan["wall_s"], 2), "scan_cpu_s": round(scan["cpu_s"], 2),
            "peak_rss_mb": round(scan["rss_mb"], 1),
            "anchor_s": round(a_wall, 2), "anchor_cpu_s": round(a_cpu, 2),
            "scan_per_anchor": round(scan["wall_s"] / a_wall, 2),
            "scan_cpu_per_anchor": round(scan["cpu_s"] / a_cpu, 2),
            "sent": result["sent"], "messages": result["messages"], "failed": result["failed"],
            "smtp_messages": handler.messages,
            "largest_message_mb": round(handler.largest / 1e6, 2),
            "load_1min": round(os.getloadavg()[0], 1),
        }  # fmt: skip


def run(n: int, db_url: str | None, profile: str | None = None, cpu: bool = False) -> dict:
    import socket

    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        setup_s = populate(url, n, Path(tmp) / "out")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        handler = CountingHandler()
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, data_size_limit=SMTP_SIZE_LIMIT
        )
        controller.start()
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--child", url, "--port", str(port), "--out", tmp]
                + (["--profile", profile] if profile else [])
                + (["--profile-cpu"] if cpu else []),
                capture_output=True, text=True, check=True,
            )  # fmt: skip
        finally:
            controller.stop()
        out = json.loads(child.stdout.strip().splitlines()[-1])
        return {"n": n, "insert_s": round(setup_s, 1), **out, "smtp_messages": handler.messages,
                "largest_message_mb": round(handler.largest / 1e6, 2)}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, action="append")
    p.add_argument("--db-url")
    p.add_argument("--child")
    p.add_argument("--port", type=int)
    p.add_argument("--out")
    p.add_argument("--profile", help="write a cProfile of the scan to this file (in-process)")
    p.add_argument("--profile-cpu", action="store_true", help="--profile counts CPU time only")
    p.add_argument("--people", action="store_true", help="handlers and cooperating departments")
    p.add_argument("--inprocess", action="store_true", help="run_once in a child, not the CLI")
    a = p.parse_args()
    if a.child:
        scan_child(a.child, a.port, Path(a.out) / "out", a.profile, a.profile_cpu)
        return
    for n in a.n or [10_000, 100_000]:
        cli = not (a.inprocess or a.profile)
        out = run_cli(n, a.db_url, a.people) if cli else run(n, a.db_url, a.profile, a.profile_cpu)
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
