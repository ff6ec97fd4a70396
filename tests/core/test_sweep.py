"""The deadline sweep and the calendar service on the real database."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text

from seatdesk.domain.glossary import Action, DeadlineStatus, Role, State
from seatdesk.errors import PermissionDenied, Problem
from seatdesk.services import calendar as calendar_service
from seatdesk.services import deadlines, queues
from tests.core.conftest import Desk


def _flags(desk: Desk, case_id: int) -> list[str]:
    rows = desk.session.execute(
        text("SELECT data->>'to' FROM case_events WHERE case_id = :i AND action = 'flag' "
             "ORDER BY id"),
        {"i": case_id},
    ).scalars()
    return list(rows)


def test_the_sweep_turns_a_case_yellow_then_red_once_each(desk: Desk) -> None:
    case_id = desk.new_case()  # register stage: 15 natural minutes for an ordinary case
    detail = queues.get_case(desk.session, case_id)
    assert detail.stage_deadline == detail.created_at + timedelta(minutes=15)
    now = desk.now()
    deadlines.sweep_at(desk.session, now + timedelta(minutes=5))
    assert _flags(desk, case_id) == []
    deadlines.sweep_at(desk.session, now + timedelta(minutes=13))  # 80 % used at 12 min
    assert _flags(desk, case_id) == ["warning"]
    deadlines.sweep_at(desk.session, now + timedelta(minutes=13))
    assert _flags(desk, case_id) == ["warning"]  # idempotent
    deadlines.sweep_at(desk.session, now + timedelta(minutes=16))
    assert _flags(desk, case_id) == ["warning", "overdue"]
    assert desk.state(case_id) is State.REPORTED
    detail = queues.get_case(desk.session, case_id)
    assert detail.deadline_status is DeadlineStatus.OVERDUE
    flag = queues.timeline(desk.session, case_id)[-1]
    assert flag.from_state == flag.to_state == State.REPORTED


def test_a_new_stage_starts_a_fresh_clock_and_status(desk: Desk) -> None:
    case_id = desk.new_case()
    deadlines.sweep_at(desk.session, desk.now() + timedelta(hours=1))
    assert queues.get_case(desk.session, case_id).deadline_status is DeadlineStatus.OVERDUE
    desk.perform(Role.ACCEPTOR, Action.REQUEST_VERIFY, case_id)
    detail = queues.get_case(desk.session, case_id)
    assert detail.deadline_status is DeadlineStatus.NORMAL
    started = desk.scalar("SELECT stage_started_at FROM cases WHERE id = :i", i=case_id)
    assert detail.stage_deadline == started + timedelta(hours=1)  # verify: 1 hour
    assert started >= desk.now()  # the moment of the action, not of its transaction


def test_every_seat_may_sweep(desk: Desk) -> None:
    with desk.as_(Role.DEPARTMENT) as s:
        assert deadlines.sweep(s) >= 0
    with (
        desk.as_(Role.DEPARTMENT),
        pytest.raises(Exception, match="permission denied"),
        desk.session.begin_nested(),
    ):
        desk.session.execute(text("SELECT seatdesk_sweep_deadlines_at(now() + '1 year')"))


def test_two_concurrent_sweeps_flag_each_case_exactly_once(owner_engine: Engine, seeded) -> None:
    later = "now() + interval '400 days'"
    first, second = owner_engine.connect(), owner_engine.connect()
    try:
        a = first.begin()
        done_a = first.execute(text(f"SELECT seatdesk_sweep_deadlines_at({later})")).scalar()
        # While the first sweep's transaction holds the rows it flagged, the second skips
        # them (the next sweep would take any it could not): nothing is flagged twice.
        b = second.begin()
        done_b = second.execute(text(f"SELECT seatdesk_sweep_deadlines_at({later})")).scalar()
        assert done_b == 0
        b.rollback()
        a.commit()
        assert done_a > 0
        results: list[int] = []
        barrier = threading.Barrier(2)

        def sweep_again() -> None:
            with owner_engine.connect() as conn, conn.begin():
                barrier.wait()
                results.append(
                    conn.execute(text(f"SELECT seatdesk_sweep_deadlines_at({later})")).scalar()
                )

        threads = [threading.Thread(target=sweep_again) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert results == [0, 0]
        duplicates = first.execute(text("""
            SELECT count(*) FROM (
                SELECT case_id, data->>'to' FROM case_events WHERE action = 'flag'
                GROUP BY 1, 2 HAVING count(*) > 1) d
        """)).scalar()
        assert duplicates == 0
    finally:
        first.close()
        second.close()


def _handling_case(desk: Desk) -> int:
    """A case in handling with 4 工作时 (暴露垃圾), dispatched now."""
    cat, cond = desk.category("event", "0102")
    case_id = desk.new_case(category_id=cat, filing_condition_id=cond)
    desk.drive(case_id, State.HANDLING)
    return case_id


def test_a_local_day_off_moves_open_deadlines_and_is_audited(desk: Desk) -> None:
    case_id = _handling_case(desk)
    before = queues.get_case(desk.session, case_id).stage_deadline
    calendar = deadlines.load_calendar(desk.session)
    with desk.as_(Role.ADMIN) as s:
        calendar_service.set_day(s, before.astimezone(calendar.tz).date(), working=False,
                                 name="台风停工")
    after = queues.get_case(desk.session, case_id).stage_deadline
    assert after > before
    assert after.astimezone(calendar.tz).date() > before.astimezone(calendar.tz).date()
    event = queues.timeline(desk.session, case_id)[-1]
    assert event.action == "deadline_recomputed" and event.actor == "admin1"
    assert event.data["from"] == before.isoformat() and event.data["to"] == after.isoformat()
    with desk.as_(Role.DISPATCHER) as s, pytest.raises(PermissionDenied):
        calendar_service.set_day(s, date(2026, 12, 1), working=False)


def test_a_year_nobody_knows_is_reported_until_it_is_entered(desk: Desk, tmp_path: Path) -> None:
    assert deadlines.missing_calendar_years(desk.session, date(2026, 11, 24)) == [2027]
    schedule = tmp_path / "2027.csv"
    schedule.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n"
        "2027-02-08,holiday,春节\n", encoding="utf-8")
    calendar_service.import_schedule(desk.session, calendar_service.read_schedule(schedule))
    assert deadlines.missing_calendar_years(desk.session, date(2026, 11, 24)) == []
    view = calendar_service.show_year(desk.session, 2027)
    assert view.source == "entered"
    assert (date(2027, 2, 6), True, "春节调休") in view.days
    assert (date(2027, 2, 8), False, "春节") in view.days


def test_a_bad_schedule_file_names_its_rows_and_imports_nothing(
    desk: Desk, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [("日期", "类型", "名称"), ("2027-05-01", "holiday", "劳动节"),
                ("2027-13-01", "holiday", "?"), ("2027-05-08", "maybe", "?")]:
        sheet.append(row)
    book.save(bad)
    with pytest.raises(Problem) as err:
        calendar_service.read_schedule(bad)
    assert "row 3" in str(err.value) and "row 4" in str(err.value)
    assert desk.scalar("SELECT count(*) FROM calendar_days WHERE day >= '2027-05-01'") == 0
    not_a_table = tmp_path / "photo.xlsx"
    not_a_table.write_bytes(b"\x89PNG not a workbook")
    with pytest.raises(Problem) as err:
        calendar_service.read_schedule(not_a_table)
    assert err.value.key == "calendar_file_unreadable"
