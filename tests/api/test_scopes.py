"""Token scopes: read-only tokens cannot write, department tokens see only their department."""

from __future__ import annotations

from disclosure.api.tokens import revoke_token
from disclosure.db import transaction
from tests.api.conftest import CREATED, Api, Push, application_body


def test_a_read_token_reads_but_cannot_write(api: Api, push: Push) -> None:
    number = push().json()["number"]
    reader = api.as_("dashboard", scope="read")
    assert reader.get(f"/applications/{number}").status_code == 200
    before = api.counts()
    r = reader.post("/applications", json=application_body())
    assert r.status_code == 403 and r.json()["field"] == "scope"
    r = reader.post(f"/applications/{number}/steps/note", json={"note": "试图写入"})
    assert r.status_code == 403
    assert api.counts() == before


def test_a_department_token_cannot_see_another_departments_application(
    api: Api, push: Push
) -> None:
    theirs = push(department="zcfg").json()["number"]
    mine = push(department="hbc").json()["number"]
    unassigned = push().json()["number"]
    hbc = api.as_("hbc-oa", scope="write", department="hbc")
    assert hbc.get(f"/applications/{mine}").status_code == 200
    for number in (theirs, unassigned):
        r = hbc.get(f"/applications/{number}")
        assert r.status_code == 404, r.text
        assert r.json()["detail"] == f"没有编号为 {number} 的申请"  # as for a missing one
        assert hbc.get(f"/applications/{number}/letters").status_code == 404
    before = api.counts()
    r = hbc.post(f"/applications/{theirs}/steps/note", json={"note": "不该写入"})
    assert r.status_code == 404
    assert api.counts() == before
    listed = hbc.get("/applications", params={"department": "zcfg"}).json()["items"]
    assert [x["number"] for x in listed] == [mine]  # the token's department wins
    assert hbc.get("/statistics").json()["counts"]["open"] == 1
    r = hbc.get("/applications", params={"after": theirs})
    assert r.status_code == 422 and r.json()["field"] == "after"


def test_a_department_token_registers_into_its_own_department_only(api: Api) -> None:
    hbc = api.as_("hbc-intake", scope="write", department="hbc")
    r = hbc.post("/applications", json=application_body())
    assert r.status_code == 201 and r.json()["department"] == "hbc"
    before = api.counts()
    r = hbc.post("/applications", json=application_body(department="zcfg"))
    assert r.status_code == 403 and r.json()["field"] == "department"
    assert api.counts() == before


def test_a_department_token_may_not_do_the_offices_steps(api: Api) -> None:
    hbc = api.as_("hbc-handler", scope="write", department="hbc")
    number = hbc.post("/applications", json=application_body()).json()["number"]
    before = api.counts()
    r = hbc.post(f"/applications/{number}/steps/assign", json={"department": "zcfg"})
    assert r.status_code == 403 and r.json()["field"] == "step"
    # Closing a case is the office's unless `[web] department_may_record` lists it.
    r = hbc.post(f"/applications/{number}/steps/reply", json={"on": "2026-03-05", "outcome": "1"})
    assert r.status_code == 403 and r.json()["field"] == "step"
    assert api.counts() == before
    assert (
        hbc.post(f"/applications/{number}/steps/note", json={"note": "已联系"}).status_code == 201
    )


def test_revoked_and_unknown_tokens_are_refused(api: Api, push: Push) -> None:
    number = push().json()["number"]
    secret = api.token("old")
    assert api.client(secret).get(f"/applications/{number}").status_code == 200
    with transaction(api.engine) as session:
        revoke_token(session, name="old", actor="admin", now=CREATED, tz="Asia/Shanghai")
    for client in (api.client(secret), api.client(secret[:-1] + "x"), api.client(None)):
        r = client.get(f"/applications/{number}")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert r.headers["content-type"] == "application/problem+json"
