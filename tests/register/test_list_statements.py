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
from tests.register.conftest import REGISTER, TODAY, Cli

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


def test_kept_keyset_pages_walk_the_whole_list(c: Cli, engine: Engine, office: Office) -> None:
    """`api.paging.page_after` on one kept `ListStatements`: pages of two, each continuing
    after the last row of the one before (ties on the deadline, rows without one), give
    the list's rows in its order, for several filters and days."""
    from disclosure.api.paging import page_after

    for received in ("2026-10-09", "2026-11-02", "2026-11-02", "2026-11-20", "2026-11-02"):
        c.register(received, "--department", "hbc" if received != "2026-11-20" else "zcfg")
    for _ in range(2):  # online, arrived but not yet confirmed: no reply deadline
        c.ok(*REGISTER[:2], "online", *REGISTER[3:], "--arrived", "2026-11-26", "--today", TODAY)
    kept = ListStatements()
    walked: set[tuple[str, ...]] = set()
    for today in (date(2026, 11, 27), date(2026, 12, 10)):
        with transaction(engine, write=False) as s:
            hbc = s.execute(select(Department.id).where(Department.code == "hbc")).scalar_one()
            for flt in (
                ListFilter(),
                ListFilter(department_id=hbc),
                ListFilter(open_only=True, search="环境"),
                ListFilter(due_within=20),
            ):
                whole = [
                    r.number for r in list_application_rows(s, office=office, today=today, flt=flt)
                ]
                pages: list[str] = []
                after = None
                for _ in range(len(whole) + 1):  # a page that does not move on fails
                    rows, after = page_after(
                        s,
                        office=office,
                        today=today,
                        flt=flt,
                        after=after,
                        limit=2,
                        statements=kept,
                    )
                    pages += [r.number for r in rows]
                    if after is None:
                        break
                assert pages == whole, flt
                walked.add(tuple(whole))
    assert len(walked) >= 3 and max(len(w) for w in walked) == 7
