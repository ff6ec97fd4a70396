"""The assessment's collectors are the register's (migration 0034): who is ranked, the
foreign keys, the back-fill of collectors the data named before the register, and the
suggestions the grids' coverage and the tasks give, on hand-made data worked out by
hand; the guards over real logins."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, make_engine
from seatdesk.domain.glossary import Role, StaffKind
from seatdesk.domain.statistics import Month
from seatdesk.errors import ValidationError
from seatdesk.services import assessment, collector_reports
from seatdesk.services.monthly_report import centre_timezone
from tests.core.conftest import Desk

APRIL = Month(2001, 4)
C = StaffKind.COLLECTOR
#: Six grids of the test, active since 2000 (the demo's start three years ago).
G1, G2, G3, G4, G5, G6 = (f"99900000000000{i}" for i in range(1, 7))
K1, K2, K3, K4, K5 = (f"K-TEST-{i}" for i in range(1, 6))
STRANGER = "路人甲"  # named by a task, never registered


def _april(desk: Desk) -> dict[str, int]:
    """April 2001 (30 days), every grid of type ``sparse``: 0.1 visits a day, so each
    needs ceil(0.1 × 30) = 3 visits. Who holds what at the month's end (30 April 24:00):

        G1 K1   reports 1 Apr 00:00 (the first instant counts), 15 Apr, 30 Apr 23:59
                → 3 visits, covered
        G2 K1   reports 31 Mar 23:59 and 1 May 00:00 (outside), 5 Apr → 1, not covered
        G3 K2   a report 12 Apr and a verify task answered 11 Apr → 2, not covered
        G4 K3   (K2 until 20 Apr, then K3) nothing → 0, not covered: K3's, not K2's
        G5 K1   nothing → 0, not covered
        G6 —    (K4 until 10 Apr, nobody after) nothing → 0, not covered: nobody's

    So K1 has 2 uncovered grids, K2 1, K3 1. K2's task (deadline 10 Apr 12:00, answered
    11 Apr) is overdue: one overdue task. The stranger's unanswered overdue task is
    nobody's in the register: no suggestion. K4 is deactivated, K5 inactive and idle."""
    s = desk.session
    for code in (G1, G2, G3, G4, G5, G6):
        s.execute(text("""
            INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date)
            SELECT :c, '测试网格 ' || right(:c, 1), community_code, polygon, area_m2,
                   DATE '2000-01-01'
            FROM grids ORDER BY code LIMIT 1"""), {"c": code})
    s.execute(text("INSERT INTO grid_types (code, name, visits_per_day) "
                   "VALUES ('sparse', '稀疏', 0.1)"))
    s.execute(text("INSERT INTO grid_patrol_types (grid_code, grid_type) "
                   "SELECT unnest(CAST(:g AS text[])), 'sparse'"),
              {"g": [G1, G2, G3, G4, G5, G6]})
    s.execute(text(
        "INSERT INTO collectors (collector_id, name, active, updated_at, updated_by) "
        "VALUES (:k1, '采集员一', true, now(), 't'), (:k2, '采集员二', true, now(), 't'), "
        "(:k3, '采集员三', true, now(), 't'), (:k4, '采集员四', false, now(), 't'), "
        "(:k5, '采集员五', false, now(), 't')"),
        {"k1": K1, "k2": K2, "k3": K3, "k4": K4, "k5": K5})
    s.execute(text("""
        INSERT INTO collector_grids (grid_code, collector_id, valid_from, valid_to, bound_by)
        VALUES (:g1, :k1, '2001-03-01 00:00+08', NULL, 't'),
               (:g2, :k1, '2001-03-01 00:00+08', NULL, 't'),
               (:g5, :k1, '2001-03-01 00:00+08', NULL, 't'),
               (:g3, :k2, '2001-03-01 00:00+08', NULL, 't'),
               (:g4, :k2, '2001-03-01 00:00+08', '2001-04-20 00:00+08', 't'),
               (:g4, :k3, '2001-04-20 00:00+08', NULL, 't'),
               (:g6, :k4, '2001-03-01 00:00+08', '2001-04-10 00:00+08', 't')
    """), {"g1": G1, "g2": G2, "g3": G3, "g4": G4, "g5": G5, "g6": G6,
           "k1": K1, "k2": K2, "k3": K3, "k4": K4})
    ids = [r[0] for r in s.execute(text("SELECT id FROM cases ORDER BY id LIMIT 7"))]
    reports = [(G1, "2001-04-01 00:00+08"), (G1, "2001-04-15 10:00+08"),
               (G1, "2001-04-30 23:59+08"), (G2, "2001-03-31 23:59+08"),
               (G2, "2001-05-01 00:00+08"), (G2, "2001-04-05 09:00+08"),
               (G3, "2001-04-12 09:00+08")]
    for case_id, (grid, at) in zip(ids, reports, strict=True):
        s.execute(text("UPDATE cases SET source = 'collector', grid_code = :g, "
                       "created_at = :at WHERE id = :i"), {"g": grid, "at": at, "i": case_id})
    s.execute(text("""
        INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline,
                                     answered_at)
        VALUES (-11, :g3_case, true, :k2, '2001-04-10 09:00+08', '2001-04-10 12:00+08',
                '2001-04-11 09:00+08'),
               (-12, :g1_case, true, :stranger, '2001-04-10 09:00+08',
                '2001-04-10 12:00+08', NULL)
    """), {"g3_case": ids[6], "g1_case": ids[0], "k2": K2, "stranger": STRANGER})
    return {"g3_case": ids[6]}


