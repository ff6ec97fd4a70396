"""Many seats on overlapping cases at once, then SQL checks that nothing was lost or doubled.

N seats (``--seats``, default 50), each a real PostgreSQL login of its role with its own
engine on its own thread, act for ``--seconds`` (default 300) on a small shared pool of
cases (the demo county's ``--cases``, default 300, plus the reports the acceptors open
during the run). A seat picks a case in a state where its role has an action, reads its
version, and takes one allowed action through the services in one transaction. The
refusals a race causes (StaleCase, InvalidTransition, PermissionDenied, ValidationError,
NotFound) are counted per kind; any other exception is a failure. A shift leader's desk
also runs the deadline sweep every ``--sweep-every`` seconds, as the desk's scheduler does.

``--restart-server-at S`` kills the embedded server (SIGKILL to the postmaster and its
children) S seconds in and starts it again: seats count their connection failures and go
on. An action whose COMMIT was cut off is "in doubt": afterwards it counts as landed if
its event exists, and as not landed (no violation) if it does not.

At the end, as the owner: every success left exactly one event; no event of the run
exists without a success (system events aside); every trail replays to its case's state;
every version is 1 + its version-bumping events; no duplicate case numbers; no cycle of
merged cases; no JSON null in ``pending_request``. Any violation or failure: exit code 1.

    python -m benchmarks.load [--seats 50] [--seconds 300] [--url SUPERUSER_URL]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import psycopg2
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.common import (
    add_seat_logins,
    drop_logins,
    fresh_database,
    kill_embedded,
    percentile,
    say,
    small_png,
    start_embedded_again,
)
from benchmarks.consistency import Success, check
from seatdesk.db.engine import ServerAddress, connect, make_engine, session_factory
from seatdesk.demo import run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    CREATE_ACTION,
    FINAL_STATES,
    Action,
    RejectReason,
    Role,
    Source,
    State,
)
from seatdesk.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StaleCase,
    ValidationError,
)
from seatdesk.services import cases, deadlines
from seatdesk.services.common import CaseId
from seatdesk.services.photos import Photo

A = Action
REFUSALS = (StaleCase, InvalidTransition, PermissionDenied, ValidationError, NotFound)
#: How often a seat picks each action among those its role may take (forward steps most).
WEIGHTS: dict[Action, int] = {
    **{a: 10 for a in (A.REQUEST_VERIFY, A.VERIFY_PASS, A.PRE_REGISTER, A.REGISTER,
                       A.DISPATCH, A.START_HANDLING, A.REPORT_DONE, A.REQUEST_CHECK,
                       A.CHECK_PASS, A.CLOSE, A.RESUME, A.APPROVE)},
    **{a: 2 for a in (A.VERIFY_FAIL, A.CHECK_FAIL, A.REWORK, A.DENY, A.REQUEST_RETURN,
                      A.REQUEST_EXTENSION, A.REQUEST_POSTPONEMENT, A.SEND_BACK)},
    A.URGE: 10, A.MERGE: 1, A.REJECT: 1, A.VOID: 1,
}
#: Seat roles in the proportion of a centre's shift (department seats of a few departments).
ROLE_CYCLE = [Role.ACCEPTOR, Role.DEPARTMENT, Role.SHIFT_LEADER, Role.ACCEPTOR,
              Role.DEPARTMENT, Role.DISPATCHER, Role.INSPECTOR, Role.DEPARTMENT,
              Role.ACCEPTOR, Role.SHIFT_LEADER]
EARLY = [s.value for s in (State.REPORTED, State.VERIFYING, State.VERIFIED,
                           State.UNVERIFIED, State.PRE_REGISTERED)]
FINAL = [s.value for s in FINAL_STATES]
PICK = text("""
    SELECT id, state, version,
           (SELECT count(*) FROM cases WHERE state <> ALL(:final)) AS open_cases
    FROM cases WHERE state = ANY(:states) ORDER BY random() LIMIT 1
""")


@dataclass
class Tally:
    """What one seat saw; merged at the end."""

    successes: list[Success] = field(default_factory=list)
    in_doubt: list[Success] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refusals: Counter[str] = field(default_factory=Counter)
    connection_failures: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    last_contact: float = 0.0  # time.monotonic() of the seat's last answer from the server


@dataclass(frozen=True, slots=True)
class World:
    """What every seat shares: the catalogue entry for new reports, the departments."""

    category_id: int
    condition_id: int
    departments: list[str]
    stop_at: float
    pool: int


def is_connection_error(exc: BaseException) -> bool:
    """A lost or refused connection (not an error the database raised in a session)."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    code = getattr(orig, "pgcode", None)
    return exc.connection_invalidated or (
        isinstance(orig, psycopg2.OperationalError | psycopg2.InterfaceError)
        and (code is None or code.startswith("08") or code in ("57P01", "57P02", "57P03"))
    )


