"""Reading cases: the role queues (keyset-paginated), their counts and the free-text
search. One case and its timeline are read by ``seatdesk.services.case_detail``; its
names stay importable from here.

Queues are paginated by keyset — ``WHERE (sort_key, id) > (:key, :id) ORDER BY sort_key,
id LIMIT n`` — never by OFFSET, so the 500th page of a million cases costs what the
first does.

The free-text search (``QueueQuery.text``) looks first where an index can answer
(migration 0011): four digits or more find case numbers wherever the digits stand in
the number and phone numbers by their beginning or end; other text finds the reporter's
name by its beginning. Only when that finds nothing in the queue does it read the
queue's address and description (and number) with ILIKE, in index-ordered slices. The
shapes themselves live in ``seatdesk.services.queue_search``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    String,
    any_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from seatdesk.db.models import Case, Category, Department
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    FINAL_STATES,
    DeadlineStatus,
    Role,
    Source,
    State,
    Urgency,
)
from seatdesk.services.case_detail import CaseDetail as CaseDetail
from seatdesk.services.case_detail import ComplaintTimelineEvent as ComplaintTimelineEvent
from seatdesk.services.case_detail import TimelineEvent as TimelineEvent
from seatdesk.services.case_detail import case_complaints as case_complaints
from seatdesk.services.case_detail import find_case_id as find_case_id
from seatdesk.services.case_detail import get_case as get_case
from seatdesk.services.case_detail import merged_timeline as merged_timeline
from seatdesk.services.case_detail import timeline as timeline
from seatdesk.services.common import CaseId
from seatdesk.services.queue_search import MIN_DIGITS as MIN_DIGITS
from seatdesk.services.queue_search import NUMBER_LENGTH as NUMBER_LENGTH
from seatdesk.services.queue_search import SearchKind as SearchKind
from seatdesk.services.queue_search import (
    candidates,
    escape_like,
    indexed_params,
    match_condition,
)
from seatdesk.services.queue_search import search_kind as search_kind

PAGE_SIZE = 50


class SortKey(StrEnum):
    #: Overdue first, then near the deadline, then the rest; each by deadline.
    URGENT = "urgent"
    DEADLINE = "deadline"
    CREATED = "created"
    UPDATED = "updated"
    NUMBER = "number"
    STATE = "state"
    ADDRESS = "address"
    GRID = "grid"
    DEPARTMENT = "department"
    SOURCE = "source"


#: A case's urgency rank, the leading key of ``SortKey.URGENT`` (the expression of the
#: index ``ix_cases_open_urgent``, migration 0011, written the same way).
URGENCY_RANK_SQL = (
    "(CASE cases.deadline_status WHEN 'overdue' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)"
)

_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.URGENT: (literal_column(URGENCY_RANK_SQL, Integer), Case.deadline_sort),
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
    """Where the next page starts: the sort value and id of the last row shown (a tuple
    of values for a sort on more than one column)."""

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
    #: Only the cases near or past their deadline (the sweep's yellow and red flags).
    late: bool = False
    text: str = ""
    include_closed: bool = False
    #: Only the cases without a grid (no location, or outside every grid): to place.
    unplaced: bool = False
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


#: Rows a free-text search examines per step, in queue order.
TEXT_BATCH = 2000
#: Matches the indexed search gathers before it calls the needle common and reads the
#: queue in slices instead (a common needle fills a page within a few slices).
CANDIDATE_CAP = 5000
#: What a search reads of its text: a number, a phone, a name or an address fits many
#: times over, and a seat cannot make a page read megabytes of pattern per row.
MAX_SEARCH_LENGTH = 100


def queue(session: Session, query: QueueQuery) -> Page:
    """One page of a queue, sorted by ``query.sort`` then id, from ``query.after`` on."""
    params = _params(query)
    needle = query.text.strip()[:MAX_SEARCH_LENGTH].strip()
    if not needle:
        # Core execution on the session's connection: the ORM's result machinery would
        # cost more than the query itself on a page of fifty rows.
        statement = _statement(query.sort, query.descending, frozenset(params), bounded=False)
        result = session.connection().execute(statement, params).all()
    else:
        result = _search(session, query, params, needle)
    more = len(result) > query.limit
    result = result[: query.limit]
    rows = [_row(r) for r in result]
    cursor = _cursor(query.sort, result[-1]) if more and result else None
    return Page(rows=rows, next=cursor)


def _cursor(sort: SortKey, r: Any) -> Cursor:
    width = _width(sort)
    return Cursor(r[-1] if width == 1 else tuple(r[-width:]), r[0])


def _search(
    session: Session, query: QueueQuery, params: dict[str, Any], needle: str
) -> list[Any]:
    """A free-text page: the indexed shapes first, then the queue's text in slices."""
    indexed = indexed_params(needle)
    # A department seat's row-level security puts its policy before any condition
    # that is not leakproof, so no index can answer LIKE for it: its (small) queue is
    # read in slices.
    if query.role is not Role.DEPARTMENT:
        probe = {"states": params["states"], **indexed, "cap": CANDIDATE_CAP + 1}
        ids = session.connection().execute(candidates(frozenset(indexed)), probe).scalars().all()
        if 0 < len(ids) <= CANDIDATE_CAP:
            found = {**params, "ids": list(ids)}
            statement = _statement(query.sort, query.descending, frozenset(found), bounded=False)
            return list(session.connection().execute(statement, found).all())
        if ids:  # common: the indexed shapes, read in slices of the queue
            return _text_pages(session, query, params, indexed)
        if search_kind(needle) is SearchKind.NUMBER_OR_PHONE:
            return []
    elif search_kind(needle) is SearchKind.NUMBER_OR_PHONE:
        return _text_pages(session, query, params, indexed)
    pattern = {"pattern": "%" + escape_like(needle) + "%"}
    if search_kind(needle) is not SearchKind.NUMBER_OR_PHONE and query.role is Role.DEPARTMENT:
        pattern.update(indexed)
    return _text_pages(session, query, params, pattern)


