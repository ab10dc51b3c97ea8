"""Ledger export and annual report downloads (see disclosure.web.integrations)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from disclosure.db import transaction
from disclosure.models import Role
from disclosure.web import integrations
from disclosure.web.deps import OfficeUser, web
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
    with transaction(st.engine, write=False) as session:
        content = integrations.ledger_xlsx(
            session, today=st.today(), admin=user.role == Role.ADMIN.value
        )
    return _download(content, f"ledger-{st.today().isoformat()}.xlsx")


@router.get("/annual.xlsx")
def annual(request: Request, user: OfficeUser, year: str = "") -> Response:
    st = web(request)
    chosen = optional_int(year, "year", minimum=2000) or st.today().year - 1
    with transaction(st.engine, write=False) as session:
        content = integrations.annual_xlsx(session, year=chosen)
    return _download(content, f"annual-report-{chosen}.xlsx")