class Seat(threading.Thread):
    def __init__(self, address: ServerAddress, login: str, role: Role,
                 department: str | None, world: World, seed: int) -> None:
        super().__init__(name=login, daemon=True)
        self.login, self.role, self.department, self.world = login, role, department, world
        self.address = address
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.seq = 0
        # A seat works its queue; the inspector, who has none, watches every open case.
        queue = workflow.queue_states(role) or workflow.OPEN_STATES
        self.states = sorted(s.value for s in queue)

    def run(self) -> None:
        engine = make_engine(self.address, pool_size=1)
        factory = session_factory(engine)
        try:
            while time.monotonic() < self.world.stop_at:
                try:
                    self.step(factory)
                except Exception as exc:
                    if is_connection_error(exc):
                        self.tally.connection_failures += 1
                        time.sleep(0.2)
                    else:
                        self.tally.failures[f"{type(exc).__name__}: {str(exc)[:160]}"] += 1
        finally:
            engine.dispose()

    def step(self, factory: sessionmaker[Session]) -> None:
        with factory.begin() as s:  # the desk's queue: one read of its own
            row = s.execute(PICK, {"states": self.states, "final": FINAL}).first()
        self.tally.last_contact = time.monotonic()
        create = self.role is Role.ACCEPTOR and (
            row is None or (row.open_cases < self.world.pool and self.rng.random() < 0.25)
        )
        if row is None and not create:
            time.sleep(0.05)
            return
        if create:
            self.act(factory, CREATE_ACTION, None, 0)
            return
        actions = [a for a in workflow.allowed_actions(State(row.state), {self.role})
                   if a in WEIGHTS]
        action = self.rng.choices(actions, weights=[WEIGHTS[a] for a in actions])[0]
        self.act(factory, action.value, CaseId(row.id), row.version)

    def act(self, factory: sessionmaker[Session], action: str, case_id: CaseId | None,
            version: int) -> None:
        self.seq += 1
        note = f"load {self.login} #{self.seq}"
        t0 = time.perf_counter()
        s = factory()
        try:
            s.begin()
            if action == CREATE_ACTION:
                case_id = self.create(s)
            else:
                assert case_id is not None
                if not self.perform(s, Action(action), case_id, version, note):
                    s.rollback()
                    return
            new_version = s.execute(text("SELECT version FROM cases WHERE id = :i"),
                                    {"i": case_id}).scalar_one()
            done = Success(case_id, action, new_version,
                           None if action == CREATE_ACTION else note)
            try:
                s.commit()
            except Exception as exc:
                if is_connection_error(exc):
                    self.tally.in_doubt.append(done)
                raise
            self.tally.successes.append(done)
            self.tally.latency[action].append((time.perf_counter() - t0) * 1000.0)
        except REFUSALS as exc:
            s.rollback()
            self.tally.refusals[type(exc).__name__] += 1
        finally:
            s.close()

    def create(self, s: Session) -> CaseId:
        w = self.world
        new = cases.NewCase(
            source=Source.COLLECTOR, category_id=w.category_id,
            filing_condition_id=w.condition_id, description=f"负载测试 {self.login}",
            address="平阳县昆阳镇解放路88号",
            longitude=120.5605 + self.rng.uniform(-0.005, 0.005),
            latitude=27.6602 + self.rng.uniform(-0.004, 0.004),
        )
        case_id, _ = cases.create_case(s, new, [Photo(small_png(), "scene.png")])
        return case_id

    def perform(self, s: Session, action: Action, case_id: CaseId, v: int, note: str) -> bool:
        """One action through its service with valid arguments; False if there is none
        to take (no original case to merge into)."""
        k: dict[str, Any] = {"case_id": case_id, "expected_version": v}
        photo = [Photo(small_png((60, 160, 90)), "result.png")]
        wired: dict[Action, Callable[[], object]] = {
            A.REQUEST_VERIFY: lambda: cases.request_verify(
                s, collector="采集员 吴海", note=note, **k),
            A.VERIFY_PASS: lambda: cases.verify_pass(
                s, reply="属实", photos=photo, note=note, **k),
            A.VERIFY_FAIL: lambda: cases.verify_fail(
                s, reply="不属实", photos=photo, note=note, **k),
            A.PRE_REGISTER: lambda: cases.pre_register(s, note=note, **k),
            A.REJECT: lambda: cases.reject(s, reason=RejectReason.DUPLICATE, note=note, **k),
            A.REGISTER: lambda: cases.register(s, note=note, **k),
            A.SEND_BACK: lambda: cases.send_back(s, note=note, **k),
            A.DISPATCH: lambda: cases.dispatch(
                s, department=self.rng.choice(self.world.departments), note=note, **k),
            A.START_HANDLING: lambda: cases.start_handling(s, note=note, **k),
            A.REPORT_DONE: lambda: cases.report_done(s, note=note, photos=photo, **k),
            A.REQUEST_EXTENSION: lambda: cases.request_extension(s, note=note, **k),
            A.REQUEST_RETURN: lambda: cases.request_return(s, note=note, **k),
            A.REQUEST_POSTPONEMENT: lambda: cases.request_postponement(
                s, resume_on=date.today() + timedelta(days=10), note=note, **k),
            A.APPROVE: lambda: cases.approve(s, note=note, **k),
            A.DENY: lambda: cases.deny(s, note=note, **k),
            A.RESUME: lambda: cases.resume(s, note=note, **k),
            A.REQUEST_CHECK: lambda: cases.request_check(
                s, collector="采集员 郑丽", note=note, **k),
            A.CHECK_PASS: lambda: cases.check_pass(
                s, reply="已处置到位", photos=photo, note=note, **k),
            A.CHECK_FAIL: lambda: cases.check_fail(
                s, reply="仍未解决", photos=photo, note=note, **k),
            A.CLOSE: lambda: cases.close(s, note=note, **k),
            A.REWORK: lambda: cases.rework(s, note=note, **k),
            A.URGE: lambda: cases.urge(s, case_id=case_id, note=note),
            A.VOID: lambda: cases.void(s, note=note, **k),
        }
        if action is A.MERGE:
            original = s.execute(text(
                "SELECT id FROM cases WHERE state = ANY(:early) AND id <> :i "
                "ORDER BY random() LIMIT 1"), {"early": EARLY, "i": case_id}).scalar()
            if original is None:
                return False
            cases.merge(s, original_id=CaseId(original), note=note, **k)
        else:
            wired[action]()
        return True


