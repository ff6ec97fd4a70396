"""The change notice: the one contract between whatever writes and every open desk.

Every change a desk must hear about is announced on ONE PostgreSQL channel,
``CHANNEL``, by triggers in the database (migration 0009), whoever wrote it: a case
function, the deadline sweep, a recomputation, an administrator, the owner at the
command line. A notice says only *that* something changed, never what:

- ``{"kind":"cases","first":F,"last":L}``: audit events with ids F..L were written by
  one statement (every case change writes an event, so this covers every case);
- ``{"kind":"<entity>"}``: a reference table of that entity changed (grids, users,
  departments, catalogue, calendar, collectors), or a statement wrote complaint events
  (``complaints``, migration 0013: the desk reloads its complaint queues through
  row-level security), or the staff assessment changed (``assessment``, migration 0032).

Nothing else is in a payload. Any login on the channel may read or fake a notice; it
learns or causes nothing by it, because a desk never believes a notice: it asks the
database, as its own login and through row-level security, which cases those events
belong to (``changes_since``). A department seat thus hears that *something* changed
and learns nothing about another department's cases.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.services.common import CaseId, ChangeSet

log = logging.getLogger(__name__)

#: The one NOTIFY channel of seatdesk (migration 0009 writes the same name).
CHANNEL = "seatdesk_changes"

#: More events than this in the notices of one query: the desk is told "many cases
#: changed" (``Kind.CASES`` as an entity) instead of their ids, so that a burst of
#: notices (or a faked one spanning every id) never costs a scan of the audit log.
MAX_SPAN = 100_000
#: More separate ranges than this are asked about as one covering range.
MAX_RANGES = 100


class Kind(StrEnum):
    """What a notice is about. Each value is also the entity a ``ChangeSet`` names."""

    CASES = "cases"
    GRIDS = "grids"
    USERS = "users"
    DEPARTMENTS = "departments"
    CATALOGUE = "catalogue"
    CALENDAR = "calendar"
    COMPLAINTS = "complaints"  # migration 0013: a statement wrote complaint events
    COLLECTORS = "collectors"  # migration 0031: the register, their grids, the densities
    ASSESSMENT = "assessment"  # migration 0032: staff assessment entries or settings


@dataclass(frozen=True, slots=True)
class Notice:
    """One change notice. For ``Kind.CASES``, ``first`` ≤ ``last`` are the ids of the
    audit events one statement wrote; for the other kinds both are None."""

    kind: Kind
    first: int | None = None
    last: int | None = None

    def __post_init__(self) -> None:
        if self.kind is Kind.CASES:
            if not (_is_id(self.first) and _is_id(self.last)):
                raise ValueError("a cases notice needs two event ids")
            assert self.first is not None and self.last is not None
            if self.first > self.last:
                raise ValueError("a cases notice needs first <= last")
        elif self.first is not None or self.last is not None:
            raise ValueError(f"a {self.kind} notice carries no ids")

    @classmethod
    def cases(cls, first: int, last: int) -> Notice:
        return cls(Kind.CASES, first, last)


def encode(notice: Notice) -> str:
    """The payload of ``notice``: compact JSON, exactly as the database's triggers
    write it (``{"kind":"cases","first":1,"last":9}``, ``{"kind":"grids"}``)."""
    if notice.kind is Kind.CASES:
        return f'{{"kind":"cases","first":{notice.first},"last":{notice.last}}}'
    return f'{{"kind":"{notice.kind.value}"}}'


def decode(payload: str) -> Notice | None:
    """The notice of a payload; None (logged, never raised) for anything that is not
    exactly one of the contract's shapes: a listener must survive whatever any login
    sends on the channel."""
    try:
        data = json.loads(payload)
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            raise ValueError("not an object with a kind")
        kind = Kind(data["kind"])
        expected = {"kind", "first", "last"} if kind is Kind.CASES else {"kind"}
        if set(data) != expected:
            raise ValueError(f"keys {sorted(data)}, expected {sorted(expected)}")
        return Notice(kind, data.get("first"), data.get("last"))
    except (ValueError, TypeError, RecursionError) as exc:  # JSONDecodeError: ValueError
        log.warning("ignored a malformed change notice %.200r: %s", payload, exc)
        return None


def changes_since(session: Session, notices: Iterable[Notice]) -> ChangeSet:
    """What the notices mean for the seat of ``session``: the cases it may see that
    the announced events belong to, and the reference entities that changed.

    Run as the seat's own login: row-level security decides which events it sees, so
    a department learns nothing about another department's cases. One query, however
    many notices (their ranges merged first).
    """
    entities: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for notice in notices:
        if notice.kind is Kind.CASES:
            assert notice.first is not None and notice.last is not None
            ranges.append((notice.first, notice.last))
        else:
            entities.add(notice.kind.value)
    merged = merge_ranges(ranges)
    if len(merged) > MAX_RANGES:  # one covering range: events in its gaps are real too
        merged = [(merged[0][0], merged[-1][1])]
    if sum(last - first + 1 for first, last in merged) > MAX_SPAN:
        return ChangeSet(entities=frozenset({*entities, Kind.CASES.value}))
    case_ids: frozenset[CaseId] = frozenset()
    if merged:
        # The ranges are plain conditions on the primary key, not a join: row-level
        # security's filter then runs on the few events found by the index. (Joined to
        # an unnest(), the department's policy is planned first, over the whole log.)
        where = " OR ".join(f"id BETWEEN :f{i} AND :l{i}" for i in range(len(merged)))
        params: dict[str, int] = {}
        for i, (first, last) in enumerate(merged):
            params[f"f{i}"], params[f"l{i}"] = first, last
        rows = session.execute(
            text(f"SELECT DISTINCT case_id FROM case_events WHERE {where}"), params
        ).scalars()
        case_ids = frozenset(CaseId(int(i)) for i in rows)
    return ChangeSet(case_ids=case_ids, entities=frozenset(entities))


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or adjacent id ranges joined, in order."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
