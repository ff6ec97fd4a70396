"""Seat users: each is a PostgreSQL login role, member of one group role per seat role.

Creating, disabling and resetting other users goes through SECURITY DEFINER functions
that only the admin group may execute (the database checks that, not this module);
a password travels only as a SCRAM verifier computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db.models import Department, User
from seatdesk.db.security import scram_verifier, valid_login
from seatdesk.domain.glossary import Role
from seatdesk.errors import (
    DatabaseRefused,
    NotFound,
    PermissionDenied,
    SeatdeskError,
    ValidationError,
)
from seatdesk.services.common import ChangeSet, current_actor

_USERS_CHANGED = ChangeSet(entities=frozenset({"users"}))


@dataclass(frozen=True, slots=True)
class UserInfo:
    login: str
    display_name: str
    roles: frozenset[Role]
    department: str | None
    active: bool


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
    role_set = sorted({Role(r) for r in roles})
    if not valid_login(login):
        raise ValidationError("login", "bad_login", value=login)
    if not role_set:
        raise ValidationError("roles", "required")
    if not password:
        raise ValidationError("password", "required")
    if (Role.DEPARTMENT in role_set) != (department is not None):
        raise ValidationError("department", "department_needs_code")
    if department is not None and session.get(Department, department) is None:
        raise ValidationError("department", "unknown", value=department)
    exists = session.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}
    ).first()
    if exists:
        raise ValidationError("login", "exists", value=login)
    _call(
        session,
        "SELECT seatdesk_create_user(:login, :verifier, :display, :roles, :department)",
        {
            "login": login,
            "verifier": scram_verifier(password),
            "display": display_name or login,
            "roles": [r.value for r in role_set],
            "department": department,
        },
        Role.ADMIN,
        "user add",
    )
    return _USERS_CHANGED


def set_password(session: Session, *, login: str, password: str) -> ChangeSet:
    """Set a password: one's own, or anyone's for an admin."""
    if not password:
        raise ValidationError("password", "required")
    me = session.execute(text("SELECT current_user")).scalar_one()
    verifier = scram_verifier(password)
    if login == me:
        # Every role may change its own password. ALTER ROLE takes no server-side
        # parameters; psycopg2 interpolates this one on the client, quoted.
        session.connection().exec_driver_sql(
            "ALTER ROLE CURRENT_USER PASSWORD %s", (verifier,)
        )
    else:
        _require_user(session, login)
        _call(
            session,
            "SELECT seatdesk_set_password(:login, :verifier)",
            {"login": login, "verifier": verifier},
            Role.ADMIN,
            "user passwd",
        )
    return _USERS_CHANGED


def set_active(session: Session, *, login: str, active: bool) -> ChangeSet:
    """Disable (or enable again) a seat user: PostgreSQL then refuses its logins."""
    _require_user(session, login)
    _call(
        session,
        "SELECT seatdesk_set_active(:login, :active)",
        {"login": login, "active": active},
        Role.ADMIN,
        "user disable" if not active else "user enable",
    )
    return _USERS_CHANGED


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


def _call(
    session: Session, statement: str, params: dict[str, object], role: Role, action: str
) -> None:
    """Run a user-management function; a refused privilege becomes ``PermissionDenied``."""
    try:
        with session.begin_nested():
            session.execute(text(statement), params)
    except DBAPIError as exc:
        code = getattr(exc.orig, "pgcode", None)
        if code == "42501":  # insufficient_privilege
            try:
                roles = current_actor(session).roles
            except SeatdeskError:  # the owner or a foreign role: it holds no seat role
                roles = frozenset()
            raise PermissionDenied(action=action, roles=roles, allowed={role}) from None
        diag = getattr(exc.orig, "diag", None)
        raise DatabaseRefused(getattr(diag, "message_primary", None) or str(exc.orig)) from None