def sweeper(engine: Engine, every: float, stop_at: float, tally: Tally) -> None:
    """The scheduler of one shift leader's desk: the deadline sweep every few seconds."""
    while time.monotonic() + every < stop_at:
        time.sleep(every)
        try:
            with session_factory(engine).begin() as s:
                deadlines.sweep(s)
        except Exception as exc:
            if is_connection_error(exc):
                tally.connection_failures += 1
            else:
                tally.failures[f"sweep {type(exc).__name__}: {str(exc)[:160]}"] += 1


def restarter(address: ServerAddress, at: float, started: float, log: list[str],
              back: list[float]) -> None:
    time.sleep(max(0.0, started + at - time.monotonic()))
    t0 = time.monotonic()
    old = kill_embedded(address)
    log.append(f"server killed at {t0 - started:.1f}s (postmaster {old})")
    new = start_embedded_again(address)
    back.append(time.monotonic())
    log.append(f"server back at {time.monotonic() - started:.1f}s (postmaster {new}, "
               f"down {time.monotonic() - t0:.1f}s)")


def seat_plan(n: int, departments: list[str], run: str) -> list[tuple[str, Role, str | None]]:
    plan: list[tuple[str, Role, str | None]] = []
    dept_seats = 0
    for i in range(n):
        role = ROLE_CYCLE[i % len(ROLE_CYCLE)]
        dept = departments[dept_seats % len(departments)] if role is Role.DEPARTMENT else None
        dept_seats += role is Role.DEPARTMENT
        plan.append((f"ld{run}_{role.value[:4]}{i:02d}", role, dept))
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--cases", type=int, default=300, help="demo cases at the start")
    parser.add_argument("--pool", type=int, default=200,
                        help="acceptors open new reports while fewer cases are open")
    parser.add_argument("--sweep-every", type=float, default=5.0, help="0: no sweep")
    parser.add_argument("--restart-server-at", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--url", default=os.environ.get("SEATDESK_TEST_DATABASE_URL"),
                        help="a superuser URL; default: an embedded server of its own")
    args = parser.parse_args()
    if args.restart_server_at is not None and args.url:
        parser.error("--restart-server-at needs the embedded server (no --url)")
    run = secrets.token_hex(2)
    logins: list[str] = []
    with fresh_database(args.url) as address:
        say(f"load: {args.seats} seats, {args.seconds:.0f} s on {address.where()}")
        owner = connect(address)
        with session_factory(owner).begin() as s:
            run_demo(s, seed=1, cases=args.cases, reset=True)
            cat, cond = s.execute(text("""
                SELECT c.id, f.id FROM categories c JOIN filing_conditions f
                ON f.category_id = c.id AND f.seq = 1 WHERE c.parent_id IS NOT NULL
                ORDER BY c.case_type, c.code LIMIT 1""")).one()
            departments = list(s.execute(text("""
                SELECT code FROM departments WHERE active ORDER BY code LIMIT 4""")).scalars())
        plan = seat_plan(args.seats, departments, run)
        logins = [p[0] for p in plan]
        passwords = add_seat_logins(owner, plan)
        say(f"  {args.cases} demo cases; seats: " + ", ".join(
            f"{n} {r.value}" for r, n in Counter(p[1] for p in plan).items())
            + f" (departments {', '.join(departments)})")
        with owner.connect() as c:
            first_event = int(c.execute(text("SELECT coalesce(max(id), 0) FROM case_events"))
                              .scalar_one())
        started = time.monotonic()
        world = World(cat, cond, departments, started + args.seconds, args.pool)
        seats = [Seat(address.for_login(login, passwords[login]), login, role, dept, world, i)
                 for i, (login, role, dept) in enumerate(plan)]
        extra = Tally()
        helpers: list[threading.Thread] = []
        restart_log: list[str] = []
        back: list[float] = []
        leader = next((p[0] for p in plan if p[1] is Role.SHIFT_LEADER), None)
        if args.sweep_every > 0 and leader:
            sweep_engine = make_engine(address.for_login(leader, passwords[leader]), pool_size=1)
            helpers.append(threading.Thread(target=sweeper, daemon=True, args=(
                sweep_engine, args.sweep_every, world.stop_at, extra)))
        if args.restart_server_at is not None:
            helpers.append(threading.Thread(target=restarter, daemon=True, args=(
                address, args.restart_server_at, started, restart_log, back)))
        for t in [*seats, *helpers]:
            t.start()
        for t in [*seats, *helpers]:
            t.join()
        elapsed = time.monotonic() - started
        owner.dispose()
        total = Tally()
        for t in [*[seat.tally for seat in seats], extra]:
            total.successes += t.successes
            total.in_doubt += t.in_doubt
            for k, v in t.latency.items():
                total.latency[k] += v
            total.refusals += t.refusals
            total.failures += t.failures
            total.connection_failures += t.connection_failures
        violations, landed = check(address, first_event, total.successes, total.in_doubt)
        if args.restart_server_at is not None:
            lost = [seat.login for seat in seats if not back
                    or seat.tally.last_contact < back[0]]
            if lost:
                violations.append(f"seats that never reached the server after the restart: "
                                  f"{len(lost)} ({', '.join(lost[:5])})")
        report(args, total, elapsed, restart_log, landed, violations)
    if args.url:
        drop_logins(address, logins)
    if violations or total.failures:
        return 1
    if total.connection_failures and args.restart_server_at is None:
        say("connection failures without a restart")
        return 1
    return 0


