"""Reading cases: the role queues (keyset-paginated), one case, and its timeline.

Queues are paginated by keyset — ``WHERE (sort_key, id) > (:key, :id) ORDER BY sort_key,
id LIMIT n`` — never by OFFSET, so the 500th page of a million cases costs what the
first does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, bindparam, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from seatdesk.db.models import Case, CaseEvent, Category, Department
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    FINAL_STATES,
    CaseType,
    DeadlineStatus,
    Role,
    Source,
    State,
    Urgency,
)
from seatdesk.errors import NotFound
from seatdesk.services.common import CaseId

PAGE_SIZE = 50


class SortKey(StrEnum):
    DEADLINE = "deadline"
    CREATED = "created"
    UPDATED = "updated"
    NUMBER = "number"
    STATE = "state"
    ADDRESS = "address"
    GRID = "grid"
    DEPARTMENT = "department"
    SOURCE = "source"


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.DEADLINE: Case.deadline_sort,
    SortKey.CREATED: Case.created_at,
    SortKey.UPDATED: Case.updated_at,
    SortKey.NUMBER: Case.number,
    SortKey.STATE: Case.state,
    SortKey.ADDRESS: Case.address,
    SortKey.GRID: literal_column("coalesce(cases.grid_code, '')"),
    SortKey.DEPARTMENT: literal_column("coalesce(cases.current_department, '')"),
    SortKey.SOURCE: Case.source,
}


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page starts: the sort value and id of the last row shown."""

    value: Any
    id: int


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """A role's queue with the filter bar's choices. Empty means no filter."""

    role: Role | None = None
    states: frozenset[State] = frozenset()
    category_id: int | None = None
    grid_code: str | None = None
    department: str | None = None
    source: Source | None = None
    deadline_status: DeadlineStatus | None = None
    text: str = ""
    include_closed: bool = False
    sort: SortKey = SortKey.DEADLINE
    descending: bool = False
    after: Cursor | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of a queue."""

    id: CaseId
    number: str
    state: State
    deadline_status: DeadlineStatus
    stage_deadline: datetime | None
    category_code: str
    category_name: str
    address: str
    grid_code: str | None
    department: str | None
    department_name: str | None
    source: Source
    urgency: Urgency
    created_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[CaseRow]
    next: Cursor | None = field(default=None)


def queue_states(query: QueueQuery) -> frozenset[State]:
    """The states a queue shows: the filter's, within the role's (from the workflow table)."""
    states = set(query.states) if query.states else set(State)
    if query.role is not None:
        states &= workflow.queue_states(query.role)
    if not query.include_closed and not query.states:
        states -= FINAL_STATES
    return frozenset(states)


def queue(session: Session, query: QueueQuery) -> Page:
    """One page of a queue, sorted by ``query.sort`` then id, from ``query.after`` on."""
    sort_col = _SORT_COLUMNS[query.sort]
    dept = aliased(Department)
    stmt = (
        select(
            Case.id,
            Case.number,
            Case.state,
            Case.deadline_status,
            Case.stage_deadline,
            Category.code.label("category_code"),
            Category.name.label("category_name"),
            Case.address,
            Case.grid_code,
            Case.current_department,
            dept.name.label("department_name"),
            Case.source,
            Case.urgency,
            Case.created_at,
            Case.version,
            sort_col.label("sort_value"),
        )
        .join(Category, Category.id == Case.category_id)
        .outerjoin(dept, dept.code == Case.current_department)
        .where(*_filters(query))
        .limit(query.limit + 1)
    )
    if query.descending:
        stmt = stmt.order_by(sort_col.desc(), Case.id.desc())
    else:
        stmt = stmt.order_by(sort_col, Case.id)
    if query.after is not None:
        key = tuple_(sort_col, Case.id)
        bound = tuple_(literal_value(query.after.value), literal_value(query.after.id))
        stmt = stmt.where(key < bound if query.descending else key > bound)
    result = session.execute(stmt).all()
    more = len(result) > query.limit
    result = result[: query.limit]
    rows = [
        CaseRow(
            id=CaseId(r.id),
            number=r.number,
            state=State(r.state),
            deadline_status=DeadlineStatus(r.deadline_status),
            stage_deadline=r.stage_deadline,
            category_code=r.category_code,
            category_name=r.category_name,
            address=r.address,
            grid_code=r.grid_code,
            department=r.current_department,
            department_name=r.department_name,
            source=Source(r.source),
            urgency=Urgency(r.urgency),
            created_at=r.created_at,
            version=r.version,
        )
        for r in result
    ]
    cursor = Cursor(result[-1].sort_value, result[-1].id) if more and result else None
    return Page(rows=rows, next=cursor)


def literal_value(value: Any) -> Any:
    return bindparam(None, value)


def _filters(query: QueueQuery) -> list[ColumnElement[bool]]:
    states = queue_states(query)
    conditions: list[ColumnElement[bool]] = [Case.state.in_(sorted(s.value for s in states))]
    if query.department:
        conditions.append(Case.current_department == query.department)
    if query.category_id is not None:
        conditions.append(
            or_(
                Case.category_id == query.category_id,
                Case.category_id.in_(
                    select(Category.id).where(Category.parent_id == query.category_id)
                ),
            )
        )
    if query.grid_code:
        conditions.append(Case.grid_code == query.grid_code)
    if query.source is not None:
        conditions.append(Case.source == query.source.value)
    if query.deadline_status is not None:
        conditions.append(Case.deadline_status == query.deadline_status.value)
    if query.text.strip():
        pattern = "%" + _escape_like(query.text.strip()) + "%"
        conditions.append(
            or_(
                Case.number.ilike(pattern, escape="\\"),
                Case.address.ilike(pattern, escape="\\"),
                Case.description.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---- One case


@dataclass(frozen=True, slots=True)
class CaseDetail:
    id: CaseId
    number: str
    state: State
    source: Source
    case_type: CaseType
    category_id: int
    category_code: str
    category_name: str
    filing_condition_id: int | None
    urgency: Urgency
    description: str
    address: str
    longitude: float | None
    latitude: float | None
    grid_code: str | None
    reporter: str | None
    reporter_phone: str | None
    current_department: str | None
    stage_started_at: datetime
    stage_deadline: datetime | None
    deadline_status: DeadlineStatus
    pending_request: dict[str, Any] | None
    resume_on: date | None
    merged_into: CaseId | None
    rework_count: int
    extension_count: int
    version: int
    created_at: datetime
    updated_at: datetime


def get_case(session: Session, case_id: CaseId) -> CaseDetail:
    row = session.execute(
        select(Case, Category.code, Category.name)
        .join(Category, Category.id == Case.category_id)
        .where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound("case", case_id)
    c: Case = row[0]
    return CaseDetail(
        id=CaseId(c.id),
        number=c.number,
        state=State(c.state),
        source=Source(c.source),
        case_type=CaseType(c.case_type),
        category_id=c.category_id,
        category_code=row[1],
        category_name=row[2],
        filing_condition_id=c.filing_condition_id,
        urgency=Urgency(c.urgency),
        description=c.description,
        address=c.address,
        longitude=c.longitude,
        latitude=c.latitude,
        grid_code=c.grid_code,
        reporter=c.reporter,
        reporter_phone=c.reporter_phone,
        current_department=c.current_department,
        stage_started_at=c.stage_started_at,
        stage_deadline=c.stage_deadline,
        deadline_status=DeadlineStatus(c.deadline_status),
        pending_request=c.pending_request,
        resume_on=c.resume_on,
        merged_into=CaseId(c.merged_into) if c.merged_into is not None else None,
        rework_count=c.rework_count,
        extension_count=c.extension_count,
        version=c.version,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    id: int
    action: str
    from_state: State | None
    to_state: State
    actor: str
    at: datetime
    note: str | None
    data: dict[str, Any] | None


def timeline(session: Session, case_id: CaseId) -> list[TimelineEvent]:
    """The audit trail of a case, oldest first."""
    rows = session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    ).scalars()
    return [
        TimelineEvent(
            id=e.id,
            action=e.action,
            from_state=State(e.from_state) if e.from_state else None,
            to_state=State(e.to_state),
            actor=e.actor,
            at=e.at,
            note=e.note,
            data=e.data,
        )
        for e in rows
    ]


def find_case_id(session: Session, number: str) -> CaseId:
    found = session.execute(select(Case.id).where(Case.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFound("case", number)
    return CaseId(found)

