"""Departments: the list, and for admins adding, editing, retiring and reactivating them.

Every change goes through `services.departments` and is written to the audit log in the same
transaction; a department named in config.toml is edited there (the page says so).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from disclosure import audit
from disclosure.db import transaction
from disclosure.services.departments import (
    EDITABLE,
    add_department,
    edit_department,
    list_departments,
    set_department_active,
)
from disclosure.vocabulary import AuditAction
from disclosure.web.deps import AdminUser, OfficeUser, client_address, web
from disclosure.web.forms import Form, text, values
from disclosure.web.render import flash, render

router = APIRouter()


def _departments_page(
    request: Request,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    editing: str = "",
) -> Response:
    with transaction(web(request).engine, write=False) as session:
        rows = list_departments(session)
    configured = {d.code for d in web(request).settings.departments}
    return render(
        request,
        "departments.html",
        {
            "rows": rows,
            "form": form,
            "errors": errors,
            "configured": configured,
            "editing": editing,
            "editable": EDITABLE,
        },
        status,
    )


@router.get("/admin/departments")
def departments_page(request: Request, user: OfficeUser) -> Response:
    return _departments_page(request, {}, {})


@router.post("/admin/departments")
def add_dept(request: Request, user: AdminUser, form: Form) -> Response:
    shown = values(form)
    request.state.rerender = lambda errors, status: _departments_page(
        request, shown, errors, status
    )
    with transaction(web(request).engine) as session:
        add_department(
            session,
            code=text(form, "code"),
            name=text(form, "name"),
            contact=text(form, "contact"),
            email=text(form, "email"),
            phone=text(form, "phone"),
            actor=user.username,
            address=client_address(request),
        )
    flash(request, f"已新增部门：{text(form, 'name')}")
    return RedirectResponse("/admin/departments", status_code=303)


@router.post("/admin/departments/{code}/edit")
def edit_dept(request: Request, code: str, user: AdminUser, form: Form) -> Response:
    shown = values(form)
    request.state.rerender = lambda errors, status: _departments_page(
        request, shown, errors, status, editing=code
    )
    changes = {k: text(form, k) for k in EDITABLE if k in form}
    configured = frozenset(d.code for d in web(request).settings.departments)
    with transaction(web(request).engine) as session:
        changed = edit_department(session, code, changes, configured=configured)
        audit.record(
            session,
            actor=user.username,
            action=AuditAction.DEPARTMENT_CHANGED,
            target=code,
            details={"changes": changed},
            address=client_address(request),
        )
    flash(request, f"已修改部门：{code}")
    return RedirectResponse("/admin/departments", status_code=303)


@router.post("/admin/departments/{code}/retire")
def retire_dept(request: Request, code: str, user: AdminUser, form: Form) -> Response:
    return _set_active(request, code, user.username, active=False)


@router.post("/admin/departments/{code}/reactivate")
def reactivate_dept(request: Request, code: str, user: AdminUser, form: Form) -> Response:
    return _set_active(request, code, user.username, active=True)


def _set_active(request: Request, code: str, actor: str, *, active: bool) -> Response:
    request.state.rerender = lambda errors, status: _departments_page(
        request, {}, errors, status, editing=code
    )
    with transaction(web(request).engine) as session:
        dep = set_department_active(session, code, active)
        audit.record(
            session,
            actor=actor,
            action=AuditAction.DEPARTMENT_CHANGED,
            target=dep.code,
            details={"active": active},
            address=client_address(request),
        )
    flash(request, f"已{'启用' if active else '停用'}部门：{dep.name}")
    return RedirectResponse("/admin/departments", status_code=303)
