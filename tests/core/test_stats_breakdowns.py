"""The statistics by day, category, area, source, seat user, collector and seat role, on
a small hand-made data set whose answers were worked out by hand (March 2015, far from
the demo's cases), and over a real department login (row-level security).

The data set (times in the centre's zone, +08:00; "late" = after the deadline then in
force; the milestones come from the trigger of migration 0023):

    A  collector, cat1, G1, SZ   created 03-02 07:00 (03-01 in UTC)
       pre_register 03-02 08:00 ok · register 03-02 08:30 ok · dispatch 03-02 15:00 late
       report_done 03-05 09:00 · request_check 03-05 10:00 (采集员甲, due 18:00)
       check_pass 03-05 17:00 · close 03-06 09:00 ok                       → closed
    B  hotline,   cat2, G2, SZ   created 03-03 09:00 (one 12319 complaint)
       pre_register 03-03 11:00 late · register 03-03 12:00 late
       dispatch 03-03 13:00 ok · request_return · approve (returned)        → open
    C  collector, cat1, G3       created 03-03 10:00 · reject 03-03 10:30 ok → rejected
    D  walk_in,   cat1, G1, SZ   created 02-20 · register 02-21 · close 03-10 late
    E  collector, cat1, G1, SZ   created 03-20 10:00 · request_verify (采集员乙, due
       12:00) · verify_pass 03-20 13:00 · pre_register 03-20 14:00 ok
       register 03-21 09:00 ok, postponed on 04-02                          → open
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text

from seatdesk.db.engine import ServerAddress, connect, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.statistics import StatsFilter
from seatdesk.services import stats_breakdowns as sb
from seatdesk.services.stats_breakdowns import AreaLevel
from seatdesk.services.stats_indices import indices_table
from tests.core.conftest import DEPARTMENT, Desk

CST = timezone(timedelta(hours=8))
MARCH = StatsFilter(datetime(2015, 3, 1, tzinfo=CST), datetime(2015, 4, 1, tzinfo=CST))
G1, G2, G3 = "330326901001001", "330326901001002", "330326902001001"
S1, C1 = G1[:9], G1[:12]


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2015, month, day, hour, minute, tzinfo=CST)


class Made:
    """Hand-made cases and events, written as the owner with chosen times."""

    def __init__(self, desk: Desk) -> None:
        self.s = desk.session
        self.n = 0
        cats = self.s.execute(text(
            "SELECT id, case_type FROM categories WHERE parent_id IS NOT NULL AND active "
            "ORDER BY id LIMIT 2"
        )).all()
        self.cat1, self.cat2 = cats[0], cats[1]

    def case(self, *, source: str, cat: Any, grid: str, created: datetime,
             department: str | None, deadline: datetime | None) -> int:
        self.n += 1
        case_id = int(self.s.execute(text("""
            INSERT INTO cases (number, source, case_type, category_id, grid_code, state,
                               current_department, created_at, stage_deadline)
            VALUES (:number, :source, :type, :cat, :grid, 'reported', :dept, :created, :due)
            RETURNING id
        """), {"number": f"T2015{self.n:06d}", "source": source, "type": cat.case_type,
               "cat": cat.id, "grid": grid, "dept": department, "created": created,
               "due": deadline}).scalar_one())
        self.event(case_id, "create", None, "reported", "acceptor1", created)
        return case_id

    def event(self, case_id: int, action: str, from_state: str | None, to_state: str,
              actor: str, when: datetime, deadline: datetime | None = None,
              **data: Any) -> None:
        """The case takes ``to_state`` (and, if given, a new stage deadline, recorded in
        the event's data as the database's functions do), then the event is written."""
        if deadline is not None:
            data["deadline"] = deadline.isoformat()
            self.s.execute(text("UPDATE cases SET stage_deadline = :d WHERE id = :i"),
                           {"d": deadline, "i": case_id})
        self.s.execute(text("UPDATE cases SET state = :s WHERE id = :i"),
                       {"s": to_state, "i": case_id})
        self.s.execute(text("""
            INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data)
            VALUES (:c, :a, :f, :t, :actor, :at, CAST(:data AS jsonb))
        """), {"c": case_id, "a": action, "f": from_state, "t": to_state, "actor": actor,
               "at": when, "data": json.dumps(data)})

    def intake(self, case_id: int, collector: str, when: datetime) -> None:
        self.s.execute(text("""
            INSERT INTO intake_items (item_key, kind, case_id, collector, at, actor)
            VALUES (:k, 'report', :c, :who, :at, 'intake1')
        """), {"k": f"t-{case_id}", "c": case_id, "who": collector, "at": when})


@pytest.fixture
def made(desk: Desk) -> Made:
    m = Made(desk)
    s = m.s
    for code in (G1, G2, G3):
        s.execute(text("""
            INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date)
            VALUES (:c, :n, :cc, '{"type": "Polygon", "coordinates": []}', 1000, '2015-01-01')
        """), {"c": code, "n": f"网格{code[6:]}", "cc": code[:12]})
    # A
    a = m.case(source="collector", cat=m.cat1, grid=G1, created=at(2, 7),
               department=DEPARTMENT, deadline=at(2, 12))
    m.intake(a, "采集员甲", at(2, 7))
    m.event(a, "pre_register", "reported", "pre_registered", "acceptor1", at(2, 8))
    m.event(a, "register", "pre_registered", "registered", "leader1", at(2, 8, 30),
            deadline=at(2, 14))
    m.event(a, "dispatch", "registered", "dispatched", "dispatcher1", at(2, 15),
            deadline=at(5, 8), department=DEPARTMENT)
    m.event(a, "start_handling", "dispatched", "handling", "dept_sz", at(3, 9))
    m.event(a, "report_done", "handling", "handled", "dept_sz", at(5, 9), deadline=at(5, 18))
    m.event(a, "request_check", "handled", "checking", "acceptor1", at(5, 10),
            collector="采集员甲")
    m.event(a, "check_pass", "checking", "check_passed", "acceptor1", at(5, 17),
            deadline=at(6, 12))
    m.event(a, "close", "check_passed", "closed", "leader1", at(6, 9))
    # B
    b = m.case(source="hotline_12319", cat=m.cat2, grid=G2, created=at(3, 9),
               department=DEPARTMENT, deadline=at(3, 10))
    m.event(b, "pre_register", "reported", "pre_registered", "acceptor1", at(3, 11))
    m.event(b, "register", "pre_registered", "registered", "leader1", at(3, 12),
            deadline=at(3, 14))
    m.event(b, "dispatch", "registered", "dispatched", "dispatcher1", at(3, 13),
            deadline=at(6, 13), department=DEPARTMENT)
    m.event(b, "request_return", "dispatched", "return_requested", "dept_sz", at(3, 15))
    m.event(b, "approve", "return_requested", "returned", "leader1", at(3, 16),
            deadline=at(3, 20))
    s.execute(text("""
        INSERT INTO complaints (number, channel, received_at, content, reply_limit_unit,
                                reply_limit_minutes, reply_due, reply_warning_at, state, case_id,
                                created_at, updated_at)
        VALUES ('TK2015000001', 'hotline_12319', :r, '井盖缺失', 'natural_hours', 60, :due,
                :due, 'linked', :case, :r, :r)
    """), {"r": at(3, 8), "due": at(3, 20), "case": b})
    # C
    c = m.case(source="collector", cat=m.cat1, grid=G3, created=at(3, 10),
               department=None, deadline=at(3, 12))
    m.intake(c, "采集员甲", at(3, 10))
    m.event(c, "reject", "reported", "rejected", "acceptor1", at(3, 10, 30),
            reason="duplicate")
    # D
    d = m.case(source="walk_in", cat=m.cat1, grid=G1, created=at(20, 9, month=2),
               department=DEPARTMENT, deadline=None)
    m.event(d, "register", "reported", "registered", "leader1", at(21, 9, month=2),
            deadline=at(22, 9, month=2))
    m.event(d, "check_pass", "registered", "check_passed", "acceptor1", at(9, 9),
            deadline=at(9, 12))
    m.event(d, "close", "check_passed", "closed", "leader1", at(10, 9))
    # E
    e = m.case(source="collector", cat=m.cat1, grid=G1, created=at(20, 10),
               department=DEPARTMENT, deadline=at(20, 18))
    m.intake(e, "采集员乙", at(20, 10))
    m.event(e, "request_verify", "reported", "verifying", "acceptor1", at(20, 10, 5),
            deadline=at(20, 12), collector="采集员乙")
    m.event(e, "verify_pass", "verifying", "verified", "acceptor1", at(20, 13),
            deadline=at(21, 12))
    m.event(e, "pre_register", "verified", "pre_registered", "acceptor1", at(20, 14))
    m.event(e, "register", "pre_registered", "registered", "leader1", at(21, 9),
            deadline=at(21, 12))
    # Postponed (缓办) in April, after the period: only "postponed now" sees it.
    m.event(e, "approve", "postponement_requested", "postponed", "leader1", at(2, 9, month=4))
    return m


def rows(table: Any) -> list[dict[str, Any]]:
    return list(table.as_dicts())


def test_the_trigger_keeps_each_cases_milestones(desk: Desk, made: Made) -> None:
    got = desk.session.execute(text("""
        SELECT c.number, m.accepted_on_time, m.registered_on_time, m.dispatched_on_time,
               m.returns, m.closed_on_time, m.ended_at IS NOT NULL
        FROM case_milestones m JOIN cases c ON c.id = m.case_id
        WHERE c.number LIKE 'T2015%' ORDER BY c.number
    """)).all()
    assert [tuple(r) for r in got] == [
        ("T2015000001", True, True, False, 0, True, True),  # A
        ("T2015000002", False, False, True, 1, None, False),  # B
        ("T2015000003", True, None, None, 0, None, True),  # C (rejected)
        ("T2015000004", None, True, None, 0, False, True),  # D (no deadline at create)
        ("T2015000005", True, True, None, 0, None, False),  # E
    ]


def test_trend_counts_every_day_in_the_centres_time_zone(desk: Desk, made: Made) -> None:
    f = StatsFilter(at(1, 0), at(5, 0))
    t = sb.trend_table(desk.session, f)
    assert [c.key for c in t.columns] == ["day", "reported", "registered", "closed"]
    assert [(r[0].isoformat(), *r[1:]) for r in t.rows] == [
        ("2015-03-01", 0, 0, 0),
        ("2015-03-02", 1, 1, 0),  # A at 07:00 +08 is 03-01 in UTC, 03-02 here
        ("2015-03-03", 2, 1, 0),
        ("2015-03-04", 0, 0, 0),
    ]
    monthly = sb.trend_table(desk.session, StatsFilter(at(15, 0, month=2), at(1, 0, month=4)),
                             by="month")
    assert monthly.columns[0].key == "month"
    assert [tuple(r) for r in monthly.rows] == [("2015-02", 1, 1, 0), ("2015-03", 4, 3, 2)]


def test_categories_count_and_rate_over_the_registered(desk: Desk, made: Made) -> None:
    t = sb.category_table(desk.session, MARCH)
    assert len(t.rows) == 2
    one = next(r for r in rows(t) if r["category_code"] is not None
               and r["reported"] == 3)
    # cat1: reported A, C, E; registered A, E; closed A, D; of A and E, A closed: 1/2.
    assert (one["registered"], one["closed"], one["closure_rate"]) == (2, 2, 0.5)
    two = next(r for r in rows(t) if r["reported"] == 1)
    assert (two["registered"], two["closed"], two["closure_rate"]) == (1, 0, 0.0)


def test_areas_group_by_the_grid_codes_digits(desk: Desk, made: Made) -> None:
    grids = {r["area"]: r for r in rows(sb.area_table(desk.session, MARCH, AreaLevel.GRID))
             if r["area"] in (G1, G2, G3)}
    assert [(grids[g]["reported"], grids[g]["registered"], grids[g]["closed"],
             grids[g]["closure_rate"]) for g in (G1, G2, G3)] == [
        (2, 2, 2, 0.5), (1, 1, 0, 0.0), (1, 0, 0, None)]
    assert grids[G1]["area_name"] == "网格901001001"
    streets = sb.area_table(desk.session, MARCH, AreaLevel.STREET)
    assert streets.key == "streets"
    s1 = next(r for r in rows(streets) if r["area"] == S1)
    # A, B, E registered in the street; A closed by the end: 1/3.
    assert (s1["reported"], s1["registered"], s1["closed"], s1["area_name"]) == (3, 3, 2, None)
    assert s1["closure_rate"] == pytest.approx(1 / 3)
    communities = sb.area_table(desk.session, MARCH, AreaLevel.COMMUNITY)
    assert [r["reported"] for r in rows(communities) if r["area"] == C1] == [3]


def test_filters_narrow_every_figure(desk: Desk, made: Made) -> None:
    by_street = sb.trend_table(desk.session, StatsFilter(MARCH.start, MARCH.end, street=S1),
                               by="month")
    assert [tuple(r) for r in by_street.rows] == [("2015-03", 3, 3, 2)]
    by_source = sb.trend_table(
        desk.session, StatsFilter(MARCH.start, MARCH.end, source="collector"), by="month")
    assert [tuple(r) for r in by_source.rows] == [("2015-03", 3, 2, 1)]
    by_grid = sb.trend_table(desk.session, StatsFilter(MARCH.start, MARCH.end, grid=G2),
                             by="month")
    assert [tuple(r) for r in by_grid.rows] == [("2015-03", 1, 1, 0)]
    by_cat = sb.trend_table(
        desk.session, StatsFilter(MARCH.start, MARCH.end, category_id=made.cat2.id), by="month")
    assert [tuple(r) for r in by_cat.rows] == [("2015-03", 1, 1, 0)]
    by_dept = sb.trend_table(
        desk.session, StatsFilter(MARCH.start, MARCH.end, department=DEPARTMENT,
                                  community=C1), by="month")
    assert [tuple(r) for r in by_dept.rows] == [("2015-03", 3, 3, 2)]


def test_postponed_cases_can_leave_the_denominator(desk: Desk, made: Made) -> None:
    f = StatsFilter(MARCH.start, MARCH.end, street=S1)
    before = next(r for r in rows(sb.area_table(desk.session, f, AreaLevel.STREET)))
    assert before["closure_rate"] == pytest.approx(1 / 3)
    desk.session.execute(text(
        "INSERT INTO centre_settings (key, value) VALUES ('statistics', "
        "'{\"exclude_postponed\": true}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    ))
    s1 = next(r for r in rows(sb.area_table(desk.session, f, AreaLevel.STREET)))
    # E (postponed) leaves the denominator: A closed of A, B → 1/2.
    assert s1["closure_rate"] == 0.5


def test_hot_grids_and_sources(desk: Desk, made: Made) -> None:
    hot = sb.hot_grids(desk.session, StatsFilter(MARCH.start, MARCH.end, street=S1), limit=1)
    assert [tuple(r) for r in hot.rows] == [(G1, "网格901001001", 2)]
    everywhere = sb.hot_grids(desk.session, MARCH, limit=3)
    assert [tuple(r) for r in everywhere.rows] == [
        (G1, "网格901001001", 2), (G2, "网格901001002", 1), (G3, "网格902001001", 1)]
    got = [tuple(r) for r in sb.source_table(desk.session, MARCH).rows]
    assert got == [
        ("collector", None, 3, 2, 1, 0.5),
        ("hotline_12319", "hotline_12319", 1, 1, 0, 0.0),
        ("walk_in", None, 0, 0, 1, None),
    ]


def test_seat_users(desk: Desk, made: Made) -> None:
    t = {r["user"]: r for r in rows(sb.users_table(desk.session, MARCH))}
    # acceptor1: creates A B C E (4), pre_register A B E (3), reject C, request_check A,
    # check_pass A, D, request_verify E, verify_pass E = 13; steps: 受理 A C E on time, B late.
    assert t["acceptor1"]["actions"] == 13
    assert (t["acceptor1"]["steps_on_time"], t["acceptor1"]["steps_late"]) == (3, 1)
    # leader1: register A B E, approve B, close A D = 6; 立案 A E ok, B late; 结案 A ok, D late.
    leader = t["leader1"]
    assert (leader["actions"], leader["steps_on_time"], leader["steps_late"]) == (6, 3, 2)
    # report→register: A 1.5 h, B 3 h, E 23 h → 27.5 / 3.
    assert leader["avg_hours_to_register"] == pytest.approx(27.5 / 3)
    # dispatcher1: A after 6.5 h (late), B after 1 h (on time).
    disp = t["dispatcher1"]
    assert disp["avg_hours_to_dispatch"] == pytest.approx(3.75)
    assert (disp["actions"], disp["steps_on_time"], disp["steps_late"]) == (2, 1, 1)
    assert t["dept_sz"]["actions"] == 3 and t["dept_sz"]["avg_hours_to_register"] is None


def test_role_counters(desk: Desk, made: Made) -> None:
    acc = [tuple(r[2:]) for r in sb.acceptors_table(desk.session, MARCH).rows]
    assert acc == [(4, 3, 1), (4, 3, 1)]  # acceptor1, then the totals row
    leaders = sb.shift_leaders_table(desk.session, MARCH)
    assert [r[0] for r in leaders.rows] == ["leader1", None]
    assert tuple(leaders.rows[0][2:]) == (3, 2, 2, 1)
    disp = sb.dispatchers_table(desk.session, MARCH)
    assert [c.key for c in disp.columns][2:] == [
        "dispatch_due", "dispatches", "dispatches_on_time", "dispatches_accurate"]
    # Registered in March: A, B, E; dispatched A (late), B (on time, then returned).
    assert [tuple(r[::1]) for r in disp.rows] == [
        ("dispatcher1", disp.rows[0][1], None, 2, 1, 1),
        (None, None, 3, 2, 1, 1),
    ]


def test_collectors(desk: Desk, made: Made) -> None:
    t = {r[0]: tuple(r[1:]) for r in sb.collectors_table(desk.session, MARCH).rows}
    assert t == {
        # 甲: A and C reported, A registered; A's check answered 17:00, due 18:00.
        "采集员甲": (2, 1, 0, 0, 0, 1, 1, 1),
        # 乙: E reported and registered; its verification answered 13:00, due 12:00.
        "采集员乙": (1, 1, 1, 1, 0, 0, 0, 0),
    }


def test_a_department_login_sees_only_its_own_figures(
    owner_engine: Any, server: ServerAddress, seeded: DemoResult
) -> None:
    """Over the demo's committed cases: the SZ liaison's whole table equals the owner's
    table filtered to SZ, and differs from the owner's unfiltered one."""
    now = datetime.now(CST)
    period = StatsFilter(now - timedelta(days=120), now + timedelta(days=1))
    seat = connect(server.for_login("dept_sz", seeded.passwords["dept_sz"]))
    try:
        with session_factory(seat)() as s:
            mine = sb.category_table(s, period)
            mine_days = sb.trend_table(s, period, by="month")
            users = sb.users_table(s, period)
            collectors = sb.collectors_table(s, period)  # no intake items: tasks only
            indices = indices_table(s, period)
        with session_factory(owner_engine)() as s:
            sz = sb.category_table(s, StatsFilter(period.start, period.end,
                                                  department=DEPARTMENT))
            everyone = sb.category_table(s, period)
            sz_days = sb.trend_table(s, StatsFilter(period.start, period.end,
                                                    department=DEPARTMENT), by="month")
    finally:
        seat.dispose()
    assert mine.rows == sz.rows
    assert mine_days.rows == sz_days.rows
    assert sum(mine.values("registered")) < sum(everyone.values("registered"))
    assert sum(mine.values("registered")) > 0
    assert users.rows  # the department's own actions, through the events' policy
    assert all(r[1] == 0 for r in collectors.rows)
    assert indices.values("index_key")[0] == "effective_closure_rate"


