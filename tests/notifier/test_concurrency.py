"""Two notifier processes at the same moment: every reminder is sent exactly once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from notifier.models import OutboxItem
from tests.conftest import base_settings
from tests.notifier.conftest import digest_lines, register, text_of

LINE = re.compile(r"^(\S+)　(\S+)：")


def test_two_processes_send_each_reminder_once(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(tmp_path, db_url)
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        for i in range(40):
            register(
                engine,
                settings,
                received=date(2026, 3, 2),
                department="zcfg" if i % 2 else "hbc",
                content=f"第{i}号申请内容",
            )
    finally:
        engine.dispose()
    env = {
        **os.environ,
        "DISCLOSURE_DATABASE__URL": db_url,
        "DISCLOSURE_SMTP__HOST": "127.0.0.1",
        "DISCLOSURE_SMTP__PORT": str(smtp_server.port),
        "DISCLOSURE_SMTP__SECURITY": "none",
        "DISCLOSURE_NOTIFIER__OFFICE_RECIPIENTS": '["office@example.gov.cn"]',
    }
    env.pop("DISCLOSURE_CONFIG", None)
    cmd = [str(Path(sys.executable).with_name("disclosure")), "notify", "--once", "--today",
           "2026-03-23", "--json"]  # fmt: skip
    procs = [
        subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        outs.append(json.loads(out))
    # 40 cases × (reply ahead:5, internal target due) × (office + department) = 160 reminders
    assert sum(o["sent"] for o in outs) == 160
    assert sum(o["queued"] for o in outs) == 160
    seen = Counter()
    for msg in smtp_server.handler.messages:
        for line in digest_lines(text_of(msg)):
            number, clock = LINE.match(line).groups()  # type: ignore[union-attr]
            seen[(str(msg["To"]), number, clock)] += 1
    assert len(seen) == 160 and set(seen.values()) == {1}
    engine = make_engine(settings)
    try:
        with Session(engine) as s:
            stmt = select(OutboxItem.status, func.count()).group_by(OutboxItem.status)  # type: ignore[arg-type]
            statuses = dict(s.execute(stmt).all())
    finally:
        engine.dispose()
    assert statuses == {"sent": 160}
