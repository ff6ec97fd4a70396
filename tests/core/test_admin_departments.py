"""Departments kept by the admin (migration 0029), and the last admin kept: through the
service, and refused over raw SQL as seat logins."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, CaseEventAction, Role, State
from seatdesk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from seatdesk.services import departments, users
from tests.core.conftest import DEPARTMENT, LOGIN, Desk

STRONG = "Str0ng-Passw0rd!"
ADMIN = LOGIN[Role.ADMIN]


def _events(desk: Desk, code: str) -> list[str]:
    return list(desk.session.execute(text(
        "SELECT action FROM department_events WHERE department = :c ORDER BY id"
    ), {"c": code}).scalars())


def test_add_rename_deactivate_reactivate_are_audited(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        changes = departments.add(s, code="LH01", name=" 绿化处 ", contact="0571-1")
        assert changes.entities == {"departments"}
        departments.rename(s, code="LH01", name="园林绿化处")
        departments.set_active(s, code="LH01", active=False)
        departments.set_active(s, code="LH01", active=True)
        row = next(d for d in departments.list_departments(s) if d.code == "LH01")
        log = departments.audit_log(s, department="LH01")
    assert (row.name, row.active, row.contact) == ("园林绿化处", True, "0571-1")
    assert _events(desk, "LH01") == ["added", "renamed", "deactivated", "reactivated"]
    assert [e.actor for e in log] == [LOGIN[Role.ADMIN]] * 4
    assert log[2].detail == {"from": "绿化处", "to": "园林绿化处"}


def test_bad_input_is_named_and_nothing_written(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        with pytest.raises(ValidationError) as err:
            departments.add(s, code="bad code!", name="x")
        assert (err.value.field, err.value.problem) == ("code", "bad_code")
        with pytest.raises(ValidationError) as err:
            departments.add(s, code=DEPARTMENT, name="x")
        assert (err.value.field, err.value.problem) == ("code", "exists")
        with pytest.raises(ValidationError) as err:
            departments.add(s, code="NEW1", name="  ")
        assert (err.value.field, err.value.problem) == ("name", "required")
        with pytest.raises(NotFound):
            departments.rename(s, code="NOPE", name="x")
        with pytest.raises(ValidationError) as err:
            departments.merge(s, source=DEPARTMENT, target=DEPARTMENT)
        assert err.value.problem == "same_department"
    assert desk.scalar("SELECT count(*) FROM departments WHERE code = 'NEW1'") == 0
    assert str(err.value)  # one sentence


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ADMIN, Role.INTAKE)])
def test_only_the_admin_changes_departments(desk: Desk, role: Role) -> None:
    with desk.as_(role) as s, pytest.raises(PermissionDenied):
        departments.add(s, code="X1", name="x")


def test_seats_are_refused_the_direct_writes_over_raw_sql(
    server: ServerAddress, seeded: DemoResult
) -> None:
    for login in (LOGIN[Role.DISPATCHER], LOGIN[Role.DEPARTMENT], LOGIN[Role.ADMIN]):
        engine = connect(server.for_login(login, seeded.passwords[login]))
        try:
            for sql in (
                "UPDATE departments SET active = false WHERE code = 'SZ'",
                "INSERT INTO departments (code, name) VALUES ('Z9', 'z')",
                "INSERT INTO department_events (at, actor, action, department) "
                "VALUES (now(), 'x', 'added', 'SZ')",
                "UPDATE cases SET current_department = 'SZ' WHERE id = 1",
            ):
                with engine.connect() as conn, pytest.raises(DBAPIError) as err:
                    conn.execute(text(sql))
                assert err.value.orig.pgcode == "42501", sql  # type: ignore[union-attr]
            if login != LOGIN[Role.ADMIN]:
                with engine.connect() as conn, pytest.raises(DBAPIError) as err:
                    conn.execute(text("SELECT seatdesk_set_department_active('SZ', false)"))
                assert err.value.orig.pgcode == "42501"  # type: ignore[union-attr]
        finally:
            engine.dispose()


def test_a_deactivated_department_is_refused_by_dispatch_and_keeps_its_cases(
    desk: Desk,
) -> None:
    open_case = desk.case_in(State.DISPATCHED)
    registered = desk.case_in(State.REGISTERED)
    with desk.as_(Role.ADMIN) as s:
        departments.set_active(s, code=DEPARTMENT, active=False)
    with pytest.raises(ValidationError) as err:
        desk.perform(Role.DISPATCHER, Action.DISPATCH, registered)
    assert err.value.field == "department"
    assert desk.state(registered) == State.REGISTERED
    assert desk.scalar("SELECT current_department FROM cases WHERE id = :i",
                       i=open_case) == DEPARTMENT
    # The database refuses it whoever writes (the trigger behind the function).
    with pytest.raises(DBAPIError) as raw, desk.session.begin_nested():
        desk.session.execute(text("UPDATE cases SET current_department = :d WHERE id = :i"),
                             {"d": DEPARTMENT, "i": registered})
    assert raw.value.orig.pgcode == "SD422"  # type: ignore[union-attr]


def test_merge_moves_open_cases_and_keeps_the_trail(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        departments.add(s, code="NEWSZ", name="市政新处")
    open_case = desk.case_in(State.HANDLING)
    closed = desk.case_in(State.CLOSED)
    version = desk.version(open_case)
    trail_before = desk.scalar("SELECT count(*) FROM case_events WHERE case_id = :i",
                               i=closed)
    with desk.as_(Role.ADMIN) as s:
        changes = departments.merge(s, source=DEPARTMENT, target="NEWSZ")
    assert "cases" in changes.entities and "departments" in changes.entities
    row = desk.session.execute(text(
        "SELECT current_department, state, version FROM cases WHERE id = :i"),
        {"i": open_case}).one()
    assert (row.current_department, row.state, row.version) == (
        "NEWSZ", State.HANDLING.value, version + 1)
    assert desk.scalar("SELECT current_department FROM cases WHERE id = :i",
                       i=closed) != "NEWSZ"
    assert desk.scalar("SELECT count(*) FROM case_events WHERE case_id = :i",
                       i=closed) == trail_before
    steps = desk.session.execute(text(
        "SELECT action, from_state, to_state, data FROM case_events WHERE case_id = :i "
        "ORDER BY id"), {"i": open_case}).all()
    assert steps[-1].action == CaseEventAction.DEPARTMENT_MERGED
    assert steps[-1].data == {"from": DEPARTMENT, "to": "NEWSZ"}
    # Earlier events still name the old department: history is kept.
    assert any((s.data or {}).get("department") == DEPARTMENT for s in steps)
    assert workflow.replay(
        (s.action, State(s.from_state) if s.from_state else None, State(s.to_state))
        for s in steps) == State.HANDLING
    active = desk.scalar("SELECT active FROM departments WHERE code = :c", c=DEPARTMENT)
    assert active is False
    assert desk.scalar("SELECT department_code FROM users WHERE login = :l",
                       l=LOGIN[Role.DEPARTMENT]) == "NEWSZ"
    assert desk.scalar("SELECT count(*) FROM cases WHERE current_department = :c AND state "
                       "NOT IN ('closed','voided','rejected','merged')", c=DEPARTMENT) == 0
    merged = departments.audit_log(desk.session, department=DEPARTMENT)[0]
    assert merged.detail["into"] == "NEWSZ" and merged.detail["open_cases"] >= 1
    # The department counters: the handling goes on as the target's, in what the
    # triggers kept and in the replay of the events alike (0036).
    kept = desk.scalar("SELECT department FROM case_handlings WHERE case_id = :i "
                       "AND is_current", i=open_case)
    replayed = desk.scalar("SELECT department FROM seatdesk_case_handlings_from_events() "
                           "WHERE case_id = :i AND is_current", i=open_case)
    assert kept == replayed == "NEWSZ"
    # The target's seat works the moved case.
    desk.perform(LOGIN[Role.DEPARTMENT], Action.REPORT_DONE, open_case)
    assert desk.state(open_case) == State.HANDLED


def test_merge_into_an_inactive_department_is_refused(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        departments.add(s, code="OLD1", name="旧处")
        departments.set_active(s, code="OLD1", active=False)
        with pytest.raises(ValidationError) as err:
            departments.merge(s, source=DEPARTMENT, target="OLD1")
    assert (err.value.field, err.value.problem) == ("target", "inactive")


def test_a_trail_with_a_merge_event_out_of_place_does_not_replay() -> None:
    with pytest.raises(InvalidTransition):
        workflow.replay([("create", None, State.REPORTED),
                         (CaseEventAction.DEPARTMENT_MERGED, State.REPORTED, State.CLOSED)])


# ---- The last admin, and nobody disables themselves


def test_nobody_disables_themselves(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s, pytest.raises(ValidationError) as err:
        users.set_active(s, login=LOGIN[Role.ADMIN], active=False)
    assert err.value.problem == "self"


def test_the_last_admin_is_kept(desk: Desk) -> None:
    other = "admin_other_t"
    with desk.as_(Role.ADMIN) as s:
        users.add_user(s, login=other, password=STRONG, roles=[Role.ADMIN])
        # Every other admin but admin1 and the new one disabled: two remain.
        for login in s.execute(text(
            "SELECT login FROM users WHERE active AND 'admin' = ANY (roles) "
            "AND login NOT IN (:a, :b)"), {"a": LOGIN[Role.ADMIN], "b": other}).scalars():
            users.set_active(s, login=login, active=False)
    with desk.as_(other) as s:
        users.set_active(s, login=LOGIN[Role.ADMIN], active=False)
        assert desk.scalar("SELECT active FROM users WHERE login = :l",
                           l=LOGIN[Role.ADMIN]) is False
    # Now ``other`` is the last: the owner's side (the command line) cannot remove it.
    with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
        desk.session.execute(text("SELECT seatdesk_set_active(:l, false)"), {"l": other})
    assert err.value.orig.diag.constraint_name == "last_admin"  # type: ignore[union-attr]
    with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
        desk.session.execute(text("SELECT seatdesk_set_roles(:l, ARRAY['acceptor'], NULL)"),
                             {"l": other})
    assert err.value.orig.diag.constraint_name == "last_admin"  # type: ignore[union-attr]
    assert desk.scalar("SELECT active AND 'admin' = ANY (roles) FROM users WHERE login = :l",
                       l=other) is True


def test_self_disable_and_merge_refused_over_the_admins_own_login(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = connect(server.for_login(ADMIN, seeded.passwords[ADMIN]))
    try:
        for sql, rule in (
            (f"SELECT seatdesk_set_active('{ADMIN}', false)", "self"),
            (f"SELECT seatdesk_set_roles('{ADMIN}', ARRAY['acceptor'], NULL)", "self"),
        ):
            with engine.connect() as conn, pytest.raises(DBAPIError) as err:
                conn.execute(text(sql))
            assert err.value.orig.diag.constraint_name == rule  # type: ignore[union-attr]
        with engine.connect() as conn, pytest.raises(DBAPIError) as err:
            conn.execute(text("SELECT seatdesk_merge_departments('SZ', 'SZ')"))
        assert err.value.orig.pgcode == "SD422"  # type: ignore[union-attr]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT active FROM users WHERE login = :l"),
                                {"l": ADMIN}).scalar() is True
    finally:
        engine.dispose()


def test_the_last_admin_error_is_one_sentence() -> None:
    error = ValidationError("login", "last_admin")
    assert "administrator" in str(error) or "管理员" in str(error)


def test_a_dispatch_racing_a_deactivation_waits_and_is_refused(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    """Committed work on two connections: the deactivation holds the department's row;
    a case put into it meanwhile waits, then is refused once the deactivation commits."""
    code = f"R{uuid.uuid4().hex[:6].upper()}"
    admin = connect(server.for_login(ADMIN, seeded.passwords[ADMIN]))
    try:
        with session_factory(admin).begin() as s:
            departments.add(s, code=code, name="并发测试处")
        case_id = _scalar(owner_engine, "SELECT id FROM cases WHERE current_department IS NULL "
                                        "ORDER BY id LIMIT 1")
        deactivating = admin.connect()
        tx = deactivating.begin()
        deactivating.execute(text("SELECT seatdesk_set_department_active(:c, false)"),
                             {"c": code})
        outcome: list[str] = []

        def dispatch() -> None:
            with owner_engine.connect() as conn, conn.begin() as t:
                try:
                    conn.execute(text("UPDATE cases SET current_department = :c WHERE id = :i"),
                                 {"c": code, "i": case_id})
                    outcome.append("dispatched")
                except DBAPIError as exc:
                    outcome.append(str(exc.orig.pgcode))  # type: ignore[union-attr]
                t.rollback()

        thread = threading.Thread(target=dispatch)
        thread.start()
        time.sleep(0.5)
        assert outcome == []  # waiting for the deactivation
        tx.commit()
        deactivating.close()
        thread.join(30)
        assert outcome == ["SD422"]
    finally:
        admin.dispose()


def _scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()