def _text_pages(
    session: Session, query: QueueQuery, params: dict[str, Any], match: dict[str, Any]
) -> list[Any]:
    """A search page found in bounded slices of the queue.

    Seat users are subject to row-level security, under which PostgreSQL does not trust
    column statistics for ILIKE (it is not leakproof): it guesses a handful of matches
    and scans the whole table. Bounding each statement to the next ``TEXT_BATCH`` rows
    of the queue's own index keeps every step an index range scan.
    """
    plain = dict(params)
    params = {**params, **match}
    width = _width(query.sort)
    end_stmt = _batch_end(query.sort, query.descending, frozenset(plain))
    found: list[Any] = []
    while len(found) <= query.limit:
        end = session.connection().execute(end_stmt, {**plain, "offset": TEXT_BATCH - 1}).first()
        bounds = {**params, "limit": query.limit + 1 - len(found)}
        if end is not None:
            bounds.update(_keyset("end", end[:width]))
            bounds["end_id"] = end[width]
        stmt = _statement(query.sort, query.descending, frozenset(bounds), bounded=end is not None)
        found += session.connection().execute(stmt, bounds).all()
        if end is None:
            break
        after = _keyset("after", end[:width])
        after["after_id"] = end[width]
        params = {**params, **after}
        plain = {**plain, **after}
        end_stmt = _batch_end(query.sort, query.descending, frozenset(plain))
    return found


def _keyset(prefix: str, values: Any) -> dict[str, Any]:
    return {f"{prefix}_value_{i}": v for i, v in enumerate(values)}


def _width(sort: SortKey) -> int:
    columns = _SORT_COLUMNS[sort]
    return len(columns) if isinstance(columns, tuple) else 1


def _sort_columns(sort: SortKey) -> tuple[Any, ...]:
    columns = _SORT_COLUMNS[sort]
    return columns if isinstance(columns, tuple) else (columns,)


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
    if query.unplaced:
        params["unplaced"] = True
    if query.late:
        params["late"] = True
    if query.after is not None:
        values = query.after.value if _width(query.sort) > 1 else (query.after.value,)
        params.update(_keyset("after", values))
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


def _key_bound(sort: SortKey, prefix: str) -> tuple[Any, Any]:
    columns = _sort_columns(sort)
    key = tuple_(*columns, Case.id)
    values = [
        bindparam(f"{prefix}_value_{i}", type_=c.type) for i, c in enumerate(columns)
    ]
    return key, tuple_(*values, bindparam(f"{prefix}_id", type_=BigInteger))


def _conditions(
    sort: SortKey, descending: bool, names: frozenset[str]
) -> list[ColumnElement[bool]]:
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
    if "unplaced" in names:
        conditions.append(Case.grid_code.is_(None))
    if "late" in names:
        # As ix_cases_open_urgent indexes it: the late open cases are one range of it.
        conditions.append(literal_column(URGENCY_RANK_SQL, Integer) < 2)
    if "category_id" in names:
        conditions.append(
            or_(
                Case.category_id == bindparam("category_id"),
                Case.category_id.in_(
                    select(Category.id).where(Category.parent_id == bindparam("category_id"))
                ),
            )
        )
    if "ids" in names:
        conditions.append(Case.id == any_(bindparam("ids", type_=ARRAY(BigInteger))))
    if "after_id" in names:
        key, bound = _key_bound(sort, "after")
        conditions.append(key < bound if descending else key > bound)
    return conditions


