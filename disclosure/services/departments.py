"""Departments: kept in the database, seeded and updated from config.toml."""

from __future__ import annotations

from typing import Any, cast

from sqlmodel import Session, col, func, or_, select

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application, Department
from disclosure.phone import check_phone
from disclosure.settings import Settings
from disclosure.textinput import clean_text, email_problem
from disclosure.vocabulary import AuditAction, AuditChannel


def sync_from_settings(session: Session, settings: Settings) -> int:
    """Insert or update the departments listed in config.toml; returns how many changed."""
    changed = 0
    for dep in settings.departments:
        row = session.exec(select(Department).where(Department.code == dep.code)).first()
        new = row is None
        if row is None:
            row = Department(code=dep.code, name=dep.name)
        values = dep.model_dump()
        if new or any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            session.add(row)
            changed += 1
    session.flush()
    session.info.pop(_CACHE, None)
    return changed


_CACHE = "disclosure.departments"


def department_cache(session: Session) -> dict[str, Department]:
    """Departments already looked up in this session (one session = one transaction)."""
    # Session.info is an untyped dict; this module is the only writer of the key.
    return cast("dict[str, Department]", session.info.setdefault(_CACHE, {}))


def find_department(session: Session, ref: str, field: str = "--department") -> Department:
    """A department by code or exact name; `InvalidInput` naming `field` when unknown."""
    stmt = select(Department).where(or_(Department.code == ref, Department.name == ref))
    row = session.exec(stmt).first()
    if row is None:
        known = "、".join(d.code for d in session.exec(select(Department)).all()) or "（未配置）"
        raise InvalidInput(f"未知的部门 {ref!r}；已有：{known}", field=field)
    return row


def list_departments(session: Session, *, active_only: bool = False) -> list[Department]:
    """Every department by code; with `active_only`, those new work may go to."""
    stmt = select(Department).order_by(Department.code)
    if active_only:
        stmt = stmt.where(col(Department.active))
    return list(session.exec(stmt).all())


def add_department(
    session: Session,
    *,
    code: str,
    name: str,
    actor: str,
    contact: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    via: AuditChannel | None = None,
) -> Department:
    """Add a department and its audit entry (新增部门) in the caller's transaction.

    The command line and the web both add through here, so neither can leave the entry out;
    `address` and `via` are as `disclosure.audit.record` takes them.
    """
    code = clean_text(code.strip(), "code", max_len=64)
    name = clean_text(name.strip(), "name", max_len=200)
    if not code or not name:
        raise InvalidInput("部门代码和名称不能为空", field="code" if not code else "name")
    if session.exec(select(Department).where(Department.code == code)).first():
        raise InvalidInput(f"部门代码已存在：{code}", field="code")
    contact, email, phone = (
        clean_text(v.strip(), f, max_len=200)
        for v, f in ((contact, "contact"), (email, "email"), (phone, "phone"))
    )
    phone = check_phone(phone)
    _check_contacts(session, name=name, email=email)
    row = Department(code=code, name=name, contact=contact, email=email, phone=phone)
    session.add(row)
    session.flush()
    session.info.pop(_CACHE, None)
    from disclosure import audit  # its tables' models: only when there is a line to write

    audit.record(
        session,
        actor=actor,
        action=AuditAction.DEPARTMENT_CREATED,
        target=row.code,
        details={"name": row.name},
        address=address,
        via=via,
    )
    return row


def _check_contacts(
    session: Session, *, name: str | None = None, email: str = "", other_than: int | None = None
) -> None:
    """A department's name is its own (it is how people pick it, and how `find_department`
    finds it); its e-mail, when given, has the shape of one."""
    if name is not None:
        same = session.exec(select(Department).where(Department.name == name)).first()
        if same is not None and same.id != other_than:
            raise InvalidInput(f"已有名为 {name} 的部门（代码 {same.code}）", field="name")
    problem = email_problem(email) if email else None
    if problem is not None:
        raise InvalidInput(problem, field="email")


def active_department(session: Session, ref: str, field: str = "--department") -> Department:
    """A department new work may go to: known and not retired."""
    row = find_department(session, ref, field)
    if not row.active:
        raise InvalidInput(f"部门 {row.name} 已停用，不能再分办或登记给它", field=field)
    return row


def cooperating_codes(lead: Department | None, cooperating: list[Department]) -> list[str]:
    """The codes of a case's cooperating departments (协办), as given: each once, and none
    of them the lead department (主办), whichever way (code or name) each was typed."""
    codes: list[str] = []
    for d in cooperating:
        if lead is not None and d.id == lead.id:
            raise InvalidInput(f"主办部门 {d.name} 不能同时是协办部门", field="cooperating")
        if d.code in codes:
            raise InvalidInput(f"协办部门 {d.name} 重复", field="cooperating")
        codes.append(d.code)
    return codes


# The contact details an admin may change; the code stays (cases and letters name it).
EDITABLE = {"name": "名称", "contact": "联系人", "email": "电子邮箱", "phone": "电话"}


def edit_department(
    session: Session, code: str, changes: dict[str, str], *, configured: frozenset[str]
) -> dict[str, Any]:
    """Change a department's name or contacts; returns {field: [old, new]} of what changed.

    A department listed in config.toml (`configured`) is kept there: each start would undo
    an edit made here, so it is refused with that reason.
    """
    row = find_department(session, code, "code")
    if row.code in configured:
        raise Conflict(
            f"部门 {row.name} 在 config.toml 的 [[departments]] 中配置，请在配置文件中修改",
            field="code",
        )
    unknown = [k for k in changes if k not in EDITABLE]
    if unknown:
        raise InvalidInput(f"不能修改的项目：{'、'.join(unknown)}", field=unknown[0])
    changed: dict[str, Any] = {}
    for key, value in changes.items():
        value = clean_text(value.strip(), key, max_len=200)
        if key == "name" and not value:
            raise InvalidInput("部门名称不能为空", field="name")
        if key in ("name", "email") and getattr(row, key) != value:
            _check_contacts(session, **{key: value}, other_than=row.id)
        if key == "phone":
            value = check_phone(value)  # as an applicant's (disclosure.phone)
        if getattr(row, key) != value:
            changed[key] = [getattr(row, key), value]
            setattr(row, key, value)
    if not changed:
        raise InvalidInput(
            "没有需要修改的内容（新值与现有的相同）", field=next(iter(changes), "name")
        )
    session.add(row)
    session.flush()
    session.info.pop(_CACHE, None)
    return changed


def set_department_active(session: Session, code: str, active: bool) -> Department:
    """Retire a department (kept for the cases and letters that name it) or bring it back.

    A department that still leads open cases is not retired: reassign them first.
    """
    row = find_department(session, code, "code")
    if row.active == active:
        raise Conflict(f"部门 {row.name} 已{'启用' if active else '停用'}", field="code")
    if not active:
        open_cases = session.exec(
            select(func.count())
            .select_from(Application)
            .where(Application.lead_department_id == row.id, col(Application.is_open))
        ).one()
        if open_cases:
            raise Conflict(
                f"部门 {row.name} 还有 {open_cases} 件办理中的申请，请先改由其他部门办理",
                field="code",
            )
    row.active = active
    session.add(row)
    session.flush()
    session.info.pop(_CACHE, None)
    return row
