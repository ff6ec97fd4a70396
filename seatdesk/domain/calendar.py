"""The working calendar: which days are working days, and the centre's office hours.

A day is a working day by, in order: an override the centre stored (an extra day off
for a local event, an extra working day); the year's schedule an administrator entered
(for years the package does not know yet); China's statutory holidays and adjusted
working days (调休) from the ``chinesecalendar`` package (2004–2026); and, for a year
none of these knows, plain weekdays — recorded in ``missing_years`` so the app and the
log can warn that the calendar needs that year.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

#: One office period of a day: (start, end), end exclusive of further work.
Period = tuple[time, time]

DEFAULT_PERIODS: tuple[Period, ...] = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))


def _package_years() -> range:
    # The package publishes its range only through its error message; its data dict
    # is the stable part of its API surface that we can read.
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return range(min(years), max(years) + 1)


PACKAGE_YEARS = _package_years()


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Office periods per weekday (0 = Monday). A weekend day that is an adjusted
    working day (调休) works Monday's hours unless the weekend has hours of its own."""

    by_weekday: Mapping[int, tuple[Period, ...]] = field(
        default_factory=lambda: {wd: DEFAULT_PERIODS for wd in range(7)}
    )

    def periods(self, day: date) -> tuple[Period, ...]:
        own = self.by_weekday.get(day.weekday(), ())
        return own or self.by_weekday.get(0, DEFAULT_PERIODS)

    def minutes_per_working_day(self) -> int:
        """One 工作日 of working time: the office minutes of a Monday."""
        return sum(
            (datetime.combine(date.min, e) - datetime.combine(date.min, s)).seconds // 60
            for s, e in self.by_weekday.get(0, DEFAULT_PERIODS)
        )

    @staticmethod
    def from_json(value: Mapping[str, list[list[str]]]) -> OfficeHours:
        """From ``{"0": [["08:30", "12:00"], ["14:00", "17:30"]], …}`` (as stored)."""
        by_weekday: dict[int, tuple[Period, ...]] = {}
        for key, periods in value.items():
            parsed = tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in periods)
            for s, e in parsed:
                if not s < e:
                    raise ValueError(f"office period {s}–{e} ends before it starts")
            by_weekday[int(key)] = parsed
        return OfficeHours(by_weekday)

    def to_json(self) -> dict[str, list[list[str]]]:
        return {
            str(wd): [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in periods]
            for wd, periods in sorted(self.by_weekday.items())
        }


@dataclass
class WorkCalendar:
    """Working days and office periods, in the centre's time zone."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    #: Overrides and entered schedules: date → True (working) / False (day off).
    days: Mapping[date, bool] = field(default_factory=dict)
    #: Years whose schedule an administrator entered (days not listed are weekdays).
    entered_years: frozenset[int] = frozenset()
    #: Years asked about that nobody knows; filled as a side effect, for warnings.
    missing_years: set[int] = field(default_factory=set)

    def is_working_day(self, day: date) -> bool:
        if day in self.days:
            return self.days[day]
        if day.year in self.entered_years:
            return day.weekday() < 5
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        if day.year not in self.missing_years:
            self.missing_years.add(day.year)
            log.warning(
                "the working calendar has no holiday schedule for %s: counting plain "
                "weekdays; enter the year with `seatdesk calendar import`",
                day.year,
            )
        return day.weekday() < 5

    def knows(self, year: int) -> bool:
        return year in self.entered_years or year in PACKAGE_YEARS

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of ``day`` as aware datetimes; none on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.combine(day, s, tzinfo=self.tz),
                datetime.combine(day, e, tzinfo=self.tz),
            )
            for s, e in self.office_hours.periods(day)
        ]

    def minutes_per_working_day(self) -> int:
        return self.office_hours.minutes_per_working_day()

    def days_off(self, year: int) -> list[tuple[date, bool, str]]:
        """The year's exceptions to the Monday–Friday week: weekday holidays and
        weekend working days, with their names where known."""
        out: list[tuple[date, bool, str]] = []
        day = date(year, 1, 1)
        while day.year == year:
            working = self.is_working_day(day)
            if working != (day.weekday() < 5):
                out.append((day, working, self.day_name(day)))
            day += timedelta(days=1)
        return out

    def day_name(self, day: date) -> str:
        if day.year in PACKAGE_YEARS and day not in self.days:
            _, name = chinese_calendar.get_holiday_detail(day)
            return HOLIDAY_ZH.get(str(name), str(name)) if name else ""
        return ""


#: The package names holidays in English; the centre reads them in Chinese.
HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
