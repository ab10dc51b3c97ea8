"""Issue 16 on the web (both databases): the forced password change after a reset, the
navigation, the applicant's page, drafting, and reconsideration/litigation cases."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import Engine, func
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord, User
from disclosure.people.accounts import reset_password
from disclosure.report.models import ReviewCase
from tests.web.conftest import csrf_of, post_form, register

ID = "11010519491231002X"  # a valid resident ID (check character X)
NEW = "violet-anchor-meadow-93"


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": csrf_of(page.text)}
    return client.post("/login", data=data)


def _cases(engine: Engine) -> int:
    with transaction(engine, write=False) as s:
        return int(s.exec(select(func.count()).select_from(ReviewCase)).one())


def test_a_reset_password_must_be_changed_before_any_other_page(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    number = register(client_for("clerk"), department="zcfg")
    with transaction(engine) as s:
        _user, once = reset_password(s, username="zcfg_user")
    c = client_for(None)
    r = _login(c, "zcfg_user", once)
    assert r.status_code == 303 and r.headers["location"] == "/account/password"
    for url in ("/", "/applications", f"/applications/{number}", "/approvals", "/tasks"):
        r = c.get(url)
        assert (r.status_code, r.headers.get("location")) == (303, "/account/password"), url
    assert c.get("/static/style.css").status_code == 200  # static files are not pages
    page = c.get("/account/password")
    assert page.status_code == 200 and "一次性密码" in page.text
    token = csrf_of(page.text)
    # A form elsewhere is refused the same way, and writes nothing.
    r = c.post(f"/approvals/{number}/draft", data={"csrf_token": token, "outcome": "1"})
    assert (r.status_code, r.headers.get("location")) == (303, "/account/password")
    form = {"csrf_token": token, "current": once}
    for bad, message in (("zcfg_user", "至少 10 个字符"), ("short-1", "至少 10 个字符")):
        r = c.post("/account/password", data={**form, "password": bad, "confirm": bad})
        assert r.status_code == 400 and message in r.text, bad
    with transaction(engine, write=False) as s:
        user = s.exec(select(User).where(User.username == "zcfg_user")).one()
        assert user.must_change_password  # still forced after refused attempts
    r = c.post("/account/password", data={**form, "password": NEW, "confirm": NEW})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = client_for(None)
    r = _login(again, "zcfg_user", NEW)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert again.get(f"/applications/{number}").status_code == 200
    with transaction(engine, write=False) as s:
        drafted = s.exec(select(EventRecord).where(EventRecord.kind == "drafted")).all()
        assert drafted == []


def test_the_navigation_links_the_queue_and_the_password_page(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as s:
        user = s.exec(select(User).where(User.username == "clerk")).one()
        user.approval_role = "office_head"
        s.add(user)
    clerk, handler = client_for("clerk").get("/").text, client_for("zcfg_user").get("/").text
    assert 'href="/approvals">我的审批' in clerk and 'href="/approvals"' not in handler
    assert 'href="/account/password">修改密码' in clerk
    assert 'href="/account/password">修改密码' in handler


def test_the_applicant_page_lists_every_application_masked_but_for_admins(  # type: ignore[no-untyped-def]
    client_for, engine
) -> None:
    clerk = client_for("clerk")
    first = register(clerk, id_number=ID, content="请公开2025年某河道水质监测报告")
    second = register(
        clerk, id_number=ID, content="请公开2024年某项目环评批复", received="2026-03-03"
    )
    other = register(clerk, applicant="李四", content="另一人的申请")
    detail = clerk.get(f"/applications/{first}").text
    with transaction(engine, write=False) as s:
        from disclosure.models import Application

        app = s.exec(select(Application).where(Application.number == first)).one()
        applicant_id = app.applicant_id
    assert f'href="/applicants/{applicant_id}"' in detail
    page = clerk.get(f"/applicants/{applicant_id}")
    assert page.status_code == 200
    assert first in page.text and second in page.text and other not in page.text
    assert ID not in page.text and "1101**********002X" in page.text
    assert ID in client_for("admin").get(f"/applicants/{applicant_id}").text
    assert client_for("admin").get(f"/applicants/{second}").status_code == 200  # by number
    assert client_for("zcfg_user").get(f"/applicants/{applicant_id}").status_code == 403
    r = clerk.get("/applicants/999999")
    assert r.status_code == 404 and "没有与 999999 对应的申请人" in r.text
    # A reconsideration recorded on the web shows on the applicant's page too.
    url = f"/applications/{first}/reviews"
    data = {"kind": "reconsideration", "filed": "2026-03-04", "result": "pending"}
    assert post_form(clerk, url, url, data).status_code == 303  # type: ignore[attr-defined]
    assert "行政复议 2026-03-04：尚未审结" in clerk.get(f"/applicants/{applicant_id}").text


def test_review_and_litigation_cases_are_recorded_through_the_service(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number, other = register(clerk, department="zcfg"), register(clerk, applicant="李四")
    url = f"/applications/{number}/reviews"
    good = {
        "kind": "litigation_direct",
        "filed": "2026-03-04",
        "result": "pending",
        "note": "某区法院",
    }
    refused = [
        ({**good, "filed": ""}, "请填写申请复议或起诉日期", 'id="err-filed"'),
        ({**good, "filed": "2026/03/04"}, "YYYY-MM-DD", 'id="err-filed"'),
        ({**good, "filed": "2026-03-06"}, "晚于今天", 'id="err-filed"'),  # today is 03-05
        ({**good, "kind": ""}, "请选择案件类别", 'id="err-kind"'),
        ({**good, "kind": "appeal"}, "未知类别", 'id="err-kind"'),
        ({**good, "result": "maintained"}, "已审结的案件须填写审结日期", 'id="err-decided"'),
        (
            {**good, "result": "corrected", "decided": "2026-03-01"},
            "审结日期早于立案日期",
            'id="err-decided"',
        ),
    ]
    for data, message, where in refused:
        r = post_form(clerk, url, url, data)
        assert r.status_code == 400, data  # type: ignore[attr-defined]
        assert message in r.text and where in r.text, (data, r.text[-2000:])  # type: ignore[attr-defined]
    assert _cases(engine) == 0
    r = post_form(client_for("zcfg_user"), f"/applications/{number}", url, good)
    assert r.status_code == 403  # type: ignore[attr-defined]
    r = post_form(clerk, url, url, good)
    assert r.status_code == 303 and r.headers["location"] == f"/applications/{number}#reviews"  # type: ignore[attr-defined]
    detail = clerk.get(f"/applications/{number}").text
    assert "未经复议直接起诉 · 2026-03-04 · 尚未审结 · 某区法院" in detail
    with transaction(engine, write=False) as s:
        case = s.exec(select(ReviewCase)).one()
        assert (case.created_by, case.result) == ("clerk", "pending")
    decide = f"{url}/{case.id}"
    r = post_form(clerk, url, decide, {"result": "maintained", "decided": ""})
    assert r.status_code == 400 and "请填写审结日期" in r.text  # type: ignore[attr-defined]
    r = post_form(clerk, url, decide, {"result": "pending", "decided": "2026-03-05"})
    assert r.status_code == 400 and "不能是 pending" in r.text  # type: ignore[attr-defined]
    wrong = f"/applications/{other}/reviews/{case.id}"  # the case of another application
    r = post_form(clerk, url, wrong, {"result": "maintained", "decided": "2026-03-05"})
    assert r.status_code == 404  # type: ignore[attr-defined]
    r = post_form(clerk, url, decide, {"result": "maintained", "decided": "2026-03-05"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert "结果维持（2026-03-05）" in clerk.get(f"/applications/{number}").text
    assert 'action="/applications/' not in clerk.get(url).text.split("记录新案件")[0]  # decided


def test_the_handler_drafts_on_the_web_and_downloads_the_sheet(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    number = register(client_for("clerk"), department="zcfg")
    handler = client_for("zcfg_user")
    url = f"/approvals/{number}/draft"
    r = post_form(handler, url, url, {"purpose": "reply", "outcome": "", "facts": "经查"})
    assert r.status_code == 400 and "请选择拟办的答复结果" in r.text  # type: ignore[attr-defined]
    r = post_form(handler, url, url, {"purpose": "extension", "days": "30"})
    assert r.status_code == 400 and "1 至 20 个工作日" in r.text  # type: ignore[attr-defined]
    r = post_form(handler, url, url, {"purpose": "other", "outcome": "1"})
    assert r.status_code == 400 and "审批事项无效" in r.text  # type: ignore[attr-defined]
    with transaction(engine, write=False) as s:
        assert s.exec(select(EventRecord).where(EventRecord.kind == "drafted")).all() == []
    data = {"purpose": "reply", "outcome": "1", "facts": "经查已制作", "reasons": "第二十七条"}
    r = post_form(handler, url, url, data)
    assert r.status_code == 303  # type: ignore[attr-defined]
    detail = handler.get(f"/applications/{number}").text
    assert 'id="sign-off"' in detail and "经查已制作" in detail and "审批中" in detail
    assert "尚待审批" in detail and "承办部门负责人" in detail
    sheet = handler.get(f"/approvals/{number}/sheet?purpose=reply")
    assert sheet.status_code == 200
    with zipfile.ZipFile(io.BytesIO(sheet.content)) as z:
        body = z.read("word/document.xml").decode()
    assert "政府信息公开申请办理审批表" in body and "经查已制作" in body
    r = handler.get(f"/approvals/{number}/sheet?purpose=extension")
    assert r.status_code == 404 and "没有延期答复的拟办意见" in r.text
    assert client_for("hbc_user").get(url).status_code == 404  # another department's case
