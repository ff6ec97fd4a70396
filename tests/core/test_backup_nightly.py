"""The nightly backup is written exactly once a day, whichever schedulers fire
(migration 0033, ``seatdesk.scheduler.backup_job``, ``services.backup_runs``), and the
folder keeps the newest N files.

Each test works on a day of its own in 2002 (committed rows: the schedulers run on real
logins' connections, as two desks would), so tests never see each other's claims.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk import scheduler as jobs
from seatdesk.db import backup as backups
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.errors import PermissionDenied, ValidationError
from seatdesk.services import backup_runs
from seatdesk.services.backup_runs import BackupRunState
from tests.core.conftest import LOGIN


class Workstations:
    """Real logins' session factories, one engine per login (a desk each)."""

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


def _trail(owner_engine: Engine, day: date) -> list[tuple[str, str]]:
    with session_factory(owner_engine).begin() as s:
        return [(e.action, e.actor) for e in backup_runs.events(s, day)]


def test_two_schedulers_firing_together_back_up_once(
    stations: Workstations, owner_engine: Engine, server: ServerAddress, tmp_path: Path
) -> None:
    day = date(2002, 1, 10)
    nightly = jobs.NightlyBackup(address=server, folder=tmp_path, keep=5)
    seats = [Role.INSPECTOR, Role.SHIFT_LEADER]
    start = threading.Barrier(len(seats))
    wrote: dict[Role, Path | None] = {}

    def fire(who: Role) -> None:
        sessions = stations.sessions(who)
        start.wait()
        wrote[who] = jobs.backup_job(sessions, nightly, today=day)

    threads = [threading.Thread(target=fire, args=(who,)) for who in seats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    files = [f for f in wrote.values() if f is not None]
    assert len(files) == 1 and len(wrote) == 2
    assert files[0] == tmp_path / "seatdesk-2002-01-10.dump"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "seatdesk-2002-01-10.dump", "seatdesk-2002-01-10.dump.roles"]
    assert files[0].read_bytes()[:5] == b"PGDMP"
    winner = next(who for who, f in wrote.items() if f is not None)
    with session_factory(owner_engine).begin() as s:
        run = backup_runs.run_of(s, day)
    assert run is not None and run.state is BackupRunState.DONE and run.attempts == 1
    assert run.claimed_by == LOGIN[winner] and run.file_name == str(files[0])
    assert _trail(owner_engine, day) == [("claim", LOGIN[winner]), ("done", LOGIN[winner])]
    # Later ticks of any desk that day: nothing more.
    assert jobs.backup_job(stations.sessions(Role.ACCEPTOR), nightly, today=day) is None


def test_pruning_keeps_the_newest_n_and_nothing_else_is_touched(
    stations: Workstations, server: ServerAddress, tmp_path: Path
) -> None:
    for d in range(1, 5):
        (tmp_path / f"seatdesk-2002-02-0{d}.dump").write_bytes(b"old")
        (tmp_path / f"seatdesk-2002-02-0{d}.dump.roles").write_text("{}")
    (tmp_path / "keep-me.dump").write_bytes(b"someone else's")
    nightly = jobs.NightlyBackup(address=server, folder=tmp_path, keep=3)
    written = jobs.backup_job(stations.sessions(Role.DISPATCHER), nightly, today=date(2002, 2, 9))
    assert written == tmp_path / "seatdesk-2002-02-09.dump"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "keep-me.dump",
        "seatdesk-2002-02-03.dump", "seatdesk-2002-02-03.dump.roles",
        "seatdesk-2002-02-04.dump", "seatdesk-2002-02-04.dump.roles",
        "seatdesk-2002-02-09.dump", "seatdesk-2002-02-09.dump.roles",
    ]
    assert jobs.prune(tmp_path, 1) == [tmp_path / "seatdesk-2002-02-04.dump",
                                       tmp_path / "seatdesk-2002-02-03.dump"]


