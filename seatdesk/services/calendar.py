"""The working calendar as the centre keeps it: a year's holiday schedule entered when
the State Council publishes it, local days off and extra working days, office hours.

Every change goes through the database's own functions (migration 0006), which write
it, rebuild the working periods, and recompute and audit the deadlines of open cases in
working time, in the same transaction: the change and its consequences land together
or not at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import Boolean, Date, Text, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import CalendarDay
from seatdesk.domain.calendar import OfficeHours
from seatdesk.errors import Problem
from seatdesk.progress import NoProgress, Progress
from seatdesk.services import deadlines as deadline_service
from seatdesk.services.common import ChangeSet, require_admin

_HOLIDAY_WORDS = {"holiday", "off", "休", "休息", "放假", "节假日", "假日"}
_WORKDAY_WORDS = {"workday", "working", "work", "班", "上班", "调休上班", "工作日"}


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    day: date
    working: bool
    name: str


def read_schedule(path: Path) -> list[ScheduleDay]:
    """Read ``date, holiday|workday, name`` rows from a CSV or xlsx file.

    A header row is allowed. Every bad row is reported with its number; nothing is
    returned unless every row is good.
    """
    rows = _rows(path)
    out: list[ScheduleDay] = []
    problems: list[str] = []
    for number, cells in rows:
        if not any(str(c or "").strip() for c in cells):
            continue
        first = str(cells[0] or "").strip()
        if number == 1 and not first[:1].isdigit() and not isinstance(cells[0], date):
            continue  # a header
        try:
            day = cells[0] if isinstance(cells[0], date) else date.fromisoformat(first)
            if isinstance(day, datetime):
                day = day.date()
        except ValueError:
            problems.append(f"row {number}: {first!r} is not a date (YYYY-MM-DD)")
            continue
        kind = str(cells[1] if len(cells) > 1 and cells[1] is not None else "").strip().lower()
        if kind in _HOLIDAY_WORDS:
            working = False
        elif kind in _WORKDAY_WORDS:
            working = True
        else:
            problems.append(f"row {number}: {kind!r} is neither holiday nor workday")
            continue
        name = str(cells[2]).strip() if len(cells) > 2 and cells[2] is not None else ""
        out.append(ScheduleDay(day, working, name))
    if problems:
        raise Problem("calendar_file_bad", path=path.name, problems="; ".join(problems[:10]))
    if not out:
        raise Problem("calendar_file_empty", path=path.name)
    return out


def _rows(path: Path) -> list[tuple[int, list[object]]]:
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            return [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), 1)]
        text = path.read_text(encoding="utf-8-sig")
        return [(i, list(r)) for i, r in enumerate(csv.reader(io.StringIO(text)), 1)]
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise Problem("calendar_file_unreadable", path=path.name, reason=str(exc)) from exc
    except Exception as exc:  # openpyxl raises assorted errors for a file that is not xlsx
        reason = type(exc).__name__
        raise Problem("calendar_file_unreadable", path=path.name, reason=reason) from exc


def import_schedule(
    session: Session, days: list[ScheduleDay], *, note: str = "", progress: Progress | None = None
) -> ChangeSet:
    """Enter a schedule: the listed days override the calendar, and each year it covers
    is marked as entered (its unlisted days are Monday–Friday working days)."""
    require_admin(session, "calendar import")
    progress = progress or NoProgress()
    progress.start(1)
    ids = session.execute(
        select(
            func.seatdesk_import_calendar_schedule(
                cast([d.day for d in days], ARRAY(Date)),
                cast([d.working for d in days], ARRAY(Boolean)),
                cast([d.name for d in days], ARRAY(Text)),
                note,
            )
        )
    ).scalar_one()
    progress.advance()
    return deadline_service.changes_of(ids) | ChangeSet(entities=frozenset({"calendar"}))


def set_day(session: Session, day: date, *, working: bool | None, name: str = "") -> ChangeSet:
    """A local day off or extra working day; ``working=None`` removes the override."""
    require_admin(session, "calendar")
    ids = session.execute(
        select(func.seatdesk_set_calendar_day(day, working, name))
    ).scalar_one()
    return deadline_service.changes_of(ids) | ChangeSet(entities=frozenset({"calendar"}))


def set_office_hours(session: Session, hours: OfficeHours) -> ChangeSet:
    require_admin(session, "office hours")
    return set_setting(session, "office_hours", hours.to_json())


def set_setting(session: Session, key: str, value: Any) -> ChangeSet:
    """One centre setting (``timezone``, ``office_hours``, ``warning_share``,
    ``warning_remainder_minutes``, ``max_extensions``, ``require_result_photo``,
    ``centre_name``), checked by the database; the
    ones that shape working time recompute the open deadlines."""
    require_admin(session, "centre settings")
    ids = session.execute(
        select(func.seatdesk_set_centre_setting(key, cast(value, JSONB)))
    ).scalar_one()
    return deadline_service.changes_of(ids) | ChangeSet(entities=frozenset({"calendar"}))


def set_centre_name(session: Session, name: str) -> ChangeSet:
    """The name the desk shows for the database (1 to 60 characters), instead of its
    address."""
    return set_setting(session, "centre_name", name.strip())


@dataclass(frozen=True, slots=True)
class YearView:
    year: int
    known: bool
    source: str  # "package", "entered" or "weekdays"
    days: list[tuple[date, bool, str]]


def show_year(session: Session, year: int) -> YearView:
    """The year's days off on weekdays and working days on weekends, and who knows it."""
    calendar = deadline_service.load_calendar(session)
    names = dict(session.execute(select(CalendarDay.day, CalendarDay.name)).all())
    days = [(d, w, names.get(d) or n) for d, w, n in calendar.days_off(year)]
    if year in calendar.entered_years:
        source = "entered"
    elif calendar.knows(year):
        source = "package"
    else:
        source = "weekdays"
    return YearView(year, calendar.knows(year), source, days)


