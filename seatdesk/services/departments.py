"""Departments (专业部门) as the admin keeps them: add, rename, merge, deactivate,
reactivate, and their log.

Every change is a SECURITY DEFINER function of migration 0029 that only the admin group
may run; each writes a row of ``department_events`` and the table announces itself on
the change notice channel (kind ``departments``), so every open desk reloads its
pickers. A merge moves the open cases of one department to another (each with a
``department_merged`` case event) and deactivates it; a deactivated department takes no
new dispatch, and its open cases stay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.db.calls import refusal
from seatdesk.domain.glossary import FINAL_STATES, DepartmentAction, Role
from seatdesk.errors import DatabaseRefused, SeatdeskError
from seatdesk.notices import Kind
from seatdesk.services.common import ChangeSet, current_actor

_CHANGED = ChangeSet(entities=frozenset({Kind.DEPARTMENTS.value}))
_MERGED = ChangeSet(
    entities=frozenset({Kind.DEPARTMENTS.value, Kind.USERS.value, Kind.CATALOGUE.value})
)
_FINAL = "(" + ", ".join(f"'{s.value}'" for s in sorted(FINAL_STATES)) + ")"


class DepartmentEventAction(StrEnum):
    """What a row of ``department_events`` records."""

    ADDED = "added"
    RENAMED = "renamed"
    MERGED = "merged"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    """A department as the admin's list shows it, with its open cases and seats."""

    code: str
    name: str
    contact: str | None
    active: bool
    open_cases: int
    users: int


@dataclass(frozen=True, slots=True)
class DepartmentEventInfo:
    id: int
    at: datetime
    actor: str
    action: DepartmentEventAction
    department: str
    detail: Mapping[str, Any]


def list_departments(session: Session) -> list[DepartmentRow]:
    """Every department, active or not, by code (one statement)."""
    rows = session.execute(text(f"""
        SELECT d.code, d.name, d.contact, d.active,
               (SELECT count(*) FROM cases c WHERE c.current_department = d.code
                                               AND c.state NOT IN {_FINAL}) AS open_cases,
               (SELECT count(*) FROM users u WHERE u.department_code = d.code) AS users
        FROM departments d ORDER BY d.code
    """)).all()
    return [DepartmentRow(r.code, r.name, r.contact, r.active, r.open_cases, r.users)
            for r in rows]


def add(session: Session, *, code: str, name: str, contact: str | None = None) -> ChangeSet:
    _call(session, "SELECT seatdesk_add_department(:code, :name, :contact)",
          {"code": code.strip(), "name": name, "contact": contact}, DepartmentAction.ADD, code)
    return _CHANGED


def rename(session: Session, *, code: str, name: str) -> ChangeSet:
    _call(session, "SELECT seatdesk_rename_department(:code, :name)",
          {"code": code, "name": name}, DepartmentAction.RENAME, code)
    return _CHANGED


def set_active(session: Session, *, code: str, active: bool) -> ChangeSet:
    """Deactivate (no new dispatch; open cases stay) or reactivate a department."""
    _call(session, "SELECT seatdesk_set_department_active(:code, :active)",
          {"code": code, "active": active}, DepartmentAction.SET_ACTIVE, code)
    return _CHANGED


def merge(session: Session, *, source: str, target: str) -> ChangeSet:
    """Merge ``source`` into ``target``: its open cases, seats and filing conditions
    follow; ``source`` is deactivated. The ChangeSet names the moved cases."""
    moved = _call(session, "SELECT seatdesk_merge_departments(:source, :target)",
                  {"source": source, "target": target}, DepartmentAction.MERGE, source)
    changes = _MERGED
    if moved:
        changes = ChangeSet(entities=_MERGED.entities | {Kind.CASES.value})
    return changes


def audit_log(
    session: Session, *, department: str | None = None, before_id: int | None = None,
    limit: int = 100,
) -> list[DepartmentEventInfo]:
    """The departments' log, newest first (keyset paging by ``before_id``); only the
    admin group may read it."""
    where = ["true"]
    params: dict[str, Any] = {"limit": limit}
    if department is not None:
        where.append("department = :department")
        params["department"] = department
    if before_id is not None:
        where.append("id < :before")
        params["before"] = before_id
    try:
        with session.begin_nested():
            rows = session.execute(text(
                "SELECT id, at, actor, action, department, detail FROM department_events "
                f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT :limit"
            ), params).all()
    except DBAPIError as exc:
        raise _translated(session, exc, DepartmentAction.SET_ACTIVE, department or "") from None
    return [DepartmentEventInfo(r.id, r.at, r.actor, DepartmentEventAction(r.action),
                                r.department, dict(r.detail)) for r in rows]


def _call(
    session: Session, statement: str, params: dict[str, object],
    action: DepartmentAction, code: str,
) -> Any:
    try:
        with session.begin_nested():
            return session.execute(text(statement), params).scalar()
    except DBAPIError as exc:
        raise _translated(session, exc, action, code) from None


def _translated(
    session: Session, exc: DBAPIError, action: DepartmentAction, code: str
) -> SeatdeskError:
    roles: frozenset[Role] = frozenset()
    if getattr(exc.orig, "pgcode", None) == "42501":
        with contextlib.suppress(SeatdeskError):
            roles = current_actor(session).roles
    error = refusal(exc, action=action, roles=roles, allowed={Role.ADMIN},
                    subject=("department", "code", code), value=code)
    if error is not None:
        return error
    diag = getattr(exc.orig, "diag", None)
    return DatabaseRefused(getattr(diag, "message_primary", None) or str(exc.orig))
