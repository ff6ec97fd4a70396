"""Calling the database's own functions, and the one place their refusals become errors.

The SECURITY DEFINER functions (migration 0007 and later) refuse with SQLSTATEs of class
``SD`` and a JSON DETAIL that carries the facts; each becomes the named error the rest
of seatdesk already knows. A refused privilege (42501: the seat's group may not execute
the function at all) becomes ``PermissionDenied`` too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import (
    Action,
    AssessmentAction,
    CaseEventAction,
    CollectorAction,
    ComplaintAction,
    ComplaintState,
    DepartmentAction,
    PrivacyAction,
    Role,
    SettingsAction,
    State,
    SupervisionAction,
)
from seatdesk.errors import (
    DatabaseRefused,
    InvalidComplaintTransition,
    InvalidTransition,
    NotASeatUser,
    NotFound,
    PermissionDenied,
    Problem,
    RateLimited,
    SeatdeskError,
    StaleCase,
    StaleComplaint,
    ValidationError,
)


def _enum(kind: type[Enum], value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        return value


def _roles(values: Any) -> frozenset[Any]:
    return frozenset(_enum(Role, v) for v in (values or []))


def _of_complaint(d: Mapping[str, Any]) -> bool:
    """Does the refusal name a complaint's step (migration 0013) rather than a case's?"""
    return d.get("subject") == "complaint"


def _action(d: Mapping[str, Any]) -> Any:
    """The refused step as the glossary names it: a complaint's (0013), a read of
    personal data (0014), a change of centre settings (0022), the inspector's own (0024),
    or a case's (a workflow action, or a case event outside the table such as the
    reopen after a 不满意 callback, 0014)."""
    value = d.get("action")
    subject = d.get("subject")
    if subject == "complaint":
        return _enum(ComplaintAction, value)
    if subject == "personal_data":
        return _enum(PrivacyAction, value)
    if subject == "supervision":
        return _enum(SupervisionAction, value)
    if subject == "collectors":
        return _enum(CollectorAction, value)
    if subject == "settings":
        return _enum(SettingsAction, value)
    if subject == "departments":
        return _enum(DepartmentAction, value)
    if subject == "assessment":
        return _enum(AssessmentAction, value)
    if isinstance(value, str) and value in CaseEventAction.__members__.values():
        return CaseEventAction(value)
    return _enum(Action, value)


def _stale(d: Mapping[str, Any]) -> SeatdeskError:
    # A complaint's conflict names the complaint (migration 0013), a case's the case.
    kind = StaleComplaint if "complaint_id" in d else StaleCase
    return kind(
        case_id=int(d["complaint_id"] if "complaint_id" in d else d["case_id"]),
        number=str(d["number"]),
        changed_by=str(d.get("changed_by") or "?"),
        changed_at=datetime.fromisoformat(str(d["changed_at"])),
        version=int(d["version"]),
    )


_BY_CODE: dict[str, Callable[[Mapping[str, Any]], SeatdeskError]] = {
    "SD401": lambda d: NotASeatUser(str(d.get("login", "?"))),
    "SD403": lambda d: PermissionDenied(
        action=_action(d),
        roles=_roles(d.get("roles")),
        allowed=_roles(d.get("allowed")),
    ),
    "SD400": lambda d: (
        InvalidComplaintTransition(
            state=_enum(ComplaintState, d.get("state")),
            action=_enum(ComplaintAction, d.get("action")),
        )
        if _of_complaint(d)
        else InvalidTransition(state=_enum(State, d.get("state")), action=_action(d))
    ),
    "SD404": lambda d: NotFound(str(d.get("what")), d.get("key")),
    "SD409": _stale,
    "SD422": lambda d: ValidationError(
        str(d.get("field")), str(d.get("problem")), **dict(d.get("values") or {})
    ),
    "SD429": lambda d: RateLimited(
        action=_action(d), limit=int(d.get("limit") or 0), minutes=int(d.get("minutes") or 0)
    ),
    "SD412": lambda d: Problem(str(d.get("key")), **dict(d.get("values") or {})),
}


def refusal(
    exc: DBAPIError,
    *,
    action: object = None,
    roles: Iterable[object] = (),
    allowed: Iterable[object] = (),
    subject: tuple[str, str, object] | None = None,
    **values: Any,
) -> SeatdeskError | None:
    """The named error for a function's refusal, or None when it is not one.

    Besides the SD codes, the standard codes the user functions raise: 42501 (the seat's
    group may not run the function: ``PermissionDenied`` with the caller's ``roles`` and
    the ``allowed`` ones), 42704 and 42710 (no such / already such a ``subject``, given as
    (what, field, key)), and 22023 naming the field in COLUMN and the rule in CONSTRAINT
    (``ValidationError`` with ``values`` for the message).
    """
    code = getattr(exc.orig, "pgcode", None)
    diag = getattr(exc.orig, "diag", None)
    if code in _BY_CODE:
        try:
            detail = json.loads(getattr(diag, "message_detail", None) or "{}")
        except ValueError:
            detail = {}
        return _BY_CODE[code](detail)
    if code == "55P03":  # lock_not_available: the functions' lock_timeout ran out
        return Problem("case_busy")
    if code == "42501":  # insufficient_privilege
        return PermissionDenied(action=action, roles=roles, allowed=allowed)
    if code == "42704" and subject is not None:  # undefined_object
        return NotFound(subject[0], subject[2])
    if code == "42710" and subject is not None:  # duplicate_object
        return ValidationError(subject[1], "exists", value=subject[2])
    field = getattr(diag, "column_name", None)
    rule = getattr(diag, "constraint_name", None)
    if code == "22023" and field and rule:  # invalid_parameter_value, naming field and rule
        return ValidationError(field, rule, **values)
    return None


def _name_the_changer(session: Session, error: StaleCase) -> None:
    """Give a conflict the display name of whoever changed the case (people know their
    colleagues as 张三, not as zhangsan). The refusal has aborted the caller's
    transaction, so the name is read on a connection of its own from the same engine,
    as the same login (every seat may read ``users``); this costs a round trip on the
    rare conflict only. If it cannot be read the login stays, which is still true."""
    try:
        with session.get_bind().engine.connect() as conn:
            name = conn.execute(
                _statement("SELECT display_name FROM users WHERE login = :login"),
                {"login": error.changed_by},
            ).scalar_one_or_none()
    except DBAPIError:
        return
    if name:
        error.changed_by_name = str(name)


@functools.lru_cache(maxsize=64)
def _statement(sql: str) -> TextClause:
    """One TextClause per statement text, so its compiled form is cached once."""
    return text(sql)


def call(
    session: Session, statement: str, params: Mapping[str, Any], *, action: object = None
) -> Result[Any]:
    """Run a statement that calls the database's functions; refusals become errors.

    The caller owns the transaction: after a refusal it is aborted and must be rolled
    back (or the call wrapped in a savepoint), exactly as after any other error.
    """
    try:
        return session.execute(_statement(statement), dict(params))
    except DBAPIError as exc:
        error = refusal(exc, action=action)
        if isinstance(error, StaleCase):
            _name_the_changer(session, error)
        if error is not None:
            raise error from None
        if getattr(exc.orig, "pgcode", None) is not None and exc.orig is not None:
            diag = getattr(exc.orig, "diag", None)
            primary = getattr(diag, "message_primary", None)
            if primary and getattr(exc.orig, "pgcode", "").startswith(("22", "23")):
                raise DatabaseRefused(primary) from None
        raise
