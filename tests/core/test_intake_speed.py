"""Migration 0018 (the intake's speed): the reports of a batch in one call, each written
by ``seatdesk_intake_report`` as if alone; a case written once, with its number; the
CHECK lists as constants that still refuse what they refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db.engine import ServerAddress, connect
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.errors import ValidationError
from seatdesk.services import intake
from seatdesk.services.case_detail import timeline
from seatdesk.services.photos import Photo
from tests.core.conftest import Desk
from tests.core.test_intake import _item, _report, jpeg, png


def _fields(**overrides: object) -> dict[str, object]:
    item = _report(**overrides)
    location = item.pop("location")
    item.pop("id")
    return {**item, "longitude": location["longitude"], "latitude": location["latitude"]}


def test_the_reports_of_a_batch_go_in_one_call_with_the_same_outcomes(
    desk: Desk, tmp_path: Path
) -> None:
    items = [
        _item(tmp_path / "a.json", _fields(description="一张照片"), (Photo(jpeg(), "a.jpg"),)),
        _item(tmp_path / "b.json", _fields(description="没有照片")),
        _item(tmp_path / "c.json", _fields(description="两张照片"),
              (Photo(png(), "c1.png"), Photo(jpeg((1, 2, 3)), "c2.jpg"))),
    ]
    with desk.as_(Role.INTAKE) as s:
        outcomes = intake.write_reports(s, items)
        again = intake.write_reports(s, [items[1], items[0]])
    assert [o.path.name for o in outcomes] == ["a.json", "b.json", "c.json"]
    assert not any(o.repeated for o in outcomes)
    ids = [o.case_id for o in outcomes if o.case_id is not None]
    assert len(ids) == 3 and ids == sorted(ids)  # written in order
    assert [(o.case_id, o.repeated) for o in again] == [(ids[1], True), (ids[0], True)]
    for outcome, description, photos in zip(
        outcomes, ["一张照片", "没有照片", "两张照片"], [["a.jpg"], [], ["c1.png", "c2.jpg"]],
        strict=True,
    ):
        row = desk.session.execute(text(
            "SELECT number, description, reporter FROM cases WHERE id = :i"
        ), {"i": outcome.case_id}).one()
        assert tuple(row) == (outcome.number, description, "采集员张三")
        assert desk.session.execute(text(
            "SELECT filename FROM attachments WHERE case_id = :i AND step = 'report' "
            "AND uploaded_by = 'intake1' ORDER BY id"
        ), {"i": outcome.case_id}).scalars().all() == photos
        assert outcome.case_id is not None
        events = timeline(desk.session, outcome.case_id)
        assert [(e.action, e.actor) for e in events] == [("create", "intake1")]
        assert desk.scalar("SELECT actor FROM intake_items WHERE case_id = :i",
                           i=outcome.case_id) == "intake1"


def test_one_refused_report_refuses_the_call_in_its_own_words(
    desk: Desk, tmp_path: Path
) -> None:
    items = [
        _item(tmp_path / "a.json", _fields()),
        _item(tmp_path / "b.json", _fields(category_code="9999")),
    ]
    with desk.as_(Role.INTAKE) as s, pytest.raises(ValidationError) as err, s.begin_nested():
        intake.write_reports(s, items)
    assert (err.value.field, err.value.problem) == ("category", "unknown")
    assert intake.reason(err.value) == intake.reason(_single_refusal(desk, items[1]))


def _single_refusal(desk: Desk, item: intake.Item) -> ValidationError:
    with desk.as_(Role.INTAKE) as s, pytest.raises(ValidationError) as err, s.begin_nested():
        intake.write_item(s, item)
    return err.value


def test_a_good_folder_is_written_in_one_call_a_batch_and_a_bad_item_alone(
    desk: Desk, tmp_path: Path
) -> None:
    good = [intake._Read(tmp_path / f"g{i}.json", item=_item(tmp_path / f"g{i}.json", _fields()))
            for i in range(3)]
    bad = intake._Read(tmp_path / "bad.json",
                       item=_item(tmp_path / "bad.json", _fields(category_code="9999")))
    with desk.as_(Role.INTAKE) as s:
        with pytest.raises(intake._Refused), s.begin_nested():
            intake._write_batch(s, [*good, bad], careful=False)
        outcomes = intake._write_batch(s, [*good, bad], careful=True)
    assert [o.accepted for o in outcomes] == [True, True, True, False]
    assert outcomes[3].error == intake.reason(_single_refusal(desk, bad.item))  # type: ignore[arg-type]


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


def _refusal(conn: Connection, sql: str, **params: object) -> tuple[str, str]:
    with pytest.raises(DBAPIError) as err, conn.begin_nested():
        conn.execute(text(sql), params)
    orig = err.value.orig
    return str(getattr(orig, "pgcode", "")), str(orig.diag.message_primary)  # type: ignore[union-attr]


def test_the_photos_must_add_up(intake_login: Connection) -> None:
    item = json.dumps(_fields(), ensure_ascii=False)
    for counts, photos in (([1], []), ([0], [jpeg()]), ([-1], []), ([None], [])):
        code, message = _refusal(
            intake_login,
            "SELECT seatdesk_intake_reports(ARRAY['k1'], ARRAY[CAST(:item AS jsonb)], "
            "CAST(:counts AS integer[]), CAST(:names AS text[]), CAST(:data AS bytea[]), "
            "CAST(:thumbs AS bytea[]), CAST(:taken AS timestamptz[]))",
            item=item, counts=counts, names=["a.jpg"] * len(photos), data=photos,
            thumbs=[None] * len(photos), taken=[None] * len(photos))
        assert (code, message.split(":")[0]) == ("SD422", "photo"), counts
    code, message = _refusal(
        intake_login, "SELECT seatdesk_intake_reports(ARRAY['k1', 'k2'], "
        "ARRAY[CAST(:item AS jsonb)], '{0, 0}')", item=item)
    assert (code, message.split(":")[0]) == ("SD422", "item_key")


def test_only_the_intake_sends_reports_and_the_function_is_hardened(desk: Desk) -> None:
    with desk.as_(Role.ACCEPTOR) as s, pytest.raises(DBAPIError) as err, s.begin_nested():
        s.execute(text("SELECT seatdesk_intake_reports('{}', '{}', '{}')"))
    assert err.value.orig.pgcode == "42501"  # type: ignore[union-attr]
    definer, config, public_may = desk.session.execute(text("""
        SELECT p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p WHERE p.proname = 'seatdesk_intake_reports'
    """)).one()
    assert definer and not public_may
    assert "search_path=public, pg_temp" in config


def test_a_new_case_is_written_once_with_its_number(desk: Desk, tmp_path: Path) -> None:
    with desk.as_(Role.INTAKE) as s:
        before = s.execute(text(
            "SELECT pg_stat_get_xact_tuples_updated('cases'::regclass)")).scalar_one()
        outcome = intake.write_item(s, _item(tmp_path / "a.json", _fields()))
        after = s.execute(text(
            "SELECT pg_stat_get_xact_tuples_updated('cases'::regclass)")).scalar_one()
    assert after == before
    assert outcome.number is not None and outcome.number[:4].isdigit()
    assert not outcome.number.startswith("N")


@pytest.mark.parametrize(("sql", "constraint"), [
    ("UPDATE cases SET state = 'lost' WHERE id = (SELECT min(id) FROM cases)", "ck_cases_state"),
    ("UPDATE cases SET source = 'rumour' WHERE id = (SELECT min(id) FROM cases)",
     "ck_cases_source"),
    ("INSERT INTO case_events (case_id, action, to_state, actor, at) "
     "SELECT min(id), 'shrug', 'reported', 'x', now() FROM cases", "ck_case_events_action"),
    ("INSERT INTO case_events (case_id, action, from_state, to_state, actor, at) "
     "SELECT min(id), 'create', 'limbo', 'reported', 'x', now() FROM cases",
     "ck_case_events_states"),
])
def test_the_lists_of_known_values_refuse_as_before(desk: Desk, sql: str,
                                                    constraint: str) -> None:
    definition = desk.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                             "WHERE conname = :c", c=constraint)
    assert "ARRAY[" not in definition and "::text[]" in definition
    with pytest.raises(DBAPIError) as err, desk.session.begin_nested():
        desk.session.execute(text(sql))
    assert err.value.orig.pgcode == "23514"  # type: ignore[union-attr]
    assert err.value.orig.diag.constraint_name == constraint  # type: ignore[union-attr]
