"""The department counters for a period: one SQL aggregate over ``case_handlings``.

``case_handlings`` (migration 0022) holds one row per handling of a case by a
department, kept by a trigger on ``case_events`` in the same transaction as each
event: the figures are never stale (``as_of`` None). Row-level security decides the
rows: a department seat sees its own department's handlings only, returned ones
included. The rates and the score are ``seatdesk.domain.performance``'s, from the
counts; one row per department that has a handling or a registered case in the
period, ordered by department code.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.performance import DepartmentCounts, rates, score
from seatdesk.domain.statistics import Column, ColumnKind, StatsFilter, StatsSettings, StatTable
from seatdesk.services.statistics import read_settings

TABLE_KEY = "departments"

COLUMNS: tuple[Column, ...] = (
    Column("department", ColumnKind.CODE),
    Column("department_name", ColumnKind.TEXT),
    Column("dispatched", ColumnKind.COUNT),
    Column("handled", ColumnKind.COUNT),
    Column("handled_on_time", ColumnKind.COUNT),
    Column("handled_late", ColumnKind.COUNT),
    Column("overdue_open", ColumnKind.COUNT),
    Column("returned", ColumnKind.COUNT),
    Column("reworked", ColumnKind.COUNT),
    Column("extensions", ColumnKind.COUNT),
    Column("postponements", ColumnKind.COUNT),
    Column("handling_rate", ColumnKind.RATE),
    Column("on_time_rate", ColumnKind.RATE),
    Column("rework_rate", ColumnKind.RATE),
    Column("extension_rate", ColumnKind.RATE),
    Column("overdue_open_rate", ColumnKind.RATE),
    Column("closure_rate", ColumnKind.RATE),
    Column("on_time_closure_rate", ColumnKind.RATE),
    Column("avg_handling_hours", ColumnKind.HOURS),
    Column("score", ColumnKind.SCORE),
)

#: The filters of a ``StatsFilter`` over the copied case facts (``h.``).
_FILTERS = """
      AND (CAST(:department AS text) IS NULL OR h.department = :department)
      AND (CAST(:category AS integer) IS NULL OR h.category_id IN (
               SELECT k.id FROM categories k WHERE k.id = :category OR k.parent_id = :category))
      AND (CAST(:grid AS text) IS NULL OR h.grid_code = :grid)
      AND (CAST(:street AS text) IS NULL OR left(h.grid_code, 9) = :street)
      AND (CAST(:community AS text) IS NULL OR left(h.grid_code, 12) = :community)
      AND (CAST(:source AS text) IS NULL OR h.source = :source)
