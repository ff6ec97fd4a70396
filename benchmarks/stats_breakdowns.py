"""The statistics of areas, sources, seats, collectors and the indices beside the bare
GROUP BY written by hand, on the demo county with ``--cases`` cases (default 1,000,000).

Each statistic is timed through its service (``seatdesk.services.stats_breakdowns`` /
``stats_indices``, a SQLAlchemy session of the demo inspector, row-level security on)
and, in the same run and interleaved, the same figures hand-written as the plain
GROUP BY a person would type on a bare psycopg2 connection of the same login: one scan
of ``cases`` joined to ``case_milestones`` (migration 0023) with the period in FILTER
clauses. Two periods: the demo's last 30 days ("month") and its whole range ("all").

Target (issue 12): under 2 s (the median run) and within 1.2× of the bare query (the
ratio of the best runs of each, interleaved: see ``Result.ratio``). Exits 1 on a miss.

    SEATDESK_BENCH_DIR=… python -m benchmarks.stats_breakdowns [--cases N] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.common import (
    interleaved_ms,
    prepare_database,
    psycopg2_connection,
    say,
    seat_session,
    within_ratio,
)
from seatdesk.domain.statistics import StatsFilter
from seatdesk.services import stats_breakdowns as sb
from seatdesk.services.stats_filters import AreaLevel
from seatdesk.services.stats_indices import indices_table
from seatdesk.services.stats_seats import whole_utc_hours

RATIO_TARGET = 1.2
MS_TARGET = 2000.0
#: Interleaved rounds of a statistic read from a summary and of its bare query.
SUMMARY_ROUNDS = 31
LOGIN = "inspector1"

def _period(column: str) -> str:
    return f"({column} >= %(s)s AND {column} < %(e)s)"


CREATED, REGISTERED, CLOSED = (
    _period("c.created_at"), _period("m.registered_at"), _period("m.closed_at"))
#: The bare GROUP BY of the three counts and the closure rate, by ``key``.
COUNTS = f"""
SELECT {{key}},
       count(*) FILTER (WHERE {CREATED}), count(*) FILTER (WHERE {REGISTERED}),
       count(*) FILTER (WHERE {CLOSED}),
       count(*) FILTER (WHERE {REGISTERED} AND m.closed_at < %(e)s)::float8
           / nullif(count(*) FILTER (WHERE {REGISTERED}), 0)
