"""The scheduled monthly report is written exactly once, whichever workstations fire
(migration 0025, ``seatdesk.scheduler.monthly_report_job``, ``services.report_runs``).

Each test works on a month of its own in the 2000s (committed rows: the schedulers run
on real logins' connections, as two workstations would), so tests never see each
other's claims.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk import config
from seatdesk import scheduler as jobs
from seatdesk.db.calls import call
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.domain.statistics import Month
from seatdesk.errors import PermissionDenied, ValidationError
from seatdesk.services import report_runs
from seatdesk.services.report_runs import ReportRunState
from tests.core.conftest import LOGIN, Desk


class Workstations:
    """Real logins' session factories, one engine per login (a workstation each)."""

    def __init__(self, server: ServerAddress, seeded: DemoResult) -> None:
        self._server = server
        self._seeded = seeded
        self._engines: dict[str, Engine] = {}

    def engine(self, who: Role) -> Engine:
        login = LOGIN[who]
        if login not in self._engines:
            self._engines[login] = connect(
                self._server.for_login(login, self._seeded.passwords[login]), pool_size=2
            )
        return self._engines[login]

    def sessions(self, who: Role) -> sessionmaker[Session]:
        return session_factory(self.engine(who))

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()


@pytest.fixture
def stations(server: ServerAddress, seeded: DemoResult) -> Iterator[Workstations]:
    ws = Workstations(server, seeded)
    try:
        yield ws
    finally:
        ws.close()


class ReportHook:
    """A monthly hook that writes a small file, counting its runs; it may be told to
    fail, and takes ``pause`` seconds so that two schedulers overlap."""

    def __init__(self, *, pause: float = 0.0, failures: int = 0) -> None:
        self.calls: list[tuple[Month, Path]] = []
        self.pause = pause
        self.failures = failures
        self._lock = threading.Lock()

    def __call__(self, session: Session, month: Month, folder: Path) -> Path:
        # The hook runs in a transaction of the claiming seat, through its RLS.
        session.execute(text("SELECT count(*) FROM cases")).scalar_one()
        with self._lock:
            self.calls.append((month, folder))
            fail = self.failures > 0
            self.failures -= 1 if fail else 0
        time.sleep(self.pause)
        if fail:
            raise RuntimeError("the report folder is full")
        out = folder / f"月报-{month}.xlsx"
        out.write_bytes(b"workbook")
        return out


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> ReportHook:
    registered = ReportHook(pause=0.5)
    monkeypatch.setattr(jobs, "_monthly_hooks", [registered])
    return registered


def _today_after(month: Month) -> date:
    """A day of the month after ``month``: the job then writes ``month``."""
    return month.next().first_day + timedelta(days=3)


def _run(owner_engine: Engine, month: Month) -> report_runs.ReportRun | None:
    with session_factory(owner_engine).begin() as s:
        return report_runs.run_of(s, month)


def _trail(owner_engine: Engine, month: Month) -> list[tuple[str, str]]:
    with session_factory(owner_engine).begin() as s:
        return [(e.action, e.actor) for e in report_runs.events(s, month)]


# ---- exactly once


