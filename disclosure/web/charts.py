"""Inline SVG bar charts drawn on the server (no JavaScript, no external assets)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 10, 22, 40


def _frame(ymax: int, title: str) -> list[str]:
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = round(ymax * i / 4)
        y = PAD_TOP + inner_h - inner_h * i / 4
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text class="axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    return parts


def _nice_max(values: list[int]) -> int:
    top = max(values, default=0)
    return max(4, top + (-top) % 4)


def urgency_class(left: int) -> str:
    """The bar's class for a due date `left` working days ahead: the list's and the cards'
    thresholds (web.filters.row_class: overdue, <= 3, <= 5), the same colours."""
    if left < 0:
        return "bar st-overdue"
    if left <= 3:
        return "bar st-due3"
    if left <= 5:
        return "bar st-due5"
    return "bar"


def due_chart(
    series: list[tuple[date, int]], *, overdue: int = 0, today: date | None = None
) -> Markup:
    """Open applications due on each of the coming working days, after one bar for those
    already overdue. A bar's colour is the urgency of its day: working days left, counting
    today as 0 (a case due today is in the "3 个工作日内" card)."""
    first_left = 0 if series and today is not None and series[0][0] == today else 1
    bars = [("已超期", -1, overdue)] + [
        (f"{d.month}月{d.day}日", first_left + i, n) for i, (d, n) in enumerate(series)
    ]
    ymax = _nice_max([n for _, _, n in bars])
    parts = _frame(ymax, "已超期及未来30个工作日每日到期件数")
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(1, len(bars))
    for i, (label, left, n) in enumerate(bars):
        h = inner_h * n / ymax
        x = PAD_LEFT + i * step + step * 0.15
        y = PAD_TOP + inner_h - h
        when = (
            "已超期"
            if left < 0
            else f"{label}（还有 {left} 个工作日）"
            if left
            else f"{label}（今日到期）"
        )
        parts.append(
            f'<rect class="{urgency_class(left)}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{step * 0.7:.1f}" height="{h:.1f}" data-count="{n}" data-left="{left}">'
            f"<title>{when}：{n} 件</title></rect>"
        )
        if i == 0 or (i > 1 and i % 5 == 1):  # the overdue bar, then every 5th day
            parts.append(
                f'<text class="axis" x="{x + step * 0.35:.1f}" y="{HEIGHT - PAD_BOTTOM + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def monthly_chart(rows: list[tuple[str, int, int]]) -> Markup:
    """Applications received per month against replies given on time."""
    ymax = _nice_max([max(a, b) for _, a, b in rows])
    parts = _frame(ymax, "每月收件数与按期答复数")
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(1, len(rows))
    bar = step * 0.36
    for i, (month, intake, on_time) in enumerate(rows):
        x0 = PAD_LEFT + i * step + step * 0.12
        for j, (value, cls, label) in enumerate(
            ((intake, "bar", "收件"), (on_time, "bar ok", "按期答复"))
        ):
            h = inner_h * value / ymax
            parts.append(
                f'<rect class="{cls}" x="{x0 + j * bar:.1f}" y="{PAD_TOP + inner_h - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(month)} {label}：'
                f"{value} 件</title></rect>"
            )
        year, number = month.split("-")
        shown = f"{year}年{int(number)}月" if i == 0 or number == "01" else f"{int(number)}月"
        parts.append(
            f'<text class="axis" x="{x0 + bar:.1f}" y="{HEIGHT - PAD_BOTTOM + 18}" '
            f'text-anchor="middle">{escape(shown)}</text>'
        )
    lx = WIDTH - PAD_RIGHT - 200
    parts.append(
        f'<rect class="bar" x="{lx}" y="2" width="12" height="12"/>'
        f'<text class="axis" x="{lx + 16}" y="13">收件</text>'
        f'<rect class="bar ok" x="{lx + 70}" y="2" width="12" height="12"/>'
        f'<text class="axis" x="{lx + 86}" y="13">按期答复</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
