"""Field collectors (信息采集员): the register, their responsibility grids (责任网格) and
the patrol density (巡查密度) of each grid type (migration 0031).

A collector's key (``collector_id``) is the name the intake and the verify/check tasks
already carry (``intake_items.collector``, ``collector_tasks.collector``): registering
a collector under that name makes every report and task of theirs, old and new, theirs
in the register, with nothing rewritten.

Every write is one call of an administrator's database function, which checks the
role, locks what it decides on, writes the audit (``collector_events``) and is
announced as kind ``collectors``. Reads return frozen records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.glossary import CollectorAction
from seatdesk.notices import Kind
from seatdesk.services.common import CaseId, ChangeSet

#: What every change here announces.
CHANGED = ChangeSet(entities=frozenset({Kind.COLLECTORS.value}))
#: The type of a grid nobody typed (seeded by migration 0031).
DEFAULT_GRID_TYPE = "general"


@dataclass(frozen=True, slots=True)
class Collector:
    """One collector of the register, with how many grids they hold now."""

    collector_id: str
    name: str
    staff_number: str | None
    phone: str | None
    device_id: str | None
    active: bool
    grids: int


@dataclass(frozen=True, slots=True)
class GridType:
    """A grid type and its patrol density: how many visits a grid of it needs a day."""

    code: str
    name: str
    visits_per_day: Decimal


@dataclass(frozen=True, slots=True)
class GridBinding:
    """An active grid, its type and who is responsible for it now (None: nobody)."""

    grid_code: str
    grid_name: str
    grid_type: str
    collector_id: str | None
    collector_name: str | None
    since: datetime | None


@dataclass(frozen=True, slots=True)
class BindingPeriod:
    """One period of a grid's responsibility, as the history keeps it."""

    collector_id: str
    valid_from: datetime
    valid_to: datetime | None
    bound_by: str
    unbound_by: str | None


# ---- The register


def list_collectors(session: Session, search: str = "") -> list[Collector]:
    """The register by id, each with the grids they hold that are still in use (a
    retired grid's binding is history); ``search`` matches id, name, staff number,
    phone or device."""
    pattern = f"%{search.strip()}%" if search.strip() else None
    rows = session.execute(
        text("""
            SELECT k.collector_id, k.name, k.staff_number, k.phone, k.device_id, k.active,
                   (SELECT count(*) FROM collector_grids b JOIN grids g ON g.code = b.grid_code
                    WHERE b.collector_id = k.collector_id AND b.valid_to IS NULL
                      AND (g.end_date IS NULL OR g.end_date > current_date))
            FROM collectors k
            WHERE CAST(:p AS text) IS NULL
               OR concat_ws(' ', k.collector_id, k.name, k.staff_number, k.phone,
                            k.device_id) ILIKE :p
            ORDER BY k.collector_id
        """),
        {"p": pattern},
    ).all()
    return [Collector(r[0], r[1], r[2], r[3], r[4], bool(r[5]), int(r[6])) for r in rows]


def get_collector(session: Session, collector_id: str) -> Collector | None:
    found = [c for c in list_collectors(session, collector_id) if c.collector_id == collector_id]
    return found[0] if found else None


def save_collector(
    session: Session,
    *,
    collector_id: str,
    name: str,
    staff_number: str | None = None,
    phone: str | None = None,
    device_id: str | None = None,
    active: bool = True,
) -> ChangeSet:
    """Register a collector, or change one (the same ``collector_id``). Deactivating
    unbinds their grids. Admin only; a refusal names the field."""
    call(
        session,
        "SELECT seatdesk_save_collector(:i, :n, :s, :p, :d, :a)",
        {"i": collector_id, "n": name, "s": staff_number, "p": phone, "d": device_id,
         "a": active},
        action=CollectorAction.SAVE_COLLECTOR,
    )
    return CHANGED


# ---- Responsibility grids


def bind_grids(session: Session, *, collector_id: str, grids: Sequence[str]) -> ChangeSet:
    """Make the collector responsible for the grids (each taken from whoever held it,
    that period ended and kept). Admin only."""
    call(session, "SELECT seatdesk_bind_grids(:c, CAST(:g AS text[]))",
         {"c": collector_id, "g": list(grids)}, action=CollectorAction.BIND_GRIDS)
    return CHANGED


