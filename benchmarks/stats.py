"""The department counters over the demo county, beside hand-written GROUP BYs.

On the bench database (``SEATDESK_BENCH_DIR``, ``--cases`` demo cases, default
1,000,000), for the last full month of the data and for its whole range, times in the
same run, logged in as the demo inspector (row-level security applies):

- ours: ``seatdesk.services.stats_departments.department_table`` end to end (the
  settings read, one aggregate over ``case_handlings``, the rates and scores);
- bare (raw tables): the same counts by one hand-written GROUP BY over the raw tables,
  the handlings replayed from ``case_events`` and ``cases`` by a window over the events
  (``seatdesk_case_handlings_from_events()``, what migration 0022 fills the table with),
  as the owner; run ``--raw-repeat`` times (it is slow: that is why the table exists);
- bare (facts): a hand-written GROUP BY over ``case_handlings`` on a bare psycopg2
  connection of the same inspector: what our call costs beyond its one query;
- the same two as the SZ department's liaison seat (its own row, through row-level
  security on both sides).

The counts of the three must agree. The upgrade to migration 0022 (its fill of
``case_handlings`` from the events) is timed when the bench database still needs it.

Targets (issue 12): ours under 2 s and within 1.2× of the bare GROUP BY over the raw
tables, for the month and for the whole range; the ratio to the bare GROUP BY over the
facts is printed and held to 1.2× too. Exits 1 when a target is missed.

    python -m benchmarks.stats [--cases 1000000] [--repeat 15] [--raw-repeat 1] [--explain]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text

from benchmarks.common import (
    FIXED_COST_MS,
    bench_dir,
    explain,
    interleaved_median_ms,
    prepare_database,
    psycopg2_connection,
    say,
    seat_session,
    within_ratio,
)
from seatdesk.db import embedded, migrate
from seatdesk.db.engine import connect
from seatdesk.domain.statistics import StatsFilter
from seatdesk.services.stats_departments import DEPARTMENT_SQL, department_table, filter_params

MS_TARGET = 2000.0
RATIO_TARGET = 1.2
COUNTS = ("dispatched", "handled", "handled_on_time", "overdue_open", "returned", "reworked",
          "extensions", "postponements")

#: The counts by hand, over a relation of handlings ({source}): the period's handlings,
#: not returned or voided by its end; the postponed ones' clock stopped.
BARE = """
SELECT department,
       count(*) FILTER (WHERE due) AS dispatched,
       count(*) FILTER (WHERE due AND handled_at < %(end)s) AS handled,
       count(*) FILTER (WHERE due AND handled_at < %(end)s AND late_handlings = 0)
           AS handled_on_time,
       count(*) FILTER (WHERE due AND (handled_at IS NULL OR handled_at >= %(end)s)
                          AND deadline < %(at)s
                          AND NOT (postponed_at IS NOT NULL AND postponed_at < %(at)s
                                   AND (resumed_at IS NULL OR resumed_at <= postponed_at
                                        OR resumed_at >= %(at)s))) AS overdue_open,
       count(*) FILTER (WHERE dispatched_at >= %(start)s AND returned_at < %(end)s)
           AS returned,
       coalesce(sum(reworks) FILTER (WHERE due), 0) AS reworked,
       coalesce(sum(extensions) FILTER (WHERE due), 0) AS extensions,
       coalesce(sum(postponements) FILTER (WHERE due), 0) AS postponements,
       count(*) FILTER (WHERE is_current AND registered_at >= %(start)s
                          AND returned_at IS NULL AND ended_at IS NULL) AS registered,
       count(*) FILTER (WHERE is_current AND registered_at >= %(start)s
                          AND returned_at IS NULL AND ended_at IS NULL
                          AND closed_at < %(end)s) AS closed,
       count(*) FILTER (WHERE is_current AND registered_at >= %(start)s
                          AND returned_at IS NULL AND ended_at IS NULL
                          AND closed_at < %(end)s AND late_handlings = 0) AS closed_on_time,
       avg(handling_minutes) FILTER (WHERE due AND handled_at < %(end)s) / 60.0 AS hours
FROM (
    SELECT h.*, h.dispatched_at >= %(start)s AND h.dispatched_at < %(end)s
                AND (h.returned_at IS NULL OR h.returned_at >= %(end)s)
                AND (h.ended_at IS NULL OR h.ended_at >= %(end)s) AS due
    FROM {source} h
    WHERE (h.dispatched_at >= %(start)s AND h.dispatched_at < %(end)s)
       OR (h.is_current AND h.registered_at >= %(start)s AND h.registered_at < %(end)s)
) x
GROUP BY department
ORDER BY department
"""


def _upgrade_if_needed() -> None:
    """Time the upgrade to this checkout's head when the bench database is behind."""
    path = bench_dir()
    if not (path / "pgdata").exists():
        return
    owner = connect(embedded.start(path))
    try:
        with owner.connect() as conn:
            before = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        t0 = time.perf_counter()
        migrate.upgrade(owner)
        with owner.connect() as conn:
            after = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if after != before:
            say(f"upgrade {before} → {after} (fills case_handlings from the events): "
                f"{time.perf_counter() - t0:.1f} s")
    finally:
        owner.dispose()


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 9)


