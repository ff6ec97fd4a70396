"""The "users" statistic through ``seat_user_hours`` (migration 0038; 0026 kept days): the
whole UTC hours of a period from the summary, the minutes at its edges from the raw
tables — the same figures as the live count, worked by hand on the March 2015 data set
of test_stats_breakdowns (times +08:00)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from seatdesk.domain.glossary import SYSTEM_ACTIONS
from seatdesk.domain.statistics import StatsFilter
from seatdesk.services import stats_seats
from seatdesk.services.stats_filters import run
from tests.core.conftest import Desk
from tests.core.test_stats_breakdowns import CST, MARCH, Made, at, made  # noqa: F401

MIGRATION = importlib.import_module("migrations.versions.0038_seat_user_hours")


def users(desk: Desk, f: StatsFilter) -> dict[str, dict[str, Any]]:
    return {r["user"]: r for r in stats_seats.users_table(desk.session, f).as_dicts()}


def live(desk: Desk, f: StatsFilter) -> list[tuple[Any, ...]]:
    params: dict[str, Any] = {"p_start": f.start, "p_end": f.end, "system": "system"}
    table = run(desk.session, "users", stats_seats.USERS_COLUMNS,
                stats_seats._users_live("TRUE"), params)
    return [tuple(r) for r in table.rows]


def test_the_whole_utc_hours_of_a_period() -> None:
    f = StatsFilter(datetime(2015, 3, 2, 8, 15, tzinfo=CST),
                    datetime(2015, 3, 6, 9, 30, tzinfo=CST))
    # 03-02 00:15 UTC → the first whole hour starts 01:00; 03-06 01:30 UTC → ends 01:00.
    assert stats_seats.whole_utc_hours(f) == (datetime(2015, 3, 2, 1, tzinfo=UTC),
                                              datetime(2015, 3, 6, 1, tzinfo=UTC))
    # The centre's whole days (+08:00): all of it, nothing from the raw rows.
    g = StatsFilter(datetime(2015, 3, 1, tzinfo=CST), datetime(2015, 4, 1, tzinfo=CST))
    assert stats_seats.whole_utc_hours(g) == (g.start, g.end)
    # Within one hour: nothing from the summary, all of it from the raw rows.
    h = StatsFilter(datetime(2015, 3, 2, 9, 5, tzinfo=CST),
                    datetime(2015, 3, 2, 9, 55, tzinfo=CST))
    assert stats_seats.whole_utc_hours(h) == (h.end, h.end)
    # Two hours and a bit over two hour marks: the one whole hour between them.
    i = StatsFilter(datetime(2015, 3, 2, 9, 5, tzinfo=CST),
                    datetime(2015, 3, 2, 11, 10, tzinfo=CST))
    assert stats_seats.whole_utc_hours(i) == (datetime(2015, 3, 2, 2, tzinfo=UTC),
                                              datetime(2015, 3, 2, 3, tzinfo=UTC))


def test_the_migration_skips_the_same_actions_as_the_statistic() -> None:
    listed = "(" + ", ".join(f"'{a}'" for a in sorted(SYSTEM_ACTIONS)) + ")"
    assert listed == MIGRATION.NOT_ACTIONS


def test_a_period_cut_inside_hours(desk: Desk, made: Made) -> None:  # noqa: F811
    """[03-02 08:15, 03-06 09:30): its whole UTC hours (03-02 09:00 to 03-06 09:00 here)
    from the summary; A's 立案 at 08:30 and 结案 at 09:00, at its edges, from the raw
    rows."""
    f = StatsFilter(at(2, 8, 15), at(6, 9, 30))
    t = users(desk, f)
    # acceptor1: create B C, pre_register B (late), reject C (on time), request_check A,
    # check_pass A = 6 (A's pre_register at 08:00 is before the period).
    a = t["acceptor1"]
    assert (a["actions"], a["steps_on_time"], a["steps_late"]) == (6, 1, 1)
    # leader1: register A (edge, on time, 1.5 h), register B (late, 3 h), approve B,
    # close A (edge at the end, 09:00, on time) = 4.
    leader = t["leader1"]
    assert (leader["actions"], leader["steps_on_time"], leader["steps_late"]) == (4, 2, 1)
    assert leader["avg_hours_to_register"] == pytest.approx(2.25)
    # dispatcher1: A 6.5 h after registration (late, edge), B 1 h (on time, summary).
    disp = t["dispatcher1"]
    assert (disp["actions"], disp["steps_on_time"], disp["steps_late"]) == (2, 1, 1)
    assert disp["avg_hours_to_dispatch"] == pytest.approx(3.75)
    # dept_sz: start_handling A, request_return B, report_done A.
    assert t["dept_sz"]["actions"] == 3
    assert t["dept_sz"]["avg_hours_to_dispatch"] is None
    _same_as_live(desk, f)


def _same_as_live(desk: Desk, f: StatsFilter) -> None:
    ours = [tuple(r) for r in stats_seats.users_table(desk.session, f).rows]
    theirs = live(desk, f)
    assert [r[:3] + r[5:] for r in ours] == [r[:3] + r[5:] for r in theirs]
    for mine, other in zip(ours, theirs, strict=True):
        assert mine[3:5] == pytest.approx(other[3:5])


@pytest.mark.parametrize("minutes", [0, 17, 60, 7 * 60 + 45, 30 * 60])
def test_the_summary_agrees_with_the_live_count(desk: Desk, made: Made,  # noqa: F811
                                                minutes: int) -> None:
    """March shifted by minutes or hours, and the demo's last 100 days (its own cases)."""
    shift = timedelta(minutes=minutes)
    _same_as_live(desk, StatsFilter(MARCH.start + shift, MARCH.end + shift))
    now = datetime.now(CST)
    _same_as_live(desk, StatsFilter(now - timedelta(days=100) + shift, now + shift))


