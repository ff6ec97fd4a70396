"""Test databases: a real PostgreSQL server, never SQLite, never a mock.

With ``SEATDESK_TEST_DATABASE_URL`` set (a superuser URL of a server such as Debian's
PostgreSQL on 127.0.0.1 with password authentication, as a centre's shared server
would be), each test session creates a fresh database there. Without it, the session
starts seatdesk's own embedded server (pgserver) in a temporary data directory, with
the same hardening (scram-sha-256 for everyone) the app uses.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil  # pgserver's own dependency
import pytest
from psycopg2 import sql

# The README's test command works as written on a machine with no screen: with no
# display to draw on, Qt draws offscreen (set before any QApplication exists).
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from sqlalchemy import Engine, create_engine, text

from seatdesk.db import embedded, migrate
from seatdesk.db.engine import ServerAddress, address_from_url, connect, make_engine


@pytest.fixture(scope="session")
def server() -> Iterator[ServerAddress]:
    """The owner's address of a fresh, migrated database for this test session."""
    url = os.environ.get("SEATDESK_TEST_DATABASE_URL")
    if url:
        admin = address_from_url(url)
        name = f"seatdesk_test_{uuid.uuid4().hex[:8]}"
        admin_engine = create_engine(admin.url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        address = ServerAddress(url=admin.url.set(database=name), embedded=False)
        try:
            yield _migrated(address)
        finally:
            roles = _roles_of(address)
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                # Roles are the server's: the test database's logins, groups and owner
                # go with it, so the next run on this server starts as clean.
                for role in roles:
                    conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
            admin_engine.dispose()
    else:
        yield _migrated(start_embedded(Path(tempfile.mkdtemp(prefix="seatdesk-test-"))))


def start_embedded(data_dir: Path) -> ServerAddress:
    """The embedded server in ``data_dir``, stopped and removed when this process exits,
    so that no test run leaves a PostgreSQL server behind.

    The exit hook is registered after pgserver's own, so it runs first (atexit runs
    hooks in reverse order): it leaves the server — stopping it, as this process is its
    only user — and only then removes the folder. Removing the folder first would take
    pgserver's list of the server's processes with it, and pgserver would leave the
    server running.
    """
    try:
        address = embedded.start(data_dir, delete_on_exit=True)
    finally:
        atexit.register(_stop_and_remove, data_dir)
    return address


def _stop_and_remove(data_dir: Path) -> None:
    embedded.leave(data_dir)
    # pgserver stops the server only when no other process is on its list; a process the
    # test killed (a restore killed midway) stays on it, and the server would outlive the
    # folder. This process started it: stop it (a fast shutdown) whoever else is listed.
    _stop_postmaster(data_dir / "pgdata")
    shutil.rmtree(data_dir, ignore_errors=True)


def _stop_postmaster(pgdata: Path, wait: float = 30.0) -> None:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return  # stopped (the file goes with a clean stop) or never started
    try:
        process = psutil.Process(pid)
        if "postgres" not in process.name():
            return  # a stale file whose pid is someone else's now
        process.send_signal(signal.SIGINT)
        process.wait(wait)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        process.kill()


def _roles_of(address: ServerAddress) -> list[str]:
    """The roles that belong to this database alone: its seat logins, then its groups and
    its owner (0010 names them by the database)."""
    engine = create_engine(address.url)
    try:
        with engine.connect() as conn:
            logins = conn.execute(text("SELECT login FROM users")).scalars().all()
            prefix, owner = conn.execute(
                text("SELECT group_prefix, owner_role FROM database_roles")
            ).one()
            groups = conn.execute(
                text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p) "
                     "AND rolname <> :o"),
                {"p": prefix, "o": owner},
            ).scalars().all()
    finally:
        engine.dispose()
    if prefix == "seatdesk_":  # shared names another database may use: leave them
        groups = []
    return [*logins, *groups, owner]


def _migrated(address: ServerAddress) -> ServerAddress:
    engine = connect(address)
    migrate.upgrade(engine)
    engine.dispose()
    return address


@pytest.fixture(scope="session")
def owner_engine(server: ServerAddress) -> Iterator[Engine]:
    engine = make_engine(server, pool_size=10)
    yield engine
    engine.dispose()


def quote_ident(name: str) -> str:
    return sql.Identifier(name).string  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _language_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test does to ``SEATDESK_LANG`` (the CLI's and the app's ``--lang``
    write it straight into the environment) is undone after it: the next test reads
    the language it started with, not English left over from a ``--lang en``."""
    monkeypatch.setenv("SEATDESK_LANG", os.environ.get("SEATDESK_LANG", "zh"))


@pytest.fixture
def report_tools() -> None:
    """The tests that prove a workbook opens outside Python need LibreOffice and
    poppler. Where they are missing, those tests fail with the command that installs
    them; they never skip, as the replica's tests never do."""
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: this test converts a workbook with "
                    "LibreOffice; install the tools with "
                    "bash scripts/install_system_packages.sh --report-tools", pytrace=False)
