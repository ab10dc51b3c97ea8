"""Benchmark: 1,000,000 reply due dates (20 working days) with the deadline engine.

Run: .venv/bin/python bench/bench_deadlines.py [--n 1000000] [--seed 2026]

Compares, per due date, `WorkingCalendar.add_working_days(start, 20)` with
`chinese_calendar.find_workday(20, start)` and a naive day-by-day loop (both timed on a sample
and extrapolated), and times the numpy bulk path (`rules.bulk.BulkCounter`) on all starts at
once. Starts are uniformly random days of 2019–2026.

`find_workday` follows a different convention (it first moves a non-working start forward,
then adds n); it is only timed here, not compared date by date. It has no data for 2027, so its
sample is drawn from starts up to 2026-11-30.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import chinese_calendar
import numpy as np

from rules.builtin import builtin_schedule_resource
from rules.bulk import BulkCounter
from rules.calendar import WorkingCalendar
from rules.schedule import parse_notices

DAYS = 20  # Reg. Art. 33 ¶2
FIRST, LAST = date(2019, 1, 1), date(2026, 12, 31)
FIND_WORKDAY_LAST_START = date(2026, 11, 30)
T = TypeVar("T")
TARGETS = {"find_workday": 500.0, "naive": 20.0, "bulk_per_s": 1_000_000.0}


def naive_add(calendar: WorkingCalendar, start: date, n: int) -> date:
    """The reference loop: step one day at a time and count working days."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Best wall time of `repeat` runs in seconds (every method gets the same best-of-3), and
    the result of the last run."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="due dates to compute")
    parser.add_argument("--find-workday-sample", type=int, default=2_000)
    parser.add_argument("--naive-sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    span = (LAST - FIRST).days + 1
    starts = [FIRST + timedelta(days=rng.randrange(span)) for _ in range(args.n)]

    t0 = time.perf_counter()
    calendar = WorkingCalendar(parse_notices(builtin_schedule_resource().read_text("utf-8")))
    build_s = time.perf_counter() - t0
    add = calendar.add_working_days

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"calendar build (2019–{calendar.last_year}): {build_s * 1e3:.1f} ms")
    print(f"{args.n:,} random starts {FIRST}..{LAST}, {DAYS} working days each\n")

    # 1. The engine, one date at a time, all starts.
    engine_s, results = timed(lambda: [add(s, DAYS) for s in starts])
    engine_us = engine_s / args.n * 1e6

    # 2. chinese_calendar.find_workday on a sample.
    # chinese_calendar has no 2027 (it raises), so its sample keeps due dates inside 2026.
    fw_sample = [s for s in starts if s <= FIND_WORKDAY_LAST_START][: args.find_workday_sample]
    fw_s, _ = timed(lambda: [chinese_calendar.find_workday(DAYS, s) for s in fw_sample])
    fw_us = fw_s / len(fw_sample) * 1e6

    # 3. The naive loop on a sample (checked against the engine).
    nv_sample = starts[: args.naive_sample]
    nv_s, nv_results = timed(lambda: [naive_add(calendar, s, DAYS) for s in nv_sample])
    nv_us = nv_s / len(nv_sample) * 1e6
    assert nv_results == results[: len(nv_sample)], "naive loop and engine disagree"

    # 4. The numpy bulk path, all starts at once (checked against the engine).
    t0 = time.perf_counter()
    bulk = BulkCounter(calendar)
    bulk_build_s = time.perf_counter() - t0
    arr = np.array(starts, dtype="datetime64[D]")
    bulk_s, due = timed(lambda: bulk.add_working_days(arr, DAYS))
    bulk_per_s = args.n / bulk_s
    assert (due == np.array(results, dtype="datetime64[D]")).all(), "bulk and engine disagree"

    fw_ratio, nv_ratio = fw_us / engine_us, nv_us / engine_us
    rows = [
        ("add_working_days (bisect)", engine_us, engine_s, f"{args.n:,} measured"),
        (
            "chinese_calendar.find_workday",
            fw_us,
            fw_us * args.n / 1e6,
            f"sample of {len(fw_sample):,}, extrapolated",
        ),
        (
            "naive day-by-day loop",
            nv_us,
            nv_us * args.n / 1e6,
            f"sample of {len(nv_sample):,}, extrapolated",
        ),
        ("BulkCounter (numpy)", bulk_s / args.n * 1e6, bulk_s, f"{args.n:,} at once"),
    ]
    print(f"{'method':32} {'µs/date':>10} {'s per 1M':>10}  basis")
    for name, us, total, basis in rows:
        scaled = total * 1_000_000 / args.n
        print(f"{name:32} {us:10.3f} {scaled:10.2f}  {basis}")
    print()
    print(f"BulkCounter build: {bulk_build_s * 1e3:.1f} ms; {bulk_per_s:,.0f} due dates/s")
    checks = [
        ("speed-up vs find_workday", fw_ratio, TARGETS["find_workday"], "x"),
        ("speed-up vs naive loop", nv_ratio, TARGETS["naive"], "x"),
        ("bulk due dates per second", bulk_per_s, TARGETS["bulk_per_s"], "/s"),
    ]
    for label, value, target, unit in checks:
        verdict = "met" if value >= target else "MISSED"
        print(f"{label:28} {value:14,.1f}{unit}  (target >= {target:,.0f}{unit}: {verdict})")


if __name__ == "__main__":
    main()
