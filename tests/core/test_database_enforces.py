"""Tried as a seat operator with psql would: every seat role logs in for real and tries
raw SQL on cases, events, photos, numbers, the workflow table and the sweep. The only
way anything changes is through the database's own functions, and they check who."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db.calls import call
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.db.workflow_table import action_rows, state_rows, transition_rows
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role, Source, State
from seatdesk.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Problem,
    StaleCase,
    ValidationError,
)
from seatdesk.services import cases, catalogue, users
from seatdesk.services.photos import Photo
from tests.core.conftest import LOGIN, png

SEAT_LOGINS = sorted(LOGIN.values())


@pytest.fixture(scope="module")
def engines(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[str, Engine]]:
    made = {
        login: connect(server.for_login(login, seeded.passwords[login]), pool_size=2)
        for login in SEAT_LOGINS
    }
    yield made
    for engine in made.values():
        engine.dispose()


def _refused(engine: Engine, sql: str, **params: object) -> str:
    with engine.connect() as conn, pytest.raises(DBAPIError) as err:
        conn.execute(text(sql), params)
    return str(err.value.orig)


def _scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.begin() as conn:
        return conn.execute(text(sql), params).scalar()


def _open_case(engine: Engine) -> cases.CaseId:
    with session_factory(engine).begin() as s:
        cat = next(c for c in catalogue.minor_categories(s) if c.code == "0102")
        cond = catalogue.filing_conditions(s, cat.id)[0]
        case_id, _ = cases.create_case(
            s,
            cases.NewCase(source=Source.COLLECTOR, category_id=cat.id,
                          filing_condition_id=cond.id, description="数据库自守测试",
                          address="鳌江镇江口社区"),
            [Photo(png(), "a.png")],
        )
    return case_id


@pytest.mark.parametrize("login", SEAT_LOGINS)
def test_no_seat_writes_a_case_an_event_or_a_photo_with_raw_sql(
    engines: dict[str, Engine], owner_engine: Engine, login: str
) -> None:
    engine = engines[login]
    case_id = _scalar(
        owner_engine, "SELECT id FROM cases WHERE current_department = 'SZ' "
        "AND state = 'dispatched' ORDER BY id LIMIT 1"
    )
    before = _scalar(owner_engine, "SELECT row_to_json(c)::text FROM cases c WHERE id = :i",
                     i=case_id)
    events = _scalar(owner_engine, "SELECT count(*) FROM case_events")
    for sql in (
        "UPDATE cases SET state = 'closed' WHERE id = :i",
        "UPDATE cases SET stage_deadline = now() + interval '1 year', "
        "deadline_status = 'normal' WHERE id = :i",
        "UPDATE cases SET version = version + 1, current_department = 'HW' WHERE id = :i",
        "DELETE FROM cases WHERE id = :i",
        "INSERT INTO cases (number, source, case_type, category_id, state) "
        "SELECT '20269999999', 'collector', 'event', category_id, 'closed' FROM cases "
        "WHERE id = :i",
        "INSERT INTO case_events (case_id, action, from_state, to_state) "
        "VALUES (:i, 'close', 'check_passed', 'closed')",
        "INSERT INTO case_events (id, case_id, action, to_state) "
        "VALUES (999999999, :i, 'urge', 'dispatched')",
        "INSERT INTO attachments (case_id, step, content_type, size, data) "
        "VALUES (:i, 'report', 'image/png', 1, '\\x00')",
        "DELETE FROM attachments WHERE case_id = :i",
        "UPDATE case_number_counters SET last = last + 1000",
        "SELECT seatdesk_next_case_number(now())",
        "UPDATE workflow_transitions SET roles = ARRAY['acceptor'] WHERE action = 'close'",
        "SELECT seatdesk_sweep_deadlines_at(now() - interval '1 year')",
        "SELECT seatdesk_store_photos(:i, 'report', 'x', ARRAY['a'], ARRAY['\\x00'::bytea], "
        "ARRAY[NULL::bytea], ARRAY[NULL::timestamptz])",
    ):
        message = _refused(engine, sql, i=case_id)
        assert any(
            words in message for words in ("permission denied", "non-DEFAULT value")
        ), (sql, message)
    after = _scalar(owner_engine, "SELECT row_to_json(c)::text FROM cases c WHERE id = :i",
                    i=case_id)
    assert after == before
    assert _scalar(owner_engine, "SELECT count(*) FROM case_events") == events


def test_a_seat_cannot_pass_for_another_seat(engines: dict[str, Engine]) -> None:
    """The actor is the login that connected: neither SET ROLE to a group nor the GUC the
    tests use (honoured for superusers only) changes who the database says acts."""
    case_id = _open_case(engines["acceptor1"])
    with engines["acceptor1"].begin() as conn:
        conn.execute(text("SET seatdesk.act_as = 'leader1'"))
        group = conn.execute(text("SELECT seatdesk_group('acceptor')")).scalar()
        conn.execute(text(f'SET ROLE "{group}"'))
        conn.execute(text("SELECT seatdesk_case_act(:i, 1, 'request_verify', NULL, "
            """'{"collector": "采集员"}')"""),
                     {"i": case_id})
    actors = _scalar(engines["acceptor1"], "SELECT string_agg(actor, ',' ORDER BY id) "
                     "FROM case_events WHERE case_id = :i", i=case_id)
    assert actors == "acceptor1,acceptor1"
    with session_factory(engines["acceptor1"]).begin() as s:
        s.execute(text("SET seatdesk.act_as = 'leader1'"))
        with pytest.raises(PermissionDenied):
            cases.void(s, case_id=case_id, expected_version=2, note="不是值班长")


def test_a_department_acts_only_through_its_own_actions_on_its_own_cases(
    engines: dict[str, Engine], owner_engine: Engine
) -> None:
    dept = engines["dept_sz"]
    own = int(_scalar(owner_engine, "SELECT id FROM cases WHERE current_department = 'SZ' "
                      "AND state = 'handling' ORDER BY id LIMIT 1"))
    other = int(_scalar(owner_engine, "SELECT id FROM cases WHERE current_department = 'HW' "
                        "AND state = 'handling' ORDER BY id LIMIT 1"))
    version = int(_scalar(owner_engine, "SELECT version FROM cases WHERE id = :i", i=own))
    with pytest.raises(NotFound), session_factory(dept).begin() as s:
        cases.report_done(s, case_id=other, expected_version=1, note="替别人办了")
    # Its own case: closing is the shift leader's, never the department's.
    with pytest.raises(InvalidTransition), session_factory(dept).begin() as s:
        cases.close(s, case_id=own, expected_version=version)
    _refused(dept, "UPDATE cases SET deadline_status = 'normal' WHERE id = :i", i=own)


def test_the_database_table_of_the_workflow_equals_pythons(owner_engine: Engine) -> None:
    with owner_engine.connect() as conn:
        transitions = [
            (r[0], r[1], r[2], tuple(sorted(r[3])), r[4])
            for r in conn.execute(text(
                "SELECT from_state, action, next_state, roles, in_queue "
                "FROM workflow_transitions"))
        ]
        states = sorted(tuple(r) for r in conn.execute(
            text("SELECT state, stage, final FROM workflow_states")))
        actions = sorted((*r[:5], tuple(r[5])) for r in conn.execute(
            text("SELECT action, note_required, photo_step, photo_required, photo_setting, "
                 "required_args FROM workflow_actions")))
    assert sorted(transitions, key=lambda r: (r[0] or "", r[1])) == transition_rows()
    assert states == state_rows()
    assert actions == action_rows()


def test_events_carry_only_the_workflows_names_and_ids_from_the_sequence(
    owner_engine: Engine,
) -> None:
    case_id = _scalar(owner_engine, "SELECT min(id) FROM cases")
    with owner_engine.connect() as conn:
        for sql in (
            "INSERT INTO case_events (case_id, action, to_state) VALUES (:i, 'teleport', 'closed')",
            "INSERT INTO case_events (case_id, action, to_state) VALUES (:i, 'urge', 'nowhere')",
            "INSERT INTO case_events (id, case_id, action, to_state) "
            "VALUES (10000000, :i, 'urge', 'closed')",
        ):
            with pytest.raises(DBAPIError), conn.begin():
                conn.execute(text(sql), {"i": case_id})


def test_a_stale_seat_hears_who_changed_the_case(engines: dict[str, Engine]) -> None:
    case_id = _open_case(engines["acceptor1"])
    with session_factory(engines["acceptor1"]).begin() as s:
        cases.request_verify(s, collector="采集员 吴海", case_id=case_id, expected_version=1)
    with pytest.raises(StaleCase) as err, session_factory(engines["acceptor1"]).begin() as s:
        cases.reject(s, case_id=case_id, expected_version=1, reason="duplicate")  # type: ignore[arg-type]
    assert err.value.changed_by == "acceptor1" and err.value.version == 2


def test_two_seats_merging_two_reports_into_each_other_leave_one_open(
    engines: dict[str, Engine], server: ServerAddress, seeded: DemoResult
) -> None:
    a, b = _open_case(engines["acceptor1"]), _open_case(engines["acceptor1"])
    leader = engines["leader1"]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def seat(engine: Engine, case_id: int, original: int) -> None:
        try:
            with session_factory(engine).begin() as s:
                barrier.wait()
                cases.merge(s, case_id=cases.CaseId(case_id), expected_version=1,
                            original_id=cases.CaseId(original))
                time.sleep(0.2)
            results.append("merged")
        except Exception as exc:  # the loser's refusal, whatever its kind
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=seat, args=(engines["acceptor1"], a, b)),
               threading.Thread(target=seat, args=(leader, b, a))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results)[-1] == "merged" and results.count("merged") == 1
    states = _scalar(leader, "SELECT string_agg(state, ',' ORDER BY state) FROM cases "
                     "WHERE id IN (:a, :b)", a=a, b=b)
    assert states == "merged,reported"


def test_an_urge_records_the_state_it_locked(engines: dict[str, Engine]) -> None:
    case_id = _open_case(engines["acceptor1"])
    with session_factory(engines["acceptor1"]).begin() as s:
        cases.reject(s, case_id=case_id, expected_version=1, reason="duplicate")  # type: ignore[arg-type]
    with pytest.raises(InvalidTransition), session_factory(engines["inspector1"]).begin() as s:
        cases.urge(s, case_id=case_id, note="请尽快处置")


def test_the_sweep_cannot_be_stalled_by_a_seat(
    engines: dict[str, Engine], owner_engine: Engine
) -> None:
    """A seat holding the old advisory lock and sitting in an open transaction after its
    own sweep does not stop another seat's sweep from flagging what falls due."""
    case_id = _open_case(engines["acceptor1"])
    holder = engines["dispatcher1"].connect()
    try:
        holder.execute(text("SELECT pg_advisory_lock(1571249897)"))  # 0x5EA75EE9
        holder.execute(text("SELECT seatdesk_sweep_deadlines()"))  # and stays open
        with owner_engine.begin() as conn:  # now it falls due
            conn.execute(text("UPDATE cases SET stage_deadline = now() - interval '1 minute', "
                              "warning_at = now() - interval '2 minutes' WHERE id = :i"),
                         {"i": case_id})
        with engines["leader1"].begin() as conn:
            conn.execute(text("SELECT seatdesk_sweep_deadlines()"))
        status = _scalar(owner_engine, "SELECT deadline_status FROM cases WHERE id = :i",
                         i=case_id)
        assert status == "overdue"
        flags = _scalar(owner_engine, "SELECT string_agg(actor, ',') FROM case_events "
                        "WHERE case_id = :i AND action = 'flag'", i=case_id)
        assert flags == "system"
    finally:
        holder.rollback()
        holder.close()