"""

#: One pass over the handlings that matter to the period: dispatched in it, or the
#: current handling of a case registered in it. ``:at`` is the end of the period, or
#: now when the period has not ended (what is overdue is overdue by then). The names
#: are joined to the ten-odd sums, not to every handling; the postponed cases' own counts
#: are asked for only when they are to be left out. (Fencing the flags into a subquery
#: with OFFSET 0 computes each once but forbids a parallel aggregate: measured slower.)
_SQL = f"""
WITH h AS (
    SELECT h.department, h.late_handlings = 0 AS in_time, h.reworks, h.extensions,
           h.postponements, h.handling_minutes,
           due, due AND h.handled_at < :end AS done,
           due AND NOT coalesce(h.handled_at < :end, false)
               AND coalesce(h.deadline < :at, false)
               -- the clock of a case postponed and not resumed by then is stopped
               AND NOT coalesce(h.postponed_at < :at
                                AND (h.resumed_at IS NULL OR h.resumed_at <= h.postponed_at
                                     OR h.resumed_at >= :at), false) AS late_open,
           h.dispatched_at >= :start AND h.returned_at < :end AS sent_back,
           h.is_current AND h.registered_at >= :start AND h.registered_at < :end
               AND h.returned_at IS NULL AND h.ended_at IS NULL AS filed,
           h.closed_at < :end AS shut,
           due AND h.postponements > 0 AND h.postponed_at < :end AS put_off
    FROM case_handlings h
    CROSS JOIN LATERAL (
        SELECT h.dispatched_at >= :start AND h.dispatched_at < :end
               AND (h.returned_at IS NULL OR h.returned_at >= :end)
               AND (h.ended_at IS NULL OR h.ended_at >= :end) AS due
    ) d
    WHERE ((h.dispatched_at >= :start AND h.dispatched_at < :end)
           OR (h.is_current AND h.registered_at >= :start AND h.registered_at < :end))
      {_FILTERS}
), a AS (
    SELECT department,
           count(*) FILTER (WHERE due) AS dispatched,
           count(*) FILTER (WHERE done) AS handled,
           count(*) FILTER (WHERE done AND in_time) AS handled_on_time,
           count(*) FILTER (WHERE late_open) AS overdue_open,
           count(*) FILTER (WHERE sent_back) AS returned,
           coalesce(sum(reworks) FILTER (WHERE due), 0) AS reworked,
           coalesce(sum(extensions) FILTER (WHERE due), 0) AS extensions,
           coalesce(sum(postponements) FILTER (WHERE due), 0) AS postponements,
           count(*) FILTER (WHERE filed) AS registered,
           count(*) FILTER (WHERE filed AND shut) AS closed,
           count(*) FILTER (WHERE filed AND shut AND in_time) AS closed_on_time,
           avg(handling_minutes) FILTER (WHERE done) / 60.0 AS avg_handling_hours{{postponed}}
    FROM h
    GROUP BY department
)
SELECT a.*, d.name FROM a LEFT JOIN departments d ON d.code = a.department
ORDER BY a.department
"""

#: What ``exclude_postponed`` needs besides: the same counts among the postponed cases.
_POSTPONED = """,
           count(*) FILTER (WHERE put_off) AS postponed_cases,
           count(*) FILTER (WHERE put_off AND done) AS postponed_handled,
           count(*) FILTER (WHERE put_off AND done AND in_time) AS postponed_on_time,
           count(*) FILTER (WHERE put_off AND late_open) AS postponed_overdue_open,
           coalesce(sum(reworks) FILTER (WHERE put_off), 0) AS postponed_reworked,
           coalesce(sum(extensions) FILTER (WHERE put_off), 0) AS postponed_extensions"""


def department_sql(*, postponed: bool) -> str:
    """The aggregate; with the postponed cases' own counts when they are to be left out."""
    return _SQL.format(postponed=_POSTPONED if postponed else "")


#: The statement of the centre's default settings (the benchmark times it).
DEPARTMENT_SQL = department_sql(postponed=False)

_COUNT_NAMES = (
    "dispatched", "handled", "handled_on_time", "overdue_open", "returned", "reworked",
    "extensions", "postponements", "registered", "closed", "closed_on_time",
)
_POSTPONED_NAMES = (
    "postponed_cases", "postponed_handled", "postponed_on_time", "postponed_overdue_open",
    "postponed_reworked", "postponed_extensions",
)


def filter_params(f: StatsFilter) -> dict[str, Any]:
    """The bind values of ``DEPARTMENT_SQL`` for a filter (the benchmark shares them)."""
    return {
        "start": f.start,
        "end": f.end,
        "department": f.department,
        "category": f.category_id,
        "grid": f.grid,
        "street": f.street,
        "community": f.community,
        "source": f.source,
    }


def department_table(
    session: Session, f: StatsFilter, settings: StatsSettings | None = None
) -> StatTable:
    """The department counters for ``f`` (the centre's settings unless given)."""
    settings = settings if settings is not None else read_settings(session)
    params = filter_params(f)
    # The end of the period, or now while it runs: the database's clock, not the desk's.
    params["at"] = session.execute(
        text("SELECT least(CAST(:end AS timestamptz), clock_timestamp())"), {"end": f.end}
    ).scalar_one()
    postponed = settings.exclude_postponed
    names = (*_COUNT_NAMES, *_POSTPONED_NAMES) if postponed else _COUNT_NAMES
    rows = []
    for r in session.execute(text(department_sql(postponed=postponed)), params).mappings():
        counts = DepartmentCounts(**{n: int(r[n]) for n in names})
        rr = rates(counts, settings)
        avg = r["avg_handling_hours"]
        rows.append((
            r["department"], r["name"] or r["department"],
            counts.dispatched, counts.handled, counts.handled_on_time, counts.handled_late,
            counts.overdue_open, counts.returned, counts.reworked, counts.extensions,
            counts.postponements,
            rr.handling_rate, rr.on_time_rate, rr.rework_rate, rr.extension_rate,
            rr.overdue_open_rate, rr.closure_rate, rr.on_time_closure_rate,
            None if avg is None else float(avg),
            score(rr, settings),
        ))
    return StatTable(TABLE_KEY, COLUMNS, tuple(rows), as_of=None)
