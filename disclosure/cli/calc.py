"""Calculator commands for a clerk checking a date by hand: `deadline` and `fee`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from disclosure.calendar_source import make_calendar
from disclosure.cli.options import parse_date, parse_pause, require_date
from disclosure.cli.state import state
from disclosure.errors import InvalidInput
from rules.calendar import WorkingCalendar
from rules.engine import Deadlines, Policy, compute
from rules.errors import RulesError
from rules.events import Event, EventKind
from rules.explain import cn_date, explain
from rules.fees import fee_per_item, fee_per_volume

if TYPE_CHECKING:
    from disclosure.settings import Settings

STATE_LABELS = {
    "running": "计时中",
    "paused": "暂停计时",
    "awaiting_correction": "等待补正",
    "overdue": "已超期",
    "closed_on_time": "按期办结",
    "closed_late": "逾期办结",
}


def register(app: typer.Typer) -> None:
    app.command("deadline")(deadline)
    app.command("fee")(fee)


def deadline(
    ctx: typer.Context,
    received: Annotated[str, typer.Option("--received", help="收到申请日期 YYYY-MM-DD")],
    correction_requested: Annotated[
        str | None, typer.Option("--correction-requested", help="发出补正告知日期")
    ] = None,
    correction_received: Annotated[
        str | None, typer.Option("--correction-received", help="收到补正申请日期")
    ] = None,
    extend: Annotated[int | None, typer.Option("--extend", help="延长工作日数（1–20）")] = None,
    extended_on: Annotated[
        str | None, typer.Option("--extended-on", help="作出延期决定的日期（默认答复期限当日）")
    ] = None,
    pause: Annotated[
        list[str] | None, typer.Option("--pause", help="暂停区间 START:END（含首尾），可多次")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="以该日为今天")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算答复期限（条例第三十条、第三十三条）。"""
    settings = state(ctx).settings
    rec = require_date(received, "--received")
    events = [Event(EventKind.RECEIVED, rec)]
    if correction_received is not None:
        corr = require_date(correction_received, "--correction-received")
        asked = parse_date(correction_requested, "--correction-requested") or min(corr, rec)
        if corr < rec:
            raise InvalidInput("收到补正日期早于收到申请日期", field="--correction-received")
        events += [
            Event(EventKind.CORRECTION_REQUESTED, asked),
            Event(EventKind.CORRECTION_RECEIVED, corr),
        ]
    elif correction_requested is not None:
        events.append(
            Event(
                EventKind.CORRECTION_REQUESTED,
                require_date(correction_requested, "--correction-requested"),
            )
        )
    for p in pause or []:
        span = parse_pause(p)
        events.append(Event(EventKind.PAUSE, span.start, end=span.end))
    calendar = make_calendar(settings)
    day = parse_date(today, "--today")
    if day is not None:
        try:
            calendar.describe(day)
        except RulesError as exc:
            raise InvalidInput(exc.message, field="--today") from exc
    with _as_options():
        result = compute(events, calendar, _policy(settings))
        if extend is not None:
            on = parse_date(extended_on, "--extended-on") or result.reply_due or rec
            with_ext = [*events, Event(EventKind.EXTENSION_GRANTED, on, days=extend)]
            result = compute(with_ext, calendar, _policy(settings))
        if as_json:
            typer.echo(json.dumps(_as_json(result, day, calendar), ensure_ascii=False))
            return
        _print(result, day, calendar)
        if extend is not None and extended_on is None:  # the explanation names a decision day
            typer.echo("（未给出 --extended-on：按于原答复期限当日决定延期计算。）")


