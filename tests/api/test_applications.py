"""Pushing, listing and reading applications through the API (a real server, real HTTP)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx

from tests.api.conftest import Api, Push, application_body


def test_push_registers_once_per_reference_and_answers_the_register_json(
    api: Api, push: Push
) -> None:
    first = push(external_ref="PT-2026-000123", department="hbc")
    assert first.status_code == 201, first.text
    out = first.json()
    # Received Monday 2026-03-02; 20 working days (Reg. Art. 33) counted from the next day:
    # 3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), 30 March (20). No holiday in March 2026.
    assert out["reply_due"] == "2026-03-30"
    assert out["department"] == "hbc" and out["state"] == "running"
    assert out["external_ref"] == "PT-2026-000123"
    before = api.counts()

    again = push(external_ref="PT-2026-000123", department="hbc", content="改过的内容")
    assert again.status_code == 200, again.text
    assert again.json()["number"] == out["number"]
    assert api.counts() == before  # no second application, no event

    other = push(external_ref="PT-2026-000124")
    assert other.status_code == 201 and other.json()["number"] != out["number"]


def test_the_reference_is_unique_per_source_not_across_sources(api: Api, push: Push) -> None:
    mine = push(external_ref="42").json()["number"]
    oa = api.as_("oa-system")
    theirs = oa.post("/applications", json=application_body(external_ref="42"))
    assert theirs.status_code == 201 and theirs.json()["number"] != mine


def test_a_push_without_reference_always_registers(api: Api, push: Push) -> None:
    a, b = push(), push()
    assert a.status_code == b.status_code == 201
    assert a.json()["number"] != b.json()["number"]
    assert a.json()["external_ref"] is None


def test_read_one_with_deadlines_explanations_timeline_and_the_token_as_actor(
    api: Api, push: Push, platform: httpx.Client
) -> None:
    number = push(external_ref="PT-9").json()["number"]
    r = platform.post(
        f"/applications/{number}/steps/extend",
        json={"on": "2026-03-05", "days": 10, "approver": "李处长"},
    )
    assert r.status_code == 201, r.text
    # 10 more working days after 2026-03-30: 31 March, 1–3 April (4), 7–10 April (8; 6 April
    # is the Qingming holiday of the 2026 notice, 4–6 April off), 13–14 April (10).
    assert r.json()["reply_due"] == "2026-04-14"
    shown = platform.get(f"/applications/{number}").json()
    assert shown["external_ref"] == "PT-9"
    assert shown["explanation"], "each deadline comes with its explanation"
    kinds = [(e["kind"], e["actor"]) for e in shown["timeline"]]
    assert ("extension_granted", "api:platform") in kinds
    assert all(actor == "api:platform" for _kind, actor in kinds)


def test_list_pages_by_cursor_in_deadline_order(api: Api, push: Push, platform) -> None:  # type: ignore[no-untyped-def]
    numbers = [
        push(received=day).json()["number"]
        for day in ("2026-03-04", "2026-03-02", "2026-03-03", "2026-03-02")
    ]
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if after:
            params["after"] = after
        page = platform.get("/applications", params=params).json()
        seen += [row["number"] for row in page["items"]]
        pages += 1
        after = page["next_after"]
        if after is None:
            break
    assert pages == 2
    # Reply deadline first (earliest received first), then the order of registration.
    assert seen == [numbers[1], numbers[3], numbers[2], numbers[0]]


def test_list_filters_like_the_web_list(api: Api, push: Push, platform) -> None:  # type: ignore[no-untyped-def]
    hbc = push(department="hbc").json()["number"]
    push(department="zcfg")
    r = platform.get("/applications", params={"department": "hbc"})
    assert [x["number"] for x in r.json()["items"]] == [hbc]
    assert platform.get("/applications", params={"stage": "replied"}).json()["items"] == []
    assert len(platform.get("/applications", params={"q": "水质"}).json()["items"]) == 2


def test_calendar_and_statistics(api: Api, push: Push, platform) -> None:  # type: ignore[no-untyped-def]
    push(department="hbc")
    push(department="hbc")
    push()
    years = {y["year"]: y for y in platform.get("/calendar").json()["years"]}
    assert years[2026]["provisional"] is False and years[2026]["sources"]
    assert years[2027]["provisional"] is True  # no official notice for 2027 loaded
    stats = platform.get("/statistics").json()
    assert stats["counts"]["open"] == 3
    assert stats["by_department"] == {"hbc": 2, "unassigned": 1}
    assert stats["by_stage"] == {"registered": 3}


def test_concurrent_pushes_of_one_reference_register_it_once(api: Api, platform) -> None:  # type: ignore[no-untyped-def]
    """Ten clients push the same reference at once: one 201, nine 200, one application."""
    body = application_body(external_ref="PT-RACE")
    barrier = threading.Barrier(10)

    def send(_i: int) -> tuple[int, str]:
        with httpx.Client(base_url=str(platform.base_url), headers=platform.headers) as c:
            barrier.wait()
            r = c.post("/applications", json=body, timeout=60)
            return r.status_code, r.json().get("number", r.text)

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(send, range(10)))
    assert sorted(status for status, _n in answers) == [200] * 9 + [201], answers
    assert len({number for _s, number in answers}) == 1
    assert api.counts()[0] == 1


def test_annual_report_json_counts_the_year(api: Api, push: Push, platform) -> None:  # type: ignore[no-untyped-def]
    number = push(applicant_type="natural").json()["number"]
    push(applicant_type="natural")
    reply = {"on": "2026-03-05", "outcome": "1"}
    assert platform.post(f"/applications/{number}/steps/reply", json=reply).status_code == 201
    report = platform.get("/statistics/annual/2026").json()
    assert report["year"] == 2026
    total = report["columns"].index("总计")
    assert report["rows"]["new"][total] == 2
    assert report["rows"]["outcome:1"][total] == 1  # replied 2026-03-05 with outcome 1
    assert report["rows"]["carried_forward"][total] == 1  # the other one is still open
    hbc = api.as_("hbc-stats", scope="read", department="hbc")
    assert hbc.get("/statistics/annual/2026").status_code == 403
    assert platform.get("/statistics/annual/1800").json()["field"] == "year"


def test_a_late_step_comes_back_with_its_warning(push: Push, platform: httpx.Client) -> None:
    """The notice was due by the 7th working day (2026-01-14); sent on 01-20 it is recorded,
    and the answer says it was late, as the CLI and the web do."""
    number = push(received="2026-01-05").json()["number"]
    late = platform.post(
        f"/applications/{number}/steps/correction_request", json={"on": "2026-01-20"}
    )
    assert late.status_code == 201, late.text
    assert late.json()["warnings"] == [
        "补正告知逾期发出：2026年1月20日（应在收到申请后7个工作日内（至2026年1月14日）告知）"
    ]
    again = push(received="2026-01-05").json()["number"]
    on_time = platform.post(
        f"/applications/{again}/steps/correction_request", json={"on": "2026-01-14"}
    )
    assert on_time.status_code == 201 and on_time.json()["warnings"] == []


def test_a_receipt_correction_through_the_api_counts_as_if_registered_so(
    api: Api, push: Push, platform: httpx.Client
) -> None:
    wrong = push(received="2026-03-02").json()
    right = push(received="2026-03-04").json()
    url = f"/applications/{wrong['number']}/steps/receipt"
    missing = platform.post(url, json={"received": "2026-03-04"})
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    r = platform.post(url, json={"received": "2026-03-04", "reason": "平台确认日期有误"})
    assert r.status_code == 201, r.text
    assert r.json()["reply_due"] == right["reply_due"] != wrong["reply_due"]
    assert r.json()["event"]["kind"] == "receipt_corrected"
