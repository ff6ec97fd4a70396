"""Which server a reader reads: the one place that sends the heavy readers to the
streaming replica and everything else to the primary.

A centre with a hot standby (``SEATDESK_REPORTING_URL``) keeps statistics, exports, the
dashboard and the monthly report off the server the seats write to. The seat logs in
to the replica with its own login and password (roles replicate), so row-level
security holds there as on the primary. Writes never go there: a standby refuses them,
and the readers' own writes (the scheduled report's claim and finish, settings) are
``Workload.WRITE``, which always gets the primary.

The replica is used while it answers and lags no more than ``max_lag``; otherwise the
reader gets the primary, with a note that says why (shown in the desk's status bar),
and the replica is asked again ``retry_after`` later.

Lag is measured against the primary, with what any seat may ask: each look notes the
primary's WAL position (``pg_current_wal_lsn()``) and the time; the replica lags by the
age of the oldest noted position it has not replayed yet (``pg_last_wal_replay_lsn()``).
So a quiet centre never reads as lagging, and a standby that stopped replaying — its
replay paused, or cut off from the primary, which the standby's own
``pg_last_xact_replay_timestamp()`` cannot tell from a quiet primary — reads as lagging
from the first look that saw a position it does not reach. The figure is as fine as the
looks are frequent (``check_seconds``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from seatdesk import messages
from seatdesk.config import Settings
from seatdesk.db.engine import (
    ServerAddress,
    address_from_url,
    is_connection_failure,
    make_engine,
)

T = TypeVar("T")
#: A standby cancelled the query to replay WAL (``hot_standby_feedback`` makes it rare).
RECOVERY_CONFLICT = "40001"


class Workload(StrEnum):
    """What a reader reads for; ``REPLICA_WORKLOADS`` says which may use the replica."""

    STATISTICS = "statistics"  # the statistics tables (CLI, services)
    DASHBOARD = "dashboard"  # the inspector's dashboard
    EXPORT = "export"  # statistics workbooks and the detailed case list
    MONTHLY_REPORT = "monthly_report"  # the month's report workbook (not its claim)
    WRITE = "write"  # anything that writes, or decides a write: always the primary


#: The workloads the replica serves. Everything else, and every write, reads the primary.
REPLICA_WORKLOADS = frozenset(
    {Workload.STATISTICS, Workload.DASHBOARD, Workload.EXPORT, Workload.MONTHLY_REPORT}
)

#: Where the primary has written up to (any login may ask).
PRIMARY_SQL = text("SELECT pg_current_wal_lsn()::text")
#: The replica: still a standby (a promoted one is no replica), and replayed up to where.
REPLICA_SQL = text(
    "SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed"
)
#: Noted primary positions kept at most (older ones matter only while unreplayed).
MAX_SAMPLES = 256


def lsn_number(lsn: str | None) -> int:
    """A WAL position ``X/Y`` as one comparable number (None: nothing replayed: 0)."""
    if not lsn:
        return 0
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


class ReplicaState(StrEnum):
    IN_USE = "in_use"
    UNREACHABLE = "unreachable"
    LAGGING = "lagging"


@dataclass(frozen=True, slots=True)
class ReplicaHealth:
    """What the last look at the replica found."""

    state: ReplicaState
    lag_seconds: float | None = None
    #: libpq's words when unreachable (for the log), never shown as the sentence.
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """The engine a reader gets, whether it is the replica, and why not when not."""

    engine: Engine
    on_replica: bool
    #: The replica's state when one is configured (None: there is none).
    health: ReplicaHealth | None = None


def reporting_address(settings: Settings, seat: ServerAddress) -> ServerAddress | None:
    """The replica's address for this seat: the configured host, port and database, the
    seat's own login and password. None when no replica is configured (or the desk runs
    on the embedded server, which has none)."""
    if not settings.reporting_url or seat.embedded:
        return None
    replica = address_from_url(settings.reporting_url, timezone=seat.timezone)
    return ServerAddress(
        url=replica.url.set(username=seat.url.username, password=seat.url.password),
        embedded=False,
        timezone=seat.timezone,
    )


class ReportingRouter:
    """Decides, per reader, between the primary and the replica (thread-safe: the desk's
    query workers ask at once).

    ``on_change(route)`` runs (on the asking thread) whenever the answer for the
    replica's workloads changes: the desk shows it in its status bar.
    """

    def __init__(
        self,
        primary: Engine,
        replica: ServerAddress | None,
        *,
        max_lag_seconds: float,
        retry_seconds: float,
        check_seconds: float = 15.0,
        on_change: Callable[[Route], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary = primary
        self._replica_address = replica
        self._replica: Engine | None = None
        self.max_lag_seconds = max_lag_seconds
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.on_change = on_change
        self._clock = clock
        self._lock = threading.Lock()
        self._health: ReplicaHealth | None = None
        self._next_check = float("-inf")
        # (when, primary position) of past looks whose position the replica has not
        # replayed yet, oldest first: the oldest one's age is the replica's lag.
        self._samples: deque[tuple[float, int]] = deque(maxlen=MAX_SAMPLES)

    @classmethod
    def from_settings(
        cls, settings: Settings, primary: Engine, seat: ServerAddress, **kwargs: object
    ) -> ReportingRouter:
        return cls(
            primary,
            reporting_address(settings, seat),
            max_lag_seconds=settings.replica_max_lag_seconds,
            retry_seconds=settings.replica_retry_seconds,
            **kwargs,  # type: ignore[arg-type]
        )

    # ---- Public API

    @property
    def replica_address(self) -> ServerAddress | None:
        return self._replica_address

    @property
    def health(self) -> ReplicaHealth | None:
        """The last look's finding (None: no replica, or not looked at yet)."""
        return self._health

    def route(self, workload: Workload) -> Route:
        """The engine ``workload`` reads from: the replica when it serves this workload
        and is healthy, else the primary."""
        if workload not in REPLICA_WORKLOADS or self._replica_address is None:
            return Route(self._primary, on_replica=False)
        changed: Route | None = None
        with self._lock:
            now = self._clock()
            if now >= self._next_check:
                before = self._health.state if self._health else None
                self._health = self._look(now)
                fine = self._health.state is ReplicaState.IN_USE
                self._next_check = now + (self.check_seconds if fine else self.retry_seconds)
                if self._health.state is not before:
                    changed = self._route()
            route = self._route()
        if changed is not None and self.on_change is not None:
            self.on_change(changed)
        return route

    def read(self, workload: Workload, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` in one transaction on the server ``route`` picks. A replica
        lost in the middle (or a query it cancelled to replay WAL) is not the reader's
        failure: ``fn`` runs again on the primary, and a lost replica counts as
        unreachable until ``retry_seconds`` have passed."""
        route = self.route(workload)
        if route.on_replica:
            try:
                with Session(route.engine, expire_on_commit=False) as s, s.begin():
                    return fn(s)
            except DBAPIError as exc:
                if is_connection_failure(exc):
                    self._lost(exc)
                elif getattr(exc.orig, "pgcode", None) != RECOVERY_CONFLICT:
                    raise
        with Session(self._primary, expire_on_commit=False) as s, s.begin():
            return fn(s)

    def sessions(self, workload: Workload) -> sessionmaker[Session]:
        """A session factory on the engine ``workload`` reads from now (a long-lived
        reader such as the scheduler asks again for each run)."""
        return sessionmaker(self.route(workload).engine, expire_on_commit=False)

    def recheck(self) -> None:
        """Look at the replica at the next request, whenever the last look was."""
        with self._lock:
            self._next_check = float("-inf")

    def note(self, route: Route) -> str:
        """The sentence for a route, in the current language ('' with no replica)."""
        health = route.health
        if health is None or self._replica_address is None:
            return ""
        where = self._replica_address.location()
        retry = f"{self.retry_seconds:g}"
        if health.state is ReplicaState.IN_USE:
            return messages.t("replica.in_use", where=where)
        if health.state is ReplicaState.LAGGING:
            return messages.t("replica.lagging", where=where, lag=f"{health.lag_seconds:.0f}",
                              limit=f"{self.max_lag_seconds:g}", retry=retry)
        return messages.t("replica.unreachable", where=where, retry=retry)

    def dispose(self) -> None:
        with self._lock:
            if self._replica is not None:
                self._replica.dispose()
                self._replica = None

    # ---- Private

    def _lost(self, exc: DBAPIError) -> None:
        detail = str(exc.orig).strip() if exc.orig is not None else str(exc)
        with self._lock:
            changed = self._health is None or self._health.state is not ReplicaState.UNREACHABLE
            self._health = ReplicaHealth(ReplicaState.UNREACHABLE, detail=detail)
            self._next_check = self._clock() + self.retry_seconds
            if self._replica is not None:
                self._replica.dispose()
            route = self._route()
        if changed and self.on_change is not None:
            self.on_change(route)

    def _route(self) -> Route:
        assert self._health is not None, "looked at before routing"
        if self._health.state is ReplicaState.IN_USE and self._replica is not None:
            return Route(self._replica, on_replica=True, health=self._health)
        return Route(self._primary, on_replica=False, health=self._health)

    def _look(self, now: float) -> ReplicaHealth:
        assert self._replica_address is not None
        if self._replica is None:
            self._replica = make_engine(self._replica_address, pool_size=3)
        # The primary first: a position noted before the replica is read, so a replica
        # that keeps up has replayed it (or nearly: it counts only from the next look).
        with self._primary.connect() as conn:
            written = lsn_number(conn.execute(PRIMARY_SQL).scalar_one())
        if not self._samples or self._samples[-1][1] < written:
            self._samples.append((now, written))
        try:
            with self._replica.connect() as conn:
                row = conn.execute(REPLICA_SQL).one()
        except DBAPIError as exc:
            # A refused login is as unusable as a stopped server; the primary reads on.
            self._replica.dispose()
            detail = str(exc.orig).strip() if exc.orig is not None else str(exc)
            return ReplicaHealth(ReplicaState.UNREACHABLE, detail=detail)
        if not row.standby:
            # Promoted (a failover): it is the centre's primary now, current by definition.
            self._samples.clear()
            return ReplicaHealth(ReplicaState.IN_USE, lag_seconds=0.0)
        replayed = lsn_number(row.replayed)
        while self._samples and self._samples[0][1] <= replayed:
            self._samples.popleft()
        lag = now - self._samples[0][0] if self._samples else 0.0
        if lag > self.max_lag_seconds:
            return ReplicaHealth(ReplicaState.LAGGING, lag_seconds=lag)
        return ReplicaHealth(ReplicaState.IN_USE, lag_seconds=lag)
