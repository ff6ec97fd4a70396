"""Working-time arithmetic: deadlines exact to the minute on the Chinese calendar.

Units (``TimeUnit``):

- ``emergency_hours`` (紧急工作时) and ``natural_hours``: hours round the clock, nights
  and holidays included; ``natural_days`` (自然日): days of 24 hours. These ignore the
  calendar.
- ``working_hours`` (工作时): hours inside the centre's office periods on working days.
- ``working_days`` (工作日): one working day is one day's office hours of working time
  (with the default 08:30–12:00 and 14:00–17:30, 7 hours), so "2 工作日" from Monday
  10:00 ends on Wednesday 10:00. Counting in working time, not in calendar days, keeps
  the arithmetic additive: a limit added in two parts ends where it ends added at once.

Amounts are converted to whole minutes (rounded), so every deadline is exact to the
minute and ``deadline(deadline(s, a), b) == deadline(s, a + b)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from seatdesk.domain.calendar import WorkCalendar
from seatdesk.domain.glossary import TimeUnit

WORKING_UNITS = frozenset({TimeUnit.WORKING_HOURS, TimeUnit.WORKING_DAYS})
#: A deadline never lies further than this many days ahead: a guard, not a rule.
_MAX_DAYS = 3660


def is_working_unit(unit: TimeUnit) -> bool:
    return unit in WORKING_UNITS


def minutes_per_unit(unit: TimeUnit, calendar: WorkCalendar) -> Decimal:
    """How many minutes of its own kind of time one ``unit`` is."""
    if unit is TimeUnit.WORKING_DAYS:
        return Decimal(calendar.minutes_per_working_day())
    if unit is TimeUnit.NATURAL_DAYS:
        return Decimal(24 * 60)
    return Decimal(60)


def to_minutes(amount: Decimal | int | float, unit: TimeUnit, calendar: WorkCalendar) -> int:
    """A limit in whole minutes of its own kind of time (working or natural)."""
    minutes = Decimal(str(amount)) * minutes_per_unit(unit, calendar)
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minutes(minutes: int, unit: TimeUnit, calendar: WorkCalendar) -> Decimal:
    """Minutes of a unit's kind of time back into the unit (for display)."""
    return Decimal(minutes) / minutes_per_unit(unit, calendar)


def add_minutes(start: datetime, minutes: int, unit: TimeUnit, calendar: WorkCalendar) -> datetime:
    """``start`` plus ``minutes`` of the unit's kind of time."""
    if minutes < 0:
        raise ValueError("a time limit cannot be negative")
    if not is_working_unit(unit):
        return start + timedelta(minutes=minutes)
    return _add_working(start, timedelta(minutes=minutes), calendar)


def deadline(
    start: datetime, amount: Decimal | int | float, unit: TimeUnit, calendar: WorkCalendar
) -> datetime:
    """When a limit of ``amount`` ``unit`` that starts at ``start`` runs out."""
    if start.tzinfo is None:
        raise ValueError("deadlines are computed from aware datetimes only")
    return add_minutes(start, to_minutes(amount, unit, calendar), unit, calendar)


def _add_working(start: datetime, left: timedelta, calendar: WorkCalendar) -> datetime:
    if left <= timedelta(0):
        return start
    t = start.astimezone(calendar.tz)
    day = t.date()
    for _ in range(_MAX_DAYS):
        for begin, end in calendar.periods(day):
            if end <= t:
                continue
            s = max(begin, t)
            available = end - s
            # "<=" lands a deadline on the end of a period rather than the start of the
            # next: 12:00, not 14:00, is when four hours from 08:00 … run out.
            if left <= available:
                return s + left
            left -= available
        day += timedelta(days=1)
    raise ValueError("the calendar has no working time within ten years")


def working_time(a: datetime, b: datetime, unit: TimeUnit, calendar: WorkCalendar) -> int:
    """Minutes of the unit's kind of time from ``a`` to ``b`` (negative if b < a)."""
    if b < a:
        return -working_time(b, a, unit, calendar)
    if not is_working_unit(unit):
        return int((b - a).total_seconds() // 60)
    total = timedelta(0)
    a = a.astimezone(calendar.tz)
    b = b.astimezone(calendar.tz)
    day = a.date()
    while day <= b.date():
        for begin, end in calendar.periods(day):
            s, e = max(begin, a), min(end, b)
            if e > s:
                total += e - s
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class WarningPolicy:
    """When a case turns yellow (黄灯): ``share`` of its allowed time used, or less than
    ``remainder_minutes`` (in its own kind of time) left, whichever comes first."""

    share: Decimal = Decimal("0.8")
    remainder_minutes: int = 0


@dataclass(frozen=True, slots=True)
class StageClock:
    """The clock of one stage of a case.

    ``limit_minutes`` is one original limit; ``allowance_minutes`` is what the clock
    counts down from ``clock_start`` (the limit, plus one limit per approved extension,
    or what was left when a postponement paused it).
    """

    unit: TimeUnit
    limit_minutes: int
    clock_start: datetime
    allowance_minutes: int
    extensions: int = 0

    @staticmethod
    def start(
        at: datetime, amount: Decimal | int | float, unit: TimeUnit, calendar: WorkCalendar
    ) -> StageClock:
        minutes = to_minutes(amount, unit, calendar)
        return StageClock(unit, minutes, at, minutes)

    def due(self, calendar: WorkCalendar) -> datetime:
        return add_minutes(self.clock_start, self.allowance_minutes, self.unit, calendar)

    def total_minutes(self) -> int:
        return self.limit_minutes * (1 + self.extensions)

    def warning_at(self, calendar: WorkCalendar, policy: WarningPolicy) -> datetime:
        """The moment the case turns yellow."""
        left_at_warning = max(
            int((Decimal(1) - policy.share) * self.total_minutes()), policy.remainder_minutes
        )
        used = max(0, self.allowance_minutes - left_at_warning)
        return add_minutes(self.clock_start, used, self.unit, calendar)

    def extended(self) -> StageClock:
        """One more original limit (an approved extension)."""
        return StageClock(
            self.unit,
            self.limit_minutes,
            self.clock_start,
            self.allowance_minutes + self.limit_minutes,
            self.extensions + 1,
        )

    def remaining(self, now: datetime, calendar: WorkCalendar) -> int:
        """Minutes of the unit's kind of time left at ``now`` (negative when overdue)."""
        return working_time(now, self.due(calendar), self.unit, calendar)

    def elapsed_fraction(self, now: datetime, calendar: WorkCalendar) -> float:
        """The share of the allowed time used at ``now`` (above 1 when overdue)."""
        total = self.total_minutes()
        if total <= 0:
            return 1.0
        return (total - self.remaining(now, calendar)) / total

    def paused(self, now: datetime, calendar: WorkCalendar) -> StageClock:
        """Stop the clock (缓办): keep what was left to give it back on resumption."""
        return StageClock(
            self.unit,
            self.limit_minutes,
            now,
            max(0, self.remaining(now, calendar)),
            self.extensions,
        )

    def resumed(self, now: datetime) -> StageClock:
        """Start the clock again with what was left when it was paused."""
        return StageClock(
            self.unit, self.limit_minutes, now, self.allowance_minutes, self.extensions
        )


def elapsed_fraction(clock: StageClock, now: datetime, calendar: WorkCalendar) -> float:
    return clock.elapsed_fraction(now, calendar)


def remaining(clock: StageClock, now: datetime, calendar: WorkCalendar) -> Decimal:
    """What is left at ``now``, in the clock's own unit."""
    return from_minutes(clock.remaining(now, calendar), clock.unit, calendar)
