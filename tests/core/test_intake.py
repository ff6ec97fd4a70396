"""The intake of collectors' work from outside the desk (``seatdesk intake DIR``):
reports and answers as JSON files, Open311 requests, rejections with one sentence each,
half-written files left alone, a killed intake that loses and duplicates nothing, and
the intake login that may do that and nothing else (raw SQL, as its own login).

The database functions are tried in the shared test database inside rolled-back
transactions; the folder runs, which must commit, run against a database of their own
on the same server, so the shared one keeps no case of theirs."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk import messages
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult, run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, CaseType, IntakeKind, Role, Source, State
from seatdesk.errors import PermissionDenied, ValidationError
from seatdesk.services import actions, intake, users
from seatdesk.services.actions import ActionInput
from seatdesk.services.case_detail import timeline
from seatdesk.services.intake import Item
from seatdesk.services.photos import Photo
from tests.conftest import _roles_of, quote_ident
from tests.core.conftest import LOGIN, Desk

PASSWORD = "Intake-test-9!"


def jpeg(color: tuple[int, int, int] = (30, 140, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 36), color).save(out, "JPEG")
    return out.getvalue()


def png(color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return out.getvalue()


def _category(desk: Desk, code: str = "0101", case_type: str = "component") -> int:
    return int(desk.scalar("SELECT id FROM categories WHERE case_type = :t AND code = :c",
                           t=case_type, c=code))


def _report(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "collector": "采集员张三",
        "type": "report",
        "category_code": "0101",
        "case_type": "component",
        "description": "解放路88号门前上水井盖缺失",
        "location": {"longitude": 120.5605, "latitude": 27.6602},
        "address": "平阳县昆阳镇解放路88号",
        "time": "2026-12-01T09:30:00+08:00",
    }
    item.update(overrides)
    return item


def _item(path: Path, fields: dict[str, Any], photos: tuple[Photo, ...] = (),
          kind: IntakeKind = IntakeKind.REPORT, key: str | None = None) -> Item:
    return Item(path, key or f"item:{uuid.uuid4().hex}", kind, fields, photos)


# ---- the database functions (shared database, rolled back)


def test_a_report_becomes_a_collector_case_with_its_photos(desk: Desk, tmp_path: Path) -> None:
    item = _item(tmp_path / "a.json", {
        "type": "report", "collector": "采集员张三", "category_code": "0101",
        "case_type": "component", "description": "井盖缺失", "longitude": 120.5605,
        "latitude": 27.6602, "address": "解放路88号", "time": "2026-12-01T09:30:00+08:00",
    }, (Photo(jpeg(), "scene.jpg"), Photo(png(), "near.png")))
    with desk.as_(Role.INTAKE) as s:
        first = intake.write_item(s, item)
        again = intake.write_item(s, item)
    assert not first.repeated and first.case_id is not None and first.number
    assert again.repeated and again.case_id == first.case_id and again.number == first.number
    row = desk.session.execute(text(
        "SELECT source, state, reporter, category_id FROM cases WHERE id = :i"
    ), {"i": first.case_id}).one()
    assert tuple(row) == (Source.COLLECTOR.value, State.REPORTED.value, "采集员张三",
                          _category(desk))
    assert desk.scalar("SELECT count(*) FROM attachments WHERE case_id = :i AND step = 'report' "
                       "AND uploaded_by = 'intake1'", i=first.case_id) == 2
    assert desk.scalar("SELECT count(*) FROM cases WHERE description = '井盖缺失' "
                       "AND id = :i", i=first.case_id) == 1
    taken = desk.session.execute(text(
        "SELECT kind, case_id, actor, collector, item_time FROM intake_items WHERE item_key = :k"
    ), {"k": item.key}).one()
    assert taken[:4] == ("report", first.case_id, "intake1", "采集员张三")
    assert taken[4] is not None
    assert [e.action for e in timeline(desk.session, first.case_id)] == ["create"]


def _answer(desk: Desk, case_id: int, kind: IntakeKind, verdict: bool,
            tmp_path: Path) -> intake.Outcome:
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    item = _item(tmp_path / "answer.json", {
        "type": kind.value, "collector": "采集员李四", "case_number": number,
        "verdict": verdict, "reply": "现场属实，井盖确已缺失",
    }, (Photo(jpeg((10, 10, 10)), "scene.jpg"),), kind)
    with desk.as_(Role.INTAKE) as s:
        return intake.write_item(s, item)


def test_a_different_item_under_a_taken_key_is_refused_not_lost(
    desk: Desk, tmp_path: Path
) -> None:
    # Two collectors' apps that both number their items from 1: the second report is
    # refused in a sentence (it goes to rejected/), never taken for the first one.
    key = f"item:{uuid.uuid4().hex}"
    first = _item(tmp_path / "a.json", _report(), (Photo(jpeg(), "a.jpg"),), key=key)
    other = _item(tmp_path / "b.json", _report(description="人行道板破损"),
                  (Photo(jpeg(), "b.jpg"),), key=key)
    with desk.as_(Role.INTAKE) as s:
        taken = intake.write_item(s, first)
        assert intake.write_item(s, first).repeated  # the same item again: a re-run
    assert not taken.repeated
    assert _refusal_of(desk, other) == messages.t("intake.key_taken", value=key)
    # A report's key sent again as an answer is another item too.
    answer = _item(tmp_path / "c.json", {"type": "verify_answer", "collector": "李四",
                                         "case_number": taken.number, "verdict": True,
                                         "reply": "属实"},
                   (Photo(jpeg(), "c.jpg"),), IntakeKind.VERIFY_ANSWER, key=key)
    assert _refusal_of(desk, answer) == messages.t("intake.key_taken", value=key)
    assert desk.scalar("SELECT count(*) FROM intake_items WHERE item_key = :k", k=key) == 1


@pytest.mark.parametrize(("state", "kind", "decision"), [
    (State.VERIFYING, IntakeKind.VERIFY_ANSWER, Action.VERIFY_PASS),
    (State.CHECKING, IntakeKind.CHECK_ANSWER, Action.CHECK_FAIL),
])
def test_an_answer_is_evidence_the_acceptor_decides_with(
    desk: Desk, tmp_path: Path, state: State, kind: IntakeKind, decision: Action
) -> None:
    case_id = desk.case_in(state)
    version = desk.version(case_id)
    outcome = _answer(desk, case_id, kind, decision is Action.VERIFY_PASS, tmp_path)
    assert outcome.case_id == case_id and not outcome.repeated
    # The answer is audited on the case, changes neither its state nor its version.
    assert desk.state(case_id) == state and desk.version(case_id) == version
    event = timeline(desk.session, case_id)[-1]
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "collector_answer", "intake1", state, state)
    assert event.collector == "采集员李四" and event.reply == "现场属实，井盖确已缺失"
    assert event.verdict is (decision is Action.VERIFY_PASS)
    assert messages.t(f"intake.verdict.{kind.value}.{str(event.verdict).lower()}") in (
        event.details())
    # What the acceptor's dialog pre-fills.
    answer = intake.latest_answer(desk.session, case_id)
    assert answer is not None and answer.reply == "现场属实，井盖确已缺失"
    assert answer.kind is kind
    # The acceptor decides with the collector's photos: none of its own is needed.
    with desk.as_(Role.ACCEPTOR) as s:
        actions.perform(s, decision, case_id=case_id, expected_version=version,
                        given=ActionInput(reply=answer.reply))
    assert desk.state(case_id) == workflow.TRANSITIONS[(state, decision)].next_state
    assert workflow.replay(
        [(e.action, e.from_state, e.to_state) for e in timeline(desk.session, case_id)]
    ) == desk.state(case_id)


def test_without_an_answer_the_decision_still_needs_its_photo(desk: Desk) -> None:
    case_id = desk.case_in(State.VERIFYING)
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(ValidationError) as err:
        actions.perform(s, Action.VERIFY_PASS, case_id=case_id,
                        expected_version=desk.version(case_id), given=ActionInput(reply="属实"))
    assert (err.value.field, err.value.problem) == ("photo", "action_photo")


def _refusal_of(desk: Desk, item: Item) -> str:
    with desk.as_(Role.INTAKE) as s:
        try:
            with s.begin_nested():
                intake.write_item(s, item)
        except ValidationError as exc:
            return intake.reason(exc)
    raise AssertionError("the item was taken")


def test_the_database_refuses_what_it_cannot_file_in_one_sentence(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "en")
    path = tmp_path / "x.json"
    base = {"type": "report", "collector": "张三", "description": "井盖缺失",
            "address": "解放路88号", "category_code": "0101"}
    assert _refusal_of(desk, _item(path, {**base, "category_code": "9999"})) == (
        "The category code 9999 is not in the catalogue.")
    both = desk.scalar("SELECT min(c.code) FROM categories c JOIN categories e "
                       "ON e.code = c.code AND e.case_type = 'event' AND e.parent_id IS NOT NULL "
                       "WHERE c.case_type = 'component' AND c.parent_id IS NOT NULL")
    if both is not None:  # the catalogue has codes in both trees: the type must be named
        assert "give case_type" in _refusal_of(desk, _item(path, {**base,
                                                                    "category_code": both}))
    assert _refusal_of(desk, _item(path, {
        "type": "report", "collector": "张三", "description": "x", "address": "y",
        "service_code": "pothole-unmapped"})).startswith(
        "The Open311 service code pothole-unmapped is mapped to no category")
    assert _refusal_of(desk, _item(path, {**base, "case_type": "event", "time": "soon"})) == (
        "Time: cannot be read.")
    assert _refusal_of(desk, _item(path, {**base, "case_type": "event",
                                                 "time": "1999-12-31T23:00:00+08:00"})) == (
        "Time: 1999-12-31T23:00:00+08:00 is not a plausible time.")
    case_id = desk.case_in(State.REPORTED)
    number = desk.scalar("SELECT number FROM cases WHERE id = :i", i=case_id)
    answer = {"type": "verify_answer", "collector": "李四", "verdict": True, "reply": "属实"}
    photo = (Photo(jpeg(), "a.jpg"),)
    assert _refusal_of(desk, _item(path, {**answer, "case_number": "2099999999"}, photo,
                                   IntakeKind.VERIFY_ANSWER)) == (
        "No case has the number 2099999999.")
    assert _refusal_of(desk, _item(path, {**answer, "case_number": number}, photo,
                                   IntakeKind.VERIFY_ANSWER)) == (
        f"Case {number} is reported, not awaiting an answer to a verification.")
    verifying = desk.case_in(State.VERIFYING)
    vnumber = desk.scalar("SELECT number FROM cases WHERE id = :i", i=verifying)
    assert _refusal_of(desk, _item(path, {**answer, "case_number": vnumber}, (),
                                   IntakeKind.VERIFY_ANSWER)) == (
        "An answer needs at least one photo of the scene.")
    assert _refusal_of(desk, _item(path, {**answer, "case_number": vnumber,
                                          "reply": "\u3000 "}, photo,
                                   IntakeKind.VERIFY_ANSWER)) == (
        "The collector's reply is missing.")
    # Nothing of the refused items was written.
    assert desk.scalar("SELECT count(*) FROM case_events WHERE case_id = :i "
                       "AND action = 'collector_answer'", i=verifying) == 0


def test_an_admin_maps_open311_services_and_a_request_files_under_it(
    desk: Desk, tmp_path: Path
) -> None:
    with desk.as_(Role.ADMIN) as s:
        intake.map_service(s, "pothole", "0101", CaseType.COMPONENT)
        assert [m.service_code for m in intake.service_mappings(s)] == ["pothole"]
    path = tmp_path / "req.json"
    path.write_text(json.dumps({
        "service_request_id": "638344", "service_code": "pothole", "description": "路面坑洞",
        "lat": "27.6602", "long": "120.5605", "address_string": "解放路88号",
        "requested_datetime": "2026-12-01T08:00:00+08:00",
        "media_url": "http://example.org/p.jpg", "first_name": "王", "last_name": "小明",
    }, ensure_ascii=False), encoding="utf-8")
    item = intake.read_item(path)
    assert item.key == "open311:638344" and item.kind is IntakeKind.REPORT
    with desk.as_(Role.INTAKE) as s:
        outcome = intake.write_item(s, item)
    row = desk.session.execute(text(
        "SELECT category_id, source, description, reporter FROM cases WHERE id = :i"
    ), {"i": outcome.case_id}).one()
    assert row[0] == _category(desk) and row[1] == "collector"
    # The requester's name is a citizen's, which every seat would read on the case.
    assert row[2] == "路面坑洞\nhttp://example.org/p.jpg" and row[3] == "Open311 638344"
    assert "小明" not in json.dumps(item.fields, ensure_ascii=False)
    with desk.as_(Role.ADMIN) as s:
        intake.map_service(s, "pothole", None)
        assert intake.service_mappings(s) == []
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(PermissionDenied):
        intake.map_service(s, "pothole", "0101")


# ---- reading items (no database)


def _write(folder: Path, name: str, obj: Any) -> Path:
    path = folder / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("obj", "sentence"), [
    ("{\"type\": \"report\", ", "The file is not JSON that can be read"),
    ([1, 2], "The file holds no item: one JSON object is expected."),
    (_report(type="complaint"), "The type complaint is none of report, verify_answer and"),
    (_report(description="  "), "The description of the problem is missing."),
    (_report(collector=None), "The item does not name its collector."),
    (_report(location={"longitude": 200, "latitude": 27.6}),
     "The location 200, 27.6 is not a longitude (-180 to 180) and a latitude (-90 to 90)."),
    (_report(location={"longitude": "east", "latitude": 27.6}),
     "The location east, 27.6 is not a longitude"),
    (_report(location=None, address=None), "The item has neither a location nor an address."),
    (_report(time="yesterday"), "The time yesterday is not a date and time that can be read."),
    (_report(photos=["missing.jpg"]), "The photo missing.jpg is not beside the item."),
    (_report(photos=["../etc/passwd"]), "The photo name ../etc/passwd is not a plain file"),
    (_report(photos=["notes.txt"]), "The photo notes.txt is not an image that can be read."),
    (_report(photos=[{"name": "b.jpg", "base64": "not base64!"}]),
     "The photo b.jpg is not valid base64."),
    (_report(photos=[{"name": "c.jpg", "base64": base64.b64encode(b"x" * 100).decode()}]),
     "The photo c.jpg is not an image that can be read."),
    ({"type": "verify_answer", "collector": "李四", "verdict": "maybe", "reply": "x",
      "case_number": "1"}, "The answer gives no verdict: true, false, confirmed"),
    ({"type": "check_answer", "collector": "李四", "verdict": True, "reply": "x"},
     "The answer does not name its case number."),
    ({"type": "check_answer", "collector": "李四", "verdict": "resolved", "reply": "x",
      "case_number": "1"}, "An answer needs at least one photo of the scene."),
])
def test_a_bad_item_is_refused_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, obj: Any, sentence: str
) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "en")
    (tmp_path / "notes.txt").write_text("not a photo")
    path = _write(tmp_path, "item.json", obj)
    with pytest.raises(Exception) as err:  # noqa: PT011 - the sentence is what is checked
        intake.read_item(path)
    assert str(err.value).startswith(sentence), str(err.value)
    assert str(err.value).endswith((".", "?")) and "\n" not in str(err.value)


def test_the_key_is_the_id_or_the_content(tmp_path: Path) -> None:
    a = intake.read_item(_write(tmp_path, "a.json", _report(id="A-1")))
    assert a.key == "item:A-1"
    body = _report()
    del body["id"]
    b1 = intake.read_item(_write(tmp_path, "b.json", body))
    b2 = intake.read_item(_write(tmp_path, "c.json", body))
    assert b1.key == b2.key and b1.key.startswith("sha256:")


def test_files_still_being_written_are_not_taken(tmp_path: Path) -> None:
    done = _write(tmp_path, "done.json", _report())
    _write(tmp_path, "half.json.tmp", "{\"type\": \"rep")
    fresh = _write(tmp_path, "fresh.json", "{\"type\": \"rep")
    old = time.time() - 60
    os.utime(done, (old, old))
    assert intake.ready_files(tmp_path, settle=5) == [done]
    assert fresh in intake.ready_files(tmp_path, settle=0)
    assert all(p.suffix == ".json" for p in intake.ready_files(tmp_path, settle=0))


# ---- the intake login, raw SQL


@pytest.fixture
def intake_login(server: ServerAddress, seeded: DemoResult) -> Iterator[Connection]:
    engine = connect(server.for_login("intake1", seeded.passwords["intake1"]))
    conn = engine.connect()
    conn.begin()
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


def _code(conn: Connection, sql: str, **params: Any) -> str:
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    return str(getattr(err.value.orig, "pgcode", ""))


@pytest.mark.parametrize("table", [
    "cases", "case_events", "attachments", "users", "user_events", "complaints",
    "complaint_events", "categories", "departments", "centre_settings", "open311_services",
    "workflow_transitions", "time_limits",
])
def test_the_intake_reads_no_table_it_does_not_need(intake_login: Connection, table: str) -> None:
    assert _code(intake_login, f"SELECT * FROM {table} LIMIT 1") == "42501"


@pytest.mark.parametrize("sql", [
    "SELECT seatdesk_create_case('{\"source\": \"collector\"}')",
    "SELECT seatdesk_case_act(1, 1, 'verify_pass', NULL, '{}')",
    "SELECT seatdesk_add_photos(1, 'verify', '{}', '{}', '{}', '{}')",
    "SELECT seatdesk_urge(1, 'x')",
    "SELECT seatdesk_create_complaint('{}')",
    "SELECT seatdesk_set_open311_service('x', NULL, '0101')",
    "SELECT seatdesk_set_centre_setting('warning_share', '0.5')",
    "SELECT seatdesk_create_user('x', 'Aa-123456', 'x', ARRAY['admin'], NULL)",
    "SELECT seatdesk_set_roles('intake1', ARRAY['admin'], NULL)",
    "SELECT seatdesk_intake_take('k', 'report', 'digest')",
    "INSERT INTO intake_items (item_key, kind, at, actor) VALUES ('k', 'report', now(), 'x')",
    "UPDATE intake_items SET actor = 'x'",
    "DELETE FROM intake_items",
    "INSERT INTO open311_services VALUES ('x', 1, now(), 'x')",
    "UPDATE cases SET description = 'x'",
    "INSERT INTO case_events (case_id, action, to_state, actor, at) "
    "VALUES (1, 'collector_answer', 'reported', 'x', now())",
    "UPDATE grids SET name = 'x'",
])
def test_the_intake_does_nothing_else(intake_login: Connection, sql: str) -> None:
    assert _code(intake_login, sql) == "42501"


def test_the_intake_reads_its_own_items_and_the_grids_and_writes_through_its_functions(
    intake_login: Connection,
) -> None:
    conn = intake_login
    assert conn.execute(text("SELECT count(*) FROM grids")).scalar() > 0
    result = conn.execute(text(
        "SELECT seatdesk_intake_report('raw-1', CAST(:i AS jsonb), ARRAY['a.jpg'], "
        "ARRAY[CAST(:d AS bytea)], ARRAY[NULL::bytea], ARRAY[NULL::timestamptz])"
    ), {"i": json.dumps(_report(), ensure_ascii=False), "d": jpeg()}).scalar_one()
    assert result["repeated"] is False and result["number"]
    assert conn.execute(text("SELECT item_key, actor FROM intake_items")).all() == [
        ("raw-1", "intake1")]
    # A collector's verdict is not a decision: the intake cannot take 核实属实 itself.
    assert _code(conn, "SELECT seatdesk_case_act(:i, 1, 'verify_pass', NULL, "
                 "'{\"reply\": \"x\"}')", i=result["case_id"]) == "42501"


def test_another_seat_may_not_take_items_in(desk: Desk) -> None:
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(DBAPIError) as err, s.begin_nested():
        s.execute(text("SELECT seatdesk_intake_report('x', '{}')"))
    assert err.value.orig.pgcode == "42501"  # type: ignore[union-attr]


def test_the_intake_role_is_a_seat_role_of_the_database(desk: Desk) -> None:
    assert desk.scalar("SELECT roles FROM users WHERE login = 'intake1'") == ["intake"]
    assert desk.scalar("SELECT pg_has_role('intake1', seatdesk_group('intake'), 'MEMBER')")
    assert desk.scalar("SELECT roles FROM workflow_transitions WHERE action = 'create'") == (
        sorted(r.value for r in workflow.CREATE_ROLES))
    with desk.as_(Role.ADMIN) as s:
        login = f"in{uuid.uuid4().hex[:8]}"
        users.add_user(s, login=login, password=PASSWORD, roles=[Role.INTAKE])
        users.set_roles(s, login=login, roles=[Role.INTAKE, Role.INSPECTOR])
    assert desk.scalar("SELECT pg_has_role(:l, seatdesk_group('intake'), 'MEMBER')", l=login)


def test_every_refusal_of_the_intake_functions_has_its_words() -> None:
    source = (Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
              / "0017_intake.py").read_text(encoding="utf-8")
    named = set(re.findall(r"seatdesk_invalid\('(\w+)', '(\w+)'", source))
    named |= {(f, "too_long") for f in re.findall(r"seatdesk_check_length\('(\w+)'", source)}
    assert ("case_number", "not_awaiting") in named
    known = messages.keys()
    for field, problem in named:
        assert f"field.{field}" in known, field
        assert f"problem.{problem}" in known, problem
    path = Path(migrate.__file__).resolve().parents[2] / "migrations" / "versions"
    spec = importlib.util.spec_from_file_location("seatdesk_0017", path / "0017_intake.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [k.value for k in IntakeKind] == module.KINDS
    assert [r.value for r in Role] == module.ROLES


# ---- the folder, against a database of its own (these runs commit)


class Own:
    def __init__(self, address: ServerAddress, intake_login: str, admin_login: str,
                 acceptor_login: str) -> None:
        self.address = address
        self.intake = intake_login
        self.admin = admin_login
        self.acceptor = acceptor_login
        self.owner = connect(address)

    def url(self, login: str | None = None) -> str:
        url = self.address.url
        if login is not None:
            url = url.set(username=login, password=PASSWORD)
        return url.render_as_string(hide_password=False)

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.owner.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def run(self, folder: Path, **kwargs: Any) -> intake.Summary:
        engine = connect(self.address.for_login(self.intake, PASSWORD))
        try:
            return intake.run_inbox(session_factory(engine).begin, folder,
                                    **{"settle": 0, **kwargs})
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def own(server: ServerAddress, seeded: DemoResult) -> Iterator[Own]:
    name = f"seatdesk_intake_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    address = ServerAddress(url=server.url.set(database=name), embedded=server.embedded)
    suffix = name[-6:]
    logins = (f"in_{suffix}", f"ad_{suffix}", f"ac_{suffix}")
    try:
        engine = connect(address)
        migrate.upgrade(engine)
        with session_factory(engine).begin() as s:
            run_demo(s, seed=5, cases=0, reset=True)
            for login, role in zip(logins, (Role.INTAKE, Role.ADMIN, Role.ACCEPTOR),
                                   strict=True):
                users.add_user(s, login=login, password=PASSWORD, roles=[role])
        engine.dispose()
        result = Own(address, *logins)
        yield result
        result.owner.dispose()
    finally:
        roles = _roles_of(address)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in roles:
                if role not in seeded.passwords and role not in LOGIN.values():
                    conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
        admin.dispose()


def _verifying_case(own: Own) -> str:
    """A case of the own database sent to a collector to verify; its number."""
    desk_engine: Engine = own.owner
    with session_factory(desk_engine).begin() as s:
        d = Desk(s)
        with d.as_(own.acceptor) as a:
            from seatdesk.services import cases

            cat = int(d.scalar("SELECT id FROM categories WHERE case_type = 'component' "
                               "AND code = '0101'"))
            case_id, _ = cases.create_case(a, cases.NewCase(
                source=Source.HOTLINE_12319, category_id=cat, description="井盖缺失",
                address="解放路88号"))
            cases.request_verify(a, case_id=case_id, expected_version=1, collector="李四")
        return str(d.scalar("SELECT number FROM cases WHERE id = :i", i=case_id))


def test_a_folder_of_good_and_bad_items(own: Own, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "en")
    with session_factory(own.owner).begin() as s, Desk(s).as_(own.admin) as a:
        intake.map_service(a, "streetlight", "0101", CaseType.COMPONENT)
    inbox = tmp_path
    (inbox / "p1.jpg").write_bytes(jpeg())
    (inbox / "p2.png").write_bytes(png())
    number = _verifying_case(own)
    good = {
        "beside.json": _report(photos=["p1.jpg", "p2.png"]),
        "inline.json": _report(photos=[{"name": "x.jpg", "base64":
                                        base64.b64encode(jpeg()).decode()}]),
        "open311.json": [{"service_request_id": f"r{uuid.uuid4().hex[:6]}",
                          "service_code": "streetlight", "description": "路灯不亮",
                          "lat": 27.66, "long": 120.56}],
        "answer.json": {"id": uuid.uuid4().hex, "type": "verify_answer", "collector": "李四",
                        "case_number": number, "verdict": "confirmed", "reply": "属实",
                        "photos": [{"name": "v.jpg",
                                    "base64": base64.b64encode(jpeg()).decode()}]},
    }
    bad = {
        "broken.json": ("{\"type\":", "The file is not JSON that can be read"),
        "category.json": (_report(category_code="9999"),
                          "The category code 9999 is not in the catalogue."),
        "where.json": (_report(location={"longitude": 1000, "latitude": 0}),
                       "The location 1000, 0 is not a longitude"),
        "nothing.json": (_report(description=""), "The description of the problem is missing."),
        "case.json": ({"type": "check_answer", "collector": "李四", "case_number": "20990000001",
                       "verdict": True, "reply": "好",
                       "photos": [{"name": "v.jpg",
                                   "base64": base64.b64encode(jpeg()).decode()}]},
                      "No case has the number 20990000001."),
        "early.json": ({"type": "check_answer", "collector": "李四", "case_number": number,
                        "verdict": True, "reply": "好",
                        "photos": [{"name": "v.jpg",
                                    "base64": base64.b64encode(jpeg()).decode()}]},
                       f"Case {number} is verifying, not awaiting an answer to a check."),
        "nophoto.json": (_report(photos=["gone.jpg"]), "The photo gone.jpg is not beside"),
        "notimage.json": (_report(photos=[{"name": "y.jpg", "base64": "AAAA"}]),
                          "The photo y.jpg is not an image that can be read."),
        "base64.json": (_report(photos=[{"name": "z.jpg", "base64": "%%%"}]),
                        "The photo z.jpg is not valid base64."),
        "unmapped.json": ({"service_code": "graffiti", "description": "涂鸦", "lat": 27.6,
                           "long": 120.5}, "The Open311 service code graffiti is mapped to no"),
    }
    for name, obj in good.items():
        _write(inbox, name, obj)
    for name, (obj, _) in bad.items():
        _write(inbox, name, obj)
    _write(inbox, "later.json.tmp", _report())
    summary = own.run(inbox, batch=3)
    assert (summary.accepted, summary.repeated, summary.rejected) == (len(good), 0, len(bad))
    assert sorted(p.name for p in (inbox / "done").iterdir()) == sorted(
        [*good, "p1.jpg", "p2.png"])
    for name, (_, sentence) in bad.items():
        assert (inbox / "rejected" / name).exists()
        error = (inbox / "rejected" / name.replace(".json", ".error.txt")).read_text("utf-8")
        assert error.startswith(sentence) and error.count("\n") == 1, (name, error)
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == ["later.json.tmp"]
    assert own.scalar("SELECT count(*) FROM intake_items WHERE actor = :a", a=own.intake) == 4
    assert own.scalar("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
                      "WHERE c.number = :n AND e.action = 'collector_answer'", n=number) == 1
    assert own.scalar("SELECT count(*) FROM attachments a JOIN cases c ON c.id = a.case_id "
                      "WHERE c.number = :n AND a.step = 'verify'", n=number) == 1
    # The same items dropped again are taken once: moved to done/, nothing written.
    for name in ("beside.json", "answer.json", "p1.jpg", "p2.png"):
        shutil.copy(inbox / "done" / name, inbox / name)
    again = own.run(inbox)
    assert (again.accepted, again.repeated, again.rejected) == (0, 2, 0)
    assert own.scalar("SELECT count(*) FROM intake_items WHERE actor = :a", a=own.intake) == 4
    assert {"beside.1.json", "answer.1.json", "p1.1.jpg", "p2.1.png"} <= {
        p.name for p in (inbox / "done").iterdir()}


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "seatdesk.cli", *args],
        env={**os.environ, "SEATDESK_LANG": "en", "COLUMNS": "200", **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_a_killed_intake_loses_and_duplicates_nothing(own: Own, tmp_path: Path) -> None:
    inbox = tmp_path
    total = 240
    marker = uuid.uuid4().hex[:8]
    names = []
    for i in range(total):
        name = f"item{i:04d}.json"
        photo = f"item{i:04d}.jpg"
        (inbox / photo).write_bytes(jpeg((i % 250, 80, 120)))
        if i % 40 == 7:
            obj: dict[str, Any] = _report(category_code="9999", description=f"{marker}-{i}")
        else:
            obj = _report(description=f"{marker}-{i}", photos=[photo])
        _write(inbox, name, obj)
        names.append(name)
    env = {"SEATDESK_DATABASE_URL": own.url(own.intake)}
    proc = _cli("intake", str(inbox), "--settle", "0", "--batch", "7", env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = inbox / "done"
        if done.exists() and sum(1 for p in done.glob("*.json")) >= 40:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    _, killed_err = proc.communicate(timeout=30)
    moved = sum(1 for _ in (inbox / "done").glob("*.json")) if (inbox / "done").exists() else 0
    assert 0 < moved < total - 20, f"the kill came too late to prove anything: {killed_err}"
    rerun = _cli("intake", str(inbox), "--settle", "0", "--batch", "7", env=env)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert "taken in" in out
    done = sorted(p.name for p in (inbox / "done").glob("*.json"))
    rejected = sorted(p.name for p in (inbox / "rejected").glob("*.json"))
    assert sorted(done + rejected) == names  # every item once, none twice, none left
    assert rejected == [n for i, n in enumerate(names) if i % 40 == 7]
    assert not list(inbox.glob("*.json"))
    with own.owner.connect() as conn:
        counts = {row[0]: row[1] for row in conn.execute(text(
            "SELECT description, count(*) FROM cases WHERE description LIKE :m "
            "GROUP BY description"), {"m": f"{marker}-%"})}
    assert len(counts) == total - len(rejected) and set(counts.values()) == {1}
    # Each photo went with its item, and each case has exactly its one photo.
    assert own.scalar(
        "SELECT count(*) FROM attachments a JOIN cases c ON c.id = a.case_id "
        "WHERE c.description LIKE :m", m=f"{marker}-%") == total - len(rejected)


def test_the_watching_intake_stops_cleanly_on_sigterm(own: Own, tmp_path: Path) -> None:
    env = {"SEATDESK_DATABASE_URL": own.url(own.intake)}
    proc = _cli("intake", str(tmp_path), "--watch", "--poll", "0.2", "--settle", "0", env=env)
    time.sleep(1.0)
    path = _write(tmp_path, "late.json.tmp", _report())
    os.replace(path, tmp_path / "late.json")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "done" / "late.json").exists():
        time.sleep(0.1)
    if not (tmp_path / "done" / "late.json").exists():
        proc.kill()
        raise AssertionError(proc.communicate()[1])
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "1 taken in" in out and "Stopped after the current item." in err


def test_map_on_the_command_line_is_an_admins(own: Own) -> None:
    env = {"SEATDESK_DATABASE_URL": own.url(), "SEATDESK_USER": own.admin,
           "SEATDESK_PASSWORD": PASSWORD}
    mapped = _cli("intake", "map", "trash", "0101", "--type", "component", env=env)
    out, err = mapped.communicate(timeout=60)
    assert mapped.returncode == 0, err
    assert "Open311 service trash now files as 0101." in out
    listed = _cli("intake", "services", env=env)
    out, err = listed.communicate(timeout=60)
    assert listed.returncode == 0 and "trash" in out, err
    denied = _cli("intake", "map", "trash", "--remove",
                  env={**env, "SEATDESK_USER": own.intake})
    out, err = denied.communicate(timeout=60)
    assert denied.returncode == 1 and "may not" in err and "Traceback" not in err
    removed = _cli("intake", "map", "trash", "--remove", env=env)
    out, err = removed.communicate(timeout=60)
    assert removed.returncode == 0 and "mapped to no category any more" in out, err


def test_a_crash_between_the_photos_and_the_json_leaves_nothing_to_redo(
    own: Own, tmp_path: Path
) -> None:
    (tmp_path / "scene.jpg").write_bytes(jpeg())
    _write(tmp_path, "item.json", _report(photos=["scene.jpg"]))
    first = own.run(tmp_path)
    assert (first.accepted, first.rejected) == (1, 0)
    # As if the run had died after moving the photo and before moving the JSON.
    os.replace(tmp_path / "done" / "item.json", tmp_path / "item.json")
    again = own.run(tmp_path)
    assert (again.accepted, again.repeated, again.rejected) == (0, 1, 0)
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["item.json", "scene.jpg"]
    assert not (tmp_path / "rejected").exists()
