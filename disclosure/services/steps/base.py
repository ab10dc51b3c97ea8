"""What every step has in common: the checks, the plan, and `record`.

A step is one line of an application's event log (rulebook §10: the ledger of Reg. Art. 45).
Each kind of step is a small frozen dataclass (see `catalogue`) holding the values a person
gives; `plan(case, step, ctx)` runs every check against the case as it stands — the checks
that need no database and the engine's own, by computing the deadlines once with the new
event — and says what recording it changes. `Step.record(session, ctx, number)` is the
one front door for the CLI, the web, the letters and the ledger import: it plans against
the stored case, appends the event(s), stores the recomputed deadlines and returns the
appended event. Nothing is written when a check fails, and the caller's transaction rolls
back everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, ClassVar

from sqlmodel import Session

from disclosure.errors import Conflict, DisclosureError, InvalidInput
from disclosure.models import Application, EventRecord
from disclosure.people.approval_chain import ChainState, chains
from disclosure.services.context import Context
from disclosure.services.deadlines import (
    compute_events,
    events_of,
    rule_events,
    store,
)
from disclosure.services.lookup import get_application
from disclosure.services.workflow import advanced
from disclosure.textinput import LINE_MAX, NOTE_MAX, clean_text
from disclosure.vocabulary import EventKind, Stage
from rules.engine import Deadlines
from rules.errors import WHOLE_STEP, RulesError
from rules.events import Event
from rules.events import EventKind as RuleKind
from rules.explain import explain_flag

# Event columns a step may fill (besides kind, on and note); see `models.EventRecord`.
EVENT_COLUMNS = (
    "days",
    "due_on",
    "end_on",
    "party",
    "approver",
    "outcome",
    "amount_yuan",
    "data",
)


@dataclass(frozen=True)
class CaseState:
    """An application as the checks see it: its row's facts and its engine events.

    Built from the database (`of`) or, by the ledger import, in memory (`after` adds a
    planned step), so both run exactly the same checks.
    """

    number: str
    channel: str
    arrived_on: date | None
    received_on: date | None
    case_type: str
    stage: Stage
    outcome: str | None
    closed_on: date | None
    events: tuple[Event, ...]  # the engine's events of the log, in log order
    letters: frozenset[str] = frozenset()  # the kinds of letter issued (disclosure.letters)
    issued: tuple[str, ...] = ()  # each letter issued, its name and 文号, in issue order
    # Sign-off chains in force (disclosure.people.approval_chain); None: not read (an import).
    approvals: tuple[ChainState, ...] | None = None

    @classmethod
    def of(cls, app: Application, records: Sequence[EventRecord]) -> CaseState:
        events = tuple(rule_events(records))
        issued = [r for r in records if r.kind == EventKind.LETTER_ISSUED.value]
        return cls(
            number=app.number,
            channel=app.channel,
            arrived_on=app.arrived_on,
            received_on=app.received_on,
            case_type=app.case_type,
            stage=Stage(app.stage),
            outcome=app.outcome,
            closed_on=app.closed_on,
            events=events,
            letters=frozenset(str((r.data or {}).get("letter_kind")) for r in issued),
            issued=tuple(r.note or str((r.data or {}).get("reference")) for r in issued),
            approvals=tuple(chains(records).values()),
        )

    @property
    def closed(self) -> bool:
        return self.stage in (Stage.REPLIED, Stage.ARCHIVED)

    def deadlines(self, ctx: Context) -> Deadlines | None:
        """The case's deadlines as recorded so far (None while the arrival is unconfirmed)."""
        return compute_events(self.case_type, self.events, ctx.office)

    def after(self, planned: Planned) -> CaseState:
        """The case once `planned` is recorded (for checking a history step by step)."""
        events = with_receipt(self.events, planned.step.moved_receipt())
        for line in planned.lines:
            if line.rule_event is not None:
                events = (*events, line.rule_event._replace(trusted=True))
        return replace(
            self,
            received_on=planned.received_on,
            stage=planned.stage,
            outcome=planned.outcome,
            closed_on=planned.deadlines.closed_on if planned.deadlines else self.closed_on,
            events=events,
        )


