"""The department counters (issue 12) on a small hand-made county, worked out by hand.

Two departments of the test's own (T1, T2) and a liaison seat for each; the cases are
driven through the case functions as the seats would, and, where a case must be late,
the owner moves the handling deadline in force into the past inside the test's rolled-
back transaction (the trigger measures each report against the deadline it then holds).

The cases, all dispatched within the period [now − 1 h, now + 1 day):

    A  T1: handled on time, checked, closed            (source walk_in, in a grid)
    B  T1: handled after its deadline                  late
    C  T1: handled on time, check failed, reworked, handled again after the new deadline
                                                       late (every handling must be on time)
    D  T1: return requested and approved, dispatched to T2, open in T2
    E  T1: extension approved, handled in time         on time
    F  T1: postponed, open past its original deadline  not overdue (the clock is stopped)
    G  T1: open past its deadline                      overdue   (another category)

T1: 应处置 6 (A B C E F G; D returned: 回退 1), 处置 4 (A B C E), 按期 2 (A E),
超期处置 2 (B C), 超期待处置 1 (G), 返工 1 (C), 延期 1 (E), 缓办 1 (F);
立案 6 (the cases whose current handling is T1's), 结案 1 (A), 按期结案 1 (A).
T2: 应处置 1 (D), nothing handled, 立案 1 (D).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Action, Role, SettingsAction, Source, State
from seatdesk.domain.statistics import StatsFilter, StatsSettings
from seatdesk.errors import PermissionDenied, ValidationError
from seatdesk.services import statistics, users
from seatdesk.services.common import CaseId
from seatdesk.services.stats_departments import COLUMNS, TABLE_KEY, department_table
from tests.core.conftest import LOGIN, Desk

COLUMN_KEYS = [
    "department", "department_name", "dispatched", "handled", "handled_on_time",
    "handled_late", "overdue_open", "returned", "reworked", "extensions", "postponements",
    "handling_rate", "on_time_rate", "rework_rate", "extension_rate", "overdue_open_rate",
    "closure_rate", "on_time_closure_rate", "avg_handling_hours", "score",
]


@dataclass
class County:
    cases: dict[str, CaseId]
    period: StatsFilter
    grid: str
    other_category: int


def _past(desk: Desk, case_id: CaseId) -> None:
    """The owner moves the case's handling deadline in force an hour into the past."""
    desk.session.execute(text(
        "UPDATE case_handlings SET deadline = now() - interval '1 hour' "
        "WHERE case_id = :c AND is_current"), {"c": case_id})
    desk.session.execute(text(
        "UPDATE cases SET stage_deadline = now() - interval '1 hour' WHERE id = :c"),
        {"c": case_id})


def _dispatch(desk: Desk, case_id: CaseId, department: str) -> None:
    desk.perform(Role.DISPATCHER, Action.DISPATCH, case_id, department=department)


def _handle(desk: Desk, case_id: CaseId, seat: str) -> None:
    desk.perform(seat, Action.START_HANDLING, case_id)
    desk.perform(seat, Action.REPORT_DONE, case_id)


def _check(desk: Desk, case_id: CaseId, passed: bool) -> None:
    desk.perform(Role.ACCEPTOR, Action.REQUEST_CHECK, case_id)
    desk.perform(Role.ACCEPTOR, Action.CHECK_PASS if passed else Action.CHECK_FAIL, case_id)