def _order(sort: SortKey, descending: bool) -> list[Any]:
    columns = [*_sort_columns(sort), Case.id]
    return [c.desc() for c in columns] if descending else columns


@functools.lru_cache(maxsize=512)
def _statement(
    sort: SortKey, descending: bool, names: frozenset[str], *, bounded: bool
) -> Executable:
    """The queue statement for one shape of query, built once and reused with new values
    (SQLAlchemy then skips compiling it too)."""
    conditions = _conditions(sort, descending, names)
    match = match_condition(names) if "ids" not in names else None
    if match is not None:
        conditions.append(match)
    if bounded:
        key, end = _key_bound(sort, "end")
        conditions.append(key >= end if descending else key <= end)
    columns = _sort_columns(sort)
    return (
        select(*_COLUMNS, *(c.label(f"sort_value_{i}") for i, c in enumerate(columns)))
        .join(Category, Category.id == Case.category_id)
        .outerjoin(_DEPT, _DEPT.code == Case.current_department)
        .where(*conditions)
        .order_by(*_order(sort, descending))
        .limit(bindparam("limit"))
    )


@functools.lru_cache(maxsize=256)
def _batch_end(sort: SortKey, descending: bool, names: frozenset[str]) -> Executable:
    """The key of the last row of the next slice of a free-text search."""
    return (
        select(*_sort_columns(sort), Case.id)
        .where(*_conditions(sort, descending, names))
        .order_by(*_order(sort, descending))
        .offset(bindparam("offset"))
        .limit(1)
    )


# ---- Counts


#: Up to this many cases a queue counts exactly; above, the planner's estimate.
EXACT_COUNT_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class QueueCount:
    """How many cases wait in a queue; ``exact`` is False for an estimate."""

    n: int
    exact: bool


def count(session: Session, query: QueueQuery) -> QueueCount:
    """The cases of a queue with its filters, free text aside (a tab's count).

    Counted exactly up to ``EXACT_COUNT_LIMIT`` (an index-only range read); a larger
    queue gets PostgreSQL's estimate of the same statement, which is what a seat needs
    ("约 12万") at the cost of planning only.
    """
    params = _params(replace(query, text="", after=None))
    params.pop("limit", None)
    names = frozenset(params)
    capped = _count_statement(names)
    n = session.connection().execute(capped, {**params, "cap": EXACT_COUNT_LIMIT + 1}).scalar_one()
    if n <= EXACT_COUNT_LIMIT:
        return QueueCount(int(n), exact=True)
    inner = select(Case.id).where(*_conditions(SortKey.DEADLINE, False, names))
    compiled = inner.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": False}
    )
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.construct_params(params)
    ).scalar_one()
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return QueueCount(max(estimate, EXACT_COUNT_LIMIT + 1), exact=False)


def count_matching(session: Session, query: QueueQuery) -> int:
    """Exactly how many cases the queue's pages hold, free text included (an export's
    total): the same shapes ``queue`` searches, in one counting statement."""
    params = _params(replace(query, after=None))
    params.pop("limit", None)
    needle = query.text.strip()[:MAX_SEARCH_LENGTH].strip()
    if not needle:
        return _exact_count(session, params)
    indexed = indexed_params(needle)
    digits = search_kind(needle) is SearchKind.NUMBER_OR_PHONE
    pattern = {"pattern": "%" + escape_like(needle) + "%"}
    if query.role is Role.DEPARTMENT and not digits:
        return _exact_count(session, {**params, **indexed, **pattern})
    n = _exact_count(session, {**params, **indexed})
    if n or digits:
        return n
    return _exact_count(session, {**params, **pattern})


def _exact_count(session: Session, params: dict[str, Any]) -> int:
    # LIMIT NULL: the count a tab caps at EXACT_COUNT_LIMIT, uncapped.
    statement = _count_statement(frozenset(params))
    return int(session.connection().execute(statement, {**params, "cap": None}).scalar_one())


@functools.lru_cache(maxsize=64)
def _count_statement(names: frozenset[str]) -> Executable:
    """The cases of a queue's filters and, when bound, its search shapes, at most ``cap``."""
    conditions = _conditions(SortKey.DEADLINE, False, names)
    match = match_condition(names)
    if match is not None:
        conditions.append(match)
    inner = select(Case.id).where(*conditions).limit(bindparam("cap")).subquery()
    return select(func.count()).select_from(inner)
