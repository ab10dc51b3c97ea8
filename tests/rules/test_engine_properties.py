"""Properties of the engine over random event sequences (issue 13, deliverable 7).

For any sequence of steps — every kind, served dates, pauses, extensions, Art. 35, fees,
corrections, closings, trusted history, across 2025–2027 (2027 provisional) — the engine
either refuses with a named error exactly when the naive reference (`tests.rules.reference`)
finds a broken rule, or gives every date the reference counts day by day. `compute` never
changes its inputs.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.clocks import Clock, Policy, State
from rules.engine import compute
from rules.errors import RulesError, SequenceError
from rules.events import Event, EventKind
from rules.explain import explain, explain_flag, status_line
from rules.schedule import Notice
from tests.rules.reference import Days, Verdict, judge

K = EventKind
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARTIES = st.sampled_from([None, "甲公司", "乙局"])


@pytest.fixture(scope="module")
def days(builtin_notices: list[Notice], calendar: WorkingCalendar) -> Days:
    return Days(builtin_notices, calendar.last_year)


def _after(draw: st.DrawFn, d: date, lo: int, hi: int) -> date:
    return d + timedelta(days=draw(st.integers(lo, hi)))


def _served(draw: st.DrawFn, sent: date) -> date | None:
    """Mostly a few days after sending; sometimes unknown, sometimes (wrongly) before."""
    return draw(
        st.one_of(st.none(), st.builds(lambda n: sent + timedelta(days=n), st.integers(-1, 6)))
    )


@st.composite
def applications(draw: st.DrawFn) -> tuple[list[Event], Policy]:
    """A plausible application with random optional steps; some break a rule."""
    r = draw(st.dates(date(2025, 1, 1), date(2027, 6, 30)))
    trusted = st.integers(0, 9).map(lambda n: n == 0)  # history recorded under another calendar
    evs = [Event(K.RECEIVED, r)]
    if draw(st.booleans()) and draw(st.integers(0, 2)) == 0:
        asked = _after(draw, r, 0, 14)
        evs.append(Event(K.CORRECTION_REQUESTED, asked, served=_served(draw, asked)))
        if draw(st.booleans()):
            evs.append(Event(K.CORRECTION_RECEIVED, _after(draw, asked, -1, 30)))
    for _ in range(draw(st.integers(0, 2))):
        sent = _after(draw, r, 0, 40)
        party = draw(PARTIES)
        evs.append(Event(K.CONSULTATION_SENT, sent, party=party, served=_served(draw, sent)))
        if draw(st.booleans()):
            answer_party = party if draw(st.integers(0, 4)) else draw(PARTIES)
            evs.append(
                Event(K.CONSULTATION_ANSWERED, _after(draw, sent, -1, 30), party=answer_party)
            )
    if draw(st.booleans()):
        sent = _after(draw, r, 0, 40)
        evs.append(Event(K.FEE_NOTICE_SENT, sent, served=_served(draw, sent)))
        if draw(st.integers(0, 4)) == 0:
            note = "邮寄延误" if draw(st.integers(0, 4)) else ""
            accepted = _after(draw, sent, 15, 45)
            evs.append(Event(K.LATE_PAYMENT_ACCEPTED, accepted, note=note, trusted=draw(trusted)))
        if draw(st.booleans()):
            evs.append(Event(K.FEE_PAID, _after(draw, sent, -1, 45), trusted=draw(trusted)))
    if draw(st.booleans()):
        on = _after(draw, r, 0, 45)
        days_ = (
            draw(st.integers(1, 20))
            if draw(st.integers(0, 9))
            else draw(st.sampled_from([None, 0, 21]))
        )
        evs.append(
            Event(K.EXTENSION_GRANTED, on, days=days_, approver="李主任", trusted=draw(trusted))
        )
    if draw(st.integers(0, 5)) == 5:
        on = _after(draw, r, 0, 35)
        gap = draw(st.integers(0, 90)) if draw(st.integers(0, 4)) else None
        due = on + timedelta(days=gap) if gap is not None else None
        evs.append(Event(K.DEFERRED, on, due=due, trusted=draw(trusted)))
    if draw(st.integers(0, 3)) == 0:
        on = _after(draw, r, 0, 40)
        evs.append(Event(K.PAUSE, on, end=_after(draw, on, -2, 20), note="停电"))
    closing = draw(st.sampled_from([None, K.REPLIED, K.WITHDRAWN, K.ABANDONED]))
    if closing is not None:
        reason = draw(st.sampled_from(["correction", "fee", None, "bad"]))
        evs.append(
            Event(
                closing,
                _after(draw, r, 0, 120)
                if draw(st.integers(0, 3)) == 0
                else _after(draw, r, 60, 150),
                reason=reason if closing is K.ABANDONED else None,  # type: ignore[arg-type]
                trusted=draw(trusted),
            )
        )
    evs = draw(st.permutations(evs))  # the engine sorts by date; same-day order is kept
    policy = Policy(
        correction_period=draw(st.sampled_from([5, 15])),
        fee_pauses_clock=draw(st.booleans()),
        target_days_before_due=draw(st.sampled_from([None, 3])),
        target_within_days=draw(st.sampled_from([None, 10])),
    )
    return list(evs), policy


def _runs(paused: set[date]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for d in sorted(paused):
        if out and d == out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _state(v: Verdict, today: date) -> State:
    """Rulebook §11 precedence, written again: closed, overdue, awaiting, paused, running."""
    if v.closed_on is not None:
        on_time = v.reply_due is None or v.closed_on <= v.reply_due
        return State.CLOSED_ON_TIME if on_time else State.CLOSED_LATE
    if v.reply_due is not None and today > v.reply_due:
        return State.OVERDUE
    if v.reply_due is None:
        return State.AWAITING_CORRECTION
    return State.PAUSED if today in v.paused else State.RUNNING


@SETTINGS
@given(app=applications(), offset=st.integers(0, 120))
def test_engine_agrees_with_the_naive_reference(
    calendar: WorkingCalendar, days: Days, app: tuple[list[Event], Policy], offset: int
) -> None:
    events, policy = app
    verdict = judge(events, days, policy)
    event(f"refused: {verdict.broken}" if verdict.broken else "accepted")
    if verdict.broken:
        with pytest.raises(RulesError) as info:
            compute(events, calendar, policy)
        assert type(info.value) not in (RulesError, SequenceError), verdict.broken
        assert info.value.field, verdict.broken
        return
    dl = compute(events, calendar, policy)
    assert dl.reply_due == verdict.reply_due
    assert dl.statutory_reply_due == verdict.statutory_due
    assert dl.correction_notice_due == verdict.correction_notice_due
    assert dl.correction_deadline == verdict.correction_deadline
    assert dl.fee_payment_due == verdict.fee_payment_due
    assert dl.internal_target == verdict.internal_target
    assert dl.closed_on == verdict.closed_on
    dues = [c.end for c in dl.counts if c.clock is Clock.CONSULTATION]
    assert dues == verdict.consultation_dues
    if dl.reply_due is not None:
        assert [(p.start, p.end) for p in dl.pauses] == _runs(verdict.paused)
        assert list(dl.pause_spans) == _runs(verdict.paused)
    today = dl.received + timedelta(days=offset)
    assert dl.state(today) is _state(verdict, today)
    if dl.reply_due is not None and not dl.closed:
        due = dl.reply_due
        if today <= due:
            left = days.between(today, due, verdict.paused)
        else:
            nxt = today
            while not days.working(nxt):
                nxt += timedelta(days=1)
            left = -days.between(due, nxt)
        assert dl.working_days_left(today) == left
    # Everything shown on demand can be built for any accepted sequence.
    assert len(explain(dl)) == len(dl.counts)
    [explain_flag(f) for f in dl.flags]
    status_line(dl, today)
    assert dl.next_action_due() == (min(dl.open_clocks().values()) if dl.open_clocks() else None)


@SETTINGS
@given(app=applications())
def test_compute_never_changes_its_inputs(
    calendar: WorkingCalendar, app: tuple[list[Event], Policy]
) -> None:
    events, policy = app
    before = list(events)
    table = [list(t) if not isinstance(t, int) else t for t in calendar.table()]
    try:
        dl = compute(events, calendar, policy)
        dl.counts, dl.flags, dl.pauses  # noqa: B018  (build every lazy fact too)
    except RulesError:
        pass
    assert events == before
    assert all(a is b for a, b in zip(events, before, strict=True))
    assert [list(t) if not isinstance(t, int) else t for t in calendar.table()] == table
