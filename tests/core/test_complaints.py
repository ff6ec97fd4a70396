"""Complaints (migration 0013) against the real database: the loop from a call to a
case, its close, the reply and the callback; linking and forwarding; stale versions;
the seats' refusals over their real logins with raw SQL; the reply deadline in working
time against the Python reference; and the way down to 0012 and up again."""

from __future__ import annotations

import importlib.util
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages, notices
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, make_engine
from seatdesk.demo import DemoResult
from seatdesk.domain import deadlines as reference
from seatdesk.domain.glossary import (
    Action,
    AttachmentStep,
    ComplaintAction,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    ReplyMethod,
    Role,
    Satisfaction,
    Source,
    State,
    TimeUnit,
)
from seatdesk.errors import (
    InvalidComplaintTransition,
    PermissionDenied,
    StaleComplaint,
    ValidationError,
)
from seatdesk.services import complaints, photos
from seatdesk.services import deadlines as deadline_service
from seatdesk.services.complaints import CaseFields, ComplaintId, NewComplaint
from seatdesk.services.photos import Photo
from seatdesk.terms import term
from tests.core.conftest import DEPARTMENT, LOGIN, Desk, png

TZ = ZoneInfo("Asia/Shanghai")
CALL = NewComplaint(
    channel=ComplaintChannel.HOTLINE_12319,
    content="解放路88号门前井盖缺失，夜里有人踩空",
    complainant="王小明",
    complainant_phone="13812345678",
    address="平阳县昆阳镇解放路88号",
    longitude=120.5605,
    latitude=27.6602,
)


def _new(desk: Desk, new: NewComplaint = CALL, **fields: Any) -> ComplaintId:
    category, _ = desk.category()
    values = {"category_id": category, **fields}
    with desk.as_(Role.MONITOR) as s:
        complaint_id, changes = complaints.create_complaint(
            s, NewComplaint(**{**_fields(new), **values})
        )
    assert complaints.ENTITY in changes.entities
    return complaint_id


def _fields(new: NewComplaint) -> dict[str, Any]:
    return asdict(new)


def _get(desk: Desk, complaint_id: ComplaintId) -> complaints.Complaint:
    found = complaints.get_complaint(desk.session, complaint_id)
    assert found is not None
    return found


def _to_case(desk: Desk, complaint_id: ComplaintId) -> int:
    _, condition = desk.category()
    with desk.as_(Role.MONITOR) as s:
        case_id, changes = complaints.complaint_to_case(
            s,
            complaint_id=complaint_id,
            expected_version=_get(desk, complaint_id).version,
            fields=CaseFields(filing_condition_id=condition),
        )
    assert case_id in changes.case_ids
    # A call brings no photo: the acceptor adds the scene's before it is filed.
    with desk.as_(Role.ACCEPTOR) as s:
        photos.add_photos(s, case_id, AttachmentStep.REPORT, [Photo(png(), "scene.png")])
    return case_id


# ---- the loop


def test_a_call_goes_to_a_case_that_closes_and_is_answered_and_called_back(desk: Desk) -> None:
    complaint_id = _new(desk)
    complaint = _get(desk, complaint_id)
    assert complaint.state is ComplaintState.NEW
    assert complaint.number.startswith("TS") and len(complaint.number) == 12
    assert complaint.version == 1

    case_id = _to_case(desk, complaint_id)
    complaint = _get(desk, complaint_id)
    assert (complaint.state, complaint.case_id, complaint.version) == (
        ComplaintState.LINKED, case_id, 2)
    case = desk.session.execute(
        text("SELECT source, description, reporter_phone, state FROM cases WHERE id = :i"),
        {"i": case_id},
    ).one()
    assert case.source == Source.HOTLINE_12319
    assert case.description == CALL.content
    assert case.reporter_phone is None  # personal data stays with the complaint (0014)
    assert case.state == State.REPORTED

    # The case goes round the loop with the existing services, evidence and all.
    desk.drive(case_id, State.CLOSED)
    complaint = _get(desk, complaint_id)
    assert complaint.state is ComplaintState.AWAITING_REPLY
    assert complaint.version == 3

    with desk.as_(Role.MONITOR) as s:
        complaints.reply_complaint(
            s, complaint_id=complaint_id, expected_version=3,
            reply="井盖已于昨日更换，感谢您的反映。", how=ReplyMethod.PHONE,
        )
        complaints.callback_complaint(
            s, complaint_id=complaint_id, expected_version=4, reached=True,
            satisfaction=Satisfaction.BASICALLY_SATISFIED, note="希望以后巡查更勤",
        )
    complaint = _get(desk, complaint_id)
    assert complaint.state is ComplaintState.CALLED_BACK
    assert complaint.reply_method is ReplyMethod.PHONE
    assert complaint.callback_satisfaction is Satisfaction.BASICALLY_SATISFIED
    assert complaint.callback_reached is True

    events = complaints.complaint_events(desk.session, complaint_id)
    assert [(e.action, e.actor) for e in events] == [
        ("create", LOGIN[Role.MONITOR]),
        ("to_case", LOGIN[Role.MONITOR]),
        ("case_ended", "system"),
        ("reply", LOGIN[Role.MONITOR]),
        ("callback", LOGIN[Role.MONITOR]),
    ]
    assert [e.data["version"] for e in events] == [1, 2, 3, 4, 5]
    assert events[2].data["case_id"] == case_id


