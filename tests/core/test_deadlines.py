"""Working-time arithmetic on the real calendar of 2025 and 2026: no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatdesk.domain.calendar import OfficeHours, WorkCalendar
from seatdesk.domain.deadlines import (
    StageClock,
    WarningPolicy,
    deadline,
    elapsed_fraction,
    remaining,
    working_time,
)
from seatdesk.domain.glossary import TimeUnit

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(tz=TZ)
U = TimeUnit


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


# ---- the calendar


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 26), True),  # Sunday, 调休 before the Spring Festival
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # last day of the Spring Festival holiday
        (date(2025, 2, 8), True),  # Saturday, 调休 after it
        (date(2025, 9, 28), True),  # Sunday, 调休 before National Day
        (date(2025, 10, 8), False),  # National Day + Mid-Autumn, 8 days
        (date(2025, 10, 11), True),  # Saturday, 调休 after it
        (date(2026, 2, 14), True),  # Saturday, 调休 before the Spring Festival
        (date(2026, 2, 17), False),  # 春节
        (date(2026, 2, 28), True),  # Saturday, 调休 after it
        (date(2026, 10, 7), False),  # last day of National Day
        (date(2026, 10, 10), True),  # Saturday, 调休 after it
        (date(2026, 10, 12), True),  # an ordinary Monday
    ],
)
def test_statutory_holidays_and_adjusted_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_an_unknown_year_falls_back_to_weekdays_and_says_so() -> None:
    cal = WorkCalendar(tz=TZ)
    assert cal.is_working_day(date(2027, 1, 4)) is True  # a Monday
    assert cal.is_working_day(date(2027, 1, 2)) is False  # a Saturday
    assert cal.missing_years == {2027}
    assert not cal.knows(2027)


def test_an_entered_year_and_local_overrides_win() -> None:
    cal = WorkCalendar(
        tz=TZ,
        days={date(2027, 2, 8): False, date(2027, 2, 20): True, date(2026, 10, 12): False},
        entered_years=frozenset({2027}),
    )
    assert cal.is_working_day(date(2027, 2, 8)) is False  # a Monday off
    assert cal.is_working_day(date(2027, 2, 20)) is True  # a Saturday on
    assert cal.is_working_day(date(2026, 10, 12)) is False  # a local day off
    assert cal.missing_years == set()


def test_office_hours_per_weekday() -> None:
    friday_short = OfficeHours({**OfficeHours().by_weekday, 4: ((time(8, 30), time(12, 0)),)})
    cal = WorkCalendar(tz=TZ, office_hours=friday_short)
    # Friday 2026-10-16 11:00 + 2 working hours: 1 h on Friday morning, then Monday.
    assert deadline(at(2026, 10, 16, 11), 2, U.WORKING_HOURS, cal) == at(2026, 10, 19, 9, 30)


# ---- deadlines


def test_late_on_the_last_working_day_before_national_day_ends_after_the_holiday() -> None:
    # 2026: Wednesday 30 September is the last working day before 1–7 October.
    assert deadline(at(2026, 9, 30, 17, 20), 2, U.WORKING_HOURS, CAL) == at(2026, 10, 8, 10, 20)
    # 2025: Tuesday 30 September, then 1–8 October off.
    assert deadline(at(2025, 9, 30, 17, 20), 2, U.WORKING_HOURS, CAL) == at(2025, 10, 9, 10, 20)


def test_friday_evening_before_national_day_2025_ends_on_the_adjusted_sunday() -> None:
    assert deadline(at(2025, 9, 26, 17, 20), 2, U.WORKING_HOURS, CAL) == at(2025, 9, 28, 10, 20)


def test_spring_festival_2026() -> None:
    # Friday 13 Feb 2026, then Saturday 14 Feb is an adjusted working day, then 15–23 off.
    assert deadline(at(2026, 2, 13, 16), 4, U.WORKING_HOURS, CAL) == at(2026, 2, 14, 11)
    assert deadline(at(2026, 2, 14, 16), 2, U.WORKING_DAYS, CAL) == at(2026, 2, 25, 16)


def test_emergency_and_natural_units_ignore_the_calendar() -> None:
    start = at(2026, 9, 30, 17, 20)
    assert deadline(start, 2, U.EMERGENCY_HOURS, CAL) == start + timedelta(hours=2)
    assert deadline(start, 3, U.NATURAL_DAYS, CAL) == start + timedelta(days=3)
    assert deadline(start, Decimal("0.25"), U.NATURAL_HOURS, CAL) == start + timedelta(minutes=15)


def test_a_working_day_is_one_days_office_hours() -> None:
    assert CAL.minutes_per_working_day() == 420
    assert deadline(at(2026, 10, 12, 10), 2, U.WORKING_DAYS, CAL) == at(2026, 10, 14, 10)
    assert deadline(at(2026, 10, 12, 8, 30), 1, U.WORKING_DAYS, CAL) == at(2026, 10, 12, 17, 30)


def test_a_start_outside_office_hours_counts_from_the_next_period() -> None:
    assert deadline(at(2026, 10, 12, 12, 30), 1, U.WORKING_HOURS, CAL) == at(2026, 10, 12, 15)
    assert deadline(at(2026, 10, 12, 6, 0), 4, U.WORKING_HOURS, CAL) == at(2026, 10, 12, 14, 30)


def test_elapsed_fraction_and_remaining_in_the_deadlines_unit() -> None:
    clock = StageClock.start(at(2026, 9, 30, 17, 20), 2, U.WORKING_HOURS, CAL)
    assert clock.due(CAL) == at(2026, 10, 8, 10, 20)
    during_holiday = at(2026, 10, 3, 12)
    assert elapsed_fraction(clock, during_holiday, CAL) == pytest.approx(10 / 120)
    assert remaining(clock, during_holiday, CAL) == Decimal(110) / 60
    assert remaining(clock, at(2026, 10, 8, 11, 20), CAL) == -1
    assert elapsed_fraction(clock, at(2026, 10, 8, 11, 20), CAL) == pytest.approx(1.5)


def test_the_warning_comes_at_80_percent_or_at_the_remainder() -> None:
    clock = StageClock.start(at(2026, 10, 12, 8, 30), 10, U.WORKING_HOURS, CAL)
    assert clock.due(CAL) == at(2026, 10, 13, 11, 30)
    assert clock.warning_at(CAL, WarningPolicy()) == at(2026, 10, 13, 9, 30)  # 8 h used
    early = WarningPolicy(remainder_minutes=180)  # or when 3 working hours are left
    assert clock.warning_at(CAL, early) == at(2026, 10, 12, 17, 30)


def test_an_extension_adds_one_original_limit() -> None:
    clock = StageClock.start(at(2026, 10, 12, 9), 4, U.WORKING_HOURS, CAL)
    assert clock.due(CAL) == at(2026, 10, 12, 15)
    assert clock.extended().due(CAL) == at(2026, 10, 13, 10, 0)
    assert clock.extended().extended().extensions == 2


def test_a_postponement_gives_the_paused_time_back_in_working_time() -> None:
    clock = StageClock.start(at(2026, 10, 12, 9), 4, U.WORKING_HOURS, CAL)
    paused = clock.paused(at(2026, 10, 12, 10), CAL)  # 3 working hours left
    resumed = paused.resumed(at(2026, 10, 19, 0, 0))  # a Monday, before office hours
    assert resumed.due(CAL) == at(2026, 10, 19, 11, 30)


# ---- properties

starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 1)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ))
amounts = st.integers(min_value=1, max_value=3000)  # minutes
units = st.sampled_from(list(TimeUnit))


@settings(max_examples=300, deadline=None)
@given(start=starts, minutes=amounts, unit=units)
def test_a_deadline_is_never_before_its_start(start: datetime, minutes: int, unit: U) -> None:
    amount = Decimal(minutes) / (420 if unit is U.WORKING_DAYS else 60)  # whole minutes
    assert deadline(start, amount, unit, CAL) >= start


@settings(max_examples=300, deadline=None)
@given(start=starts, a=amounts, b=amounts, unit=units)
def test_adding_in_two_parts_equals_adding_at_once(
    start: datetime, a: int, b: int, unit: U
) -> None:
    hours_a, hours_b = Decimal(a) / 60, Decimal(b) / 60
    if unit in (U.WORKING_DAYS, U.NATURAL_DAYS):  # whole days, up to two months
        hours_a, hours_b = Decimal(a % 40 + 1), Decimal(b % 40 + 1)
    once = deadline(start, hours_a + hours_b, unit, CAL)
    twice = deadline(deadline(start, hours_a, unit, CAL), hours_b, unit, CAL)
    assert once == twice


@settings(max_examples=300, deadline=None)
@given(start=starts, minutes=amounts, unit=st.sampled_from([U.WORKING_HOURS, U.WORKING_DAYS]))
def test_a_working_deadline_falls_inside_office_hours(
    start: datetime, minutes: int, unit: U
) -> None:
    amount = Decimal(minutes) / (420 if unit is U.WORKING_DAYS else 60)  # whole minutes
    due = deadline(start, amount, unit, CAL)
    assert any(begin < due <= end for begin, end in CAL.periods(due.date()))


@settings(max_examples=200, deadline=None)
@given(start=starts, minutes=amounts)
def test_working_time_measures_what_deadline_adds(start: datetime, minutes: int) -> None:
    due = deadline(start, Decimal(minutes) / 60, U.WORKING_HOURS, CAL)
    assert working_time(start, due, U.WORKING_HOURS, CAL) == minutes
