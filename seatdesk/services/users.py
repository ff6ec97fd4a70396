"""Seat users: each is a PostgreSQL login role, member of one group role per seat role.

Creating users, changing their roles, setting passwords and disabling them go through
SECURITY DEFINER functions (migration 0008) that the database lets only the admin
group run (a seat may set its own password); each writes a row of ``user_events``.
A password is checked here against ``seatdesk.domain.passwords`` for a clear error,
then checked again by the function, which derives the SCRAM verifier itself: the
password travels through ``seatdesk.db.secret_channel``, never in a statement's text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db.calls import refusal
from seatdesk.db.models import Department, User, UserEvent
from seatdesk.db.secret_channel import call_with_secret
from seatdesk.db.security import valid_login
from seatdesk.domain import passwords
from seatdesk.domain.glossary import Role
from seatdesk.errors import (
    DatabaseRefused,
    NotFound,
    SeatdeskError,
    ValidationError,
)
from seatdesk.services.common import ChangeSet, current_actor

_USERS_CHANGED = ChangeSet(entities=frozenset({"users"}))


class UserAction(StrEnum):
    """What a row of the user-management log records (``user_events.action``)."""

    USER_CREATED = "user_created"
    ROLES_CHANGED = "roles_changed"
    PASSWORD_RESET = "password_reset"  # by an admin
    PASSWORD_CHANGED = "password_changed"  # by the user themselves
    DISABLED = "disabled"
    ENABLED = "enabled"


@dataclass(frozen=True, slots=True)
class UserInfo:
    login: str
    display_name: str
    roles: frozenset[Role]
    department: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class UserEventInfo:
    """One row of the user-management log: who did what to which login, and when."""

    id: int
    at: datetime
    actor: str
    action: UserAction
    login: str
    detail: Mapping[str, Any]


def check_password(password: str, login: str) -> None:
    """Raise ``ValidationError('password', <rule>)`` if ``password`` breaks the policy."""
    if not password:
        raise ValidationError("password", "required")
    rule = passwords.problem(password, login)
    if rule is not None:
        raise ValidationError(
            "password", rule.value, min_length=passwords.MIN_LENGTH,
            max_length=passwords.MAX_LENGTH, min_classes=passwords.MIN_CLASSES,
        )


def add_user(
    session: Session,
    *,
    login: str,
    password: str,
    roles: Iterable[Role],
    display_name: str | None = None,
    department: str | None = None,
) -> ChangeSet:
    """Create a seat user with its login role and group memberships, all or nothing."""
    role_set = _checked_roles(session, roles, department)
    if not valid_login(login):
        raise ValidationError("login", "bad_login", value=login)
    exists = session.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}
    ).first()
    if exists:
        raise ValidationError("login", "exists", value=login)
    check_password(password, login)
    _call(
        session,
        "SELECT seatdesk_create_user(:login, :secret, :display, :roles, :department)",
        {
            "login": login,
            "display": display_name or login,
            "roles": [r.value for r in role_set],
            "department": department,
        },
        "user add",
        login=login,
        secret=password,
    )
    return _USERS_CHANGED


def set_password(session: Session, *, login: str, password: str) -> ChangeSet:
    """Set a password: one's own, or anyone's for an admin."""
    check_password(password, login)
    _call(
        session,
        "SELECT seatdesk_set_password(:login, :secret)",
        {"login": login},
        "user passwd",
        login=login,
        secret=password,
    )
    return _USERS_CHANGED


def set_active(session: Session, *, login: str, active: bool) -> ChangeSet:
    """Disable (or enable again) a seat user: PostgreSQL then refuses its logins, and
    its open sessions end when the transaction commits."""
    _require_user(session, login)
    _call(
        session,
        "SELECT seatdesk_set_active(:login, :active)",
        {"login": login, "active": active},
        "user disable" if not active else "user enable",
        login=login,
    )
    return _USERS_CHANGED


def set_roles(
    session: Session, *, login: str, roles: Iterable[Role], department: str | None = None
) -> ChangeSet:
    """Give ``login`` exactly ``roles`` (and ``department``, for a department seat)."""
    role_set = _checked_roles(session, roles, department)
    _require_user(session, login)
    _call(
        session,
        "SELECT seatdesk_set_roles(:login, :roles, :department)",
        {"login": login, "roles": [r.value for r in role_set], "department": department},
        "user roles",
        login=login,
    )
    return _USERS_CHANGED


def audit_log(
    session: Session, *, login: str | None = None, before_id: int | None = None,
    limit: int = 100,
) -> list[UserEventInfo]:
    """The user-management log, newest first (keyset paging by ``before_id``).

    The database lets only the admin group read it.
    """
    query = select(UserEvent).order_by(UserEvent.id.desc()).limit(limit)
    if login is not None:
        query = query.where(UserEvent.login == login)
    if before_id is not None:
        query = query.where(UserEvent.id < before_id)
    try:
        with session.begin_nested():
            rows = session.execute(query).scalars().all()
    except DBAPIError as exc:
        raise _translated(session, exc, "user log", login=login or "") from None
    return [
        UserEventInfo(r.id, r.at, r.actor, UserAction(r.action), r.login, dict(r.detail))
        for r in rows
    ]


def list_users(session: Session) -> list[UserInfo]:
    rows = session.execute(select(User).order_by(User.login)).scalars()
    return [
        UserInfo(u.login, u.display_name, frozenset(Role(r) for r in u.roles),
                 u.department_code, u.active)
        for u in rows
    ]


def count_users(session: Session) -> int:
    return session.execute(select(func.count()).select_from(User)).scalar_one()


def _require_user(session: Session, login: str) -> None:
    if session.get(User, login) is None:
        raise NotFound("user", login)


def _checked_roles(
    session: Session, roles: Iterable[Role], department: str | None
) -> list[Role]:
    role_set = sorted({Role(r) for r in roles})
    if not role_set:
        raise ValidationError("roles", "required")
    if (Role.DEPARTMENT in role_set) != (department is not None):
        raise ValidationError("department", "department_needs_code")
    if department is not None and session.get(Department, department) is None:
        raise ValidationError("department", "unknown", value=department)
    return role_set


def _call(
    session: Session,
    statement: str,
    params: dict[str, object],
    action: str,
    *,
    login: str,
    secret: str | None = None,
) -> None:
    """Run a user-management function; turn its refusals into seatdesk's errors."""
    try:
        if secret is None:
            with session.begin_nested():
                session.execute(text(statement), params)
        else:
            call_with_secret(session, statement, params, secret)
    except DBAPIError as exc:
        raise _translated(session, exc, action, login=login) from None


def _translated(session: Session, exc: DBAPIError, action: str, *, login: str) -> SeatdeskError:
    """The function's refusal as a seatdesk error (``seatdesk.db.calls`` decides)."""
    roles: frozenset[Role] = frozenset()
    if getattr(exc.orig, "pgcode", None) == "42501":
        # The owner or a foreign role holds no seat role.
        with contextlib.suppress(SeatdeskError):
            roles = current_actor(session).roles
    error = refusal(
        exc, action=action, roles=roles, allowed={Role.ADMIN}, subject=("user", "login", login),
        value=login, min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH,
        min_classes=passwords.MIN_CLASSES,
    )
    if error is not None:
        return error
    diag = getattr(exc.orig, "diag", None)
    return DatabaseRefused(getattr(diag, "message_primary", None) or str(exc.orig))