def test_two_complaints_share_one_case_and_both_wait_for_their_reply(desk: Desk) -> None:
    first = _new(desk)
    second = _new(desk, content="解放路井盖丢了好几天了", complainant_phone="13900001111")
    case_id = _to_case(desk, first)
    with desk.as_(Role.MONITOR) as s:
        complaints.link_complaint(s, complaint_id=second, expected_version=1, case_id=case_id)
    linked = complaints.complaints_of_case(desk.session, case_id)
    assert {c.id for c in linked} == {first, second}
    desk.drive(case_id, State.CLOSED)
    assert {c.state for c in complaints.complaints_of_case(desk.session, case_id)} == {
        ComplaintState.AWAITING_REPLY}


def test_a_refused_case_still_owes_its_complainant_a_reply(desk: Desk) -> None:
    complaint_id = _new(desk)
    case_id = _to_case(desk, complaint_id)
    desk.perform(Role.ACCEPTOR, Action.REJECT, case_id)
    complaint = _get(desk, complaint_id)
    assert complaint.state is ComplaintState.AWAITING_REPLY
    last = complaints.complaint_events(desk.session, complaint_id)[-1]
    assert (last.action, last.actor, last.data["case_state"]) == (
        "case_ended", "system", State.REJECTED)


def test_the_complaints_of_a_merged_case_follow_it(desk: Desk) -> None:
    complaint_id = _new(desk)
    case_id = _to_case(desk, complaint_id)
    desk.perform(Role.ACCEPTOR, Action.MERGE, case_id)
    original = desk.scalar("SELECT merged_into FROM cases WHERE id = :i", i=case_id)
    complaint = _get(desk, complaint_id)
    assert (complaint.state, complaint.case_id) == (ComplaintState.LINKED, original)
    assert complaints.complaint_events(desk.session, complaint_id)[-1].action == "case_merged"
    desk.drive(original, State.CLOSED)
    assert _get(desk, complaint_id).state is ComplaintState.AWAITING_REPLY


def test_a_complaint_is_not_linked_to_a_closed_case(desk: Desk) -> None:
    case_id = desk.case_in(State.CLOSED)
    complaint_id = _new(desk)
    with desk.as_(Role.MONITOR) as s, pytest.raises(ValidationError) as err:
        complaints.link_complaint(s, complaint_id=complaint_id, expected_version=1,
                                  case_id=case_id)
    assert err.value.field == "case_id"
    assert _get(desk, complaint_id).state is ComplaintState.NEW


def test_a_complaint_of_another_agency_is_forwarded_and_answered(desk: Desk) -> None:
    complaint_id = _new(desk, content="小区物业乱收停车费")
    with desk.as_(Role.MONITOR) as s:
        complaints.forward_complaint(
            s, complaint_id=complaint_id, expected_version=1, agency="县住建局",
            note="物业收费不属城管职责",
        )
        complaints.reply_complaint(
            s, complaint_id=complaint_id, expected_version=2,
            reply="已转县住建局办理", how=ReplyMethod.SMS,
        )
    complaint = _get(desk, complaint_id)
    assert complaint.state is ComplaintState.REPLIED
    assert complaint.forwarded_agency == "县住建局"
    assert complaint.case_id is None
    with desk.as_(Role.MONITOR) as s, pytest.raises(ValidationError) as err:
        complaints.callback_complaint(
            s, complaint_id=complaint_id, expected_version=3, reached=False,
            satisfaction=Satisfaction.SATISFIED,
        )
    assert (err.value.field, err.value.problem) == ("satisfaction", "not_reached")


