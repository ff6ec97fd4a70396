"""Backup and restore of the embedded database, end to end with the real server and
PostgreSQL's own tools (``seatdesk.db.backup``, ``seatdesk backup``/``restore``).

The session's demo database is backed up once; each restore goes into a fresh data
directory of its own (a new embedded cluster, with none of the demo's roles), as a
centre restoring onto a new workstation would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text

from seatdesk.cli import main
from seatdesk.db import backup as backups
from seatdesk.db.engine import ServerAddress
from seatdesk.demo import DemoResult
from seatdesk.errors import Problem
from tests.conftest import start_embedded

TRAIL = "SELECT id, case_id, action, from_state, to_state, actor, at FROM case_events ORDER BY id"


def _rows(address: ServerAddress, query: str) -> list[Any]:
    engine = create_engine(address.url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query)).all())
    finally:
        engine.dispose()


def _databases(address: ServerAddress) -> set[str]:
    rows = _rows(address, "SELECT datname FROM pg_database")
    return {r[0] for r in rows}


@pytest.fixture(scope="module")
def dump(server: ServerAddress, seeded: DemoResult) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="seatdesk-backup-"))
    file = folder / "seatdesk.dump"
    backups.backup(server, file)
    yield file
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fresh_dir() -> Path:
    # Not under pytest's tmp_path: run as root, pgserver runs the server as its own
    # user, which may not enter pytest's private folder.
    return Path(tempfile.mkdtemp(prefix="seatdesk-restore-"))


@pytest.fixture
def fresh(fresh_dir: Path) -> ServerAddress:
    """A new embedded cluster: the empty ``seatdesk`` database a first start makes."""
    return start_embedded(fresh_dir)


class Steps:
    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def status(self, text: str) -> None:
        del text

    def cancelled(self) -> bool:
        return False


def test_the_backup_is_a_custom_archive_with_its_roles_beside_it(
    dump: Path, server: ServerAddress, seeded: DemoResult
) -> None:
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert dump.stat().st_mode & 0o777 == 0o600  # complainants' names and phones
    roles = dump.with_name(dump.name + ".roles")
    assert roles.stat().st_mode & 0o777 == 0o600  # scram verifiers: the OS user's only
    text_ = roles.read_text()
    assert "acceptor1" in text_ and "SCRAM-SHA-256$" in text_
    assert not list(dump.parent.glob(".*.part"))  # no temporary file left


def test_backup_then_restore_into_a_fresh_data_directory_keeps_counts_and_trail(
    dump: Path, server: ServerAddress, seeded: DemoResult, fresh: ServerAddress
) -> None:
    before = backups.summary_of(server)
    assert before.cases >= 300 and before.events > before.cases
    steps = Steps()
    after = backups.restore(fresh, dump, progress=steps)
    assert after == before
    assert steps.total > 10 and steps.done > 10  # the bar moved
    assert _rows(fresh, TRAIL) == _rows(server, TRAIL)  # the same audit trail, row by row
    # The seats log in to the new cluster with the passwords they had, and the
    # database's own security holds there: a seat may read, not write.
    fresh_url = fresh.url.set(username="acceptor1", password=seeded.passwords["acceptor1"])
    seat: Engine = create_engine(fresh_url)
    try:
        with seat.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() > 0
            with pytest.raises(Exception, match="permission denied"):
                conn.execute(text("DELETE FROM case_events"))
    finally:
        seat.dispose()
    assert not {d for d in _databases(fresh) if d.startswith(("sdrestoring_", "sdreplaced_"))}


def test_a_restore_over_newer_data_is_refused_and_force_replaces_it(
    dump: Path, fresh: ServerAddress
) -> None:
    restored = backups.restore(fresh, dump)
    with psycopg2.connect(**_dsn(fresh)) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO case_events (case_id, action, from_state, to_state, at) "
                    "SELECT case_id, action, from_state, to_state, "
                    "clock_timestamp() + interval '1 day' FROM case_events ORDER BY id LIMIT 1")
    newer = backups.summary_of(fresh)
    assert newer.events == restored.events + 1
    with pytest.raises(Problem) as refused:
        backups.restore(fresh, dump)
    assert refused.value.key == "restore_newer"
    assert "--force" in str(refused.value) and str(newer.events) in str(refused.value)
    assert backups.summary_of(fresh) == newer  # nothing changed
    assert not {d for d in _databases(fresh) if d.startswith("sdrestoring_")}
    assert backups.restore(fresh, dump, force=True) == restored


def test_a_bad_file_gets_one_sentence_and_nothing_changes(
    dump: Path, fresh: ServerAddress, tmp_path: Path
) -> None:
    restored = backups.restore(fresh, dump)
    bad = tmp_path / "bad.dump"
    bad.write_bytes(b"this is a spreadsheet, not a backup\n" * 100)
    with pytest.raises(Problem) as refused:
        backups.restore(fresh, bad)
    assert refused.value.key == "backup_unreadable"
    sentence = str(refused.value)
    assert str(bad) in sentence
    assert "nothing was changed" in sentence or "未作任何改动" in sentence
    # A truncated backup: readable header, broken data.
    cut = tmp_path / "cut.dump"
    cut.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with pytest.raises(Problem):
        backups.restore(fresh, cut)
    assert backups.summary_of(fresh) == restored
    assert not {d for d in _databases(fresh) if d.startswith("sdrestoring_")}
    with pytest.raises(Problem) as missing:
        backups.restore(fresh, tmp_path / "nowhere.dump")
    assert missing.value.key == "backup_missing"


def test_a_restore_killed_midway_leaves_the_live_database_and_is_cleaned_up(
    dump: Path, fresh: ServerAddress
) -> None:
    restored = backups.restore(fresh, dump)
    # What a restore killed during pg_restore leaves: a half database beside the live one.
    admin = create_engine(fresh.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "sdrestoring_999999999_1"'))
    admin.dispose()
    assert backups.summary_of(fresh) == restored
    backups.restore(fresh, dump, force=True)
    assert "sdrestoring_999999999_1" not in _databases(fresh)


def test_a_restore_process_killed_during_pg_restore_changes_nothing(
    dump: Path, fresh: ServerAddress, fresh_dir: Path, tmp_path: Path
) -> None:
    """The real thing: `seatdesk restore --force` killed (SIGKILL, its whole process
    group) while pg_restore works; the live database is as it was, and a desk's open
    session does not stop the next restore's swap."""
    restored = backups.restore(fresh, dump)
    env = {**os.environ, "SEATDESK_DATA_DIR": str(fresh_dir), "SEATDESK_LANG": "en",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("SEATDESK_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "seatdesk.cli", "restore", "--force", str(dump)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(d.startswith("sdrestoring_") for d in _databases(fresh)):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert backups.summary_of(fresh) == restored
    desk = psycopg2.connect(**_dsn(fresh))  # a desk still connected to the live database
    try:
        with desk.cursor() as cur:
            cur.execute("SELECT 1")
        assert backups.restore(fresh, dump, force=True) == restored
        with pytest.raises(psycopg2.OperationalError), desk.cursor() as cur:
            cur.execute("SELECT 1")  # its session was ended at the swap: it reconnects
    finally:
        desk.close()
    assert not {d for d in _databases(fresh) if d.startswith(("sdrestoring_", "sdreplaced_"))}


def test_a_fresh_directory_without_the_roles_file_is_told_what_to_copy(
    dump: Path, fresh: ServerAddress, tmp_path: Path
) -> None:
    alone = tmp_path / "alone.dump"
    alone.write_bytes(dump.read_bytes())
    with pytest.raises(Problem) as refused:
        backups.restore(fresh, alone)
    assert refused.value.key == "restore_roles_missing"
    assert "alone.dump.roles" in str(refused.value)
    assert backups.summary_of(fresh).events == 0


def test_the_cli_backs_up_and_restores_with_counts(
    dump: Path, fresh: ServerAddress, fresh_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SEATDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("SEATDESK_DATA_DIR", str(fresh_dir))
    monkeypatch.setenv("SEATDESK_LANG", "en")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    runner = CliRunner()
    result = runner.invoke(main, ["restore", str(dump)])
    assert result.exit_code == 0, result.output
    summary = backups.summary_of(fresh)
    assert f"{summary.cases} cases, {summary.events} events" in result.output
    again = tmp_path / "again.dump"
    result = runner.invoke(main, ["backup", str(again)])
    assert result.exit_code == 0, result.output
    assert again.is_file() and f"{summary.events} events" in result.output
    bad = tmp_path / "bad.dump"
    bad.write_text("not a backup")
    result = runner.invoke(main, ["restore", str(bad)])
    assert result.exit_code == 1
    assert "is not a backup seatdesk can read" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["backup", str(tmp_path / "no-such-folder" / "x.dump")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "no-such-folder").exists()
    # A shared server: its own tools, one sentence, nothing touched.
    monkeypatch.setenv("SEATDESK_DATABASE_URL", "postgresql://admin@db.centre.example/seatdesk")
    result = runner.invoke(main, ["restore", str(dump)])
    assert result.exit_code == 1 and "docs/operations.md" in result.output
    assert backups.summary_of(fresh) == summary


def _dsn(address: ServerAddress) -> dict[str, Any]:
    url = address.url
    host = url.query.get("host") or url.host
    return {"host": host, "port": url.port, "user": url.username, "password": url.password,
            "dbname": url.database}