@pytest.fixture
def county(desk: Desk) -> County:
    s = desk.session
    for code, name in (("T1", "测试一局"), ("T2", "测试二局")):
        s.execute(text("INSERT INTO departments (code, name) VALUES (:c, :n)"),
                  {"c": code, "n": name})
    with desk.as_(Role.ADMIN) as admin:
        for login, dept in (("dept_t1", "T1"), ("dept_t2", "T2")):
            users.add_user(admin, login=login, password=f"Pw-{uuid.uuid4().hex[:12]}9",
                           roles=[Role.DEPARTMENT], department=dept)
    grid = str(desk.scalar("SELECT code FROM grids WHERE end_date IS NULL ORDER BY code LIMIT 1"))
    other_category, other_condition = desk.category("event", "0101")
    start = desk.now() - timedelta(hours=1)

    def registered(**overrides: Any) -> CaseId:
        case_id = desk.new_case(**overrides)
        desk.drive(case_id, State.REGISTERED)
        return case_id

    t1 = "dept_t1"
    a = registered(source=Source.WALK_IN, grid_code=grid)
    b, c, d, e, f = (registered() for _ in range(5))
    g = registered(category_id=other_category, filing_condition_id=other_condition)
    for case_id in (a, b, c, d, e, f, g):
        _dispatch(desk, case_id, "T1")
    # A: on time, then closed.
    _handle(desk, a, t1)
    _check(desk, a, passed=True)
    desk.perform(Role.SHIFT_LEADER, Action.CLOSE, a)
    # B: late.
    desk.perform(t1, Action.START_HANDLING, b)
    _past(desk, b)
    desk.perform(t1, Action.REPORT_DONE, b)
    # C: on time, reworked (a new deadline), late the second time.
    _handle(desk, c, t1)
    _check(desk, c, passed=False)
    desk.perform(Role.SHIFT_LEADER, Action.REWORK, c)
    _past(desk, c)
    _handle(desk, c, t1)
    # D: returned by T1, dispatched to T2.
    desk.perform(t1, Action.REQUEST_RETURN, d)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, d)
    _dispatch(desk, d, "T2")
    # E: an extension, then handled.
    desk.perform(t1, Action.START_HANDLING, e)
    desk.perform(t1, Action.REQUEST_EXTENSION, e)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, e)
    desk.perform(t1, Action.REPORT_DONE, e)
    # F: postponed; its original deadline has passed, the clock is stopped.
    desk.perform(t1, Action.START_HANDLING, f)
    desk.perform(t1, Action.REQUEST_POSTPONEMENT, f)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, f)
    _past(desk, f)
    # G: open and overdue.
    desk.perform(t1, Action.START_HANDLING, g)
    _past(desk, g)
    period = StatsFilter(start, desk.now() + timedelta(days=1))
    return County(dict(zip("ABCDEFG", (a, b, c, d, e, f, g), strict=True)), period, grid,
                  other_category)


def _rows(s: Session, f: StatsFilter, settings: StatsSettings | None = None
          ) -> dict[str, dict[str, object]]:
    table = department_table(s, f, settings or StatsSettings())
    return {str(r["department"]): r for r in table.as_dicts()}


def test_the_table_has_the_agreed_columns() -> None:
    assert TABLE_KEY == "departments"
    assert [c.key for c in COLUMNS] == COLUMN_KEYS
    from seatdesk import messages

    for key in COLUMN_KEYS:
        assert f"stats.col.{key}" in messages.keys()  # noqa: SIM118 (a function)
    assert "stats.table.departments" in messages.keys()  # noqa: SIM118


def test_each_counter_and_rate_by_hand(desk: Desk, county: County) -> None:
    with desk.as_(Role.INSPECTOR) as s:
        rows = _rows(s, county.period)
    t1, t2 = rows["T1"], rows["T2"]
    assert t1["department_name"] == "测试一局"
    assert (t1["dispatched"], t1["handled"], t1["handled_on_time"], t1["handled_late"]) == (
        6, 4, 2, 2)
    assert (t1["overdue_open"], t1["returned"], t1["reworked"]) == (1, 1, 1)
    assert (t1["extensions"], t1["postponements"]) == (1, 1)
    assert t1["handling_rate"] == pytest.approx(4 / 6)
    assert t1["on_time_rate"] == pytest.approx(2 / 6)
    assert t1["rework_rate"] == pytest.approx(1 / 4)
    assert t1["extension_rate"] == pytest.approx(1 / 6)
    assert t1["overdue_open_rate"] == pytest.approx(1 / 6)
    assert t1["closure_rate"] == pytest.approx(1 / 6)
    assert t1["on_time_closure_rate"] == pytest.approx(1 / 6)
    # 4/6×30 + 2/6×20 + (1 − 1/4)×20 + (1 − 1/6)×20 + (1 − 1/6)×10
    assert t1["score"] == pytest.approx(20 + 20 / 3 + 15 + 50 / 3 + 25 / 3)
    assert (t2["dispatched"], t2["handled"], t2["overdue_open"], t2["returned"]) == (1, 0, 0, 0)
    assert (t2["handling_rate"], t2["rework_rate"], t2["closure_rate"]) == (0.0, None, 0.0)
    # nothing handled, nothing reworked, overdue or extended: 0 + 0 + 20 + 20 + 10
    assert t2["score"] == pytest.approx(50.0)
    assert t2["avg_handling_hours"] is None