def test_a_stale_version_and_a_wrong_state_are_refused(desk: Desk) -> None:
    complaint_id = _new(desk)
    with desk.as_(Role.MONITOR) as s:
        complaints.forward_complaint(s, complaint_id=complaint_id, expected_version=1,
                                     agency="县交警大队")
    with desk.as_(Role.MONITOR) as s, pytest.raises(StaleComplaint) as stale:
        complaints.forward_complaint(s, complaint_id=complaint_id, expected_version=1,
                                     agency="县交警大队")
    assert stale.value.complaint_id == complaint_id
    assert stale.value.changed_by == LOGIN[Role.MONITOR]
    with desk.as_(Role.MONITOR) as s, pytest.raises(InvalidComplaintTransition) as wrong:
        complaints.callback_complaint(s, complaint_id=complaint_id, expected_version=2,
                                      reached=False, satisfaction=None)
    assert (wrong.value.state, wrong.value.action) == (
        ComplaintState.FORWARDED, ComplaintAction.CALLBACK)
    assert term(ComplaintState.FORWARDED) in str(wrong.value)
    assert _get(desk, complaint_id).version == 2


def test_an_external_reference_is_taken_once_per_channel(desk: Desk) -> None:
    _new(desk, channel=ComplaintChannel.CITY_PLATFORM, external_ref="SZ-2026-0001")
    _new(desk, channel=ComplaintChannel.MAYORS_MAILBOX, external_ref="SZ-2026-0001")
    with pytest.raises(ValidationError) as err:
        _new(desk, channel=ComplaintChannel.CITY_PLATFORM, external_ref=" SZ-2026-0001 ")
    assert (err.value.field, err.value.problem) == ("external_ref", "duplicate")


def test_a_city_platform_complaint_opens_a_city_platform_case(desk: Desk) -> None:
    complaint_id = _new(desk, channel=ComplaintChannel.CITY_PLATFORM)
    case_id = _to_case(desk, complaint_id)
    assert desk.scalar("SELECT source FROM cases WHERE id = :i", i=case_id) == "city_platform"
    assert complaints.CASE_SOURCE[ComplaintChannel.CITY_PLATFORM] is Source.CITY_PLATFORM


@pytest.mark.parametrize("content", ["", " \u3000\t"])
def test_a_complaint_without_content_is_refused(desk: Desk, content: str) -> None:
    with pytest.raises(ValidationError) as err:
        _new(desk, content=content)
    assert (err.value.field, err.value.problem) == ("content", "required")


def test_a_department_sees_the_complaints_of_its_own_cases_only(desk: Desk) -> None:
    mine = _new(desk)
    elsewhere = _new(desk, content="另一处问题")
    case_id = _to_case(desk, mine)
    desk.drive(case_id, State.HANDLING)
    department = desk.scalar("SELECT current_department FROM cases WHERE id = :i", i=case_id)
    assert department == DEPARTMENT
    with desk.as_(Role.DEPARTMENT) as s:
        seen = set(s.execute(text("SELECT id FROM complaints WHERE id IN (:a, :b)"),
                             {"a": mine, "b": elsewhere}).scalars())
        events = s.execute(text("SELECT count(*) FROM complaint_events WHERE complaint_id = :b"),
                           {"b": elsewhere}).scalar_one()
    assert seen == {mine}
    assert events == 0
    with desk.as_(Role.ACCEPTOR) as s:
        assert complaints.get_complaint(s, elsewhere) is not None


def test_the_service_names_the_refusal_of_a_seat_that_may_not_reply(desk: Desk) -> None:
    complaint_id = _new(desk)
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(PermissionDenied) as err:
        complaints.reply_complaint(s, complaint_id=complaint_id, expected_version=1,
                                   reply="已处理", how=ReplyMethod.PHONE)
    assert Role.MONITOR in err.value.allowed
    assert err.value.action is ComplaintAction.REPLY
    assert term(ComplaintAction.REPLY) in str(err.value)


def test_a_complaint_event_announces_the_complaints(desk: Desk) -> None:
    assert notices.decode('{"kind":"complaints"}') == notices.Notice(notices.Kind.COMPLAINTS)
    assert notices.Kind.COMPLAINTS.value == complaints.ENTITY
    assert desk.scalar(
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'complaint_events_notice'"
    ) == 1


