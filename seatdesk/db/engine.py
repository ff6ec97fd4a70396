"""Connecting to the database, and turning connection failures into one sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk import messages
from seatdesk.errors import ConnectionProblem


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where the database is, and with which credentials the owner reaches it.

    ``url`` carries the owner's (or the configured) credentials; a seat login replaces
    them with its own through ``for_login``.
    """

    url: URL
    embedded: bool
    timezone: str = "Asia/Shanghai"

    def for_login(self, login: str, password: str) -> ServerAddress:
        return replace(self, url=self.url.set(username=login, password=password))

    @property
    def login(self) -> str | None:
        return self.url.username

    def where(self) -> str:
        """Where the server is, for people: the host (or socket) and database, no password."""
        kind = "embedded " if self.embedded else ""
        return f"{kind}{self.location()}"

    def location(self) -> str:
        """``host:port/dbname`` (the socket folder for the embedded server), no password."""
        host = self.url.host or self.url.query.get("host") or "localhost"
        if isinstance(host, tuple):
            host = host[0]
        port = f":{self.url.port}" if self.url.port else ""
        return f"{host}{port}/{self.url.database}"

    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)


def address_from_url(url: str, *, timezone: str = "Asia/Shanghai") -> ServerAddress:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return ServerAddress(url=parsed, embedded=False, timezone=timezone)


def make_engine(address: ServerAddress, *, pool_size: int = 5) -> Engine:
    """An engine whose connections speak the centre's time zone and name the app."""
    engine = create_engine(
        address.url,
        pool_size=pool_size,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 5,
            "application_name": "seatdesk",
            "options": f"-c timezone={address.timezone}",
        },
    )

    @event.listens_for(engine, "connect")
    def _utf8(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.set_client_encoding("UTF8")  # type: ignore[attr-defined]

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def connect(address: ServerAddress, *, pool_size: int = 5) -> Engine:
    """An engine that has proved it can log in; a failure raises ``ConnectionProblem``."""
    engine = make_engine(address, pool_size=pool_size)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        raise connection_problem(exc, address) from None
    return engine


@contextmanager
def translated_errors(address: ServerAddress) -> Iterator[None]:
    """Turn a lost or refused connection inside the block into ``ConnectionProblem``."""
    try:
        yield
    except OperationalError as exc:
        if _is_connection_failure(exc):
            raise connection_problem(exc, address) from None
        raise


def is_connection_failure(exc: DBAPIError) -> bool:
    """Did ``exc`` come from a lost, refused or impossible connection (not from SQL)?"""
    return _is_connection_failure(exc)


def _is_connection_failure(exc: DBAPIError) -> bool:
    text = str(exc.orig)
    return bool(exc.connection_invalidated) or any(
        marker in text
        for marker in (
            "could not connect",
            "connection to server",
            "password authentication failed",
            "not permitted to log in",
            "server closed the connection",
            "does not exist",
            "no password supplied",
            "timeout expired",
        )
    )


def connection_problem(exc: DBAPIError, address: ServerAddress) -> ConnectionProblem:
    """One sentence for why connecting failed, from libpq's message (kept as ``detail``)."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    login = address.login or "?"
    where = address.where()
    if "password authentication failed" in text or "no password supplied" in text:
        return ConnectionProblem("login_failed", login=login)
    if "not permitted to log in" in text:
        return ConnectionProblem("account_disabled", login=login)
    m = re.search(r'database "([^"]+)" does not exist', text)
    if m:
        return ConnectionProblem("no_database", database=m.group(1), where=where)
    m = re.search(r'role "([^"]+)" does not exist', text)
    if m:
        return ConnectionProblem("login_failed", login=m.group(1))
    key = "db_unreachable_here" if address.embedded else "db_unreachable"
    return ConnectionProblem(key, where=where, cause=connection_cause(text), detail=text.strip())


#: The causes of ``connection_cause``; each is the sentence ``connection.<cause>``.
CAUSES = ("refused", "timeout", "unknown_host", "login", "closed", "other")
#: libpq's words → the cause a person is told (``connection.<cause>`` in the messages).
_CAUSES = (
    (("Connection refused", "No such file or directory"), "refused"),
    (("timeout expired", "timed out"), "timeout"),
    (("could not translate host name", "Name or service not known"), "unknown_host"),
    (("password authentication failed", "not permitted to log in", "no password supplied",
      "does not exist"), "login"),
    (("server closed the connection", "terminating connection", "connection already closed",
      "SSL connection has been closed", "EOF detected", "Connection reset",
      "could not receive data", "could not send data"), "closed"),
)


def connection_cause(text: str) -> str:
    """Why a connection failed or was lost, as one of a few named causes (never libpq's
    English): ``refused``, ``timeout``, ``unknown_host``, ``login``, ``closed`` or
    ``other``. The desk's reconnect banner and ``connection_problem`` both use it.

    ``text`` is libpq's message, or a ``ConnectionProblem`` already rendered in either
    language (the desk's task manager passes those on), whose cause is found again."""
    for markers, cause in _CAUSES:
        if any(marker in text for marker in markers):
            return cause
    for cause in CAUSES:
        if any(sentence in text for sentence in messages.templates(f"connection.{cause}")):
            return cause
    return "other"
