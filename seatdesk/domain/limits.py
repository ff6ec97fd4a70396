"""Time limits as cities write them: "2紧急工作时", "4工作时", "2工作日", "15自然日"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from seatdesk.domain.glossary import TimeUnit
from seatdesk.terms import terms_of

#: Chinese unit names, longest first so 紧急工作时 is not read as 工作时.
UNIT_NAMES: dict[str, TimeUnit] = {
    "紧急工作时": TimeUnit.EMERGENCY_HOURS,
    "工作时": TimeUnit.WORKING_HOURS,
    "工作小时": TimeUnit.WORKING_HOURS,
    "工作日": TimeUnit.WORKING_DAYS,
    "自然日": TimeUnit.NATURAL_DAYS,
    "天": TimeUnit.NATURAL_DAYS,
    "小时": TimeUnit.NATURAL_HOURS,
    "分钟": TimeUnit.NATURAL_HOURS,  # converted to hours below
}
#: The unit as a standard's workbook writes it: the Chinese term of the unit
#: (``seatdesk.terms``), whatever language the person reads; each parses back above.
UNIT_ZH: dict[TimeUnit, str] = {u: terms_of(u)[1] for u in TimeUnit}

_LIMIT_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(\S+?)\s*$")


class LimitFormatError(ValueError):
    """A time limit that cannot be read; the message says why."""


def parse_limit(text: str) -> tuple[Decimal, TimeUnit]:
    """Read "4工作时" as (4, working_hours). Raises ``LimitFormatError``."""
    m = _LIMIT_RE.match(text or "")
    if not m:
        raise LimitFormatError(f"cannot read the time limit {text!r}")
    try:
        amount = Decimal(m.group(1))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise LimitFormatError(f"cannot read the amount in {text!r}") from exc
    name = m.group(2)
    if name not in UNIT_NAMES:
        raise LimitFormatError(f"unknown unit {name!r} in {text!r}")
    if amount <= 0:
        raise LimitFormatError(f"the time limit {text!r} must be positive")
    unit = UNIT_NAMES[name]
    if name == "分钟":
        amount = amount / 60
    return amount, unit


def format_limit(amount: Decimal, unit: TimeUnit) -> str:
    return f"{amount.normalize():f}{UNIT_ZH[unit]}"
