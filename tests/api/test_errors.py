"""Every error is a problem detail (RFC 9457) naming the field in domain terms, a 4xx, and
nothing is written."""

from __future__ import annotations

import httpx2 as httpx
import pytest

from disclosure.settings import Settings
from disclosure.web.app import create_app
from tests.api.conftest import API, Api, Push, application_body
from tests.web.conftest import TODAY
from tests.web.test_edge import real_server

BAD_BODIES = [
    ({"received": "2026-13-01"}, "received"),
    ({"received": "2026-03-09"}, "received"),  # after today (2026-03-05)
    ({"arrived": "03/02/2026"}, "arrived"),
    ({"channel": "pigeon"}, "channel"),
    ({"applicant_type": "robot"}, "applicant_type"),
    ({"applicant": "  "}, "applicant"),
    ({"email": "not-an-address"}, "email"),
    ({"phone": "12345"}, "phone"),
    ({"department": "nope"}, "department"),
    ({"cooperating": ["nope"]}, "cooperating"),
    ({"case_type": "unknown-type"}, "case_type"),
    ({"external_ref": "  "}, "external_ref"),
    ({"external_ref": "x" * 101}, "external_ref"),
    ({"applicant_name": "张三"}, "applicant_name"),  # not a field of the API
    ({"received": 20260302}, "received"),  # a number, not a date string
]


@pytest.mark.parametrize(("change", "field"), BAD_BODIES)
def test_bad_registration_names_the_field_and_writes_nothing(
    api: Api, push: Push, change: dict[str, object], field: str
) -> None:
    before = api.counts()
    r = push(**change)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["field"] == field
    assert problem["status"] == 422 and problem["type"].endswith("invalid-input")
    assert problem["title"] and problem["detail"]
    assert api.counts() == before


def test_a_day_that_does_not_exist_is_said_so(api: Api, push: Push) -> None:
    r = push(received="2026-02-30")
    assert r.status_code == 422 and r.json()["field"] == "received"
    assert "没有这一天：2026-02-30" in r.json()["detail"]
    assert "格式" not in r.json()["detail"]  # the form is right; the day is not


def test_missing_fields_and_broken_json(api: Api, platform) -> None:  # type: ignore[no-untyped-def]
    body = application_body()
    del body["content"]
    r = platform.post("/applications", json=body)
    assert r.status_code == 422 and r.json()["field"] == "content"
    for raw in (b"{", b"[]", b'"text"'):
        r = platform.post(
            "/applications", content=raw, headers={"content-type": "application/json"}
        )
        assert r.status_code == 422, (raw, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert api.counts() == (0, 0)


STEP_ERRORS = [
    ("extend", {"on": "2026-03-05", "days": 30, "approver": "李处长"}, 422, "days"),
    ("extend", {"on": "2026-03-05", "days": "ten", "approver": "李处长"}, 422, "days"),
    ("extend", {"days": 10, "approver": "李处长"}, 422, "on"),
    ("extend", {"on": "05.03.2026", "days": 10, "approver": "李处长"}, 422, "on"),
    ("reply", {"on": "2026-03-06", "outcome": "1"}, 422, "on"),  # tomorrow
    ("reply", {"on": "2026-03-05", "outcome": "9.9"}, 422, "outcome"),
    ("stage", {"to": "nowhere"}, 422, "to"),
    ("note", {"note": " "}, 422, "note"),
    ("note", {"note": "x", "colour": "red"}, 422, "colour"),
    ("fly", {}, 404, "step"),
]


@pytest.mark.parametrize(("step", "body", "status", "field"), STEP_ERRORS)
def test_bad_steps_name_the_field_and_write_nothing(  # type: ignore[no-untyped-def]
    api: Api, push: Push, platform, step: str, body: dict[str, object], status: int, field: str
) -> None:
    number = push().json()["number"]
    before = api.counts()
    r = platform.post(f"/applications/{number}/steps/{step}", json=body)
    assert r.status_code == status, r.text
    assert r.json()["field"] == field
    assert api.counts() == before


def test_a_second_reply_is_a_conflict(api: Api, push: Push, platform) -> None:  # type: ignore[no-untyped-def]
    number = push().json()["number"]
    reply = {"on": "2026-03-05", "outcome": "1"}
    assert platform.post(f"/applications/{number}/steps/reply", json=reply).status_code == 201
    before = api.counts()
    r = platform.post(f"/applications/{number}/steps/reply", json=reply)
    assert r.status_code == 409 and r.json()["type"].endswith("conflict")
    assert api.counts() == before


def test_unknown_things_are_404_problems(api: Api, platform) -> None:  # type: ignore[no-untyped-def]
    for path in ("/applications/2026-99999", "/applications/2026-99999/letters", "/nothing"):
        r = platform.get(path)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    r = platform.post("/applications/2026-99999/steps/note", json={"note": "x"})
    assert r.status_code == 404 and r.json()["field"] == "number"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"due_within": -1}, "due_within"),
        ({"stage": "nowhere"}, "stage"),
        ({"status": "some"}, "status"),
        ({"department": "nope"}, "department"),
        ({"after": "2026-99999"}, "after"),
    ],
)
def test_bad_list_parameters_name_the_parameter(platform, params, field) -> None:  # type: ignore[no-untyped-def]
    r = platform.get("/applications", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_the_web_gate_still_guards_the_pages_and_bounds_api_bodies(  # type: ignore[no-untyped-def]
    api: Api, platform, settings: Settings
) -> None:
    """The API is exempt from the web's sign-in redirect only: the pages' POSTs still need a
    session, and the API's bodies are still bounded by `[web] max_request_mb`."""
    page = httpx.post(api.base + "/applications/new", data={"applicant": "x"})
    assert page.status_code == 303 and page.headers["location"] == "/login"
    sneaky = httpx.post(api.base + "/api/../applications/new", data={"applicant": "x"})
    assert sneaky.status_code in (303, 404)  # never reaches the form unchecked
    r = httpx.post(api.base + API + "/applications", json=application_body())
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    settings.web.max_request_mb = 1
    with real_server(create_app(settings, api.engine, today=lambda: TODAY)) as port:
        url = f"http://127.0.0.1:{port}{API}/applications"
        big = httpx.post(url, content=b" " * (2 * 1024 * 1024), headers=platform.headers)
    assert big.status_code == 413
    assert api.counts() == (0, 0)
