"""Web accounts: creating users, checking passwords (argon2), listing them.

Roles (models.Role): admin manages users, departments and the calendar; clerk handles every
application; department sees only its own department's applications.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from datetime import datetime
from functools import lru_cache

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, select

from disclosure.errors import InvalidInput, NotFound
from disclosure.models import Role, User
from disclosure.services.departments import active_department
from disclosure.services.passwords import check_password, make_hasher
from disclosure.services.sessions import close_user_sessions

_HASHER = make_hasher()  # parameters and their reasons: services.passwords


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both paths cost one argon2 check."""
    return _HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    now: datetime,
    department: str | None = None,
    display_name: str = "",
) -> User:
    """Add an account; department handlers must name their department (code or name)."""
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InvalidInput("用户名不能为空且不能含空格", field="--username")
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise InvalidInput(
            f"角色须为 admin、clerk 或 department，收到 {role!r}", field="--role"
        ) from exc
    check_password(password, username=username, context=[display_name])
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise InvalidInput(f"用户名已存在：{username}", field="--username")
    department_id = None
    if role_value is Role.DEPARTMENT:
        if not department:
            raise InvalidInput("部门经办人须指定所属部门", field="--department")
        department_id = active_department(session, department).id
    elif department:
        raise InvalidInput(
            "只有部门经办人才属于某个部门",
            field="--department",
        )
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role_value.value,
        department_id=department_id,
        display_name=display_name.strip(),
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active user with this username and password, or None. Upgrades stale hashes."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.active:
        with suppress(VerificationError):
            _HASHER.verify(_dummy_hash(), password)
        return None
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("没有该用户", field="user")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)).all())


def count_users(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(User)).one())


def set_active(session: Session, *, user_id: int, active: bool) -> User:
    """Enable or disable an account; disabling ends all its sign-ins (ASVS 5.0 7.4.2)."""
    user = get_user(session, user_id)
    user.active = active
    session.add(user)
    if not active:
        close_user_sessions(session, user_id=user_id)
    return user


def set_password(
    session: Session, *, user_id: int, password: str, keep_session: str | None = None
) -> User:
    """Set a new password and end the account's sign-ins (but the token `keep_session`)."""
    user = get_user(session, user_id)
    check_password(password, username=user.username, context=[user.display_name])
    user.password_hash = hash_password(password)
    session.add(user)
    close_user_sessions(session, user_id=user_id, keep=keep_session)
    return user
