"""Ledger export and annual report downloads (see disclosure.web.integrations)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from disclosure import audit
from disclosure.db import transaction
from disclosure.models import Role
from disclosure.vocabulary import AuditAction
from disclosure.web import integrations
from disclosure.web.deps import OfficeUser, client_address, web
from disclosure.web.forms import optional_int
from disclosure.web.render import render

router = APIRouter(prefix="/exports")


def _download(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=integrations.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("")
def exports_page(request: Request, user: OfficeUser) -> Response:
    today = web(request).today()
    return render(
        request,
        "exports.html",
        {"year": today.year},
    )


@router.get("/ledger.xlsx")
def ledger(request: Request, user: OfficeUser) -> Response:
    st = web(request)
    admin = user.role == Role.ADMIN.value
    with transaction(st.engine, write=False) as session:
        content = integrations.ledger_xlsx(
            session, today=st.today(), admin=admin, settings=st.settings
        )
    name = f"ledger-{st.today().isoformat()}.xlsx"
    audit.record_now(
        st.engine,
        actor=user.username,
        action=AuditAction.LEDGER_EXPORTED,
        target=name,
        details={"id_numbers": admin},
        personal_data=admin,
        address=client_address(request),
    )
    return _download(content, name)


@router.get("/annual.xlsx")
def annual(request: Request, user: OfficeUser, year: str = "") -> Response:
    st = web(request)
    chosen = optional_int(year, "year", minimum=2000) or st.today().year - 1
    with transaction(st.engine, write=False) as session:
        content = integrations.annual_xlsx(session, year=chosen)
    name = f"annual-report-{chosen}.xlsx"
    audit.record_now(
        st.engine,
        actor=user.username,
        action=AuditAction.REPORT_EXPORTED,
        target=name,
        details={"year": chosen},
        address=client_address(request),
    )
    return _download(content, name)
