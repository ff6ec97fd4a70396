"""Every blocking call of the UI goes through this module.

An op is a plain function that runs on a worker thread with its own session (one
transaction, committed when the op returns, rolled back when it raises). Its result
comes back to the GUI thread through one signal bridge and is handed to ``success``;
an error goes to ``failure``, or, when the caller gave none, to the task manager's
``sig_error`` so that one place (the main window) shows it. Mutations run one at a time,
in the order they were asked for; each returns a ``ChangeSet``, which the manager
re-emits as the desk-wide ``sig_data_changed(changes, initiator)``.

An op never touches a widget: read widget values on the GUI thread first, and let the
op close over plain values.

    QueryOp(desk.tasks, parent=self, op=lambda s: queues.queue(s, q),
            success=self._on_page).run()
    MutationOp(desk.tasks, parent=self, op=lambda s: cases.register(s, ...),
               success=self._on_done, failure=self._on_failed).run()
"""

from __future__ import annotations

import itertools
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatdesk.db.engine import ServerAddress, session_factory, translated_errors
from seatdesk.errors import ConnectionProblem
from seatdesk.services.common import ChangeSet

T = TypeVar("T")

#: The entity a reconnect announces: anything may have changed meanwhile.
RECONNECTED = "reconnected"


class TaskManager(QObject):
    """The worker pools, the signal bridge, and the desk's app-level signals."""

    sig_data_changed = Signal(object, object)
    """A mutation or another workstation changed data: (ChangeSet, initiator object)."""

    sig_connection = Signal(bool, str)
    """The database is reachable (True) or lost (False, with the reason for people)."""

    sig_busy = Signal(int)
    """How many ops are queued or running; 0 when the desk is idle."""

    sig_error = Signal(object)
    """An op failed and its caller left the error to the one default place."""

    _sig_done = Signal(int, object, object)  # ticket, result, error: worker → GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._address: ServerAddress | None = None
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._queries = QThreadPool(self)
        self._queries.setMaxThreadCount(3)
        # One thread: mutations commit in the order the person asked for them.
        self._mutations = QThreadPool(self)
        self._mutations.setMaxThreadCount(1)
        self._pending: dict[int, _Pending] = {}
        self._tickets = itertools.count(1)
        self._sig_done.connect(self._on_done)

    # ---- Public API

    def set_database(self, address: ServerAddress, engine: Engine) -> None:
        """Ops from now on use this seat's engine (set once, after the login)."""
        self._address = address
        self._engine = engine
        self._sessions = session_factory(engine)

    @property
    def address(self) -> ServerAddress | None:
        return self._address

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, op: _BaseOp[Any], *, mutation: bool) -> None:
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(op)
        job = _Job(self, ticket, op.call, self._address)
        (self._mutations if mutation else self._queries).start(job)
        self.sig_busy.emit(len(self._pending))

    def session(self) -> Session:
        """A new session for a worker thread (never call from the GUI thread)."""
        if self._sessions is None:
            raise RuntimeError("no database yet: the op needs a logged-in desk")
        return self._sessions()

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Let running ops finish, drop their results, and close the connections."""
        self._queries.clear()
        self._mutations.clear()
        self._queries.waitForDone(timeout_ms)
        self._mutations.waitForDone(timeout_ms)
        # Only now: ``_pending`` keeps each op (and the widget it names) alive until its
        # job is done, so that no Qt object is ever released on a worker thread.
        self._pending.clear()
        if self._engine is not None:
            self._engine.dispose()

    # ---- Private slots

    @Slot(int, object, object)
    def _on_done(self, ticket: int, result: object, error: object) -> None:
        pending = self._pending.pop(ticket, None)
        self.sig_busy.emit(len(self._pending))
        if pending is None:  # shut down meanwhile
            return
        op = pending.op
        if isinstance(error, ConnectionProblem):
            self.sig_connection.emit(False, str(error))
        if not op.alive():
            return
        if isinstance(error, BaseException):
            if op.failure is not None:
                op.failure(error)
            else:
                self.sig_error.emit(error)
            return
        op.success(result)
        if isinstance(op, MutationOp):
            changes = _change_set_of(result)
            if changes is not None:
                self.sig_data_changed.emit(changes, op.parent)


@dataclass
class _Pending:
    op: _BaseOp[Any]


class _Job(QRunnable):
    """Runs one op on a pool thread and posts its outcome to the bridge."""

    def __init__(
        self,
        manager: TaskManager,
        ticket: int,
        call: Callable[[TaskManager], object] | None,
        address: ServerAddress | None,
    ) -> None:
        super().__init__()
        self._manager = manager
        self._ticket = ticket
        self._call = call
        self._address = address

    def run(self) -> None:
        # The op (and the widget it names) must not be released on this thread: a Qt
        # object whose last reference dies here would be destroyed here, under the GUI
        # thread's feet. So this job lets go of it before it reports, while the
        # manager's ``_pending`` (GUI thread) still holds it.
        call, self._call = self._call, None
        assert call is not None, "a job runs once"
        result: object = None
        error: BaseException | None = None
        try:
            if self._address is not None:
                with translated_errors(self._address):
                    result = call(self._manager)
            else:
                result = call(self._manager)
        except Exception as exc:  # handed to the GUI thread, which decides who shows it
            _drop_frame_locals(exc)
            error = exc
        del call
        if shiboken6.isValid(self._manager):
            self._manager._sig_done.emit(self._ticket, result, error)


@dataclass
class _BaseOp(ABC, Generic[T]):
    tasks: TaskManager
    parent: QObject | None
    success: Callable[[T], None] = field(default=lambda _result: None, kw_only=True)
    failure: Callable[[BaseException], None] | None = field(default=None, kw_only=True)

    def alive(self) -> bool:
        """False once the widget that asked has been deleted: its callbacks are dropped."""
        return self.parent is None or shiboken6.isValid(self.parent)

    @abstractmethod
    def call(self, tasks: TaskManager) -> T:
        """The blocking work, on a worker thread."""


@dataclass(kw_only=True)
class CallOp(_BaseOp[T]):
    """Blocking work without a session (starting the embedded server, logging in)."""

    fn: Callable[[], T]

    def call(self, tasks: TaskManager) -> T:
        return self.fn()

    def run(self) -> None:
        self.tasks.submit(self, mutation=False)


@dataclass(kw_only=True)
class QueryOp(_BaseOp[T]):
    """A read: ``op(session)`` on a worker thread, its result to ``success``."""

    op: Callable[[Session], T]

    def call(self, tasks: TaskManager) -> T:
        with tasks.session() as session, session.begin():
            return self.op(session)

    def run(self) -> None:
        self.tasks.submit(self, mutation=False)


@dataclass(kw_only=True)
class MutationOp(_BaseOp[T]):
    """A write: ``op(session)`` in one transaction, committed before ``success`` runs;
    the ``ChangeSet`` it returns (alone or in a tuple) becomes ``sig_data_changed``."""

    op: Callable[[Session], T]

    def call(self, tasks: TaskManager) -> T:
        with tasks.session() as session, session.begin():
            return self.op(session)

    def run(self) -> None:
        self.tasks.submit(self, mutation=True)


def _drop_frame_locals(error: BaseException) -> None:
    """Keep the traceback's lines but not its frames' locals (the op among them)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _change_set_of(result: object) -> ChangeSet | None:
    if isinstance(result, ChangeSet):
        return result
    if isinstance(result, tuple):
        for item in result:
            if isinstance(item, ChangeSet):
                return item
    return None
