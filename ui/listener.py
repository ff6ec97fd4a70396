"""Other workstations' changes, live: a thread that LISTENs on the case channel.

The services NOTIFY ``seatdesk.db.security.CASE_CHANNEL`` with a JSON payload
(case_id, action, state, version) when their transaction commits. This thread holds one
extra connection of the seat, waits on its socket, and hands each burst of
notifications to the GUI thread as one ``ChangeSet``. When the connection drops it says
so, retries every ``RETRY_SECONDS`` by itself, and after a reconnect announces
``RECONNECTED`` (what changed meanwhile was never notified to it, so everything may
have).
"""

from __future__ import annotations

import json
import select
import threading
from typing import Any

import psycopg2
import psycopg2.extensions
from PySide6.QtCore import QThread, Signal

from seatdesk.db.engine import ServerAddress
from seatdesk.db.security import CASE_CHANNEL
from seatdesk.services.common import CaseId, ChangeSet
from ui.tasks import RECONNECTED

RETRY_SECONDS = 2.0
#: How long one wait on the socket lasts, so that stop() is honoured promptly.
POLL_SECONDS = 0.25


class NotifyListener(QThread):
    """LISTEN/NOTIFY on a thread of its own; never touches a widget."""

    sig_changes = Signal(object)
    """A burst of notifications from the database, as one ChangeSet."""

    sig_connection = Signal(bool, str)
    """The listening connection is up (True) or lost (False, with libpq's reason)."""

    def __init__(self, address: ServerAddress) -> None:
        super().__init__()
        self._address = address
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
            except (psycopg2.Error, OSError) as exc:
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
            cur.execute(f'LISTEN "{CASE_CHANNEL}"')
        return conn

    def _listen(self, conn: Any) -> None:
        idle = 0.0
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], POLL_SECONDS)
            if ready:
                idle = 0.0
                conn.poll()
                ids: set[CaseId] = set()
                while conn.notifies:
                    note = conn.notifies.pop(0)
                    ids.update(_case_ids(note.payload))
                if ids:
                    self.sig_changes.emit(ChangeSet(case_ids=frozenset(ids)))
                continue
            idle += POLL_SECONDS
            if idle >= 5.0:  # a cheap round trip: a dead server shows up as an error
                idle = 0.0
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")


def _case_ids(payload: str) -> set[CaseId]:
    try:
        data = json.loads(payload)
        return {CaseId(int(data["case_id"]))}
    except (ValueError, KeyError, TypeError):
        return set()


def _reason(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    return lines[-1] if lines else type(exc).__name__
