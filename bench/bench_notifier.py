"""Benchmark: one notifier scan over N open applications (30 departments) to a local SMTP.

    python bench/bench_notifier.py                 # N = 10,000 and 100,000 on SQLite
    python bench/bench_notifier.py --n 100000 --db-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Rows are inserted with bulk Core inserts (not through the services). The scan runs in a child
process so that its peak RSS (ru_maxrss) is its own; `collect_rss_mb` is the RSS right after
the queueing phase (which reads the applications), `peak_rss_mb` includes rendering digests.
"""

from __future__ import annotations

import argparse
import json
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


def settings_for(url: str, port: int, out: Path):  # type: ignore[no-untyped-def]
    from disclosure.settings import load_settings

    return load_settings(
        None,
        database={"url": url},
        departments=DEPTS,
        smtp={"host": "127.0.0.1", "port": port, "security": "none"},
        notifier={"office_recipients": ["office@example.gov.cn"], "outbox_dir": str(out)},
    )


def populate(url: str, n: int, out: Path) -> float:
    from sqlalchemy import insert, select

    from disclosure.db import make_engine, transaction
    from disclosure.models import Application, Department, EventRecord
    from disclosure.services.office import load_office
    from disclosure.services.setup import ensure_database

    settings = settings_for(url, 25, out)
    engine = make_engine(settings)
    t0 = time.perf_counter()
    try:
        ensure_database(engine, settings)
        with transaction(engine) as s:
            cal = load_office(s, settings).calendar
            dep_ids = [d.id for d in s.exec(select(Department)).scalars()]  # type: ignore[call-overload]
        # Receipts spread over the 30 working days before today: due dates from 10 working
        # days overdue to 20 ahead, as in a busy office.
        days = [cal.subtract_working_days(TODAY, k) for k in range(30, 0, -1)]
        batch = 10_000
        for start in range(0, n, batch):
            apps, events = [], []
            for i in range(start, min(start + batch, n)):
                rec = days[i % len(days)]
                due = cal.add_working_days(rec, 20)
                notice = cal.add_working_days(rec, 7)
                target = cal.subtract_working_days(due, 5)
                apps.append(
                    {
                        "id": i + 1, "number": f"2026-{i + 1:06d}", "year": 2026, "seq": i + 1,
                        "channel": "in_person", "arrived_on": rec, "received_on": rec,
                        "applicant_name": "张三", "applicant_type": "natural",
                        "email": "", "phone": "13800138000", "address": "某路1号",
                        "id_number": "", "content": f"申请公开第{i}号项目的环境影响评价文件",
                        "form_wanted": "", "case_type": "", "cooperating": [],
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
    finally:
        engine.dispose()
    return time.perf_counter() - t0


def scan_child(url: str, port: int, out: Path) -> None:
    from disclosure.db import make_engine
    from notifier import scan

    settings = settings_for(url, port, out)
    engine = make_engine(settings)
    marks: dict[str, float] = {}
    real_collect = scan.collect

    def collect(*a, **kw):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        n = real_collect(*a, **kw)
        marks["collect_s"] = time.perf_counter() - t
        marks["collect_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return n

    scan.collect = collect  # type: ignore[assignment]
    t0 = time.perf_counter()
    try:
        result = scan.run_once(engine, settings, now=NOW, today=TODAY)
    finally:
        engine.dispose()
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"scan_s": round(total, 2), "peak_rss_mb": round(peak, 1),
                      **{k: round(v, 2) for k, v in marks.items()},
                      "queued": result.queued, "sent": result.sent,
                      "messages": result.messages, "failed": result.failed}))  # fmt: skip


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


def run(n: int, db_url: str | None) -> dict:
    import socket

    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{tmp}/bench.db"
        setup_s = populate(url, n, Path(tmp) / "out")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        handler = CountingHandler()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--child", url, "--port", str(port), "--out", tmp],
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
    a = p.parse_args()
    if a.child:
        scan_child(a.child, a.port, Path(a.out) / "out")
        return
    for n in a.n or [10_000, 100_000]:
        print(json.dumps(run(n, a.db_url), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
