"""The daemon's wiring: cron in Asia/Shanghai, coalesced, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from disclosure.db import make_engine
from notifier.outbox import CLAIM_LEASE
from notifier.scheduler import CATCH_UP_DELAY, build_scheduler
from tests.conftest import base_settings


def test_jobs_at_run_times_in_shanghai(tmp_path: Path):
    settings = base_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'x.db'}",
        notifier={"run_times": ["08:30", "16:00"]},
    )
    engine = make_engine(settings)
    try:
        early = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai: nothing to catch up
        scheduler = build_scheduler(settings, engine, background=True, now=early)
        scheduler.start(paused=True)
        try:
            jobs = sorted(scheduler.get_jobs(), key=lambda j: j.id)
            # the reminder runs, the retry loop, and webhook delivery (issue 21)
            assert [j.id for j in jobs] == [
                "notify-0830",
                "notify-1600",
                "notify-retry",
                "webhooks",
            ]
            assert all(j.coalesce and j.misfire_grace_time is None for j in jobs[:2])
            assert jobs[2].trigger.interval.total_seconds() == 60 and jobs[2].coalesce
            after = datetime(2026, 3, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
            nxt = jobs[0].trigger.get_next_fire_time(None, after)
            assert nxt.astimezone(UTC) == datetime(2026, 3, 24, 0, 30, tzinfo=UTC)
        finally:
            scheduler.shutdown(wait=False)
    finally:
        engine.dispose()


def test_daemon_stops_cleanly_on_sigterm(tmp_path: Path):
    env = {**os.environ, "DISCLOSURE_DATABASE__URL": f"sqlite:///{tmp_path / 'd.db'}"}
    env.pop("DISCLOSURE_CONFIG", None)
    exe = str(Path(sys.executable).with_name("disclosure"))
    proc = subprocess.Popen(
        [exe, "notify"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        line = b""
        while b"\n" not in line and time.monotonic() < deadline:
            line += proc.stdout.read1(1024)  # type: ignore[union-attr]
        assert "期限提醒已启动" in line.decode()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert "期限提醒已停止" in (line + out).decode()


def test_a_service_started_after_a_run_time_catches_up_once(tmp_path: Path):
    settings = base_settings(
        tmp_path, f"sqlite:///{tmp_path / 'x.db'}", notifier={"run_times": ["08:30", "16:00"]}
    )
    engine = make_engine(settings)
    try:
        cases = (
            (datetime(2026, 3, 23, 0, 0, tzinfo=UTC), False),  # 08:00 in Shanghai
            (datetime(2026, 3, 23, 1, 0, tzinfo=UTC), True),  # 09:00
            (datetime(2026, 3, 23, 9, 0, tzinfo=UTC), True),  # 17:00
            (datetime(2026, 3, 23, 7, 59, 57, tzinfo=UTC), False),  # 16:00 is 3 s away
        )
        for now, expect_catch_up in cases:
            scheduler = build_scheduler(settings, engine, background=True, now=now)
            scheduler.start(paused=True)
            try:
                job = scheduler.get_job("notify-catch-up")
                later = scheduler.get_job("notify-catch-up-lease")
                assert (job is not None) == (later is not None) == expect_catch_up, now
                if job is not None and later is not None:
                    assert job.next_run_time.astimezone(UTC) == now + CATCH_UP_DELAY
                    assert later.next_run_time.astimezone(UTC) > now + CLAIM_LEASE
            finally:
                scheduler.shutdown(wait=False)
    finally:
        engine.dispose()
