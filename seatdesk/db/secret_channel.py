"""Handing a secret (a password) to a database function without writing it into a
statement: so it never reaches the server log, a failing call included.

PostgreSQL logs the text of a statement that fails (``log_min_error_statement``), and
of every statement where ``log_statement`` says so; psycopg2 interpolates parameters
into that text on the client. So the secret goes by ``COPY … FROM STDIN`` — a data
stream, never logged — into a temporary table of this session, hex-encoded so that no
byte of it can make the COPY fail (a failing COPY quotes its line). The call then reads
it with a sub-select, and the table is dropped. All of it runs in a savepoint of the
caller's transaction: the caller still owns the transaction, and a failure leaves
nothing behind.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: The placeholder a statement uses where the secret goes.
SECRET = ":secret"

_TABLE = "pg_temp.seatdesk_secret"
_VALUE = f"(SELECT convert_from(decode(v, 'hex'), 'UTF8') FROM {_TABLE})"


def call_with_secret(
    session: Session, statement: str, params: dict[str, Any], secret: str
) -> None:
    """Run ``statement`` (which holds ``:secret`` once) with ``secret`` in its place.

    Raises what the statement raises (``sqlalchemy.exc.DBAPIError``); the savepoint is
    rolled back then, and the session's transaction goes on.
    """
    if statement.count(SECRET) != 1:
        raise ValueError("the statement must hold :secret exactly once")
    with session.begin_nested():
        conn = session.connection()
        conn.exec_driver_sql(
            "CREATE TEMP TABLE seatdesk_secret (v text NOT NULL) ON COMMIT DROP"
        )
        cursor = conn.connection.cursor()
        try:
            copy_expert = cursor.copy_expert
            copy_expert(
                f"COPY {_TABLE} (v) FROM STDIN",
                io.StringIO(secret.encode("utf-8").hex() + "\n"),
            )
        finally:
            cursor.close()
        session.execute(text(statement.replace(SECRET, _VALUE)), params)
        conn.exec_driver_sql(f"DROP TABLE {_TABLE}")
