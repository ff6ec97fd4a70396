"""Reading complaints for the 12319 monitor (舆情监控岗): the queues, their counts, the
open cases near a caller's problem, the caller's earlier complaints and the progress
of a complaint's case.

The queues are paginated by keyset like the case queues (``seatdesk.services.queues``):
``WHERE (sort_key, id) > (:key, :id) ORDER BY sort_key, id LIMIT n``, never OFFSET.

    new             新投诉   state new, the reply deadline nearest first
    awaiting_reply  待答复   the linked case ended (awaiting_reply) or forwarded (转办) and
                             not yet answered, the reply deadline nearest first
    callback        待回访   replied, not yet called back, the oldest reply first
    all             全部     every complaint, the newest first

Every queue may be searched by the complaint's number (any part of it), its external
reference (exactly) or the beginning of its content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.glossary import (
    FINAL_STATES,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    PrivacyAction,
    State,
)
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import ComplaintId, RevealRequest
from seatdesk.services.queue_search import escape_like
from seatdesk.services.queues import EXACT_COUNT_LIMIT, PAGE_SIZE, QueueCount

#: How many nearby cases and earlier complaints the phone form shows at most.
NEARBY_LIMIT = 10
EARLIER_LIMIT = 10
#: The default radius of "nearby" (metres).
NEARBY_RADIUS_M = 300.0
#: What a search reads of its text.
MAX_SEARCH_LENGTH = 100
_EARTH_M = 6_371_000.0


class ComplaintQueue(StrEnum):
    NEW = "new"
    AWAITING_REPLY = "awaiting_reply"
    CALLBACK = "callback"
    ALL = "all"


#: The states each queue shows (None: every state).
QUEUE_STATES: dict[ComplaintQueue, frozenset[ComplaintState] | None] = {
    ComplaintQueue.NEW: frozenset({ComplaintState.NEW}),
    ComplaintQueue.AWAITING_REPLY: frozenset(
        {ComplaintState.AWAITING_REPLY, ComplaintState.FORWARDED}
    ),
    ComplaintQueue.CALLBACK: frozenset({ComplaintState.REPLIED}),
    ComplaintQueue.ALL: None,
}

#: Each queue's sort: (SQL of the key, descending).
_SORT: dict[ComplaintQueue, tuple[str, bool]] = {
    ComplaintQueue.NEW: ("c.reply_due", False),
    ComplaintQueue.AWAITING_REPLY: ("c.reply_due", False),
    ComplaintQueue.CALLBACK: ("c.replied_at", False),
    ComplaintQueue.ALL: ("c.received_at", True),
}

#: The reply-deadline light of a complaint that still owes its reply, by the database's
#: clock (as ``Complaint.reply_status``); NULL once replied.
_STATUS_SQL = (
    "CASE WHEN c.state IN ('replied', 'called_back') THEN NULL "
    "WHEN now() >= c.reply_due THEN 'overdue' "
    "WHEN now() >= c.reply_warning_at THEN 'warning' ELSE 'normal' END"
)


@dataclass(frozen=True, slots=True)
class ComplaintCursor:
    """Where the next page starts: the sort value and id of the last row shown."""

    value: Any
    id: int


@dataclass(frozen=True, slots=True)
class ComplaintQuery:
    queue: ComplaintQueue = ComplaintQueue.ALL
    text: str = ""
    after: ComplaintCursor | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    """One line of a complaint queue (no personal data: the detail reads it)."""

    id: ComplaintId
    number: str
    channel: ComplaintChannel
    external_ref: str | None
    received_at: datetime
    content: str
    address: str
    state: ComplaintState
    reply_due: datetime
    reply_status: DeadlineStatus | None
    case_id: CaseId | None
    case_number: str | None
    forwarded_agency: str | None
    replied_at: datetime | None
    version: int


@dataclass(frozen=True, slots=True)
class ComplaintPage:
    rows: list[ComplaintRow]
    next: ComplaintCursor | None = field(default=None)


def _conditions(query: ComplaintQuery, params: dict[str, Any]) -> list[str]:
    where: list[str] = []
    states = QUEUE_STATES[query.queue]
    if states is not None and len(states) == 1:
        # Equality, so that ix_complaints_state (state, reply_due, id) gives the order.
        where.append("c.state = :state")
        params["state"] = next(iter(states)).value
    elif states is not None:
        # The partial index of the queue (0015) gives the order across its states.
        where.append("c.state = ANY(:states)")
        params["states"] = sorted(s.value for s in states)
    needle = query.text.strip()[:MAX_SEARCH_LENGTH].strip()
    if needle:
        where.append(
            "(c.number ILIKE :contains ESCAPE '\\' OR c.external_ref = :needle "
            "OR c.content LIKE :prefix ESCAPE '\\')"
        )
        params["needle"] = needle
        params["contains"] = "%" + escape_like(needle) + "%"
        params["prefix"] = escape_like(needle) + "%"
    return where


def complaint_queue(session: Session, query: ComplaintQuery) -> ComplaintPage:
    """One page of a complaint queue, from ``query.after`` on."""
    sql, params = page_statement(query)
    result = session.execute(text(sql), params).all()
    more = len(result) > query.limit
    result = result[: query.limit]
    rows = [_row(r) for r in result]
    cursor = (
        ComplaintCursor(result[-1].sort_value, result[-1].id) if more and result else None
    )
    return ComplaintPage(rows=rows, next=cursor)


def page_statement(query: ComplaintQuery) -> tuple[str, dict[str, Any]]:
    """The SQL of one page of a queue and its bound values (its plan is tested)."""
    params: dict[str, Any] = {"limit": query.limit + 1}
    where = _conditions(query, params)
    key, descending = _SORT[query.queue]
    if query.after is not None:
        where.append(f"({key}, c.id) {'<' if descending else '>'} (:after_value, :after_id)")
        params["after_value"] = query.after.value
        params["after_id"] = query.after.id
    order = "DESC" if descending else "ASC"
    sql = (
        "SELECT c.id, c.number, c.channel, c.external_ref, c.received_at, c.content, "
        f"c.address, c.state, c.reply_due, {_STATUS_SQL} AS reply_status, c.case_id, "
        "k.number AS case_number, c.forwarded_agency, c.replied_at, c.version, "
        f"{key} AS sort_value "
        "FROM complaints c LEFT JOIN cases k ON k.id = c.case_id "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + f"ORDER BY {key} {order}, c.id {order} LIMIT :limit"
    )
    return sql, params


def _row(r: Any) -> ComplaintRow:
    return ComplaintRow(
        id=ComplaintId(r.id),
        number=r.number,
        channel=ComplaintChannel(r.channel),
        external_ref=r.external_ref,
        received_at=r.received_at,
        content=r.content,
        address=r.address,
        state=ComplaintState(r.state),
        reply_due=r.reply_due,
        reply_status=DeadlineStatus(r.reply_status) if r.reply_status else None,
        case_id=CaseId(r.case_id) if r.case_id is not None else None,
        case_number=r.case_number,
        forwarded_agency=r.forwarded_agency,
        replied_at=r.replied_at,
        version=r.version,
    )


def count_complaints(session: Session, query: ComplaintQuery) -> QueueCount:
    """How many complaints a queue holds, free text aside (a tab's count): exactly up to
    ``EXACT_COUNT_LIMIT``, above it "more than" that many."""
    params: dict[str, Any] = {"cap": EXACT_COUNT_LIMIT + 1}
    where = _conditions(ComplaintQuery(queue=query.queue), params)
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM complaints c "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "LIMIT :cap) q"
    )
    n = int(session.execute(text(sql), params).scalar_one())
    return QueueCount(n, exact=n <= EXACT_COUNT_LIMIT)


def queue_counts(session: Session) -> dict[ComplaintQueue, QueueCount]:
    """Every queue's count (the tabs' titles)."""
    return {q: count_complaints(session, ComplaintQuery(queue=q)) for q in ComplaintQueue}


# ---- the phone form's look-ups


@dataclass(frozen=True, slots=True)
class NearbyCase:
    """An open case near a caller's problem, to link the complaint to."""

    id: CaseId
    number: str
    state: State
    category_id: int
    description: str
    address: str
    distance_m: float
    created_at: datetime


