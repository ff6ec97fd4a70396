"""A logged-in seat: who it is, where its database is, its task manager, reference data
(kept current by ``ui.reference.ReferenceStore``).

``start_database`` and ``log_in`` are blocking functions: the login dialog runs them
through ``ui.tasks.CallOp`` on a worker thread, and tests may call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from seatdesk.config import Settings, load_settings
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, session_factory, translated_errors
from seatdesk.db.reporting import ReportingRouter
from seatdesk.db.server import require_current_schema, server_address
from seatdesk.domain.glossary import Role
from seatdesk.services.common import Actor, centre_name, current_actor, require_desk_user
from ui.reference import ReferenceData, ReferenceStore, load_reference
from ui.tasks import TaskManager

__all__ = ["Desk", "Login", "ReferenceData", "log_in", "open_desk", "start_database"]


@dataclass(frozen=True, slots=True)
class Login:
    """The outcome of a successful login, before any widget exists."""

    address: ServerAddress
    engine: Engine
    actor: Actor
    reference: ReferenceData
    #: The centre's name from the database, else from the settings (None: unnamed).
    centre_name: str | None = None


@dataclass(frozen=True, slots=True)
class Desk:
    """What every panel of one logged-in window shares. Not a global: two windows
    logged in as two seats (as in the tests) each have their own."""

    address: ServerAddress
    actor: Actor
    reference_store: ReferenceStore
    tasks: TaskManager
    #: The centre's name for the database (``Login.centre_name``).
    centre_name: str | None = None

    @property
    def reference(self) -> ReferenceData:
        """The departments and categories as the database last said (re-read when an
        administrator changes them: ``reference_store.sig_changed``)."""
        return self.reference_store.data

    def has(self, role: Role) -> bool:
        return role in self.actor.roles


def start_database(settings: Settings | None = None) -> ServerAddress:
    """The owner's address, the embedded server started and its schema upgraded.

    A seat user never migrates; the embedded server's owner secret is local, so the app
    upgrades that database itself, as the core decided. A shared server is left alone
    (``log_in`` checks its revision and says which command to run).
    """
    address = server_address(settings or load_settings())
    if address.embedded:
        engine = connect(address, pool_size=1)
        try:
            with translated_errors(address):
                migrate.upgrade(engine)
        finally:
            engine.dispose()
    return address


def log_in(owner_address: ServerAddress, login: str, password: str) -> Login:
    """Connect as the seat's own PostgreSQL role: the database checks the password.

    Raises ``ConnectionProblem`` (wrong password, disabled account, no server),
    ``NotASeatUser``, ``NotADeskUser`` (an intake login) or ``Problem('schema_old')``
    with one sentence each.
    """
    address = owner_address.for_login(login.strip(), password)
    engine = connect(address)
    try:
        with translated_errors(address):
            if not address.embedded:
                require_current_schema(address, engine)
            with session_factory(engine).begin() as session:
                require_desk_user(session)
                actor = current_actor(session)
                reference = load_reference(session)
                centre = centre_name(session)
    except BaseException:
        engine.dispose()
        raise
    return Login(
        address=address,
        engine=engine,
        actor=actor,
        reference=reference,
        centre_name=centre or load_settings().centre_name,
    )


def open_desk(login: Login) -> Desk:
    """The desk of a successful login (GUI thread: it creates the task manager)."""
    tasks = TaskManager()
    settings = load_settings()
    # Statistics, exports and reports read the replica when the centre has one (the
    # router falls back to the primary by itself); everything else reads the primary.
    reporting = (
        ReportingRouter.from_settings(settings, login.engine, login.address)
        if settings.reporting_url and not login.address.embedded
        else None
    )
    tasks.set_database(login.address, login.engine, reporting)
    return Desk(
        address=login.address,
        actor=login.actor,
        reference_store=ReferenceStore(tasks, login.reference, parent=tasks),
        tasks=tasks,
        centre_name=login.centre_name,
    )
