"""The registration form: an organisation's unified social credit code (as `register
--credit-code`), and the case types (内部时限) by their Chinese names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Applicant, Application
from disclosure.settings import Settings
from tests.conftest import base_settings
from tests.web.conftest import post_form, register

CREDIT_CODE = "91110000600037341L"  # a valid unified social credit code


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """The case types config.toml ships, and one an office named in Chinese."""
    case_types = {
        "already_public": {"within_days": 5},
        "not_ours": {"within_days": 3},
        "重大敏感": {"days_before_due": 8},
    }
    return base_settings(tmp_path, db_url, targets={"case_types": case_types})


def _count(engine) -> int:  # type: ignore[no-untyped-def]
    with transaction(engine, write=False) as s:
        return int(s.exec(select(func.count()).select_from(Application)).one())


def test_an_organisations_credit_code_is_registered(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    page = clerk.get("/applications/new").text
    assert 'name="credit_code"' in page
    # shown for organisations only (app.js), never for a natural person
    when = page[page.index("统一社会信用代码") - 200 : page.index("统一社会信用代码")]
    assert (
        'data-when="applicant_type:business research public_interest legal_services other"' in when
    )
    number = register(
        clerk,
        applicant="某某环保科技有限公司",
        applicant_type="business",
        credit_code=CREDIT_CODE.lower(),
    )
    with transaction(engine, write=False) as s:
        app = s.exec(select(Application).where(Application.number == number)).one()
        applicant = s.get(Applicant, app.applicant_id)
        assert applicant is not None and applicant.credit_code == CREDIT_CODE  # compacted
    page = clerk.get(f"/applications/{number}").text
    assert f"<dt>统一社会信用代码</dt><dd>{CREDIT_CODE}</dd>" in page  # shown whole: not personal


def test_a_wrong_credit_code_is_named_beside_the_field(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    data = {
        "channel": "in_person",
        "received": "2026-03-02",
        "applicant": "某某环保科技有限公司",
        "applicant_type": "business",
        "content": "2025年某河道水质监测报告",
        "credit_code": CREDIT_CODE[:-1] + "M",
    }
    r = post_form(clerk, "/applications/new", "/applications/new", data)
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert '<span class="field-error" id="err-credit_code">统一社会信用代码无效' in r.text  # type: ignore[attr-defined]
    assert f'value="{data["credit_code"]}"' in r.text  # type: ignore[attr-defined]  # kept to correct
    assert _count(engine) == 0


def test_case_types_are_offered_by_their_chinese_names(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    page = clerk.get("/applications/new").text
    choice = page[page.index('<select name="case_type">') :]
    choice = choice[: choice.index("</select>")]
    assert '<option value="">一般（答复期限前 5 个工作日）</option>' in choice
    assert '<option value="already_public">已主动公开（收到后 5 个工作日内）</option>' in choice
    assert '<option value="not_ours">非本机关掌握（收到后 3 个工作日内）</option>' in choice
    assert '<option value="重大敏感">重大敏感（答复期限前 8 个工作日）</option>' in choice
    assert ">already_public<" not in choice and ">not_ours<" not in choice
    number = register(clerk, case_type="not_ours")  # the value stays the code
    with transaction(engine, write=False) as s:
        app = s.exec(select(Application).where(Application.number == number)).one()
        assert app.case_type == "not_ours"


SAME = {
    "channel": "post_signed",
    "received": "2026-03-02",
    "applicant": "李四",
    "applicant_type": "natural",
    "content": "2025年某河道水质监测报告",
}


def test_the_same_registration_sent_again_is_asked_about_not_registered(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """The back button and 登记 again: the form comes back with the first one's number and is
    registered only once the clerk ticks 仍然登记."""
    clerk = client_for("clerk")
    first = register(clerk, **SAME, again="")
    again = {**SAME, "content": "2025年某河道水质监测报告。 "}  # spacing and punctuation aside
    r = post_form(clerk, "/applications/new", "/applications/new", again)
    assert r.status_code == 409  # type: ignore[attr-defined]
    assert f'<a href="/applications/{first}">{first}</a>' in r.text  # type: ignore[attr-defined]
    assert "可能是重复提交，未登记" in r.text and 'name="again"' in r.text  # type: ignore[attr-defined]
    assert _count(engine) == 1
    second = register(clerk, **again, again="1")
    assert second != first and _count(engine) == 2
    # The ticked form sent once more (back, resubmit) names `first`: asked again, not registered.
    r = post_form(clerk, "/applications/new", "/applications/new", {**again, "again": first})
    assert r.status_code == 409 and f'value="{second}"' in r.text  # type: ignore[attr-defined]
    assert _count(engine) == 2
    # Another date, or another request, is another registration: no question asked.
    register(clerk, **{**SAME, "received": "2026-03-03"}, again="")
    register(clerk, **{**SAME, "content": "2024年某河道水质监测报告"}, again="")
    assert _count(engine) == 4


def test_a_similar_earlier_request_is_warned_about_after_registering(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """As `register` on the CLI: the applicant's similar earlier request is named (Reg. Art.
    36(6) is the clerk's call)."""
    clerk = client_for("clerk")
    who = {"id_number": "110101199003074514"}
    first = register(clerk, **SAME, **who)
    later = register(
        clerk, **{**SAME, "received": "2026-03-04", "content": "2025年某河道的水质监测报告"}, **who
    )
    page = clerk.get(f"/applications/{later}").text
    assert f"该申请人此前提出过相似的申请 {first}" in page
    assert "条例第三十六条第六项" in page