def report(args: Any, t: Tally, elapsed: float, restart_log: list[str], landed: int,
           violations: list[str]) -> None:
    say()
    for line in restart_log:
        say(f"  {line}")
    n = len(t.successes)
    say(f"successful actions: {n:,} in {elapsed:.1f} s = {n / elapsed:,.1f} actions/s "
        f"({args.seats} seats)")
    say(f"{'action':<22} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for action, ms in sorted(t.latency.items(), key=lambda kv: -len(kv[1])):
        say(f"{action:<22} {len(ms):>7,} {percentile(ms, 50):>8.1f} {percentile(ms, 95):>8.1f} "
            f"{percentile(ms, 99):>8.1f}")
    say("refusals: " + (", ".join(f"{k} {v:,}" for k, v in t.refusals.most_common()) or "none"))
    say(f"connection failures: {t.connection_failures:,}; commits in doubt: "
        f"{len(t.in_doubt)} ({landed} landed, {len(t.in_doubt) - landed} did not)")
    say(f"failures (unexpected exceptions): {sum(t.failures.values()):,}")
    for what, count in t.failures.most_common(10):
        say(f"  {count:>6,} × {what}")
    if violations:
        say(f"\nINCONSISTENT: {len(violations)} check(s) failed")
        for v in violations:
            say(f"  - {v}")
    else:
        say("\nconsistent: every success audited once, no event without a success, every "
            "trail replays, every version matches its events, no duplicate numbers")
    say(f"load: {'FAIL' if violations or t.failures else 'PASS'}")


if __name__ == "__main__":
    raise SystemExit(main())
