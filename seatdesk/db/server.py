"""Finding the database: the shared server of the settings, or the embedded one.

The embedded database is upgraded by seatdesk itself; a shared one only by its
administrator (``seatdesk db upgrade``), so a workstation never migrates a centre's
server by surprise: it says which command to run instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from seatdesk.config import Settings
from seatdesk.db import embedded, migrate
from seatdesk.db.engine import ServerAddress, address_from_url, connect, translated_errors
from seatdesk.errors import Problem


def server_address(settings: Settings) -> ServerAddress:
    """The owner's (or configured) address; starts the embedded server when needed."""
    if settings.database_url:
        return address_from_url(settings.database_url, timezone=settings.timezone)
    return embedded.start(settings.data_dir, timezone=settings.timezone)


def open_database(settings: Settings) -> tuple[ServerAddress, Engine]:
    """Connect with the configured credentials and make sure the schema is current."""
    address = server_address(settings)
    engine = connect(address)
    with translated_errors(address):
        if address.embedded:
            migrate.upgrade(engine)
        else:
            require_current_schema(address, engine)
    return address, engine


def require_current_schema(address: ServerAddress, engine: Engine) -> None:
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    if current is None:
        raise Problem("schema_missing", where=address.where())
    if current != head:
        raise Problem("schema_old", where=address.where(), current=current, head=head)


@dataclass(frozen=True, slots=True)
class Status:
    where: str
    url: str
    embedded: bool
    server_version: str
    revision: str | None
    head: str
    login: str | None


def status(address: ServerAddress, engine: Engine) -> Status:
    with translated_errors(address), engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        login = conn.execute(text("SELECT current_user")).scalar_one()
    return Status(
        where=address.where(),
        url=address.display_url(),
        embedded=address.embedded,
        server_version=str(version),
        revision=migrate.current_revision(engine),
        head=migrate.head_revision(),
        login=str(login),
    )
