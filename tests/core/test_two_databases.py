"""Two seatdesk databases on one server (two counties, or a training copy beside
production) share no group roles and no logins: a user of one cannot connect to the
other, and the second one's demo leaves the first one's accounts alone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult, run_demo
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem
from seatdesk.services import users
from tests.conftest import _roles_of, quote_ident

PASSWORD = "Second-db-9!"


@pytest.fixture(scope="module")
def second(server: ServerAddress, seeded: DemoResult) -> Iterator[ServerAddress]:
    name = f"seatdesk_second_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    address = ServerAddress(url=server.url.set(database=name), embedded=server.embedded)
    try:
        engine = connect(address)
        migrate.upgrade(engine)
        with session_factory(engine).begin() as s:
            result = run_demo(s, seed=3, cases=20, reset=True)
            users.add_user(s, login=f"second_{name[-6:]}", password=PASSWORD,
                           roles=[Role.ACCEPTOR], display_name="培训受理员")
        engine.dispose()
        assert "acceptor1" in result.kept and "acceptor1" not in result.passwords
        yield address
    finally:
        roles = _roles_of(address)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in roles:
                if role not in seeded.passwords:
                    conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
        admin.dispose()


def _login_of(address: ServerAddress) -> str:
    return f"second_{address.url.database[-6:]}"  # type: ignore[index]


def test_a_user_of_one_database_cannot_connect_to_the_other(
    server: ServerAddress, second: ServerAddress, seeded: DemoResult
) -> None:
    login = _login_of(second)
    connect(second.for_login(login, PASSWORD)).dispose()
    with pytest.raises(ConnectionProblem):
        connect(server.for_login(login, PASSWORD))
    with pytest.raises(ConnectionProblem):
        connect(second.for_login("acceptor1", seeded.passwords["acceptor1"]))


def test_the_second_demo_left_the_first_databases_accounts_alone(
    server: ServerAddress, second: ServerAddress, seeded: DemoResult
) -> None:
    engine = connect(server.for_login("acceptor1", seeded.passwords["acceptor1"]))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == "acceptor1"
    finally:
        engine.dispose()


def test_the_two_databases_have_groups_of_their_own(
    server: ServerAddress, second: ServerAddress
) -> None:
    names = []
    for address in (server, second):
        engine = connect(address)
        with engine.connect() as conn:
            names.append(conn.execute(text("SELECT seatdesk_group('acceptor')")).scalar())
            owner = conn.execute(text("SELECT owner_role FROM database_roles")).scalar()
            superuser = conn.execute(
                text("SELECT rolsuper OR rolcanlogin FROM pg_roles WHERE rolname = :o"),
                {"o": owner},
            ).scalar()
            assert superuser is False  # the owner of it all logs in to nothing
            owners = conn.execute(text(
                "SELECT count(DISTINCT relowner) FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')"
            )).scalar()
            assert owners == 1
        engine.dispose()
    assert names[0] != names[1]


def test_a_migrating_login_that_is_no_superuser_installs_seatdesk(
    server: ServerAddress, seeded: DemoResult
) -> None:
    """A shared server's administrator gives seatdesk a login with CREATEROLE and a
    database it owns, never a superuser: the upgrade, the owner hand-over and the user
    functions all work with that, and the functions run as the NOLOGIN owner."""
    suffix = uuid.uuid4().hex[:6]
    dba, name, password = f"dba_{suffix}", f"seatdesk_dba_{suffix}", "Dba-login-7!"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {dba} LOGIN CREATEROLE PASSWORD '{password}'"))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {dba}'))
    address = ServerAddress(url=server.url.set(database=name, username=dba, password=password),
                            embedded=server.embedded)
    roles: list[str] = []
    try:
        engine = connect(address)
        migrate.upgrade(engine)
        with session_factory(engine).begin() as s:
            users.add_user(s, login=f"acc_{suffix}", password=PASSWORD,
                           roles=[Role.ACCEPTOR], display_name="受理员")
        with engine.connect() as conn:
            owner = conn.execute(text("SELECT owner_role FROM database_roles")).scalar()
            definer = conn.execute(text(
                "SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc "
                "WHERE proname = 'seatdesk_case_act'")).scalar()
            assert definer == owner
        engine.dispose()
        seat = connect(address.for_login(f"acc_{suffix}", PASSWORD))
        with seat.connect() as conn:
            assert conn.execute(text("SELECT seatdesk_group('acceptor')")).scalar()
        seat.dispose()
        roles = _roles_of(address)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in [*roles, dba]:
                conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
        admin.dispose()