@dataclass(frozen=True)
class Line:
    """One event row a step appends."""

    kind: EventKind
    on: date
    note: str
    columns: dict[str, Any]
    rule_event: Event | None  # what the engine sees of it (None: moves no deadline)


@dataclass(frozen=True)
class Planned:
    """What recording a step changes; produced by `plan` when every check has passed."""

    step: Step
    lines: tuple[Line, ...]
    stage: Stage
    outcome: str | None
    received_on: date | None
    deadlines: Deadlines | None  # after the step (None: no receipt yet)
    recompute: bool  # whether the stored deadline columns change


@dataclass(frozen=True)
class Recorded:
    """The result of `Step.record`: the application, the appended event, its deadlines."""

    application: Application
    event: EventRecord
    deadlines: Deadlines | None
    told: tuple[str, ...] = ()  # what the step itself says to whoever records it

    @property
    def warnings(self) -> list[str]:
        """The engine's flags on the step just recorded (a late correction notice, …), in
        words: whoever records it is told at once, not only where the case is shown
        (rulebook §11); then what the step says (`Step.told`)."""
        d, kind, on = self.deadlines, self.event.kind, self.event.on
        flags = [explain_flag(f) for f in d.flags if f.step == kind and f.on == on] if d else []
        return [*flags, *self.told]


# Engine error fields (named after the engine's inputs) → the step's own field names.
_ENGINE_FIELDS = {"extend": "days", "deferred_due": "due"}


@dataclass(frozen=True, kw_only=True)
class Step:
    """One kind of step: subclasses set `kind` and add their values and checks."""

    kind: ClassVar[EventKind]
    needs_receipt: ClassVar[bool] = True  # refused while the arrival is unconfirmed
    when_closed: ClassVar[bool] = False  # allowed once the application is closed
    note_field: ClassVar[str] = "note"  # what the person gives the note as (a reason: reason)
    # What the step's date is given as: its own date (`on`), or the day it is recorded for
    # (`today`: the CLI's --today) for the office's steps that take no date of their own.
    date_field: ClassVar[str] = "on"

    on: date
    note: str = ""

    def check(self, case: CaseState, ctx: Context) -> None:
        """The step's own checks of its values against the case (no database)."""

    def columns(self) -> dict[str, Any]:
        """The event columns besides kind, on and note (`EVENT_COLUMNS`)."""
        return {}

    def rule_event(self) -> Event | None:
        """The engine's event for this step (None: the step moves no deadline)."""
        return None

    def moved_receipt(self) -> date | None:
        """The receipt date the engine counts from once the step is recorded, where the step
        corrects it (rulebook §3.3); None: the step leaves the receipt as it is."""
        return None

    def lines(self) -> tuple[Line, ...]:
        return (Line(self.kind, self.on, self.note, self.columns(), self.rule_event()),)

    def stage_after(self, case: CaseState) -> Stage:
        """The stage once the step is recorded (steps imply stages; never backwards)."""
        return advanced(case.stage, self.kind)

    def outcome(self, case: CaseState) -> str | None:
        """The application's outcome once the step is recorded."""
        return case.outcome

    def apply(self, session: Session, app: Application) -> None:
        """Changes to the application row other than stage, outcome and deadlines."""

    def told(self, case: CaseState, planned: Planned, ctx: Context) -> tuple[str, ...]:
        """What whoever records the step is told besides the engine's flags on the step
        itself (`case`: as it stood before the step)."""
        return ()

    def field_for(self, engine_field: str) -> str:
        """The field of this step that an engine error is about (default: its date)."""
        return _ENGINE_FIELDS.get(engine_field, "on")

    def prepare(self, session: Session, ctx: Context) -> Step:
        """Resolve what needs the database (e.g. a department code); returns the step."""
        return self

    def for_application(self, app: Application) -> Step:
        """Resolve what needs the application's row (called first, on the locked row)."""
        return self

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        """Check and record this step on application `number` (the module docstring)."""
        return record(session, ctx, number, self)


def with_receipt(events: tuple[Event, ...], day: date | None) -> tuple[Event, ...]:
    """`events` with the receipt moved to `day` (a receipt correction); as given for None."""
    if day is None:
        return events
    return tuple(e._replace(on=day) if e.kind is RuleKind.RECEIVED else e for e in events)


