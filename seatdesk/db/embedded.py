"""The embedded PostgreSQL server (pgserver) used when no shared server is configured.

pgserver initialises its cluster with ``trust`` authentication. seatdesk hardens it on
first start: the superuser gets a random password, kept in ``owner.secret`` (mode 0600)
in the data directory, and ``pg_hba.conf`` is rewritten to require scram-sha-256 for
everyone, so the embedded server checks seat passwords exactly as a shared one does.
The steps are ordered so that a crash between them never locks the owner out: the
secret is written before the password is set, and trust is removed last.

The server log keeps no personal data: a failed statement's text (an import batch holds
every complainant's name and phone) and its DETAIL are not logged (``QUIET_LOG``, set
with ALTER SYSTEM on every start; the README tells a shared server's administrator to
do the same).

Several seatdesk processes on one machine share one server: pgserver keeps a list of
the processes using a data directory and stops the server when the last one exits.
"""

from __future__ import annotations

import fcntl
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql
from sqlalchemy import URL

from seatdesk.config import EMBEDDED_DATABASE
from seatdesk.db.engine import ServerAddress
from seatdesk.db.security import generate_password, scram_verifier
from seatdesk.errors import ConnectionProblem

log = logging.getLogger(__name__)

OWNER = "postgres"
SECRET_FILE = "owner.secret"
HBA_MARKER = "# seatdesk: scram-sha-256 for everyone"
HBA_CONTENT = f"""{HBA_MARKER}
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
"""

#: What the server log keeps of a failed statement: no statement text (it holds the
#: complainants' names and phones a failing call sent), and no DETAIL (a refusal's
#: values), only the one-line error (security review of issue 11, F7).
QUIET_LOG = {"log_min_error_statement": "panic", "log_error_verbosity": "terse"}

_servers: dict[Path, Any] = {}


@contextmanager
def _init_lock(data_dir: Path) -> Iterator[None]:
    with (data_dir / ".init.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def start(
    data_dir: Path, *, timezone: str = "Asia/Shanghai", delete_on_exit: bool = False
) -> ServerAddress:
    """Start (or join) the embedded server in ``data_dir``; return the owner's address.

    ``delete_on_exit`` removes the cluster when the last process leaves (for tests).
    """
    data_dir = data_dir.expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with _init_lock(data_dir):
            server = _get_server(data_dir / "pgdata", "delete" if delete_on_exit else "stop")
            socket_dir = server.get_postmaster_info().socket_dir
            password = _ensure_hardened(data_dir, server, socket_dir)
            _quiet_log(socket_dir, password)
    except ConnectionProblem:
        raise
    except Exception as exc:  # pgserver raises bare subprocess and assertion errors
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ConnectionProblem("embedded_failed", path=str(data_dir), reason=reason) from exc
    url = URL.create(
        "postgresql+psycopg2",
        username=OWNER,
        password=password,
        database=EMBEDDED_DATABASE,
        query={"host": str(socket_dir)},
    )
    return ServerAddress(url=url, embedded=True, timezone=timezone)


def leave(data_dir: Path) -> None:
    """Give up this process's use of the embedded server in ``data_dir`` now: the server
    stops if no other process uses it (and its cluster is removed if it was started
    with ``delete_on_exit``).

    pgserver does the same when the interpreter exits, but it keeps the list of the
    processes using a server inside the data directory: whoever removes that directory
    first must leave the server first, or pgserver finds no list and leaves the server
    running with nobody to stop it.
    """
    server = _servers.pop(data_dir.expanduser().resolve() / "pgdata", None)
    if server is not None:
        server.cleanup()


def _get_server(pgdata: Path, cleanup_mode: str) -> Any:
    if pgdata not in _servers:
        with warnings.catch_warnings():
            # pgserver touches the runtime directory on import; XDG_RUNTIME_DIR is often
            # unset on servers and its warning would only confuse a person.
            warnings.simplefilter("ignore")
            import pgserver

            _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
    return _servers[pgdata]


def _ensure_hardened(data_dir: Path, server: Any, socket_dir: Path) -> str:
    secret = data_dir / SECRET_FILE
    hba = Path(server.pgdata) / "pg_hba.conf"
    if secret.exists() and hba.read_text().startswith(HBA_MARKER):
        return secret.read_text().strip()
    if not secret.exists():
        tmp = secret.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(generate_password(24) + "\n")
        tmp.replace(secret)
    password = secret.read_text().strip()
    # Still under trust authentication here: set the owner's password, create the
    # application database, then require passwords from everyone.
    conn = psycopg2.connect(host=str(socket_dir), user=OWNER, dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(OWNER)),
                (scram_verifier(password),),
            )
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,))
            if cur.fetchone() is None:
                cur.execute(
                    sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                        sql.Identifier(EMBEDDED_DATABASE)
                    )
                )
            hba.write_text(HBA_CONTENT)
            cur.execute("SELECT pg_reload_conf()")
    finally:
        conn.close()
    log.info("embedded server in %s now requires scram-sha-256 passwords", data_dir)
    return password


def _quiet_log(socket_dir: Path, password: str) -> None:
    """Set ``QUIET_LOG`` (ALTER SYSTEM, then a reload) where it is not set yet."""
    conn = psycopg2.connect(host=str(socket_dir), user=OWNER, dbname="postgres",
                            password=password)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            changed = False
            for name, value in QUIET_LOG.items():
                cur.execute("SELECT current_setting(%s)", (name,))
                row = cur.fetchone()
                if row is None or row[0] != value:
                    cur.execute(
                        sql.SQL("ALTER SYSTEM SET {} = %s").format(sql.Identifier(name)),
                        (value,),
                    )
                    changed = True
            if changed:
                cur.execute("SELECT pg_reload_conf()")
    finally:
        conn.close()
