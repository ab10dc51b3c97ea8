"""The audit log as the web records and shows it: sign-ins, user changes, exports with ID
numbers flagged, letter downloads; the admin page, its filters and its CSV; times in the
office time zone; the dashboard's last good backup."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from disclosure import audit
from disclosure.db import transaction
from disclosure.ops.models import AuditEntry
from disclosure.vocabulary import AuditAction
from tests.web.conftest import post_form, register


def _actions(engine: Engine, actor: str) -> list[str]:
    with transaction(engine, write=False) as session:
        stmt = select(AuditEntry.action).where(AuditEntry.actor == actor).order_by(AuditEntry.id)
        return list(session.exec(stmt).all())


def test_what_the_web_records(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    clerk = client_for("clerk")
    r = post_form(admin, "/admin/users", "/admin/users", {"username": "zhao", "role": "clerk"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert admin.get("/exports/ledger.xlsx").status_code == 200  # with ID numbers
    assert clerk.get("/exports/ledger.xlsx").status_code == 200  # without
    number = register(clerk)
    r = post_form(
        clerk, f"/applications/{number}", f"/applications/{number}/letters", {"kind": "receipt"}
    )
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert _actions(engine, "admin") == ["sign_in", "user_created", "ledger_exported"]
    assert _actions(engine, "clerk") == ["sign_in", "ledger_exported", "document_downloaded"]
    # the details in words, not keys and Python values (id_numbers：True, role：clerk …)
    page = admin.get("/admin/audit").text
    assert "含证件号码：是" in page and "含证件号码：否" in page and "角色：clerk" not in page
    assert "id_numbers" not in page and "True" not in page and "False" not in page
    with transaction(engine, write=False) as session:
        exports = session.exec(
            select(AuditEntry).where(AuditEntry.action == "ledger_exported")
        ).all()
    assert {(e.actor, e.personal_data) for e in exports} == {("admin", True), ("clerk", False)}


def test_admin_page_filters_and_exports_csv(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        audit.record(
            session,
            actor='=HYPERLINK("http://evil")',
            action=AuditAction.SIGN_IN_FAILED,
            address="10.0.0.9",
            now=datetime(2025, 3, 1, 16, 30, tzinfo=UTC),  # 2025-03-02 00:30 in Shanghai
        )
    admin = client_for("admin")
    page = admin.get("/admin/audit?action=sign_in_failed")
    assert page.status_code == 200
    assert "2025-03-02 00:30" in page.text and "登录失败" in page.text
    assert "=HYPERLINK(&#34;http://evil&#34;)" in page.text or "=HYPERLINK(&quot;" in page.text
    none = admin.get("/admin/audit?action=sign_in_failed&since=2025-03-03")
    assert "没有符合条件的记录" in none.text
    assert admin.get("/admin/audit?since=2025-13-01").status_code == 400
    assert admin.get("/admin/audit?action=bogus").status_code == 400

    r = admin.get("/admin/audit.csv?action=sign_in_failed")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "用户", "操作"]
    assert rows[1][0] == "2025-03-02 00:30:00"
    assert rows[1][1].startswith("'=")  # shown as text, never run as a formula
    assert "audit_exported" in _actions(engine, "admin")


def test_only_admins_see_the_audit_log(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    assert clerk.get("/admin/audit").status_code == 403
    assert clerk.get("/admin/audit.csv").status_code == 403


def test_timeline_shows_office_time(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from disclosure.models import EventRecord

    clerk = client_for("clerk")
    number = register(clerk)
    with transaction(engine, write=False) as session:
        recorded = session.exec(select(EventRecord.recorded_at)).first()
    assert recorded is not None
    shanghai = (recorded.astimezone(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    utc = recorded.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    html = clerk.get(f"/applications/{number}").text
    assert shanghai in html
    assert utc == shanghai or utc not in html


def _backup_at(engine: Engine, at: datetime) -> None:
    with transaction(engine) as session:
        audit.record(session, actor="office", action=AuditAction.BACKUP_CREATED, via="service",
                     now=at)  # fmt: skip


def test_dashboard_shows_the_last_good_backup(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    assert "尚无成功的备份" in clerk.get("/").text
    _backup_at(engine, datetime.now(UTC) - timedelta(hours=3))
    html = clerk.get("/").text
    assert "最近一次成功备份" in html and "3 小时前" in html and "已超过两天" not in html
    _backup_at(engine, datetime.now(UTC) - timedelta(days=3))  # older: the newest still counts
    assert "已超过两天" not in clerk.get("/").text


def test_dashboard_warns_after_two_days(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    _backup_at(engine, datetime.now(UTC) - timedelta(days=2, hours=1))
    html = client_for("clerk").get("/").text
    assert "已超过两天没有成功备份" in html and "2 天前" in html
    assert "备份" not in client_for("zcfg_user").get("/").text  # departments are not bothered
