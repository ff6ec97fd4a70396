"""The layers and the migrations, checked by running them."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, make_engine


def test_the_core_never_imports_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, seatdesk\n"
        "for m in pkgutil.walk_packages(seatdesk.__path__, 'seatdesk.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'ui')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_models_and_migrations_agree(server: ServerAddress) -> None:
    engine = make_engine(server)
    try:
        migrate.check(engine)  # raises if autogenerate would find a difference
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again_on_an_empty_database(server: ServerAddress) -> None:
    name = f"seatdesk_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.downgrade(engine, "base")
        with engine.connect() as conn:
            tables = conn.execute(text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )).scalar()
        assert tables == 0
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_failed_migration_leaves_the_database_as_it_was(server: ServerAddress) -> None:
    engine = make_engine(server)
    try:
        before = migrate.current_revision(engine)
        with pytest.raises(Exception, match="Can't locate revision"):
            migrate.upgrade(engine, "no_such_revision")
        assert migrate.current_revision(engine) == before
    finally:
        engine.dispose()
