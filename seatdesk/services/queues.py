"""Reading cases: the role queues (keyset-paginated), one case, and its timeline.

Queues are paginated by keyset — ``WHERE (sort_key, id) > (:key, :id) ORDER BY sort_key,
id LIMIT n`` — never by OFFSET, so the 500th page of a million cases costs what the
first does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    any_,
    bindparam,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter

from seatdesk import messages
from seatdesk.db.models import Case, CaseEvent, Category, Department, User
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
    params = _params(query)
    text_filter = "pattern" in params
    statement = _statement(query.sort, query.descending, frozenset(params), bounded=False)
    if not text_filter:
        # Core execution on the session's connection: the ORM's result machinery would
        # cost more than the query itself on a page of fifty rows.
        result = session.connection().execute(statement, params).all()
    else:
        result = _text_pages(session, query, params)
    more = len(result) > query.limit
    result = result[: query.limit]
    rows = [_row(r) for r in result]
    cursor = Cursor(result[-1][-1], result[-1][0]) if more and result else None
    return Page(rows=rows, next=cursor)


#: Rows a free-text search examines per step, in queue order.
TEXT_BATCH = 2000


def _text_pages(session: Session, query: QueueQuery, params: dict[str, Any]) -> list[Any]:
    """A free-text page, found in bounded slices of the queue.

    Seat users are subject to row-level security, under which PostgreSQL does not trust
    column statistics for ILIKE (it is not leakproof): it guesses a handful of matches
    and scans the whole table. Bounding each statement to the next ``TEXT_BATCH`` rows
    of the queue's own index keeps every step an index range scan.
    """
    plain = {k: v for k, v in params.items() if k != "pattern"}
    end_stmt = _batch_end(query.sort, query.descending, frozenset(plain))
    found: list[Any] = []
    while len(found) <= query.limit:
        end = session.connection().execute(end_stmt, {**plain, "offset": TEXT_BATCH - 1}).first()
        bounds = {**params, "limit": query.limit + 1 - len(found)}
        if end is not None:
            bounds.update(end_value=end[0], end_id=end[1])
        stmt = _statement(query.sort, query.descending, frozenset(bounds), bounded=end is not None)
        found += session.connection().execute(stmt, bounds).all()
        if end is None:
            break
        params = {**params, "after_value": end[0], "after_id": end[1]}
        plain = {**plain, "after_value": end[0], "after_id": end[1]}
        end_stmt = _batch_end(query.sort, query.descending, frozenset(plain))
    return found


def _params(query: QueueQuery) -> dict[str, Any]:
    """The bound values of a queue query; their names choose the cached statement."""
    params: dict[str, Any] = {
        "states": sorted(s.value for s in queue_states(query)),
        "limit": query.limit + 1,
    }
    if query.department:
        params["department"] = query.department
    if query.category_id is not None:
        params["category_id"] = query.category_id
    if query.grid_code:
        params["grid_code"] = query.grid_code
    if query.source is not None:
        params["source"] = query.source.value
    if query.deadline_status is not None:
        params["deadline_status"] = query.deadline_status.value
    needle = query.text.strip()
    if needle and needle.isdigit() and len(needle) >= 4:
        # A case number or its beginning: a range on the unique index of numbers.
        params["number_from"] = needle
        params["number_to"] = needle[:-1] + chr(ord(needle[-1]) + 1)
    elif needle:
        params["pattern"] = "%" + _escape_like(needle) + "%"
    if query.after is not None:
        params["after_value"] = query.after.value
        params["after_id"] = query.after.id
    return params


_DEPT = aliased(Department, name="dept")
_COLUMNS = (
    Case.id,
    Case.number,
    Case.state,
    Case.deadline_status,
    Case.stage_deadline,
    Category.code,
    Category.name,
    Case.address,
    Case.grid_code,
    Case.current_department,
    _DEPT.name,
    Case.source,
    Case.urgency,
    Case.created_at,
    Case.version,
)
_STATES = {s.value: s for s in State}
_STATUSES = {s.value: s for s in DeadlineStatus}
_SOURCES = {s.value: s for s in Source}
_URGENCIES = {u.value: u for u in Urgency}


def _row(r: Any) -> CaseRow:
    return CaseRow(
        CaseId(r[0]), r[1], _STATES[r[2]], _STATUSES[r[3]], r[4], r[5], r[6], r[7], r[8],
        r[9], r[10], _SOURCES[r[11]], _URGENCIES[r[12]], r[13], r[14],
    )


def _conditions(
    sort: SortKey, descending: bool, names: frozenset[str]
) -> list[ColumnElement[bool]]:
    sort_col = _SORT_COLUMNS[sort]
    conditions: list[ColumnElement[bool]] = [
        Case.state == any_(bindparam("states", type_=ARRAY(String)))
    ]
    simple = {
        "department": Case.current_department,
        "grid_code": Case.grid_code,
        "source": Case.source,
        "deadline_status": Case.deadline_status,
    }
    for name, column in simple.items():
        if name in names:
            conditions.append(column == bindparam(name))
    if "category_id" in names:
        conditions.append(
            or_(
                Case.category_id == bindparam("category_id"),
                Case.category_id.in_(
                    select(Category.id).where(Category.parent_id == bindparam("category_id"))
                ),
            )
        )
    if "number_from" in names:
        conditions.append(Case.number >= bindparam("number_from"))
        conditions.append(Case.number < bindparam("number_to"))
    if "after_value" in names:
        key = tuple_(sort_col, Case.id)
        bound = tuple_(
            bindparam("after_value", type_=sort_col.type), bindparam("after_id", type_=BigInteger)
        )
        conditions.append(key < bound if descending else key > bound)
    return conditions


def _order(sort: SortKey, descending: bool) -> tuple[Any, Any]:
    sort_col = _SORT_COLUMNS[sort]
    return (sort_col.desc(), Case.id.desc()) if descending else (sort_col, Case.id)


@functools.lru_cache(maxsize=512)
def _statement(
    sort: SortKey, descending: bool, names: frozenset[str], *, bounded: bool
) -> Executable:
    """The queue statement for one shape of query, built once and reused with new values
    (SQLAlchemy then skips compiling it too)."""
    sort_col = _SORT_COLUMNS[sort]
    conditions = _conditions(sort, descending, names)
    if "pattern" in names:
        pattern: BindParameter[str] = bindparam("pattern")
        conditions.append(
            or_(
                Case.number.ilike(pattern, escape="\\"),
                Case.address.ilike(pattern, escape="\\"),
                Case.description.ilike(pattern, escape="\\"),
            )
        )
    if bounded:
        key = tuple_(sort_col, Case.id)
        end = tuple_(
            bindparam("end_value", type_=sort_col.type), bindparam("end_id", type_=BigInteger)
        )
        conditions.append(key >= end if descending else key <= end)
    return (
        select(*_COLUMNS, sort_col.label("sort_value"))
        .join(Category, Category.id == Case.category_id)
        .outerjoin(_DEPT, _DEPT.code == Case.current_department)
        .where(*conditions)
        .order_by(*_order(sort, descending))
        .limit(bindparam("limit"))
    )


@functools.lru_cache(maxsize=256)
def _batch_end(sort: SortKey, descending: bool, names: frozenset[str]) -> Executable:
    """The key of the last row of the next slice of a free-text search."""
    sort_col = _SORT_COLUMNS[sort]
    return (
        select(sort_col, Case.id)
        .where(*_conditions(sort, descending, names))
        .order_by(*_order(sort, descending))
        .offset(bindparam("offset"))
        .limit(1)
    )


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
    actor_name: str | None = None
    """The actor's display name (None for the system and for a login with no profile)."""

    @property
    def collector(self) -> str | None:
        """The field collector a verification or a check was sent to."""
        return _text_of(self.data, "collector")

    @property
    def reply(self) -> str | None:
        """The collector's reply that came back with the verification or the check."""
        return _text_of(self.data, "reply")

    def details(self) -> str:
        """What the timeline shows beside the action: collector, reply and note, in the
        person's language."""
        parts = []
        if self.collector:
            parts.append(messages.t("timeline.collector", name=self.collector))
        if self.reply:
            parts.append(messages.t("timeline.reply", reply=self.reply))
        if self.note:
            parts.append(self.note)
        return messages.t("timeline.separator").join(parts)


def _text_of(data: dict[str, Any] | None, key: str) -> str | None:
    value = (data or {}).get(key)
    return value if isinstance(value, str) and value else None


def timeline(session: Session, case_id: CaseId) -> list[TimelineEvent]:
    """The audit trail of a case, oldest first, with the actors' display names."""
    rows = session.execute(
        select(CaseEvent, User.display_name)
        .outerjoin(User, User.login == CaseEvent.actor)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id)
    ).all()
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
            actor_name=name,
        )
        for e, name in rows
    ]


def find_case_id(session: Session, number: str) -> CaseId:
    found = session.execute(select(Case.id).where(Case.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFound("case", number)
    return CaseId(found)

