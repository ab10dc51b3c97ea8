"""A department handler sees and changes only its own department's applications."""

from __future__ import annotations

from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord
from tests.web.conftest import csrf_of, register


def _two_applications(client_for) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    ours = register(clerk, department="zcfg", applicant="政策申请人")
    theirs = register(clerk, department="hbc", applicant="环保申请人")
    return ours, theirs


def test_handler_sees_only_own_department(client_for):
    ours, theirs = _two_applications(client_for)
    handler = client_for("zcfg_user")
    listing = handler.get("/applications?status=all").text
    assert f'href="/applications/{ours}"' in listing
    assert f'href="/applications/{theirs}"' not in listing
    # Asking for another department by filter changes nothing.
    listing = handler.get("/applications?department=hbc").text
    assert f'href="/applications/{theirs}"' not in listing
    assert handler.get(f"/applications/{ours}").status_code == 200
    dashboard = handler.get("/").text
    assert "环保申请人" not in dashboard and "政策申请人" in dashboard


def test_guessing_another_departments_url_gives_404(client_for):
    _, theirs = _two_applications(client_for)
    handler = client_for("zcfg_user")
    r = handler.get(f"/applications/{theirs}")
    assert r.status_code == 404
    assert "环保申请人" not in r.text
    # Same answer as a number that does not exist: nothing is revealed.
    assert handler.get("/applications/2026-09999").status_code == 404


def test_handler_cannot_change_another_departments_application(client_for, engine, settings):
    ours, theirs = _two_applications(client_for)
    handler = client_for("zcfg_user")
    token = csrf_of(handler.get(f"/applications/{ours}").text)
    data = {"csrf_token": token, "date": "2026-03-05", "days": "20", "approver": "某人"}
    r = handler.post(f"/applications/{theirs}/actions/extend", data=data)
    assert r.status_code == 404
    r = handler.post(f"/applications/{theirs}/actions/reply", data={**data, "outcome": "1"})
    assert r.status_code == 404
    with transaction(engine, write=False) as session:
        kinds = [e.kind for e in session.exec(select(EventRecord)).all()]
    assert "extension_granted" not in kinds and "replied" not in kinds
    # Its own application: an extension only where the office allows it (issue 18).
    r = handler.post(f"/applications/{ours}/actions/extend", data=data)
    assert r.status_code == 403
    settings.web.department_may_record = ["extend"]
    r = handler.post(f"/applications/{ours}/actions/extend", data=data)
    assert r.status_code == 303


def test_the_office_records_replies_unless_departments_are_allowed(client_for, settings):
    ours, _ = _two_applications(client_for)
    handler = client_for("zcfg_user")
    page = handler.get(f"/applications/{ours}").text
    assert 'id="action-reply"' not in page and 'id="action-extend"' not in page
    assert 'id="action-consult_send"' in page  # the department's own work stays open to it
    token = csrf_of(page)
    data = {"csrf_token": token, "date": "2026-03-05", "outcome": "1"}
    r = handler.post(f"/applications/{ours}/actions/reply", data=data)
    assert r.status_code == 403 and "政府信息公开工作机构" in r.text
    settings.web.department_may_record = ["reply"]
    assert 'id="action-reply"' in handler.get(f"/applications/{ours}").text
    assert handler.post(f"/applications/{ours}/actions/reply", data=data).status_code == 303


def test_handler_cannot_reassign(client_for):
    ours, _ = _two_applications(client_for)
    handler = client_for("zcfg_user")
    token = csrf_of(handler.get(f"/applications/{ours}").text)
    r = handler.post(
        f"/applications/{ours}/actions/assign", data={"csrf_token": token, "department": "hbc"}
    )
    assert r.status_code == 403


def test_roles_for_admin_pages(client_for):
    clerk = client_for("clerk")
    handler = client_for("hbc_user")
    admin = client_for("admin")
    for url in ("/admin/users", "/calendar", "/admin/settings"):
        assert clerk.get(url).status_code == 403, url
        assert handler.get(url).status_code == 403, url
        assert admin.get(url).status_code == 200, url
    assert handler.get("/exports").status_code == 403
    assert clerk.get("/exports").status_code == 200
