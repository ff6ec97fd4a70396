"""``seatdesk db``: where the database is, its schema, and upgrading it."""

from __future__ import annotations

import click
from rich.table import Table

from seatdesk import config
from seatdesk.cli.common import CommandGroup, console, owner, reported
from seatdesk.db import migrate
from seatdesk.db.engine import connect, session_factory, translated_errors
from seatdesk.db.server import server_address, status
from seatdesk.services import calendar


@click.group(cls=CommandGroup)
def db() -> None:
    """The database: where it is, and its schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the schema of the configured database to this version of seatdesk."""
    with reported():
        settings = config.load_settings()
        address = server_address(settings)
        engine = connect(address)
        with translated_errors(address):
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
            after = migrate.current_revision(engine)
        console.print(f"{address.where()}: {before or 'empty'} → {after}")


@db.command("status")
def db_status() -> None:
    """Where the database is, its server version and its migration revision."""
    with reported():
        settings = config.load_settings()
        address = server_address(settings)
        engine = connect(address)
        st = status(address, engine)
        table = Table(show_header=False, box=None)
        table.add_row("database", st.url)
        table.add_row("kind", "embedded (pgserver)" if st.embedded else "shared server")
        if st.embedded:
            table.add_row("data directory", str(settings.data_dir))
        table.add_row("server version", f"PostgreSQL {st.server_version}")
        current = st.revision or "none (run `seatdesk db upgrade`)"
        table.add_row("revision", f"{current} (head {st.head})")
        table.add_row("connected as", st.login or "?")
        console.print(table)


@db.command("centre-name")
@click.argument("name")
def db_centre_name(name: str) -> None:
    """Name the centre: the desk shows NAME for its database instead of the address."""
    with reported():
        _, engine = owner()
        with session_factory(engine).begin() as session:
            calendar.set_centre_name(session, name)
        console.print(name.strip())


@db.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree (``alembic check``)."""
    with reported():
        _, engine = owner()
        migrate.check(engine)
        console.print("models and migrations agree")