def _bounds(desk: Desk, month: Month) -> tuple[datetime, datetime]:
    tz = centre_timezone(desk.session)
    return (datetime.combine(month.first_day, datetime.min.time(), tz),
            datetime.combine(month.next().first_day, datetime.min.time(), tz))


def test_the_coverage_of_april_as_worked_out_by_hand_and_as_the_reports_count_it(
    desk: Desk,
) -> None:
    _april(desk)
    t0, t1 = _bounds(desk, APRIL)
    rows = desk.session.execute(text(
        "SELECT grid_code, required, visits, collector_id "
        "FROM seatdesk_collector_coverage(:t0, :t1, DATE '2001-04-30')"),
        {"t0": t0, "t1": t1}).all()
    by_hand = {G1: (3, 3, K1), G2: (3, 1, K1), G3: (3, 2, K2), G4: (3, 0, K3),
               G5: (3, 0, K1), G6: (3, 0, None)}
    assert {r[0]: tuple(r[1:]) for r in rows} == by_hand
    # The database's copy and collector_reports' query are one definition.
    with desk.as_(Role.INSPECTOR) as s:
        reported = collector_reports.coverage_between(s, t0, t1, date(2001, 4, 30))
    assert {r.grid_code: (r.required, r.visits, r.collector_id) for r in reported} == by_hand


