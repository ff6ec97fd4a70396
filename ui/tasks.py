"""Every blocking call of the UI goes through this module.

An op is a plain function that runs on a worker thread with its own session (one
transaction, committed when the op returns, rolled back when it raises). Its result
comes back to the GUI thread through one signal bridge and is handed to ``success``;
an error goes to ``failure``, or, when the caller gave none, to the task manager's
``sig_error`` so that one place (the main window) shows it. Mutations run one at a time,
in the order they were asked for. Every op hands the manager an ``OpResult``: its value
and, as a typed field, the ``ChangeSet`` it made, which the manager re-emits as the
desk-wide ``sig_data_changed(changes, initiator)``.

Long work (imports, exports, reports) is a ``LongOp``: a core function taking a
``seatdesk.progress.Progress``, run on a worker thread while a progress dialog, modal
to the panel that asked, shows how far it is; its Cancel button makes ``cancelled()``
true, the core function raises ``Cancelled`` and its transaction rolls back.

An op never touches a widget: read widget values on the GUI thread first, and let the
op close over plain values.

    QueryOp(desk.tasks, parent=self, op=lambda s: queues.queue(s, q),
            success=self._on_page).run()
    MutationOp(desk.tasks, parent=self, op=lambda s: cases.register(s, ...),
               success=self._on_done, failure=self._on_failed).run()
    CommittingOp(desk.tasks, parent=self,
                 op=lambda begin: complaints.reveal_contacts_committed(begin, ids, why),
                 success=self._on_revealed).run()
    LongOp(desk.tasks, parent=self, title=self.tr("Exporting…"),
           op=lambda s, progress: exports.export_queue(s, q, path, progress),
           success=self._on_exported).run()
"""

from __future__ import annotations

import itertools
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatdesk.db.engine import ServerAddress, session_factory, translated_errors
from seatdesk.db.reporting import ReportingRouter, Route, Workload
from seatdesk.errors import ConnectionProblem
from seatdesk.progress import Cancelled, Progress
from seatdesk.services.common import ChangeSet
from ui.progress_dialog import DialogProgress

T = TypeVar("T")

#: The entity a reconnect announces: anything may have changed meanwhile.
RECONNECTED = "reconnected"


