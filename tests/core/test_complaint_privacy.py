"""Complaint privacy and the reopen after a 不满意 callback (migration 0014) against the
real database: the masks, the column privileges over every seat's real login with raw
SQL, the audited reveal, the look-up by phone, the case opened from a complaint, and
the shift leader's reopen with its refusals."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, make_engine, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    Action,
    CaseEventAction,
    ComplaintAction,
    ComplaintState,
    PrivacyAction,
    ReplyMethod,
    Role,
    Satisfaction,
    State,
)
from seatdesk.errors import (
    InvalidComplaintTransition,
    PermissionDenied,
    StaleCase,
    StaleComplaint,
    ValidationError,
)
from seatdesk.services import case_sheet, complaints, queues
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import ComplaintId
from seatdesk.terms import term
from tests.core.conftest import LOGIN, Desk
from tests.core.test_complaints import _get, _new, _to_case

VERSIONS = Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"


def _mask(desk: Desk, fn: str, value: str | None) -> Any:
    return desk.scalar(f"SELECT {fn}(:v)", v=value)


# ---- the masks


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王小明", "王**"), ("王五", "王**"), ("欧阳", "欧**"), ("李", "李**"),
     (" 诸葛孔明 ", "诸***"), ("", None), (None, None)],
)
def test_a_name_keeps_its_first_character(desk: Desk, name: str | None, masked: str | None) -> None:
    assert _mask(desk, "seatdesk_mask_name", name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("138-1234-5678", "138****5678"),
     ("+86 138 1234 5678", "138****5678"), ("１３８１２３４５６７８", "138****5678"),
     ("0577-63612345", "********2345"), ("63612345", "****2345"), ("110", "***"),
     ("不详", "***"), (None, None)],
)
def test_a_phone_keeps_what_identifies_it_least(
    desk: Desk, phone: str | None, masked: str | None
) -> None:
    assert _mask(desk, "seatdesk_mask_phone", phone) == masked


def test_every_seat_reads_a_complaint_masked_through_the_service(desk: Desk) -> None:
    complaint_id = _new(desk)
    for role in LOGIN:
        if role in (Role.DEPARTMENT, Role.INTAKE):
            continue  # the department sees its cases' complaints; the intake none at all
        with desk.as_(role) as s:
            found = complaints.get_complaint(s, complaint_id)
        assert found is not None
        assert (found.complainant, found.complainant_phone) == ("王**", "138****5678"), role


# ---- the seats' own logins, raw SQL


@pytest.fixture
def logins(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[Role, Connection]]:
    """Every seat's own login, each in a transaction that is rolled back."""
    engines = {
        role: connect(server.for_login(login, seeded.passwords[login]))
        for role, login in LOGIN.items()
    }
    conns: dict[Role, Connection] = {}
    try:
        for role, engine in engines.items():
            conns[role] = engine.connect()
            conns[role].begin()
        yield conns
    finally:
        for conn in conns.values():
            conn.rollback()
            conn.close()
        for engine in engines.values():
            engine.dispose()


def _refusal(conn: Connection, sql: str, **params: Any) -> str:
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    return str(getattr(err.value.orig, "pgcode", ""))


def _record(conn: Connection, **fields: Any) -> int:
    payload = {"channel": "hotline_12319", "content": "路灯不亮", "complainant": "王小明",
               "complainant_phone": "13812345678", **fields}
    return int(conn.execute(text("SELECT seatdesk_create_complaint(CAST(:c AS jsonb))"),
                            {"c": json.dumps(payload)}).scalar_one())


