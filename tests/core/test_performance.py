"""The department rates and score from counts (pure), worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seatdesk.domain.performance import DepartmentCounts, rates, ratio, score
from seatdesk.domain.statistics import StatsSettings

#: 应处置 10, 处置 8 (按期 6), 超期待处置 1, 返工 2, 延期 3, 缓办 2 (2 postponed cases,
#: one of them handled on time, none overdue, with 1 of the extensions); 立案 12,
#: 结案 9, 按期结案 7.
COUNTS = DepartmentCounts(
    dispatched=10, handled=8, handled_on_time=6, overdue_open=1, returned=1, reworked=2,
    extensions=3, postponements=2, registered=12, closed=9, closed_on_time=7,
    postponed_cases=2, postponed_handled=1, postponed_on_time=1, postponed_extensions=1,
)


def test_rates_by_hand() -> None:
    r = rates(COUNTS)
    assert COUNTS.handled_late == 2
    assert r.handling_rate == pytest.approx(0.8)
    assert r.on_time_rate == pytest.approx(0.6)
    assert r.rework_rate == pytest.approx(0.25)
    assert r.extension_rate == pytest.approx(0.3)
    assert r.overdue_open_rate == pytest.approx(0.1)
    assert r.closure_rate == pytest.approx(9 / 12)
    assert r.on_time_closure_rate == pytest.approx(7 / 12)


def test_the_default_score_by_hand() -> None:
    # 0.8×30 + 0.6×20 + (1 − 0.25)×20 + (1 − 0.1)×20 + (1 − 0.3)×10 = 24+12+15+18+7
    assert score(rates(COUNTS)) == pytest.approx(76.0)


def test_the_weights_come_from_the_settings() -> None:
    s = StatsSettings(score_handling_rate=50, score_on_time_rate=50, score_rework=0,
                      score_overdue_open=0, score_extension=0)
    assert score(rates(COUNTS, s), s) == pytest.approx(0.8 * 50 + 0.6 * 50)


def test_postponed_cases_leave_the_denominators_and_their_numerators() -> None:
    s = StatsSettings(exclude_postponed=True)
    r = rates(COUNTS, s)
    # 应处置 8, 处置 7, 按期 5, 超期待处置 1, 延期 2, 返工 2 of 7 handled
    assert r.handling_rate == pytest.approx(7 / 8)
    assert r.on_time_rate == pytest.approx(5 / 8)
    assert r.overdue_open_rate == pytest.approx(1 / 8)
    assert r.extension_rate == pytest.approx(2 / 8)
    assert r.rework_rate == pytest.approx(2 / 7)
    assert r.closure_rate == pytest.approx(9 / 12)  # over registered cases: unchanged


def test_nothing_to_divide_by_is_none() -> None:
    r = rates(DepartmentCounts())
    assert r.handling_rate is None and r.rework_rate is None and r.closure_rate is None
    assert score(r) is None
    assert ratio(0, 0) is None and ratio(0, 3) == 0.0
    with pytest.raises(ValueError, match="negative"):
        DepartmentCounts(dispatched=-1)


@st.composite
def group(draw: st.DrawFn) -> tuple[int, int, int, int, int, int]:
    """(应处置, 处置, 按期, 超期待处置, 返工, 延期) of a consistent set of handlings."""
    n = draw(st.integers(0, 100))
    handled = draw(st.integers(0, n))
    return (n, handled, draw(st.integers(0, handled)), draw(st.integers(0, n - handled)),
            draw(st.integers(0, handled)), draw(st.integers(0, n)))


@st.composite
def counts(draw: st.DrawFn) -> DepartmentCounts:
    """The counts of postponed handlings and of the others, added up."""
    p, o = draw(group()), draw(group())
    return DepartmentCounts(
        dispatched=p[0] + o[0], handled=p[1] + o[1], handled_on_time=p[2] + o[2],
        overdue_open=p[3] + o[3], reworked=p[4] + o[4], extensions=p[5] + o[5],
        postponed_cases=p[0], postponed_handled=p[1], postponed_on_time=p[2],
        postponed_overdue_open=p[3], postponed_reworked=p[4], postponed_extensions=p[5],
    )


@given(counts(), st.booleans())
def test_case_rates_stay_within_0_and_1_and_the_score_within_the_weights(
    c: DepartmentCounts, exclude: bool
) -> None:
    s = StatsSettings(exclude_postponed=exclude)
    r = rates(c, s)
    for value in (r.handling_rate, r.on_time_rate, r.overdue_open_rate):
        assert value is None or 0.0 <= value <= 1.0
    if r.on_time_rate is not None and r.handling_rate is not None:
        assert r.on_time_rate <= r.handling_rate
    total = score(r, s)
    assert total is None or 0.0 <= total <= 100.0 + 1e-9
