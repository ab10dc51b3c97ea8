"""Benchmark: loading next year's holiday notice with many open applications (issue 19 #3).

    .venv/bin/python bench/bench_calendar_load.py [--n 10000 100000] [--db sqlite postgres]

For each size and database: a fresh database gets `n` open applications with a realistic mix
of events (receipt; assignment; extensions, consultations, fee notices, corrections, pauses,
Art. 35 deadlines, some answered or paid), their stored deadlines computed by the engine with
the shipped calendar (2027 provisional). Then, each in a fresh child process (so its peak RSS
is its own):

- baseline: imports, a connection and the notice rows (the floor of the peak RSS);
- anchor: the recompute's own batched reads (`notices.reads`: open applications, their engine
  events and letters, on the driver's cursor), nothing computed — what it has to read;
- preview: `calendar load --dry-run` as the service runs it (plan + recompute, no writes);
- load: the same, written (changed rows, the new calendar_version), committed;
- revert: `calendar revert 2027 --to 0`, committed;
- engine: the load's time inside `compute_events` (the engine), measured in the preview
  child by wrapping it, with and without the per-batch memo of identical histories.

The 2027 notice is FICTIONAL test data (1-04 off, Sat 1-16 worked: most deadlines that run
through early January move by a working day). Ratios are to the anchor of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_register import _engine, fresh_database
from sqlalchemy import insert

from disclosure.db import transaction
from disclosure.models import Application, EventRecord
from disclosure.notices import reads, service
from disclosure.notices import recompute as recompute_mod
from disclosure.services.deadlines import columns, compute_events
from disclosure.services.office import Office, load_office
from disclosure.settings import Settings, load_settings
from rules.events import Event, EventKind

TODAY = date(2026, 12, 21)  # a Monday
NOW = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)
NOTICE = (Path(__file__).resolve().parent.parent / "tests" / "notices" / "data.py").read_text()
NOTICE_2027 = NOTICE.split('FICTIONAL_2027 = """', 1)[1].split('"""', 1)[0]
DEPARTMENTS = [{"code": "bgs", "name": "办公室"}, {"code": "hpc", "name": "环评处"}]


# -- building the register ---------------------------------------------------------------------
def _events(rnd: random.Random, office: Office, received: date) -> list[Event]:
    """A plausible history of one open application up to TODAY (valid for the engine)."""
    cal = office.calendar
    evs = [Event(EventKind.RECEIVED, received)]
    horizon = [
        date.fromordinal(o)
        for o in cal.working_ordinals
        if received.toordinal() < o <= TODAY.toordinal()
    ]
    if not horizon:
        return evs
    r = rnd.random()
    pick = lambda: rnd.choice(horizon)  # noqa: E731
    if r < 0.06:  # correction requested within 7 working days; half corrected
        on = horizon[min(len(horizon) - 1, rnd.randint(0, 6))]
        evs.append(Event(EventKind.CORRECTION_REQUESTED, on, served=on))  # handed over
        later = [d for d in horizon if d > on]
        if later and rnd.random() < 0.5:
            evs.append(Event(EventKind.CORRECTION_RECEIVED, rnd.choice(later)))
    elif r < 0.16:  # consultation; half answered
        on, party = pick(), f"第三方{rnd.randint(1, 40)}"
        evs.append(Event(EventKind.CONSULTATION_SENT, on, party=party, served=on))
        later = [d for d in horizon if d > on]
        if later and rnd.random() < 0.5:
            evs.append(Event(EventKind.CONSULTATION_ANSWERED, rnd.choice(later), party=party))
    elif r < 0.24:  # fee notice; half paid
        on = pick()
        evs.append(Event(EventKind.FEE_NOTICE_SENT, on, served=on))
        lapse = cal.add_working_days(on, 20)  # paid within the period (Fees art. 7)
        later = [d for d in horizon if on < d <= lapse]
        if later and rnd.random() < 0.5:
            evs.append(Event(EventKind.FEE_PAID, rnd.choice(later)))
    elif r < 0.40:  # an extension on or before the due date
        due = cal.add_working_days(received, 20)
        days = [d for d in horizon if d <= due]
        if days:
            evs.append(
                Event(
                    EventKind.EXTENSION_GRANTED,
                    rnd.choice(days),
                    days=rnd.randint(5, 20),
                    approver="主任",
                )
            )
    elif r < 0.42:  # a manual pause
        on = pick()
        evs.append(
            Event(EventKind.PAUSE, on, end=date.fromordinal(on.toordinal() + 3), note="暂停")
        )
    elif r < 0.43:  # Art. 35: a later deadline, decided before the statutory one expires
        due = cal.add_working_days(received, 20)
        days = [d for d in horizon if d <= due]
        if days:
            evs.append(Event(EventKind.DEFERRED, rnd.choice(days), due=date(2027, 2, 26)))
    return evs


def _rows(n: int, office: Office, seed: int) -> Iterator[tuple[dict[str, Any], list[Event]]]:
    rnd = random.Random(seed)
    recent = [o for o in office.calendar.working_ordinals if o <= TODAY.toordinal()][-45:]
    for i in range(n):
        received = date.fromordinal(rnd.choice(recent))
        events = _events(rnd, office, received)
        d = compute_events("", events, office)
        row = {
            "number": f"{received.year}-{i + 1:07d}",
            "year": received.year,
            "seq": i + 1,
            "channel": "in_person",
            "arrived_on": received,
            "received_on": received,
            "applicant_name": f"申请人{i}",
            "applicant_type": "natural",
            "email": "",
            "phone": "",
            "address": "",
            "id_number": "",
            "content": "请求公开某项目环境影响评价批复",
            "form_wanted": "",
            "case_type": "",
            "lead_department_id": None,
            "cooperating": [],
            "stage": "handling",
            "outcome": None,
            "created_at": NOW,
            "updated_at": NOW,
            "created_by": "bench",
            **columns(d),
        }
        yield row, events


def build(settings: Settings, n: int, seed: int) -> None:
    engine = _engine(settings)
    app_t, ev_t = Application.__table__, EventRecord.__table__  # type: ignore[attr-defined]
    with transaction(engine, write=False) as session:
        office = load_office(session, settings)
    chunk: list[tuple[dict[str, Any], list[Event]]] = []

    def flush() -> None:
        with transaction(engine) as session:
            conn = session.connection()
            ids = conn.execute(
                insert(app_t).returning(app_t.c.id, app_t.c.number), [r for r, _ in chunk]
            ).all()
            by_number = {number: i for i, number in ids}
            evs: list[dict[str, Any]] = []
            for row, events in chunk:
                aid = by_number[row["number"]]
                evs.append(_event(aid, "registered", row["received_on"]))
                evs.append(_event(aid, "assigned", row["received_on"], note="分办"))
                for e in events:
                    evs.append(
                        _event(
                            aid, e.kind.value, e.on, end_on=e.end, due_on=e.due,
                            days=e.days, party=e.party, approver=e.approver, note=e.note,
                        )
                    )  # fmt: skip
            conn.execute(insert(ev_t), evs)
        chunk.clear()

    for item in _rows(n, office, seed):
        chunk.append(item)
        if len(chunk) >= 5000:
            flush()
    if chunk:
        flush()
    if engine.dialect.name == "postgresql":
        # As autovacuum leaves an office's database: without it the first statements after a
        # bulk load also set every page's hint bits and visibility (writes that a database in
        # use does not make), and autovacuum may start in the middle of a measured step.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _event(aid: int, kind: str, on: date, **kw: Any) -> dict[str, Any]:
    base = {
        "application_id": aid, "kind": kind, "on": on, "end_on": None, "due_on": None,
        "days": None, "party": None, "approver": None, "outcome": None, "amount_yuan": None,
        "data": {}, "note": "", "actor": "bench", "recorded_at": NOW,
    }  # fmt: skip
    base.update({k: v for k, v in kw.items() if v is not None})
    return base


# -- measured steps (each in a child process) ----------------------------------------------------
def child(step: str, url: str, memo: bool) -> dict[str, Any]:
    settings = load_settings(None, database={"url": url}, departments=DEPARTMENTS)
    engine = _engine(settings)
    recompute_mod._Engine.memo = memo
    engine_time = [0.0]
    if step == "preview":
        inner = recompute_mod.compute_events

        def timed(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                engine_time[0] += time.perf_counter() - t

        recompute_mod.compute_events = timed  # type: ignore[assignment]
    out: dict[str, Any] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    if step == "baseline":  # imports, connection, one query: the floor of peak RSS
        with transaction(engine, write=False) as session:
            load_office(session, settings)
        out.update(rows=0, events=0)
    elif step == "anchor":  # exactly the reads of the recompute, nothing computed
        rows = events = 0
        with transaction(engine, write=False) as session:
            stored = recompute_mod._stored_columns(load_office(session, settings))
            for batch in reads.Reader(session.connection(), stored, reads.BATCH):
                rows += len(batch.rows)
                events += sum(len(h) for h in batch.events.values())
        out.update(rows=rows, events=events)
    elif step in ("preview", "load"):
        with transaction(engine, write=step == "load") as session:
            plan = service.plan_load(
                session, settings=settings, raw=NOTICE_2027.encode(), source_name="bench.toml",
                today=TODAY,
            )  # fmt: skip
            if step == "preview":
                report = service.preview(session, plan)
            else:
                report = service.apply(session, plan, actor="bench", now=NOW)
        out.update(_counts(report))
    elif step == "revert":
        with transaction(engine) as session:
            plan = service.plan_revert(session, settings=settings, year=2027, to=0)
            report = service.apply(session, plan, actor="bench", now=NOW)
        out.update(_counts(report))
    out["wall"] = time.perf_counter() - wall
    out["cpu"] = time.process_time() - cpu
    out["engine"] = engine_time[0]
    out["rss_mib"] = _peak_rss_mib()
    engine.dispose()
    return out


def _peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM: per address space, so not the parent's before exec,
    which `ru_maxrss` would report)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _counts(report: service.Report) -> dict[str, Any]:
    r = report.result
    return {"recomputed": r.recomputed, "changed": r.changed, "moved": len(r.moved)}


def run_child(step: str, url: str, memo: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", step, "--url", url]
    if not memo:
        cmd.append("--no-memo")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--no-memo", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url, not args.no_memo)))
        return
    print(f"calendar load: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, today={TODAY}")
    for kind in args.db:
        for n in args.n:
            with fresh_database(kind) as settings:
                t = time.perf_counter()
                build(settings, n, args.seed)
                url = settings.database.url
                print(f"[{kind} n={n:,}] built in {time.perf_counter() - t:.0f} s")
                anchor = run_child("anchor", url)
                steps = [
                    ("baseline (import, connect)", run_child("baseline", url)),
                    ("anchor (bare batched read)", anchor),
                    ("preview (dry run)", run_child("preview", url)),
                    ("preview, no memo", run_child("preview", url, memo=False)),
                    ("load (written)", run_child("load", url)),
                    ("revert to 0 (written)", run_child("revert", url)),
                ]
                for label, r in steps:
                    print(f"  {label:28} {_line(r, anchor)}")


def _line(r: dict[str, Any], anchor: dict[str, Any]) -> str:
    out = (
        f"wall {r['wall']:6.2f} s ({r['wall'] / anchor['wall']:5.1f}× anchor)"
        f"  cpu {r['cpu']:6.2f} s  peak RSS {r['rss_mib']:6.0f} MiB"
    )
    if "recomputed" in r:
        out += f"; recomputed {r['recomputed']:,}, changed {r['changed']:,}"
        out += f", moved clocks {r['moved']:,}"
    else:
        out += f"; {r['rows']:,} applications, {r['events']:,} engine events"
    if r.get("engine"):
        out += f"; engine {r['engine']:.2f} s ({r['engine'] / r['wall']:.0%} of wall)"
    return out


if __name__ == "__main__":
    main()
