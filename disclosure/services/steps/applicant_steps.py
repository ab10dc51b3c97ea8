"""The clerk's decision on a possible duplicate shown at registration (Reg. Art. 36(6)).

Registration only warns (`disclosure.people.applicants.possible_duplicates`); whether the
request repeats one already answered is a person's judgement (the facts may have changed),
kept as an event naming the earlier application. A repeat is then replied 5.2 naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, select

from disclosure.errors import InvalidInput, NotFound
from disclosure.models import Application
from disclosure.services.context import Context
from disclosure.services.steps.base import CaseState, Step
from disclosure.vocabulary import EventKind


@dataclass(frozen=True, kw_only=True)
class DuplicateDecision(Step):
    """Whether this application repeats `earlier` (the clerk's reasons in `note`)."""

    kind = EventKind.DUPLICATE_DECIDED
    needs_receipt = False
    earlier: str
    repeated: bool

    def prepare(self, session: Session, ctx: Context) -> Step:
        number = self.earlier.strip()
        found = session.exec(select(Application).where(Application.number == number)).first()
        if found is None:
            raise NotFound(f"没有编号为 {number} 的申请", field="earlier")
        return replace(self, earlier=found.number)

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.earlier == case.number:
            raise InvalidInput("所比对的应是另一件申请", field="earlier")

    def columns(self) -> dict[str, Any]:
        return {"party": self.earlier, "data": {"earlier": self.earlier, "repeated": self.repeated}}