def not_future(d: date | None, today: date, field: str) -> None:
    if d is not None and d > today:
        raise InvalidInput(f"日期 {d.isoformat()} 晚于今天 {today.isoformat()}", field=field)


def not_before_arrival(d: date, case: CaseState, field: str = "on") -> None:
    """No step of a case predates the application itself: its arrival, or its legal receipt
    when no arrival is recorded (a back-dated entry with `--today` included)."""
    first = min(filter(None, (case.arrived_on, case.received_on)), default=None)
    if first is not None and d < first:
        raise InvalidInput(
            f"日期 {d.isoformat()} 早于申请送达日期 {first.isoformat()}，申请此前尚未收到",
            field=field,
        )


# A step's text values that are one line (a name, a code); every other text may hold lines.
SINGLE_LINE = frozenset({"party", "approver", "department", "repeats", "code", "reference"})


def check_texts(step: Step) -> None:
    """Every text value of `step` by the one input rule (disclosure.textinput)."""
    for f in fields(step):
        value = getattr(step, f.name)
        if type(value) is str and value:
            one = f.name in SINGLE_LINE
            name = step.note_field if f.name == "note" else f.name
            clean_text(value, name, max_len=LINE_MAX if one else NOTE_MAX, multiline=not one)


def plan(case: CaseState, step: Step, ctx: Context) -> Planned:
    """Every check of `step` on `case`, and what recording it changes (see module doc)."""
    check_texts(step)
    not_future(step.on, ctx.today, step.date_field)
    not_before_arrival(step.on, case, step.date_field)
    if step.needs_receipt and case.received_on is None:
        raise Conflict("尚未确认收到申请，请先确认收到", field="number")
    step.check(case, ctx)
    if case.closed and not step.when_closed:
        raise Conflict(f"申请已办结（{case.closed_on}），不能再记录", field="number")
    stage = step.stage_after(case)
    lines = step.lines()
    new_events = [line.rule_event for line in lines if line.rule_event is not None]
    moved = step.moved_receipt()
    received_on = moved or case.received_on
    for line in lines:
        if line.kind is EventKind.RECEIVED:
            received_on = line.on
    deadlines = None
    if new_events or moved:
        events = [*with_receipt(case.events, moved), *new_events]
        try:
            deadlines = compute_events(case.case_type, events, ctx.office)
        except DisclosureError as exc:
            exc.field = "" if exc.field == WHOLE_STEP else step.field_for(exc.field)
            _name_other_step(exc, {e.kind for e in new_events})
            raise
    return Planned(
        step=step,
        lines=lines,
        stage=stage,
        outcome=step.outcome(case),
        received_on=received_on,
        deadlines=deadlines,
        recompute=bool(new_events or moved),
    )


def _name_other_step(exc: DisclosureError, own: set[RuleKind]) -> None:
    """An engine refusal about a step already recorded, not the one being recorded (a
    back-dated correction notice before a recorded extension): say which step it is."""
    cause = exc.__cause__
    if isinstance(cause, RulesError) and cause.step is not None and cause.step not in own:
        exc.message = (
            f"记录后，已记录的“{EventKind(cause.step.value).label}”不能成立：{exc.message}"
        )


def record(session: Session, ctx: Context, number: str, step: Step) -> Recorded:
    """Lock the application, plan the step against its log, and write what it changes."""
    app = get_application(session, number, lock=True)
    step = step.for_application(app).prepare(session, ctx)
    assert app.id is not None
    case = CaseState.of(app, events_of(session, app))
    planned = plan(case, step, ctx)
    appended = [
        EventRecord(
            application_id=app.id,
            kind=line.kind.value,
            on=line.on,
            note=line.note,
            actor=ctx.actor,
            recorded_at=ctx.now,
            **{"data": {}, **line.columns},
        )
        for line in planned.lines
    ]
    session.add_all(appended)
    step.apply(session, app)
    app.received_on = planned.received_on
    app.stage = planned.stage.value
    app.outcome = planned.outcome
    app.updated_at = ctx.now
    if planned.recompute:
        store(app, planned.deadlines)
    session.add(app)
    session.flush()
    return Recorded(app, appended[0], planned.deadlines, step.told(case, planned, ctx))
