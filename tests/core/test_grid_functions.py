"""The unit grids are written only through ``seatdesk_change_grids`` (migration 0037),
by an admin seat or the owner's side, each change audited in ``rules_events``. Every try
is a real login with raw SQL, as a seat operator with psql would make it; each runs in a
transaction that is rolled back, so the shared database keeps its grids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.domain.glossary import Role
from tests.core.conftest import LOGIN

#: A community of this file's own, and grids of a year long past (no map shows them).
COMMUNITY = "999999999999"
SQUARE = {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.001, 39.0],
                                              [116.001, 39.001], [116.0, 39.001],
                                              [116.0, 39.0]]]}


def _grid(seq: int, **over: Any) -> dict[str, Any]:
    return {"code": f"{COMMUNITY}{seq:03d}", "name": f"测试网格{seq}", "polygon": SQUARE,
            "area_m2": 9300.0, "start_date": "2001-01-01", "end_date": None, "note": None,
            **over}


@pytest.fixture
def admin(seats: dict[Role, Engine]) -> Iterator[Connection]:
    with seats[Role.ADMIN].connect() as conn:
        conn.begin()
        yield conn
        conn.rollback()


def _change(conn: Connection, add: list[dict[str, Any]] | None = None,
            end: list[dict[str, Any]] | None = None,
            rename: list[dict[str, Any]] | None = None) -> int:
    return int(conn.execute(
        text("SELECT seatdesk_change_grids(CAST(:a AS jsonb), CAST(:e AS jsonb), "
             "CAST(:r AS jsonb))"),
        {"a": json.dumps(add or []), "e": json.dumps(end or []), "r": json.dumps(rename or [])},
    ).scalar_one())


def _refused(conn: Connection, **kwargs: Any) -> str:
    conn.execute(text("SAVEPOINT try"))
    with pytest.raises(DBAPIError) as err:
        _change(conn, **kwargs)
    conn.execute(text("ROLLBACK TO SAVEPOINT try"))
    return str(err.value.orig)


def test_no_seat_writes_the_grids_directly(seats: dict[Role, Engine]) -> None:
    code = f"{COMMUNITY}001"
    for role, engine in seats.items():
        for sql in (
            "UPDATE grids SET name = 'x'",
            "DELETE FROM grids",
            f"INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date) "
            f"VALUES ('{code}', 'x', '{COMMUNITY}', '{{}}', 1, '2001-01-01')",
        ):
            with engine.connect() as conn, pytest.raises(DBAPIError) as err:
                conn.execute(text(sql))
            assert "permission denied" in str(err.value.orig), (role, sql)


def test_an_admin_adds_renames_and_ends_a_grid_each_step_audited(admin: Connection) -> None:
    code = f"{COMMUNITY}001"
    assert _change(admin, add=[_grid(1), _grid(2, end_date="2001-12-31")]) == 2
    assert _change(admin, rename=[{"code": code, "name": "  新名字 ", "note": "改名"}],
                   end=[{"code": code, "end_date": "2001-06-30"}]) == 2
    row = admin.execute(text("SELECT name, note, end_date::text, community_code FROM grids "
                             "WHERE code = :c"), {"c": code}).one()
    assert tuple(row) == ("新名字", "改名", "2001-06-30", COMMUNITY)
    audit = admin.execute(text(
        "SELECT actor, action, new_row ->> 'name', new_row ->> 'end_date' FROM rules_events "
        "WHERE subject = 'grids' AND key = :c ORDER BY id"), {"c": code}).all()
    # The call ends first, then renames: two rows of the audit, each with the real login.
    assert [tuple(a) for a in audit] == [
        (LOGIN[Role.ADMIN], "insert", "测试网格1", None),
        (LOGIN[Role.ADMIN], "update", "测试网格1", "2001-06-30"),
        (LOGIN[Role.ADMIN], "update", "新名字", "2001-06-30"),
    ]


def test_each_bad_change_is_refused_and_the_call_writes_nothing(admin: Connection) -> None:
    _change(admin, add=[_grid(1), _grid(3, end_date="2001-03-01")])
    cases = [
        ({"add": [_grid(4, code="12345")]}, "malformed_grid_code"),
        ({"add": [_grid(4, polygon={"type": "Point", "coordinates": [116, 39]})]},
         "not_a_polygon"),
        ({"add": [_grid(4, polygon="a string")]}, "not_a_polygon"),
        ({"add": [_grid(4, area_m2=0)]}, "out_of_range"),
        ({"add": [_grid(4, start_date="2001-05-01", end_date="2001-04-01")]}, "out_of_order"),
        ({"add": [_grid(4, name="   ")]}, "required"),
        ({"add": [_grid(1)]}, "exists"),
        ({"add": [_grid(4), _grid(4)]}, "exists"),
        ({"end": [{"code": f"{COMMUNITY}003", "end_date": "2001-06-01"}]}, "already_ended"),
        ({"end": [{"code": f"{COMMUNITY}001", "end_date": "2000-12-31"}]}, "before_start"),
        # A good new grid beside an end of no grid: neither happens.
        ({"add": [_grid(5)], "end": [{"code": f"{COMMUNITY}404", "end_date": "2001-06-01"}]},
         "no grid"),
        ({"rename": [{"code": f"{COMMUNITY}404", "name": "无"}]}, "no grid"),
    ]
    for kwargs, problem in cases:
        assert problem in _refused(admin, **kwargs), kwargs
    codes = admin.execute(text("SELECT code FROM grids WHERE community_code = :c ORDER BY code"),
                          {"c": COMMUNITY}).scalars().all()
    assert codes == [f"{COMMUNITY}001", f"{COMMUNITY}003"]


def test_only_an_admin_may_call_it(seats: dict[Role, Engine]) -> None:
    for role, engine in seats.items():
        if role is Role.ADMIN:
            continue
        with engine.connect() as conn:
            conn.begin()
            refused = _refused(conn, add=[_grid(6)])
            # A desk seat hears who may; the intake service may not even call it.
            expected = ("permission denied for function" if role is Role.INTAKE
                        else "may not change the centre's rules (grids_edit)")
            assert expected in refused, role
            assert conn.execute(text("SELECT count(*) FROM grids WHERE code = :c"),
                                {"c": f"{COMMUNITY}006"}).scalar_one() == 0
            conn.rollback()


def test_the_audit_line_names_an_empty_field_with_a_dash() -> None:
    from datetime import datetime

    from seatdesk import messages
    from seatdesk.services.rules import RulesEvent, describe_event

    event = RulesEvent(datetime(2026, 12, 2, 18, 21), "admin1", "grids", "update",
                       f"{COMMUNITY}001", {"code": f"{COMMUNITY}001", "end_date": None},
                       {"code": f"{COMMUNITY}001", "end_date": "2027-01-01"})
    until = messages.t("rules.audit_field.end_date")
    assert describe_event(event) == f"{until}: — → 2027-01-01"