def test_an_in_person_receipt_on_a_closed_day_is_questioned(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """Sun 2026-03-01 at the counter is asked about before registering; the tick names the
    date it confirms. Sat 2026-02-28 is a make-up working day (2026 notice): no question;
    by post, a Sunday needs none."""
    clerk = client_for("clerk")
    url = "/applications/new"
    sunday = {**SAME, "channel": "in_person", "received": "2026-03-01"}
    r = post_form(clerk, url, url, sunday)
    assert r.status_code == 409 and _count(engine) == 0  # type: ignore[attr-defined]
    assert "收到日期 2026-03-01（周日）不是工作日，当面提交的请核对日期" in r.text  # type: ignore[attr-defined]
    assert 'name="day_ok" value="2026-03-01"' in r.text  # type: ignore[attr-defined]
    other = {**sunday, "received": "2026-03-08", "day_ok": "2026-03-01"}  # the date changed
    assert post_form(clerk, url, url, other).status_code == 409  # type: ignore[attr-defined]
    r = post_form(clerk, url, url, {**sunday, "day_ok": "2026-03-01"})
    assert r.status_code == 303 and _count(engine) == 1  # type: ignore[attr-defined]
    for plain in ({**sunday, "received": "2026-02-28"}, {**SAME, "received": "2026-03-01",
                  "applicant": "赵三"}):  # fmt: skip
        assert post_form(clerk, url, url, plain).status_code == 303  # type: ignore[attr-defined]
    assert _count(engine) == 3


def test_both_questions_are_asked_at_once_and_one_answer_is_kept(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """The same Sunday registration again: both boxes at once; ticking one keeps it while the
    other is asked (no back and forth between the two questions)."""
    clerk = client_for("clerk")
    url = "/applications/new"
    sunday = {**SAME, "channel": "in_person", "received": "2026-03-01", "day_ok": "2026-03-01"}
    first = post_form(clerk, url, url, sunday)
    assert first.status_code == 303  # type: ignore[attr-defined]
    number = first.headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    plain = {k: v for k, v in sunday.items() if k != "day_ok"}
    r = post_form(clerk, url, url, plain)
    assert r.status_code == 409  # type: ignore[attr-defined]
    assert 'name="again" value="' + number in r.text and 'name="day_ok"' in r.text  # type: ignore[attr-defined]
    r = post_form(clerk, url, url, {**plain, "again": number})  # only one box ticked
    assert r.status_code == 409 and 'id="same-registration"' not in r.text  # type: ignore[attr-defined]
    assert f'<input type="hidden" name="again" value="{number}">' in r.text  # type: ignore[attr-defined]
    assert _count(engine) == 1
    r = post_form(clerk, url, url, {**plain, "again": number, "day_ok": "2026-03-01"})
    assert r.status_code == 303 and _count(engine) == 2  # type: ignore[attr-defined]
