"""Departments: kept in the database, seeded and updated from config.toml."""

from __future__ import annotations

from typing import cast

from sqlmodel import Session, or_, select

from disclosure.errors import InvalidInput
from disclosure.models import Department
from disclosure.settings import Settings


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


def list_departments(session: Session) -> list[Department]:
    return list(session.exec(select(Department).order_by(Department.code)).all())


def add_department(
    session: Session, *, code: str, name: str, contact: str = "", email: str = "", phone: str = ""
) -> Department:
    if not code.strip() or not name.strip():
        raise InvalidInput("部门代码和名称不能为空", field="code")
    if session.exec(select(Department).where(Department.code == code)).first():
        raise InvalidInput(f"部门代码已存在：{code}", field="code")
    row = Department(
        code=code.strip(), name=name.strip(), contact=contact, email=email, phone=phone
    )
    session.add(row)
    session.flush()
    session.info.pop(_CACHE, None)
    return row
