"""Running the Alembic migrations from code, and telling where a database stands."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

#: Taken for the length of an upgrade so two workstations never migrate at once.
_MIGRATION_LOCK = 0x5EA7DE5C


def alembic_config() -> Config:
    import seatdesk_migrations

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(seatdesk_migrations.__file__).parent))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade in one transaction: a failure leaves the database as it was."""
    cfg = alembic_config()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        _hand_over(conn)


def _hand_over(conn: Connection) -> None:
    """Give what the migrations just created to the database's NOLOGIN owner (0010), so
    every SECURITY DEFINER function runs with seatdesk's privileges, never the
    migrating login's."""
    exists = conn.execute(
        text("SELECT to_regprocedure('seatdesk_hand_over()') IS NOT NULL")
    ).scalar()
    if exists:
        conn.execute(text("SELECT seatdesk_hand_over()"))


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def check(engine: Engine) -> None:
    """``alembic check``: raise if the models differ from what the migrations built."""
    cfg = alembic_config()
    with engine.connect() as conn, warnings.catch_warnings():
        # The search migration's indexes are expressions with an operator class
        # (``substr(number, k) text_pattern_ops``): Alembic compares them by name only
        # and says so once each; that is known, not news.
        warnings.filterwarnings(
            "ignore", message=r"Expression #\d+ .* detected to include an operator clause"
        )
        cfg.attributes["connection"] = conn
        command.check(cfg)