FROM cases c LEFT JOIN case_milestones m ON m.case_id = c.id {{join}}
WHERE ({CREATED} OR {REGISTERED} OR {CLOSED}) {{where}}
GROUP BY {{group}}
"""

BARE: dict[str, str] = {
    "trend": f"""
        SELECT d, count(*) FILTER (WHERE k = 1), count(*) FILTER (WHERE k = 2),
               count(*) FILTER (WHERE k = 3)
        FROM (SELECT (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS d, 1 AS k
              FROM cases c WHERE {CREATED}
              UNION ALL SELECT (m.registered_at AT TIME ZONE 'Asia/Shanghai')::date, 2
              FROM case_milestones m WHERE {REGISTERED}
              UNION ALL SELECT (m.closed_at AT TIME ZONE 'Asia/Shanghai')::date, 3
              FROM case_milestones m WHERE {CLOSED}) f
        GROUP BY d ORDER BY d""",
    "categories": COUNTS.format(
        key="k.code, k.name, k.case_type", join="JOIN categories k ON k.id = c.category_id",
        where="", group="k.id, k.code, k.name, k.case_type"),
    "grids": COUNTS.format(key="c.grid_code, g.name",
                           join="LEFT JOIN grids g ON g.code = c.grid_code",
                           where="AND c.grid_code IS NOT NULL", group="c.grid_code, g.name"),
    "streets": COUNTS.format(key="left(c.grid_code, 9)", join="",
                             where="AND c.grid_code IS NOT NULL", group="1"),
    "communities": COUNTS.format(key="left(c.grid_code, 12)", join="",
                                 where="AND c.grid_code IS NOT NULL", group="1"),
    "sources": COUNTS.format(
        key="c.source, k.channel",
        join="""LEFT JOIN (SELECT DISTINCT ON (case_id) case_id, channel FROM complaints
                WHERE case_id IS NOT NULL ORDER BY case_id, received_at, id) k
                ON k.case_id = c.id""",
        where="", group="c.source, k.channel"),
    "hot_grids": f"""
        SELECT t.grid_code, g.name, t.n FROM (
            SELECT c.grid_code, count(*) AS n FROM cases c
            WHERE {CREATED} AND c.grid_code IS NOT NULL
            GROUP BY c.grid_code ORDER BY count(*) DESC, c.grid_code LIMIT 10) t
        LEFT JOIN grids g ON g.code = t.grid_code ORDER BY t.n DESC, t.grid_code""",
    "acceptors": f"""
        SELECT m.accepted_by, u.display_name, count(*),
               count(*) FILTER (WHERE m.accepted_on_time),
               count(*) FILTER (WHERE m.accept_rejected)
        FROM case_milestones m LEFT JOIN users u ON u.login = m.accepted_by
        WHERE {_period("m.accepted_at")}
        GROUP BY ROLLUP ((m.accepted_by, u.display_name))""",
    "shift_leaders": f"""
        SELECT login, u.display_name, count(*) FILTER (WHERE k = 1),
               count(*) FILTER (WHERE k = 1 AND ok),
               count(*) FILTER (WHERE k = 2), count(*) FILTER (WHERE k = 2 AND ok)
        FROM (SELECT m.registered_by AS login, 1 AS k, m.registered_on_time AS ok
              FROM case_milestones m WHERE {REGISTERED}
              UNION ALL SELECT m.closed_by, 2, m.closed_on_time
              FROM case_milestones m WHERE {CLOSED}) s
        LEFT JOIN users u USING (login)
        GROUP BY ROLLUP ((login, u.display_name))""",
    "dispatchers": f"""
        SELECT m.dispatched_by, u.display_name, count(*),
               count(*) FILTER (WHERE m.dispatched_on_time),
               count(*) FILTER (WHERE m.returns = 0),
               (SELECT count(*) FROM case_milestones r WHERE {_period("r.registered_at")})
        FROM case_milestones m LEFT JOIN users u ON u.login = m.dispatched_by
        WHERE {_period("m.dispatched_at")}
        GROUP BY ROLLUP ((m.dispatched_by, u.display_name))""",
    "users": f"""
        SELECT coalesce(a.login, p.login), u.display_name, a.n, p.h1, p.h2, p.ok, p.late
        FROM (SELECT e.actor AS login, count(*) AS n FROM case_events e
              WHERE {_period("e.at")}
                AND e.action NOT IN ('flag', 'deadline_recomputed', 'collector_answer')
              GROUP BY e.actor) a
        FULL JOIN (
            SELECT login, avg(h1) AS h1, avg(h2) AS h2, count(*) FILTER (WHERE ok) AS ok,
                   count(*) FILTER (WHERE NOT ok) AS late
            FROM (SELECT m.accepted_by AS login, NULL::float8 AS h1, NULL::float8 AS h2,
                         m.accepted_on_time AS ok
                  FROM case_milestones m WHERE {_period("m.accepted_at")}
                  UNION ALL
                  SELECT m.registered_by,
                         extract(epoch FROM m.registered_at - m.reported_at) / 3600, NULL,
                         m.registered_on_time FROM case_milestones m WHERE {REGISTERED}
                  UNION ALL
                  SELECT m.dispatched_by, NULL,
                         extract(epoch FROM m.dispatched_at - m.registered_at) / 3600,
                         m.dispatched_on_time
                  FROM case_milestones m WHERE {_period("m.dispatched_at")}
                  UNION ALL
                  SELECT m.closed_by, NULL, NULL, m.closed_on_time
                  FROM case_milestones m WHERE {CLOSED}) s
            GROUP BY login) p ON p.login = a.login
        LEFT JOIN users u ON u.login = coalesce(a.login, p.login)""",
    "collectors": f"""
        SELECT coalesce(r.collector, t.collector), r.n, r.valid, t.vd, t.vdone, t.vok,
               t.cd, t.cdone, t.cok
        FROM (SELECT i.collector, count(*) AS n,
                     count(*) FILTER (WHERE m.registered_at < %(e)s) AS valid
              FROM intake_items i LEFT JOIN case_milestones m ON m.case_id = i.case_id
              WHERE i.kind = 'report' AND {_period("i.at")} GROUP BY i.collector) r
        FULL JOIN (
            SELECT collector, count(*) FILTER (WHERE verify) AS vd,
                   count(*) FILTER (WHERE verify AND answered_at < %(e)s) AS vdone,
                   count(*) FILTER (WHERE verify AND answered_at < %(e)s
                                    AND (deadline IS NULL OR answered_at <= deadline)) AS vok,
                   count(*) FILTER (WHERE NOT verify) AS cd,
                   count(*) FILTER (WHERE NOT verify AND answered_at < %(e)s) AS cdone,
                   count(*) FILTER (WHERE NOT verify AND answered_at < %(e)s
                                    AND (deadline IS NULL OR answered_at <= deadline)) AS cok
            FROM collector_tasks WHERE {_period("sent_at")} GROUP BY collector
        ) t ON t.collector = r.collector""",
    "indices": f"""
        SELECT
          (SELECT count(*) FILTER (WHERE {REGISTERED}) FROM case_milestones m),
          (SELECT count(*) FILTER (WHERE {REGISTERED} AND m.closed_at < %(e)s)
           FROM case_milestones m),
          (SELECT count(*) FROM cases c WHERE {CREATED}),
          (SELECT count(*) FROM complaints k WHERE {_period("k.received_at")}),
          (SELECT count(*) FILTER (WHERE m.registered_at < %(s)s
                                   AND (m.ended_at IS NULL OR m.ended_at >= %(s)s))
           FROM case_milestones m),
          (SELECT count(*) FILTER (WHERE m.registered_at < %(e)s
                                   AND (m.ended_at IS NULL OR m.ended_at >= %(e)s))
           FROM case_milestones m),
          (SELECT count(*) FILTER (WHERE c.source <> 'collector')
           FROM case_milestones m JOIN cases c ON c.id = m.case_id WHERE {REGISTERED}),
          (SELECT count(*) FROM grids g),
          (SELECT count(DISTINCT c.grid_code) FROM cases c JOIN grids g ON g.code = c.grid_code
           WHERE c.source = 'collector' AND {CREATED}),
          (SELECT count(*) FILTER (WHERE answered_at <= deadline) FROM collector_tasks
           WHERE {_period("sent_at")}),
          (SELECT count(*) FILTER (WHERE m.accept_rejected)
           FROM case_milestones m JOIN cases c ON c.id = m.case_id
           WHERE c.source = 'collector' AND {_period("m.accepted_at")})""",
}

def _edge(column: str) -> str:
    return (f"(({column} >= %(s)s AND {column} < %(hs)s) "
            f"OR ({column} >= %(he)s AND {column} < %(e)s))")


#: The same figures hand-written over the summaries the service reads (``seat_user_hours``,
#: migration 0038: the period's whole UTC hours; its edges from the raw tables). Where a
#: statistic has one, the 1.2× target is against this query, the raw one is printed too.
SUMMARY: dict[str, str] = {
    "users": f"""
        SELECT p.login, u.display_name, p.n, p.rs / 3600 / nullif(p.rn, 0),
               p.ds / 3600 / nullif(p.dn, 0), p.ok, p.late
        FROM (SELECT login, sum(n) AS n, sum(k) AS k, sum(ok) AS ok, sum(late) AS late,
                     sum(rn) AS rn, sum(rs) AS rs, sum(dn) AS dn, sum(ds) AS ds
              FROM (SELECT login, actions AS n, steps AS k, on_time AS ok, late,
                           registered AS rn, register_seconds AS rs, dispatched AS dn,
                           dispatch_seconds AS ds
                    FROM seat_user_hours WHERE hour >= %(hs)s AND hour < %(he)s
                    UNION ALL
                    SELECT e.actor, 1, 0, 0, 0, 0, 0, 0, 0 FROM case_events e
                    WHERE {_edge("e.at")}
                      AND e.action NOT IN ('flag', 'deadline_recomputed', 'collector_answer')
                    UNION ALL
                    SELECT m.accepted_by, 0, 1, m.accepted_on_time::int,
                           (NOT m.accepted_on_time)::int, 0, 0, 0, 0
                    FROM case_milestones m WHERE {_edge("m.accepted_at")}
                    UNION ALL
                    SELECT m.registered_by, 0, 1, m.registered_on_time::int,
                           (NOT m.registered_on_time)::int, (m.reported_at IS NOT NULL)::int,
                           coalesce(extract(epoch FROM m.registered_at - m.reported_at), 0),
                           0, 0
                    FROM case_milestones m WHERE {_edge("m.registered_at")}
                    UNION ALL
                    SELECT m.dispatched_by, 0, 1, m.dispatched_on_time::int,
                           (NOT m.dispatched_on_time)::int, 0, 0,
                           (m.registered_at IS NOT NULL)::int,
                           coalesce(extract(epoch FROM m.dispatched_at - m.registered_at), 0)
                    FROM case_milestones m WHERE {_edge("m.dispatched_at")}
                    UNION ALL
                    SELECT m.closed_by, 0, 1, m.closed_on_time::int,
                           (NOT m.closed_on_time)::int, 0, 0, 0, 0
                    FROM case_milestones m WHERE {_edge("m.closed_at")}) x
              GROUP BY login) p
        LEFT JOIN users u ON u.login = p.login
        WHERE p.login <> 'system' AND (p.n > 0 OR p.k > 0)""",
}

OURS: dict[str, Callable[[Session, StatsFilter], object]] = {
    "trend": lambda s, f: sb.trend_table(s, f),
    "categories": sb.category_table,
    "grids": lambda s, f: sb.area_table(s, f, AreaLevel.GRID),
    "streets": lambda s, f: sb.area_table(s, f, AreaLevel.STREET),
    "communities": lambda s, f: sb.area_table(s, f, AreaLevel.COMMUNITY),
    "sources": sb.source_table,
    "hot_grids": lambda s, f: sb.hot_grids(s, f, limit=10),
    "acceptors": sb.acceptors_table,
    "shift_leaders": sb.shift_leaders_table,
    "dispatchers": sb.dispatchers_table,
    "users": sb.users_table,
    "collectors": sb.collectors_table,
    "indices": lambda s, f: indices_table(s, f),
}


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    period: str
    #: Every run's ms: ours, the bare query, and the bare query over the summary the
    #: service reads, when it reads one.
    ours_runs: list[float]
    bare_runs: list[float]
    summary_runs: list[float] | None = None

    @property
    def ours_ms(self) -> float:
        return statistics.median(self.ours_runs)

    @property
    def bare_ms(self) -> float:
        return statistics.median(self.bare_runs)

    @property
    def summary_ms(self) -> float | None:
        return None if self.summary_runs is None else statistics.median(self.summary_runs)

    @property
    def _base_runs(self) -> list[float]:
        return self.summary_runs if self.summary_runs is not None else self.bare_runs

    @property
    def ratio(self) -> float:
        """Of the best runs: on this 2-CPU VM a 15 ms query also takes 25 ms for a while
        (its backend on the busier CPU), so a median compares the CPUs the two backends
        happened to get; the least disturbed run of each compares the queries."""
        base = min(self._base_runs)
        return min(self.ours_runs) / base if base else float("inf")

    @property
    def ok(self) -> bool:
        return self.ours_ms < MS_TARGET and within_ratio(
            min(self.ours_runs), min(self._base_runs), RATIO_TARGET)


def demo_range(session: Session) -> tuple[datetime, datetime]:
    first, last = session.execute(text("SELECT min(created_at), max(created_at) FROM cases")).one()
    return first, last + timedelta(seconds=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    # Medians of 7 (not 5): a 100,000-case statistic of 20–250 ms swung past 1.2x and
    # back between two runs of the same code on a shared machine.
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--only", default="", help="run the statistics whose name contains this")
    args = parser.parse_args(argv)
    db = prepare_database(args.cases)
    # As autovacuum would have long since done on a live server (prepare_database does
    # it for ``cases``): the visibility map lets the covering indexes answer alone.
    with db.owner.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM (ANALYZE) case_events, case_milestones, collector_tasks"))
    engine, session = seat_session(db, LOGIN)
    conn = psycopg2_connection(db.login(LOGIN))
    first, last = demo_range(session)
    periods = {"month": (last - timedelta(days=30), last), "all": (first, last)}
    say(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: list[Result] = []
    for name, ours in OURS.items():
        if args.only not in name:
            continue
        for label, (start, end) in periods.items():
            f = StatsFilter(start, end)

            def run_ours(f: StatsFilter = f, ours: Any = ours) -> object:
                out = ours(session, f)
                session.rollback()
                return out

            h_start, h_end = whole_utc_hours(f)
            values = {"s": start, "e": end, "hs": h_start, "he": h_end}

            def run_bare(sql: str = BARE[name], values: dict[str, Any] = values) -> object:
                with conn.cursor() as cur:
                    cur.execute(sql, values)
                    rows = cur.fetchall()
                conn.rollback()
                return rows

            def run_summary(sql: str = SUMMARY.get(name, ""),
                            values: dict[str, Any] = values) -> object:
                return run_bare(sql, values)

            if name in SUMMARY:
                # The target is against the summary's query, a few ms to ~25 ms: more
                # rounds of those two, interleaved; the raw query, printed only, alone.
                ours_runs, summary_runs = interleaved_ms(
                    [run_ours, run_summary], repeat=max(args.repeat, SUMMARY_ROUNDS),
                    warmup=args.warmup)
                (bare_runs,) = interleaved_ms([run_bare], repeat=3, warmup=0)
                r = Result(name, label, ours_runs, bare_runs, summary_runs)
            else:
                ours_runs, bare_runs = interleaved_ms(
                    [run_ours, run_bare], repeat=args.repeat, warmup=args.warmup)
                r = Result(name, label, ours_runs, bare_runs)
            results.append(r)
            summary = (f"   bare over the summary {r.summary_ms:8.1f} ms "
                       f"(best {min(r.summary_runs):6.1f})"
                       if r.summary_runs is not None and r.summary_ms is not None else "")
            say(f"  {name:<14} {label:<6} ours {r.ours_ms:8.1f} ms (best {min(r.ours_runs):6.1f})"
                f"   bare {r.bare_ms:8.1f} ms (best {min(r.bare_runs):6.1f}){summary}"
                f"   ratio {r.ratio:5.2f}   {'ok' if r.ok else 'MISS'}")
    session.close()
    engine.dispose()
    conn.close()
    say(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    missed = [r for r in results if not r.ok]
    say(f"targets: median < {MS_TARGET:.0f} ms and best ≤ {RATIO_TARGET}× bare's best; "
        f"{len(results) - len(missed)} of {len(results)} met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
