"""The human `show`: header, the reply date, every clock with where it runs from, the timeline,
the handler and the hand-off.

Reads only the dictionary `services.views.detail` builds (the same one `show --json` prints),
so the two never disagree. An auditor recounts every date from it (rulebook §2, §4–§7).
"""

from __future__ import annotations

from typing import Any

import typer
from rich.text import Text

from disclosure.cli.output import console, table
from disclosure.outcomes import OUTCOMES, WITHDRAWN_WORDS
from disclosure.textinput import printable
from disclosure.vocabulary import Channel, DeadlineState, EventKind


def _outcome(code: object) -> str:
    info = OUTCOMES.get(str(code))
    return f"{code} {info.label}" if info else str(code)


def header(out: dict[str, Any]) -> list[str]:
    """The first lines: who, how it arrived and when, where it stands."""
    state = DeadlineState(out["state"]).label
    arrived = out["arrived_on"] or "—"
    received = out["received_on"] or "尚未确认"
    lines = [
        f"{out['number']}  {out['applicant']}  阶段：{out['stage_label']}  状态：{state}",
        f"提交方式：{Channel(out['channel']).label}  送达：{arrived}  法定收到日期：{received}",
        f"申请内容：{out['content']}",
    ]
    if out.get("outcome"):
        withdrawn = any(e["kind"] == EventKind.WITHDRAWN for e in out.get("timeline") or ())
        words = f"{out['outcome']} {WITHDRAWN_WORDS}" if withdrawn else _outcome(out["outcome"])
        lines.append(f"答复结果：{words}")
    return lines


def reply_line(out: dict[str, Any]) -> str | None:
    """The reply date and what is left; an overdue case says how late, never "剩余 0"."""
    if not out["reply_due"]:
        return None
    facts = out.get("facts") or {}
    text = f"答复期限：{out['reply_due']}"
    if out["provisional"]:
        text += "（临时：所涉年度的节假日安排尚未公布）"
    if facts.get("projection"):
        text += "（暂停尚未结束，按暂停期满推算）"
    if out.get("closed_on"):
        return text + f"，已于 {out['closed_on']} 办结"
    if facts.get("overdue"):
        return text + f"，已超期 {facts['working_days_late']} 个工作日"
    left = out["working_days_left"]
    return text + (f"，剩余 {left} 个工作日" if left is not None else "")


def clock_rows(facts: dict[str, Any]) -> list[list[str]]:
    """One row per clock: status, where it runs from, its length, due date, how it ended."""
    rows = []
    for c in facts.get("clocks", []):
        runs = c["runs_from"] or "—"
        if c["runs_from_label"]:
            runs += f"（{c['runs_from_label']}）"
        due = c["due"] or "—"
        if c["provisional"]:
            due += "（临时）"
        if c["projection"]:
            due += "（推算）"
        end = ""
        if c["finished_on"]:
            end = f"{c['finished_on']} 结束"
        elif c["replaced_by"]:
            end = f"{c['replaced_by']} 起重新计算"
        days = f"{c['working_days']} 个工作日" if c["working_days"] else ""
        status = c["status_label"]
        if c["status"] == "running" and c["due"] and c["due"] < facts["as_of"]:
            status = "已届满"  # ran out without the step that ends it: not "still running"
        rows.append([c["label"], status, runs, days, due, end])
    return rows


def pause_lines(facts: dict[str, Any]) -> list[str]:
    """Each merged pause of the reply clock once, with the causes that really overlap it."""
    out = []
    for p in facts.get("pauses", []):
        causes = "、".join(
            f"{c['label']}（{c['start']} 至 {c['end']}{'，尚未结束' if c['open'] else ''}）"
            for c in p["causes"]
        )
        out.append(f"  暂停 {p['start']} 至 {p['end']}：{causes}")
    return out


def flag_lines(facts: dict[str, Any]) -> list[str]:
    return [f"  ⚠ {f['text']}" for f in facts.get("flags", [])]


def _marked(note: str, flag: str | None) -> str:
    """A timeline note with the flag its step raised (rulebook §11: flags, not silence)."""
    return f"⚠ {flag}" + (f"；{note}" if note else "") if flag else note


def print_detail(out: dict[str, Any]) -> None:
    """Print `show` for the dictionary of `services.views.detail`."""
    con = console()
    first, *rest = (printable(line) for line in header(out))
    con.print(Text(first, style="bold"))
    for line in rest:
        con.print(Text(line))
    reply = reply_line(out)
    if reply:
        con.print(reply, highlight=False)
    facts = out.get("facts") or {}
    rows = clock_rows(facts)
    if rows:
        table("各项期限", ["期限", "状态", "起算", "期间", "届满日", "结束"], rows)
    for line in pause_lines(facts):
        con.print(line, highlight=False)
    flags = flag_lines(facts)
    if flags:
        con.print("[bold]提示[/bold]")
        for line in flags:
            con.print(line, highlight=False)
    flagged = {(f["step"], f["on"]): f["label"] for f in facts.get("flags", [])}
    table(
        "办理经过",
        ["日期", "事项", "说明", "记录人"],
        [
            [
                e["on"],
                e["label"],
                _marked(e["facts"], flagged.get((e["kind"], e["on"]))),
                e["actor"],
            ]
            for e in out["timeline"]
        ],
    )
    if out["explanation"]:  # none while the arrival is unconfirmed: no heading either
        con.print("[bold]期限计算说明[/bold]")
    for line in out["explanation"]:
        con.print("  " + line, highlight=False)


def print_handoff(out: dict[str, Any]) -> None:
    """The lines `show` adds: the handler, the hand-off, each cooperating department."""
    h = out.get("handoff") or {}
    if out.get("handler_name") or h.get("status"):
        line = f"承办人：{out.get('handler_name') or '未指定'}"
        if h.get("status"):
            line += f"  部门签收：{h['status_label']}"
            if h.get("by"):
                line += f"（{h['by']}，{h['on']}）"
            if h.get("reason"):
                line += f"  退回理由：{h['reason']}"
        typer.echo(line)
    for c in out.get("cooperation") or []:
        due = c["due"] or "—（尚未确认收到）"
        done = f"已于 {c['answered_on']} 答复" if c["answered_on"] else "尚未答复"
        name = c.get("department_name", c["department"])
        typer.echo(f"协办部门：{name}  答复时限：{due}  {done}")