def test_two_workstations_firing_together_write_the_report_once(
    stations: Workstations, owner_engine: Engine, hook: ReportHook, tmp_path: Path
) -> None:
    month = Month(2001, 1)
    seats = [Role.INSPECTOR, Role.SHIFT_LEADER]
    start = threading.Barrier(len(seats))
    ran: dict[Role, int] = {}

    def fire(who: Role) -> None:
        sessions = stations.sessions(who)
        start.wait()
        ran[who] = jobs.monthly_report_job(sessions, tmp_path, today=_today_after(month))

    threads = [threading.Thread(target=fire, args=(who,)) for who in seats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(ran.values()) == [0, 1]  # one scheduler ran its one hook, the other none
    assert hook.calls == [(month, tmp_path)]
    run = _run(owner_engine, month)
    assert run is not None
    winner = next(who for who, n in ran.items() if n == 1)
    assert run.state is ReportRunState.DONE and run.attempts == 1
    assert run.claimed_by == LOGIN[winner]
    assert run.file_name == str(tmp_path / "月报-2001-01.xlsx")
    assert (tmp_path / "月报-2001-01.xlsx").read_bytes() == b"workbook"
    assert _trail(owner_engine, month) == [("claim", LOGIN[winner]), ("done", LOGIN[winner])]
    # Every later tick of every scheduler, that month: nothing more.
    for who in [*seats, Role.ACCEPTOR]:
        assert jobs.monthly_report_job(stations.sessions(who), tmp_path,
                                       today=_today_after(month)) == 0
    assert len(hook.calls) == 1


def test_a_second_claim_waits_for_the_first_and_then_loses(
    stations: Workstations, owner_engine: Engine
) -> None:
    """The first claim not committed yet: the second caller's insert waits for it, and
    finds the month taken when it commits (not two winners, not an error)."""
    month = Month(2001, 2)
    first = stations.engine(Role.INSPECTOR).connect()
    tx = first.begin()
    assert first.execute(text("SELECT seatdesk_claim_monthly_report(:m)"),
                         {"m": month.first_day}).scalar_one() is True
    answer: list[bool] = []

    def second() -> None:
        with session_factory(stations.engine(Role.DISPATCHER)).begin() as s:
            answer.append(report_runs.claim(s, month))

    t = threading.Thread(target=second)
    t.start()
    t.join(1.0)
    assert t.is_alive() and answer == []  # waiting on the first claim's row
    tx.commit()
    first.close()
    t.join(20)
    assert answer == [False]
    run = _run(owner_engine, month)
    assert run is not None and run.claimed_by == LOGIN[Role.INSPECTOR]


# ---- a workstation that died, a failure


def test_a_claim_left_by_a_dead_workstation_is_taken_over_after_two_hours(
    stations: Workstations, owner_engine: Engine, hook: ReportHook, tmp_path: Path
) -> None:
    month = Month(2001, 3)
    with stations.sessions(Role.INSPECTOR).begin() as s:
        assert report_runs.claim(s, month)  # … and the workstation dies before writing

    def age(hours: float) -> None:
        with owner_engine.begin() as conn:  # the owner plays the clock
            conn.execute(text("UPDATE monthly_reports SET claimed_at = clock_timestamp() "
                              "- make_interval(secs => :s) WHERE month = :m"),
                         {"s": hours * 3600, "m": month.first_day})

    today = _today_after(month)
    age(1.99)  # 1 h 59 min: still the inspector's
    assert jobs.monthly_report_job(stations.sessions(Role.SHIFT_LEADER), tmp_path, today) == 0
    assert hook.calls == []
    age(2.01)
    assert jobs.monthly_report_job(stations.sessions(Role.SHIFT_LEADER), tmp_path, today) == 1
    assert hook.calls == [(month, tmp_path)]
    run = _run(owner_engine, month)
    assert run is not None
    assert (run.state, run.claimed_by, run.attempts) == (
        ReportRunState.DONE, LOGIN[Role.SHIFT_LEADER], 2)
    assert _trail(owner_engine, month) == [
        ("claim", LOGIN[Role.INSPECTOR]),
        ("take_over", LOGIN[Role.SHIFT_LEADER]),
        ("done", LOGIN[Role.SHIFT_LEADER]),
    ]
    # The workstation that was thought dead comes back: its outcome is refused.
    with pytest.raises(ValidationError) as err, stations.sessions(Role.INSPECTOR).begin() as s:
        report_runs.finish(s, month, file_name="late.xlsx")
    assert (err.value.field, err.value.problem) == ("month", "not_claimed")
    assert err.value.values()["problem"]  # words for it, with its placeholders filled


def test_a_failure_is_recorded_with_its_reason_and_the_next_try_retries(
    stations: Workstations, owner_engine: Engine, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path
) -> None:
    failing = ReportHook(failures=1)
    monkeypatch.setattr(jobs, "_monthly_hooks", [failing])
    month = Month(2001, 4)
    today = _today_after(month)
    assert jobs.monthly_report_job(stations.sessions(Role.INSPECTOR), tmp_path, today) == 0
    run = _run(owner_engine, month)
    assert run is not None
    assert run.state is ReportRunState.FAILED
    assert run.error == "RuntimeError: the report folder is full"
    assert run.file_name is None and run.finished_at is not None and run.attempts == 1
    # The next hour, another workstation: retried, written.
    assert jobs.monthly_report_job(stations.sessions(Role.ACCEPTOR), tmp_path, today) == 1
    run = _run(owner_engine, month)
    assert run is not None
    assert (run.state, run.claimed_by, run.attempts, run.error) == (
        ReportRunState.DONE, LOGIN[Role.ACCEPTOR], 2, None)
    assert len(failing.calls) == 2
    assert _trail(owner_engine, month) == [
        ("claim", LOGIN[Role.INSPECTOR]),
        ("failed", LOGIN[Role.INSPECTOR]),
        ("retry", LOGIN[Role.ACCEPTOR]),
        ("done", LOGIN[Role.ACCEPTOR]),
    ]


def test_a_headless_scheduler_writes_it_with_the_owners_login(
    stations: Workstations, owner_engine: Engine, hook: ReportHook, tmp_path: Path
) -> None:
    """``seatdesk scheduler`` runs with the owner's login, which is no seat user."""
    month = Month(2001, 11)
    owner_login = owner_engine.url.username
    assert jobs.monthly_report_job(session_factory(owner_engine), tmp_path,
                                   _today_after(month)) == 1
    run = _run(owner_engine, month)
    assert run is not None and (run.state, run.claimed_by) == (ReportRunState.DONE, owner_login)
    # … and a desk's scheduler then finds it done.
    assert jobs.monthly_report_job(stations.sessions(Role.INSPECTOR), tmp_path,
                                   _today_after(month)) == 0
    assert len(hook.calls) == 1


def test_with_no_hook_registered_nothing_is_claimed(
    stations: Workstations, owner_engine: Engine, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path
) -> None:
    monkeypatch.setattr(jobs, "_monthly_hooks", [])
    month = Month(2001, 5)
    assert jobs.monthly_report_job(stations.sessions(Role.INSPECTOR), tmp_path,
                                   _today_after(month)) == 0
    assert _run(owner_engine, month) is None


# ---- who may


def test_a_department_seat_does_not_write_the_report_nor_read_its_record(
    stations: Workstations, owner_engine: Engine, hook: ReportHook, tmp_path: Path
) -> None:
    """Its row-level security shows it one department: its report would not be the
    centre's. Its scheduler skips the job without a refusal."""
    month = Month(2001, 6)
    sessions = stations.sessions(Role.DEPARTMENT)
    assert jobs.monthly_report_job(sessions, tmp_path, _today_after(month)) == 0
    assert hook.calls == [] and _run(owner_engine, month) is None
    with sessions.begin() as s:
        assert report_runs.may_claim(s) is False
    with pytest.raises(PermissionDenied), sessions.begin() as s:
        report_runs.claim(s, month)


@pytest.mark.parametrize("who", [Role.DEPARTMENT, Role.INTAKE])
def test_seats_that_may_not_claim_cannot_with_psql_either(
    stations: Workstations, who: Role
) -> None:
    with stations.engine(who).connect() as conn:
        assert _code(conn, "SELECT seatdesk_claim_monthly_report('2001-07-01')") == "42501"
        assert _code(conn, "SELECT seatdesk_finish_monthly_report('2001-07-01', 'x', NULL)"
                     ) == "42501"
        assert _code(conn, "SELECT * FROM monthly_reports") == "42501"
        assert _code(conn, "SELECT * FROM monthly_report_events") == "42501"


@pytest.mark.parametrize("sql", [
    "INSERT INTO monthly_reports (month, state, claimed_by, claimed_at, attempts) "
    "VALUES ('2001-08-01', 'claimed', 'inspector1', now(), 1)",
    "UPDATE monthly_reports SET state = 'failed', error = 'x', finished_at = now()",
    "DELETE FROM monthly_reports",
    "INSERT INTO monthly_report_events (month, action, actor, at) "
    "VALUES ('2001-01-01', 'done', 'inspector1', now())",
    "DELETE FROM monthly_report_events",
    "TRUNCATE monthly_reports CASCADE",
])
def test_a_seat_that_may_claim_still_writes_the_table_only_through_the_functions(
    stations: Workstations, sql: str
) -> None:
    with stations.engine(Role.INSPECTOR).connect() as conn:
        assert _code(conn, "SELECT count(*) FROM monthly_reports", expect_error=False) == ""
        assert _code(conn, sql) == "42501"


def test_the_functions_check_the_seat_role_themselves(desk: Desk) -> None:
    """Group grants and users.roles agree; should they not, the function still refuses
    a department seat (a superuser naming it, as the tests may)."""
    desk.session.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"),
                         {"l": LOGIN[Role.DEPARTMENT]})
    with pytest.raises(PermissionDenied), desk.session.begin_nested():
        report_runs.claim(desk.session, Month(2001, 9))


