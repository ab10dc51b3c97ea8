"""Inline SVG bar charts drawn on the server (no JavaScript, no external assets)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 10, 16, 36


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


def due_chart(series: list[tuple[date, int]]) -> Markup:
    """Open applications due on each of the coming working days."""
    values = [n for _, n in series]
    ymax = _nice_max(values)
    parts = _frame(ymax, "未来30个工作日每日到期件数")
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(1, len(series))
    for i, (day, n) in enumerate(series):
        h = inner_h * n / ymax
        x = PAD_LEFT + i * step + step * 0.15
        y = PAD_TOP + inner_h - h
        cls = "bar hot" if i < 3 else "bar warm" if i < 5 else "bar"
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{day.isoformat()}：{n} 件</title></rect>'
        )
        if i % 5 == 0:
            parts.append(
                f'<text class="axis" x="{x + step * 0.35:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
                f'text-anchor="middle">{day.strftime("%m-%d")}</text>'
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
        parts.append(
            f'<text class="axis" x="{x0 + bar:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
            f'text-anchor="middle">{escape(month[2:])}</text>'
        )
    lx = WIDTH - PAD_RIGHT - 170
    parts.append(
        f'<rect class="bar" x="{lx}" y="2" width="10" height="10"/>'
        f'<text class="axis" x="{lx + 14}" y="11">收件</text>'
        f'<rect class="bar ok" x="{lx + 60}" y="2" width="10" height="10"/>'
        f'<text class="axis" x="{lx + 74}" y="11">按期答复</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