def test_the_database_and_the_glossary_name_the_same_values() -> None:
    path = Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
    spec = importlib.util.spec_from_file_location("seatdesk_0013", path / "0013_complaints.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [c.value for c in ComplaintChannel] == module.CHANNELS
    assert [s.value for s in ComplaintState] == module.STATES
    assert [m.value for m in ReplyMethod] == module.REPLY_METHODS
    assert [s.value for s in Satisfaction] == module.SATISFACTION
    # 0014 adds the reopen after a 不满意 callback (tests/core/test_complaint_privacy.py).
    assert [a.value for a in ComplaintAction] == [*module.EVENT_ACTIONS, "reopen"]
    assert [s.value for s in Source] == module.SOURCES
    assert {c.value: s.value for c, s in complaints.CASE_SOURCE.items()} == module.CASE_SOURCE


def test_every_refusal_of_the_complaint_functions_has_its_words() -> None:
    source = (Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
              / "0013_complaints.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    named |= {(f, "too_long") for f in re.findall(r"seatdesk_check_length\('(\w+)'", source)}
    assert ("content", "required") in named and ("external_ref", "duplicate") in named
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem
    error = ValidationError("external_ref", "duplicate", value="SZ-1", complaint_id=7)
    assert error.values()["problem"]


# ---- the reply deadline, in working time


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 11, 27, 16, 0, tzinfo=TZ),  # a Friday afternoon: over the weekend
        datetime(2026, 9, 30, 15, 30, tzinfo=TZ),  # the eve of the National Day holiday
    ],
)
def test_the_reply_deadline_is_two_working_days_by_default(desk: Desk, received: datetime) -> None:
    complaint_id = _new(desk, received_at=received)
    calendar = deadline_service.load_calendar(desk.session)
    expected = reference.deadline(received, Decimal(2), TimeUnit.WORKING_DAYS, calendar)
    assert _get(desk, complaint_id).reply_due == expected
    assert expected - received >= timedelta(days=4)  # the weekend or the holiday


def test_the_reply_turns_yellow_then_red_until_it_is_given(desk: Desk) -> None:
    received = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
    complaint = _get(desk, _new(desk, received_at=received))
    assert received < complaint.reply_warning_at < complaint.reply_due
    assert complaint.reply_status(received) is DeadlineStatus.NORMAL
    assert complaint.reply_status(complaint.reply_warning_at) is DeadlineStatus.WARNING
    assert complaint.reply_status(complaint.reply_due) is DeadlineStatus.OVERDUE
    with desk.as_(Role.MONITOR) as s:
        complaints.forward_complaint(s, complaint_id=complaint.id, expected_version=1,
                                     agency="县市场监管局")
        complaints.reply_complaint(s, complaint_id=complaint.id, expected_version=2,
                                   reply="已转办", how=ReplyMethod.PLATFORM)
    replied = _get(desk, complaint.id)
    assert replied.reply_status(replied.reply_due) is None
    assert complaints.complaint_events(desk.session, complaint.id)[-1].data["overdue"] is True


def test_the_reply_limit_is_a_centre_setting(desk: Desk) -> None:
    desk.session.execute(text(
        "SELECT seatdesk_set_centre_setting('complaint_reply_limit', "
        "CAST('{\"amount\": 4, \"unit\": \"working_hours\"}' AS jsonb))"))
    received = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
    complaint_id = _new(desk, received_at=received)
    calendar = deadline_service.load_calendar(desk.session)
    assert _get(desk, complaint_id).reply_due == reference.deadline(
        received, 4, TimeUnit.WORKING_HOURS, calendar)
    with pytest.raises(DBAPIError), desk.session.begin_nested():
        desk.session.execute(text(
            "SELECT seatdesk_set_centre_setting('complaint_reply_limit', "
            "CAST('{\"amount\": 0, \"unit\": \"working_days\"}' AS jsonb))"))


# ---- the seats' own logins, raw SQL


@pytest.fixture
def logins(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[str, Connection]]:
    """Every seat's own login, each in a transaction that is rolled back."""
    engines = {
        login: connect(server.for_login(login, seeded.passwords[login]))
        for login in LOGIN.values()
    }
    conns: dict[str, Connection] = {}
    try:
        for login, engine in engines.items():
            conns[login] = engine.connect()
            conns[login].begin()
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


_CREATE = "SELECT seatdesk_create_complaint(CAST(:c AS jsonb))"