def unbind_grids(session: Session, *, grids: Sequence[str]) -> ChangeSet:
    """Leave the grids with no responsible collector (their periods ended). Admin only."""
    call(session, "SELECT seatdesk_unbind_grids(CAST(:g AS text[]))", {"g": list(grids)},
         action=CollectorAction.UNBIND_GRIDS)
    return CHANGED


def grid_bindings(session: Session, search: str = "") -> list[GridBinding]:
    """The grids active today with their type and current collector, by code;
    ``search`` matches grid code or name, or the collector's id or name."""
    pattern = f"%{search.strip()}%" if search.strip() else None
    rows = session.execute(
        text("""
            SELECT g.code, g.name, coalesce(t.grid_type, :default), b.collector_id, k.name,
                   b.valid_from
            FROM grids g
            LEFT JOIN grid_patrol_types t ON t.grid_code = g.code
            LEFT JOIN collector_grids b ON b.grid_code = g.code AND b.valid_to IS NULL
            LEFT JOIN collectors k ON k.collector_id = b.collector_id
            WHERE g.start_date <= current_date
              AND (g.end_date IS NULL OR g.end_date > current_date)
              AND (CAST(:p AS text) IS NULL
                   OR concat_ws(' ', g.code, g.name, b.collector_id, k.name) ILIKE :p)
            ORDER BY g.code
        """),
        {"p": pattern, "default": DEFAULT_GRID_TYPE},
    ).all()
    return [GridBinding(*r) for r in rows]


def grid_history(session: Session, grid_code: str) -> list[BindingPeriod]:
    """Who was responsible for the grid, oldest first."""
    rows = session.execute(
        text("""
            SELECT collector_id, valid_from, valid_to, bound_by, unbound_by
            FROM collector_grids WHERE grid_code = :g ORDER BY valid_from, id
        """),
        {"g": grid_code},
    ).all()
    return [BindingPeriod(*r) for r in rows]


def default_collector(session: Session, case_id: CaseId) -> str | None:
    """The active collector responsible for the case's grid now: the one a verify (核实)
    or check (核查) task goes to unless the seat names another. None when the case has
    no grid, its grid nobody, or the seat may not read the register."""
    may_read = session.execute(
        text("SELECT has_table_privilege('collector_grids', 'SELECT')")
    ).scalar_one()
    if not may_read:
        return None
    found = session.execute(
        text("""
            SELECT b.collector_id FROM cases c
            JOIN collector_grids b ON b.grid_code = c.grid_code AND b.valid_to IS NULL
            JOIN collectors k ON k.collector_id = b.collector_id AND k.active
            WHERE c.id = :c
        """),
        {"c": case_id},
    ).scalar_one_or_none()
    return None if found is None else str(found)


# ---- Patrol densities and grid types


def grid_types(session: Session) -> list[GridType]:
    rows = session.execute(
        text("SELECT code, name, visits_per_day FROM grid_types ORDER BY visits_per_day DESC, "
             "code")
    ).all()
    return [GridType(r[0], r[1], Decimal(r[2])) for r in rows]


def set_patrol_density(
    session: Session, *, code: str, name: str, visits_per_day: Decimal | float
) -> ChangeSet:
    """Add a grid type or change its name and patrol density (visits a day, 0–100).
    Admin only."""
    call(session, "SELECT seatdesk_set_patrol_density(:c, :n, :v)",
         {"c": code, "n": name, "v": Decimal(str(visits_per_day))},
         action=CollectorAction.SET_DENSITY)
    return CHANGED


def set_grid_type(session: Session, *, grids: Sequence[str], grid_type: str) -> ChangeSet:
    """Give the grids a type (and so its patrol density). Admin only."""
    call(session, "SELECT seatdesk_set_grid_type(CAST(:g AS text[]), :t)",
         {"g": list(grids), "t": grid_type}, action=CollectorAction.SET_GRID_TYPE)
    return CHANGED
