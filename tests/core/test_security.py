"""Security the database enforces on its own: logins, privileges, row-level security and
the append-only audit log. These tests use raw SQL where a hostile client would."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role, State
from seatdesk.errors import ConnectionProblem, PermissionDenied, ValidationError
from seatdesk.services import users
from tests.core.conftest import Desk


def _login(server: ServerAddress, seeded: DemoResult, login: str) -> Engine:
    return connect(server.for_login(login, seeded.passwords[login]))


def _refused(desk: Desk, sql: str, **params: object) -> str:
    """Run ``sql`` in a savepoint and return the database's refusal."""
    with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
        desk.session.execute(text(sql), params)
    return str(err.value.orig)


@pytest.mark.parametrize("who", [None, Role.ACCEPTOR, Role.SHIFT_LEADER, Role.ADMIN])
def test_the_audit_log_refuses_update_delete_and_truncate(desk: Desk, who: Role | None) -> None:
    case_id = desk.new_case()
    statements = [
        "UPDATE case_events SET note = 'forged' WHERE case_id = :i",
        "DELETE FROM case_events WHERE case_id = :i",
        "TRUNCATE case_events",
    ]
    for sql in statements:
        if who is None:  # the owner: refused by the trigger itself
            assert "append-only" in _refused(desk, sql, i=case_id)
        else:
            with desk.as_(who):
                _refused(desk, sql, i=case_id)
    assert desk.scalar("SELECT count(*) FROM case_events WHERE case_id = :i", i=case_id) == 1


def test_the_actor_is_the_login_whatever_the_client_sends(desk: Desk) -> None:
    case_id = desk.new_case()
    with desk.as_(Role.ACCEPTOR) as s:
        _refused(
            desk,
            "INSERT INTO case_events (case_id, action, to_state, actor, at) "
            "VALUES (:i, 'request_verify', 'verifying', 'leader1', '2001-01-01')",
            i=case_id,
        )
        s.execute(text("SELECT seatdesk_case_act(:i, 1, 'request_verify', NULL, "
            """'{"collector": "采集员"}')"""),
                  {"i": case_id})
    actor, year = desk.session.execute(
        text("SELECT actor, extract(year FROM at) FROM case_events WHERE case_id = :i "
             "ORDER BY id DESC LIMIT 1"),
        {"i": case_id},
    ).one()
    assert actor == "acceptor1" and int(year) > 2001


def test_a_department_cannot_read_another_departments_case_with_raw_sql(
    desk: Desk, server: ServerAddress, seeded: DemoResult
) -> None:
    engine = _login(server, seeded, "dept_sz")
    try:
        with engine.connect() as conn:
            departments = conn.execute(
                text("SELECT DISTINCT current_department FROM cases")
            ).scalars().all()
            assert departments == ["SZ"]
            other = desk.scalar(
                "SELECT id FROM cases WHERE current_department = 'HW' LIMIT 1"
            )
            assert other is not None
            assert conn.execute(text("SELECT * FROM cases WHERE id = :i"), {"i": other}).all() == []
            assert conn.execute(
                text("SELECT count(*) FROM case_events WHERE case_id = :i"), {"i": other}
            ).scalar() == 0
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text("UPDATE cases SET description = 'x' WHERE id = :i"),
                             {"i": other})
            conn.rollback()
    finally:
        engine.dispose()


def test_a_department_cannot_hand_its_case_to_another(desk: Desk) -> None:
    case_id = desk.case_in(State.DISPATCHED)
    with desk.as_(Role.DEPARTMENT):
        message = _refused(desk, "UPDATE cases SET current_department = 'HW' WHERE id = :i",
                           i=case_id)
    assert "permission denied" in message


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE sneaky (x int)",
        "ALTER TABLE cases ADD COLUMN sneaky int",
        "DROP TABLE attachments",
        "ALTER TABLE case_events DISABLE TRIGGER case_events_append_only",
        "CREATE SCHEMA sneaky",
    ],
)
def test_only_the_owner_changes_the_schema(desk: Desk, sql: str) -> None:
    for role in Role:
        with desk.as_(role):
            _refused(desk, sql)


def test_privileges_follow_the_seat_roles(
    desk: Desk, server: ServerAddress, seeded: DemoResult
) -> None:
    with desk.as_(Role.INSPECTOR):
        _refused(desk, "UPDATE cases SET description = 'x'")
    with desk.as_(Role.ACCEPTOR):
        _refused(desk, "UPDATE departments SET name = 'x'")
    # The password function decides by the real login (session_user), which SET ROLE
    # on the owner's session does not change: try it as the acceptor's own login.
    engine = _login(server, seeded, "acceptor1")
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as err:
            conn.execute(text("SELECT seatdesk_set_password('leader1', 'Strong-Pass-1')"))
        assert err.value.orig.pgcode == "42501"  # type: ignore[union-attr]
    finally:
        engine.dispose()
    # The admin changes departments through the audited functions only (migration 0029).
    with desk.as_(Role.ADMIN):
        _refused(desk, "UPDATE departments SET contact = 'x' WHERE code = 'SZ'")
    with desk.as_(Role.ADMIN):
        desk.session.execute(text("SELECT seatdesk_rename_department('SZ', '市政处 x')"))