@pytest.mark.parametrize("role", list(LOGIN))
def test_no_seat_reads_the_raw_name_or_phone(logins: dict[Role, Connection], role: Role) -> None:
    conn = logins[role]
    for sql in (
        "SELECT complainant_phone FROM complaints",
        "SELECT complainant FROM complaints",
        "SELECT * FROM complaints",
        "SELECT c FROM complaints c",
        "SELECT count(*) FROM complaints WHERE complainant_phone = '13812345678'",
        "SELECT id FROM complaints ORDER BY complainant",
    ):
        assert _refusal(conn, sql) == "42501", (role, sql)
    masked = "SELECT id, number, complainant_masked, phone_masked, content, state FROM complaints"
    if role is Role.INTAKE:
        # The intake writes collectors' items and reads no complaint, masked or not.
        assert _refusal(conn, masked) == "42501"
        return
    conn.execute(text(masked + " LIMIT 5")).all()
    if role in (Role.ADMIN, Role.INSPECTOR):
        conn.execute(text("SELECT * FROM personal_data_reads LIMIT 5")).all()
    else:
        assert _refusal(conn, "SELECT * FROM personal_data_reads") == "42501", role
    for sql in ("UPDATE personal_data_reads SET actor = 'x'", "DELETE FROM personal_data_reads",
                "TRUNCATE personal_data_reads",
                "INSERT INTO personal_data_reads (complaint_id, actor, at, purpose) "
                "VALUES (1, 'x', now(), 'x')"):
        assert _refusal(conn, sql) == "42501", (role, sql)
    if role in (Role.MONITOR, Role.ADMIN):
        complaint_id = _record(conn)
        row = conn.execute(text(
            "SELECT complainant_masked, phone_masked FROM complaints WHERE id = :i"),
            {"i": complaint_id}).one()
        assert tuple(row) == ("王**", "138****5678")
    else:
        assert _refusal(conn, "SELECT seatdesk_request_contacts(ARRAY[1]::bigint[], 'x')"
                        ) == "SD403"
        assert _refusal(conn, "SELECT * FROM seatdesk_complaint_contacts(1)") == "SD403"
        assert _refusal(conn, "SELECT seatdesk_request_phone_lookup('13812345678')"
                        ) == "SD403"
        assert _refusal(conn, "SELECT * FROM seatdesk_complaints_by_phone(1)") == "SD403"


def test_the_monitor_reveals_over_its_own_login(logins: dict[Role, Connection]) -> None:
    # In the transaction that asks, nothing is shown (migration 0019: only once the
    # request's audit has committed; tests/core/test_privacy_hardening.py commits).
    monitor = logins[Role.MONITOR]
    first = _record(monitor)
    second = _record(monitor, complainant="李四", complainant_phone="0577-63612345")
    request = monitor.execute(text(
        "SELECT seatdesk_request_contacts(ARRAY[:a, :b, -1]::bigint[], '回访核实身份')"),
        {"a": first, "b": second}).scalar_one()
    assert _refusal(monitor, "SELECT * FROM seatdesk_complaint_contacts(:r)", r=request
                    ) == "SD422"
    assert _refusal(monitor, "SELECT seatdesk_request_contacts(ARRAY[:a]::bigint[], ' ')",
                    a=first) == "SD422"


def test_the_audit_is_append_only_even_for_the_owner(desk: Desk) -> None:
    complaint_id = _new(desk)
    with desk.as_(Role.MONITOR) as s:
        complaints.request_contacts(s, [complaint_id], "核实")
    for sql in ("UPDATE personal_data_reads SET actor = 'x' WHERE complaint_id = :i",
                "DELETE FROM personal_data_reads WHERE complaint_id = :i"):
        with pytest.raises(DBAPIError, match="append-only"), desk.session.begin_nested():
            desk.session.execute(text(sql), {"i": complaint_id})


def test_the_service_reveals_for_the_monitor_only(desk: Desk) -> None:
    complaint_id = _new(desk)
    with desk.as_(Role.MONITOR) as s:
        request = complaints.request_contacts(s, [complaint_id], "回访")
        # Not before the request's audit has committed (migration 0019).
        with pytest.raises(ValidationError) as early, s.begin_nested():
            complaints.read_contacts(s, request)
    assert (early.value.field, early.value.problem) == ("reveal_request", "not_committed")
    # What the admin reads of the audit (SET ROLE: the same privileges and policies).
    with desk.as_(Role.ADMIN) as s:
        read = s.execute(text(
            "SELECT actor, purpose, at FROM personal_data_reads WHERE complaint_id = :i"),
            {"i": complaint_id}).all()
    assert [(r.actor, r.purpose) for r in read] == [(LOGIN[Role.MONITOR], "回访")]
    assert read[0].at <= desk.scalar("SELECT clock_timestamp()")
    with desk.as_(Role.DISPATCHER) as s, pytest.raises(PermissionDenied) as err:
        complaints.request_contacts(s, [complaint_id], "好奇")
    assert err.value.action is PrivacyAction.REVEAL_CONTACTS
    assert Role.MONITOR in err.value.allowed
    assert desk.scalar(
        "SELECT count(*) FROM personal_data_reads WHERE complaint_id = :i", i=complaint_id) == 1