def test_a_failed_backup_is_recorded_and_keeps_the_old_files(
    stations: Workstations, owner_engine: Engine, server: ServerAddress, tmp_path: Path
) -> None:
    day = date(2002, 3, 5)
    old = tmp_path / "seatdesk-2002-03-01.dump"
    old.write_bytes(b"old")
    wrong = server.for_login(str(server.url.username), "not-the-password")
    nightly = jobs.NightlyBackup(address=wrong, folder=tmp_path, keep=1)
    assert jobs.backup_job(stations.sessions(Role.INSPECTOR), nightly, today=day) is None
    with session_factory(owner_engine).begin() as s:
        run = backup_runs.run_of(s, day)
    assert run is not None and run.state is BackupRunState.FAILED and run.error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seatdesk-2002-03-01.dump"]
    # The next tick (any desk) retries, and succeeds with the right address.
    good = jobs.NightlyBackup(address=server, folder=tmp_path, keep=1)
    assert jobs.backup_job(stations.sessions(Role.MONITOR), good, today=day) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "seatdesk-2002-03-05.dump", "seatdesk-2002-03-05.dump.roles"]
    assert [a for a, _ in _trail(owner_engine, day)] == ["claim", "failed", "retry", "done"]


def test_a_department_seat_skips_the_job_and_raw_sql_is_refused(
    stations: Workstations, server: ServerAddress, tmp_path: Path
) -> None:
    day = date(2002, 4, 2)
    nightly = jobs.NightlyBackup(address=server, folder=tmp_path)
    assert jobs.backup_job(stations.sessions(Role.DEPARTMENT), nightly, today=day) is None
    assert list(tmp_path.iterdir()) == []
    with stations.sessions(Role.DEPARTMENT).begin() as s, pytest.raises(PermissionDenied):
        backup_runs.claim(s, day)
    with stations.engine(Role.INSPECTOR).connect() as conn:
        for sql in [
            "INSERT INTO backup_runs (day, state, claimed_by, claimed_at, attempts) "
            "VALUES ('2002-04-03', 'done', 'x', now(), 1)",
            "UPDATE backup_runs SET state = 'failed'",
            "DELETE FROM backup_run_events",
        ]:
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text(sql))
            conn.rollback()
    with stations.sessions(Role.INSPECTOR).begin() as s, pytest.raises(ValidationError):
        backup_runs.claim(s, date(2999, 1, 1))  # a day not begun
    with stations.sessions(Role.INSPECTOR).begin() as s:
        assert backup_runs.claim(s, day)
    with stations.sessions(Role.DISPATCHER).begin() as s, pytest.raises(ValidationError) as e:
        backup_runs.finish(s, day, file_name="/tmp/x.dump")  # not the dispatcher's claim
    assert e.value.problem == "backup_not_claimed" and "inspector1" in str(e.value)


def test_the_backup_module_names_its_files_as_the_job_prunes_them() -> None:
    assert jobs.BACKUP_NAME.format(day=date(2002, 5, 6)) == "seatdesk-2002-05-06.dump"
    assert backups.ROLES_SUFFIX == ".roles"


def test_the_settings_choose_folder_count_and_hour_and_a_shared_server_has_no_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: ServerAddress
) -> None:
    from seatdesk import config
    from seatdesk.db import embedded

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SEATDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SEATDESK_BACKUP_FOLDER", raising=False)
    monkeypatch.setenv("SEATDESK_BACKUP_KEEP", "0")  # nonsense: the default, never "none"
    settings = config.load_settings()
    assert settings.backup_folder == tmp_path / "data" / "backups"
    assert settings.backup_keep == config.DEFAULT_BACKUP_KEEP
    monkeypatch.setenv("SEATDESK_BACKUP_FOLDER", str(tmp_path / "nightly"))
    monkeypatch.setenv("SEATDESK_BACKUP_KEEP", "3")
    monkeypatch.setenv("SEATDESK_BACKUP_HOUR", "23")
    settings = config.load_settings()
    assert (settings.backup_folder, settings.backup_keep, settings.backup_hour) == (
        tmp_path / "nightly", 3, 23)
    shared = ServerAddress(url=server.url, embedded=False)
    assert jobs.nightly_backup(settings, shared) is None
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / embedded.SECRET_FILE).write_text("the-owner-secret\n")
    seat = ServerAddress(url=server.url, embedded=True).for_login("acceptor1", "pw")
    nightly = jobs.nightly_backup(settings, seat)
    assert nightly is not None
    assert nightly.address.url.username == embedded.OWNER
    assert nightly.address.url.password == "the-owner-secret"
    assert (nightly.folder, nightly.keep, nightly.hour) == (tmp_path / "nightly", 3, 23)
