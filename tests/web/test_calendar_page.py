"""The calendar page: upload → preview (nothing written) → confirm; history and revert."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from sqlalchemy import Engine, text

from disclosure.db import transaction
from disclosure.services.calendar_years import load_text
from tests.conftest import NOW
from tests.notices.data import NOTICE_2027
from tests.register.conftest import snapshot
from tests.web.conftest import TODAY, csrf_of, post_form, register

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
# NOTICE_2027 with Mon 2027-01-04 off as well: moves what is counted through early January.
MOVING_2027 = NOTICE_2027.replace("end = 2027-01-03", "end = 2027-01-04")


def _deferred(client_for: Any) -> str:
    """An application whose Art. 35 deadline is Fri 2027-01-08; its internal target (5
    working days before) is Thu 2026-12-31 while 2027 is provisional (only 1-01 off in
    January: 1-07, 1-06, 1-05, 1-04, 12-31) and Wed 12-30 once 1-04 is off too."""
    clerk = client_for("clerk")
    number = register(clerk, received="2026-03-02")
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/defer", {"date": "2026-03-05", "due": "2027-01-08"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    return number


def _target(engine: Engine, number: str) -> str:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT internal_target FROM application WHERE number = :n"), {"n": number}
        ).one()
    return str(row[0])


def _preview(admin: Any, content: str, name: str = "2027.toml") -> Any:
    token = csrf_of(admin.get("/calendar").text)
    return admin.post(
        "/calendar/preview",
        data={"csrf_token": token},
        files={"file": (name, content.encode(), "text/plain")},
    )


def _confirm(admin: Any, page: str, url: str, **changed: str) -> Any:
    fields = {k: html.unescape(v) for k, v in HIDDEN.findall(page)}
    fields.update(changed)
    return admin.post(url, data=fields)


def test_upload_preview_then_confirm(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    number = _deferred(client_for)
    assert _target(engine, number) == "2026-12-31"
    admin = client_for("admin")
    before = snapshot(engine)
    r = _preview(admin, MOVING_2027)
    assert r.status_code == 200, r.text
    page = r.text
    assert "预览：载入 2027 年节假日安排（第 1 版）" in page
    assert "尚未写入" in page
    assert (
        f"{number}</a></td><td>内部办理时限</td><td>2026-12-31</td><td>2026-12-30</td><td>是"
        in page
    )
    assert "元旦 2027-01-01 至 2027-01-04" in page  # the notice as it will be used
    assert snapshot(engine) == before, "the preview wrote to the database"
    r = _confirm(admin, page, "/calendar/confirm")
    assert r.status_code == 303, r.text
    assert _target(engine, number) == "2026-12-30"
    after = admin.get("/calendar").text
    assert "已载入 2027 年节假日安排（第 1 版）" in after
    assert "1 件申请的 1 个期限变动" in after
    assert "国务院办公厅关于2027年部分节假日安排的通知（测试数据，虚构）" in after
    assert "现行" in after and "2027.toml" in after


def test_refusals_are_shown_beside_the_file_field(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    before = snapshot(engine)
    cases = [
        ("[[notice]\nyear = ", "第 1 行"),
        (NOTICE_2027.replace("2027-02-14, name", "2027-02-17, name"), "2027-02-17 是星期三"),
        (NOTICE_2027.replace("end = 2027-04-05", "end = 2027-04-04"), "2027-04-05 清明节"),
        (NOTICE_2027.replace("year = 2027", "year = 2027\nyear = 2028"), "同一个键写了两次"),
    ]  # fmt: skip
    for content, expected in cases:
        r = _preview(admin, content)
        assert r.status_code == 400, (expected, r.text)
        assert 'id="err-file"' in r.text and expected in html.unescape(r.text), expected
    r = _preview(admin, "x" * 70_000)
    assert r.status_code == 400 and "文件过大" in r.text
    # pasted text: the refusal beside the text box, and the text back to be corrected
    bad = NOTICE_2027.replace("2027-02-14, name", "2027-02-17, name")
    r = post_form(admin, "/calendar", "/calendar/preview", {"text": bad})
    assert r.status_code == 400 and 'id="err-text"' in r.text  # type: ignore[attr-defined]
    assert "2027-02-17 是星期三" in html.unescape(r.text)  # type: ignore[attr-defined]
    box = r.text.split('name="text"', 1)[1].split("</textarea>", 1)[0]  # type: ignore[attr-defined]
    assert "国务院办公厅关于2027年部分节假日安排的通知" in html.unescape(box)
    assert snapshot(engine) == before


def test_confirm_checks_the_text_again(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """A confirm form whose text was altered is checked like an upload: nothing written."""
    admin = client_for("admin")
    page = _preview(admin, NOTICE_2027).text
    before = snapshot(engine)
    bad = NOTICE_2027.replace('{ name = "国庆节", start = 2027-10-01, end = 2027-10-07 },', "")
    r = _confirm(admin, page, "/calendar/confirm", content=bad)
    assert r.status_code == 400
    assert "国庆节" in html.unescape(r.text) and "法定节假日" in html.unescape(r.text)
    assert snapshot(engine) == before


def test_confirm_refuses_a_stale_preview(client_for, engine, settings) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    page = _preview(admin, MOVING_2027).text
    with transaction(engine) as session:  # someone else loads a notice meanwhile
        load_text(
            session, settings=settings, text=NOTICE_2027, source="x", actor="b", now=NOW,
            today=TODAY,
        )  # fmt: skip
    before = snapshot(engine)
    r = _confirm(admin, page, "/calendar/confirm")
    assert r.status_code == 409
    assert "预览之后节假日安排已被他人更改" in r.text
    assert snapshot(engine) == before


def test_confirm_needs_the_csrf_token(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    page = _preview(admin, NOTICE_2027).text
    before = snapshot(engine)
    r = _confirm(admin, page, "/calendar/confirm", csrf_token="forged")
    assert r.status_code == 403
    assert snapshot(engine) == before


def test_only_admins_load_notices(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    token = csrf_of(clerk.get("/").text)
    r = clerk.post(
        "/calendar/preview",
        data={"csrf_token": token},
        files={"file": ("2027.toml", NOTICE_2027.encode(), "text/plain")},
    )
    assert r.status_code == 403


def test_revert_from_the_history(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    number = _deferred(client_for)
    admin = client_for("admin")
    r = _confirm(admin, _preview(admin, MOVING_2027).text, "/calendar/confirm")
    assert r.status_code == 303 and _target(engine, number) == "2026-12-30"
    page = admin.get("/calendar").text
    assert "撤销载入（第 0 版）" in page
    r = post_form(admin, "/calendar", "/calendar/revert/preview", {"year": "2027", "to": "0"})
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    preview = r.text  # type: ignore[attr-defined]
    assert "将 2027 年节假日安排恢复为未载入任何通知时（第 0 版）的内容（记为第 2 版）" in preview
    assert (
        f"{number}</a></td><td>内部办理时限</td><td>2026-12-30</td><td>2026-12-31</td><td>否"
        in preview
    )
    assert _target(engine, number) == "2026-12-30"  # the preview wrote nothing
    r = _confirm(admin, preview, "/calendar/revert")
    assert r.status_code == 303
    assert _target(engine, number) == "2026-12-31"
    page = admin.get("/calendar").text
    assert "恢复（至第 0 版）" in page and "第 2 版" in page
    with engine.connect() as conn:
        versions = conn.execute(
            text("SELECT version, action, reverts_to FROM calendar_version ORDER BY version")
        ).all()
    assert [tuple(v) for v in versions] == [(1, "load", None), (2, "revert", 0)]
    with engine.connect() as conn:
        audited = conn.execute(
            text(
                "SELECT action, via, address FROM audit_log"
                " WHERE action LIKE 'calendar%' ORDER BY id"
            )
        ).all()
    # a calendar changed on the web is audited as the web's, with the client's address
    assert [(a, v) for a, v, _ in audited] == [
        ("calendar_loaded", "web"),
        ("calendar_reverted", "web"),
    ]
    assert all(address for _, _, address in audited)


def test_a_record_notice_needs_the_checked_box(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    from tests.notices.test_unusual import RECORD_2027

    admin = client_for("admin")
    assert "已核对，确认载入" in admin.get("/calendar").text
    r = _preview(admin, RECORD_2027)
    assert r.status_code == 400 and "2027 年放假 34 天" in r.text
    assert "网页勾选“已核对，确认载入”" in r.text
    token = csrf_of(admin.get("/calendar").text)
    r = admin.post(
        "/calendar/preview",
        data={"csrf_token": token, "accept_unusual": "1"},
        files={"file": ("2027.toml", RECORD_2027.encode(), "text/plain")},
    )
    assert r.status_code == 200, r.text
    assert "注意：2027 年放假 34 天" in r.text and "记入审计日志" in r.text
    r = _confirm(admin, r.text, "/calendar/confirm")
    assert r.status_code == 303, r.text
    with engine.connect() as conn:
        [details] = conn.execute(
            text("SELECT details FROM audit_log WHERE action = 'calendar_loaded'")
        ).scalars()
    details = details if isinstance(details, dict) else json.loads(details)
    assert any("放假 34 天" in u for u in details["unusual"])


def test_the_page_offers_the_format_as_a_sample(client_for) -> None:  # type: ignore[no-untyped-def]
    from disclosure.calendar_source import builtin_notices
    from rules.notice_file import parse_notice_file

    newest = max(n.year for n in builtin_notices())
    admin = client_for("admin")
    page = admin.get("/calendar").text
    assert 'href="/calendar/sample.toml"' in page and "docs/calendar.md" not in page
    r = admin.get("/calendar/sample.toml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    entries = parse_notice_file(r.text).entries  # the file format the page loads
    assert {e.notice.year for e in entries} == {newest}
    assert any(o.name == "春节" for o in entries[0].notice.days_off)
    assert client_for("clerk").get("/calendar/sample.toml").status_code in (303, 403)