def test_the_grids_and_the_tasks_suggest_entries_offered_never_applied(desk: Desk) -> None:
    _april(desk)
    with desk.as_(Role.INSPECTOR) as s:
        assert assessment.suggest(s, APRIL) == 4
        assert assessment.suggest(s, APRIL) == 0  # offered once
        found = {(x.staff_id, x.counter): x for x in assessment.suggestions(s, APRIL)}
        got = {k: (x.rule, x.value, x.count, x.kind, x.name) for k, x in found.items()}
        ranking = {r.staff_id: r for r in assessment.ranking(s, APRIL)}
    assert got == {
        (K1, "uncovered_grids"): ("unreported_problem", 2, 1, C, "采集员一"),
        (K2, "uncovered_grids"): ("unreported_problem", 1, 1, C, "采集员二"),
        (K2, "overdue_tasks"): ("passive_work", 1, 1, C, "采集员二"),
        (K3, "uncovered_grids"): ("unreported_problem", 1, 1, C, "采集员三"),
    }
    # Nothing applied until a manager decides.
    assert {ranking[k].score for k in (K1, K2, K3)} == {Decimal(100)}
    with desk.as_(Role.ADMIN) as s:
        assessment.decide(s, suggestion_id=found[K1, "uncovered_grids"].suggestion_id,
                          accept=True)
        assessment.decide(s, suggestion_id=found[K2, "overdue_tasks"].suggestion_id,
                          accept=True)
        assessment.decide(s, suggestion_id=found[K3, "uncovered_grids"].suggestion_id,
                          accept=False, reason="网格当月调整")
        # Dismissed is not offered again, nor is accepted.
        assert assessment.suggest(s, APRIL) == 0
        pending = [(x.staff_id, x.counter) for x in assessment.suggestions(s, APRIL)]
        ranking = {r.staff_id: r for r in assessment.ranking(s, APRIL)}
    assert pending == [(K2, "uncovered_grids")]
    # K1: 100 − 4 (隐瞒问题未上报) = 96; K2: 100 − 2 (行动迟缓) = 98; K3 dismissed: 100.
    assert (ranking[K1].score, ranking[K2].score, ranking[K3].score) \
        == (Decimal(96), Decimal(98), Decimal(100))
    assert ranking[K1].name == "采集员一"


def test_a_running_month_is_not_yet_due_its_grids_visits(desk: Desk) -> None:
    _april(desk)  # G1, G2, G5 (K1) and G3 (K2), G4 (K3) are held today, unvisited
    today = desk.session.execute(text("SELECT seatdesk_assessment_today()")).scalar_one()
    this_month = Month.of(today)
    with desk.as_(Role.INSPECTOR) as s:
        assessment.suggest(s, this_month)
        counters = {x.counter for x in assessment.suggestions(s, this_month)}
    assert "uncovered_grids" not in counters
    # The same grids over last month (ended) are suggested: the guard is the month's end.
    last = this_month.previous()
    with desk.as_(Role.INSPECTOR) as s:
        assessment.suggest(s, last)
        offered = {(x.staff_id, x.counter) for x in assessment.suggestions(s, last)}
    assert {(K1, "uncovered_grids"), (K2, "uncovered_grids"),
            (K3, "uncovered_grids")} <= offered


def test_the_register_is_who_is_ranked_and_who_can_be_assessed(desk: Desk) -> None:
    _april(desk)
    with desk.as_(Role.INSPECTOR) as s:
        ranked = {r.staff_id for r in assessment.ranking(s, APRIL) if r.kind is C}
        staff = {x.staff_id: x.name for x in assessment.staff(s) if x.kind is C}
    # K4, deactivated, held G6 in April; K5 neither active nor working; the stranger
    # was sent a task but is not in the register.
    assert {K1, K2, K3, K4} <= ranked
    assert K5 not in ranked and STRANGER not in ranked
    assert staff[K1] == "采集员一" and K4 not in staff and STRANGER not in staff
    with pytest.raises(ValidationError) as err, desk.as_(Role.INSPECTOR) as s:
        assessment.record(s, kind=C, staff_id=STRANGER, rule="no_vest_helmet", count=1,
                          occurred_on=date(2001, 4, 3), reason="测试")
    assert (err.value.field, err.value.problem) == ("staff", "unknown")
    # A deactivated collector can still be assessed for a month they worked.
    with desk.as_(Role.INSPECTOR) as s:
        assessment.record(s, kind=C, staff_id=K5, rule="no_vest_helmet", count=1,
                          occurred_on=date(2001, 4, 3), reason="测试")
        ranked = {r.staff_id: r.score for r in assessment.ranking(s, APRIL)}
    assert ranked[K5] == Decimal(98)