def test_only_a_month_that_has_ended_is_claimed(desk: Desk) -> None:
    this_month = Month.of(date.today())
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        report_runs.claim(s, this_month.next())
    assert (err.value.field, err.value.problem) == ("month", "not_over")
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        call(s, "SELECT seatdesk_claim_monthly_report('2001-10-15')", {})
    assert (err.value.field, err.value.problem) == ("month", "not_first_day")
    with desk.as_(Role.INSPECTOR) as s:
        assert report_runs.claim(s, Month(2001, 10)) is True
        with pytest.raises(ValidationError) as err, s.begin_nested():
            report_runs.finish(s, Month(2001, 10))  # neither a file nor a failure
        assert (err.value.field, err.value.problem) == ("file_name", "required")
        report_runs.finish(s, Month(2001, 10), error="x" * 5000)
        run = report_runs.run_of(s, Month(2001, 10))
        assert run is not None and run.state is ReportRunState.FAILED
        assert run.error == "x" * 2000  # cut, never refused: a failure is always recorded


def _code(conn: Connection, sql: str, *, expect_error: bool = True, **params: Any) -> str:
    if not conn.in_transaction():
        conn.begin()
    if not expect_error:
        with conn.begin_nested():
            conn.execute(text(sql), params)
        return ""
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    return str(getattr(err.value.orig, "pgcode", ""))


# ---- configuration


def test_the_report_folder_is_configured_or_reports_in_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "config_file", lambda: tmp_path / "none.toml")
    monkeypatch.setenv("SEATDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SEATDESK_REPORT_FOLDER", raising=False)
    assert config.load_settings().report_folder == tmp_path / "data" / "reports"
    (tmp_path / "c.toml").write_text('report_folder = "/srv/share/月报"\n', encoding="utf-8")
    monkeypatch.setattr(config, "config_file", lambda: tmp_path / "c.toml")
    assert config.load_settings().report_folder == Path("/srv/share/月报")
    monkeypatch.setenv("SEATDESK_REPORT_FOLDER", str(tmp_path / "env"))
    assert config.load_settings().report_folder == tmp_path / "env"  # the environment wins