# Field names used by rules/ errors → the calculator's option names.
_OPTION_FOR_FIELD = {
    "date": "--received",
    "received": "--received",
    "extend": "--extend",
    "extension": "--extend",
    "pause": "--pause",
    "correction_received": "--correction-received",
    "correction_requested": "--correction-requested",
    "pages": "--pages",
    "nth-in-month": "--nth-in-month",
    "nth_in_month": "--nth-in-month",
    "days": "--extend",
    "end": "--pause",
}
# An engine error about a step's date (`field == "on"`) names the step's option.
_OPTION_FOR_STEP = {
    EventKind.EXTENSION_GRANTED: "--extended-on",
    EventKind.CORRECTION_REQUESTED: "--correction-requested",
    EventKind.CORRECTION_RECEIVED: "--correction-received",
    EventKind.PAUSE: "--pause",
}


@contextmanager
def _as_options() -> Iterator[None]:
    """Re-raise rules errors naming the command-line option the clerk typed."""
    try:
        yield
    except RulesError as exc:
        option = _OPTION_FOR_FIELD.get(exc.field, exc.field)
        if exc.field == "on" and exc.step in _OPTION_FOR_STEP:
            option = _OPTION_FOR_STEP[exc.step]
        raise InvalidInput(exc.message, field=option) from exc


def _policy(settings: Settings) -> Policy:
    from disclosure.policy import engine_policy

    return engine_policy(settings)


def _as_json(result: Deadlines, day: date | None, calendar: WorkingCalendar) -> dict[str, Any]:
    out: dict[str, Any] = {
        "received": result.received.isoformat(),
        "period_start": result.period_start.isoformat(),
        "reply_due": _iso(result.reply_due),
        "correction_notice_due": result.correction_notice_due.isoformat(),
        "correction_deadline": _iso(result.correction_deadline),
        "extension_days": result.extension_days,
        "pauses": [[p.start.isoformat(), p.end.isoformat()] for p in result.pauses],
        "provisional": result.provisional,
        "explanation": explain(result, calendar),
    }
    if day is not None:
        out["today"] = day.isoformat()
        out["working_days_left"] = result.working_days_left(day, calendar)
        out["state"] = result.state(day).value
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _print(result: Deadlines, day: date | None, calendar: WorkingCalendar) -> None:
    lines = []
    if result.reply_due:
        lines.append(f"答复期限：{cn_date(result.reply_due)}")
    lines.append(f"补正告知期限：{cn_date(result.correction_notice_due)}")
    if result.provisional:
        lines.append("（临时：涉及尚未公布节假日安排的年度，按法定节假日暂估）")
    if day is not None and result.reply_due:
        left = result.working_days_left(day, calendar)
        status = STATE_LABELS[result.state(day).value]
        if left is not None and left >= 0:
            lines.append(f"截至{cn_date(day)}：{status}，剩余 {left} 个工作日")
        else:
            lines.append(f"截至{cn_date(day)}：{status}，已超期 {-(left or 0)} 个工作日")
    lines.append("")
    lines.append("计算说明：")
    lines += [f"  {text}" for text in explain(result, calendar)]
    typer.echo("\n".join(lines))


def fee(
    pages: Annotated[int | None, typer.Option("--pages", help="按量收费：页数")] = None,
    nth_in_month: Annotated[
        int | None, typer.Option("--nth-in-month", help="按件收费：本月第几件申请")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算信息处理费（国办函〔2020〕109号）。按件、按量只能选一种。"""
    if (pages is None) == (nth_in_month is None):
        raise InvalidInput(
            "须且只能指定 --pages 或 --nth-in-month 之一",
            field="--pages/--nth-in-month",
        )
    with _as_options():
        if pages is not None:
            amount, basis = fee_per_volume(pages), f"按量收费，{pages} 页"
        else:
            assert nth_in_month is not None
            amount, basis = fee_per_item(nth_in_month), f"按件收费，本月第 {nth_in_month} 件"
    if as_json:
        typer.echo(json.dumps({"amount_yuan": amount, "basis": basis}, ensure_ascii=False))
    else:
        typer.echo(f"{basis}：应收信息处理费 {amount} 元")
