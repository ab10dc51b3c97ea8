"""Amending registration data from the application page (issue 17): old and new values on
the timeline, the office only, a reason required, nothing written on error."""

from __future__ import annotations

from tests.web.conftest import post_form, register


def test_the_office_amends_a_phone_number_with_a_reason(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, phone="13800000000", department="zcfg")
    url = f"/applications/{number}"
    page = clerk.get(url).text
    assert 'value="13800000000"' in page  # the form starts from the registered values
    form = {"applicant": "张三", "phone": "13900000000", "content": "2025年某河道水质监测报告"}
    bad = post_form(clerk, url, f"{url}/actions/amend", form)
    assert bad.status_code == 400 and "须说明更正的理由" in bad.text
    assert "13900000000" not in clerk.get(url).text.split("办理经过")[-1]
    ok = post_form(clerk, url, f"{url}/actions/amend", {**form, "reason": "申请人来电更正"})
    assert ok.status_code == 303
    page = clerk.get(url).text
    assert "更正登记信息" in page and "申请人来电更正" in page
    assert "联系电话：13800000000 → 13900000000" in page
    handler = client_for("zcfg_user")  # a department handler may not amend
    r = post_form(handler, url, f"{url}/actions/amend", {**form, "reason": "x"})
    assert r.status_code in (403, 404)


def test_an_emptied_field_is_named_beside_it_and_an_optional_one_can_be_cleared(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, phone="13800000000", email="zs@example.com")
    url = f"/applications/{number}"
    act = f"{url}/actions/amend"
    base = {"applicant": "张三", "content": "2025年某河道水质监测报告", "reason": "申请人更正"}
    bad = post_form(clerk, url, act, {**base, "applicant": ""})
    assert bad.status_code == 400
    err = bad.text[bad.text.index('name="applicant"') :].split("</label>", 1)[0]
    assert 'class="field-error"' in err  # beside 申请人, not under 申请内容
    ok = post_form(clerk, url, act, {**base, "email": ""})  # a wrong address taken away
    assert ok.status_code == 303, ok.text
    assert "电子邮箱：zs@example.com → " in clerk.get(url).text