def test_average_handling_time_in_working_hours(desk: Desk, county: County) -> None:
    # The trigger wrote each handling's working minutes from its dispatch; the owner sets
    # them to hand-picked values: (120 + 240 + 60 + 180) / 4 = 150 min = 2.5 h.
    for name, minutes in (("A", 120), ("B", 240), ("C", 60), ("E", 180)):
        desk.session.execute(text(
            "UPDATE case_handlings SET handling_minutes = :m WHERE case_id = :c"),
            {"m": minutes, "c": county.cases[name]})
    with desk.as_(Role.INSPECTOR) as s:
        assert _rows(s, county.period)["T1"]["avg_handling_hours"] == pytest.approx(2.5)


def test_the_trigger_measures_working_minutes(desk: Desk, county: County) -> None:
    minutes, expected = desk.session.execute(text(
        "SELECT handling_minutes, seatdesk_working_minutes(dispatched_at, handled_at, "
        "'working_hours') FROM case_handlings WHERE case_id = :c"),
        {"c": county.cases["A"]}).one()
    assert minutes == expected is not None


def test_postponed_cases_leave_the_denominators(desk: Desk, county: County) -> None:
    with desk.as_(Role.INSPECTOR) as s:
        t1 = _rows(s, county.period, StatsSettings(exclude_postponed=True))["T1"]
    # F leaves: 应处置 5, 处置 4, 按期 2, 超期待处置 1, 延期 1, 返工 1 (of 4 handled).
    assert t1["dispatched"] == 6  # the counts stay as counted
    assert t1["handling_rate"] == pytest.approx(4 / 5)
    assert t1["on_time_rate"] == pytest.approx(2 / 5)
    assert t1["extension_rate"] == pytest.approx(1 / 5)
    assert t1["overdue_open_rate"] == pytest.approx(1 / 5)
    assert t1["rework_rate"] == pytest.approx(1 / 4)


def test_the_centre_settings_are_read_when_none_are_given(desk: Desk, county: County) -> None:
    with desk.as_(Role.ADMIN) as s:
        statistics.save_settings(s, StatsSettings(exclude_postponed=True, score_extension=0))
    with desk.as_(Role.INSPECTOR) as s:
        t1 = {r["department"]: r for r in department_table(s, county.period).as_dicts()}["T1"]
    assert t1["handling_rate"] == pytest.approx(4 / 5)
    # 4/5×30 + 2/5×20 + (1 − 1/4)×20 + (1 − 1/5)×20 + 0
    assert t1["score"] == pytest.approx(24 + 8 + 15 + 16)


def test_filters(desk: Desk, county: County) -> None:
    p = county.period
    grid = county.grid

    def t1(**kw: object) -> object:
        with desk.as_(Role.INSPECTOR) as s:
            row = _rows(s, StatsFilter(p.start, p.end, **kw)).get("T1")  # type: ignore[arg-type]
        return None if row is None else row["dispatched"]

    assert t1(source=Source.WALK_IN.value) == 1  # A
    assert t1(grid=grid) == 1
    assert t1(street=grid[:9]) == 1
    assert t1(community=grid[:12]) == 1
    assert t1(street="999999999") is None
    assert t1(category_id=county.other_category) == 1  # G
    with desk.as_(Role.INSPECTOR) as s:
        assert list(_rows(s, StatsFilter(p.start, p.end, department="T2"))) == ["T2"]
        # A period that ended before the cases were dispatched has none of them.
        assert "T1" not in _rows(s, StatsFilter(p.start - timedelta(days=30), p.start))


def test_the_period_ends_what_counts(desk: Desk, county: County) -> None:
    """As of an end between the dispatches and the reports (the owner moves T1's
    handlings' dispatch a day back and the period ends half a day ago): nothing was
    handled or returned by then, and what was overdue by then is overdue."""
    s = desk.session
    s.execute(text("UPDATE case_handlings SET dispatched_at = dispatched_at - interval '1 day',"
                   " deadline = now() - interval '20 hours' WHERE department = 'T1'"))
    now = desk.now()
    f = StatsFilter(now - timedelta(days=2), now - timedelta(hours=12))
    with desk.as_(Role.INSPECTOR) as seat:
        t1 = _rows(seat, f)["T1"]
    # All seven dispatched then, none returned by then; handled none; the postponement
    # (approved just now) had not stopped F's clock then: all 7 overdue.
    assert (t1["dispatched"], t1["returned"], t1["handled"], t1["overdue_open"]) == (7, 0, 0, 7)


