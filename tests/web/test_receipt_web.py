"""Correcting a wrongly registered receipt date from the application page (rulebook §3.3):
the office only, a reason required, the deadlines recomputed, nothing written on error."""

from __future__ import annotations

import re

from tests.web.conftest import post_form, register


def _reply_due(page: str) -> str:
    found = re.search(r"答复期限</dt>\s*<dd[^>]*>\s*(\d{4}-\d{2}-\d{2})", page)
    assert found, "the page shows the reply date"
    return found[1]


def test_the_office_corrects_a_receipt_date_and_the_deadline_follows(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    wrong = register(clerk, received="2026-03-02", department="zcfg")
    right = register(clerk, received="2026-03-04", content="另一件申请的内容")
    url, act = f"/applications/{wrong}", f"/applications/{wrong}/actions/receipt"
    page = clerk.get(url).text
    assert 'name="received" value="2026-03-02"' in page  # the form starts from the register
    form = {"channel": "in_person", "arrived": "2026-03-04", "received": "2026-03-04"}
    bad = post_form(clerk, url, act, form)  # no reason
    assert bad.status_code == 400 and "请填写更正理由" in bad.text
    assert _reply_due(clerk.get(url).text) == _reply_due(page)  # nothing written
    late = post_form(clerk, url, act, {**form, "received": "2026-03-05", "reason": "录入有误"})
    assert late.status_code == 400  # in person: the receipt is the day handed in
    own = late.text[late.text.index('id="action-receipt"') :]
    err = own[own.index('name="received"') :].split("</label>", 1)[0]
    assert "送达当日" in err
    ok = post_form(clerk, url, act, {**form, "reason": "收件日期录入有误"})
    assert ok.status_code == 303, ok.text
    page = clerk.get(url).text
    assert _reply_due(page) == _reply_due(clerk.get(f"/applications/{right}").text)
    assert "法定收到日期：2026-03-02 → 2026-03-04" in page and "收件日期录入有误" in page
    handler = client_for("zcfg_user")  # a department handler may not correct it
    r = post_form(handler, url, act, {**form, "received": "2026-03-03", "reason": "x"})
    assert r.status_code in (403, 404)


def test_a_bad_reason_is_said_beside_it_and_an_error_without_input_on_the_form(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, received="2026-03-02")
    url, act = f"/applications/{number}", f"/applications/{number}/actions/receipt"
    form = {"channel": "in_person", "arrived": "2026-03-03", "received": "2026-03-03"}
    bad = post_form(clerk, url, act, {**form, "reason": "录入\x0b有误"})  # pasted from Word
    assert bad.status_code == 400
    own = bad.text[bad.text.index('id="action-receipt"') :]
    beside = own[own.index('name="reason"') :].split("</label>", 1)[0]
    assert 'class="field-error"' in beside
    # the other forms whose note is asked as a reason: 更正登记信息, and 退回 by a department
    long = {"date": "2026-03-05", "applicant": "张三丰", "reason": "x" * 2001}
    assigned = register(clerk, received="2026-03-02", department="zcfg", content="另一件")
    for who, n, kind in ((clerk, number, "amend"), (client_for("zcfg_user"), assigned, "return")):
        page = f"/applications/{n}"
        r = post_form(who, page, f"{page}/actions/{kind}", long)
        assert r.status_code == 400 and "2000" in r.text, (kind, r.status_code)
    clerk_reply = post_form(clerk, url, f"{url}/actions/reply", {"date": "2026-03-05",
                            "outcome": "1"})  # fmt: skip
    assert clerk_reply.status_code == 303
    closed = post_form(clerk, url, act, {**form, "reason": "录入有误"})
    assert closed.status_code == 409 and "已办结" in closed.text  # no input: the form's line


def test_the_form_sends_every_value_and_only_the_changed_one_counts(client_for):  # type: ignore[no-untyped-def]
    """In person, arrival and receipt are one day: the form sends both, filled with the
    registered values; changing only 法定收到日期 moves both (as `amend --received` does)."""
    clerk = client_for("clerk")
    number = register(clerk, received="2026-03-03")
    url, act = f"/applications/{number}", f"/applications/{number}/actions/receipt"
    form = {"channel": "in_person", "arrived": "2026-03-03", "received": "2026-03-02"}
    ok = post_form(clerk, url, act, {**form, "reason": "录入有误"})
    assert ok.status_code == 303, ok.text
    page = clerk.get(url).text
    assert "送达日期：2026-03-03 → 2026-03-02" in page
    assert "法定收到日期：2026-03-03 → 2026-03-02" in page
    now = {**form, "arrived": "2026-03-02", "reason": "再核对"}  # the form as it now shows
    again = post_form(clerk, url, act, now)
    assert again.status_code == 400 and "没有需要更正的内容" in again.text
