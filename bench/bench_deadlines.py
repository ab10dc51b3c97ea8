"""Benchmark: the deadline engine per due date and per application, as ratios to anchors.

Run: .venv/bin/python bench/bench_deadlines.py [--n 200000] [--seed 2026] [--repeat 5]

Every figure is printed beside an anchor measured in the same run on the same data, so that
a loaded or different machine gives comparable ratios (issue 19):

- per due date: `WorkingCalendar.add_working_days(start, 20)` against a plain loop over a
  set of days off (the naive reference) and `chinese_calendar.find_workday`;
- per application: `rules.engine.compute` on a seven-event application (receipt,
  consultation sent and answered, fee notice and payment, extension, reply) against the same
  call of the engine as it was before issue 19 (commit `LEGACY_COMMIT`, loaded from git), and
  against one `find_workday` call; also `compute` plus the stored columns the product writes
  in a recompute (`disclosure.services.deadlines.columns`), and the explanation, built only
  when shown.

Starts are uniformly random days of 2025-01-01..2026-10-31 (official notices; find_workday
has no 2027). Both engines must give the same reply date for every application (checked).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

from disclosure.services.deadlines import columns
from rules.builtin import builtin_schedule_resource
from rules.calendar import WorkingCalendar
from rules.engine import compute
from rules.events import Event, EventKind
from rules.explain import explain
from rules.schedule import parse_notices

DAYS = 20  # Reg. Art. 33 ¶2
FIRST, LAST = date(2025, 1, 1), date(2026, 10, 31)
LEGACY_COMMIT = "a02f6df"  # the engine measured by issue 19 (52–62 µs per seven events)
TARGETS = {
    "apps_per_s": 200_000.0,
    "vs_legacy": 10.0,
    "vs_find_workday": 200.0,
}
K = EventKind


def days_off(calendar: WorkingCalendar) -> set[date]:
    """Every non-working day in range, as a plain set (the naive reference's only data)."""
    d, out = calendar.first_day, set()
    while d <= calendar.last_day:
        if not calendar.is_working_day(d):
            out.add(d)
        d += timedelta(days=1)
    return out


def naive_add(off: set[date], start: date, n: int) -> date:
    """The plain loop: step one day at a time, count the days not in the set of days off."""
    day, counted = start, 0
    one = timedelta(days=1)
    while counted < n:
        day += one
        if day not in off:
            counted += 1
    return day


def seven_events(r: date) -> list[Event]:
    """A seven-event application received on `r` (letters served the day they are sent, so
    that the engine before served dates counts the same periods)."""

    def at(days: int) -> date:
        return r + timedelta(days=days)

    return [
        Event(K.RECEIVED, r),
        Event(K.CONSULTATION_SENT, at(7), party="甲公司", served=at(7)),
        Event(K.CONSULTATION_ANSWERED, at(11), party="甲公司"),
        Event(K.FEE_NOTICE_SENT, at(14), served=at(14)),
        Event(K.FEE_PAID, at(16)),
        Event(K.EXTENSION_GRANTED, at(23), days=10, approver="李主任"),
        Event(K.REPLIED, at(49)),
    ]


def load_legacy(commit: str) -> types.ModuleType:
    """`rules/engine.py` and `rules/calendar.py` as they were at `commit`, from git."""
    root = Path(__file__).resolve().parents[1]

    def source(path: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), "show", f"{commit}:{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    mods = {}
    for name, path in (
        ("legacy_calendar", "rules/calendar.py"),
        ("legacy_engine", "rules/engine.py"),
    ):
        mod = types.ModuleType(name)
        sys.modules[name] = mod
        text = source(path).replace("from rules.calendar import", "from legacy_calendar import")
        exec(compile(text, f"{commit}:{path}", "exec"), mod.__dict__)
        mods[name] = mod
    return mods["legacy_engine"]


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of `repeat` runs in seconds.

    The garbage collector is off while timing (as in `timeit`), so that no method is charged
    for collections that other objects trigger.
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
    return best


def per_item_us(fn: Callable[[Any], object], items: list[Any], repeat: int) -> float:
    """Best µs per item of `fn` over `items`; results are dropped as they come (as a
    recompute keeps only what it stores), so memory stays flat."""

    def run() -> None:
        for item in items:
            fn(item)

    return timed(run, repeat) / len(items) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="applications / due dates")
    parser.add_argument("--find-workday-sample", type=int, default=1_000)
    parser.add_argument("--legacy-sample", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rep = args.repeat

    rng = random.Random(args.seed)
    span = (LAST - FIRST).days + 1
    starts = [FIRST + timedelta(days=rng.randrange(span)) for _ in range(args.n)]
    notices = parse_notices(builtin_schedule_resource().read_text("utf-8"))
    calendar = WorkingCalendar(notices)
    legacy = load_legacy(LEGACY_COMMIT)
    old_calendar = sys.modules["legacy_calendar"].WorkingCalendar(notices)
    off = days_off(calendar)
    apps = [seven_events(r) for r in starts]
    load = os.getloadavg()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs,")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; best of {rep} runs each")
    print(f"{args.n:,} random starts {FIRST}..{LAST}\n")

    # -- per due date ------------------------------------------------------------------------
    add_us = per_item_us(lambda s: calendar.add_working_days(s, DAYS), starts, rep)
    nv = starts[: args.naive_sample]
    nv_us = per_item_us(lambda s: naive_add(off, s, DAYS), nv, rep)
    fw = starts[: args.find_workday_sample]
    fw_us = per_item_us(lambda s: chinese_calendar.find_workday(DAYS, s), fw, max(1, rep // 2))
    for s in nv[:5_000]:
        assert naive_add(off, s, DAYS) == calendar.add_working_days(s, DAYS), "naive disagrees"

    # -- per application ---------------------------------------------------------------------
    new_us = per_item_us(lambda a: compute(a, calendar), apps, rep)
    one_us = per_item_us(lambda a: compute(a[:1], calendar), apps, rep)
    col_us = per_item_us(lambda a: columns(compute(a, calendar)), apps, rep)
    old_apps = apps[: args.legacy_sample]
    old_us = per_item_us(lambda a: legacy.compute(a, old_calendar), old_apps, rep)
    for a in old_apps[:5_000]:
        new, old = compute(a, calendar), legacy.compute(a, old_calendar)
        assert new.reply_due == old.reply_due, "the engine and its predecessor disagree"
    sample = apps[:1_000]
    ex_us = per_item_us(lambda a: explain(compute(a, calendar)), sample, 1)

    rows = [
        ("add_working_days(start, 20)", add_us, "measured on all starts"),
        ("naive loop over a set of days off", nv_us, f"sample of {len(nv):,}"),
        ("chinese_calendar.find_workday", fw_us, f"sample of {len(fw):,}"),
        ("compute: receipt only (incl. slicing the list)", one_us, "measured on all"),
        ("compute: seven events", new_us, "measured on all"),
        ("compute + stored columns", col_us, "services.deadlines.columns"),
        (f"compute before issue 19 ({LEGACY_COMMIT})", old_us, f"sample of {len(old_apps):,}"),
        ("compute + explanation (when shown)", ex_us, f"sample of {len(sample):,}"),
    ]
    print(f"{'what':42} {'µs each':>10}  basis")
    for name, us, basis in rows:
        print(f"{name:42} {us:10.3f}  {basis}")
    print()
    checks = [
        ("seven-event applications per second", 1e6 / new_us, TARGETS["apps_per_s"], "/s"),
        ("compute vs compute before issue 19", old_us / new_us, TARGETS["vs_legacy"], "x"),
        ("find_workday call vs compute", fw_us / new_us, TARGETS["vs_find_workday"], "x"),
        ("find_workday call vs compute + columns", fw_us / col_us, None, "x"),
        ("naive set loop vs add_working_days", nv_us / add_us, None, "x"),
        ("find_workday vs add_working_days", fw_us / add_us, None, "x"),
    ]
    for label, value, target, unit in checks:
        verdict = (
            ""
            if target is None
            else (f"  (target >= {target:,.0f}{unit}: {'met' if value >= target else 'MISSED'})")
        )
        print(f"{label:40} {value:14,.1f}{unit}{verdict}")


if __name__ == "__main__":
    main()
