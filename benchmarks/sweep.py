"""The deadline sweep over 1,000,000 open cases beside the same UPDATE written by hand.

On the bench database (the demo county, ``--cases`` cases, default 1,000,000) every
case is made open with a running clock inside one transaction, so the sweep really
looks at a million open cases; the transaction is rolled back at the end and the bench
database is left as it was.

Two situations are timed, each from the same starting point (a savepoint rolled back
after each run), interleaved so that drift in the machine's load falls on both alike:

- steady: a sweep one minute after the last one, when only the cases whose warning or
  deadline passed in that minute change;
- catch-up: the first sweep after an hour's outage (many more cases change).

"ours" is ``seatdesk.services.deadlines.sweep_at`` (the SECURITY DEFINER function: the
advisory lock, the UPDATE, one audit event per changed case, NOTIFY). "bare" is the
same UPDATE of the statuses written by hand and run on the raw psycopg2 connection,
with no lock, no audit and no notification.

Target (the deadlines issue): ours within 1.5× of bare and under 3 s.

    python -m benchmarks.sweep [--cases 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.common import prepare_database, say
from seatdesk.db.engine import session_factory
from seatdesk.services import deadlines

RATIO_TARGET = 1.5
SECONDS_TARGET = 3.0

OPEN = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"
BARE = f"""
UPDATE cases
SET deadline_status = CASE WHEN %(now)s >= stage_deadline THEN 'overdue'
                           WHEN %(now)s >= warning_at THEN 'warning'
                           ELSE 'normal' END
WHERE {OPEN} AND stage_deadline IS NOT NULL
  AND deadline_status <> CASE WHEN %(now)s >= stage_deadline THEN 'overdue'
                              WHEN %(now)s >= warning_at THEN 'warning'
                              ELSE 'normal' END
"""


def open_everything(session: Session) -> tuple[int, datetime]:
    """Make every case open with a clock spread over the next three days."""
    t0 = time.perf_counter()
    session.execute(text("""
        UPDATE cases SET
            state = 'handling', stage = 'handling', deadline_status = 'normal',
            clock_start = now() - interval '1 hour',
            stage_deadline = now() + (id % 4320) * interval '1 minute',
            warning_at = now() + (id % 4320) * interval '1 minute' * 0.8,
            stage_limit_unit = 'natural_hours', stage_limit_minutes = 60 + id % 4320,
            allowance_minutes = 60 + id % 4320
        WHERE state IN ('closed', 'merged', 'rejected', 'voided')
           OR stage_deadline IS NULL
    """))
    opened = session.execute(text(f"SELECT count(*) FROM cases WHERE {OPEN}")).scalar_one()
    now = session.execute(text("SELECT now()")).scalar_one()
    # Bring every status up to date once, so that the timed sweeps start from a
    # database that a sweep ran on a minute ago.
    deadlines.sweep_at(session, now)
    say(f"  {opened:,} open cases with a running clock ({time.perf_counter() - t0:.1f}s)")
    return int(opened), now


def timed(session: Session, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of one run of ``fn`` inside a savepoint that is rolled back after.

    Plain SQL savepoints: the session's begin_nested() emits its SAVEPOINT lazily, on
    the session's next statement, which the bare run on the raw connection never makes.
    """
    session.execute(text("SAVEPOINT bench"))
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    session.execute(text("ROLLBACK TO SAVEPOINT bench"))
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    db = prepare_database(args.cases)
    session = session_factory(db.owner)()
    rows: list[tuple[str, float, float, int, int]] = []
    try:
        opened, now = open_everything(session)
        raw = session.connection().connection.dbapi_connection
        assert raw is not None

        def bare(at: datetime) -> int:
            with raw.cursor() as cur:
                cur.execute(BARE, {"now": at})
                return int(cur.rowcount)

        for label, later in (("steady (1 min)", timedelta(minutes=1)),
                             ("catch-up (1 h)", timedelta(hours=1))):
            at = now + later
            ours_s: list[float] = []
            bare_s: list[float] = []
            changed_ours = changed_bare = 0
            for _ in range(args.repeat):
                s, changed_ours = timed(session, lambda at=at: deadlines.sweep_at(session, at))
                ours_s.append(s)
                s, changed_bare = timed(session, lambda at=at: bare(at))
                bare_s.append(s)
            assert changed_ours == changed_bare, (changed_ours, changed_bare)
            rows.append((label, statistics.median(ours_s), statistics.median(bare_s),
                         changed_ours, opened))
    finally:
        session.rollback()
        session.close()
        with db.owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM cases"))

    say()
    say(f"{'situation':<16} {'open cases':>11} {'changed':>8} {'ours s':>8} {'bare s':>8} "
        f"{'ratio':>6}  target")
    ok = True
    for label, ours, bare_t, changed, n in rows:
        ratio = ours / bare_t
        passed = ratio <= RATIO_TARGET and ours < SECONDS_TARGET
        ok &= passed
        say(f"{label:<16} {n:>11,} {changed:>8,} {ours:>8.3f} {bare_t:>8.3f} {ratio:>6.2f}  "
            f"{'PASS' if passed else 'FAIL'} (≤ {RATIO_TARGET}×, < {SECONDS_TARGET:.0f} s)")
    say(f"\nsweep benchmark: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
