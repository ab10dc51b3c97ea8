"""Registering, listing, the application page and its actions, through the web forms."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord
from tests.web.conftest import post_form, register


def listed(number: str, html: str) -> bool:
    return f'href="/applications/{number}"' in html


def _row(html: str, number: str) -> str:
    match = re.search(r'<tr class="([^"]*)">\s*<td><a href="/applications/' + number, html)
    assert match, f"{number} not in the list"
    return match.group(1)


def test_register_shows_the_reply_deadline(client_for, engine):
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    page = clerk.get(f"/applications/{number}")
    assert page.status_code == 200
    # Received Mon 2026-03-02: day 1 is 03-03, the 20th working day is Mon 03-30.
    assert "2026-03-30" in page.text
    assert "计算说明" in page.text
    assert "已登记" in page.text  # the flash message
    with transaction(engine, write=False) as session:
        actors = {e.actor for e in session.exec(select(EventRecord)).all()}
    assert actors == {"clerk"}


@pytest.mark.parametrize(
    ("received", "said"),
    [
        # Today is Thu 2026-03-05. Received Mon 2026-01-26: the 20th working day is Sat 02-28
        # (Spring Festival 02-15…02-23; 02-14 and 02-28 are make-up working days), 4 days ago.
        ("2026-01-26", "注意：该申请登记时已超过答复期限（已超期 4 个工作日），请尽快答复。"),
        # Received Wed 02-04: the 20th working day is Tue 03-10, three working days ahead.
        ("2026-02-04", "注意：答复期限临近（还有 3 个工作日）。"),
        ("2026-03-02", None),
    ],
)
def test_registering_a_late_application_warns_as_the_cli_does(client_for, received, said):
    clerk = client_for("clerk")
    number = register(clerk, received=received)
    page = clerk.get(f"/applications/{number}").text
    if said is None:
        assert "注意：" not in page
    else:
        assert said in page


def test_field_error_is_shown_beside_the_field(client_for):
    clerk = client_for("clerk")
    r = post_form(
        clerk,
        "/applications/new",
        "/applications/new",
        {
            "channel": "in_person",
            "received": "2026-03-09",  # after "today" (2026-03-05)
            "applicant": "李雷",
            "applicant_type": "natural",
            "content": "某文件",
        },
    )
    assert r.status_code == 400
    error = re.search(r'<span class="field-error" id="err-received">([^<]+)</span>', r.text)
    assert error and "晚于今天" in error.group(1)
    assert 'value="李雷"' in r.text  # what was typed is kept
    assert "2026-00001" not in client_for("clerk").get("/applications?status=all").text


def test_each_bad_field_is_named(client_for):
    clerk = client_for("clerk")
    base = {
        "channel": "in_person",
        "received": "2026-03-02",
        "applicant": "李雷",
        "applicant_type": "natural",
        "content": "某文件",
    }
    cases = {
        "email": {"email": "not-an-address"},
        "phone": {"phone": "138-abc"},
        "received": {"received": "2026/03/02"},
        "applicant_type": {"applicant_type": ""},
        "department": {"department": "nosuch"},
    }
    for field, bad in cases.items():
        r = post_form(clerk, "/applications/new", "/applications/new", {**base, **bad})
        assert r.status_code == 400, field
        assert f'id="err-{field}"' in r.text, field


def test_extension_moves_the_deadline(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(
        clerk,
        url,
        f"{url}/actions/extend",
        {"date": "2026-03-05", "days": "20", "approver": "王主任", "note": "材料多"},
    )
    assert r.status_code == 303, r.text
    page = clerk.get(url).text
    # 20 more working days after 03-30, skipping 清明 (04-04 to 04-06): Tue 2026-04-28.
    assert "2026-04-28" in page
    assert "王主任" in page


def test_extension_without_approver_is_refused_beside_the_field(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/extend", {"date": "2026-03-05", "days": "20"})
    assert r.status_code == 400
    assert 'id="err-approver"' in r.text
    assert '<details open id="action-extend">' in r.text
    assert "2026-04-28" not in clerk.get(url).text


def test_a_late_correction_notice_is_recorded_with_a_warning(client_for):
    """Due by the 7th working day after 2026-02-02 (02-11); sent on 02-12 it is recorded, and
    the page says at once that it was late."""
    clerk = client_for("clerk")
    number = register(clerk, received="2026-02-02")
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/correction_request", {"date": "2026-02-12"})
    assert r.status_code == 303, r.text
    page = clerk.get(url).text
    assert re.search(r'class="flash warn"[^>]*>⚠ 补正告知逾期发出：2026年2月12日', page), page
    assert 'class="flash warn"' not in clerk.get(url).text  # said once


def test_impossible_sequence_is_a_conflict_message(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/correction_receive", {"date": "2026-03-04"})
    assert r.status_code == 400
    assert "field-error" in r.text


def test_reply_closes_and_list_hides_closed_by_default(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/reply", {"date": "2026-03-05", "outcome": "1"})
    assert r.status_code == 303, r.text
    assert "按期办结" in clerk.get(url).text
    assert not listed(number, clerk.get("/applications").text)
    assert _row(clerk.get("/applications?status=all").text, number) == "st-closed"


def test_assign_and_stage(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/assign", {"department": "hbc"})
    assert r.status_code == 303
    r = post_form(clerk, url, f"{url}/actions/stage", {"to": "review"})
    assert r.status_code == 303
    page = clerk.get(url).text
    assert "环境保护处" in page
    assert "阶段：审核" in page
    r = post_form(clerk, url, f"{url}/actions/stage", {"to": "archived"})
    assert r.status_code == 409
    assert "不能从" in r.text


def test_list_filters_colours_and_paging(client_for, settings):
    clerk = client_for("clerk")
    late = register(clerk, received="2026-01-05", applicant="王五", department="hbc")
    soon = register(clerk, received="2026-02-06", applicant="赵六", department="zcfg")
    fresh = register(clerk, received="2026-03-05", applicant="钱七", department="zcfg")
    everything = clerk.get("/applications").text
    assert _row(everything, late) == "st-overdue"
    assert _row(everything, fresh) == "st-running"
    only_late = clerk.get("/applications?overdue=1").text
    assert listed(late, only_late) and not listed(soon, only_late) and not listed(fresh, only_late)
    within = clerk.get("/applications?due_within=5").text
    assert listed(soon, within) and not listed(late, within) and not listed(fresh, within)
    zcfg = clerk.get("/applications?department=zcfg").text
    assert listed(soon, zcfg) and listed(fresh, zcfg) and not listed(late, zcfg)
    found = clerk.get("/applications?q=钱七").text
    assert listed(fresh, found) and not listed(late, found)
    desc = clerk.get("/applications?order=received_on&desc=1").text
    pos = [desc.index(f'href="/applications/{n}"') for n in (fresh, soon, late)]
    assert pos == sorted(pos)
    bad = clerk.get("/applications?due_within=abc")
    assert bad.status_code == 400


def test_paging(client_for, web_app):
    web_app.state.web.settings.web.page_size = 2
    clerk = client_for("clerk")
    numbers = [register(clerk, applicant=f"申请人{i}") for i in range(3)]
    first = clerk.get("/applications?order=number").text
    second = clerk.get("/applications?order=number&page=2").text
    assert listed(numbers[0], first) and listed(numbers[1], first) and not listed(numbers[2], first)
    assert listed(numbers[2], second) and not listed(numbers[0], second)
    assert "第 2 / 2 页" in second


def test_script_in_applicant_fields_is_shown_as_text(client_for):
    clerk = client_for("clerk")
    evil = "<script>alert('x')</script>"
    number = register(clerk, applicant=evil, content=evil + "内容", address=evil)
    for url in (f"/applications/{number}", "/applications", "/"):
        html = clerk.get(url).text
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_unknown_application_is_a_404_page(client_for):
    r = client_for("clerk").get("/applications/2099-99999")
    assert r.status_code == 404
    assert "没有编号为 2099-99999 的申请" in r.text


def test_department_user_cannot_register(client_for):
    handler = client_for("zcfg_user")
    assert handler.get("/applications/new").status_code == 403


def test_dashboard_counts_and_charts(client_for):
    clerk = client_for("clerk")
    register(clerk, received="2026-01-05")  # overdue
    register(clerk, received="2026-02-06")  # due within 5 working days
    html = clerk.get("/").text
    tile = re.search(r'class="tile overdue"[^>]*><b>(\d+)</b>', html)
    assert tile and tile.group(1) == "1"
    due5 = re.search(r'class="tile due5"[^>]*><b>(\d+)</b>', html)
    assert due5 and due5.group(1) == "1"
    assert html.count('<svg class="chart"') == 2
    assert "http://" not in html.replace("http://testserver", "").replace(
        "http://www.w3.org/2000/svg", ""
    )
