"""The security review of issue 11, fixed (migration 0019), each reproduction run again
over real seat logins with raw SQL and now refused: a reveal rolled back after reading
(F3), the look-up by phone as an unaudited oracle (F1), the import digest as a phone
oracle (F2), a stale 不满意 reopening a rework (F5), raw errors and echoed input when a
complaint is recorded (F8, F7), and the embedded server's quiet log (F7).

The two-step reveal needs COMMITTED requests, so these tests commit: each uses a fresh
monitor login of its own (its requests count against its own limit only) and
complaints with numbers of their own."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages
from seatdesk.db import embedded, migrate
from seatdesk.db.engine import ServerAddress, connect, make_engine, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import PrivacyAction, ReplyMethod, Role, Satisfaction, State
from seatdesk.errors import InvalidComplaintTransition, RateLimited, ValidationError
from seatdesk.services import complaint_queues, complaints
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import ComplaintId
from tests.core.conftest import LOGIN, Desk
from tests.core.test_complaints import _get, _new, _to_case

VERSIONS = Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"


def _phone() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


@pytest.fixture
def monitor(fresh_monitor: Engine) -> Engine:
    return fresh_monitor


@pytest.fixture
def seat(server: ServerAddress, seeded: DemoResult) -> Iterator[dict[Role, Engine]]:
    engines = {role: connect(server.for_login(login, seeded.passwords[login]))
               for role, login in LOGIN.items()}
    try:
        yield engines
    finally:
        for engine in engines.values():
            engine.dispose()


def _refusal(conn: Connection, sql: str, **params: Any) -> DBAPIError:
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    return err.value


def _code(err: DBAPIError) -> str:
    return str(getattr(err.orig, "pgcode", ""))


def _detail(err: DBAPIError) -> dict[str, Any]:
    diag = getattr(err.orig, "diag", None)
    return dict(json.loads(getattr(diag, "message_detail", None) or "{}"))


def _record(conn: Connection, phone: str, **fields: Any) -> int:
    payload = {"channel": "hotline_12319", "content": "路灯不亮", "complainant": "王小明",
               "complainant_phone": phone, **fields}
    return int(conn.execute(text("SELECT seatdesk_create_complaint(CAST(:c AS jsonb))"),
                            {"c": json.dumps(payload)}).scalar_one())


def _committed(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.begin() as conn:
        return conn.execute(text(sql), params).scalar()


def _reads(owner_engine: Engine, complaint_id: int) -> int:
    return int(_committed(owner_engine,
                          "SELECT count(*) FROM personal_data_reads WHERE complaint_id = :i",
                          i=complaint_id))


# ---- F3: a reveal reads nothing before its audit is committed


def test_a_reveal_rolled_back_reads_nothing_and_one_committed_is_audited(
    monitor: Engine, owner_engine: Engine
) -> None:
    phone = _phone()
    with monitor.begin() as conn:
        complaint_id = _record(conn, phone)
    # The review's reproduction: request, read in the same transaction, roll back.
    with monitor.connect() as conn:
        conn.begin()
        request = conn.execute(text(
            "SELECT seatdesk_request_contacts(ARRAY[:i]::bigint[], '核实')"),
            {"i": complaint_id}).scalar_one()
        err = _refusal(conn, "SELECT * FROM seatdesk_complaint_contacts(:r)", r=request)
        assert _code(err) == "SD422"
        assert _detail(err)["problem"] == "not_committed"
        conn.rollback()
        # The request went with the rollback: nothing to read, nothing revealed.
        conn.begin()
        err = _refusal(conn, "SELECT * FROM seatdesk_complaint_contacts(:r)", r=request)
        assert (_detail(err)["field"], _detail(err)["problem"]) == ("reveal_request", "unknown")
        conn.rollback()
    assert _reads(owner_engine, complaint_id) == 0
    # Committed: readable, and audited with the request it came from.
    request = _committed(monitor, "SELECT seatdesk_request_contacts(ARRAY[:i]::bigint[], "
                         "'回访核实身份')", i=complaint_id)
    with monitor.begin() as conn:
        rows = conn.execute(text("SELECT * FROM seatdesk_complaint_contacts(:r)"),
                            {"r": request}).all()
    assert [tuple(r) for r in rows] == [(complaint_id, "王小明", phone)]
    audit = owner_engine.connect()
    try:
        row = audit.execute(text(
            "SELECT r.actor, r.purpose, q.kind, q.complaint_ids, q.xid IS NOT NULL AS x "
            "FROM personal_data_reads r JOIN personal_data_requests q ON q.id = r.request_id "
            "WHERE r.complaint_id = :i"), {"i": complaint_id}).one()
    finally:
        audit.close()
    assert (row.purpose, row.kind, row.complaint_ids, row.x) == (
        "回访核实身份", "reveal_contacts", [complaint_id], True)
    assert row.actor.startswith("pm")


def test_only_the_requester_reads_a_request_and_the_old_functions_are_gone(
    monitor: Engine, seat: dict[Role, Engine]
) -> None:
    with monitor.begin() as conn:
        complaint_id = _record(conn, _phone())
    request = _committed(monitor, "SELECT seatdesk_request_contacts(ARRAY[:i]::bigint[], "
                         "'核实')", i=complaint_id)
    for role in (Role.MONITOR, Role.ADMIN):
        with seat[role].connect() as conn:
            err = _refusal(conn, "SELECT * FROM seatdesk_complaint_contacts(:r)", r=request)
            assert _detail(err)["problem"] == "unknown", role
    for role in (Role.ACCEPTOR, Role.DISPATCHER, Role.DEPARTMENT, Role.INSPECTOR):
        with seat[role].connect() as conn:
            for sql in ("SELECT seatdesk_request_contacts(ARRAY[1]::bigint[], 'x')",
                        "SELECT seatdesk_request_phone_lookup('13812345678')",
                        "SELECT * FROM seatdesk_complaint_contacts(1)",
                        "SELECT * FROM seatdesk_complaints_by_phone(1)"):
                assert _code(_refusal(conn, sql)) == "SD403", (role, sql)
    with seat[Role.MONITOR].connect() as conn:
        # 0014's one-step reveal and look-up (the oracle) do not exist any more.
        for sql in ("SELECT * FROM seatdesk_complaint_contacts(ARRAY[1]::bigint[], 'x')",
                    "SELECT * FROM seatdesk_complaints_by_phone('13812345678'::text)"):
            assert _code(_refusal(conn, sql)) == "42883", sql


def test_a_purpose_with_a_line_break_is_refused(monitor: Engine) -> None:
    with monitor.connect() as conn:
        err = _refusal(conn, "SELECT seatdesk_request_contacts(ARRAY[1]::bigint[], :p)",
                       p="复核\n2026-12-02 07:00:00.000 UTC [1] LOG:  checkpoint complete")
    assert (_detail(err)["field"], _detail(err)["problem"]) == ("purpose", "control_character")


def test_a_request_in_a_repeatable_read_transaction_is_refused(monitor: Engine) -> None:
    with monitor.connect() as conn:
        conn.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ"))
        err = _refusal(conn, "SELECT seatdesk_request_phone_lookup('13812345678')")
        conn.execute(text("ROLLBACK"))
    assert (_detail(err)["field"], _detail(err)["problem"]) == ("reveal_request", "isolation")


# ---- F1: the look-up by phone is no oracle


def test_the_phone_oracle_is_limited_and_every_match_is_audited(
    monitor: Engine, owner_engine: Engine
) -> None:
    phone = _phone()
    with monitor.begin() as conn:
        complaint_id = _record(conn, phone)
        masked = conn.execute(text("SELECT phone_masked FROM complaints WHERE id = :i"),
                              {"i": complaint_id}).scalar_one()
    # The review's sweep of a mask's 10,000 candidates, in one rolled-back transaction:
    # it reads nothing (a request is readable only once committed) and stops at 30.
    with monitor.connect() as conn:
        conn.begin()
        err = _refusal(conn, """
            SELECT seatdesk_request_phone_lookup(left(:m, 3) || lpad(g::text, 4, '0')
                                                 || right(:m, 4))
            FROM generate_series(0, 9999) g""", m=masked)
        conn.rollback()
    assert _code(err) == "SD429"
    assert _detail(err)["limit"] == 30
    assert _reads(owner_engine, complaint_id) == 0
    # A committed look-up of the number finds it, audited as a read of its data.
    request = _committed(monitor, "SELECT seatdesk_request_phone_lookup(:p)", p=phone)
    with monitor.begin() as conn:
        found = conn.execute(text("SELECT id FROM seatdesk_complaints_by_phone(:r)"),
                             {"r": request}).scalars().all()
        err = _refusal(conn, "SELECT * FROM seatdesk_complaint_contacts(:r)", r=request)
    assert found == [complaint_id]
    assert _detail(err)["problem"] == "unknown"  # a look-up is no reveal of contacts
    with owner_engine.connect() as audit:
        purpose = audit.execute(text(
            "SELECT purpose FROM personal_data_reads WHERE complaint_id = :i"),
            {"i": complaint_id}).scalar_one()
        looked_up = audit.execute(text(
            "SELECT phone_masked FROM personal_data_requests WHERE id = :r"),
            {"r": request}).scalar_one()
    assert purpose == "find_by_phone"
    assert looked_up == masked and phone not in looked_up
    # Committed look-ups count: after 30 in the window the 31st is refused, whatever
    # transaction it comes in.
    for _ in range(29):
        _committed(monitor, "SELECT seatdesk_request_phone_lookup(:p)", p=_phone())
    with monitor.connect() as conn:
        assert _code(_refusal(conn, "SELECT seatdesk_request_phone_lookup(:p)",
                              p=phone)) == "SD429"


def test_the_services_reveal_and_look_up_in_two_committed_steps(
    monitor: Engine, owner_engine: Engine
) -> None:
    phone = _phone()
    with monitor.begin() as conn:
        first = ComplaintId(_record(conn, phone))
        second = ComplaintId(_record(conn, f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}",
                                     content="又坏了"))
    sessions = session_factory(monitor)
    revealed = complaints.reveal_contacts_committed(sessions.begin, [first, second], "回访")
    assert revealed[first].complainant_phone == phone
    assert revealed[first].complainant == "王小明"
    # Within one transaction the service's read is refused: nothing before the commit.
    with sessions.begin() as s:
        request = complaints.request_contacts(s, [first], "回访")
        with pytest.raises(ValidationError) as err, s.begin_nested():
            complaints.read_contacts(s, request)
    assert (err.value.field, err.value.problem) == ("reveal_request", "not_committed")
    with sessions.begin() as s:
        assert complaints.read_contacts(s, request)[first].complainant_phone == phone
    lookup = complaints.lookup_committed(sessions.begin, phone)
    with sessions.begin() as s:
        found = complaints.complaints_by_phone(s, lookup)
        earlier = complaint_queues.earlier_complaints(s, lookup)
    assert {f.id for f in found} == {first, second} == {e.id for e in earlier}
    assert earlier[0].content == "又坏了"
    assert _reads(owner_engine, first) == 3  # revealed twice, found once


def test_the_reveal_limit_counts_complaints(monitor: Engine, owner_engine: Engine) -> None:
    with monitor.begin() as conn:
        ids = [ComplaintId(_record(conn, _phone())) for _ in range(3)]
        login = conn.execute(text("SELECT session_user")).scalar_one()
    # 198 complaints revealed in the window already (a committed request of this login).
    with owner_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO personal_data_requests (kind, actor, at, purpose, complaint_ids, xid) "
            "VALUES ('reveal_contacts', :l, clock_timestamp(), '月度回访名单', "
            "array_fill(1::bigint, ARRAY[198]), pg_current_xact_id()::text::bigint)"), {"l": login})
    sessions = session_factory(monitor)
    with pytest.raises(RateLimited) as err:
        complaints.reveal_contacts_committed(sessions.begin, ids, "再看")
    assert err.value.action is PrivacyAction.REVEAL_CONTACTS
    assert (err.value.limit, err.value.minutes) == (200, 10)
    assert "200" in messages.t(err.value.key, **err.value.values())
    assert len(complaints.reveal_contacts_committed(sessions.begin, ids[:2], "再看")) == 2
    with pytest.raises(RateLimited):
        complaints.reveal_contacts_committed(sessions.begin, ids[2:], "再看")


# ---- F2: the import digest covers no name and no phone


def test_the_import_digest_answers_nothing_about_a_phone(desk: Desk) -> None:
    row = {"channel": "city_platform", "received_at": "2026-11-30 10:00:00",
           "content": f"占道经营 {uuid.uuid4().hex}", "address": "解放路1号",
           "complainant": "张三", "complainant_phone": "13712349876"}
    sql = "SELECT created, present FROM seatdesk_import_complaints(CAST(:r AS jsonb))"
    with desk.as_(Role.MONITOR) as s:
        assert tuple(s.execute(text(sql), {"r": json.dumps([row])}).one()) == (1, 0)
        # The review's oracle: the same row with candidate numbers. Every candidate,
        # right or wrong, is "present": the digest does not cover the phone.
        for phone in ("13712349876", "13712340000", "13812345678"):
            again = {**row, "complainant_phone": phone, "complainant": "李四"}
            assert tuple(s.execute(text(sql), {"r": json.dumps([again])}).one()) == (0, 1)
        other = {**row, "content": row["content"] + "（续）"}
        assert tuple(s.execute(text(sql), {"r": json.dumps([other])}).one()) == (1, 0)
    names = desk.session.execute(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "WHERE p.proname = 'seatdesk_complaint_import_hash'")).scalars().all()
    assert names == ["seatdesk_complaint_import_hash(text,timestamp with time zone,text,text,"
                     "integer)"]


# ---- F5: a reopen answers to the last closing, and every complainant is answered


def _two_called_back(desk: Desk) -> tuple[ComplaintId, ComplaintId, CaseId]:
    first = _new(desk)
    case_id = CaseId(_to_case(desk, first))
    second = _new(desk, complainant_phone=_phone(), content="同一井盖")
    with desk.as_(Role.MONITOR) as s:
        complaints.link_complaint(s, complaint_id=second, expected_version=1, case_id=case_id)
    desk.drive(case_id, State.CLOSED)
    with desk.as_(Role.MONITOR) as s:
        for k in (first, second):
            complaints.reply_complaint(s, complaint_id=k, expected_version=_get(desk, k).version,
                                       reply="已处理", how=ReplyMethod.PHONE)
            complaints.callback_complaint(s, complaint_id=k,
                                          expected_version=_get(desk, k).version,
                                          reached=True, satisfaction=Satisfaction.DISSATISFIED)
    return first, second, case_id


def _reopen(desk: Desk, complaint_id: ComplaintId, case_id: CaseId) -> int:
    with desk.as_(Role.SHIFT_LEADER) as s:
        version, _ = complaints.reopen_for_complaint(
            s, complaint_id=complaint_id, complaint_version=_get(desk, complaint_id).version,
            case_version=desk.version(case_id), note="投诉人不满意，返工重办")
    return version


def test_a_reopen_sends_every_called_back_complaint_back_to_its_case(desk: Desk) -> None:
    first, second, case_id = _two_called_back(desk)
    _reopen(desk, first, case_id)
    # The review's replay: the second complaint no longer waits, called back, for a
    # closing it judged before the rework; it is linked and answered again.
    other = _get(desk, second)
    assert other.state.value == "linked"
    event = desk.session.execute(text(
        "SELECT action, from_state, to_state, data FROM complaint_events "
        "WHERE complaint_id = :i ORDER BY id DESC LIMIT 1"), {"i": second}).one()
    assert (event.action, event.from_state, event.to_state) == ("reopen", "called_back",
                                                                  "linked")
    assert event.data["case_id"] == case_id
    with desk.as_(Role.SHIFT_LEADER) as s, pytest.raises(InvalidComplaintTransition):
        complaints.reopen_for_complaint(
            s, complaint_id=second, complaint_version=other.version,
            case_version=desk.version(case_id), note="再次重办")


def test_a_callback_older_than_the_last_closing_reopens_nothing(desk: Desk) -> None:
    first, _, case_id = _two_called_back(desk)
    # A callback made before the case's last closing (as if the case had closed again
    # after it): it did not judge that closing.
    desk.session.execute(text(
        "UPDATE complaints SET called_back_at = (SELECT min(at) FROM case_events "
        "WHERE case_id = :c) WHERE id = :i"), {"c": case_id, "i": first})
    with pytest.raises(ValidationError) as err:
        _reopen(desk, first, case_id)
    assert (err.value.field, err.value.problem) == ("callback", "before_last_close")
    assert desk.state(case_id) is State.CLOSED


# ---- F8, F7: recording a complaint refuses by field and echoes nothing


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [({"received_at": "1999-01-01 08:00"}, "received_at", "out_of_range"),
     ({"received_at": "-infinity"}, "received_at", "out_of_range"),
     ({"received_at": "2026-13-45"}, "received_at", "malformed"),
     ({"content": {"x": 1}}, "content", "malformed"),
     ({"complainant_phone": 13812345678}, "complainant_phone", "malformed"),
     ({"longitude": 1e300, "latitude": 27.0}, "longitude", "out_of_range"),
     ({"longitude": "1e400", "latitude": 27.0}, "location", "malformed"),
     ({"category_id": "abc"}, "category", "malformed")],
)
def test_recording_a_complaint_refuses_by_field(
    seat: dict[Role, Engine], fields: dict[str, Any], field: str, problem: str
) -> None:
    phone = _phone()
    payload = {"channel": "hotline_12319", "content": "路灯不亮", "complainant": "王小明",
               "complainant_phone": phone, **fields}
    with seat[Role.MONITOR].connect() as conn:
        err = _refusal(conn, "SELECT seatdesk_create_complaint(CAST(:c AS jsonb))",
                       c=json.dumps(payload).replace("\"1e400\"", "1e400"))
    assert _code(err) == "SD422"
    assert (_detail(err)["field"], _detail(err)["problem"]) == (field, problem)
    if field != "complainant_phone":
        assert phone not in str(err.orig) and "王小明" not in str(err.orig)


def test_every_refusal_of_0019_has_its_words() -> None:
    source = (VERSIONS / "0019_privacy_hardening.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    assert "seatdesk_invalid(v_field, 'malformed')" in source
    named |= {(f, "malformed") for f in ("channel", "external_ref", "content", "address",
                                         "complainant", "complainant_phone", "received_at")}
    assert ("reveal_request", "not_committed") in named
    assert ("callback", "before_last_close") in named
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem
    assert "rate_limited" in known


def test_the_embedded_server_logs_no_failed_statement(server: ServerAddress) -> None:
    readme = (VERSIONS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "log_min_error_statement = panic" in readme  # a shared server's administrator
    engine = connect(server)
    try:
        with engine.connect() as conn:
            settings = dict(conn.execute(text(
                "SELECT name, setting FROM pg_settings WHERE name = ANY (:n)"),
                {"n": list(embedded.QUIET_LOG)}).all())
    finally:
        engine.dispose()
    if server.embedded:  # the tests' server unless SEATDESK_TEST_DATABASE_URL is set
        assert settings == embedded.QUIET_LOG


def test_the_new_functions_are_hardened(desk: Desk) -> None:
    rows = desk.session.execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE') AS public_may,
               has_function_privilege(:m, p.oid, 'EXECUTE') AS monitor_may
        FROM pg_proc p WHERE p.proname IN ('seatdesk_request_contacts',
            'seatdesk_complaint_contacts', 'seatdesk_request_phone_lookup',
            'seatdesk_complaints_by_phone', 'seatdesk_personal_data_limit',
            'seatdesk_personal_data_request', 'seatdesk_personal_data_purpose',
            'seatdesk_complaint_import_hash')
    """), {"m": LOGIN[Role.MONITOR]}).all()
    assert len(rows) == 8
    for r in rows:
        assert not r.public_may, r.proname
        private = r.proname.startswith("seatdesk_personal_data") or "import_hash" in r.proname
        assert r.monitor_may is not private, r.proname
        if r.prosecdef:
            assert "search_path=public, pg_temp" in r.proconfig, r.proname


