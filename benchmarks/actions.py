"""Workflow transitions through the services beside the same state changes written by hand.

``--transitions`` (default 10,000) transitions drive fresh cases around the main loop
(request_verify → verify_pass → pre_register → register → dispatch → start_handling →
report_done → request_check → check_pass → close), one transaction each:

- ours: the service of each action (``seatdesk.services.cases``), each step taken by a
  real seat login of the role the workflow names (acceptor, shift leader, dispatcher,
  the department's liaison seat): whatever the services and the database do for an
  action (workflow check, validation, deadline, audit event, notice) is in the time;
- bare: the same state change hand-written in SQL on a raw psycopg2 connection as the
  owner: ``UPDATE cases SET state, version = version + 1 WHERE id AND version`` and one
  ``INSERT INTO case_events``, then COMMIT.

The two run interleaved (one of ours, one bare, …) so that drift in the machine's load
falls on both alike. Cases are opened beforehand through the services and not timed.

Target (issue 9): ours within 1.5× of bare per transition.

    python -m benchmarks.actions [--transitions 10000] [--url SUPERUSER_URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import fresh_database, percentile, psycopg2_connection, say, small_png
from seatdesk.db.engine import connect, session_factory
from seatdesk.demo import run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role, Source, State
from seatdesk.services import cases
from seatdesk.services.common import CaseId
from seatdesk.services.photos import Photo

RATIO_TARGET = 1.5
A = Action
#: The main loop, with the role that takes each step.
LOOP: list[tuple[Action, Role]] = [
    (A.REQUEST_VERIFY, Role.ACCEPTOR),
    (A.VERIFY_PASS, Role.ACCEPTOR),
    (A.PRE_REGISTER, Role.ACCEPTOR),
    (A.REGISTER, Role.SHIFT_LEADER),
    (A.DISPATCH, Role.DISPATCHER),
    (A.START_HANDLING, Role.DEPARTMENT),
    (A.REPORT_DONE, Role.DEPARTMENT),
    (A.REQUEST_CHECK, Role.ACCEPTOR),
    (A.CHECK_PASS, Role.ACCEPTOR),
    (A.CLOSE, Role.SHIFT_LEADER),
]


def _states() -> list[tuple[State, State]]:
    """(from, to) of each step of the loop, as the workflow table says."""
    out: list[tuple[State, State]] = []
    state = State.REPORTED
    for action, _role in LOOP:
        nxt = workflow.transition(state, action).next_state
        out.append((state, nxt))
        state = nxt
    assert state is State.CLOSED, state
    return out


STEPS = _states()
UPDATE = """UPDATE cases SET state = %(to)s, version = version + 1, updated_at = now()
            WHERE id = %(id)s AND version = %(version)s"""
INSERT = """INSERT INTO case_events (case_id, action, from_state, to_state, note, data)
            VALUES (%(id)s, %(action)s, %(from)s, %(to)s, %(note)s,
                    jsonb_build_object('version', %(version)s + 1))"""
DEPARTMENT = "SZ"
#: The photo a collector or a department sends with the actions that need one.
PHOTO = Photo(small_png((60, 160, 90)), "evidence.png")


def service_call(action: Action) -> Callable[[Session, CaseId, int], object]:
    """The service of ``action`` with valid arguments (explicit wiring, no getattr)."""
    wired: dict[Action, Callable[[Session, CaseId, int], object]] = {
        A.REQUEST_VERIFY: lambda s, i, v: cases.request_verify(
            s, case_id=i, expected_version=v, collector="采集员 吴海"),
        A.VERIFY_PASS: lambda s, i, v: cases.verify_pass(
            s, case_id=i, expected_version=v, reply="属实", photos=[PHOTO]),
        A.PRE_REGISTER: lambda s, i, v: cases.pre_register(s, case_id=i, expected_version=v),
        A.REGISTER: lambda s, i, v: cases.register(s, case_id=i, expected_version=v),
        A.DISPATCH: lambda s, i, v: cases.dispatch(
            s, case_id=i, expected_version=v, department=DEPARTMENT),
        A.START_HANDLING: lambda s, i, v: cases.start_handling(s, case_id=i, expected_version=v),
        A.REPORT_DONE: lambda s, i, v: cases.report_done(
            s, case_id=i, expected_version=v, note="已处置完毕", photos=[PHOTO]),
        A.REQUEST_CHECK: lambda s, i, v: cases.request_check(
            s, case_id=i, expected_version=v, collector="采集员 郑丽"),
        A.CHECK_PASS: lambda s, i, v: cases.check_pass(
            s, case_id=i, expected_version=v, reply="已处置到位", photos=[PHOTO]),
        A.CLOSE: lambda s, i, v: cases.close(s, case_id=i, expected_version=v),
    }
    return wired[action]


def open_cases(factory: sessionmaker[Session], n: int) -> list[CaseId]:
    """``n`` fresh reports (with a photo, as pre-registering needs), opened untimed."""
    out: list[CaseId] = []
    with factory.begin() as s:
        cat, cond = s.execute(text("""
            SELECT c.id, f.id FROM categories c JOIN filing_conditions f
            ON f.category_id = c.id AND f.seq = 1 WHERE c.parent_id IS NOT NULL
            ORDER BY c.case_type, c.code LIMIT 1""")).one()
        for i in range(n):
            case_id, _ = cases.create_case(s, cases.NewCase(
                source=Source.COLLECTOR, category_id=cat, filing_condition_id=cond,
                description=f"基准测试 {i}", address="平阳县昆阳镇解放路88号",
                longitude=120.5605, latitude=27.6602), [Photo(small_png(), "scene.png")])
            out.append(case_id)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=10_000)
    parser.add_argument("--url", default=os.environ.get("SEATDESK_TEST_DATABASE_URL"),
                        help="a superuser URL; default: an embedded server of its own")
    args = parser.parse_args()
    laps = -(-args.transitions // len(LOOP))
    with fresh_database(args.url) as address:
        say(f"actions: {args.transitions:,} transitions each way on {address.where()}")
        owner = connect(address)
        with session_factory(owner).begin() as s:
            demo = run_demo(s, seed=1, cases=300, reset=True)
        login = {Role.ACCEPTOR: "acceptor1", Role.SHIFT_LEADER: "leader1",
                 Role.DISPATCHER: "dispatcher1", Role.DEPARTMENT: f"dept_{DEPARTMENT.lower()}"}
        engines = {r: connect(address.for_login(n, demo.passwords[n]), pool_size=1)
                   for r, n in login.items()}
        seats = {r: session_factory(e) for r, e in engines.items()}
        t0 = time.perf_counter()
        ours_cases = open_cases(seats[Role.ACCEPTOR], laps + 1)
        bare_cases = open_cases(seats[Role.ACCEPTOR], laps + 1)
        say(f"  {2 * (laps + 1):,} reports opened in {time.perf_counter() - t0:.1f}s (untimed)")
        raw = psycopg2_connection(address)
        ours: dict[Action, list[float]] = defaultdict(list)
        bare: dict[Action, list[float]] = defaultdict(list)
        try:
            # The first lap of each is a warm-up (plans, caches) and is not counted.
            for lap in range(laps + 1):
                for step, (action, role) in enumerate(LOOP):
                    if lap and (lap - 1) * len(LOOP) + step >= args.transitions:
                        break
                    version = step + 1
                    call = service_call(action)
                    t = time.perf_counter()
                    with seats[role].begin() as s:
                        call(s, ours_cases[lap], version)
                    ms_ours = (time.perf_counter() - t) * 1000.0
                    ms_bare = bare_step(raw, bare_cases[lap], action, version)
                    if lap:
                        ours[action].append(ms_ours)
                        bare[action].append(ms_bare)
        finally:
            raw.close()
            for e in engines.values():
                e.dispose()
            owner.dispose()
    report(ours, bare)


def bare_step(raw: Any, case_id: CaseId, action: Action, version: int) -> float:
    """One hand-written transition as the owner, in its own transaction; its ms."""
    from_state, to_state = STEPS[version - 1]
    params = {"id": case_id, "action": action.value, "from": from_state.value,
              "to": to_state.value, "version": version, "note": None}
    t = time.perf_counter()
    with raw.cursor() as cur:
        cur.execute(UPDATE, params)
        if cur.rowcount != 1:
            raise AssertionError(f"bare {action} on case {case_id} matched {cur.rowcount} rows")
        cur.execute(INSERT, params)
    raw.commit()
    return (time.perf_counter() - t) * 1000.0


def report(ours: dict[Action, list[float]], bare: dict[Action, list[float]]) -> None:
    all_ours = [ms for v in ours.values() for ms in v]
    all_bare = [ms for v in bare.values() for ms in v]
    say()
    say(f"{'transition':<16} {'n':>6} {'ours p50':>9} {'bare p50':>9} {'ratio':>6}")
    for action, _role in LOOP:
        o, b = ours[action], bare[action]
        if o:
            say(f"{action.value:<16} {len(o):>6,} {statistics.median(o):>9.2f} "
                f"{statistics.median(b):>9.2f} {statistics.median(o) / statistics.median(b):>6.2f}")
    say()
    say(f"{'per transition':<16} {'n':>6} {'mean ms':>9} {'p50 ms':>9} {'p95 ms':>9}")
    for label, ms in (("ours (services)", all_ours), ("bare (SQL)", all_bare)):
        say(f"{label:<16} {len(ms):>6,} {statistics.fmean(ms):>9.2f} "
            f"{percentile(ms, 50):>9.2f} {percentile(ms, 95):>9.2f}")
    ratio = statistics.fmean(all_ours) / statistics.fmean(all_bare)
    ratio50 = percentile(all_ours, 50) / percentile(all_bare, 50)
    verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
    say(f"\nratio ours/bare: {ratio:.2f}× (mean), {ratio50:.2f}× (p50)   "
        f"target within {RATIO_TARGET}×: {verdict}")


if __name__ == "__main__":
    main()
