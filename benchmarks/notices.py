"""Change notices: what the notice trigger costs a writer, and how soon a desk knows.

On the bench database (the demo county, ``--cases`` cases), in one run:

- write: ``--events`` audit events written one statement each (each statement sends
  one notice) and the same number written by one INSERT … SELECT (one notice), with
  the statement-level notice trigger of migration 0009 ("ours") and with it disabled
  ("bare"), interleaved, each run in a savepoint rolled back;
- ask: ``changes_since`` for a burst of 50 one-event notices, as a department seat
  (row-level security filters) and as the shift leader;
- latency: the inspector commits an urge; a department seat's LISTEN connection
  receives the notice, decodes it and asks the database what it means. Median and
  p95 from the end of the commit to the answer.

Nothing is kept: the write runs are rolled back, the urges are real but harmless
(an urge changes no case).

    python -m benchmarks.notices [--cases 20000] [--events 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import select
import statistics
import time

from sqlalchemy import text

from benchmarks.common import (
    interleaved_median_ms,
    median_ms,
    prepare_database,
    psycopg2_connection,
    say,
    seat_session,
)
from seatdesk.db.engine import session_factory
from seatdesk.notices import CHANNEL, Notice, changes_since, decode
from seatdesk.services import cases

ONE = "INSERT INTO case_events (case_id, action, from_state, to_state) VALUES (%s, 'urge', %s, %s)"
MANY = """
    INSERT INTO case_events (case_id, action, from_state, to_state)
    SELECT %s, 'urge', %s, %s FROM generate_series(1, %s)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = prepare_database(args.cases)
    write(db, args.events, args.repeat)
    ask(db)
    latency(db)


def write(db, events: int, repeat: int) -> None:
    conn = psycopg2_connection(db.address)
    cur = conn.cursor()
    cur.execute("SELECT id, state FROM cases WHERE state = 'dispatched' ORDER BY id LIMIT 1")
    case_id, state = cur.fetchone()

    def run(trigger_on: bool, one_by_one: bool):
        def go() -> None:
            cur.execute("SAVEPOINT run")
            cur.execute("ALTER TABLE case_events "
                        + ("ENABLE" if trigger_on else "DISABLE") + " TRIGGER case_events_notice")
            if one_by_one:
                for _ in range(events):
                    cur.execute(ONE, (case_id, state, state))
            else:
                cur.execute(MANY, (case_id, state, state, events))
            cur.execute("ROLLBACK TO SAVEPOINT run")
        return go

    say(f"\nwrite: {events:,} audit events (median of {repeat}, ms)")
    say(f"  {'':28} {'ours (notice)':>14} {'bare':>10} {'ratio':>7}")
    for label, one in (("one statement per event", True), ("one INSERT … SELECT", False)):
        ours, bare = interleaved_median_ms(
            [run(True, one), run(False, one)], repeat=repeat, warmup=1
        )
        say(f"  {label:28} {ours:14.1f} {bare:10.1f} {ours / bare:7.2f}×")
    conn.rollback()
    conn.close()


def ask(db) -> None:
    with db.owner.connect() as conn:
        last = conn.execute(text("SELECT max(id) FROM case_events")).scalar_one()
    burst = [Notice.cases(i, i) for i in range(last - 49, last + 1)]
    say("\nask: changes_since for a burst of 50 notices (median of 20, ms)")
    for login in ("dept_sz", "leader1"):
        engine, session = seat_session(db, login)
        try:
            ms = median_ms(lambda s=session: (changes_since(s, burst), s.rollback()),
                           repeat=20, warmup=2)
            seen = len(changes_since(session, burst).case_ids)
            session.rollback()
            say(f"  {login:10} {ms:8.2f}   ({seen} of the burst's cases visible to it)")
        finally:
            session.close()
            engine.dispose()


def latency(db, rounds: int = 50) -> None:
    listener = psycopg2_connection(db.login("dept_sz"))
    listener.autocommit = True
    listener.cursor().execute(f"LISTEN {CHANNEL}")
    inspector, _ = seat_session(db, "inspector1")
    department, dept_session = seat_session(db, "dept_sz")
    with db.owner.connect() as conn:
        case_id = conn.execute(text(
            "SELECT id FROM cases WHERE state = 'dispatched' AND current_department = 'SZ' "
            "ORDER BY id LIMIT 1")).scalar_one()
    times: list[float] = []
    try:
        for _ in range(rounds):
            with session_factory(inspector).begin() as s:
                cases.urge(s, case_id=case_id, note="基准测试督办")
            committed = time.perf_counter()
            got: list[Notice] = []
            while not got:
                select.select([listener], [], [], 5)
                listener.poll()
                got = [n for n in (decode(x.payload) for x in listener.notifies) if n]
                listener.notifies.clear()
            answer = changes_since(dept_session, got)
            dept_session.rollback()
            times.append((time.perf_counter() - committed) * 1000)
            assert case_id in answer.case_ids
    finally:
        listener.close()
        dept_session.close()
        inspector.dispose()
        department.dispose()
    times.sort()
    say(f"\nlatency: commit → a department seat knows which case changed ({rounds} urges)")
    say(f"  median {statistics.median(times):.2f} ms, p95 {times[int(0.95 * rounds) - 1]:.2f} ms"
        "  (the desk adds its 100 ms burst window and the queue's 150 ms re-read delay)")


if __name__ == "__main__":
    main()