def test_the_back_fill_reads_the_deadlines_the_trail_recorded(desk: Desk, made: Made) -> None:
    """Migration 0023's back-fill, run into a scratch table over the same trail: the
    same milestones as the trigger, except that a deadline the trail never recorded (the
    first register stage's: the create event carries none) counts as no limit, so B's
    late 受理 and 立案 count as on time there (the README says so)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "migrations/versions/0023_case_milestones.py"
    spec = importlib.util.spec_from_file_location("seatdesk_0023", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    s = desk.session
    s.execute(text("CREATE TEMP TABLE back_filled (LIKE case_milestones INCLUDING DEFAULTS)"))
    s.execute(text(module._BACKFILL.replace("INSERT INTO case_milestones (",
                                            "INSERT INTO pg_temp.back_filled (")))
    got = s.execute(text("""
        SELECT c.number, m.accepted_on_time, m.registered_on_time, m.dispatched_on_time,
               m.returns, m.closed_on_time, m.ended_at IS NOT NULL
        FROM pg_temp.back_filled m JOIN cases c ON c.id = m.case_id
        WHERE c.number LIKE 'T2015%' ORDER BY c.number
    """)).all()
    assert [tuple(r) for r in got] == [
        ("T2015000001", True, True, False, 0, True, True),
        ("T2015000002", True, True, True, 1, None, False),
        ("T2015000003", True, None, None, 0, None, True),
        ("T2015000004", None, True, None, 0, False, True),
        ("T2015000005", True, True, None, 0, None, False),
    ]
    # The tasks sent to collectors: the same from the trail as from the trigger.
    s.execute(text("CREATE TEMP TABLE tasks_filled (LIKE collector_tasks)"))
    s.execute(text(module._BACKFILL_TASKS.replace("INSERT INTO collector_tasks (",
                                                  "INSERT INTO pg_temp.tasks_filled (")))
    compare = """
        SELECT t.collector, t.verify, t.sent_at, t.deadline, t.answered_at
        FROM {} t JOIN cases c ON c.id = t.case_id
        WHERE c.number LIKE 'T2015%' ORDER BY t.event_id"""
    kept = s.execute(text(compare.format("collector_tasks"))).all()
    assert [(r[0], r[1], r[3], r[4]) for r in kept] == [
        ("采集员甲", False, at(5, 18), at(5, 17)),
        ("采集员乙", True, at(20, 12), at(20, 13)),
    ]
    assert s.execute(text(compare.format("pg_temp.tasks_filled"))).all() == kept
