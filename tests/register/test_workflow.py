"""`services.workflow`: the allowed transitions (Reg. Art. 45 ledger), and `disclosure stage`."""

from __future__ import annotations

import pytest

from disclosure.errors import Conflict
from disclosure.models import Stage
from disclosure.services.workflow import TRANSITIONS, advanced, check_transition
from tests.register.conftest import Cli

R, V, H, P, A = (
    Stage.REGISTERED,
    Stage.REVIEW,
    Stage.HANDLING,
    Stage.REPLIED,
    Stage.ARCHIVED,
)
ALLOWED = {(R, V), (R, H), (R, P), (V, H), (V, P), (H, P), (P, A)}


@pytest.mark.parametrize("current", list(Stage))
@pytest.mark.parametrize("target", list(Stage))
def test_transitions(current: Stage, target: Stage) -> None:
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(Conflict):
            check_transition(current, target)


def test_transition_table_is_forward_only() -> None:
    order = list(Stage)
    for current, targets in TRANSITIONS.items():
        assert all(order.index(t) > order.index(current) for t in targets)


@pytest.mark.parametrize(
    ("current", "kind", "expected"),
    [
        (R, "correction_requested", V),  # asking for corrections is part of the review
        (R, "extension_granted", H),
        (V, "consultation_sent", H),
        (H, "correction_received", H),  # never moves backwards
        (R, "note", R),  # events outside the workflow leave it alone
        (H, "replied", P),
        (R, "withdrawn", P),
    ],
)
def test_events_advance_the_stage(current: Stage, kind: str, expected: Stage) -> None:
    assert advanced(current, kind) is expected


def test_closed_application_cannot_go_back() -> None:
    assert advanced(A, "extension_granted") is A  # the stage never moves backwards …
    with pytest.raises(Conflict):
        check_transition(A, P)  # … and an archived application is final


@pytest.mark.usefixtures("engine")
def test_stage_commands(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    assert c.ok("stage", n, "review")["stage"] == "review"
    assert c.ok("stage", n, "handling")["stage"] == "handling"
    assert "阶段:" in c.fails("stage", n, "review", code=5)  # backwards
    assert "阶段:" in c.fails("stage", n, "replied", code=5)  # only through `reply`
    assert "阶段:" in c.fails("archive", n, code=5)  # not replied yet
    assert "阶段:" in c.fails("stage", n, "flying", code=2)
    c.ok("reply", n, "--outcome", "1", "--date", "2026-11-20")
    assert c.ok("archive", n)["stage"] == "archived"
    assert "阶段:" in c.fails("archive", n, code=5)
    # The timeline is in date order: the reply is dated 11-20, the stage moves 11-27.
    timeline = c.show(n)["timeline"]
    assert [e["kind"] for e in timeline][-4:] == ["replied"] + ["stage_moved"] * 3
    assert [e["label"] for e in timeline][-3:] == [
        "转入“审核”阶段",
        "转入“办理”阶段",
        "转入“归档”阶段",
    ]


@pytest.mark.usefixtures("engine")
def test_migration_0007_keeps_stage_moves_recorded_before_it(engine, c: Cli) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import text

    from disclosure.db import transaction
    from disclosure.migrate import alembic_config

    n = c.register("2026-11-02")["number"]
    c.ok("stage", n, "review", "--note", "转审核")
    cfg = alembic_config(engine)
    command.downgrade(cfg, "0006")
    with transaction(engine, write=False) as s:
        old = s.execute(text("SELECT kind, note FROM event WHERE kind LIKE 'stage%'")).all()
    assert [tuple(r) for r in old] == [("stage:review", "转审核")]  # the encoding before 0007
    command.upgrade(cfg, "head")
    moved = c.show(n)["timeline"][-1]
    assert (moved["kind"], moved["label"], moved["note"]) == (
        "stage_moved",
        "转入“审核”阶段",
        "转审核",
    )


@pytest.mark.usefixtures("engine")
def test_no_step_predates_the_application(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    """A back-dated `--today` cannot put a note, a stage move or a step before the day the
    application arrived: the case did not exist yet."""
    n = c.register("2026-11-02")["number"]
    with unchanged():
        for args in (
            ("note", n, "--note", "电话询问", "--today", "2026-10-30"),
            ("stage", n, "review", "--today", "2026-11-01"),
            ("withdraw", n, "--date", "2026-10-01"),
        ):
            line = c.fails(*args, code=2)
            assert "早于申请送达日期 2026-11-02" in line, line
    c.ok("note", n, "--note", "电话询问", "--today", "2026-11-02")
    assert [e["on"] for e in c.show(n)["timeline"] if e["kind"] == "note"] == ["2026-11-02"]


def test_refusals_name_the_right_field_and_cause(c: Cli) -> None:
    """A second extension is not a problem of its date; an answer dated before its letter
    says so, rather than that no consultation waits (the trial of 2026-12-03)."""
    n = c.register("2026-11-02")["number"]
    c.ok("extend", n, "--days", "5", "--approver", "李主任", "--date", "2026-11-20")
    again = c.fails("extend", n, "--days", "5", "--approver", "李主任", "--date", "2026-11-23")
    assert again == "错误：只能延期一次（条例第三十三条）"
    sent = ("--party", "某公司", "--date", "2026-11-24", "--served", "2026-11-24")
    c.ok("consult", "send", n, *sent)
    early = c.fails("consult", "answer", n, "--date", "2026-11-23")
    assert early == "错误：--date: 收到意见的日期 2026-11-23 早于征求意见书的发出日期 2026-11-24"
    assert c.ok("consult", "answer", n, "--date", "2026-11-25")["state"] == "running"


def test_confirming_an_in_person_case_says_there_is_nothing_to_confirm(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    line = c.fails("confirm", n, "--date", "2026-11-03", code=5)
    assert "收到日期 2026-11-02 即法定收到日期（条例第三十一条），无需确认" in line, line
    assert "当面提交" in line


def test_a_withdrawn_case_reads_as_one(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    c.ok("withdraw", n, "--date", "2026-11-05")
    r = c.run("show", n, "--today", "2026-11-05")
    assert r.exit_code == 0 and "答复结果：6.3 其他（申请人撤回）" in r.stdout, r.stdout
    m = c.register("2026-11-02")["number"]
    c.ok("reply", m, "--outcome", "6.3", "--date", "2026-11-05")  # 其他 on the merits
    assert "答复结果：6.3 其他\n" in c.run("show", m, "--today", "2026-11-05").stdout
