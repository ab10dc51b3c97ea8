"""The approver's page on the web: the queue per role, approve and send back (both DBs)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.users import create_user
from disclosure.settings import Settings
from tests.conftest import NOW
from tests.web.conftest import (  # noqa: F401  (fixtures)
    PASSWORD,
    cheap_hashes,
    client_for,
    csrf_of,
    register,
    users,
    web_app,
)

TODAY = date(2026, 3, 5)  # the web fixtures' today

APPROVERS = (  # username, web role, department, display name, approval role
    ("dhead", "department", "zcfg", "吴处长", "department_head"),
    ("hbc_head", "department", "hbc", "冯处长", "department_head"),
    ("ohead", "clerk", None, "郑主任", "office_head"),
    ("boss", "clerk", None, "王局长", "leader"),
)


def approvers(engine: Engine) -> None:
    with transaction(engine) as s:
        for username, role, dept, name, approval in APPROVERS:
            user = create_user(s, username=username, password=PASSWORD, role=role,
                               department=dept, display_name=name, now=NOW)  # fmt: skip
            user.approval_role = approval
            s.add(user)


def draft(engine: Engine, settings: Settings, number: str) -> None:
    with transaction(engine) as s:
        ctx = Context(load_office(s, settings), TODAY, "zcfg_user", NOW)
        steps.Draft(on=TODAY, by="zcfg_user", code="1", note="经查已制作").record(s, ctx, number)


def approve(client, number: str, action: str = "approve", comment: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/approvals").text)
    data = {"csrf_token": token, "purpose": "reply", "action": action, "comment": comment}
    return client.post(f"/approvals/{number}", data=data)


def test_each_approver_sees_their_turn_and_answers(client_for, engine, settings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    approvers(engine)
    number = register(client_for("clerk"), department="zcfg")
    draft(engine, settings, number)
    dhead, hbc_head = client_for("dhead"), client_for("hbc_head")
    ohead, boss = client_for("ohead"), client_for("boss")
    form = f'action="/approvals/{number}"'
    page = dhead.get("/approvals").text
    assert form in page
    assert "经查已制作" in page and "承办部门负责人" in page
    assert form not in hbc_head.get("/approvals").text  # another department's case
    assert form not in ohead.get("/approvals").text  # not yet their turn
    r = approve(boss, number)  # out of turn: the step's refusal, nothing written
    assert r.status_code == 409 and "现在应由承办部门负责人审批" in r.text
    assert f'<p class="field-error">{number}：' in r.text  # not in boss's queue: said on top
    assert approve(dhead, number, comment="同意").status_code == 303
    assert form not in dhead.get("/approvals").text
    assert form in ohead.get("/approvals").text
    r = approve(ohead, number, action="send_back", comment=" ")
    assert r.status_code == 400 and "退回须写明理由" in r.text
    # the queue again, the refusal beside the card's comment field (not a bare error page)
    assert '<span class="field-error" id="err-reason">退回须写明理由</span>' in r.text
    assert form in r.text and "待我审批" in r.text
    r = approve(ohead, number, action="send_back", comment="事实不清")
    assert r.status_code == 303
    assert form not in ohead.get("/approvals").text
    assert form not in boss.get("/approvals").text  # sent back: the handler redrafts
    # the drafter is told on the dashboard: which case, who sent it back, why
    drafter = client_for("zcfg_user")
    home = drafter.get("/").text
    assert 'id="redo"' in home and f'href="/approvals/{number}/draft">{number}</a>' in home
    assert "<td>郑主任</td>" in home and "<td>事实不清</td>" in home
    assert 'id="redo"' not in client_for("clerk").get("/").text  # nobody else's to redo
    with transaction(engine, write=False) as s:
        ev = s.exec(select(EventRecord).where(EventRecord.kind == "sent_back")).one()
    assert (ev.approver, ev.actor, ev.data["by_name"], ev.note) == (
        "ohead",
        "ohead",
        "郑主任",
        "事实不清",
    )
    assert "没有审批职责" in client_for("clerk").get("/approvals").text
    draft(engine, settings, number)  # redrafted: nothing left to redo
    assert 'id="redo"' not in drafter.get("/").text


def test_a_person_changes_their_password_on_the_web(client_for, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from disclosure.people.accounts import reset_password
    from disclosure.services.users import authenticate

    handler = client_for("zcfg_user")
    token = csrf_of(handler.get("/account/password").text)
    bad = {
        "csrf_token": token,
        "current": PASSWORD,
        "password": "zcfg_user",
        "confirm": "zcfg_user",
    }
    r = handler.post("/account/password", data=bad)
    assert r.status_code == 400 and "至少 10 个字符" in r.text
    r = handler.post("/account/password", data={**bad, "current": "wrong-one-123"})
    assert r.status_code == 403
    new = "violet-anchor-meadow-93"
    good = {"csrf_token": token, "current": PASSWORD, "password": new, "confirm": new}
    assert handler.post("/account/password", data=good).status_code == 303
    assert handler.get("/approvals").status_code == 303  # signed out: every session ended
    with transaction(engine) as s:
        assert authenticate(s, username="zcfg_user", password=new) is not None
        _user, once = reset_password(s, username="zcfg_user")
    again = client_for(None)
    page = again.get("/login")
    data = {"username": "zcfg_user", "password": once, "csrf_token": csrf_of(page.text)}
    assert again.post("/login", data=data).status_code == 303
    assert "一次性密码" in again.get("/account/password").text


def test_reply_forms_start_from_the_approved_draft(client_for, engine, settings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    approvers(engine)
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    with transaction(engine) as s:
        ctx = Context(load_office(s, settings), TODAY, "zcfg_user", NOW)
        draft = steps.Draft(on=TODAY, by="zcfg_user", code="3.1", reasons="属于国家秘密")
        draft.record(s, ctx, number)
    page = clerk.get(f"/applications/{number}").text
    assert '<option value="3.1" selected>' not in page  # not yet approved: nothing chosen
    for who in ("dhead", "ohead", "boss"):
        assert approve(client_for(who), number, comment="同意").status_code in (200, 303)
    page = clerk.get(f"/applications/{number}").text
    assert "吴处长 同意（" in page and "同意：同意" not in page  # said once
    assert '<option value="3.1" selected>' in page and "已按审批同意的拟办意见预选" in page
    assert page.count(" selected>") >= 1 and '<option value="1" selected>' not in page
    assert 'name="reasons" value="属于国家秘密"' in page  # the letter form's reasons box
