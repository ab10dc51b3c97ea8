"""The dates a letter prints, marked as `show` marks them (rulebook §1.4, §11.7).

A due date that reaches into a year whose State Council holiday notice is not loaded is
*provisional* (临时, §1.4); a reply date computed while a pause is still open (a consultation
unanswered, a fee unpaid) is a *projection* (推算, §4.6, §11.7). Both are marked wherever they
are shown, letters included: the date carries the mark itself ("2027年1月21日（推算、临时）"),
so an office's own template cannot print it as a firm date, and the shipped templates add one
closing note (`date_note`) that says what the marks mean. An explicit date (an Art. 35
deadline, a date the clerk typed) is never marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from disclosure.letters.kinds import LetterKind
from rules.calendar import PauseKind
from rules.engine import Clock, Count, Deadlines
from rules.explain import cn_date

PROJECTION, PROVISIONAL = "推算", "临时"
# What an open pause waits for, as the note names it.
PAUSE_WORDS = {PauseKind.CONSULTATION: "征求意见", PauseKind.FEE: "缴纳信息处理费"}

# The kinds whose shipped template prints `history` (the opening paragraph) and
# `reply_due_cn` (`disclosure.letters.build_templates`; a test keeps them in step); the note
# explains only the marks of what the letter prints.
RECITES_HISTORY = frozenset(
    {
        LetterKind.RECEIPT,
        LetterKind.CORRECTION,
        LetterKind.EXTENSION,
        LetterKind.CONSULTATION_NOTICE,
        LetterKind.FEE,
        LetterKind.ART35,
        LetterKind.DEFERRED,
        LetterKind.ABANDONED,
        LetterKind.REPLY,
    }
)
PRINTS_REPLY_DUE = frozenset(
    {
        LetterKind.RECEIPT,
        LetterKind.EXTENSION,
        LetterKind.CONSULTATION_NOTICE,
        LetterKind.COOPERATION,
    }
)


@dataclass
class DateMarks:
    """The marks one letter has printed, for its closing note."""

    projected: bool = False  # some date assumes an open pause runs its full length
    waits: list[str] = field(default_factory=list)  # what those open pauses wait for
    years: set[int] = field(default_factory=set)  # provisional years its dates reach into

    def mark(self, c: Count, day: date, d: Deadlines) -> str:
        """`day`, the end of count `c` of `d`, as the letter prints it: with `c`'s marks,
        which are remembered for the note."""
        marks = []
        if c.projection:
            marks.append(PROJECTION)
            self.projected = True
            self.waits.extend(w for w in open_waits(d) if w not in self.waits)
        if c.provisional:
            marks.append(PROVISIONAL)
            first, last = sorted((c.start or day, day))
            cal = d.calendar
            self.years.update(
                y for y in range(first.year, last.year + 1) if cal.is_provisional(date(y, 1, 1))
            )
        return cn_date(day) + (f"（{'、'.join(marks)}）" if marks else "")

    def merge(self, other: DateMarks) -> None:
        """Add the marks of dates printed from `other` (a part of the letter it prints)."""
        self.projected |= other.projected
        self.waits.extend(w for w in other.waits if w not in self.waits)
        self.years |= other.years

    def note(self) -> str:
        """The closing note of a letter whose dates carry marks ("" when none do)."""
        parts = []
        if self.projected:
            waits = "、".join(self.waits) or "暂停计算的事项"
            parts.append(
                f"标注“{PROJECTION}”的日期，是在{waits}尚未结束时推算的，"
                f"{waits}结束后将据实重新计算"
            )
        if self.years:
            years = "、".join(str(y) for y in sorted(self.years))
            parts.append(
                f"标注“{PROVISIONAL}”的日期，因国务院{years}年节假日安排尚未公布，"
                "按法定节假日暂估，以国务院公布的节假日安排为准"
            )
        return "注：" + "；".join(parts) + "。" if parts else ""


def open_waits(d: Deadlines) -> list[str]:
    """What the open pauses of `d` wait for (consultation, payment), once each."""
    out: list[str] = []
    for p in d.pauses:
        for c in p.causes:
            word = PAUSE_WORDS.get(c.kind)
            if word and (c.open or not c.served_known) and word not in out:
                out.append(word)
    return out


def count_of(d: Deadlines, clock: Clock) -> Count | None:
    return next((c for c in d.counts if c.clock is clock), None)


def internal_due(d: Deadlines, marks: DateMarks) -> str:
    """A 协办函's date: the internal target (rulebook §10.1), else the reply date, marked."""
    c = count_of(d, Clock.INTERNAL_TARGET)
    if d.internal_target is None or c is None:
        return reply_due(d, marks)
    return marks.mark(c, d.internal_target, d)


def reply_due(d: Deadlines, marks: DateMarks) -> str:
    """The reply date as a letter prints it: an Art. 35 deadline as it is (an explicit date);
    a computed one with the marks of its count."""
    if d.reply_due is None:
        return ""
    c = count_of(d, Clock.REPLY)
    if d.deferral_step is not None or c is None:
        return cn_date(d.reply_due)
    return marks.mark(c, d.reply_due, d)


__all__ = [
    "PRINTS_REPLY_DUE",
    "RECITES_HISTORY",
    "DateMarks",
    "count_of",
    "internal_due",
    "open_waits",
    "reply_due",
]
