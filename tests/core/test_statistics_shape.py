"""The statistics' common shape: tables, periods and months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from seatdesk.domain.statistics import Column, ColumnKind, Month, StatsFilter, StatTable


def test_a_table_reads_by_column_name() -> None:
    table = StatTable(
        "departments",
        (Column("department", ColumnKind.CODE), Column("dispatched", ColumnKind.COUNT)),
        (("D01", 3), ("D02", 0)),
    )
    assert table.values("dispatched") == [3, 0]
    assert next(iter(table.as_dicts())) == {"department": "D01", "dispatched": 3}
    with pytest.raises(KeyError):
        table.index("nothing")


def test_a_period_is_aware_and_runs_forward() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        StatsFilter(datetime(2026, 11, 1), datetime(2026, 12, 1))
    with pytest.raises(ValueError, match="end after"):
        StatsFilter(start, start)
    f = StatsFilter(start, datetime(2026, 12, 1, tzinfo=UTC), grid="110101001001001")
    assert f.filters() == {"grid": "110101001001001"}


def test_months_step_over_the_year() -> None:
    assert Month.parse("2026-12").next() == Month(2027, 1)
    assert Month.parse(" 2027-01 ").previous() == Month(2026, 12)
    assert Month.of(date(2026, 11, 30)).first_day == date(2026, 11, 1)
    assert str(Month(2026, 3)) == "2026-03"
    for bad in ("2026-13", "2026/11", "November", "1999-01"):
        with pytest.raises(ValueError, match="month"):
            Month.parse(bad)


def test_settings_take_defaults_and_ignore_unknown_keys() -> None:
    from seatdesk.domain.statistics import StatsSettings

    s = StatsSettings.from_json({"exclude_postponed": True, "from_the_future": 1})
    assert s.exclude_postponed is True
    assert s.score_handling_rate == 30.0
    assert StatsSettings.from_json(s.to_json()) == s
    assert StatsSettings.from_json(None) == StatsSettings()
