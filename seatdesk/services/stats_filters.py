"""What the statistics of areas, sources, seats and the indices share: a ``StatsFilter``
as SQL over the cases (alias ``c``), and running one aggregate into a ``StatTable``.

Every statistic is one SQL statement run by the database; the filter's fields become
conditions on the case as it is now (its category, grid, source and the department now
responsible for it). Row-level security does the rest: a department seat's query sees
only its own department's cases, whatever it asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.statistics import Column, StatsFilter, StatTable


class AreaLevel(StrEnum):
    """The areas a statistic can be grouped by: the table key of each."""

    GRID = "grids"  # 单元网格: the 15-digit grid code
    STREET = "streets"  # 街道/乡镇: the first 9 digits
    COMMUNITY = "communities"  # 社区: the first 12 digits


#: How many leading digits of a grid code name the area of each level.
AREA_DIGITS: Mapping[AreaLevel, int] = {
    AreaLevel.GRID: 15,
    AreaLevel.STREET: 9,
    AreaLevel.COMMUNITY: 12,
}


#: The centre's time zone, as ``seatdesk_centre_timezone()`` reads it (that function is
#: not granted to every seat; the setting itself is readable by all).
CENTRE_TZ_SQL = (
    "coalesce((SELECT value #>> '{}' FROM centre_settings WHERE key = 'timezone'), "
    "'Asia/Shanghai')"
)


def case_conditions(f: StatsFilter, alias: str = "c") -> tuple[str, dict[str, Any]]:
    """The filter's conditions on a case (``TRUE`` when none is set) and their parameters.

    ``category_id`` matches the minor class itself or every minor class of a major one.
    """
    parts: list[str] = []
    params: dict[str, Any] = {}
    if f.department is not None:
        parts.append(f"{alias}.current_department = :f_department")
        params["f_department"] = f.department
    if f.category_id is not None:
        parts.append(
            f"({alias}.category_id = :f_category OR {alias}.category_id IN "
            "(SELECT id FROM categories WHERE parent_id = :f_category))"
        )
        params["f_category"] = f.category_id
    if f.grid is not None:
        parts.append(f"{alias}.grid_code = :f_grid")
        params["f_grid"] = f.grid
    if f.street is not None:
        parts.append(f"left({alias}.grid_code, 9) = :f_street")
        params["f_street"] = f.street
    if f.community is not None:
        parts.append(f"left({alias}.grid_code, 12) = :f_community")
        params["f_community"] = f.community
    if f.source is not None:
        parts.append(f"{alias}.source = :f_source")
        params["f_source"] = f.source
    return (" AND ".join(parts) or "TRUE"), params


def milestones_in_period(column: str, conditions: str) -> str:
    """FROM … WHERE of the milestones whose ``column`` falls within the period. With no
    condition on the case the milestones are read alone (their own policy keeps a
    department to its cases); otherwise joined to their case as ``c``."""
    where = f"m.{column} >= :p_start AND m.{column} < :p_end"
    if conditions == "TRUE":
        return f"FROM case_milestones m WHERE {where}"
    return f"FROM case_milestones m JOIN cases c ON c.id = m.case_id WHERE {where} AND {conditions}"


def period_params(f: StatsFilter) -> dict[str, datetime]:
    return {"p_start": f.start, "p_end": f.end}


def run(
    session: Session,
    key: str,
    columns: tuple[Column, ...],
    sql: str,
    params: Mapping[str, Any],
) -> StatTable:
    """Run one aggregate; its result columns are the table's, in order."""
    rows = session.execute(text(sql), dict(params)).all()
    return StatTable(key, columns, tuple(tuple(_plain(v) for v in row) for row in rows))


def _plain(value: Any) -> Any:
    # numeric → Decimal from the driver; a table holds plain floats and ints.
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return value
