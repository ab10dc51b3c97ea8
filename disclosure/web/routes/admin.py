"""Administration: users and the settings in force (departments: routes/departments.py; the
calendar: routes/calendar.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import make_url

from disclosure import audit
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, NotFound
from disclosure.models import Role, User
from disclosure.people import accounts
from disclosure.services import users
from disclosure.services.departments import list_departments
from disclosure.vocabulary import ApprovalRole, AuditAction
from disclosure.web.deps import AdminUser, client_address, web
from disclosure.web.forms import Form, text, values
from disclosure.web.render import flash, render

router = APIRouter()


def _users_page(
    request: Request, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    with transaction(web(request).engine, write=False) as session:
        rows = users.list_users(session)
        departments = list_departments(session)
    names = {d.id: d.name for d in departments}
    return render(
        request,
        "users.html",
        {
            "rows": rows,
            "departments": departments,
            "dept_names": names,
            "roles": list(Role),
            "approval_roles": list(ApprovalRole),
            "form": form,
            "errors": errors,
        },
        status,
    )


@router.get("/admin/users")
def users_page(request: Request, user: AdminUser) -> Response:
    return _users_page(request, {"role": "clerk"}, {})


@router.post("/admin/users")
def add_user(request: Request, user: AdminUser, form: Form) -> Response:
    shown = {k: v for k, v in values(form).items() if k != "password"}
    request.state.rerender = lambda errors, status: _users_page(request, shown, errors, status)
    password = text(form, "password")
    generated = not password
    if generated:
        password = users.generate_password()
    with transaction(web(request).engine) as session:
        new = users.create_user(
            session,
            username=text(form, "username"),
            password=password,
            role=text(form, "role"),
            department=text(form, "department") or None,
            display_name=text(form, "display_name"),
            now=now_utc(),
        )
        # The admin chose or saw the password: the person sets their own at first sign-in.
        new.must_change_password = True
        session.add(new)
        name = new.username
        audit.record(
            session,
            actor=user.username,
            action=AuditAction.USER_CREATED,
            target=name,
            details={"role": new.role, "generated_password": generated},
            address=client_address(request),
        )
    note = f"，初始密码：{password}（请转告本人）" if generated else ""
    flash(request, f"已新增用户 {name}{note}；本人首次登录时须修改密码")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/active")
def toggle_user(request: Request, user_id: int, user: AdminUser, form: Form) -> Response:
    active = text(form, "active") == "1"
    if user_id == user.id and not active:
        raise InvalidInput("不能停用自己的账号", field="active")
    with transaction(web(request).engine) as session:
        changed = users.set_active(session, user_id=user_id, active=active)
        audit.record(
            session,
            actor=user.username,
            action=AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED,
            target=changed.username,
            address=client_address(request),
        )
    flash(request, "已启用该用户" if active else "已停用该用户")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/sign-off")
def sign_off_details(request: Request, user_id: int, user: AdminUser, form: Form) -> Response:
    """A person's place in the sign-off chain and the address their reminders go to (as
    `user approval-role` and `user email`)."""
    request.state.rerender = lambda errors, status: _users_page(request, {}, errors, status)
    with transaction(web(request).engine) as session:
        row = session.get(User, user_id)
        if row is None:
            raise NotFound("没有该用户", field="user")
        role_before = row.approval_role
        changed = accounts.set_approval_role(
            session, username=row.username, role=text(form, "approval_role") or accounts.NO_ROLE
        )
        _, email_before = accounts.set_email(
            session, username=row.username, address=text(form, "email")
        )
        details: dict[str, object] = {}
        if changed.approval_role != role_before:
            details["approval_role"] = changed.approval_role or accounts.NO_ROLE
        if changed.email != email_before:
            details["email"] = {"old": email_before, "new": changed.email}
        if details:
            audit.record(
                session,
                actor=user.username,
                action=AuditAction.USER_CHANGED,
                target=changed.username,
                details=details,
                address=client_address(request),
            )
    flash(request, f"已保存 {changed.username} 的审批角色和电子邮箱" if details else "没有变动")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/settings")
def settings_page(request: Request, user: AdminUser) -> Response:
    st = web(request)
    shown = st.settings.model_dump(mode="json")
    shown["smtp"]["password"] = "******" if shown["smtp"]["password"] else ""
    shown["web"]["secret_key"] = "******" if shown["web"]["secret_key"] else "（自动生成）"
    url = make_url(shown["database"]["url"])
    shown["database"]["url"] = url.render_as_string(hide_password=True)
    return render(request, "settings.html", {"shown": shown, "labels": SECTION_LABELS})


# The 配置 page's headings: what each section of config.toml is about.
SECTION_LABELS = {
    "office": "本机关",
    "database": "数据库",
    "smtp": "邮件服务器",
    "departments": "部门及联系人",
    "notifier": "期限提醒",
    "letters": "文书",
    "remedy": "救济途径",
    "targets": "内部办理时限",
    "rules": "期限规则",
    "calendar": "节假日与停止办公",
    "registration": "登记编号",
    "web": "网页服务",
    "documents": "案卷材料",
    "tasks": "重点任务",
    "report": "年度报告",
    "service": "送达",
    "retention": "个人信息保存期限",
    "backup": "备份",
    "approval": "审批",
}