def test_a_department_sees_only_its_row_returned_cases_included(
    desk: Desk, county: County
) -> None:
    with desk.as_("dept_t1") as s:
        rows = _rows(s, county.period)
        # The returned case has left T1's view of the cases, not its counters.
        assert s.execute(text("SELECT count(*) FROM cases WHERE id = :c"),
                         {"c": county.cases["D"]}).scalar_one() == 0
    assert list(rows) == ["T1"]
    assert rows["T1"]["returned"] == 1
    with desk.as_("dept_t2") as s:
        assert list(_rows(s, county.period)) == ["T2"]
        # Asking for another department's figures finds none.
        p = county.period
        assert _rows(s, StatsFilter(p.start, p.end, department="T1")) == {}


def test_a_department_login_reads_only_its_own_department(
    server: ServerAddress, seeded: DemoResult, owner_engine: Engine
) -> None:
    """Over real logins (the committed demo county): the SZ liaison seat gets SZ's row
    only, the inspector every department's."""
    wide = StatsFilter(datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone())
    for login, only in ((LOGIN[Role.DEPARTMENT], True), (LOGIN[Role.INSPECTOR], False)):
        engine = connect(server.for_login(login, seeded.passwords[login]))
        try:
            with session_factory(engine).begin() as s:
                departments = {r["department"] for r in
                               department_table(s, wide, StatsSettings()).as_dicts()}
        finally:
            engine.dispose()
        if only:
            assert departments == {"SZ"}
        else:
            assert len(departments) > 1


def test_the_trigger_keeps_what_the_events_say(desk: Desk, county: County) -> None:
    """What the trigger kept equals the replay of the events (the upgrade's fill); for
    the cases whose deadline the owner moved by hand, every other column."""
    # Two more: postponed then resumed and handled; voided while dispatched.
    h, v = desk.new_case(), desk.new_case()
    for case_id in (h, v):
        desk.drive(case_id, State.REGISTERED)
        _dispatch(desk, case_id, "T1")
    desk.perform("dept_t1", Action.START_HANDLING, h)
    desk.perform("dept_t1", Action.REQUEST_POSTPONEMENT, h)
    desk.perform(Role.SHIFT_LEADER, Action.APPROVE, h)
    desk.perform("dept_t1", Action.RESUME, h)
    desk.perform("dept_t1", Action.REPORT_DONE, h)
    desk.perform(Role.SHIFT_LEADER, Action.VOID, v)
    moved = [county.cases[n] for n in "BCFG"]
    unmoved = [*(county.cases[n] for n in "ADE"), h, v]

    def both(columns: list[str], ids: list[CaseId]) -> tuple[list[Any], list[Any]]:
        sql = (f"SELECT {', '.join(columns)} FROM {{}} WHERE case_id = ANY(:ids) "
               "ORDER BY dispatch_event_id")
        live, replay = (
            list(desk.session.execute(text(sql.format(source)), {"ids": ids}).all())
            for source in ("case_handlings", "seatdesk_case_handlings_from_events()"))
        return live, replay

    live, replay = both(COLUMN_NAMES, unmoved)
    assert len(live) == 6  # D twice
    assert live == replay
    assert [r[COLUMN_NAMES.index("ended_at")] is not None for r in live][-1]
    assert [r[COLUMN_NAMES.index("resumed_at")] is not None for r in live][-2]
    live, replay = both([c for c in COLUMN_NAMES if c not in ("deadline", "late_handlings")],
                        moved)
    assert len(live) == 4
    assert live == replay


COLUMN_NAMES = [
    "dispatch_event_id", "case_id", "department", "category_id", "grid_code", "source",
    "registered_at", "dispatched_at", "deadline", "handled_at", "handling_minutes",
    "late_handlings", "reworks", "extensions", "postponements", "postponed_at",
    "resumed_at", "returned_at", "closed_at", "ended_at", "is_current",
]


# ---- the settings


def test_settings_are_saved_audited_and_read_back(desk: Desk) -> None:
    wanted = StatsSettings(exclude_postponed=True, score_rework=15.5, callback_sample_share=0.2)
    with desk.as_(Role.INSPECTOR) as s:
        changes = statistics.save_settings(s, wanted)
        assert statistics.read_settings(s) == wanted
    assert "statistics" in changes.entities
    actor, value = desk.session.execute(text(
        "SELECT actor, value FROM settings_events ORDER BY id DESC LIMIT 1")).one()
    assert actor == LOGIN[Role.INSPECTOR]
    assert value["score_rework"] == 15.5