@dataclass(frozen=True, slots=True)
class OpResult(Generic[T]):
    """What an op hands back to the GUI thread: its value, and what it changed."""

    value: T
    changes: ChangeSet = field(default_factory=ChangeSet)


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

    sig_reporting = Signal(bool, str)
    """Where the heavy readers now read changed: (on the replica, the sentence why)."""

    _sig_done = Signal(int, object, object)  # ticket, result, error: worker → GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._address: ServerAddress | None = None
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._reporting: ReportingRouter | None = None
        self._queries = QThreadPool(self)
        self._queries.setMaxThreadCount(3)
        # One thread: mutations commit in the order the person asked for them.
        self._mutations = QThreadPool(self)
        self._mutations.setMaxThreadCount(1)
        self._pending: dict[int, _Pending] = {}
        self._tickets = itertools.count(1)
        self._sig_done.connect(self._on_done)

    # ---- Public API

    def set_database(
        self, address: ServerAddress, engine: Engine, reporting: ReportingRouter | None = None
    ) -> None:
        """Ops from now on use this seat's engine (set once, after the login); the heavy
        readers (an op with a ``workload``) ask ``reporting`` which server to read."""
        self._address = address
        self._engine = engine
        self._sessions = session_factory(engine)
        self.set_reporting(reporting)

    def set_reporting(self, reporting: ReportingRouter | None) -> None:
        """The heavy readers ask ``reporting`` from now on (None: they read the primary);
        its changes of route become ``sig_reporting``."""
        if self._reporting is not None and self._reporting is not reporting:
            self._reporting.dispose()
        self._reporting = reporting
        if reporting is not None:
            reporting.on_change = self._on_route_changed

    @property
    def engine(self) -> Engine | None:
        """The seat's engine on the primary (None before the login)."""
        return self._engine

    @property
    def reporting(self) -> ReportingRouter | None:
        return self._reporting

    @property
    def address(self) -> ServerAddress | None:
        return self._address

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, op: _BaseOp[Any], *, mutation: bool) -> None:
        ticket = next(self._tickets)
        self._pending[ticket] = _Pending(op)
        job = _Job(self, ticket, op.outcome, self._address)
        (self._mutations if mutation else self._queries).start(job)
        self.sig_busy.emit(len(self._pending))

    def session(self) -> Session:
        """A new session for a worker thread (never call from the GUI thread)."""
        if self._sessions is None:
            raise RuntimeError("no database yet: the op needs a logged-in desk")
        return self._sessions()

    def read(self, workload: Workload | None, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` in one transaction (worker thread): a heavy reader's on the
        server the reporting router picks, falling back to the primary when the replica
        fails midway; anything else on the primary."""
        if workload is None or self._reporting is None:
            with self.session() as session, session.begin():
                return fn(session)
        return self._reporting.read(workload, fn)

    def begin(self) -> AbstractContextManager[Session]:
        """A new transaction on a new session, committed when its block ends without an
        error (worker thread only)."""
        if self._sessions is None:
            raise RuntimeError("no database yet: the op needs a logged-in desk")
        return self._sessions.begin()

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Let running ops finish, drop their results, and close the connections."""
        self._queries.clear()
        self._mutations.clear()
        self._queries.waitForDone(timeout_ms)
        self._mutations.waitForDone(timeout_ms)
        # Only now: ``_pending`` keeps each op (and the widget it names) alive until its
        # job is done, so that no Qt object is ever released on a worker thread.
        self._pending.clear()
        if self._reporting is not None:
            self._reporting.dispose()
        if self._engine is not None:
            self._engine.dispose()

    # ---- Private slots

    def _on_route_changed(self, route: Route) -> None:
        # On the worker thread that asked: the signal crosses to the GUI thread queued.
        reporting = self._reporting
        if reporting is not None and shiboken6.isValid(self):
            self.sig_reporting.emit(route.on_replica, reporting.note(route))

    @Slot(int, object, object)
    def _on_done(self, ticket: int, result: object, error: object) -> None:
        pending = self._pending.pop(ticket, None)
        self.sig_busy.emit(len(self._pending))
        if pending is None:  # shut down meanwhile
            return
        op = pending.op
        if isinstance(error, ConnectionProblem):
            self.sig_connection.emit(False, str(error))
        op.finished()
        if not op.alive():
            return
        if isinstance(error, BaseException):
            if not op.fail(error):
                self.sig_error.emit(error)
            return
        assert isinstance(result, OpResult), "a job posts an OpResult or an error"
        op.success(result.value)
        if result.changes.case_ids or result.changes.entities:
            self.sig_data_changed.emit(result.changes, op.parent)


@dataclass
class _Pending:
    op: _BaseOp[Any]


class _Job(QRunnable):
    """Runs one op on a pool thread and posts its outcome to the bridge."""

    def __init__(
        self,
        manager: TaskManager,
        ticket: int,
        call: Callable[[TaskManager], OpResult[Any]] | None,
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
        result: OpResult[Any] | None = None
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

    def outcome(self, tasks: TaskManager) -> OpResult[T]:
        """The work and what it changed (worker thread); reads change nothing."""
        return OpResult(self.call(tasks))

    def finished(self) -> None:
        """The work is over, whatever its outcome (GUI thread, before the callbacks)."""

    def fail(self, error: BaseException) -> bool:
        """Hand ``error`` to ``failure``; False leaves it to the manager's ``sig_error``."""
        if self.failure is None:
            return False
        self.failure(error)
        return True


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
    """A read: ``op(session)`` on a worker thread, its result to ``success``. A heavy
    read names its ``workload``: it may then read the streaming replica
    (``seatdesk.db.reporting``)."""

    op: Callable[[Session], T]
    workload: Workload | None = None

    def call(self, tasks: TaskManager) -> T:
        return tasks.read(self.workload, self.op)

    def run(self) -> None:
        self.tasks.submit(self, mutation=False)


def service_changes(result: object) -> ChangeSet:
    """The ``ChangeSet`` of a mutation service's result, by the services' convention:
    the ChangeSet itself, or the last item of a ``(value, ChangeSet)`` tuple. The one
    place that looks inside an untyped result; an op that knows its type says so with
    ``changes=``."""
    if isinstance(result, ChangeSet):
        return result
    if isinstance(result, tuple) and result and isinstance(result[-1], ChangeSet):
        return result[-1]
    return ChangeSet()


def no_changes(result: object) -> ChangeSet:
    """For a long operation that only reads (an export, a report)."""
    del result
    return ChangeSet()


@dataclass(kw_only=True)
class MutationOp(_BaseOp[T]):
    """A write: ``op(session)`` in one transaction, committed before ``success`` runs;
    ``changes(result)`` (by default the services' convention) becomes
    ``sig_data_changed``."""

    op: Callable[[Session], T]
    changes: Callable[[T], ChangeSet] = service_changes

    def call(self, tasks: TaskManager) -> T:
        with tasks.session() as session, session.begin():
            return self.op(session)

    def outcome(self, tasks: TaskManager) -> OpResult[T]:
        value = self.call(tasks)
        return OpResult(value, self.changes(value))

    def run(self) -> None:
        self.tasks.submit(self, mutation=True)


@dataclass(kw_only=True)
class CommittingOp(_BaseOp[T]):
    """Work that commits more than once, with the mutations: ``op(begin)``, where each
    ``with begin() as session`` is a transaction of its own, committed when its block
    ends. A reveal of personal data needs it: the database shows the data only once the
    request's audit has committed (migration 0019)."""

    op: Callable[[Callable[[], AbstractContextManager[Session]]], T]
    changes: Callable[[T], ChangeSet] = no_changes

    def call(self, tasks: TaskManager) -> T:
        return self.op(tasks.begin)

    def outcome(self, tasks: TaskManager) -> OpResult[T]:
        value = self.call(tasks)
        return OpResult(value, self.changes(value))

    def run(self) -> None:
        self.tasks.submit(self, mutation=True)


@dataclass(kw_only=True)
class LongOp(_BaseOp[T]):
    """Long work: ``op(session, progress)`` in one transaction on a worker thread, with a
    progress dialog modal to ``parent``.

    The core function reports through ``progress`` (thread-safe) and raises
    ``seatdesk.progress.Cancelled`` when ``progress.cancelled()`` turns true (the Cancel
    button); its transaction then rolls back and ``cancelled`` runs instead of
    ``failure``. ``writes=True`` runs it with the mutations, one at a time and in order,
    and announces ``changes(result)``. A read-only one (``writes=False``) that names its
    ``workload`` may read the streaming replica (``seatdesk.db.reporting``).
    """

    op: Callable[[Session, Progress], T]
    title: str
    changes: Callable[[T], ChangeSet] = no_changes
    writes: bool = False
    workload: Workload | None = None
    cancelled: Callable[[], None] = lambda: None
    # The dialog appears once the work has lasted this long (no flash for quick work).
    show_after_ms: int = 400
    progress: DialogProgress | None = field(default=None, init=False)

    def call(self, tasks: TaskManager) -> T:
        assert self.progress is not None, "run() makes the progress before the job starts"
        # Work that writes reads and writes the primary, whatever it names.
        workload = None if self.writes else self.workload
        progress = self.progress
        return tasks.read(workload, lambda session: self.op(session, progress))

    def outcome(self, tasks: TaskManager) -> OpResult[T]:
        value = self.call(tasks)
        return OpResult(value, self.changes(value))

    def run(self) -> None:
        """Show the dialog (GUI thread) and start the work."""
        parent = self.parent if isinstance(self.parent, QWidget) else None
        self.progress = DialogProgress(self.title, parent, self.show_after_ms)
        self.tasks.submit(self, mutation=self.writes)

    def finished(self) -> None:
        # The dialog goes with its panel: nothing to close when the panel is gone.
        if self.progress is not None and shiboken6.isValid(self.progress):
            self.progress.close()

    def fail(self, error: BaseException) -> bool:
        if isinstance(error, Cancelled):
            self.cancelled()  # the person's choice, not an error to show
            return True
        return super().fail(error)


def _drop_frame_locals(error: BaseException) -> None:
    """Keep the traceback's lines but not its frames' locals (the op among them)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__

