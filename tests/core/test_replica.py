"""The read replica: statistics served by a PostgreSQL hot standby, and the fallback to
the primary when the standby is stopped or lags (``seatdesk.db.reporting``).

Where the replica comes from:

- ``SEATDESK_TEST_REPLICA_URL`` set (``.ci/run``): the superuser URL of a streaming
  replica of the server of ``SEATDESK_TEST_DATABASE_URL`` (scripts/start_test_replica.sh);
  the session's test database is on that primary, and the replica holds it too.
- unset: this module starts its own pair with Debian's server binaries
  (scripts/start_test_postgres.sh, then scripts/start_test_replica.sh), a database with
  a small demo on it, and removes the pair at the end. That needs root and Debian's
  PostgreSQL, as the scripts say; without them these tests fail — they never skip.

Stopping and restarting the replica, and pausing its replay, are a superuser's: the
tests do them over the replica's superuser URL and its data directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk.config import load_settings
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, address_from_url, connect, session_factory
from seatdesk.db.reporting import (
    REPLICA_WORKLOADS,
    ReplicaState,
    ReportingRouter,
    Route,
    Workload,
    reporting_address,
)
from seatdesk.demo import run_demo
from seatdesk.domain.glossary import Role
from seatdesk.domain.statistics import StatsFilter, StatTable
from seatdesk.domain.workflow import State
from seatdesk.services import stats_tables, users
from seatdesk.services.monthly_report import days_filter
from tests.core.conftest import DEPARTMENT, LOGIN
from tests.core.conftest import Desk as CaseDesk

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Pair:
    """A primary and its streaming replica, both at the test database (superuser)."""

    primary: ServerAddress
    replica: ServerAddress


def _script(*args: str, env: dict[str, str] | None = None) -> str:
    """Run one of the test-server scripts; its last line on stdout (the URL)."""
    done = subprocess.run(
        ["bash", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, (
        f"{args[0]} failed (exit {done.returncode}); the replica tests need root and "
        "Debian's PostgreSQL server binaries (bash scripts/install_system_packages.sh "
        f"--test-servers):\n{done.stderr[-3000:]}"
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def pair(request: pytest.FixtureRequest) -> Iterator[Pair]:
    replica_url = os.environ.get("SEATDESK_TEST_REPLICA_URL")
    if replica_url:
        assert os.environ.get("SEATDESK_TEST_DATABASE_URL"), (
            "SEATDESK_TEST_REPLICA_URL needs SEATDESK_TEST_DATABASE_URL: its primary"
        )
        server: ServerAddress = request.getfixturevalue("server")
        request.getfixturevalue("seeded")
        replica = address_from_url(replica_url)
        database = server.url.database
        yield Pair(server, replace(replica, url=replica.url.set(database=database)))
        return
    base = Path(tempfile.mkdtemp(prefix="seatdesk-replica-test-"))
    base.rmdir()  # start_test_postgres.sh wants a directory that is absent or empty
    try:
        primary_url = _script("scripts/start_test_postgres.sh", "start",
                              env={"SEATDESK_PG_DIR": str(base)})
        replica_url = _script("scripts/start_test_replica.sh", "start", str(base))
        admin = address_from_url(primary_url)
        name = "seatdesk_replica_test"
        admin_engine = create_engine(admin.url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin_engine.dispose()
        primary = ServerAddress(url=admin.url.set(database=name), embedded=False)
        engine = connect(primary)
        try:
            migrate.upgrade(engine)
            with session_factory(engine).begin() as s:
                run_demo(s, seed=7, cases=80, reset=True)
        finally:
            engine.dispose()
        replica = address_from_url(replica_url)
        yield Pair(primary, replace(replica, url=replica.url.set(database=name)))
    finally:
        subprocess.run(["bash", "scripts/start_test_postgres.sh", "stop", str(base)],
                       cwd=ROOT, capture_output=True, timeout=300, check=False)


@dataclass(frozen=True)
class Seat:
    login: str
    password: str


def _new_seat(pair: Pair, role: Role, department: str | None = None) -> Seat:
    """A login of this module (committed on the primary; the replica gets it by WAL)."""
    seat = Seat(f"rp{uuid.uuid4().hex[:10]}", f"Pw-{uuid.uuid4().hex[:12]}9")
    engine = connect(pair.primary)
    try:
        with session_factory(engine).begin() as s:
            s.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"),
                      {"l": LOGIN[Role.ADMIN]})
            users.add_user(s, login=seat.login, password=seat.password, roles=[role],
                           department=department)
    finally:
        engine.dispose()
    return seat


@pytest.fixture(scope="module")
def inspector(pair: Pair) -> Seat:
    return _new_seat(pair, Role.INSPECTOR)


@pytest.fixture(scope="module")
def liaison(pair: Pair) -> Seat:
    return _new_seat(pair, Role.DEPARTMENT, DEPARTMENT)


def _superuser(address: ServerAddress) -> Engine:
    return create_engine(address.url, isolation_level="AUTOCOMMIT")


def _caught_up(pair: Pair, timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has committed so far.

    The insert position, not ``pg_current_wal_lsn()`` (the written one): with
    ``synchronous_commit = off`` (the test servers) a commit may still sit in the WAL
    buffers, and a login created there would not be on the replica yet."""
    primary, replica = _superuser(pair.primary), _superuser(pair.replica)
    try:
        with primary.connect() as conn:
            lsn = conn.execute(text("SELECT pg_current_wal_insert_lsn()")).scalar_one()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with replica.connect() as conn:
                if conn.execute(text("SELECT pg_last_wal_replay_lsn() >= CAST(:l AS pg_lsn)"),
                                {"l": lsn}).scalar_one():
                    return
            time.sleep(0.1)
        raise AssertionError(f"the replica did not replay up to {lsn} within {timeout} s")
    finally:
        primary.dispose()
        replica.dispose()


