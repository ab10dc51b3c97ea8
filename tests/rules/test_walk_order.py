"""rules.walk: events walked as given when in date order, sorted otherwise, same answer.

Also the reply date the walk computes inline for the usual case against `Walk.statutory_due`
(the general count through `WorkingCalendar.add_ordinal`).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.engine import Deadlines, Policy
from rules.errors import SequenceError
from rules.events import Event
from tests.rules.helpers import BASE, D, K, ev, run

FEE = [BASE, ev(K.FEE_NOTICE_SENT, "2026-03-05", served="2026-03-05"), ev(K.FEE_PAID, "2026-03-10")]


def _outcome(calendar: WorkingCalendar, events: list[Event]) -> object:
    try:
        dl = run(calendar, *events)
    except SequenceError as e:
        return (type(e), str(e), e.field, e.step)
    return (dl.reply_due, dl.pause_spans, dl.counts, dl.flags, list(dl.events))


def test_a_step_listed_before_the_one_it_needs_is_walked_in_date_order(
    calendar: WorkingCalendar,
) -> None:
    """Walked as listed, the payment would come before its notice; by date it does not."""
    listed = [FEE[0], FEE[2], FEE[1]]
    assert _outcome(calendar, listed) == _outcome(calendar, FEE)
    assert run(calendar, *listed).events == FEE


def test_a_reply_listed_in_the_middle_but_last_by_date(calendar: WorkingCalendar) -> None:
    reply = ev(K.REPLIED, "2026-03-20")
    assert _outcome(calendar, [BASE, reply, *FEE[1:]]) == _outcome(calendar, [*FEE, reply])


def test_an_error_is_the_one_of_the_date_order(calendar: WorkingCalendar) -> None:
    """A second notice by date, listed first: the error names the later one, as sorted."""
    late = ev(K.FEE_NOTICE_SENT, "2026-03-12")
    listed, by_date = [BASE, late, *FEE[1:]], [*FEE, late]
    with pytest.raises(SequenceError):
        run(calendar, *by_date)
    assert _outcome(calendar, listed) == _outcome(calendar, by_date)


def test_same_day_events_keep_the_given_order_when_sorted(calendar: WorkingCalendar) -> None:
    """The answer listed before its letter on the same day: refused, also when the list needs
    sorting for another event."""
    sent = ev(K.CONSULTATION_SENT, "2026-03-09")
    answered = ev(K.CONSULTATION_ANSWERED, "2026-03-09")
    reply = ev(K.REPLIED, "2026-04-20")
    with pytest.raises(SequenceError):
        run(calendar, BASE, answered, sent)
    with pytest.raises(SequenceError):
        run(calendar, reply, BASE, answered, sent)
    assert _outcome(calendar, [reply, BASE, sent, answered]) == _outcome(
        calendar, [BASE, sent, answered, reply]
    )


def test_the_given_list_is_neither_kept_nor_changed(calendar: WorkingCalendar) -> None:
    listed = [FEE[0], FEE[2], FEE[1]]
    copy = list(listed)
    dl = run(calendar, *FEE)
    assert dl.events is not FEE and dl.events == FEE
    run(calendar, *listed)
    assert listed == copy


# -- the inline reply date against the general count ----------------------------------------

KINDS = [
    K.CONSULTATION_SENT,
    K.CONSULTATION_ANSWERED,
    K.FEE_NOTICE_SENT,
    K.FEE_PAID,
    K.EXTENSION_GRANTED,
    K.PAUSE,
    K.CORRECTION_REQUESTED,
    K.CORRECTION_RECEIVED,
]


@st.composite
def applications(draw: st.DrawFn) -> list[Event]:
    r = D("2025-01-01") + timedelta(days=draw(st.integers(0, 600)))
    out = [Event(K.RECEIVED, r)]
    day = r
    for kind in draw(st.lists(st.sampled_from(KINDS), max_size=7)):
        day += timedelta(days=draw(st.integers(0, 9)))
        served = day + timedelta(days=draw(st.integers(0, 3))) if draw(st.booleans()) else None
        days = draw(st.integers(1, 20)) if kind is K.EXTENSION_GRANTED else None
        end = day + timedelta(days=draw(st.integers(0, 12))) if kind is K.PAUSE else None
        party = draw(st.sampled_from([None, "甲公司", "乙局"]))
        out.append(Event(kind, day, days=days, end=end, party=party, served=served))
    return out


@settings(max_examples=400, deadline=None)
@given(events=applications(), fee_pauses=st.booleans())
def test_the_inline_reply_date_is_the_general_count(
    calendar: WorkingCalendar, events: list[Event], fee_pauses: bool
) -> None:
    try:
        dl = run(calendar, *events, policy=Policy(fee_pauses_clock=fee_pauses))
    except SequenceError:
        return
    assert isinstance(dl, Deadlines)
    due = dl.statutory_due()
    assert dl.reply_due == (date.fromordinal(due) if due is not None else None)