def test_earlier_complaints_are_found_by_the_normalised_number(desk: Desk) -> None:
    first = _new(desk)
    second = _new(desk, complainant_phone="+86 138-1234-5678", content="又坏了")
    _new(desk, complainant_phone="13900001111")
    with desk.as_(Role.MONITOR) as s:
        request = complaints.request_phone_lookup(s, "138 1234 5678")
        with pytest.raises(ValidationError) as short, s.begin_nested():
            complaints.request_phone_lookup(s, "5678")
    assert (short.value.field, short.value.problem) == ("complainant_phone", "not_a_phone")
    # The matches are recorded with the request, each audited as a read (0019); they
    # are read once it has committed (tests/core/test_privacy_hardening.py).
    matched = desk.session.execute(text(
        "SELECT complaint_ids, phone_masked FROM personal_data_requests WHERE id = :r"),
        {"r": request.id}).one()
    assert set(matched.complaint_ids) >= {first, second}
    assert matched.phone_masked == "138****5678"
    audited = desk.scalar("SELECT count(*) FROM personal_data_reads WHERE request_id = :r "
                          "AND purpose = 'find_by_phone'", r=request.id)
    assert audited == len(matched.complaint_ids)
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(PermissionDenied):
        complaints.request_phone_lookup(s, "13812345678")


def test_a_case_from_a_complaint_takes_no_personal_data(desk: Desk) -> None:
    complaint_id = _new(desk)
    case_id = _to_case(desk, complaint_id)
    reporter, phone = desk.session.execute(
        text("SELECT reporter, reporter_phone FROM cases WHERE id = :i"), {"i": case_id}).one()
    assert (reporter, phone) == ("王**", None)
    data = desk.session.execute(text(
        "SELECT string_agg(data::text || coalesce(note, ''), ' ') FROM complaint_events "
        "WHERE complaint_id = :i"), {"i": complaint_id}).scalar_one()
    assert "13812345678" not in data and "王小明" not in data