def test_a_wrong_password_is_refused_in_one_sentence(
    server: ServerAddress, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "en")
    with pytest.raises(ConnectionProblem) as err:
        connect(server.for_login("acceptor1", "not-the-password"))
    assert str(err.value) == "User acceptor1 does not exist or the password is wrong."
    with pytest.raises(ConnectionProblem) as err:
        connect(server.for_login("nobody_here", "x"))
    assert err.value.key == "login_failed"


def test_a_dead_server_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    from seatdesk.db.engine import address_from_url

    monkeypatch.setenv("SEATDESK_LANG", "en")
    with pytest.raises(ConnectionProblem) as err:
        connect(address_from_url("postgresql://someone:pw@127.0.0.1:9/seatdesk"))
    assert err.value.key == "db_unreachable"
    assert "not running or refuses connections" in str(err.value)
    assert "\n" not in str(err.value)
    assert "Connection refused" in err.value.detail  # libpq's own words, for the log


def test_a_dead_embedded_server_is_named_without_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seat never chose the socket folder: it reads 本机数据库, the folder stays in the
    # detail for a tooltip and the log.
    from sqlalchemy.engine import make_url

    from seatdesk.db.engine import ServerAddress

    monkeypatch.setenv("SEATDESK_LANG", "zh")
    dead = ServerAddress(
        url=make_url(f"postgresql+psycopg2://someone@/seatdesk?host={tmp_path}"),
        embedded=True,
    )
    with pytest.raises(ConnectionProblem) as err:
        connect(dead)
    assert str(err.value).startswith("无法连接本机数据库：")
    assert str(tmp_path) not in str(err.value)
    assert str(tmp_path) in err.value.detail


def test_admin_creates_a_user_who_logs_in_then_is_disabled(
    server: ServerAddress, seeded: DemoResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    login = f"u{uuid.uuid4().hex[:10]}"
    admin = _login(server, seeded, "admin1")
    try:
        with session_factory(admin).begin() as s:
            users.add_user(s, login=login, password="First-Pass-1", roles=[Role.DISPATCHER],
                           display_name="新派遣员")
        new = connect(server.for_login(login, "First-Pass-1"))
        with new.connect() as conn:
            assert conn.execute(text("SELECT pg_has_role(seatdesk_group('dispatcher'), 'MEMBER')")
                                ).scalar()
        new.dispose()
        with session_factory(admin).begin() as s:
            users.set_password(s, login=login, password="Second-Pass-2")
        with pytest.raises(ConnectionProblem):
            connect(server.for_login(login, "First-Pass-1"))
        connect(server.for_login(login, "Second-Pass-2")).dispose()
        with session_factory(admin).begin() as s:
            users.set_active(s, login=login, active=False)
        monkeypatch.setenv("SEATDESK_LANG", "en")
        with pytest.raises(ConnectionProblem) as err:
            connect(server.for_login(login, "Second-Pass-2"))
        assert str(err.value) == f"The account {login} is disabled."
    finally:
        admin.dispose()


def test_a_user_changes_their_own_password(
    desk: Desk, server: ServerAddress, seeded: DemoResult
) -> None:
    with desk.as_("monitor1") as s:
        users.set_password(s, login="monitor1", password="A-new-one-9")
    # Not committed: the outer transaction rolls it back, the demo password stays.
    connect(server.for_login("monitor1", seeded.passwords["monitor1"])).dispose()


def test_only_an_admin_manages_users(desk: Desk) -> None:
    with desk.as_(Role.SHIFT_LEADER) as s, pytest.raises(PermissionDenied):
        users.add_user(s, login="someone_new", password="Strong-Pass-1", roles=[Role.ACCEPTOR])
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(PermissionDenied):
        users.set_active(s, login="leader1", active=False)
    with desk.as_(Role.ADMIN) as s:
        with pytest.raises(ValidationError) as err:
            users.add_user(s, login="Bad Name", password="x", roles=[Role.ACCEPTOR])
        assert err.value.field == "login"
        with pytest.raises(ValidationError) as err:
            users.add_user(s, login="acceptor1", password="x", roles=[Role.ACCEPTOR])
        assert err.value.problem == "exists"
        with pytest.raises(ValidationError) as err:
            users.add_user(s, login="dept_new", password="x", roles=[Role.DEPARTMENT])
        assert err.value.field == "department"
