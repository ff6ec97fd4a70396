"""Alembic environment: runs on the connection seatdesk hands it, or on a URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from seatdesk.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("seatdesk migrations run online only: they create roles and policies.")
run_migrations()
