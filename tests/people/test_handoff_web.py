"""The hand-off on the web: assign with a handler, the list's handler filter, the department
signs for it or sends it back from the application page (both databases)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tests.web.conftest import (  # noqa: F401  (fixtures)
    cheap_hashes,
    client_for,
    post_form,
    register,
    users,
    web_app,
)


def events(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [k for (k,) in conn.execute(text("SELECT kind FROM event ORDER BY id"))]


def test_assign_accept_and_return_on_the_web(client_for, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    clerk, zcfg, hbc = client_for("clerk"), client_for("zcfg_user"), client_for("hbc_user")
    n = register(clerk, department="zcfg")
    m = register(clerk, department="zcfg")
    url = f"/applications/{n}"
    before = events(engine)
    r = post_form(
        clerk, url, f"{url}/actions/assign", {"department": "zcfg", "handler": "hbc_user"}
    )
    assert r.status_code == 400 and "不属于主办部门政策法规处" in r.text  # type: ignore[attr-defined]
    assert events(engine) == before
    r = post_form(
        clerk,
        url,
        f"{url}/actions/assign",
        {"department": "zcfg", "handler": "zcfg_user", "cooperating": "hbc"},
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = clerk.get(url).text
    assert "<dt>承办人</dt><dd>zcfg_user（待签收）</dd>" in page
    # departments by their names, in the summary and in the timeline (not hbc, zcfg)
    assert "政策法规处（协办：环境保护处）" in page
    assert "<td>政策法规处" in page and "<td>zcfg" not in page  # the 分办 row
    listed = clerk.get("/applications?handler=zcfg_user").text
    assert n in listed and m not in listed
    assert n not in clerk.get("/applications?handler=hbc_user").text
    # Another department's user does not even see the case (its scope); a return needs a reason.
    r = post_form(hbc, "/", f"{url}/actions/accept", {"date": "2026-03-05"})
    assert r.status_code == 404  # type: ignore[attr-defined]
    r = post_form(zcfg, url, f"{url}/actions/return", {"date": "2026-03-05"})
    assert r.status_code == 400 and "请填写退回理由" in r.text  # type: ignore[attr-defined]
    assert events(engine)[-1] == "assigned"
    r = post_form(zcfg, url, f"{url}/actions/accept", {"date": "2026-03-05"})
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert "zcfg_user（已签收：zcfg_user 2026-03-05）" in zcfg.get(url).text
    r = post_form(zcfg, url, f"{url}/actions/accept", {"date": "2026-03-05"})
    assert r.status_code == 409 and "不能再签收" in r.text  # type: ignore[attr-defined]
    assert events(engine)[-1] == "accepted"


def test_dashboard_by_handler(client_for, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    clerk = client_for("clerk")
    n = register(clerk, department="zcfg")
    m = register(clerk, department="zcfg")
    url = f"/applications/{n}"
    r = post_form(
        clerk, url, f"{url}/actions/assign", {"department": "zcfg", "handler": "zcfg_user"}
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = clerk.get("/?handler=zcfg_user").text
    assert "工作台 · 承办人 zcfg_user" in page
    assert n in page and m not in page  # the urgent list holds only the handler's case
    everyone = clerk.get("/").text
    assert n in everyone and m in everyone
    assert clerk.get("/?handler=nobody").status_code == 404
