"""The handler and the hand-off: assign --handler, accept (签收), return (退回); the lists'
handler filter; cooperating departments' due dates and answers (both databases)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, text

from disclosure.calendar_source import make_calendar
from disclosure.settings import load_settings
from rules.cooperation import cooperation_due
from tests.people.conftest import People


def rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
            for t in ("event", "application")
        }


def test_handler_must_belong_to_the_department(people: People, engine: Engine) -> None:
    people.accounts()
    n = people.register()
    before = rows(engine)
    err = people.fails("assign", n, "--department", "zcfg", "--handler", "other_head", code=2)
    assert "--handler" in err and "不属于主办部门政策法规处" in err
    err = people.fails("assign", n, "--department", "zcfg", "--handler", "nobody")
    assert "--handler" in err and "nobody" in err
    assert rows(engine) == before


def test_assign_with_handler_then_lists_and_show(people: People) -> None:
    people.accounts()
    n = people.register()
    m = people.register()
    people.ok("assign", n, "--department", "zcfg", "--handler", "handler")
    shown = people.ok("show", n)
    assert shown["handler"] == "handler" and shown["handler_name"] == "周承办"
    assert shown["handoff"]["status"] == "pending"
    assert "承办人：周承办  部门签收：待签收" in people.ok("show", n, json_out=False)
    listed = people.ok("list", "--handler", "handler")
    assert [r["number"] for r in listed] == [n]
    assert people.ok("list", "--handler", "dhead") == []
    assert {r["number"] for r in people.ok("list")} == {n, m}
    err = people.fails("list", "--handler", "nobody")
    assert "--handler" in err


def test_accept_once_by_the_department_only(people: People, engine: Engine) -> None:
    people.accounts()
    n = people.register()
    people.ok("assign", n, "--department", "zcfg", "--handler", "handler")
    before = rows(engine)
    err = people.fails("accept", n, "--as", "other_head", code=6)
    assert "冯处长 不属于主办部门政策法规处" in err
    assert rows(engine) == before
    out = people.ok("accept", n, "--as", "dhead")
    assert out["handoff"]["status"] == "accepted" and out["handoff"]["by"] == "吴处长"
    assert out["handoff"]["at"] == out["recorded_at"]
    mid = rows(engine)
    err = people.fails("accept", n, "--as", "handler", code=5)
    assert "已于 2026-11-27 签收" in err
    err = people.fails("return", n, "--reason", "不属本处职责", "--as", "dhead", code=5)
    assert "签收" in err
    assert rows(engine) == mid
    shown = people.ok("show", n)
    [ev] = [e for e in shown["timeline"] if e["kind"] == "accepted"]
    assert ev["approver"] == "dhead" and ev["actor"] == "dhead" and ev["recorded_at"]
    # the timeline says who the step names in its role, by name, and the department by
    # its name (not 批准人：dhead, nor the code zcfg)
    assert (ev["person_label"], ev["person"], ev["party_name"]) == (
        "签收人",
        "吴处长",
        "政策法规处",
    )
    text = people.ok("show", n, json_out=False)
    assert "政策法规处；签收人：吴处长" in text
    assert "批准人" not in text and "zcfg" not in text


def test_return_needs_a_reason_then_a_new_assignment(people: People, engine: Engine) -> None:
    people.accounts()
    n = people.register()
    people.ok("assign", n, "--department", "zcfg", "--handler", "handler")
    before = rows(engine)
    err = people.fails("return", n, "--as", "handler")
    assert "--reason" in err and "退回须写明理由" in err
    err = people.fails("return", n, "--reason", "   ", "--as", "handler")
    assert "退回须写明理由" in err
    assert rows(engine) == before
    out = people.ok("return", n, "--reason", "不属本处职责，建议转环境保护处", "--as", "handler")
    assert out["handoff"]["status"] == "returned"
    shown = people.ok("show", n)
    assert shown["handler"] == "" and shown["handoff"]["reason"].startswith("不属本处职责")
    assert people.ok("list", "--handler", "handler") == []
    err = people.fails("accept", n, "--as", "dhead", code=5)
    assert "须重新分办" in err
    people.ok("assign", n, "--department", "zcfg", "--handler", "handler")
    assert people.ok("accept", n, "--as", "handler")["handoff"]["status"] == "accepted"


def test_cooperating_department_due_and_answer(people: People, engine: Engine) -> None:
    people.accounts()
    n = people.register()
    people.ok("assign", n, "--department", "zcfg", "--cooperating", "hbc")
    shown = people.ok("show", n)
    target = date.fromisoformat(shown["internal_target"])
    settings = load_settings()
    cal, lead = make_calendar(settings), settings.office.cooperation_lead_days
    [coop] = shown["cooperation"]
    expected = cooperation_due(cal, target, lead, date(2026, 11, 2))
    assert coop["department"] == "hbc" and coop["due"] == expected.isoformat()
    assert cal.working_days_between(expected, target) == lead == 3
    assert coop["answered_on"] is None
    before = rows(engine)
    err = people.fails("cooperation-answer", n, "--department", "zcfg")
    assert "不是该申请的协办部门" in err
    err = people.fails("cooperation-answer", n, "--department", "hbc", "--as", "handler", code=6)
    assert "不属于协办部门环境保护处" in err
    assert rows(engine) == before
    out = people.ok("cooperation-answer", n, "--department", "hbc", "--as", "other_head")
    assert out["cooperation"][0]["answered_on"] == "2026-11-27"
    err = people.fails("cooperation-answer", n, "--department", "hbc", code=5)
    assert "不能重复记录" in err
