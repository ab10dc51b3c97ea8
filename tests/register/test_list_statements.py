"""`queries.ListStatements` (the web list's statements built once per shape of filter) select
what the statements built per call select: same rows, same order, same counts, with each
call's own values (a kept statement must never answer with the values it was built for)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import Engine, select

from disclosure.db import transaction
from disclosure.models import Department, Stage
from disclosure.services.office import Office
from disclosure.services.queries import (
    ListFilter,
    ListStatements,
    count_applications,
    list_application_rows,
)
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


def _filters(dep_ids: list[int]) -> list[ListFilter]:
    out = []
    for overdue, due, dep, stage, search, order, desc, page in itertools.product(
        (False, True),
        (None, 3),
        (None, *dep_ids),
        (None, Stage.REGISTERED),
        ("", "环境", "无此内容"),
        ("reply_due", "applicant_name"),
        (False, True),
        ((None, 0), (2, 1)),
    ):
        out.append(
            ListFilter(
                overdue=overdue,
                due_within=due,
                department_id=dep,
                stage=stage,
                search=search,
                order=order,
                descending=desc,
                limit=page[0],
                offset=page[1],
            )
        )
    return out


def test_kept_statements_select_what_fresh_ones_do(c: Cli, engine: Engine, office: Office) -> None:
    c.register("2026-10-09", "--department", "hbc")
    c.register("2026-11-02", "--department", "zcfg")
    c.register("2026-11-20", "--department", "hbc")
    c.register("2026-11-25")
    kept = ListStatements()  # one for every call: shapes repeat with other values
    seen_rows: set[tuple[str, ...]] = set()
    for today in (date(2026, 11, 27), date(2026, 12, 10)):
        with transaction(engine, write=False) as s:
            dep_ids = list(s.execute(select(Department.id)).scalars())
            for flt in _filters(dep_ids):
                fresh = list_application_rows(s, office=office, today=today, flt=flt)
                again = list_application_rows(
                    s, office=office, today=today, flt=flt, statements=kept
                )
                assert again == fresh, flt
                n = count_applications(s, office=office, today=today, flt=flt)
                assert (
                    count_applications(s, office=office, today=today, flt=flt, statements=kept) == n
                )
                seen_rows.add(tuple(r.number for r in fresh))
    assert len(seen_rows) > 10  # the filters select many different lists