@pytest.mark.parametrize("who", [Role.DISPATCHER, Role.DEPARTMENT, Role.SHIFT_LEADER])
def test_other_seats_may_not_change_the_settings(desk: Desk, who: Role) -> None:
    with pytest.raises(PermissionDenied) as refused, desk.as_(who) as s:
        statistics.save_settings(s, StatsSettings())
    assert refused.value.action is SettingsAction.STATISTICS_SETTINGS
    assert refused.value.allowed == {Role.ADMIN, Role.INSPECTOR}
    assert who in refused.value.roles
    assert "修改统计设置" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("[]", "malformed"),
        ('{"nonsense": 1}', "unknown"),
        ('{"exclude_postponed": 1}', "wrong_type"),
        ('{"score_rework": "20"}', "wrong_type"),
        ('{"score_rework": -1}', "out_of_range"),
        ('{"callback_sample_share": 0}', "out_of_range"),
        ('{"callback_sample_share": 1.5}', "out_of_range"),
    ],
)
def test_bad_settings_are_refused_by_the_database(desk: Desk, value: str, problem: str) -> None:
    from seatdesk.db.calls import call

    with pytest.raises(ValidationError) as refused, desk.as_(Role.ADMIN) as s:
        call(s, "SELECT seatdesk_set_statistics_settings(CAST(:v AS jsonb))", {"v": value})
    assert (refused.value.field, refused.value.problem) == ("statistics", problem)
    assert str(refused.value)  # words for the field and the problem


# ---- the functions and the migration


def test_the_new_functions_are_hardened(desk: Desk) -> None:
    rows = desk.session.execute(text("""
        SELECT p.proname, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE')
        FROM pg_proc p
        WHERE p.proname IN ('seatdesk_set_statistics_settings', 'seatdesk_track_handling',
                            'seatdesk_forget_handlings')
    """)).all()
    assert len(rows) == 3
    for name, definer, config, public_may in rows:
        assert definer and not public_may, name
        assert "search_path=public, pg_temp" in (config or []), name


def test_seats_cannot_write_the_handlings(desk: Desk) -> None:
    from sqlalchemy.exc import ProgrammingError

    for who in (Role.INSPECTOR, Role.DEPARTMENT, Role.ADMIN):
        with pytest.raises(ProgrammingError, match="permission denied"), desk.as_(who) as s:
            s.execute(text("UPDATE case_handlings SET late_handlings = 0"))
        with pytest.raises(ProgrammingError, match="permission denied"), desk.as_(who) as s:
            s.execute(text("INSERT INTO settings_events (at, actor, key, value) "
                           "VALUES (now(), 'x', 'statistics', '{}')"))


def test_a_reopening_after_a_complaint_reworks_the_same_handling(desk: Desk) -> None:
    from tests.core.test_complaint_privacy import _called_back, _reopen

    complaint_id, case_id = _called_back(desk)
    sql = ("SELECT count(*), max(handled_at) IS NOT NULL, max(closed_at) IS NOT NULL, "
           "max(reworks) FROM {} WHERE case_id = :c")
    assert desk.session.execute(text(sql.format("case_handlings")), {"c": case_id}).one() == (
        1, True, True, 0)
    _reopen(desk, complaint_id, case_id)
    # Still one handling (a case counted once however often reworked), open again.
    live = desk.session.execute(text(sql.format("case_handlings")), {"c": case_id}).one()
    assert live == (1, False, False, 1)
    replay = desk.session.execute(
        text(sql.format("seatdesk_case_handlings_from_events()")), {"c": case_id}).one()
    assert replay == live


def test_the_demo_county_is_kept_as_its_events_say(desk: Desk) -> None:
    """The demo writes its events in bulk: the trigger kept them as the replay reads them."""
    columns = ", ".join(COLUMN_NAMES)
    differ = desk.scalar(f"""
        SELECT count(*) FROM (
            (SELECT {columns} FROM case_handlings
             EXCEPT SELECT {columns} FROM seatdesk_case_handlings_from_events())
            UNION ALL
            (SELECT {columns} FROM seatdesk_case_handlings_from_events()
             EXCEPT SELECT {columns} FROM case_handlings)) d
    """)
    assert desk.scalar("SELECT count(*) FROM case_handlings") > 100
    assert differ == 0


def test_the_department_policy_asks_for_the_seats_department_once(desk: Desk) -> None:
    # A function called in the policy's filter runs once per row: 10 s for a department
    # seat over 760,000 handlings; as a sub-select it runs once per statement.
    qual = desk.scalar("SELECT pg_get_expr(polqual, polrelid) FROM pg_policy "
                       "WHERE polname = 'case_handlings_department'")
    assert "( SELECT seatdesk_my_department()" in qual