def test_the_foreign_keys_hold_even_for_the_owner(desk: Desk) -> None:
    for kind, who in (("collector", STRANGER), ("user", "nobody-at-all")):
        with pytest.raises(IntegrityError) as err, desk.session.begin_nested():
            desk.session.execute(text("""
                INSERT INTO assessment_entries (month, staff_kind, staff_id, rule_code, count,
                    points, occurred_on, reason, recorded_by, recorded_at)
                VALUES ('2001-04-01', :k, :w, 'no_vest_helmet', 1, -2, '2001-04-02', 'x',
                        'owner', now())"""), {"k": kind, "w": who})
        assert "foreign key" in str(err.value.orig)
    # The generated columns cannot be written: the kind decides.
    with pytest.raises(DBAPIError), desk.session.begin_nested():
        desk.session.execute(text("UPDATE assessment_suggestions SET staff_collector = 'x'"))


# ---- over real logins, as psql would


def _refusal(engine: Engine, sql: str) -> str:
    with pytest.raises(DBAPIError) as err, engine.begin() as conn:
        conn.execute(text(sql))
    return str(err.value.orig)


def test_a_seat_login_is_refused_over_raw_sql(seats: dict[Role, Engine]) -> None:
    acceptor, inspector = seats[Role.ACCEPTOR], seats[Role.INSPECTOR]
    assert "may not" in _refusal(acceptor, "SELECT seatdesk_assessment_suggest(DATE '2001-04-01')")
    coverage = ("SELECT * FROM seatdesk_collector_coverage(now() - interval '1 day', now(), "
                "current_date)")
    for engine in (acceptor, inspector):
        assert "permission denied" in _refusal(engine, coverage)
        assert "permission denied" in _refusal(
            engine, "INSERT INTO collectors (collector_id, name, updated_at, updated_by) "
                    "VALUES ('X', 'X', now(), 'me')")
        assert "permission denied" in _refusal(
            engine, "INSERT INTO assessment_suggestions (month, staff_kind, staff_id, "
                    "rule_code, count, counter, value, made_by, made_at) VALUES "
                    "('2001-04-01', 'collector', 'X', 'unreported_problem', 1, 'x', 1, "
                    "'me', now())")
        assert "permission denied" in _refusal(engine, "DELETE FROM collectors")


# ---- the back-fill, on a database of its own


def test_collectors_named_before_the_register_are_back_filled(server: ServerAddress) -> None:
    name = f"seatdesk_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(ServerAddress(url=server.url.set(database=name), embedded=False))
    try:
        migrate.upgrade(engine, "0033")
        with engine.begin() as conn:
            conn.execute(text("""
                INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at)
                VALUES (1, 1, true, 'OLD-TASK', now()), (2, 1, true, 'OLD-BOTH', now());
                INSERT INTO assessment_entries (month, staff_kind, staff_id, rule_code, count,
                    points, occurred_on, reason, recorded_by, recorded_at)
                VALUES ('2001-04-01', 'collector', 'OLD-ENTRY', 'no_vest_helmet', 1, -2,
                        '2001-04-02', 'x', 'someone', now()),
                       ('2001-04-01', 'collector', 'OLD-BOTH', 'no_vest_helmet', 1, -2,
                        '2001-04-02', 'x', 'someone', now());
            """))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            register = conn.execute(text(
                "SELECT collector_id, name, active FROM collectors ORDER BY 1")).all()
            audit = conn.execute(text(
                "SELECT action, data -> 'collectors' FROM collector_events")).all()
            linked = conn.execute(text(
                "SELECT staff_collector FROM assessment_entries ORDER BY 1")).scalars().all()
        assert [tuple(r) for r in register] == [
            ("OLD-BOTH", "OLD-BOTH", True), ("OLD-ENTRY", "OLD-ENTRY", True),
            ("OLD-TASK", "OLD-TASK", True)]
        assert [tuple(r) for r in audit] == [("backfill", ["OLD-BOTH", "OLD-ENTRY", "OLD-TASK"])]
        assert linked == ["OLD-BOTH", "OLD-ENTRY"]
        migrate.downgrade(engine, "0033")
        with engine.connect() as conn:
            columns = conn.execute(text(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE column_name IN ('staff_user', 'staff_collector')")).scalar()
            coverage = conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname = 'seatdesk_collector_coverage'"
            )).scalar()
        assert (columns, coverage) == (0, 0)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

