"""The whole annual report as Markdown (for a quick look, or pasting into a web page)."""

from __future__ import annotations

from disclosure.report.annual_full import INTRO, FullReport
from disclosure.report.annual_xlsx import render_markdown


def _row(cells: list[object]) -> str:
    return "| " + " | ".join("" if c is None else str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    return [_row(list(header)), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() + "\n" for p in text.splitlines() if p.strip()] or ["（未填写）\n"]


def section2_lines(report: FullReport) -> list[str]:
    v = report.figure
    lines = ["## 二、主动公开政府信息情况", "", "第二十条第（一）项", ""]
    lines += _table(
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [
            [label, *(v(f"{key}_{p}") for p in ("issued", "repealed", "in_force"))]
            for label, key in (("规章", "rules"), ("行政规范性文件", "normative"))
        ],
    )
    lines += ["第二十条第（五）项", ""]
    lines += _table(["信息内容", "本年处理决定数量"], [["行政许可", v("licensing_decisions")]])
    lines += ["第二十条第（六）项", ""]
    lines += _table(
        ["信息内容", "本年处理决定数量"],
        [["行政处罚", v("punishment_decisions")], ["行政强制", v("coercion_decisions")]],
    )
    lines += ["第二十条第（八）项", ""]
    lines += _table(
        ["信息内容", "本年收费金额（单位：万元）"], [["行政事业性收费", v("fees_amount")]]
    )
    return lines


def render_full_markdown(report: FullReport) -> str:
    lines = [f"# {report.agency}{report.year}年政府信息公开工作年度报告", ""]
    lines += [INTRO.format(year=report.year), "", "## 一、总体情况", ""]
    lines += _paragraphs(report.text("overview"))
    lines += section2_lines(report)
    lines.append(render_markdown(report.base))
    lines += ["## 五、存在的主要问题及改进情况", ""]
    lines += _paragraphs(report.text("problems"))
    lines += ["## 六、其他需要报告的事项", ""]
    lines += [p + "\n" for p in report.other_paragraphs()]
    if report.tasks.items:
        lines += _table(
            ["序号", "重点任务", "牵头单位", "落实情况"],
            [[t["code"], t["title"], t["lead"], t["status_label"]] for t in report.tasks.items],
        )
    if report.missing:
        lines.append(f"> 尚未填写的第二部分数据：{'、'.join(report.missing_labels)}\n")
    pub = report.publication
    if pub is not None and pub.correction_note:
        lines.append(f"> {pub.correction_note}\n")
    if pub is not None and pub.changes:
        lines += ["## 附：本报告发布后数据变动情况", ""]
        lines.append(f"本报告于{pub.locked_on}锁定发布（SHA-256：{pub.sha256}），此后变动如下：\n")
        lines += _table(
            ["项目", "发布时", "现在"], [[c.label, c.published, c.current] for c in pub.changes]
        )
    return "\n".join(lines).rstrip() + "\n"
