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
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg2 import sql
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
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin_engine.dispose()
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-test-"))
        try:
            yield _migrated(embedded.start(data_dir, delete_on_exit=True))
        finally:
            # pgserver removes its cluster at exit; the folder around it goes with it.
            atexit.register(shutil.rmtree, data_dir, ignore_errors=True)


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
