"""The errors seatdesk raises for people to read.

Each keeps its facts as attributes (for code and tests) and renders its one sentence
from ``seatdesk.messages`` when shown, so the language is chosen at display time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import Any

from seatdesk import messages, terms


def _label(value: object) -> str:
    if isinstance(value, Enum):
        return terms.term(value)
    return "—" if value is None else str(value)


def _labels(values: Iterable[object]) -> str:
    return terms.join(sorted(_label(v) for v in values))


class SeatdeskError(Exception):
    """Base of every error meant for a person: its ``str`` is one clear sentence."""

    key = "db_error"

    def values(self) -> dict[str, Any]:
        return {}

    def __str__(self) -> str:
        return messages.t(self.key, **self.values())


class InvalidTransition(SeatdeskError):
    key = "invalid_transition"

    def __init__(self, *, state: object, action: object) -> None:
        super().__init__(state, action)
        self.state = state
        self.action = action

    def values(self) -> dict[str, Any]:
        return {"state": _label(self.state), "action": _label(self.action)}


class InvalidComplaintTransition(InvalidTransition):
    """A complaint's step its state does not allow (``state``: a ``ComplaintState``,
    ``action``: a ``ComplaintAction``)."""

    key = "invalid_complaint_transition"


class PermissionDenied(SeatdeskError):
    key = "permission_denied"

    def __init__(
        self, *, action: object, roles: Iterable[object], allowed: Iterable[object]
    ) -> None:
        super().__init__(action)
        self.action = action
        self.roles = frozenset(roles)
        self.allowed = frozenset(allowed)

    def values(self) -> dict[str, Any]:
        return {
            "action": _label(self.action),
            "roles": _labels(self.roles) or "—",
            "allowed": _labels(self.allowed),
        }


class RateLimited(SeatdeskError):
    """Too many reads of personal data in a short time (migration 0019, SD429): at most
    ``limit`` of ``action`` in ``minutes`` minutes per person."""

    key = "rate_limited"

    def __init__(self, *, action: object, limit: int, minutes: int) -> None:
        super().__init__(action)
        self.action = action
        self.limit = limit
        self.minutes = minutes

    def values(self) -> dict[str, Any]:
        return {"action": _label(self.action), "limit": self.limit, "minutes": self.minutes}


class NotASeatUser(SeatdeskError):
    key = "not_a_seat_user"

    def __init__(self, login: str) -> None:
        super().__init__(login)
        self.login = login

    def values(self) -> dict[str, Any]:
        return {"login": self.login}


class NotADeskUser(SeatdeskError):
    """A login whose roles are all services' (the intake): it has no desk to open."""

    key = "not_a_desk_user"

    def __init__(self, login: str) -> None:
        super().__init__(login)
        self.login = login

    def values(self) -> dict[str, Any]:
        return {"login": self.login}


class StaleCase(SeatdeskError):
    """Another seat changed the case since this one read it; nothing was written."""

    key = "stale_case"

    def __init__(
        self,
        *,
        case_id: int,
        number: str,
        changed_by: str,
        changed_at: datetime,
        version: int,
        changed_by_name: str | None = None,
    ) -> None:
        super().__init__(number)
        self.case_id = case_id
        self.number = number
        #: The login that changed the case (the audit event's actor) …
        self.changed_by = changed_by
        #: … and that user's display name, when the database told it.
        self.changed_by_name = changed_by_name
        self.changed_at = changed_at
        self.version = version

    @property
    def who(self) -> str:
        """The person, as people call them: the display name, else the login."""
        return self.changed_by_name or self.changed_by

    def values(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "changed_by": self.who,
            "changed_at": self.changed_at.strftime("%Y-%m-%d %H:%M:%S"),
        }


class StaleComplaint(StaleCase):
    """Another seat changed the complaint since this one read it; nothing was written.

    A ``StaleCase`` for whoever handles conflicts (reload and try again); ``case_id``
    holds the complaint's id, also named ``complaint_id``."""

    key = "stale_complaint"

    @property
    def complaint_id(self) -> int:
        return self.case_id


class NotFound(SeatdeskError):
    key = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(what, key)
        self.what = what
        self.key_value = key

    def values(self) -> dict[str, Any]:
        return {"what": self.what, "key": self.key_value}


class ValidationError(SeatdeskError):
    """Bad input, naming the field and what is wrong with it."""

    key = "validation"

    def __init__(self, field: str, problem: str, **values: Any) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem = problem
        self.problem_values = values

    def values(self) -> dict[str, Any]:
        return {
            "field": messages.t(f"field.{self.field}"),
            "problem": messages.t(f"problem.{self.problem}", **self.problem_values),
        }


class Problem(SeatdeskError):
    """A refusal that is a sentence of the catalogue and nothing more."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self._values = values

    def values(self) -> dict[str, Any]:
        # Domain words are named in the reader's language when shown, not when raised.
        return {k: terms.term(v) if isinstance(v, Enum) else v for k, v in self._values.items()}


class ConnectionProblem(Problem):
    """The database could not be reached or refused the login (CLI exit code 2).

    ``cause`` (see ``seatdesk.db.engine.connection_cause``) is rendered as the reason in
    the person's language; libpq's own text stays in ``detail`` for a log or a tooltip.
    """

    def __init__(self, key: str, *, detail: str = "", **values: Any) -> None:
        super().__init__(key, **values)
        self.detail = detail

    def values(self) -> dict[str, Any]:
        values = dict(self._values)
        cause = values.pop("cause", None)
        if cause is not None:
            values["reason"] = messages.t(f"connection.{cause}")
        return values


class DatabaseRefused(SeatdeskError):
    """A statement the database refused (for example a privilege it enforces)."""

    key = "db_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def values(self) -> dict[str, Any]:
        return {"reason": self.reason}
