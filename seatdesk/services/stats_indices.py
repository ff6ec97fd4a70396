"""The indices of the bid document for a period: 运行指数, 效能指数 and the 校核模型.

The formulas are pure (``seatdesk.domain.indices``); this module gathers their inputs
in ONE SQL statement (a scalar sub-query per input) and returns the "indices" table:
index_key, index_name, value. Where each input comes from:

- 有效结案率: ``case_milestones`` — registered within the period, closed by its end
  (postponed cases out of the denominator when ``exclude_postponed`` is set);
- 投诉部分: ``complaints.received_at`` within the period (under a filter, only the
  complaints linked to a case that matches it) over the cases created within it;
- 存量变化率: registered cases not ended (``case_milestones.ended_at``) at the period's
  start and at its end;
- 漏报率 (missed reports): of the cases registered within the period, the share a
  collector did not report (source other than ``collector``: the public, the hotline,
  the media, inspections, the city platform found what the collectors missed — the
  bid document's 校核 channels);
- 覆盖率 (coverage): grids in force during the period (``grids.start_date``/``end_date``)
  with at least one collector's report created within it, over all of them;
- 及时响应率 (timely response): verify and check tasks sent to collectors within the
  period and answered no later than the deadline in force when they were sent;
- 错误率 (error rate): collectors' reports the acceptor decided within the period that
  were rejected (不予立案: out of scope, duplicate, false, insufficient).

What the data does not hold: a "missed" problem that nobody ever reported (a true 漏报
count needs the 校核 survey's own findings — a list of problems the checkers found per
grid, which the centre does not record), and whether a report was wrong in a way the
acceptor did not reject (it would need the checkers' verdict per report).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain.glossary import Source
from seatdesk.domain.indices import IndexInputs, Indices, compute
from seatdesk.domain.statistics import Column, ColumnKind, StatsFilter, StatsSettings, StatTable
from seatdesk.services.statistics import read_settings
from seatdesk.services.stats_filters import (
    CENTRE_TZ_SQL,
    case_conditions,
    period_params,
)
from seatdesk.services.stats_seats import tasks_sql

#: The rows of the "indices" table, in order (``stats.index.<key>`` names each).
INDEX_KEYS = (
    "effective_closure_rate",
    "operation_index",
    "complaint_part",
    "backlog_change_rate",
    "result_indicator",
    "efficiency_index",
    "missed_report_rate",
    "coverage_rate",
    "timely_response_rate",
    "error_rate",
)

COLUMNS = (
    Column("index_key", ColumnKind.CODE),
    Column("index_name", ColumnKind.TEXT),
    Column("value", ColumnKind.SCORE),
)


def _grid_conditions(f: StatsFilter) -> str:
    parts = []
    if f.grid is not None:
        parts.append("g.code = :f_grid")
    if f.street is not None:
        parts.append("left(g.code, 9) = :f_street")
    if f.community is not None:
        parts.append("left(g.code, 12) = :f_community")
    return " AND ".join(parts) or "TRUE"


def index_inputs(session: Session, f: StatsFilter, settings: StatsSettings) -> IndexInputs:
    """The counts every index is computed from, in one statement."""
    cond, params = case_conditions(f)
    params.update(period_params(f))
    params["exclude_postponed"] = settings.exclude_postponed
    params["collector"] = Source.COLLECTOR.value
    # One pass over the milestones for every input they hold (the registrations of the
    # period, the backlog at both ends, the acceptors' decisions) and one over the tasks:
    # over a whole year each separate scan of a million rows cost ~0.3 s.
    milestones = "FROM case_milestones m" if cond == "TRUE" else (
        "FROM case_milestones m JOIN cases c ON c.id = m.case_id")
    reg = "m.registered_at >= :p_start AND m.registered_at < :p_end"
    sql = f"""
    WITH ms AS (
        SELECT count(*) FILTER (WHERE {reg} AND NOT (m.postponed AND :exclude_postponed))
                   AS denominator,
               count(*) FILTER (WHERE {reg} AND m.closed_at < :p_end) AS closed,
               count(*) FILTER (WHERE {reg}) AS registered,
               count(*) FILTER (WHERE {reg} AND NOT m.from_collector) AS not_collector,
               count(*) FILTER (WHERE m.registered_at < :p_start
                                AND (m.ended_at IS NULL OR m.ended_at >= :p_start)) AS at_start,
               count(*) FILTER (WHERE m.registered_at < :p_end
                                AND (m.ended_at IS NULL OR m.ended_at >= :p_end)) AS at_end,
               count(*) FILTER (WHERE m.accepted_at >= :p_start AND m.accepted_at < :p_end
                                AND m.from_collector) AS decided,
               count(*) FILTER (WHERE m.accepted_at >= :p_start AND m.accepted_at < :p_end
                                AND m.from_collector AND m.accept_rejected) AS rejected
        {milestones}
        WHERE (m.registered_at < :p_end
               OR (m.accepted_at >= :p_start AND m.accepted_at < :p_end)) AND {cond}
    ), tasks AS ({tasks_sql(cond)}
    ), grids_in_force AS (
        SELECT g.code FROM grids g
        WHERE g.start_date < (CAST(:p_end AS timestamptz) AT TIME ZONE {CENTRE_TZ_SQL})::date
          AND (g.end_date IS NULL OR g.end_date >=
               (CAST(:p_start AS timestamptz) AT TIME ZONE {CENTRE_TZ_SQL})::date)
          AND {_grid_conditions(f)}
    ), reported_grids AS MATERIALIZED (
        -- The grids of the period's collector reports, hashed from a scan of the period:
        -- probing each grid's cases by its index read most of them (3 s over a month).
        SELECT DISTINCT c.grid_code FROM cases c
        WHERE c.source = :collector AND c.created_at >= :p_start AND c.created_at < :p_end
          AND {cond}
    ), tasks_answered AS (
        SELECT count(*) AS sent,
               count(*) FILTER (WHERE answered_at < :p_end
                                AND (deadline IS NULL OR answered_at <= deadline)) AS on_time
        FROM tasks WHERE collector IS NOT NULL
    )
    SELECT
        ms.denominator, ms.closed,
        (SELECT count(*) FROM cases c
         WHERE c.created_at >= :p_start AND c.created_at < :p_end AND {cond}),
        (SELECT count(*) FROM complaints k LEFT JOIN cases c ON c.id = k.case_id
         WHERE k.received_at >= :p_start AND k.received_at < :p_end AND {cond}),
        ms.at_start, ms.at_end, ms.registered, ms.not_collector,
        (SELECT count(*) FROM grids_in_force),
        (SELECT count(DISTINCT g.code) FROM grids_in_force g
         JOIN reported_grids r ON r.grid_code = g.code),
        tasks_answered.sent, tasks_answered.on_time,
        ms.decided, ms.rejected
    FROM ms, tasks_answered
    """
    row = session.execute(text(sql), params).one()
    return IndexInputs(*(int(v) for v in row))


def indices_table(
    session: Session, f: StatsFilter, settings: StatsSettings | None = None
) -> StatTable:
    """"indices": every index of the period, named in the current language."""
    settings = settings or read_settings(session)
    values: Indices = compute(index_inputs(session, f, settings), settings)
    rows = tuple(
        (key, messages.t(f"stats.index.{key}"), getattr(values, key)) for key in INDEX_KEYS
    )
    return StatTable("indices", COLUMNS, rows)
