"""What every service shares: ids, the acting seat, and the change set a mutation returns.

Services take a ``Session`` whose transaction the caller owns; they never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NewType

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from seatdesk.db.models import CentreSetting, User
from seatdesk.domain.glossary import HEADLESS_ROLES, Role
from seatdesk.errors import NotADeskUser, NotASeatUser, PermissionDenied

CaseId = NewType("CaseId", int)
AttachmentId = NewType("AttachmentId", int)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a mutation changed, so each panel can decide whether to reload."""

    case_ids: frozenset[CaseId] = frozenset()
    entities: frozenset[str] = frozenset()

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.case_ids | other.case_ids, self.entities | other.entities)


@dataclass(frozen=True, slots=True)
class Actor:
    """The seat user the database says is acting (``current_user``)."""

    login: str
    display_name: str
    roles: frozenset[Role]
    department: str | None
    active: bool = True

    def has_any(self, roles: Iterable[Role]) -> bool:
        return bool(self.roles & frozenset(roles))


def current_actor(session: Session) -> Actor:
    """The profile of ``current_user``; ``NotASeatUser`` if it has none.

    Not cached: a test or an admin tool may ``SET ROLE`` within one session.
    """
    login = session.execute(text("SELECT current_user")).scalar_one()
    row = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
    if row is None or not row.active:
        raise NotASeatUser(login)
    return Actor(
        login=row.login,
        display_name=row.display_name,
        roles=frozenset(Role(r) for r in row.roles),
        department=row.department_code,
        active=row.active,
    )


def require_desk_user(session: Session) -> None:
    """Refuse, before anything a desk reads, a login that cannot read the seats'
    profiles: ``NotADeskUser`` for a service's login (the intake, whose group is named
    after its role), ``NotASeatUser`` for any other. Asked of the catalogues, which every
    login reads (the intake may not even read ``database_roles``)."""
    if session.execute(text("SELECT has_table_privilege('users', 'SELECT')")).scalar_one():
        return
    login, groups = session.execute(text(
        "SELECT current_user, array(SELECT g.rolname FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        "WHERE u.rolname = current_user)"
    )).one()
    if any(g.endswith(r.value) for g in groups for r in HEADLESS_ROLES):
        raise NotADeskUser(login)
    raise NotASeatUser(login)


def centre_name(session: Session) -> str | None:
    """The centre's name the administrator set (``centre_settings['centre_name']``, a
    JSON string), or None."""
    value = session.execute(
        select(CentreSetting.value).where(CentreSetting.key == "centre_name")
    ).scalar_one_or_none()
    return value.strip() or None if isinstance(value, str) else None


def require_admin(session: Session, action: object) -> None:
    """Administration is for the admin seats, or for the database owner at the command
    line (who is no seat user); the database enforces the same privileges in the end."""
    login = session.execute(text("SELECT current_user")).scalar_one()
    if session.get(User, login) is not None:
        require_roles(current_actor(session), action, {Role.ADMIN})


def require_roles(actor: Actor, action: object, allowed: Iterable[Role]) -> None:
    """Raise ``PermissionDenied`` unless the actor holds one of ``allowed``."""
    allowed_set = frozenset(allowed)
    if not actor.roles & allowed_set:
        raise PermissionDenied(action=action, roles=actor.roles, allowed=allowed_set)