def test_the_privacy_functions_are_hardened(desk: Desk) -> None:
    rows = desk.session.execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p WHERE p.proname IN ('seatdesk_complaint_contacts',
            'seatdesk_complaints_by_phone', 'seatdesk_reopen_for_complaint',
            'seatdesk_grant_complaint_columns', 'seatdesk_mask_name', 'seatdesk_mask_phone')
    """)).all()
    assert len(rows) == 6
    for proname, definer, config, public_may in rows:
        assert not public_may, proname
        if definer:
            assert "search_path=public, pg_temp" in config, proname


def test_every_refusal_of_the_privacy_functions_has_its_words() -> None:
    source = (VERSIONS / "0014_complaint_privacy.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    named |= {(f, "too_long") for f in re.findall(r"seatdesk_check_length\('(\w+)'", source)}
    assert ("satisfaction", "not_dissatisfied") in named
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem


def test_the_database_and_the_glossary_name_the_new_actions() -> None:
    spec = importlib.util.spec_from_file_location("seatdesk_0014",
                                                  VERSIONS / "0014_complaint_privacy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [a.value for a in ComplaintAction] == module.COMPLAINT_EVENT_ACTIONS
    assert CaseEventAction.REOPEN_FOR_COMPLAINT.value == module.REOPEN_ACTION
    assert module.REOPEN_ACTION in module.CASE_EVENT_ACTIONS


# ---- reopen after a 不满意 callback


def _called_back(desk: Desk, satisfaction: Satisfaction | None = Satisfaction.DISSATISFIED,
                 ) -> tuple[ComplaintId, CaseId]:
    complaint_id = _new(desk)
    case_id = CaseId(_to_case(desk, complaint_id))
    desk.drive(case_id, State.CLOSED)
    with desk.as_(Role.MONITOR) as s:
        complaints.reply_complaint(s, complaint_id=complaint_id, expected_version=3,
                                   reply="已处理", how=ReplyMethod.PHONE)
        complaints.callback_complaint(
            s, complaint_id=complaint_id, expected_version=4,
            reached=satisfaction is not None, satisfaction=satisfaction)
    return complaint_id, case_id


def _reopen(desk: Desk, complaint_id: ComplaintId, case_id: CaseId, who: Role = Role.SHIFT_LEADER,
            **overrides: Any) -> int:
    args = {"complaint_id": complaint_id, "complaint_version": _get(desk, complaint_id).version,
            "case_version": desk.version(case_id), "note": "投诉人不满意，返工重办", **overrides}
    with desk.as_(who) as s:
        version, changes = complaints.reopen_for_complaint(s, **args)
    assert case_id in changes.case_ids and complaints.ENTITY in changes.entities
    return version


def test_the_shift_leader_reopens_a_closed_case_for_a_dissatisfied_complainant(
    desk: Desk,
) -> None:
    complaint_id, case_id = _called_back(desk)
    with desk.as_(Role.SHIFT_LEADER) as s:
        assert [c.id for c in complaints.reopenable_complaints(s, case_id)] == [complaint_id]
    before = desk.version(case_id)
    rework = desk.scalar("SELECT rework_count FROM cases WHERE id = :i", i=case_id)
    version = _reopen(desk, complaint_id, case_id)
    assert version == before + 1 == desk.version(case_id)
    case = desk.session.execute(text(
        "SELECT state, stage, stage_deadline, rework_count, current_department FROM cases "
        "WHERE id = :i"), {"i": case_id}).one()
    assert case.state == State.DISPATCHED == workflow.REOPEN.next_state
    assert case.stage == workflow.stage_of(State.DISPATCHED)
    assert case.stage_deadline is not None and case.stage_deadline > desk.now()
    assert case.rework_count == rework + 1 and case.current_department is not None
    event = desk.session.execute(text(
        "SELECT action, from_state, to_state, actor, note, data FROM case_events "
        "WHERE case_id = :i ORDER BY id DESC LIMIT 1"), {"i": case_id}).one()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        CaseEventAction.REOPEN_FOR_COMPLAINT, State.CLOSED, State.DISPATCHED,
        LOGIN[Role.SHIFT_LEADER])
    assert event.data["complaint_id"] == complaint_id and event.note == "投诉人不满意，返工重办"
    complaint = _get(desk, complaint_id)
    assert (complaint.state, complaint.version) == (ComplaintState.LINKED, 6)
    assert complaints.complaint_events(desk.session, complaint_id)[-1].action == "reopen"
    # The trail still replays, and the case goes round again; the complaint waits again.
    trail = desk.session.execute(text(
        "SELECT action, from_state, to_state FROM case_events WHERE case_id = :i ORDER BY id"),
        {"i": case_id}).all()
    assert workflow.replay(
        (a, State(f) if f else None, State(t)) for a, f, t in trail) == State.DISPATCHED
    for action in (Action.START_HANDLING, Action.REPORT_DONE, Action.REQUEST_CHECK,
                   Action.CHECK_PASS, Action.CLOSE):
        desk.perform(min(workflow.TRANSITIONS[(desk.state(case_id), action)].roles), action,
                     case_id)
    assert _get(desk, complaint_id).state is ComplaintState.AWAITING_REPLY


@pytest.mark.parametrize(
    # The intake may run its own two functions only (tests/core/test_intake.py).
    "role", [r for r in LOGIN if r not in (Role.SHIFT_LEADER, Role.INTAKE)]
)
def test_only_the_shift_leader_reopens(desk: Desk, role: Role) -> None:
    complaint_id, case_id = _called_back(desk)
    with pytest.raises(PermissionDenied) as err:
        _reopen(desk, complaint_id, case_id, who=role)
    assert err.value.action is CaseEventAction.REOPEN_FOR_COMPLAINT
    assert err.value.allowed == {Role.SHIFT_LEADER}
    assert desk.state(case_id) is State.CLOSED


@pytest.mark.parametrize("satisfaction", [Satisfaction.SATISFIED,
                                          Satisfaction.BASICALLY_SATISFIED, None])
def test_a_complainant_not_dissatisfied_reopens_nothing(
    desk: Desk, satisfaction: Satisfaction | None
) -> None:
    complaint_id, case_id = _called_back(desk, satisfaction)
    with desk.as_(Role.SHIFT_LEADER) as s:
        assert complaints.reopenable_complaints(s, case_id) == []
    with pytest.raises(ValidationError) as err:
        _reopen(desk, complaint_id, case_id)
    assert (err.value.field, err.value.problem) == ("satisfaction", "not_dissatisfied")
    assert str(err.value)
    assert desk.state(case_id) is State.CLOSED


def test_a_complaint_not_yet_called_back_reopens_nothing(desk: Desk) -> None:
    complaint_id = _new(desk)
    case_id = CaseId(_to_case(desk, complaint_id))
    desk.drive(case_id, State.CLOSED)
    with pytest.raises(InvalidComplaintTransition) as err:
        _reopen(desk, complaint_id, case_id)
    assert (err.value.state, err.value.action) == (ComplaintState.AWAITING_REPLY,
                                                   ComplaintAction.REOPEN)


def test_stale_versions_are_refused(desk: Desk) -> None:
    complaint_id, case_id = _called_back(desk)
    with pytest.raises(StaleComplaint):
        _reopen(desk, complaint_id, case_id, complaint_version=4)
    with pytest.raises(StaleCase):
        _reopen(desk, complaint_id, case_id, case_version=desk.version(case_id) - 1)
    _reopen(desk, complaint_id, case_id)
    with pytest.raises(StaleComplaint):  # the second click of two shift leaders
        _reopen(desk, complaint_id, case_id, complaint_version=5)
    with pytest.raises(InvalidComplaintTransition):
        _reopen(desk, complaint_id, case_id)
    assert desk.scalar(
        "SELECT count(*) FROM case_events WHERE case_id = :i AND action = :a",
        i=case_id, a=CaseEventAction.REOPEN_FOR_COMPLAINT.value) == 1


def test_a_reopen_needs_a_note_and_a_closed_case(desk: Desk) -> None:
    first = _new(desk)
    second = _new(desk, content="井盖还是没盖好", complainant_phone="13900001111")
    case_id = CaseId(_to_case(desk, first))
    with desk.as_(Role.MONITOR) as s:
        complaints.link_complaint(s, complaint_id=second, expected_version=1, case_id=case_id)
    desk.drive(case_id, State.CLOSED)
    for complaint_id in (first, second):
        with desk.as_(Role.MONITOR) as s:
            complaints.reply_complaint(s, complaint_id=complaint_id, expected_version=3,
                                       reply="已处理", how=ReplyMethod.SMS)
            complaints.callback_complaint(s, complaint_id=complaint_id, expected_version=4,
                                          reached=True, satisfaction=Satisfaction.DISSATISFIED)
    with pytest.raises(ValidationError) as err:
        _reopen(desk, first, case_id, note=" \u3000")
    assert (err.value.field, err.value.problem) == ("note", "required")
    _reopen(desk, first, case_id)
    # The second complainant waits for the rework too (0019): linked again, so its
    # reopen is refused and it is answered when the case closes again.
    assert _get(desk, second).state is ComplaintState.LINKED
    with pytest.raises(InvalidComplaintTransition):
        _reopen(desk, second, case_id)
    assert desk.state(case_id) is State.DISPATCHED


def test_no_seat_reopens_through_the_case_function(desk: Desk) -> None:
    """``closed`` stays final in the workflow table and its database copy."""
    complaint_id, case_id = _called_back(desk)
    del complaint_id
    assert not workflow.allowed_actions(State.CLOSED, set(Role))
    assert desk.scalar("SELECT count(*) FROM workflow_transitions WHERE from_state = 'closed'"
                       ) == 0
    with desk.as_(Role.SHIFT_LEADER) as s, pytest.raises(DBAPIError):
        s.execute(text("SELECT seatdesk_case_act(:i, :v, 'reopen_for_complaint')"),
                  {"i": case_id, "v": desk.version(case_id)})


# ---- the case shows its complaints


def test_the_case_lists_its_complaints_masked_and_their_steps_in_its_timeline(
    desk: Desk,
) -> None:
    first = _new(desk)
    second = _new(desk, content="解放路井盖丢了好几天了", complainant="欧阳娜娜",
                  complainant_phone="13900001111")
    case_id = CaseId(_to_case(desk, first))
    with desk.as_(Role.MONITOR) as s:
        complaints.link_complaint(s, complaint_id=second, expected_version=1, case_id=case_id)
    desk.drive(case_id, State.HANDLING)
    with desk.as_(Role.DEPARTMENT) as s:
        listed = queues.case_complaints(s, case_id)
        merged = queues.merged_timeline(s, case_id)
        own = queues.timeline(s, case_id)
    assert [(c.id, c.complainant, c.complainant_phone) for c in listed] == [
        (first, "王**", "138****5678"), (second, "欧***", "139****1111")]
    steps = [e for e in merged if isinstance(e, queues.ComplaintTimelineEvent)]
    assert [(e.complaint_id, e.action) for e in steps] == [
        (first, ComplaintAction.CREATE), (second, ComplaintAction.CREATE),
        (first, ComplaintAction.TO_CASE), (second, ComplaintAction.LINK)]
    assert [e for e in merged if not isinstance(e, queues.ComplaintTimelineEvent)] == own
    assert [e.at for e in merged] == sorted(e.at for e in merged)
    number = _get(desk, second).number
    assert number in steps[-1].details()
    assert "王小明" not in str(merged) and "13812345678" not in str(merged)


def test_the_case_sheet_names_the_reopen() -> None:
    assert case_sheet.action_text(CaseEventAction.REOPEN_FOR_COMPLAINT.value) == term(
        CaseEventAction.REOPEN_FOR_COMPLAINT)


# ---- down to 0013 and up again; refused while reads are audited


def test_going_down_to_0013_and_up_again(server: ServerAddress) -> None:
    name = f"seatdesk_down_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            left = conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname IN ('seatdesk_mask_name', "
                "'seatdesk_complaint_contacts', 'seatdesk_reopen_for_complaint')")).scalar_one()
            columns = conn.execute(text(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'complaints' "
                "AND column_name IN ('complainant_masked', 'phone_masked')")).scalar_one()
            to_case = conn.execute(text(
                "SELECT prosrc FROM pg_proc WHERE proname = 'seatdesk_complaint_to_case'")
            ).scalar_one()
        assert (left, columns) == (0, 0)
        assert "c.complainant_phone" in to_case
        migrate.upgrade(engine)
        with engine.begin() as conn:
            complaint_id = conn.execute(text("""
                INSERT INTO complaints (number, channel, received_at, complainant,
                    complainant_phone, content, reply_limit_unit, reply_limit_minutes,
                    reply_due, reply_warning_at, created_at, updated_at)
                VALUES ('TS2026999999', 'walk_in', now(), '王小明', '13812345678', 'x',
                        'working_days', 960, now(), now(), now(), now())
                RETURNING id""")).scalar_one()
            conn.execute(text(
                "INSERT INTO personal_data_reads (complaint_id, actor, at, purpose) "
                "VALUES (:i, 'monitor1', now(), '回访')"), {"i": complaint_id})
        with pytest.raises(DBAPIError, match="personal data reads are audited"):
            migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT phone_masked FROM complaints")).scalar_one() == (
                "138****5678")
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_two_shift_leaders_reopen_at_once_and_exactly_one_wins(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    with Session(owner_engine) as session:  # committed: the seats' own logins see it
        desk = Desk(session)
        complaint_id, case_id = _called_back(desk)
        versions = (_get(desk, complaint_id).version, desk.version(case_id))
        session.commit()
    engine = connect(server.for_login("leader1", seeded.passwords["leader1"]))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def seat() -> None:
        with session_factory(engine)() as s:
            try:
                with s.begin():
                    barrier.wait()
                    complaints.reopen_for_complaint(
                        s, complaint_id=complaint_id, complaint_version=versions[0],
                        case_version=versions[1], note="不满意，返工")
                    time.sleep(0.3)  # hold the locks so the other seat really waits
                outcomes.append("won")
            except StaleComplaint:
                outcomes.append("stale")

    try:
        threads = [threading.Thread(target=seat) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        engine.dispose()
    assert sorted(outcomes) == ["stale", "won"]
    with owner_engine.connect() as conn:
        reopened = conn.execute(text(
            "SELECT count(*) FROM case_events WHERE case_id = :i AND action = :a"),
            {"i": case_id, "a": CaseEventAction.REOPEN_FOR_COMPLAINT.value}).scalar_one()
        state = conn.execute(text("SELECT state FROM cases WHERE id = :i"),
                             {"i": case_id}).scalar_one()
    assert (reopened, state) == (1, State.DISPATCHED)