def _router(pair: Pair, seat: Seat, primary: Engine, **kwargs: object) -> ReportingRouter:
    """The router a desk builds from the settings, as this seat."""
    settings = replace(load_settings(), reporting_url=pair.replica.url.set(
        username=None, password=None).render_as_string(hide_password=False))
    seat_address = pair.primary.for_login(seat.login, seat.password)
    options: dict[str, object] = {"max_lag_seconds": 60.0, "retry_seconds": 60.0}
    options.update(kwargs)
    return ReportingRouter(primary, reporting_address(settings, seat_address), **options)  # type: ignore[arg-type]


def _today(session: Session) -> StatsFilter:
    today = session.execute(text("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date")).scalar_one()
    assert isinstance(today, date)
    return days_filter(session, today, today)


def _departments(engine: Engine) -> StatTable:
    with Session(engine) as s, s.begin():
        return stats_tables.departments(s, _today(s))


def _dispatch_a_case(pair: Pair) -> None:
    """A new case, reported and dispatched to the SZ department, committed."""
    engine = connect(pair.primary)
    try:
        with session_factory(engine).begin() as s:
            CaseDesk(s).case_in(State.DISPATCHED)
    finally:
        engine.dispose()


def _replica_server(pair: Pair, command: str) -> None:
    """``pg_ctl stop`` or ``start`` on the replica's own data directory (as root)."""
    global _REPLICA_DIRS
    if _REPLICA_DIRS is None:
        su = _superuser(pair.replica)
        with su.connect() as conn:
            data = conn.execute(text("SHOW data_directory")).scalar_one()
            bindir = conn.execute(
                text("SELECT setting FROM pg_config WHERE name = 'BINDIR'")).scalar_one()
        su.dispose()
        _REPLICA_DIRS = (str(data), str(bindir))
    data, bindir = _REPLICA_DIRS
    args = ["runuser", "-u", "postgres", "--", f"{bindir}/pg_ctl", "-D", data, "-w", "-t", "60"]
    if command == "stop":
        args += ["-m", "fast", "stop"]
    else:
        args += ["-l", str(Path(data).parent / "server.log"), "start"]
    done = subprocess.run(args, cwd="/", capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, f"pg_ctl {command} of the replica failed: {done.stderr}"


_REPLICA_DIRS: tuple[str, str] | None = None


# ---- The tests


def test_the_heavy_readers_and_only_they_may_read_the_replica() -> None:
    assert Workload.WRITE not in REPLICA_WORKLOADS
    assert {Workload.STATISTICS, Workload.DASHBOARD, Workload.EXPORT,
            Workload.MONTHLY_REPORT} == REPLICA_WORKLOADS


def test_a_statistic_from_the_replica_equals_the_primarys_after_a_write(
    pair: Pair, inspector: Seat
) -> None:
    primary = connect(pair.primary.for_login(inspector.login, inspector.password))
    router = _router(pair, inspector, primary)
    try:
        _caught_up(pair)
        before = _departments(router.route(Workload.STATISTICS).engine)
        _dispatch_a_case(pair)
        _caught_up(pair)
        route = router.route(Workload.STATISTICS)
        assert route.on_replica, router.note(route)
        assert route.engine.url.port == pair.replica.url.port
        assert route.engine.url.username == inspector.login
        on_replica = _departments(route.engine)
        on_primary = _departments(primary)
        assert on_replica.rows == on_primary.rows
        assert on_replica.rows != before.rows, "the dispatched case shows in the table"
        # The claim of the scheduled report, settings …: writes read the primary.
        assert router.route(Workload.WRITE).engine is primary
    finally:
        router.dispose()
        primary.dispose()


def test_row_level_security_and_read_only_hold_on_the_replica(
    pair: Pair, inspector: Seat, liaison: Seat
) -> None:
    _caught_up(pair)
    replica_inspector = connect(pair.replica.for_login(inspector.login, inspector.password))
    replica_liaison = connect(pair.replica.for_login(liaison.login, liaison.password))
    try:
        with replica_inspector.connect() as conn:
            everyone = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
            others = conn.execute(text(
                "SELECT count(*) FROM cases WHERE current_department IS DISTINCT FROM :d"),
                {"d": DEPARTMENT}).scalar_one()
        with replica_liaison.connect() as conn:
            own = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
            foreign = conn.execute(text(
                "SELECT count(*) FROM cases WHERE current_department IS DISTINCT FROM :d"),
                {"d": DEPARTMENT}).scalar_one()
        assert others > 0 and everyone > own > 0
        assert foreign == 0, "a liaison seat reads its own department's cases on the replica"
        with replica_inspector.connect() as conn, pytest.raises(DBAPIError) as refused:
            conn.execute(text("SELECT seatdesk_set_statistics_settings('{}'::jsonb)"))
        assert "read-only" in str(refused.value.orig)
    finally:
        replica_inspector.dispose()
        replica_liaison.dispose()


def test_the_desk_falls_back_to_the_primary_while_the_replica_is_stopped(
    pair: Pair, inspector: Seat
) -> None:
    now = [0.0]
    changes: list[Route] = []
    primary = connect(pair.primary.for_login(inspector.login, inspector.password))
    router = _router(pair, inspector, primary, retry_seconds=30.0, check_seconds=5.0,
                     clock=lambda: now[0], on_change=changes.append)
    try:
        assert router.route(Workload.DASHBOARD).on_replica
        _replica_server(pair, "stop")
        try:
            # Lost between two looks: the read runs again on the primary, and the replica
            # counts as unreachable at once.
            where = router.read(Workload.DASHBOARD, lambda s: s.execute(
                text("SELECT pg_is_in_recovery()")).scalar_one())
            assert where is False, "read on the primary"
            assert router.health is not None
            assert router.health.state is ReplicaState.UNREACHABLE
            assert [c.on_replica for c in changes] == [True, False]
            now[0] += 31.0  # the retry is due: the replica is looked at again
            route = router.route(Workload.DASHBOARD)
            assert not route.on_replica and route.engine is primary
            assert route.health is not None and route.health.state is ReplicaState.UNREACHABLE
            assert str(pair.replica.url.port) in router.note(route)
            assert _departments(route.engine).rows, "the primary serves the statistic"
            assert [c.on_replica for c in changes] == [True, False]
        finally:
            _replica_server(pair, "start")
        # Back up, but not asked again before the retry time: still the primary …
        now[0] += 10.0
        assert not router.route(Workload.EXPORT).on_replica
        # … and the replica again once it is due.
        now[0] += 25.0
        route = router.route(Workload.EXPORT)
        assert route.on_replica, router.note(route)
        assert [c.on_replica for c in changes] == [True, False, True]
        assert router.read(Workload.EXPORT, lambda s: s.execute(
            text("SELECT pg_is_in_recovery()")).scalar_one()) is True
    finally:
        router.dispose()
        primary.dispose()


def test_the_desk_falls_back_to_the_primary_while_the_replica_lags(
    pair: Pair, inspector: Seat
) -> None:
    primary = connect(pair.primary.for_login(inspector.login, inspector.password))
    router = _router(pair, inspector, primary, max_lag_seconds=1.0, retry_seconds=0.001,
                     check_seconds=0.001)
    su = _superuser(pair.replica)
    try:
        _caught_up(pair)
        assert router.route(Workload.MONTHLY_REPORT).on_replica
        with su.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_pause()"))
        try:
            _dispatch_a_case(pair)
            deadline = time.monotonic() + 20
            route = router.route(Workload.MONTHLY_REPORT)
            while route.on_replica and time.monotonic() < deadline:
                time.sleep(0.2)
                route = router.route(Workload.MONTHLY_REPORT)
            assert not route.on_replica and route.engine is primary
            assert route.health is not None and route.health.state is ReplicaState.LAGGING
            assert route.health.lag_seconds is not None and route.health.lag_seconds > 1.0
            # The primary has the new case; the paused replica does not.
            with su.connect() as conn:
                assert conn.execute(text("SELECT pg_is_wal_replay_paused()")).scalar_one()
            behind = connect(pair.replica.for_login(inspector.login, inspector.password))
            try:
                assert _departments(primary).rows != _departments(behind).rows
            finally:
                behind.dispose()
        finally:
            with su.connect() as conn:
                conn.execute(text("SELECT pg_wal_replay_resume()"))
        _caught_up(pair)
        route = router.route(Workload.MONTHLY_REPORT)
        assert route.on_replica, router.note(route)
    finally:
        su.dispose()
        router.dispose()
        primary.dispose()


def test_the_scheduled_report_claims_on_the_primary_and_reads_the_replica(
    pair: Pair, inspector: Seat
) -> None:
    from seatdesk import scheduler
    from seatdesk.domain.statistics import Month
    from seatdesk.services import report_runs

    primary = connect(pair.primary.for_login(inspector.login, inspector.password))
    router = _router(pair, inspector, primary)
    read_on: list[bool] = []

    def hook(session: Session, month: Month, folder: Path) -> Path:
        read_on.append(bool(session.execute(text("SELECT pg_is_in_recovery()")).scalar_one()))
        return folder / f"{month}.xlsx"

    # A month of long ago: no other test's scheduled report is touched.
    today = date(2000, 7, 10)
    scheduler.on_monthly_report(hook)
    try:
        ran = scheduler.monthly_report_job(
            session_factory(primary), Path(tempfile.mkdtemp()), today=today,
            report_sessions=lambda: router.sessions(Workload.MONTHLY_REPORT),
        )
        assert ran == 1 and read_on == [True], "the report read the standby"
        with session_factory(primary).begin() as s:
            run = report_runs.run_of(s, Month.of(today).previous())
        assert run is not None and run.state is report_runs.ReportRunState.DONE
        assert run.claimed_by == inspector.login
    finally:
        scheduler._monthly_hooks.remove(hook)
        router.dispose()
        primary.dispose()


def _cli(pair: Pair, seat: Seat, reporting_url: str, *args: str
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEATDESK_LANG": "en", "COLUMNS": "200",
           "SEATDESK_DATABASE_URL": pair.primary.url.render_as_string(hide_password=False),
           "SEATDESK_USER": seat.login, "SEATDESK_PASSWORD": seat.password,
           "SEATDESK_REPORTING_URL": reporting_url}
    return subprocess.run([sys.executable, "-m", "seatdesk.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_the_command_line_case_list_reads_the_replica_and_falls_back(
    pair: Pair, inspector: Seat, tmp_path: Path
) -> None:
    replica_url = pair.replica.url.set(username=None, password=None).render_as_string()
    out = tmp_path / "cases.xlsx"
    period = ("--from", "2000-01-01", "--to", "2099-12-31", "--out", str(out))
    su = _superuser(pair.replica)
    _caught_up(pair)
    with su.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_pause()"))
    try:
        _dispatch_a_case(pair)  # on the primary only, while the replica stands still
        primary = _superuser(pair.primary)
        with primary.connect() as conn:
            on_primary = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        primary.dispose()
        with su.connect() as conn:
            on_replica = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        assert on_primary == on_replica + 1
        # Well within the lag limit: the case list is the replica's.
        result = _cli(pair, inspector, replica_url, "stats", "cases", *period)
        assert result.returncode == 0, result.stderr
        assert f"{on_replica} cases written" in result.stdout
        assert "main server" not in result.stderr
        # No replica there: the main server's, and stderr says why.
        nowhere = "postgresql://127.0.0.1:9/" + str(pair.primary.url.database)
        result = _cli(pair, inspector, nowhere, "stats", "cases", *period)
        assert result.returncode == 0, result.stderr
        assert f"{on_primary} cases written" in result.stdout
        assert "cannot be reached" in result.stderr and "127.0.0.1:9" in result.stderr
    finally:
        with su.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_resume()"))
        su.dispose()


def test_the_settings_name_the_replica_and_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATDESK_REPORTING_URL", "postgresql://replica.lan:5433/seatdesk")
    monkeypatch.setenv("SEATDESK_REPLICA_MAX_LAG", "15")
    monkeypatch.setenv("SEATDESK_REPLICA_RETRY", "nonsense")
    settings = load_settings()
    assert settings.reporting_url == "postgresql://replica.lan:5433/seatdesk"
    assert settings.replica_max_lag_seconds == 15.0
    assert settings.replica_retry_seconds == 60.0, "a bad value is the default, never 0"
    seat = address_from_url("postgresql://wangfang:S3cret-pw@db.lan:5432/seatdesk")
    replica = reporting_address(settings, seat)
    assert replica is not None
    assert (replica.url.host, replica.url.port, replica.url.database) == (
        "replica.lan", 5433, "seatdesk")
    assert (replica.url.username, replica.url.password) == ("wangfang", "S3cret-pw")
    # The embedded server has no replica, whatever the settings say.
    assert reporting_address(settings, replace(seat, embedded=True)) is None
    monkeypatch.delenv("SEATDESK_REPORTING_URL")
    assert reporting_address(load_settings(), seat) is None
