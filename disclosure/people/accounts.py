"""Accounts a person keeps: the place in the sign-off chain, passwords, enabled or not.

Each function changes one `user` row in the caller's transaction and says what changed, so
the edge can write the audit entry (`disclosure.audit`) in the same transaction; `shown_name`
and `shown_names` only read: how pages and papers name the person a record's username is.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from disclosure.models import Role, User
from disclosure.services.users import authenticate, generate_password, set_active, set_password
from disclosure.textinput import email_problem
from disclosure.vocabulary import ApprovalRole

NO_ROLE = "none"
EMAIL_MAX = 200  # the user.email column


def user_named(session: Session, username: str, *, field: str = "username") -> User:
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"没有用户名为 {username} 的用户", field=field)
    return user


NAMES_BATCH = 500  # usernames per IN (…) list of `shown_names`


def shown_name(session: Session, username: str) -> str:
    """How a person is named on pages and papers: the display name, else the username (the
    actor a record keeps: a login, or "api:…", "system" for the office's own jobs); ""
    for ""."""
    return shown_names(session, (username,))[username]


def shown_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """{username: `shown_name`} for every given username (and ""), for a page that lists
    many records: one query per `NAMES_BATCH` distinct usernames."""
    wanted = sorted({u for u in usernames if u})
    out = {u: u for u in wanted}
    for i in range(0, len(wanted), NAMES_BATCH):
        chunk = wanted[i : i + NAMES_BATCH]
        stmt = select(User.username, User.display_name).where(col(User.username).in_(chunk))
        for username, display in session.exec(stmt):
            if display:
                out[username] = display
    out[""] = ""
    return out


def set_approval_role(session: Session, *, username: str, role: str) -> User:
    """Give `username` a place in the sign-off chain (`none` takes it away)."""
    user = user_named(session, username)
    value = role.strip()
    if value == NO_ROLE:
        user.approval_role = None
    else:
        try:
            user.approval_role = ApprovalRole(value).value
        except ValueError as exc:
            raise InvalidInput(
                f"审批角色须为 {ApprovalRole.choices()} 或 {NO_ROLE}", field="role"
            ) from exc
    session.add(user)
    session.flush()
    return user


def set_email(session: Session, *, username: str, address: str) -> tuple[User, str]:
    """The address a person's reminders go to ("" takes it away); returns (user, old)."""
    value = address.strip()
    problem = email_problem(value) if value else None
    if problem is None and len(value) > EMAIL_MAX:
        problem = f"电子邮箱过长（最多 {EMAIL_MAX} 个字符）"
    if problem is not None:
        raise InvalidInput(f"{problem}：{address!r}", field="address")
    user = user_named(session, username)
    old = user.email
    user.email = value
    session.add(user)
    session.flush()
    return user, old


def change_password(session: Session, *, username: str, current: str, new: str) -> User:
    """A person changes their own password: the current one first, then the policy
    (`services.passwords.check_password`: 10 characters or more, not the username, …)."""
    user = user_named(session, username)
    if authenticate(session, username=user.username, password=current) is None:
        raise PermissionDenied("当前密码不正确（或该用户已停用）", field="current")
    if new == current:
        raise InvalidInput("新密码不能与当前密码相同", field="password")
    set_password(session, user_id=user.id or 0, password=new)
    user.must_change_password = False
    session.add(user)
    session.flush()
    return user


def reset_password(session: Session, *, username: str) -> tuple[User, str]:
    """An admin gives `username` a one-time password: it must be changed at the next
    sign-in (`must_change_password`), and every open sign-in of the account ends."""
    user = user_named(session, username)
    if not user.active:
        raise Conflict(f"用户 {user.username} 已停用，请先启用", field="username")
    password = generate_password()
    set_password(session, user_id=user.id or 0, password=password)
    user.must_change_password = True
    session.add(user)
    session.flush()
    return user, password


def set_enabled(session: Session, *, username: str, active: bool) -> User:
    """Enable or disable an account; the last active admin is never disabled."""
    user = user_named(session, username)
    if not active and user.active and user.role == Role.ADMIN.value:
        admins = session.exec(
            select(func.count()).where(User.role == Role.ADMIN.value, User.active == True)  # noqa: E712
        ).one()
        if int(admins) <= 1:
            raise Conflict("不能停用唯一一个启用的管理员账号", field="username")
    return set_active(session, user_id=user.id or 0, active=active)
