"""Other workstations' changes, live: a thread that LISTENs on the one change channel.

The database announces every change on ``seatdesk.notices.CHANNEL`` (triggers of
migration 0009, whoever wrote it). A notice says only that something changed; this
thread never believes it. It gathers the notices of a burst (``COALESCE_SECONDS``),
asks the database what they mean for this seat (``seatdesk.notices.changes_since``,
one query, as the seat's own login, so row-level security decides) and hands the
answer to the GUI thread as one ``ChangeSet``. A malformed notice is logged and
dropped. When the connection drops it says so, retries every ``RETRY_SECONDS`` by
itself, and after a reconnect announces ``RECONNECTED`` (what changed meanwhile was
never notified to it, so everything may have).
"""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg2
import psycopg2.extensions
from PySide6.QtCore import QThread, Signal
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from seatdesk import notices
from seatdesk.db.engine import ServerAddress
from seatdesk.services.common import ChangeSet
from ui.tasks import RECONNECTED

RETRY_SECONDS = 2.0
#: How long one wait on the socket lasts, so that stop() is honoured promptly.
POLL_SECONDS = 0.25
#: Notices arriving within this time of the first of a burst cost one query together.
COALESCE_SECONDS = 0.1
#: After this long without a notice, a cheap round trip proves the server is alive.
IDLE_CHECK_SECONDS = 5.0


class NotifyListener(QThread):
    """LISTEN/NOTIFY on a thread of its own; never touches a widget."""

    sig_changes = Signal(object)
    """A burst of notices, as the ChangeSet the database says they mean for this seat."""

    sig_connection = Signal(bool, str)
    """The listening connection is up (True) or lost (False, with libpq's whole message:
    the window turns it into one sentence and keeps it for the log and a tooltip)."""

    def __init__(self, address: ServerAddress, sessions: Callable[[], Session]) -> None:
        """``address`` is the seat's own (its login listens); ``sessions`` gives a new
        session of the seat's engine, used on this thread to ask what changed."""
        super().__init__()
        self._address = address
        self._sessions = sessions
        self._stop = threading.Event()

    # ---- Public API

    def stop(self) -> None:
        self._stop.set()
        self.wait(5_000)

    # ---- Qt overrides

    def run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except psycopg2.Error as exc:
                self.sig_connection.emit(False, _reason(exc))
                first = False
                self._stop.wait(RETRY_SECONDS)
                continue
            self.sig_connection.emit(True, "")
            if not first:
                self.sig_changes.emit(ChangeSet(entities=frozenset({RECONNECTED})))
            first = False
            try:
                self._listen(conn)
            except (psycopg2.Error, SQLAlchemyError, OSError) as exc:
                self.sig_connection.emit(False, _reason(exc))
                self._stop.wait(RETRY_SECONDS)
            finally:
                conn.close()

    # ---- Private

    def _connect(self) -> Any:
        url = self._address.url
        host = url.query.get("host") or url.host
        if isinstance(host, tuple):
            host = host[0]
        conn = psycopg2.connect(
            host=host,
            port=url.port,
            dbname=url.database,
            user=url.username,
            password=url.password,
            connect_timeout=5,
            application_name="seatdesk-listener",
            # Keepalives notice a dead server on an idle connection within seconds.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=2,
        )
        conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with conn.cursor() as cur:
            cur.execute(f'LISTEN "{notices.CHANNEL}"')
        return conn

    def _listen(self, conn: Any) -> None:
        pending: list[notices.Notice] = []
        burst_ends: float | None = None  # when the burst being gathered is asked about
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            wait = POLL_SECONDS if burst_ends is None else max(0.0, burst_ends - now)
            if select.select([conn], [], [], wait)[0]:
                conn.poll()
                while conn.notifies:
                    notice = notices.decode(conn.notifies.pop(0).payload)
                    if notice is not None:
                        pending.append(notice)
                if pending and burst_ends is None:
                    burst_ends = time.monotonic() + COALESCE_SECONDS
                quiet_since = time.monotonic()
            if burst_ends is not None and time.monotonic() >= burst_ends:
                burst, pending, burst_ends = pending, [], None
                changes = self._ask(burst)
                if changes.case_ids or changes.entities:
                    self.sig_changes.emit(changes)
                continue
            if time.monotonic() - quiet_since >= IDLE_CHECK_SECONDS:
                quiet_since = time.monotonic()  # a dead server shows up as an error
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")

    def _ask(self, burst: list[notices.Notice]) -> ChangeSet:
        """What the burst means for this seat, in the database's words."""
        with self._sessions() as session, session.begin():
            return notices.changes_since(session, burst)


def _reason(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    return " ".join(lines) if lines else type(exc).__name__
