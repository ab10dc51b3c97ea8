"""Every API call — reads as well as writes — is recorded in the audit log with its token's
name (`api:<name>`), through the API channel; parameter values are not kept."""

from __future__ import annotations

from disclosure import audit
from disclosure.audit import AuditFilter
from disclosure.db import transaction
from tests.api.conftest import Api, Push


def _entries(api: Api, actor: str) -> list[audit.AuditEntry]:
    with transaction(api.engine, write=False) as session:
        found = audit.entries(session, AuditFilter(actor=actor, limit=None))
    return list(reversed(found))  # oldest first


def test_reads_and_writes_are_recorded_with_the_token_name(api: Api, push: Push) -> None:
    number = push(external_ref="A-1").json()["number"]
    oa = api.as_("oa", scope="read")
    assert oa.get(f"/applications/{number}").status_code == 200
    assert oa.get("/applications", params={"q": "张三", "limit": 5}).status_code == 200
    assert oa.get("/applications/2099-9999").status_code == 404  # refused reads count too
    assert oa.post("/applications", json={}).status_code == 403  # a read-only token writing
    got = _entries(api, "api:oa")
    assert [e.target for e in got] == [
        f"GET /api/v1/applications/{number}",
        "GET /api/v1/applications",
        "GET /api/v1/applications/2099-9999",
        "POST /api/v1/applications",
    ]
    assert {(e.action, e.via) for e in got} == {("api_token_used", "api")}
    assert got[1].details["params"] == ["limit", "q"] and got[1].details["token"] == "oa"
    assert "张三" not in str([e.details for e in got])  # a searched name is not kept
    assert [e.target for e in _entries(api, "api:platform")] == ["POST /api/v1/applications"]


def test_an_unknown_token_records_nothing_under_a_name(api: Api) -> None:
    before = _entries(api, "api:ghost")
    anonymous = api.client("dtk_not-a-token")
    assert anonymous.get("/applications").status_code == 401
    assert _entries(api, "api:ghost") == before == []
    with transaction(api.engine, write=False) as session:
        n = audit.count(session, AuditFilter(actions=["api_token_used"]))
    assert n == 0