def _bare_rows(conn: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    conn.rollback()
    return [tuple(r) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--raw-repeat", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    _upgrade_if_needed()
    db = prepare_database(args.cases)
    engine, session = seat_session(db, "inspector1")
    inspector = psycopg2_connection(db.login("inspector1"))
    dept_engine, dept_session = seat_session(db, "dept_sz")
    dept_conn = psycopg2_connection(db.login("dept_sz"))
    owner = psycopg2_connection(db.address)
    with owner.cursor() as cur:
        cur.execute("SELECT count(*), min(dispatched_at), max(dispatched_at) FROM case_handlings")
        handlings, first, last = cur.fetchone()
    owner.rollback()
    say(f"{db.cases:,} cases, {handlings:,} handlings from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    month_end = last.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_start = (month_end - timedelta(days=1)).replace(day=1)
    periods = {
        f"month {month_start:%Y-%m}": StatsFilter(month_start, month_end),
        "whole range": StatsFilter(first, last + timedelta(seconds=1)),
    }
    facts_sql = BARE.format(source="case_handlings")
    raw_sql = BARE.format(source="seatdesk_case_handlings_from_events()")
    failed = False
    for name, f in periods.items():
        params = filter_params(f)
        params["at"] = min(f.end, datetime.now(f.end.tzinfo))

        def ours(f: StatsFilter = f) -> Any:
            table = department_table(session, f)
            session.rollback()
            return table

        def facts(params: dict[str, Any] = params) -> Any:
            return _bare_rows(inspector, facts_sql, params)

        ours_ms, facts_ms = interleaved_median_ms([ours, facts], repeat=args.repeat, warmup=1)
        raw_times: list[float] = []
        raw: list[tuple[Any, ...]] = []
        for _ in range(args.raw_repeat):
            t0 = time.perf_counter()
            raw = _bare_rows(owner, raw_sql, params)
            raw_times.append((time.perf_counter() - t0) * 1000.0)
        raw_ms = min(raw_times) if raw_times else float("nan")
        table = ours()
        mine = [(*(r[k] for k in ("department", *COUNTS)), _rounded(r["closure_rate"]))
                for r in table.as_dicts()]
        compared = [("facts", facts())] + ([("raw tables", raw)] if raw_times else [])
        for label, rows in compared:
            # department, the counts, then 结案率 = closed / registered
            theirs = [(*r[:1 + len(COUNTS)], _rounded(r[-3] / r[-4] if r[-4] else None))
                      for r in rows]
            if theirs != mine:
                say(f"  {name}: the counts of the bare GROUP BY over the {label} DIFFER")
                failed = True
        ratio_raw, ratio_facts = ours_ms / raw_ms, ours_ms / facts_ms
        ok = ours_ms < MS_TARGET and within_ratio(ours_ms, facts_ms, RATIO_TARGET) and (
            not raw_times or within_ratio(ours_ms, raw_ms, RATIO_TARGET))
        failed |= not ok
        dispatched = sum(r[1] for r in mine)
        say(f"{name}: {len(mine)} departments, {dispatched:,} to handle")
        say(f"  ours {ours_ms:8.1f} ms | bare GROUP BY raw tables {raw_ms:9.1f} ms "
            f"(ratio {ratio_raw:.3f}) | bare GROUP BY case_handlings {facts_ms:8.1f} ms "
            f"(ratio {ratio_facts:.2f})  {'ok' if ok else 'MISSES'}")
        # The SZ liaison seat: its own row only, through row-level security, both ways.
        def dept_ours(f: StatsFilter = f) -> Any:
            table = department_table(dept_session, f)
            dept_session.rollback()
            return table

        def dept_facts(params: dict[str, Any] = params) -> Any:
            return _bare_rows(dept_conn, facts_sql, params)

        d_ours_ms, d_facts_ms = interleaved_median_ms([dept_ours, dept_facts],
                                                      repeat=args.repeat, warmup=1)
        d_mine = [tuple(r[k] for k in ("department", *COUNTS)) for r in dept_ours().as_dicts()]
        if d_mine != [m[:-1] for m in mine if m[0] == "SZ"] or d_mine != [
                r[:1 + len(COUNTS)] for r in dept_facts()]:
            say(f"  {name}: the SZ seat's counts DIFFER from the inspector's SZ row")
            failed = True
        d_ratio = d_ours_ms / d_facts_ms
        d_ok = d_ours_ms < MS_TARGET and within_ratio(d_ours_ms, d_facts_ms, RATIO_TARGET)
        failed |= not d_ok
        say(f"  SZ seat: ours {d_ours_ms:8.1f} ms | bare GROUP BY case_handlings as the same "
            f"seat {d_facts_ms:8.1f} ms (ratio {d_ratio:.2f})  {'ok' if d_ok else 'MISSES'}")
        if args.explain or not ok:
            say(explain(inspector, DEPARTMENT_SQL.replace(":at", "%(at)s")
                        .replace(":start", "%(start)s").replace(":end", "%(end)s")
                        .replace(":department", "%(department)s")
                        .replace(":category", "%(category)s").replace(":grid", "%(grid)s")
                        .replace(":street", "%(street)s").replace(":community", "%(community)s")
                        .replace(":source", "%(source)s"), params))
    session.close()
    engine.dispose()
    dept_session.close()
    dept_engine.dispose()
    dept_conn.close()
    inspector.close()
    owner.close()
    say(f"department statistics: {'FAIL' if failed else 'PASS'} (targets: under "
        f"{MS_TARGET:.0f} ms, within {RATIO_TARGET}x of the bare GROUP BYs or "
        f"{FIXED_COST_MS:.0f} ms of them)")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
