"""The departments page: admins edit, retire and reactivate (issue 16, item 1)."""

from __future__ import annotations

from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Department
from disclosure.ops.models import AuditEntry
from tests.web.conftest import post_form, register


def _dep(engine, code: str) -> Department:  # type: ignore[no-untyped-def]
    with transaction(engine, write=False) as session:
        return session.exec(select(Department).where(Department.code == code)).one()


def test_web_admin_keeps_departments_and_forms_offer_only_active_ones(client_for, engine):  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    page = "/admin/departments"
    r = post_form(admin, page, page, {"code": "tmp", "name": "临时处"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    r = post_form(admin, page, f"{page}/tmp/edit", {"name": "临时工作处", "contact": "李四"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert _dep(engine, "tmp").name == "临时工作处"
    bad = post_form(admin, page, f"{page}/tmp/edit", {"name": ""})
    assert bad.status_code == 400 and _dep(engine, "tmp").name == "临时工作处"  # type: ignore[attr-defined]
    assert post_form(admin, page, f"{page}/tmp/retire", {}).status_code == 303
    assert not _dep(engine, "tmp").active
    clerk = client_for("clerk")
    assert 'value="tmp"' not in clerk.get("/applications/new").text
    assert "已停用" in admin.get(page).text
    refused = post_form(admin, page, f"{page}/zcfg/edit", {"name": "法规处"})
    assert refused.status_code == 409 and "config.toml" in refused.text  # type: ignore[attr-defined]
    register(clerk, department="zcfg")
    busy = post_form(admin, page, f"{page}/zcfg/retire", {})
    assert busy.status_code == 409 and _dep(engine, "zcfg").active  # type: ignore[attr-defined]
    assert post_form(clerk, page, f"{page}/tmp/reactivate", {}).status_code == 403
    assert post_form(admin, page, f"{page}/tmp/reactivate", {}).status_code == 303
    with transaction(engine, write=False) as session:
        changes = session.exec(
            select(AuditEntry).where(AuditEntry.action == "department_changed")
        ).all()
    assert [e.target for e in changes if e.target == "tmp"] == ["tmp"] * 3  # edit, retire, back


def test_the_add_form_refuses_a_name_in_use_and_a_bad_e_mail(client_for, engine):  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    page = "/admin/departments"
    same = post_form(admin, page, page, {"code": "hbc2", "name": "环境保护处"})
    assert same.status_code == 400, same.text  # type: ignore[attr-defined]
    assert "已有名为 环境保护处 的部门（代码 hbc）" in same.text  # type: ignore[attr-defined]
    bad = post_form(admin, page, page, {"code": "xzc", "name": "行政许可处", "email": "bad"})
    assert bad.status_code == 400 and "电子邮箱格式不正确" in bad.text  # type: ignore[attr-defined]
    with transaction(engine, write=False) as session:
        codes = set(session.exec(select(Department.code)).all())
    assert not codes & {"hbc2", "xzc"}  # nothing written
