"""Collectors (migration 0031): the register and its refusals, responsibility grids with
their history, the coverage on a hand-made data set, the default addressing of verify
and check tasks, and the weekly/monthly report reopened with openpyxl."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Action, CollectorAction, Role, State
from seatdesk.errors import NotFound, PermissionDenied, ValidationError
from seatdesk.services import collector_reports, collectors
from seatdesk.services.collector_reports import ReportPeriod
from tests.core.conftest import LOGIN, Desk


def _grids(desk: Desk, n: int) -> list[str]:
    rows = desk.session.execute(text(
        "SELECT code FROM grids WHERE end_date IS NULL ORDER BY code LIMIT :n"), {"n": n})
    return [r[0] for r in rows]


def _add(desk: Desk, collector_id: str, name: str, **more: object) -> None:
    with desk.as_(Role.ADMIN) as s:
        collectors.save_collector(s, collector_id=collector_id, name=name, **more)  # type: ignore[arg-type]


# ---- the register


def test_an_admin_registers_and_edits_a_collector_audited(desk: Desk) -> None:
    _add(desk, "采集员 周新", "周新", staff_number="C001", phone="13800138000",
         device_id="CJQ-0001")
    _add(desk, "采集员 周新", "周新", staff_number="C001", phone="0577-63661234",
         device_id="CJQ-0002")
    with desk.as_(Role.ACCEPTOR) as s:
        found = collectors.list_collectors(s, "CJQ-0002")
    assert [(c.collector_id, c.phone, c.device_id, c.active) for c in found] == [
        ("采集员 周新", "0577-63661234", "CJQ-0002", True)]
    actions = desk.session.execute(text(
        "SELECT action, actor FROM collector_events WHERE subject = '采集员 周新' ORDER BY id"
    )).all()
    assert [tuple(a) for a in actions] == [("add", LOGIN[Role.ADMIN]), ("edit", LOGIN[Role.ADMIN])]


def test_bad_input_is_refused_naming_the_field(desk: Desk) -> None:
    with pytest.raises(ValidationError) as err:
        _add(desk, "K1", "某人", phone="call me")
    assert err.value.field == "collector_phone"
    with pytest.raises(ValidationError) as err:
        _add(desk, "K1", "   ")
    assert (err.value.field, err.value.problem) == ("collector_name", "required")
    with pytest.raises(ValidationError) as err:
        _add(desk, "K1", "甲\n乙")
    assert (err.value.field, err.value.problem) == ("collector_name", "control_character")
    _add(desk, "K1", "甲", device_id="D-1")
    with pytest.raises(ValidationError) as err:
        _add(desk, "K2", "乙", device_id="D-1")
    assert (err.value.field, err.value.problem) == ("device_id", "taken")
    assert "采集器编号" in str(err.value)


def test_a_seat_may_not_change_the_register_through_the_service(desk: Desk) -> None:
    with pytest.raises(PermissionDenied) as err, desk.as_(Role.ACCEPTOR) as s:
        collectors.save_collector(s, collector_id="K9", name="某人")
    assert err.value.action is CollectorAction.SAVE_COLLECTOR
    assert desk.scalar("SELECT count(*) FROM collectors WHERE collector_id = 'K9'") == 0


@pytest.mark.parametrize("statement", [
    "INSERT INTO collectors (collector_id, name, active, updated_at, updated_by) "
    "VALUES ('X', 'X', true, now(), 'x')",
    "UPDATE collectors SET active = false",
    "DELETE FROM collector_grids",
    "INSERT INTO grid_types VALUES ('lazy', '偷懒', 0)",
    "UPDATE grid_types SET visits_per_day = 0",
    "INSERT INTO collector_events (at, actor, action, subject, data) "
    "VALUES (now(), 'x', 'add', 'x', '{}')",
    "SELECT seatdesk_save_collector('X', 'X', NULL, NULL, NULL, true)",
    "SELECT seatdesk_bind_grids('X', ARRAY['330326001001001'])",
    "SELECT seatdesk_set_patrol_density('general', '一般', 0)",
    "SELECT seatdesk_collector_grid_list(ARRAY['x'])",
])
@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.INSPECTOR, Role.DEPARTMENT])
def test_raw_sql_of_a_seat_login_is_refused(
    seats: dict[Role, Engine], role: Role, statement: str
) -> None:
    with seats[role].connect() as conn, pytest.raises(DBAPIError) as err:
        conn.execute(text(statement))
    # 42501: no privilege; SD403: the function refuses the seat's role.
    assert getattr(err.value.orig, "pgcode", None) in {"42501", "SD403"}


def test_a_department_seat_cannot_read_the_register(seats: dict[Role, Engine]) -> None:
    with seats[Role.DEPARTMENT].connect() as conn, pytest.raises(DBAPIError) as err:
        conn.execute(text("SELECT phone FROM collectors"))
    assert getattr(err.value.orig, "pgcode", None) == "42501"


# ---- responsibility grids


def test_a_grid_has_one_collector_at_a_time_and_keeps_its_history(desk: Desk) -> None:
    g1, g2, g3 = _grids(desk, 3)
    _add(desk, "A", "甲")
    _add(desk, "B", "乙")
    with desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="A", grids=[g1, g2, g3])
        collectors.bind_grids(s, collector_id="B", grids=[g2])
    with desk.as_(Role.ACCEPTOR) as s:
        held = {b.grid_code: b.collector_id for b in collectors.grid_bindings(s)}
        history = collectors.grid_history(s, g2)
    assert (held[g1], held[g2], held[g3]) == ("A", "B", "A")
    assert [(h.collector_id, h.valid_to is None) for h in history] == [("A", False), ("B", True)]
    # Deactivated: A's grids are nobody's, and A can be bound nothing more.
    _add(desk, "A", "甲", active=False)
    with desk.as_(Role.ADMIN) as s:
        held = {b.grid_code: b.collector_id for b in collectors.grid_bindings(s)}
    assert (held[g1], held[g2], held[g3]) == (None, "B", None)
    with pytest.raises(ValidationError) as err, desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="A", grids=[g1])
    assert err.value.problem == "inactive"
    with pytest.raises(NotFound), desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="B", grids=["999999999999999"])
    with desk.as_(Role.ADMIN) as s:
        collectors.unbind_grids(s, grids=[g2])
    assert desk.scalar(
        "SELECT count(*) FROM collector_grids WHERE valid_to IS NULL AND grid_code = :g",
        g=g2) == 0


def test_patrol_density_is_set_and_checked(desk: Desk) -> None:
    with desk.as_(Role.ADMIN) as s:
        collectors.set_patrol_density(s, code="market", name="集贸市场", visits_per_day=4)
    with desk.as_(Role.INSPECTOR) as s:
        types = {t.code: t.visits_per_day for t in collectors.grid_types(s)}
    assert types["market"] == Decimal(4) and types["general"] == Decimal(1)
    with pytest.raises(ValidationError) as err, desk.as_(Role.ADMIN) as s:
        collectors.set_patrol_density(s, code="market", name="集贸市场", visits_per_day=101)
    assert (err.value.field, err.value.problem) == ("visits_per_day", "out_of_range")
    with desk.as_(Role.ADMIN) as s:
        collectors.set_patrol_density(s, code="market", name="集贸市场",
                                      visits_per_day=Decimal("0.333333333333"))
        types = {t.code: t.visits_per_day for t in collectors.grid_types(s)}
    assert types["market"] == Decimal("0.33")


# ---- coverage, worked out by hand


def _report(desk: Desk, case_id: int, grid: str, at: str) -> None:
    desk.session.execute(text(
        "UPDATE cases SET source = 'collector', grid_code = :g, created_at = :at WHERE id = :i"),
        {"g": grid, "at": at, "i": case_id})


def test_coverage_of_a_hand_made_data_set(desk: Desk) -> None:
    g1, g2, g3 = _grids(desk, 3)
    _add(desk, "A", "甲")
    with desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="A", grids=[g1, g2])
        collectors.set_grid_type(s, grids=[g1], grid_type="key")  # 3 a day
        collectors.set_grid_type(s, grids=[g3], grid_type="outskirts")  # 0.5 a day
    ids = [r[0] for r in desk.session.execute(text("SELECT id FROM cases ORDER BY id LIMIT 8"))]
    # Two days, 2030-01-01 and 02 (UTC). g1 needs ceil(3 × 2) = 6 visits: 4 reports and
    # 1 answered task make 5, not covered. g2 (general) needs 2: 2 reports, covered.
    # g3 needs ceil(0.5 × 2) = 1: its one report is the day before, none: not covered.
    for case_id, grid, at in [
        (ids[0], g1, "2030-01-01 08:00Z"), (ids[1], g1, "2030-01-01 09:00Z"),
        (ids[2], g1, "2030-01-02 10:00Z"), (ids[3], g1, "2030-01-02 23:59Z"),
        (ids[4], g2, "2030-01-01 12:00Z"), (ids[5], g2, "2030-01-02 12:00Z"),
        (ids[6], g3, "2029-12-31 23:00Z"),
    ]:
        _report(desk, case_id, grid, at)
    desk.session.execute(text(
        "INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline, "
        "answered_at) VALUES (-1, :c, true, 'A', '2030-01-01 00:00Z', NULL, '2030-01-01 15:00Z'), "
        "(-2, :c, false, 'A', '2029-12-30 00:00Z', NULL, '2029-12-31 00:00Z')"), {"c": ids[0]})
    with desk.as_(Role.INSPECTOR) as s:
        rows = {r.grid_code: r for r in collector_reports.coverage(
            s, days=2, until=datetime(2030, 1, 3, tzinfo=UTC))}
    got = {g: (rows[g].required, rows[g].visits, rows[g].covered, rows[g].collector_id)
           for g in (g1, g2, g3)}
    assert got == {g1: (6, 5, False, "A"), g2: (2, 2, True, "A"), g3: (1, 0, False, None)}
    with pytest.raises(ValidationError), desk.as_(Role.INSPECTOR) as s:
        collector_reports.coverage(s, days=0)


# ---- default addressing of verify and check tasks


def test_a_verification_goes_to_the_grids_collector_by_default(desk: Desk) -> None:
    case_id = desk.new_case()
    grid = desk.scalar("SELECT grid_code FROM cases WHERE id = :i", i=case_id)
    assert grid is not None
    with pytest.raises(ValidationError) as err:  # nobody holds the grid: as before
        desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id, collector=None)
    assert err.value.problem == "required"
    _add(desk, "采集员 冯刚", "冯刚")
    with desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="采集员 冯刚", grids=[grid])
    with desk.as_(Role.ACCEPTOR) as s:
        assert collectors.default_collector(s, case_id) == "采集员 冯刚"
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id, collector=None)
    assert desk.state(case_id) is State.VERIFYING
    assert desk.scalar(
        "SELECT collector FROM collector_tasks WHERE case_id = :i", i=case_id) == "采集员 冯刚"
    # A seat that names somebody else is followed.
    other = desk.new_case()
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, other, collector="采集员 郑丽")
    assert desk.scalar(
        "SELECT collector FROM collector_tasks WHERE case_id = :i", i=other) == "采集员 郑丽"


# ---- the report


def test_periods_are_parsed() -> None:
    week = ReportPeriod.week("2026-W48")
    assert (str(week.first_day), str(week.end_day), week.days) == ("2026-11-23", "2026-11-30", 7)
    month = ReportPeriod.month("2026-02")
    assert (str(month.first_day), month.days) == ("2026-02-01", 28)
    with pytest.raises(ValueError, match="not a week"):
        ReportPeriod.week("2026-W54")


def test_the_monthly_report_reopens_with_its_figures(desk: Desk, tmp_path: Path) -> None:
    g1, g2 = _grids(desk, 2)
    _add(desk, "A", "甲")
    with desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="A", grids=[g1, g2])
    ids = [r[0] for r in desk.session.execute(text("SELECT id FROM cases ORDER BY id LIMIT 3"))]
    # November 2030 (30 days, general: 30 visits needed): g1 gets none, g2 none.
    desk.session.execute(text(
        "INSERT INTO intake_items (item_key, kind, case_id, collector, at, actor) VALUES "
        "('t1', 'report', :a, 'A', '2030-11-05 00:00Z', 'intake1'), "
        "('t2', 'report', :b, 'A', '2030-11-06 00:00Z', 'intake1'), "
        "('t3', 'report', :c, 'ghost', '2030-11-07 00:00Z', 'intake1')"),
        {"a": ids[0], "b": ids[1], "c": ids[2]})
    desk.session.execute(text(
        "INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline, "
        "answered_at) VALUES (-1, :c, true, 'A', '2030-11-10 00:00Z', '2030-11-11 00:00Z', "
        "'2030-11-10 12:00Z'), (-2, :c, false, 'A', '2030-11-12 00:00Z', '2030-11-12 01:00Z', "
        "'2030-11-13 00:00Z')"), {"c": ids[0]})
    out = tmp_path / "collectors.xlsx"
    with desk.as_(Role.INSPECTOR) as s:
        collector_reports.write_collector_report(s, ReportPeriod.month("2030-11"), out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["信息采集员", "网格巡查覆盖"]
    sheet = book["信息采集员"]
    header = [c.value for c in sheet[3]]
    assert header[:6] == ["信息采集员", "姓名", "上报数", "有效上报数", "核实核查任务数",
                          "按时完成任务数"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    # A: 2 reports (registered or not is the demo's), 2 tasks of which 1 on time, 2 grids
    # held, none covered → 0 %.
    a = rows["A"]
    assert (a[1], a[2], a[4], a[5], a[6], a[7], a[8]) == ("甲", 2, 2, 1, 2, 0, 0)
    assert rows["ghost"][2] == 1 and rows["ghost"][1] is None
    coverage = book["网格巡查覆盖"]
    by_grid = {r[0]: r for r in coverage.iter_rows(min_row=4, values_only=True)}
    assert by_grid[g1][3:7] == (30, 0, "否", "A")


# ---- over real logins, committed: notices and two administrators at once


def test_a_change_is_announced_as_collectors(server: ServerAddress, seeded: DemoResult) -> None:
    from seatdesk.notices import Kind, Notice, encode
    from tests.core.test_notices import _listening

    admin = connect(server.for_login(LOGIN[Role.ADMIN], seeded.passwords[LOGIN[Role.ADMIN]]))
    try:
        with _listening(server) as drain:
            with session_factory(admin).begin() as s:
                collectors.save_collector(s, collector_id=f"N{uuid.uuid4().hex[:8]}",
                                          name="通知")
            payloads = drain(0.5)
    finally:
        admin.dispose()
    assert payloads == [encode(Notice(Kind.COLLECTORS))]


def test_two_admins_binding_one_grid_at_once_leave_one_responsible(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    password = seeded.passwords[LOGIN[Role.ADMIN]]
    first, second = (connect(server.for_login(LOGIN[Role.ADMIN], password)) for _ in "12")
    ids = [f"C{uuid.uuid4().hex[:8]}" for _ in "12"]
    with owner_engine.connect() as conn:
        grid = conn.execute(text(
            "SELECT code FROM grids WHERE end_date IS NULL ORDER BY code DESC LIMIT 1 OFFSET 5"
        )).scalar_one()
    try:
        with session_factory(first).begin() as s:
            for cid in ids:
                collectors.save_collector(s, collector_id=cid, name=cid)
        outcome: list[object] = []
        with session_factory(first).begin() as s1:
            collectors.bind_grids(s1, collector_id=ids[0], grids=[grid])

            def other() -> None:
                with session_factory(second).begin() as s2:
                    outcome.append(collectors.bind_grids(s2, collector_id=ids[1], grids=[grid]))

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(1.0)
            assert thread.is_alive()  # waits for the first to commit, never both at once
        thread.join(15)
        assert outcome  # then takes the grid over
        with owner_engine.connect() as conn:
            periods = conn.execute(text(
                "SELECT collector_id, valid_to IS NULL FROM collector_grids "
                "WHERE grid_code = :g AND collector_id = ANY(:ids) ORDER BY id"),
                {"g": grid, "ids": ids}).all()
        assert [tuple(p) for p in periods] == [(ids[0], False), (ids[1], True)]
        with session_factory(first).begin() as s:
            collectors.unbind_grids(s, grids=[grid])
    finally:
        first.dispose()
        second.dispose()


def test_a_demo_reset_takes_the_grids_bindings_with_them(desk: Desk) -> None:
    from seatdesk.demo import run_demo

    (grid,) = _grids(desk, 1)
    _add(desk, "A", "甲")
    with desk.as_(Role.ADMIN) as s:
        collectors.bind_grids(s, collector_id="A", grids=[grid])
        collectors.set_grid_type(s, grids=[grid], grid_type="key")
    run_demo(desk.session, seed=7, cases=20, reset=True)
    assert desk.scalar("SELECT count(*) FROM collector_grids") == 0
    assert desk.scalar("SELECT count(*) FROM grid_patrol_types") == 0
    assert desk.scalar("SELECT active FROM collectors WHERE collector_id = 'A'") is True
