"""A call the API refuses — for scope, department or rate — is recorded in the audit log as
refused (`details.refused` true, with the `reason`), an allowed one as not; a refused write
writes nothing but that entry."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import col, select

from disclosure import audit
from disclosure.api.models import ApiExternalRef
from disclosure.api.tokens import add_token
from disclosure.audit import AuditFilter
from disclosure.db import transaction
from disclosure.ops.models import AuditEntry
from tests.api.conftest import API, CREATED, Api, Push, application_body


def _used(api: Api, actor: str) -> list[tuple[str, bool, str | None]]:
    """(target, refused, reason) of the `api_token_used` entries of `actor`, oldest first."""
    with transaction(api.engine, write=False) as session:
        found = audit.entries(
            session, AuditFilter(actor=actor, actions=["api_token_used"], limit=None)
        )
    return [(e.target, e.details["refused"], e.details.get("reason")) for e in reversed(found)]


def _written(api: Api) -> tuple[int, int, int, int]:
    """(applications, events, external references, audit entries other than API calls)."""
    with transaction(api.engine, write=False) as session:
        refs = session.exec(select(func.count()).select_from(ApiExternalRef)).one()
        others = session.exec(
            select(func.count())
            .select_from(AuditEntry)
            .where(col(AuditEntry.action) != "api_token_used")
        ).one()
    return (*api.counts(), int(refs), int(others))


def test_refused_calls_are_audited_as_refused(api: Api, push: Push) -> None:
    theirs = push(department="zcfg").json()["number"]
    mine = push(department="hbc").json()["number"]

    reader = api.as_("viewer", scope="read")
    before = _written(api)
    r = reader.post("/applications", json=application_body(external_ref="R-1"))
    assert r.status_code == 403 and r.json()["detail"] == "该令牌只读，不能写入"
    assert _written(api) == before  # nothing but the call's own audit entry
    assert _used(api, "api:viewer") == [("POST /api/v1/applications", True, "scope")]

    hbc = api.as_("hbc-oa", scope="read", department="hbc")
    assert hbc.get("/statistics/annual/2026").status_code == 403
    r = hbc.get(f"/applications/{theirs}")
    assert r.status_code == 404 and r.json()["detail"] == f"没有编号为 {theirs} 的申请"
    assert hbc.get(f"/applications/{mine}").status_code == 200
    assert hbc.get("/applications/2099-9999").status_code == 404  # missing: not a refusal
    assert _used(api, "api:hbc-oa") == [
        ("GET /api/v1/statistics/annual/2026", True, "department"),
        (f"GET /api/v1/applications/{theirs}", True, "department"),
        (f"GET /api/v1/applications/{mine}", False, None),
        ("GET /api/v1/applications/2099-9999", False, None),
    ]


def test_a_rate_limited_call_is_audited_as_refused(api: Api) -> None:
    with transaction(api.engine) as session:
        _row, secret = add_token(
            session, name="eager", rate_per_minute=1, actor="admin", now=CREATED
        )
    if datetime.now(UTC).second >= 55:  # both calls inside one minute window
        time.sleep(61 - datetime.now(UTC).second)
    eager = api.client(secret)
    assert eager.get("/calendar").status_code == 200
    assert eager.get("/calendar").status_code == 429
    assert _used(api, "api:eager") == [
        (f"GET {API}/calendar", False, None),
        (f"GET {API}/calendar", True, "rate"),
    ]


def _entries(api: Api, actor: str) -> list[tuple[int, bool, str | None, int | None]]:
    """(id, refused, reason, corrects) of the `api_token_used` entries of `actor`."""
    with transaction(api.engine, write=False) as session:
        found = audit.entries(
            session, AuditFilter(actor=actor, actions=["api_token_used"], limit=None)
        )
    return [
        (int(e.id or 0), e.details["refused"], e.details.get("reason"), e.details.get("corrects"))
        for e in reversed(found)
    ]


def test_refusals_only_the_body_tells_are_recorded_by_a_correcting_entry(
    api: Api, push: Push
) -> None:
    hbc = api.as_("hbc-intake", scope="write", department="hbc")
    mine = hbc.post("/applications", json=application_body(external_ref="OA-7"))
    assert mine.status_code == 201, mine.text
    number = mine.json()["number"]
    office = api.as_("office-oa", scope="write")
    r = office.post(f"/applications/{number}/steps/assign", json={"department": "zcfg"})
    assert r.status_code == 201, r.text  # now another department's
    before = _written(api)

    into_theirs = hbc.post("/applications", json=application_body(department="zcfg"))
    assert into_theirs.status_code == 403 and into_theirs.json()["field"] == "department"
    again = hbc.post("/applications", json=application_body(external_ref="OA-7"))
    assert again.status_code == 404 and again.json()["detail"] == f"没有编号为 {number} 的申请"
    mine2 = hbc.post("/applications", json=application_body()).json()["number"]
    step = hbc.post(f"/applications/{mine2}/steps/assign", json={"department": "zcfg"})
    assert step.status_code == 403 and step.json()["field"] == "step"

    entries = _entries(api, "api:hbc-intake")
    # the first push; then each refused call: its entry, and the one that corrects it
    assert [e[1:] for e in entries] == [
        (False, None, None),
        (False, None, None),
        (True, "department", entries[1][0]),
        (False, None, None),
        (True, "department", entries[3][0]),
        (False, None, None),  # the registration of mine2
        (False, None, None),
        (True, "department", entries[6][0]),
    ]
    apps, _events, refs, others = _written(api)
    assert (apps, refs) == (before[0] + 1, before[2])  # mine2 only; no reference written
    assert others == before[3]  # no audit entry but the API calls' own
    # A call the token may make is not followed by a correction.
    assert hbc.get(f"/applications/{mine2}").status_code == 200
    assert _entries(api, "api:hbc-intake")[-1][1:] == (False, None, None)
