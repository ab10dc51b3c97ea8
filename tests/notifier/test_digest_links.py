"""Each case row links to that case's page, in the HTML and in the plain-text part (a trial
user found only the list page, "/applications（按登记编号查找）", in the text)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from tests.conftest import base_settings
from tests.notifier.conftest import digest_lines, html_of, register, scans, text_of

OFFICE = "office@example.gov.cn"
BASE = "http://10.0.0.5:8000"


def test_each_case_links_to_its_own_page_in_both_parts(smtp_settings, smtp_server):
    """`[office] web_base_url` set: every row links to /applications/<number> (the web page
    of one application, disclosure/web/routes/applications.py `detail_page`)."""
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        a = register(engine, smtp_settings, received=date(2026, 3, 2), department="zcfg")
        b = register(engine, smtp_settings, received=date(2026, 3, 2), department="hbc")
        scans(engine, smtp_settings, date(2026, 3, 23))  # reply: 5 days left; target: due
    finally:
        engine.dispose()
    [msg] = smtp_server.by_recipient()[OFFICE]
    lines = text_of(msg).splitlines()
    html = html_of(msg)
    rows = 0
    for i, line in enumerate(lines):
        number = line.split("　")[0]
        if number in (a, b) and "　2026-03-" in line:
            rows += 1
            assert lines[i + 1] == f"　　{BASE}/applications/{number}", lines[i : i + 2]
    assert rows == 4  # two clocks for each case
    for number in (a, b):
        assert f'<a href="{BASE}/applications/{number}">{number}</a>' in html


def test_no_links_without_a_web_address(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(tmp_path, db_url, smtp={"host": "127.0.0.1", "port": smtp_server.port})
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        number = register(engine, settings, received=date(2026, 3, 2), department=None)
        scans(engine, settings, date(2026, 3, 23))
    finally:
        engine.dispose()
    [msg] = smtp_server.by_recipient()[OFFICE]
    text, html = text_of(msg), html_of(msg)
    assert f"{number}　答复期限：2026-03-30（剩余 5 个工作日）" in digest_lines(text)
    assert "http" not in text and "href" not in html
