"""The indices: the pure formulas on numbers worked out by hand, then the whole "indices"
table on the hand-made March 2015 of ``test_stats_breakdowns`` (its docstring lists the
cases).

By hand, for March 2015 (defaults: coefficients 1, weights 0.6/0.4 and 0.5/0.5):
    有效结案率 J = closed by the end of those registered in March = A of A, B, E = 1/3
    运行指数 S = 1/3 × 1 × 1 × 1 = 1/3
    投诉部分 C = 1 − 1 complaint / 4 reports = 0.75
    存量: at 03-01 D (registered 02-21, closed 03-10) = 1; at 04-01 B and E = 2;
          Δ = (2 − 1) / 1 = 1.0, so the backlog part is max(0, 1 − 1) = 0
    结果指标 R = 0.5 × 0.75 + 0.5 × 0 = 0.375
    效能指数 N = 0.6 × 0.375 + 0.4 × 1/3 = 0.358333…
    漏报率 = registered in March not from a collector: B of A, B, E = 1/3
    覆盖率 = grids with a collector's report in March: G1, G3 of G1, G2, G3 = 2/3
    及时响应率 = tasks answered on time: 甲's check yes, 乙's verification no = 1/2
    错误率 = collectors' reports decided in March and rejected: C of A, C, E = 1/3
"""

from __future__ import annotations

import pytest

from seatdesk.domain import indices as ix
from seatdesk.domain.statistics import StatsFilter, StatsSettings
from seatdesk.services.stats_indices import INDEX_KEYS, index_inputs, indices_table
from tests.core.conftest import Desk
from tests.core.test_stats_breakdowns import C1, MARCH, Made, made  # noqa: F401

DEFAULTS = StatsSettings()


def test_ratios_have_an_explicit_denominator() -> None:
    assert ix.ratio(1, 4) == 0.25
    assert ix.ratio(0, 0) is None
    with pytest.raises(ValueError, match="negative"):
        ix.ratio(-1, 3)


def test_the_operation_index_multiplies_the_coefficients() -> None:
    s = StatsSettings(index_coverage=0.9, index_check=1.0, index_incentive=1.1)
    assert ix.operation_index(0.8, s) == pytest.approx(0.8 * 0.9 * 1.1)  # 0.792
    assert ix.operation_index(None, s) is None


def test_the_backlog_change_rate_and_its_part() -> None:
    assert ix.backlog_change_rate(4, 2) == -0.5  # shrank by half
    assert ix.backlog_part(-0.5) == 1.0  # a shrinking backlog scores the most
    assert ix.backlog_change_rate(4, 6) == 0.5
    assert ix.backlog_part(0.5) == 0.5
    assert ix.backlog_part(3.0) == 0.0  # quadrupled: never below 0
    assert ix.backlog_change_rate(0, 0) == 0.0
    assert ix.backlog_change_rate(0, 3) == 1.0


def test_the_complaint_part_and_the_efficiency_index() -> None:
    assert ix.complaint_part(1, 4) == 0.75
    assert ix.complaint_part(9, 4) == 0.0  # more complaints than reports: 0, not negative
    assert ix.complaint_part(0, 0) is None
    r = ix.result_indicator(0.75, 0.5, DEFAULTS)
    assert r == pytest.approx(0.5 * 0.75 + 0.5 * 0.5)  # 0.625
    assert ix.efficiency_index(r, 0.9, DEFAULTS) == pytest.approx(0.6 * 0.625 + 0.4 * 0.9)
    assert ix.efficiency_index(None, 0.9, DEFAULTS) is None
    weighted = StatsSettings(index_result_weight=0.5, index_process_weight=0.5,
                             index_complaint_weight=1.0, index_backlog_weight=0.0)
    assert ix.efficiency_index(ix.result_indicator(0.75, 0.0, weighted), 0.5,
                               weighted) == pytest.approx(0.625)


def test_the_inputs_of_march(desk: Desk, made: Made) -> None:  # noqa: F811
    i = index_inputs(desk.session, MARCH, DEFAULTS)
    assert i == ix.IndexInputs(
        registered=3, closed_of_registered=1, reported=4, complaints=1,
        backlog_start=1, backlog_end=2, registered_all=3, registered_not_by_collectors=1,
        grids=3, grids_reported=2, tasks_due=2, tasks_on_time=1,
        collector_decided=3, collector_rejected=1,
    )


def test_the_indices_table_of_march(desk: Desk, made: Made) -> None:  # noqa: F811
    t = indices_table(desk.session, MARCH, DEFAULTS)
    assert [c.key for c in t.columns] == ["index_key", "index_name", "value"]
    assert tuple(t.values("index_key")) == INDEX_KEYS
    v = dict(zip(t.values("index_key"), t.values("value"), strict=True))
    assert v["effective_closure_rate"] == pytest.approx(1 / 3)
    assert v["operation_index"] == pytest.approx(1 / 3)
    assert v["complaint_part"] == 0.75
    assert v["backlog_change_rate"] == 1.0
    assert v["result_indicator"] == 0.375
    assert v["efficiency_index"] == pytest.approx(0.358333, abs=1e-6)
    assert v["missed_report_rate"] == pytest.approx(1 / 3)
    assert v["coverage_rate"] == pytest.approx(2 / 3)
    assert v["timely_response_rate"] == 0.5
    assert v["error_rate"] == pytest.approx(1 / 3)
    assert t.values("index_name")[1] in ("运行指数 S", "Operation index S")


def test_the_coefficients_and_the_filters_reach_the_table(
    desk: Desk, made: Made  # noqa: F811
) -> None:
    s = StatsSettings(index_coverage=0.9, index_incentive=1.1)
    v = dict(zip(*(indices_table(desk.session, MARCH, s).values(k)
                   for k in ("index_key", "value")), strict=True))
    assert v["operation_index"] == pytest.approx(1 / 3 * 0.99)  # 0.33
    assert v["efficiency_index"] == pytest.approx(0.6 * 0.375 + 0.4 * 0.33)  # 0.357
    # The community of G1 and G2: grids G1, G2, a collector's report in G1 only.
    community = StatsFilter(MARCH.start, MARCH.end, community=C1)
    i = index_inputs(desk.session, community, DEFAULTS)
    assert (i.grids, i.grids_reported, i.reported, i.registered) == (2, 1, 3, 3)