class DayKind(StrEnum):
    """How the year view colours a day that is not a plain Monday–Friday day."""

    HOLIDAY = "holiday"  # a statutory (or scheduled) day off on a weekday
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休: a weekend day that is worked
    LOCAL_DAY_OFF = "local_day_off"  # the centre's own day off
    LOCAL_WORKDAY = "local_workday"  # the centre's own working day


@dataclass(frozen=True, slots=True)
class YearDays:
    year: int
    source: str  # "package", "entered" or "weekdays"
    kinds: dict[date, DayKind]
    names: dict[date, str]


def year_days(session: Session, year: int) -> YearDays:
    """The year view's days: published holidays and 调休 days, and the centre's own."""
    view = show_year(session, year)
    kinds = {d: DayKind.ADJUSTED_WORKDAY if w else DayKind.HOLIDAY for d, w, _ in view.days}
    names = {d: n for d, _, n in view.days if n}
    local = session.execute(
        select(CalendarDay.day, CalendarDay.working, CalendarDay.name).where(
            CalendarDay.local,
            CalendarDay.day >= date(year, 1, 1),
            CalendarDay.day <= date(year, 12, 31),
        )
    ).all()
    for day, working, name in local:
        kinds[day] = DayKind.LOCAL_WORKDAY if working else DayKind.LOCAL_DAY_OFF
        if name:
            names[day] = name
    return YearDays(year, view.source, kinds, names)


#: From this day of December, an admin is told when next year's schedule is missing.
WARN_FROM = (12, 1)


def calendar_warning(session: Session, today: date) -> str | None:
    """The banner of an admin's login: from 1 December, when next year's holiday
    schedule is neither in the package nor entered; any day, when this year's is
    missing. None when there is nothing to say."""
    calendar = deadline_service.load_calendar(session)
    if not calendar.knows(today.year):
        return messages.t("rules.calendar_this_missing", year=today.year)
    if (today.month, today.day) >= WARN_FROM and not calendar.knows(today.year + 1):
        return messages.t("rules.calendar_next_missing", year=today.year + 1)
    return None