def nearby_open_cases(
    session: Session,
    lon: float,
    lat: float,
    category_id: int | None,
    radius_m: float = NEARBY_RADIUS_M,
    limit: int = NEARBY_LIMIT,
) -> list[NearbyCase]:
    """The open cases of the category (any, when None) within ``radius_m`` of the point,
    nearest first. The box around the point is read first (the category's index), the
    distance is the equirectangular one (exact enough over a few hundred metres)."""
    dlat = math.degrees(radius_m / _EARTH_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    params: dict[str, Any] = {
        "lon": lon,
        "lat": lat,
        "lon0": lon - dlon,
        "lon1": lon + dlon,
        "lat0": lat - dlat,
        "lat1": lat + dlat,
        "final": sorted(s.value for s in FINAL_STATES),
        "r": radius_m,
        "limit": limit,
        "earth": _EARTH_M,
    }
    category = ""
    if category_id is not None:
        category = "AND k.category_id = :category_id "
        params["category_id"] = category_id
    sql = (
        "SELECT * FROM (SELECT k.id, k.number, k.state, k.category_id, k.description, "
        "k.address, k.created_at, "
        ":earth * sqrt(power(radians(k.latitude - :lat), 2) + power(radians(k.longitude "
        "- :lon) * cos(radians(:lat)), 2)) AS distance_m "
        "FROM cases k WHERE k.state <> ALL(:final) "
        "AND k.longitude BETWEEN :lon0 AND :lon1 AND k.latitude BETWEEN :lat0 AND :lat1 "
        + category
        + ") near WHERE distance_m <= :r ORDER BY distance_m, id LIMIT :limit"
    )
    return [
        NearbyCase(
            id=CaseId(r.id),
            number=r.number,
            state=State(r.state),
            category_id=r.category_id,
            description=r.description,
            address=r.address,
            distance_m=float(r.distance_m),
            created_at=r.created_at,
        )
        for r in session.execute(text(sql), params).all()
    ]


@dataclass(frozen=True, slots=True)
class EarlierComplaint:
    """One of a caller's earlier complaints, with its case if it has one."""

    id: ComplaintId
    number: str
    received_at: datetime
    content: str
    state: ComplaintState
    case_id: CaseId | None
    case_number: str | None
    case_state: State | None

    @property
    def case_open(self) -> bool:
        """Whether a new complaint can still be linked to its case."""
        return self.case_state is not None and self.case_state not in FINAL_STATES


def earlier_complaints(
    session: Session, request: RevealRequest, limit: int = EARLIER_LIMIT
) -> list[EarlierComplaint]:
    """The complaints of a committed look-up by phone (``complaints.request_phone_lookup``
    or ``complaints.lookup_committed``), the newest first. The seat cannot read the raw
    phone column (migration 0014): the database matched the normalised number for the
    monitor and the admin when the look-up was recorded, and audited each match
    (migration 0019)."""
    rows = call(
        session,
        "SELECT f.id, f.number, f.received_at, c.content, f.state, f.case_id, "
        "k.number AS case_number, k.state AS case_state "
        "FROM seatdesk_complaints_by_phone(:r) f JOIN complaints c ON c.id = f.id "
        "LEFT JOIN cases k ON k.id = f.case_id "
        "ORDER BY f.received_at DESC, f.id DESC LIMIT :limit",
        {"r": request.id, "limit": limit},
        action=PrivacyAction.FIND_BY_PHONE,
    ).all()
    return [
        EarlierComplaint(
            id=ComplaintId(r.id),
            number=r.number,
            received_at=r.received_at,
            content=r.content,
            state=ComplaintState(r.state),
            case_id=CaseId(r.case_id) if r.case_id is not None else None,
            case_number=r.case_number,
            case_state=State(r.case_state) if r.case_state else None,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class CaseProgress:
    """Where a complaint's case stands, as the monitor's detail shows it."""

    id: CaseId
    number: str
    state: State
    department: str | None
    department_name: str | None
    stage_deadline: datetime | None
    deadline_status: DeadlineStatus
    updated_at: datetime


def linked_case_progress(session: Session, case_id: CaseId) -> CaseProgress | None:
    """The case's state, department and stage deadline; None when the seat may not see
    it."""
    r = session.execute(
        text(
            "SELECT k.id, k.number, k.state, k.current_department, d.name AS department_name, "
            "k.stage_deadline, k.deadline_status, k.updated_at "
            "FROM cases k LEFT JOIN departments d ON d.code = k.current_department "
            "WHERE k.id = :i"
        ),
        {"i": case_id},
    ).one_or_none()
    if r is None:
        return None
    return CaseProgress(
        id=CaseId(r.id),
        number=r.number,
        state=State(r.state),
        department=r.current_department,
        department_name=r.department_name,
        stage_deadline=r.stage_deadline,
        deadline_status=DeadlineStatus(r.deadline_status),
        updated_at=r.updated_at,
    )
