"""Alembic environment: runs on the connection seatdesk hands it, or on a URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from seatdesk.db.models import SQL_ONLY_TABLES, Base

config = context.config
target_metadata = Base.metadata


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Tables that only the database's own functions read and write are defined in SQL by
    their migrations, not as models; autogenerate leaves them alone."""
    table = getattr(obj, "table", obj) if type_ != "table" else obj
    table_name = name if type_ == "table" else getattr(table, "name", None)
    return table_name not in SQL_ONLY_TABLES


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """The same tables, left out before they are reflected: some hold types SQLAlchemy
    does not know (``xid8``, migration 0026), which it would warn about."""
    del parent_names
    return not (type_ == "table" and name in SQL_ONLY_TABLES)


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata,
            include_object=include_object, include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata, include_object=include_object,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("seatdesk migrations run online only: they create roles and policies.")
run_migrations()
