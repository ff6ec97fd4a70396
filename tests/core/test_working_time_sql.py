"""Working time in SQL (migration 0006) agrees with the Python reference, to the
microsecond, on the real calendar of 2025–2027: 调休 days, an entered year (2027),
local overrides and the centre's own office hours included."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from seatdesk.domain.calendar import OfficeHours, WorkCalendar
from seatdesk.domain.deadlines import (
    StageClock,
    WarningPolicy,
    add_minutes,
    to_minutes,
    working_time,
)
from seatdesk.domain.glossary import FINAL_STATES, Role, State, TimeUnit
from seatdesk.services import calendar as calendar_service
from seatdesk.services import deadlines
from tests.core.conftest import Desk

TZ = ZoneInfo("Asia/Shanghai")
U = TimeUnit
EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True)

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59)
).map(lambda d: d.replace(tzinfo=TZ))  # seconds and microseconds included
units = st.sampled_from(list(TimeUnit))


def _minutes_for(unit: U) -> st.SearchStrategy[int]:
    # Up to about two months of the unit's kind of time, zero included.
    top = 60 * 24 * 60 if unit in (U.NATURAL_DAYS, U.NATURAL_HOURS, U.EMERGENCY_HOURS) else 20_000
    return st.integers(min_value=0, max_value=top)


limits = units.flatmap(lambda u: st.tuples(st.just(u), _minutes_for(u)))


def _enter_2027_and_local_days(desk: Desk) -> WorkCalendar:
    """The calendar as a centre would hold it late in 2026, read back for Python."""
    days = [
        calendar_service.ScheduleDay(date(2027, 1, 1), False, "元旦"),
        calendar_service.ScheduleDay(date(2027, 2, 6), True, "春节调休"),  # a Saturday
        *(
            calendar_service.ScheduleDay(date(2027, 2, 8) + timedelta(days=i), False, "春节")
            for i in range(7)
        ),
        calendar_service.ScheduleDay(date(2027, 2, 20), True, "春节调休"),  # a Saturday
        calendar_service.ScheduleDay(date(2027, 10, 1), False, "国庆节"),
    ]
    with desk.as_(Role.ADMIN) as s:
        calendar_service.import_schedule(s, days, note="国办发明电〔2026〕")
        calendar_service.set_day(s, date(2026, 11, 16), working=False, name="台风停工")
        calendar_service.set_day(s, date(2026, 11, 21), working=True, name="补班")
    return deadlines.load_calendar(desk.session)


def _sql_add(desk: Desk, start: datetime, minutes: int, unit: U) -> datetime:
    return desk.session.execute(  # type: ignore[no-any-return]
        text("SELECT seatdesk_add_working(:s, :m, :u)"), {"s": start, "m": minutes, "u": unit}
    ).scalar_one()


# ---- agreement with the reference


def test_adding_working_time_agrees_with_python(desk: Desk) -> None:
    cal = _enter_2027_and_local_days(desk)
    assert cal.tz == TZ and 2027 in cal.entered_years

    @EXAMPLES
    @given(start=instants, limit=limits)
    def agree(start: datetime, limit: tuple[U, int]) -> None:
        unit, minutes = limit
        assert _sql_add(desk, start, minutes, unit) == add_minutes(start, minutes, unit, cal)

    agree()


def test_working_minutes_agree_with_python(desk: Desk) -> None:
    cal = _enter_2027_and_local_days(desk)

    @EXAMPLES
    @given(a=instants, b=instants, unit=units)
    def agree(a: datetime, b: datetime, unit: U) -> None:
        sql = desk.scalar("SELECT seatdesk_working_minutes(:a, :b, :u)", a=a, b=b, u=unit)
        assert sql == working_time(a, b, unit, cal)

    agree()


def test_warnings_agree_with_python_under_the_centres_policy(desk: Desk) -> None:
    cal = _enter_2027_and_local_days(desk)
    with desk.as_(Role.ADMIN) as s:
        calendar_service.set_setting(s, "warning_share", 0.75)
        calendar_service.set_setting(s, "warning_remainder_minutes", 90)
    policy = deadlines.load_rules(desk.session).policy
    assert policy == WarningPolicy(Decimal("0.75"), 90)

    @EXAMPLES
    @given(
        start=instants,
        limit=limits,
        extensions=st.integers(min_value=0, max_value=2),
        used=st.floats(min_value=0, max_value=1),
    )
    def agree(start: datetime, limit: tuple[U, int], extensions: int, used: float) -> None:
        unit, minutes = limit
        allowance = int((1 + extensions) * minutes * used)  # a clock paused part way
        clock = StageClock(unit, minutes, start, allowance, extensions)
        sql = desk.scalar(
            "SELECT seatdesk_warning_at(:s, :a, :l, :e, :u)",
            s=start, a=allowance, l=minutes, e=extensions, u=unit,
        )
        assert sql == clock.warning_at(cal, policy)

    agree()


def test_minutes_of_a_limit_agree_with_python_under_the_centres_office_hours(
    desk: Desk,
) -> None:
    hours = OfficeHours({
        0: ((time(8, 0), time(12, 0)), (time(13, 30), time(17, 45))),  # 495 minutes
        **{wd: ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30))) for wd in (1, 2, 3)},
        4: ((time(8, 30), time(12, 0)),),  # Friday mornings only
    })
    with desk.as_(Role.ADMIN) as s:
        calendar_service.set_office_hours(s, hours)
    cal = deadlines.load_calendar(desk.session)
    assert cal.minutes_per_working_day() == 495

    @EXAMPLES
    @given(
        amount=st.decimals(min_value=0, max_value=999, places=4),
        unit=units,
        start=instants,
    )
    def agree(amount: Decimal, unit: U, start: datetime) -> None:
        minutes = desk.scalar("SELECT seatdesk_to_minutes(:a, :u)", a=amount, u=unit)
        assert minutes == to_minutes(amount, unit, cal)
        # The 调休 Saturdays work Monday's hours; Fridays end at noon.
        minutes = min(minutes, 20_000)
        assert _sql_add(desk, start, minutes, unit) == add_minutes(start, minutes, unit, cal)

    agree()


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        # Friday 13 Feb 2026, then the 调休 Saturday 14 Feb, then 15–23 Feb off.
        (datetime(2026, 2, 13, 16, tzinfo=TZ), 4, U.WORKING_HOURS,
         datetime(2026, 2, 14, 11, tzinfo=TZ)),
        (datetime(2026, 2, 14, 16, tzinfo=TZ), 2, U.WORKING_DAYS,
         datetime(2026, 2, 25, 16, tzinfo=TZ)),
        # The "<=" rule: 3.5 hours from 08:00 run out at 12:00, not at 14:00.
        (datetime(2026, 10, 12, 8, 0, tzinfo=TZ), 3.5, U.WORKING_HOURS,
         datetime(2026, 10, 12, 12, 0, tzinfo=TZ)),
        (datetime(2026, 10, 12, 8, 30, tzinfo=TZ), 1, U.WORKING_DAYS,
         datetime(2026, 10, 12, 17, 30, tzinfo=TZ)),
        (datetime(2026, 9, 30, 17, 20, tzinfo=TZ), 2, U.WORKING_HOURS,
         datetime(2026, 10, 8, 10, 20, tzinfo=TZ)),
    ],
)
def test_real_dates_in_sql(
    desk: Desk, start: datetime, amount: float, unit: U, due: datetime
) -> None:
    minutes = desk.scalar("SELECT seatdesk_to_minutes(:a, :u)", a=amount, u=unit)
    assert _sql_add(desk, start, minutes, unit) == due


def test_start_of_day_is_midnight_in_the_centres_zone(desk: Desk) -> None:
    assert desk.scalar("SELECT seatdesk_start_of_day('2026-10-01')") == datetime(
        2026, 10, 1, tzinfo=TZ
    )
    assert deadlines.start_of_day(date(2026, 10, 1), deadlines.load_calendar(desk.session)) == (
        datetime(2026, 10, 1, tzinfo=TZ)
    )


# ---- what the database does with it


def test_a_calendar_change_recomputes_every_open_deadline_as_python_would(desk: Desk) -> None:
    # New office hours: every open working-time clock moves, in one statement. One
    # office hour a day moves a 4-hour clock by days whenever the test runs (hours of the
    # same length a day, only shifted, leave a clock started in the afternoon where it
    # was: 14:50 + 4 h is 9:50 the next morning with 8:30–17:30 and with 9:00–18:00).
    hours = OfficeHours({0: ((time(10, 0), time(11, 0)),)})
    cat, cond = desk.category("event", "0102")  # 暴露垃圾: 4 工作时 to handle
    handling = []
    for _ in range(3):
        case_id = desk.new_case(category_id=cat, filing_condition_id=cond)
        desk.drive(case_id, State.HANDLING)
        handling.append(case_id)
    before = desk.scalar("SELECT count(*) FROM case_events WHERE action = 'deadline_recomputed'")
    with desk.as_(Role.ADMIN) as s:
        changed = calendar_service.set_office_hours(s, hours)
    assert "calendar" in changed.entities
    cal = deadlines.load_calendar(desk.session)
    final = [s.value for s in FINAL_STATES]
    rows = desk.session.execute(
        text("""
            SELECT id, state, stage_deadline, stage_limit_unit, stage_limit_minutes,
                   clock_start, allowance_minutes, extension_count
            FROM cases
            WHERE stage_limit_unit IN ('working_hours', 'working_days')
              AND NOT state = ANY(:final)
        """),
        {"final": final},
    ).all()
    assert set(handling) <= {r.id for r in rows}
    for row in rows:
        clock = deadlines.clock_of(row)
        assert clock is not None
        assert row.stage_deadline == clock.due(cal)
    events = desk.session.execute(
        text("""
            SELECT case_id, actor, note, data FROM case_events
            WHERE action = 'deadline_recomputed' ORDER BY id
        """)
    ).all()[before:]
    assert {e.case_id for e in events} == set(changed.case_ids)
    assert len(events) == len(changed.case_ids) > 0
    for e in events:
        assert e.actor == "admin1" and e.note == "office hours"
        assert e.data["reason"] == "office hours"
        due = next(r.stage_deadline for r in rows if r.id == e.case_id)
        assert e.data["to"] == due.isoformat()
        assert datetime.fromisoformat(e.data["from"]) != due
    # Nothing is stale afterwards: a second recomputation changes nothing.
    with desk.as_(Role.ADMIN) as s:
        assert not deadlines.recompute_open_deadlines(s, reason="again").case_ids


def test_the_periods_follow_even_a_direct_write_by_the_owner(desk: Desk) -> None:
    start = datetime(2026, 10, 12, 16, 0, tzinfo=TZ)  # a Monday
    assert _sql_add(desk, start, 120, U.WORKING_HOURS) == datetime(2026, 10, 13, 9, 0, tzinfo=TZ)
    desk.session.execute(
        text("INSERT INTO calendar_days (day, working) VALUES ('2026-10-13', false)")
    )
    assert _sql_add(desk, start, 120, U.WORKING_HOURS) == datetime(2026, 10, 14, 9, 0, tzinfo=TZ)
    desk.session.execute(text("DELETE FROM calendar_days WHERE day = '2026-10-13'"))
    assert _sql_add(desk, start, 120, U.WORKING_HOURS) == datetime(2026, 10, 13, 9, 0, tzinfo=TZ)


def test_the_sessions_time_zone_changes_nothing(desk: Desk) -> None:
    start = datetime(2026, 2, 13, 16, 0, 30, tzinfo=TZ)
    in_shanghai = _sql_add(desk, start, 240, U.WORKING_HOURS)
    midnight = desk.scalar("SELECT seatdesk_start_of_day('2026-10-01')")
    desk.session.execute(text("SET LOCAL timezone = 'UTC'"))
    for zone in ("America/New_York", "Asia/Tokyo"):
        desk.session.execute(text(f"SET LOCAL timezone = '{zone}'"))
        assert _sql_add(desk, start, 240, U.WORKING_HOURS) == in_shanghai
        assert desk.scalar("SELECT seatdesk_start_of_day('2026-10-01')") == midnight
        assert desk.scalar(
            "SELECT seatdesk_working_minutes(:a, :b, 'working_hours')", a=start, b=in_shanghai
        ) == 240
    assert in_shanghai == datetime(2026, 2, 14, 11, 0, 30, tzinfo=TZ)
    assert deadlines.load_calendar(desk.session).tz == TZ


def test_the_centres_time_zone_is_a_setting_only_the_admin_changes(desk: Desk) -> None:
    start = datetime(2026, 10, 12, 9, 0, tzinfo=TZ)
    with desk.as_(Role.ADMIN) as s:
        calendar_service.set_setting(s, "timezone", "Asia/Urumqi")  # two hours behind
        with pytest.raises(DBAPIError, match="unknown time zone"), s.begin_nested():
            calendar_service.set_setting(s, "timezone", "Mars/Olympus")
    cal = deadlines.load_calendar(desk.session)
    assert str(cal.tz) == "Asia/Urumqi"
    due = _sql_add(desk, start, 60, U.WORKING_HOURS)
    assert due == add_minutes(start, 60, U.WORKING_HOURS, cal)
    # 09:00 in Beijing is 07:00 in Urumqi: the office opens at 08:30 there.
    assert due == datetime(2026, 10, 12, 9, 30, tzinfo=ZoneInfo("Asia/Urumqi"))


# ---- who may write


@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.DEPARTMENT, Role.ADMIN])
@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO working_periods VALUES (now(), now() + interval '1 hour', 0, 1)",
        "DELETE FROM working_periods",
        "SELECT count(*) FROM working_periods",
        "INSERT INTO calendar_days (day, working) VALUES ('2026-12-01', false)",
        "DELETE FROM calendar_days",
        "INSERT INTO calendar_years (year) VALUES (2030)",
        "UPDATE centre_settings SET value = '\"UTC\"' WHERE key = 'timezone'",
        "INSERT INTO calendar_statutory (day, working) VALUES ('2026-12-01', false)",
        "SELECT seatdesk_rebuild_working_periods()",
    ],
)
def test_no_seat_writes_the_periods_or_the_calendar_by_hand(
    desk: Desk, role: Role, statement: str
) -> None:
    with desk.as_(role), pytest.raises(ProgrammingError, match="permission denied"), (
        desk.session.begin_nested()
    ):
        desk.session.execute(text(statement))


@pytest.mark.parametrize(
    "call",
    [
        "seatdesk_set_calendar_day('2026-12-01', false, 'x')",
        "seatdesk_import_calendar_schedule(ARRAY['2027-05-06']::date[], ARRAY[false], "
        "ARRAY['x'], '')",
        "seatdesk_set_centre_setting('timezone', '\"UTC\"')",
        "seatdesk_recompute_open_deadlines('x')",
    ],
)
@pytest.mark.parametrize("role", [Role.ACCEPTOR, Role.DISPATCHER, Role.DEPARTMENT])
def test_only_the_admin_calls_the_calendar_functions(desk: Desk, role: Role, call: str) -> None:
    with desk.as_(role), pytest.raises(ProgrammingError, match="permission denied"), (
        desk.session.begin_nested()
    ):
        desk.session.execute(text(f"SELECT {call}"))


@pytest.mark.parametrize("role", list(Role))
def test_the_arithmetic_is_the_owners_alone(desk: Desk, role: Role) -> None:
    """Seats compute no deadline in SQL: the case functions do, as the owner."""
    with desk.as_(role), pytest.raises(ProgrammingError, match="permission denied"), (
        desk.session.begin_nested()
    ):
        desk.session.execute(
            text("SELECT seatdesk_add_working('2026-10-12 09:00+08', 60, 'working_hours')")
        )


def test_bad_settings_are_refused_and_nothing_is_written(desk: Desk) -> None:
    before = desk.scalar("SELECT value FROM centre_settings WHERE key = 'office_hours'")
    with desk.as_(Role.ADMIN) as s:
        for key, value in [
            ("office_hours", {"0": [["12:00", "08:30"]]}),
            ("office_hours", {"0": [["08:30", "12:00"], ["11:00", "17:30"]]}),
            ("office_hours", {"7": [["08:30", "12:00"]]}),
            ("warning_share", 1.5),
            ("max_extensions", -1),
            ("colour", "red"),
        ]:
            with pytest.raises(DBAPIError), s.begin_nested():
                calendar_service.set_setting(s, key, value)
    assert desk.scalar("SELECT value FROM centre_settings WHERE key = 'office_hours'") == before
