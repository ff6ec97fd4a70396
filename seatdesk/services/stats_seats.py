"""The statistics of the people: seat users, field collectors, and per seat role the
counters centres publish (受理, 立案, 结案, 派遣 …).

"On time" is decided once, when the step happens, against the stage deadline then in
force (``case_milestones``, migration 0023): 受理 and 立案 against the register stage's
clock, 派遣 the dispatch stage's, 结案 the close stage's. Each case counts its first
受理 (pre-register or reject), first 立案 and first 派遣, and its last 结案; so 应派遣 is
the cases registered within the period (a returned case's re-dispatch is not counted
again), and 准确派遣 a first dispatch that no approved return (回退) followed.

Each statistic is one SQL statement; rows are ordered by login or collector. The role
tables end with a totals row whose user is None.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import SYSTEM_ACTIONS, SYSTEM_ACTOR, IntakeKind
from seatdesk.domain.statistics import Column, ColumnKind, StatsFilter, StatTable
from seatdesk.services.stats_filters import (
    case_conditions,
    milestones_in_period,
    period_params,
    run,
)

K = ColumnKind
USER = (Column("user", K.CODE), Column("user_name", K.TEXT))
_NOT_ACTIONS = "(" + ", ".join(f"'{a}'" for a in sorted(SYSTEM_ACTIONS)) + ")"


def _params(f: StatsFilter) -> tuple[str, dict[str, Any]]:
    conditions, params = case_conditions(f)
    params.update(period_params(f))
    return conditions, params


def _milestones(column: str, conditions: str) -> str:
    """The milestone rows whose ``column`` falls within the period."""
    return milestones_in_period(column, conditions)


def _events(conditions: str) -> str:
    """The events of the period (joined to their case only when a filter asks)."""
    if conditions == "TRUE":
        return "FROM case_events e WHERE e.at >= :p_start AND e.at < :p_end"
    return (
        "FROM case_events e JOIN cases c ON c.id = e.case_id "
        f"WHERE e.at >= :p_start AND e.at < :p_end AND {conditions}"
    )


def _with_totals(key_sql: str, measures: list[str]) -> str:
    """GROUP BY login with a totals row (login NULL) last, names from ``users``."""
    return f"""
    SELECT t.login, u.display_name, {", ".join(f"t.{m}" for m in measures)}
    FROM (
        SELECT s.login, {", ".join(f"coalesce(sum(s.{m}), 0)::int AS {m}" for m in measures)}
        FROM ({key_sql}) s
        GROUP BY GROUPING SETS ((s.login), ())
    ) t LEFT JOIN users u ON u.login = t.login
    ORDER BY t.login NULLS LAST
    """


USERS_COLUMNS = (
    *USER,
    Column("actions", K.COUNT),
    Column("avg_hours_to_register", K.HOURS),
    Column("avg_hours_to_dispatch", K.HOURS),
    Column("steps_on_time", K.COUNT),
    Column("steps_late", K.COUNT),
)


def whole_utc_hours(f: StatsFilter) -> tuple[datetime, datetime]:
    """The whole UTC hours inside the period, as [first, last): the part
    ``seat_user_hours`` answers. Empty (both the period's end) when no hour fits."""
    start = f.start.astimezone(UTC)
    end = f.end.astimezone(UTC)
    first = start.replace(minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(hours=1)
    last = end.replace(minute=0, second=0, microsecond=0)
    if last <= first:
        return f.end, f.end
    return first, last


def _users_live(conditions: str) -> str:
    """The users table from the raw events and milestones (a filter on the case, or a
    seat that may not read the summary)."""
    return f"""
    WITH acts AS (
        SELECT e.actor AS login, count(*) AS actions
        {_events(conditions)} AND e.action NOT IN {_NOT_ACTIONS}
        GROUP BY e.actor
    ), steps AS (
        SELECT m.accepted_by AS login, NULL::float8 AS to_register,
               NULL::float8 AS to_dispatch, m.accepted_on_time AS on_time
        {_milestones("accepted_at", conditions)}
        UNION ALL
        SELECT m.registered_by, extract(epoch FROM m.registered_at - m.reported_at) / 3600,
               NULL, m.registered_on_time
        {_milestones("registered_at", conditions)}
        UNION ALL
        SELECT m.dispatched_by, NULL,
               extract(epoch FROM m.dispatched_at - m.registered_at) / 3600,
               m.dispatched_on_time
        {_milestones("dispatched_at", conditions)}
        UNION ALL
        SELECT m.closed_by, NULL, NULL, m.closed_on_time
        {_milestones("closed_at", conditions)}
    ), per AS (
        SELECT login, avg(to_register) AS to_register, avg(to_dispatch) AS to_dispatch,
               count(*) FILTER (WHERE on_time) AS on_time,
               count(*) FILTER (WHERE NOT on_time) AS late
        FROM steps GROUP BY login
    )
    SELECT coalesce(a.login, p.login) AS login, u.display_name, coalesce(a.actions, 0),
           p.to_register, p.to_dispatch, coalesce(p.on_time, 0), coalesce(p.late, 0)
    FROM acts a FULL JOIN per p ON p.login = a.login
    LEFT JOIN users u ON u.login = coalesce(a.login, p.login)
    WHERE coalesce(a.login, p.login) <> :system
    ORDER BY 1
    """


def _edge(column: str) -> str:
    """``column`` within the period but outside its whole UTC hours (two short ranges)."""
    return (f"(({column} >= :p_start AND {column} < :h_start) "
            f"OR ({column} >= :h_end AND {column} < :p_end))")


def _edge_step(step: str, register: str, dispatch: str) -> str:
    return f"""
        SELECT m.{step}_by, 0, 1, m.{step}_on_time, {register}, {dispatch}
        FROM case_milestones m WHERE {_edge(f"m.{step}_at")}"""


#: The users table from ``seat_user_hours`` (migration 0038) for the period's whole UTC
#: hours, and from the raw events and milestones for the minutes before and after them.
_USERS_SUMMARY = f"""
WITH parts AS (
    SELECT d.login, d.actions, d.steps, d.on_time, d.late, d.registered,
           d.register_seconds, d.dispatched, d.dispatch_seconds
    FROM seat_user_hours d
    WHERE d.hour >= :h_start AND d.hour < :h_end
    UNION ALL
    SELECT login, actions, steps, coalesce(ok::int, 0), coalesce((NOT ok)::int, 0),
           (reg_s IS NOT NULL)::int, coalesce(reg_s, 0), (disp_s IS NOT NULL)::int,
           coalesce(disp_s, 0)
    FROM (
        SELECT e.actor AS login, 1 AS actions, 0 AS steps, NULL::boolean AS ok,
               NULL::numeric AS reg_s, NULL::numeric AS disp_s
        FROM case_events e
        WHERE {_edge("e.at")} AND e.action NOT IN {_NOT_ACTIONS}
        UNION ALL {_edge_step("accepted", "NULL", "NULL")}
        UNION ALL {_edge_step("registered",
                              "extract(epoch FROM m.registered_at - m.reported_at)", "NULL")}
        UNION ALL {_edge_step("dispatched", "NULL",
                              "extract(epoch FROM m.dispatched_at - m.registered_at)")}
        UNION ALL {_edge_step("closed", "NULL", "NULL")}
    ) raw
), per AS (
    SELECT login, sum(actions) AS actions, sum(steps) AS steps, sum(on_time) AS on_time,
           sum(late) AS late, sum(registered) AS registered,
           sum(register_seconds) AS register_seconds, sum(dispatched) AS dispatched,
           sum(dispatch_seconds) AS dispatch_seconds
    FROM parts GROUP BY login
)
SELECT p.login, u.display_name, p.actions::int,
       (p.register_seconds / 3600 / nullif(p.registered, 0))::float8,
       (p.dispatch_seconds / 3600 / nullif(p.dispatched, 0))::float8,
       p.on_time::int, p.late::int
FROM per p LEFT JOIN users u ON u.login = p.login
WHERE p.login <> :system AND (p.actions > 0 OR p.steps > 0)
ORDER BY 1
"""


def users_table(session: Session, f: StatsFilter) -> StatTable:
    """"users": per seat user, the actions taken in the period (audited steps, not the
    system's flags nor collectors' answers), the mean clock hours from report to
    registration of the cases the user registered, and from registration to first
    dispatch of those the user dispatched, and how many of the user's 受理/立案/派遣/结案
    steps beat their deadline (on_time) or missed it (late).

    Without a filter on the case, a staff seat reads the whole UTC hours of the period
    from ``seat_user_hours`` (kept by a trigger in the events' own transactions, so never
    stale) and only the minutes at its edges from the raw tables: none for a period of the
    centre's whole days. A filter on the case, or
    a department seat (the summary does not tell its cases apart), counts the raw rows."""
    conditions, params = _params(f)
    params["system"] = SYSTEM_ACTOR
    may_read = session.execute(
        text("SELECT has_table_privilege('seat_user_hours', 'SELECT')")
    ).scalar_one()
    if conditions != "TRUE" or not may_read:
        return run(session, "users", USERS_COLUMNS, _users_live(conditions), params)
    params["h_start"], params["h_end"] = whole_utc_hours(f)
    return run(session, "users", USERS_COLUMNS, _USERS_SUMMARY, params)


def acceptors_table(session: Session, f: StatsFilter) -> StatTable:
    """"acceptors": 受理 (first decisions on reports: pre-register or reject), 按时受理,
    不予立案 (the first decision was a rejection), per acceptor and in total."""
    conditions, params = _params(f)
    inner = f"""
        SELECT m.accepted_by AS login, 1 AS accepted,
               m.accepted_on_time::int AS accepted_on_time,
               m.accept_rejected::int AS not_registered
        {_milestones("accepted_at", conditions)}"""
    measures = ["accepted", "accepted_on_time", "not_registered"]
    columns = (*USER, *(Column(m, K.COUNT) for m in measures))
    return run(session, "acceptors", columns, _with_totals(inner, measures), params)


def shift_leaders_table(session: Session, f: StatsFilter) -> StatTable:
    """"shift_leaders": 立案, 按时立案, 结案, 按时结案 per shift leader and in total."""
    conditions, params = _params(f)
    inner = f"""
        SELECT m.registered_by AS login, 1 AS registered,
               m.registered_on_time::int AS registered_on_time, 0 AS closed,
               0 AS closed_on_time
        {_milestones("registered_at", conditions)}
        UNION ALL
        SELECT m.closed_by, 0, 0, 1, m.closed_on_time::int
        {_milestones("closed_at", conditions)}"""
    measures = ["registered", "registered_on_time", "closed", "closed_on_time"]
    columns = (*USER, *(Column(m, K.COUNT) for m in measures))
    return run(session, "shift_leaders", columns, _with_totals(inner, measures), params)


def dispatchers_table(session: Session, f: StatsFilter) -> StatTable:
    """"dispatchers": 派遣 (first dispatches), 按时派遣, 准确派遣 (no approved return
    since) per dispatcher; 应派遣 (cases registered within the period: nobody owns them
    before they are dispatched) only in the totals row, None in the others."""
    conditions, params = _params(f)
    sql = f"""
    WITH d AS (
        SELECT m.dispatched_by AS login, m.dispatched_on_time, m.returns
        {_milestones("dispatched_at", conditions)}
    ), due AS (
        SELECT count(*) AS n
        {_milestones("registered_at", conditions)}
    )
    SELECT t.login, u.display_name,
           CASE WHEN t.login IS NULL THEN (SELECT n FROM due) END,
           t.dispatched, t.on_time, t.accurate
    FROM (
        SELECT login, count(*) AS dispatched,
               count(*) FILTER (WHERE dispatched_on_time) AS on_time,
               count(*) FILTER (WHERE returns = 0) AS accurate
        FROM d GROUP BY GROUPING SETS ((login), ())
    ) t LEFT JOIN users u ON u.login = t.login
    ORDER BY t.login NULLS LAST
    """
    measures = ["dispatch_due", "dispatches", "dispatches_on_time", "dispatches_accurate"]
    return run(session, "dispatchers", (*USER, *(Column(m, K.COUNT) for m in measures)),
               sql, params)


def tasks_sql(conditions: str) -> str:
    """One row per verify or check task sent to a collector within the period
    (``collector_tasks``, migration 0023): the collector, whether it is a verification,
    when it was first answered (None: not yet) and the stage deadline when it was sent."""
    where = "t.sent_at >= :p_start AND t.sent_at < :p_end"
    if conditions == "TRUE":
        source = f"FROM collector_tasks t WHERE {where}"
    else:
        source = (
            "FROM collector_tasks t JOIN cases c ON c.id = t.case_id "
            f"WHERE {where} AND {conditions}"
        )
    return f"""
        SELECT t.collector, t.verify, t.answered_at, t.deadline {source}
"""


def collectors_table(session: Session, f: StatsFilter) -> StatTable:
    """"collectors": per field collector, the reports the intake took in within the
    period (its ``intake_items``), those registered (valid reports, 有效上报) by the
    period's end, and the verify (核实) and check (核查) tasks sent to the collector
    within the period (the ``collector`` of request_verify / request_check): due, done
    (answered — the collector's answer through the intake, or the acceptor's pass/fail —
    by the period's end) and done on time (no later than the stage deadline in force
    when the task was sent)."""
    conditions, params = _params(f)
    params["report"] = IntakeKind.REPORT.value
    # The intake's items are the centre's: a department seat may not read them (0017),
    # so its table counts the tasks of its own cases and no reports.
    may_read = session.execute(
        text("SELECT has_table_privilege('intake_items', 'SELECT')")
    ).scalar_one()
    reports = (
        f"""
        SELECT i.collector, count(*) AS reports,
               count(*) FILTER (WHERE m.registered_at < :p_end) AS valid_reports
        FROM intake_items i JOIN cases c ON c.id = i.case_id
        LEFT JOIN case_milestones m ON m.case_id = i.case_id
        WHERE i.kind = :report AND i.at >= :p_start AND i.at < :p_end AND {conditions}
        GROUP BY i.collector"""
        if may_read
        else "SELECT NULL::text AS collector, 0 AS reports, 0 AS valid_reports WHERE false"
    )
    sql = f"""
    WITH reports AS ({reports}
    ), tasks AS ({tasks_sql(conditions)}
    ), task_counts AS (
        SELECT collector,
               count(*) FILTER (WHERE verify) AS verify_due,
               count(*) FILTER (WHERE verify AND answered_at < :p_end) AS verify_done,
               count(*) FILTER (WHERE verify AND answered_at < :p_end
                                AND (deadline IS NULL OR answered_at <= deadline))
                   AS verify_on_time,
               count(*) FILTER (WHERE NOT verify) AS check_due,
               count(*) FILTER (WHERE NOT verify AND answered_at < :p_end) AS check_done,
               count(*) FILTER (WHERE NOT verify AND answered_at < :p_end
                                AND (deadline IS NULL OR answered_at <= deadline))
                   AS check_on_time
        FROM tasks WHERE collector IS NOT NULL GROUP BY collector
    )
    SELECT coalesce(r.collector, t.collector),
           coalesce(r.reports, 0), coalesce(r.valid_reports, 0),
           coalesce(t.verify_due, 0), coalesce(t.verify_done, 0),
           coalesce(t.verify_on_time, 0), coalesce(t.check_due, 0),
           coalesce(t.check_done, 0), coalesce(t.check_on_time, 0)
    FROM reports r FULL JOIN task_counts t ON t.collector = r.collector
    ORDER BY 1
    """
    measures = ["reports", "valid_reports", "verify_due", "verify_done", "verify_on_time",
                "check_due", "check_done", "check_on_time"]
    columns = (Column("collector", K.TEXT), *(Column(m, K.COUNT) for m in measures))
    return run(session, "collectors", columns, sql, params)
