"""The statistics by day, category, area and source: reported, registered, closed.

Definitions (the README's "Statistics: areas, sources, seats, collectors and the
indices" says the same):

- reported (上报数): cases created within the period;
- registered (立案数): cases first registered (立案) within the period;
- closed (结案数): cases closed (结案) within the period (a case reopened after a
  dissatisfied callback counts at its last close);
- closure_rate (结案率): of the cases registered within the period, the share closed by
  the period's end. The denominator keeps the cases still open (overdue or not), so the
  rate cannot look perfect in mid-month; with the centre's ``exclude_postponed``
  setting, cases postponed (缓办) now leave the denominator.

Each case is counted by what it is now: its category, its grid and the department now
responsible for it (the filter's ``department``). Cases without a grid are left out of
the area tables (they are in every other table). Each statistic is ONE SQL statement:
one scan of the cases joined to their milestones (migration 0023), the period in FILTER
clauses; the trend reads three index ranges (created, registered, closed).

The per-seat and per-collector tables live in ``seatdesk.services.stats_seats`` and
are re-exported here.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.statistics import Column, ColumnKind, StatsFilter, StatTable
from seatdesk.services.statistics import read_settings
from seatdesk.services.stats_filters import (
    AREA_DIGITS,
    CENTRE_TZ_SQL,
    AreaLevel,
    case_conditions,
    milestones_in_period,
    period_params,
    run,
)
from seatdesk.services.stats_seats import (
    acceptors_table,
    collectors_table,
    dispatchers_table,
    shift_leaders_table,
    users_table,
)

__all__ = [
    "AreaLevel",
    "acceptors_table",
    "area_table",
    "category_table",
    "collectors_table",
    "dispatchers_table",
    "hot_grids",
    "shift_leaders_table",
    "source_table",
    "trend_table",
    "users_table",
]

K = ColumnKind
COUNTS = (
    Column("reported", K.COUNT),
    Column("registered", K.COUNT),
    Column("closed", K.COUNT),
)
RATE = Column("closure_rate", K.RATE)

#: Within the period, as SQL over the case ``c`` and its milestones ``m``.
_CREATED = "(c.created_at >= :p_start AND c.created_at < :p_end)"
_REGISTERED = "(m.registered_at >= :p_start AND m.registered_at < :p_end)"
_CLOSED = "(m.closed_at >= :p_start AND m.closed_at < :p_end)"
#: The three counts and the closure rate of one group.
_MEASURES = f"""
    count(*) FILTER (WHERE {_CREATED}) AS reported,
    count(*) FILTER (WHERE {_REGISTERED}) AS registered,
    count(*) FILTER (WHERE {_CLOSED}) AS closed,
    count(*) FILTER (WHERE {_REGISTERED} AND m.closed_at < :p_end)::float8
        / nullif(count(*) FILTER (WHERE {_REGISTERED}
                                  AND NOT (m.postponed AND :exclude_postponed)), 0)
        AS closure_rate"""


def _grouped(keys: str, joins: str, conditions: str, group: str, order: str) -> str:
    """The counts per group in one scan of the cases and their milestones: a case counts
    in a group when it was created, registered or closed within the period."""
    return f"""
    SELECT {keys}, {_MEASURES}
    FROM cases c LEFT JOIN case_milestones m ON m.case_id = c.id {joins}
    WHERE ({_CREATED} OR {_REGISTERED} OR {_CLOSED}) AND {conditions}
    GROUP BY {group}
    ORDER BY {order}
    """


def _params(session: Session, f: StatsFilter) -> tuple[str, dict[str, object]]:
    conditions, params = case_conditions(f)
    params.update(period_params(f))
    params["exclude_postponed"] = read_settings(session).exclude_postponed
    return conditions, params


def trend_table(
    session: Session, f: StatsFilter, by: Literal["day", "month"] = "day"
) -> StatTable:
    """"trend": reported, registered, closed per day of the period in the centre's time
    zone (every day, those with nothing included); ``by="month"`` per month (key month,
    'YYYY-MM') for long periods."""
    conditions, params = case_conditions(f)
    params.update(period_params(f))
    # The zone as a constant of the statement: read per row from a join it costs twice.
    params["tz"] = session.execute(text(f"SELECT {CENTRE_TZ_SQL}")).scalar_one()
    if by == "day":
        step, label, first = "'1 day'", "s.d::date", "d0"
        key_column = Column("day", K.DATE)
        bucket = "(f.at AT TIME ZONE :tz)::date"
    else:
        step, label = "'1 month'", "to_char(s.d, 'YYYY-MM')"
        first = "date_trunc('month', d0::timestamp)"
        key_column = Column("month", K.TEXT)
        bucket = "date_trunc('month', f.at AT TIME ZONE :tz)::date"
    sql = f"""
    WITH facts AS (
        SELECT 1 AS kind, c.created_at AS at FROM cases c
        WHERE {_CREATED} AND {conditions}
        UNION ALL
        SELECT 2, m.registered_at {milestones_in_period("registered_at", conditions)}
        UNION ALL
        SELECT 3, m.closed_at {milestones_in_period("closed_at", conditions)}
    ),
    z AS (SELECT CAST(:tz AS text) AS tz),
    bounds AS (
        SELECT (CAST(:p_start AS timestamptz) AT TIME ZONE z.tz)::date AS d0,
               ((CAST(:p_end AS timestamptz) - interval '1 microsecond') AT TIME ZONE z.tz)::date
                   AS d1
        FROM z
    ),
    counted AS (
        SELECT {bucket} AS bucket, count(*) FILTER (WHERE f.kind = 1) AS reported,
               count(*) FILTER (WHERE f.kind = 2) AS registered,
               count(*) FILTER (WHERE f.kind = 3) AS closed
        FROM facts f GROUP BY 1
    )
    SELECT {label}, coalesce(n.reported, 0), coalesce(n.registered, 0), coalesce(n.closed, 0)
    FROM bounds b
    CROSS JOIN LATERAL generate_series({first}::timestamp, d1::timestamp, {step}) s(d)
    LEFT JOIN counted n ON n.bucket = s.d::date
    ORDER BY s.d
    """
    return run(session, "trend", (key_column, *COUNTS), sql, params)


def category_table(session: Session, f: StatsFilter) -> StatTable:
    """"categories": the counts and the closure rate per minor class (小类)."""
    conditions, params = _params(session, f)
    sql = _grouped(
        "k.code, k.name, k.case_type", "JOIN categories k ON k.id = c.category_id",
        conditions, "k.id, k.code, k.name, k.case_type", "k.case_type, k.code, k.id",
    )
    columns = (
        Column("category_code", K.CODE),
        Column("category_name", K.TEXT),
        Column("case_type", K.CODE),
        *COUNTS,
        RATE,
    )
    return run(session, "categories", columns, sql, params)


def area_table(session: Session, f: StatsFilter, level: AreaLevel) -> StatTable:
    """"grids" / "streets" / "communities": the counts and the closure rate per area
    (the first 15, 9 or 12 digits of the grid code). Only grids have names in the
    database; a street's or community's ``area_name`` is None."""
    conditions, params = _params(session, f)
    conditions += " AND c.grid_code IS NOT NULL"
    if level is AreaLevel.GRID:
        sql = _grouped("c.grid_code, g.name", "LEFT JOIN grids g ON g.code = c.grid_code",
                       conditions, "c.grid_code, g.name", "c.grid_code")
    else:
        area = f"left(c.grid_code, {AREA_DIGITS[level]})"
        sql = _grouped(f"{area}, NULL::text", "", conditions, "1", "1")
    columns = (Column("area", K.CODE), Column("area_name", K.TEXT), *COUNTS, RATE)
    return run(session, level.value, columns, sql, params)


def hot_grids(session: Session, f: StatsFilter, limit: int = 10) -> StatTable:
    """"hot_grids": the ``limit`` grids with the most reports in the period (ties by
    code)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    conditions, params = case_conditions(f)
    params.update(period_params(f), limit=limit)
    sql = f"""
    SELECT t.grid_code, g.name, t.reported FROM (
        SELECT c.grid_code, count(*) AS reported
        FROM cases c
        WHERE c.created_at >= :p_start AND c.created_at < :p_end AND {conditions}
          AND c.grid_code IS NOT NULL
        GROUP BY c.grid_code
        ORDER BY count(*) DESC, c.grid_code
        LIMIT :limit
    ) t LEFT JOIN grids g ON g.code = t.grid_code
    ORDER BY t.reported DESC, t.grid_code
    """
    columns = (Column("grid", K.CODE), Column("grid_name", K.TEXT), Column("reported", K.COUNT))
    return run(session, "hot_grids", columns, sql, params)


def source_table(session: Session, f: StatsFilter) -> StatTable:
    """"sources": the counts and the closure rate per source (问题来源) and channel.

    The channel is how a complaint reached the centre (``ComplaintChannel``: 12319
    hotline, mayor's mailbox, online platform, media, city platform, walk-in): a case
    made from or linked to complaints takes its first complaint's channel; a case no
    complaint names has none (None) — a collector's report, an inspection, or a call the
    acceptor typed in directly.
    """
    conditions, params = _params(session, f)
    sql = _grouped(
        "c.source, k.channel",
        """LEFT JOIN (SELECT DISTINCT ON (case_id) case_id, channel FROM complaints
                     WHERE case_id IS NOT NULL ORDER BY case_id, received_at, id) k
               ON k.case_id = c.id""",
        conditions, "c.source, k.channel", "c.source, k.channel NULLS FIRST",
    )
    columns = (Column("source", K.CODE), Column("channel", K.CODE), *COUNTS, RATE)
    return run(session, "sources", columns, sql, params)