# ---- down to 0018 and up again; refused while requests are audited


def test_going_down_to_0017_restores_the_old_functions_and_refuses_with_requests(
    server: ServerAddress,
) -> None:
    name = f"seatdesk_down_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    functions = ("SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p "
                 "WHERE p.proname IN ('seatdesk_complaint_contacts', "
                 "'seatdesk_complaints_by_phone', 'seatdesk_complaint_import_hash')")
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "0018")
        with engine.connect() as conn:
            old = conn.execute(text(functions)).scalar_one()
            tables = conn.execute(text(
                "SELECT count(*) FROM pg_class WHERE relname = 'personal_data_requests'"
            )).scalar_one()
        assert sorted(old) == [
            "seatdesk_complaint_contacts(bigint[],text)",
            "seatdesk_complaint_import_hash(text,timestamp with time zone,text,text,text)",
            "seatdesk_complaints_by_phone(text)"]
        assert tables == 0
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO personal_data_requests (kind, actor, at, purpose, complaint_ids, "
                "xid) VALUES ('find_by_phone', 'monitor1', now(), 'find_by_phone', '{}', "
                "pg_current_xact_id()::text::bigint)"))
        with pytest.raises(DBAPIError, match="personal data requests are audited"):
            migrate.downgrade(engine, "0018")
        with engine.connect() as conn:
            assert "seatdesk_complaints_by_phone(bigint)" in conn.execute(
                text(functions)).scalar_one()
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