def test_a_sweep_from_an_old_transaction_never_lowers_a_status(owner_engine: Engine) -> None:
    with owner_engine.begin() as conn:
        case_id = conn.execute(text(
            "SELECT id FROM cases WHERE state = 'handling' ORDER BY id LIMIT 1")).scalar()
        conn.execute(text(
            "UPDATE cases SET warning_at = now() - interval '2 hours', "
            "stage_deadline = now() - interval '1 hour', deadline_status = 'overdue' "
            "WHERE id = :i"), {"i": case_id})
        conn.execute(text("SELECT seatdesk_sweep_deadlines_at(now() - interval '90 minutes')"))
        status = conn.execute(text("SELECT deadline_status FROM cases WHERE id = :i"),
                              {"i": case_id}).scalar()
        assert status == "overdue"
        conn.rollback()


def test_states_and_numbers_are_the_databases(engines: dict[str, Engine]) -> None:
    case_id = _open_case(engines["acceptor1"])
    number, state, version = (
        engines["acceptor1"].connect().execute(
            text("SELECT number, state, version FROM cases WHERE id = :i"), {"i": case_id}
        ).one()
    )
    assert number.startswith("20") and len(number) == 11
    assert (state, version) == (State.REPORTED.value, 1)


def test_no_seat_group_holds_a_write_privilege_but_the_admins_on_reference_data(
    owner_engine: Engine,
) -> None:
    """Every table a seat may write directly, by privilege: only the admin group, only the
    reference data an admin edits (everything else goes through functions)."""
    with owner_engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT r AS role, c.relname, p.privilege
            FROM unnest(ARRAY['acceptor', 'shift_leader', 'dispatcher', 'inspector',
                              'monitor', 'department', 'admin']) r
            CROSS JOIN pg_class c
            CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p(privilege)
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
              AND has_table_privilege(seatdesk_group(r), c.oid, p.privilege)
            ORDER BY 1, 2, 3
        """)).all()
        sequences = conn.execute(text("""
            SELECT count(*) FROM unnest(ARRAY['acceptor', 'admin', 'department']) r
            CROSS JOIN pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
              AND has_sequence_privilege(seatdesk_group(r), c.oid, 'USAGE')
        """)).scalar()
    writable = {(role, table) for role, table, _ in rows}
    assert {role for role, _ in writable} <= {"admin"}, rows
    assert {table for _, table in writable} <= {
        "departments", "grids", "categories", "filing_conditions", "time_limits"
    }, rows
    assert sequences == 0


def test_an_action_cannot_be_backdated_by_opening_a_transaction_early(
    engines: dict[str, Engine],
) -> None:
    case_id = _open_case(engines["acceptor1"])
    with engines["acceptor1"].begin() as conn:
        began = conn.execute(text("SELECT now()")).scalar()
        conn.execute(text("SELECT pg_sleep(1.2)"))
        conn.execute(text("SELECT seatdesk_case_act(:i, 1, 'request_verify', NULL, "
            """'{"collector": "采集员"}')"""),
                     {"i": case_id})
    at = _scalar(engines["acceptor1"], "SELECT max(at) FROM case_events WHERE case_id = :i",
                 i=case_id)
    assert (at - began).total_seconds() >= 1.2  # type: ignore[operator]


def test_a_case_held_by_an_idle_transaction_is_busy_then_freed_by_the_sweep(
    engines: dict[str, Engine], owner_engine: Engine
) -> None:
    """A seat that opens a transaction, locks a case and walks away: the other desks get
    "busy" within seconds, not a hang, and the next sweep ends that session."""
    case_id = _open_case(engines["acceptor1"])
    holder = engines["inspector1"].connect()
    holder.execute(text("SELECT seatdesk_urge(:i, '占住不放')"), {"i": case_id})
    try:
        with pytest.raises(Problem) as err, session_factory(engines["acceptor1"]).begin() as s:
            cases.request_verify(s, collector="采集员 吴海", case_id=case_id, expected_version=1)
        assert err.value.key == "case_busy"
        time.sleep(1.0)
        with owner_engine.begin() as conn:
            conn.execute(text("SET LOCAL seatdesk.act_as = 'leader1'"))
            conn.execute(text("SET LOCAL seatdesk.reap_idle_after = '0.5 seconds'"))
            conn.execute(text("SELECT seatdesk_sweep_deadlines()"))
        time.sleep(0.5)
        with pytest.raises(DBAPIError):
            holder.execute(text("SELECT 1"))
        with session_factory(engines["acceptor1"]).begin() as s:
            cases.request_verify(s, collector="采集员 吴海", case_id=case_id, expected_version=1)
    finally:
        holder.invalidate()
        holder.close()


def test_inputs_have_limits(engines: dict[str, Engine]) -> None:
    case_id = _open_case(engines["acceptor1"])
    with pytest.raises(ValidationError) as err, \
            session_factory(engines["inspector1"]).begin() as s:
        cases.urge(s, case_id=case_id, note="催" * 3000)
    assert (err.value.field, err.value.problem) == ("note", "too_long")
    for data, name in ((b"BM", "x.bmp"), (b"\x89PNG\r\n\x1a\n" + b"<html>", "y.png")):
        with pytest.raises(ValidationError) as err, \
                session_factory(engines["acceptor1"]).begin() as s:
            _raw_photo(s, case_id, name, data)
        assert err.value.problem == "not_image"
    with engines["acceptor1"].begin() as conn:
        conn.execute(
            text("SELECT seatdesk_add_photos(:i, 'report', ARRAY['../../etc/cron.d/x.png'], "
                 "ARRAY[:d], ARRAY[NULL::bytea], ARRAY[NULL::timestamptz])"),
            {"i": case_id, "d": png()},
        )
    names = _scalar(engines["acceptor1"], "SELECT string_agg(filename, ',' ORDER BY id) "
                    "FROM attachments WHERE case_id = :i", i=case_id)
    assert names == "a.png,x.png"
    with pytest.raises(StaleCase), session_factory(engines["acceptor1"]).begin() as s:
        call(s, "SELECT seatdesk_case_act(:i, NULL, 'request_verify', NULL, "
            """'{"collector": "采集员"}')""",
             {"i": case_id})


def _raw_photo(s: Any, case_id: int, name: str, data: bytes) -> None:
    """A photo sent to the database as a hostile client would: no decoding first."""
    call(s, "SELECT seatdesk_add_photos(:i, 'report', ARRAY[:n], ARRAY[:d], "
         "ARRAY[NULL::bytea], ARRAY[NULL::timestamptz])", {"i": case_id, "n": name, "d": data})


def test_nobody_can_squat_the_names_of_another_databases_roles(
    engines: dict[str, Engine],
) -> None:
    for login in ("sd_training_schema_owner", "sd_training_admin", "seatdesk_x"):
        with pytest.raises(ValidationError), session_factory(engines["admin1"]).begin() as s:
            users.add_user(s, login=login, password="Squat!Pass123", roles=[Role.ACCEPTOR])