def test_a_monitor_records_a_complaint_as_itself(logins: dict[str, Connection]) -> None:
    conn = logins[LOGIN[Role.MONITOR]]
    complaint_id = conn.execute(text(_CREATE), {"c": json.dumps({
        "channel": "hotline_12319", "content": "路灯不亮", "complainant_phone": "13700000000",
    })}).scalar_one()
    actor = conn.execute(text(
        "SELECT actor FROM complaint_events WHERE complaint_id = :i"), {"i": complaint_id}
    ).scalar_one()
    assert actor == LOGIN[Role.MONITOR]


def test_a_department_may_not_record_a_complaint(logins: dict[str, Connection]) -> None:
    conn = logins[LOGIN[Role.DEPARTMENT]]
    assert _refusal(conn, _CREATE, c=json.dumps({
        "channel": "hotline_12319", "content": "路灯不亮"})) == "SD403"


def test_an_acceptor_may_not_reply(logins: dict[str, Connection]) -> None:
    monitor = logins[LOGIN[Role.MONITOR]]
    complaint_id = monitor.execute(text(_CREATE), {"c": json.dumps({
        "channel": "walk_in", "content": "垃圾桶满溢"})}).scalar_one()
    acceptor = logins[LOGIN[Role.ACCEPTOR]]
    for sql in (
        "SELECT seatdesk_reply_complaint(:i, 1, '已处理', 'phone')",
        "SELECT seatdesk_forward_complaint(:i, 1, '县住建局', NULL)",
        "SELECT seatdesk_callback_complaint(:i, 1, false, NULL, NULL)",
    ):
        assert _refusal(acceptor, sql, i=complaint_id) == "SD403"


@pytest.mark.parametrize("role", list(LOGIN))
def test_no_seat_writes_the_complaint_tables_itself(
    logins: dict[str, Connection], role: Role
) -> None:
    conn = logins[LOGIN[role]]
    for sql in (
        "INSERT INTO complaints (number, channel, received_at, content, reply_limit_unit, "
        "reply_limit_minutes, reply_due, created_at, updated_at) VALUES "
        "('x', 'media', now(), 'x', 'working_days', 1, now(), now(), now())",
        "UPDATE complaints SET state = 'replied'",
        "DELETE FROM complaints",
        "INSERT INTO complaint_events (complaint_id, action, to_state, actor, at) "
        "VALUES (1, 'reply', 'replied', 'x', now())",
        "UPDATE complaint_events SET actor = 'x'",
        "DELETE FROM complaint_events",
        "UPDATE complaint_number_counters SET last = 0",
        "SELECT seatdesk_complaint_take(1, 1, 'reply', ARRAY['new'])",
        "SELECT seatdesk_next_complaint_number(now())",
    ):
        assert _refusal(conn, sql) == "42501", sql


def test_the_complaint_audit_is_append_only_even_for_the_owner(desk: Desk) -> None:
    complaint_id = _new(desk)
    for sql in ("UPDATE complaint_events SET actor = 'x' WHERE complaint_id = :i",
                "DELETE FROM complaint_events WHERE complaint_id = :i"):
        with pytest.raises(DBAPIError, match="append-only"), desk.session.begin_nested():
            desk.session.execute(text(sql), {"i": complaint_id})


def test_the_complaint_functions_are_hardened(logins: dict[str, Connection]) -> None:
    rows = logins[LOGIN[Role.ADMIN]].execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p WHERE p.proname LIKE 'seatdesk%complaint%'
    """)).all()
    assert len(rows) >= 13
    for proname, definer, config, public_may in rows:
        assert not public_may, proname
        if definer:
            assert "search_path=public, pg_temp" in config, proname


# ---- down to 0012 and up again


def test_going_down_to_0012_and_up_again(server: ServerAddress) -> None:
    name = f"seatdesk_down_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "0012")
        with engine.connect() as conn:
            tables = conn.execute(text(
                "SELECT count(*) FROM pg_class WHERE relname LIKE 'complaint%'")).scalar_one()
            functions = conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname LIKE 'seatdesk%complaint%'")
            ).scalar_one()
            create = conn.execute(text("""
                SELECT p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE'),
                       position('city_platform' IN prosrc)
                FROM pg_proc p WHERE p.proname = 'seatdesk_create_case'
            """)).one()
        assert (tables, functions) == (0, 0)
        assert create[0] and not create[2] and create[3] == 0
        assert "search_path=public, pg_temp" in create[1]
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 0
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