def test_a_second_close_moves_the_step_to_the_new_closer(desk: Desk, made: Made  # noqa: F811
                                                         ) -> None:
    a = made.s.execute(text("SELECT id FROM cases WHERE number = 'T2015000001'")).scalar_one()
    made.event(a, "reopen_for_complaint", "closed", "handling", "leader1", at(24, 9))
    made.event(a, "close", "handling", "closed", "leader2", at(25, 9))
    hours = {(r.login, r.hour): r for r in made.s.execute(text(
        "SELECT * FROM seat_user_hours WHERE hour >= '2015-03-01' AND hour < '2015-04-01'"))}
    # A's first close (03-06 01:00 UTC) still counts as leader1's action, no longer a step.
    first = hours[("leader1", datetime(2015, 3, 6, 1, tzinfo=UTC))]
    assert (first.actions, first.steps, first.on_time, first.late) == (1, 0, 0, 0)
    # The new close, 03-25 01:00 UTC, after the deadline 03-06 12:00 in force: late.
    second = hours[("leader2", datetime(2015, 3, 25, 1, tzinfo=UTC))]
    assert (second.actions, second.steps, second.on_time, second.late) == (1, 1, 0, 1)
    t = users(desk, MARCH)
    # leader1: 立案 A E ok, B late; 结案 D late (A's close is leader2's now).
    assert (t["leader1"]["steps_on_time"], t["leader1"]["steps_late"]) == (2, 2)
    assert t["leader1"]["actions"] == 7  # 6 + the reopen
    _same_as_live(desk, MARCH)


def test_the_trigger_keeps_what_the_back_fill_computes(desk: Desk, made: Made  # noqa: F811
                                                       ) -> None:
    """Migration 0038's back-fill over the same rows gives the trigger's hours."""
    backfill = MIGRATION._backfill("seat_user_hours", "date_trunc('hour', at, 'UTC')")
    select = backfill[backfill.index("SELECT"):]
    columns = ("login, hour, actions, steps, on_time, late, registered, register_seconds, "
               "dispatched, dispatch_seconds")
    kept = desk.session.execute(text(
        f"SELECT {columns} FROM seat_user_hours WHERE actions <> 0 OR steps <> 0 "
        "OR registered <> 0 OR dispatched <> 0 ORDER BY 1, 2")).all()
    computed = desk.session.execute(text(f"SELECT * FROM ({select}) b ORDER BY 1, 2")).all()
    assert [tuple(r) for r in kept] == [tuple(r) for r in computed]
    # leader1's 立案 of A, 03-02 08:30 here: the hour from 00:00 UTC.
    assert any(r.login == "leader1" and r.hour == datetime(2015, 3, 2, tzinfo=UTC)
               for r in kept)


def test_a_department_seat_may_not_read_the_summary(desk: Desk) -> None:
    from tests.core.conftest import DEPARTMENT  # noqa: F401

    groups = desk.session.execute(text(
        "SELECT has_table_privilege(seatdesk_group('department'), 'seat_user_hours', "
        "'SELECT'), has_table_privilege(seatdesk_group('inspector'), 'seat_user_hours', "
        "'SELECT')")).one()
    assert tuple(groups) == (False, True)
