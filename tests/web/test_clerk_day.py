"""Small frictions of a clerk's day on the application page (issue 18, finding 7)."""

from __future__ import annotations

from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Application, EventRecord, User
from tests.web.conftest import post_form, register


def _name(engine, username: str, display_name: str) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        user.display_name = display_name


def test_confirm_receipt_is_offered_only_while_unconfirmed(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, channel="online", received="", arrived="2026-03-04")
    url = f"/applications/{number}"
    assert 'id="action-confirm"' in clerk.get(url).text
    r = post_form(clerk, url, f"{url}/actions/confirm", {"date": "2026-03-05"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    assert 'id="action-confirm"' not in clerk.get(url).text


def test_people_are_named_not_their_login_or_role_twice(client_for, engine):  # type: ignore[no-untyped-def]
    _name(engine, "clerk", "王芳")
    _name(engine, "admin", "系统管理员")
    clerk = client_for("clerk")
    number = register(clerk)
    page = clerk.get(f"/applications/{number}").text
    timeline = page[page.index("记录时间") :]
    assert "<td>王芳</td>" in timeline and "<td>clerk</td>" not in timeline
    assert "<span>王芳（公开办经办人）</span>" in page  # the header: name and role
    admin_page = client_for("admin").get("/").text
    assert "系统管理员（系统管理员）" not in admin_page and "<span>系统管理员</span>" in admin_page


def test_the_page_names_a_favicon_that_exists(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    page = clerk.get("/").text
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert clerk.get("/static/favicon.svg").status_code == 200


def test_settings_page_reads_as_settings_not_python(client_for, web_app):  # type: ignore[no-untyped-def]
    settings = web_app.state.web.settings
    settings.database.url = "postgresql+psycopg://gkb:db-secret-pw@db:5432/disclosure"
    html = client_for("admin").get("/admin/settings").text
    assert "db-secret-pw" not in html and "gkb:***@db" in html
    assert "本机关 <code>[office]</code>" in html
    assert "True" not in html and "False" not in html and "[&#39;" not in html


def test_outcomes_read_once_with_their_labels(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, received="2026-03-02")
    url = f"/applications/{number}"
    page = clerk.get(url).text
    assert '<option value="1">1 （一）予以公开</option>' in page  # not "… 予以公开 予以公开"
    assert '<option value="3.1">3.1 （三）不予公开：属于国家秘密</option>' in page
    r = post_form(clerk, url, f"{url}/actions/reply", {"date": "2026-03-05", "outcome": "1"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    page = clerk.get(url).text
    assert "结果：1 （一）予以公开" in page and "结果：1；" not in page


def test_registration_reports_every_missing_field_at_once(client_for, engine):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    r = post_form(
        clerk, "/applications/new", "/applications/new", {"channel": "in_person", "received": ""}
    )
    assert r.status_code == 400  # type: ignore[attr-defined]
    page = r.text  # type: ignore[attr-defined]
    for field in ("received", "applicant", "applicant_type", "content"):
        assert f'id="err-{field}"' in page, field
    assert "请补全标出的 4 项后再登记" in page
    with transaction(engine, write=False) as session:
        assert session.exec(select(Application)).all() == []  # nothing was registered


def test_an_action_form_reports_every_empty_input_at_once(client_for, engine):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, received="2026-03-02")
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/extend", {"date": "", "days": "", "approver": ""})
    assert r.status_code == 400  # type: ignore[attr-defined]
    page = r.text  # type: ignore[attr-defined]
    for field in ("date", "days", "approver"):
        assert f'id="err-{field}"' in page, field
    assert "请补全标出的 3 项后再记录" in page
    assert '<details open id="action-extend">' in page  # the form stays open with its errors
    with transaction(engine, write=False) as session:
        kinds = [e.kind for e in session.exec(select(EventRecord)).all()]
    assert kinds and not [k for k in kinds if "exten" in k]  # nothing recorded


def test_a_choice_not_offered_is_named_by_its_labels(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    r = post_form(
        clerk,
        "/applications/new",
        "/applications/new",
        {
            "channel": "carrier_pigeon",
            "received": "2026-03-02",
            "applicant": "张三",
            "applicant_type": "natural",
            "content": "某项目的环评报告",
        },
    )
    assert r.status_code == 400  # type: ignore[attr-defined]
    page = r.text  # type: ignore[attr-defined]
    assert 'id="err-channel"' in page and "当面提交" in page[page.index('id="err-channel"') :]
    assert "in_person" not in page[page.index('id="err-channel"') :][:200]


def test_the_cli_names_enum_choices_with_their_labels() -> None:
    from pydantic import ValidationError

    from disclosure.schemas import ApplicationCreate, validation_error

    try:
        ApplicationCreate.model_validate(
            {"channel": "x", "applicant_name": "张三", "applicant_type": "natural", "content": "c"}
        )
    except ValidationError as exc:
        error = validation_error(exc)
    assert error.field == "channel"
    assert "in_person（当面提交）" in error.message and "'in_person'" not in error.message
