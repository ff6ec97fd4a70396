"""Read-only queries the seat panels need beside the queues: possible duplicates of a
report, the department to suggest for a dispatch, and the shift overview.

Pure services like the others: a session in, frozen DTOs out, no commit, no Qt. Each is
one statement run by PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import FINAL_STATES, State
from seatdesk.errors import NotFound
from seatdesk.services.common import CaseId

#: Two reports closer than this, of the same category and both open, may be one problem.
DUPLICATE_RADIUS_M = 50.0
_EARTH_RADIUS_M = 6_371_008.8
_OPEN = sorted(s.value for s in State if s not in FINAL_STATES)


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    id: CaseId
    number: str
    state: State
    address: str
    description: str
    distance_m: float
    created_at: datetime


def possible_duplicates(
    session: Session, case_id: CaseId, *, radius_m: float = DUPLICATE_RADIUS_M
) -> list[DuplicateCandidate]:
    """Open cases of the same category within ``radius_m`` of the case, nearest first.

    A bounding box in degrees narrows the rows before the haversine distance is taken.
    A case without coordinates has no candidates (its address alone proves nothing).
    """
    found = session.execute(
        text("SELECT longitude, latitude FROM cases WHERE id = :id"), {"id": case_id}
    ).one_or_none()
    if found is None:
        raise NotFound("case", case_id)
    if found.longitude is None:
        return []
    rows = session.execute(
        text(
            """
            WITH me AS (SELECT id, category_id, longitude AS lon, latitude AS lat
                        FROM cases WHERE id = :id),
            near AS (
                SELECT c.id, c.number, c.state, c.address, c.description, c.created_at,
                       2 * :r * asin(sqrt(
                           power(sin(radians(c.latitude - me.lat) / 2), 2)
                           + cos(radians(me.lat)) * cos(radians(c.latitude))
                             * power(sin(radians(c.longitude - me.lon) / 2), 2)
                       )) AS distance_m
                FROM cases c, me
                WHERE c.category_id = me.category_id
                  AND c.id <> me.id
                  AND c.state = ANY(:open)
                  AND c.latitude BETWEEN me.lat - :dlat AND me.lat + :dlat
                  AND c.longitude BETWEEN me.lon - :dlon AND me.lon + :dlon
            )
            SELECT * FROM near WHERE distance_m <= :radius ORDER BY distance_m, id
            """
        ),
        {
            "id": case_id,
            "r": _EARTH_RADIUS_M,
            "open": _OPEN,
            "radius": radius_m,
            # One degree of latitude is ~111 km; a longitude degree shrinks with cos(lat),
            # which the generous factor covers up to ~60° N.
            "dlat": radius_m / 111_000.0,
            "dlon": radius_m / 55_000.0,
        },
    ).all()
    return [
        DuplicateCandidate(
            id=CaseId(r.id),
            number=r.number,
            state=State(r.state),
            address=r.address,
            description=r.description,
            distance_m=float(r.distance_m),
            created_at=r.created_at,
        )
        for r in rows
    ]


def suggested_department(session: Session, case_id: CaseId) -> str | None:
    """The department to preselect for a dispatch.

    The filing condition's handling department when the case has one (the catalogue's
    rule); otherwise the department most often sent cases of the same category in the
    same grid, then of the same category anywhere.
    """
    code: str | None = session.execute(
        text(
            """
            SELECT coalesce(
                (SELECT f.handling_department_code FROM filing_conditions f
                 WHERE f.id = c.filing_condition_id),
                (SELECT o.current_department FROM cases o
                 WHERE o.category_id = c.category_id AND o.grid_code = c.grid_code
                   AND o.current_department IS NOT NULL
                 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1),
                (SELECT o.current_department FROM cases o
                 WHERE o.category_id = c.category_id AND o.current_department IS NOT NULL
                 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
            )
            FROM cases c WHERE c.id = :id
            """
        ),
        {"id": case_id},
    ).scalar_one_or_none()
    return code


@dataclass(frozen=True, slots=True)
class SeatActivity:
    login: str
    display_name: str
    actions: int


@dataclass(frozen=True, slots=True)
class ShiftOverview:
    """What the shift leader watches: open cases per state, each seat's work since the
    shift began, and the cases near (yellow) or past (red) their deadline."""

    since: datetime
    per_state: dict[State, int]
    per_seat: list[SeatActivity]
    warning: int
    overdue: int


def shift_overview(session: Session, since: datetime) -> ShiftOverview:
    per_state = {
        State(r.state): int(r.n)
        for r in session.execute(
            text(
                "SELECT state, count(*) AS n FROM cases WHERE state = ANY(:open) "
                "GROUP BY state"
            ),
            {"open": _OPEN},
        )
    }
    per_seat = [
        SeatActivity(r.actor, r.display_name or r.actor, int(r.n))
        for r in session.execute(
            text(
                "SELECT e.actor, u.display_name, count(*) AS n FROM case_events e "
                "LEFT JOIN users u ON u.login = e.actor WHERE e.at >= :since "
                "GROUP BY e.actor, u.display_name ORDER BY n DESC, e.actor"
            ),
            {"since": since},
        )
    ]
    lights = session.execute(
        text(
            "SELECT count(*) FILTER (WHERE deadline_status = 'warning') AS warning, "
            "count(*) FILTER (WHERE deadline_status = 'overdue') AS overdue "
            "FROM cases WHERE deadline_status <> 'normal' AND state = ANY(:open)"
        ),
        {"open": _OPEN},
    ).one()
    return ShiftOverview(
        since=since,
        per_state=per_state,
        per_seat=per_seat,
        warning=int(lights.warning),
        overdue=int(lights.overdue),
    )
