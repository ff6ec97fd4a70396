"""The "users" statistic through ``seat_user_days`` (migration 0026): the whole UTC days
of a period from the summary, the hours at its edges from the raw tables — the same
figures as the live count, worked by hand on the March 2015 data set of
test_stats_breakdowns (times +08:00)."""

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

MIGRATION = importlib.import_module("migrations.versions.0026_seat_user_days")


def users(desk: Desk, f: StatsFilter) -> dict[str, dict[str, Any]]:
    return {r["user"]: r for r in stats_seats.users_table(desk.session, f).as_dicts()}


def live(desk: Desk, f: StatsFilter) -> list[tuple[Any, ...]]:
    params: dict[str, Any] = {"p_start": f.start, "p_end": f.end, "system": "system"}
    table = run(desk.session, "users", stats_seats.USERS_COLUMNS,
                stats_seats._users_live("TRUE"), params)
    return [tuple(r) for r in table.rows]


def test_the_whole_utc_days_of_a_period() -> None:
    f = StatsFilter(datetime(2015, 3, 2, 8, 15, tzinfo=CST), datetime(2015, 3, 6, 10, tzinfo=CST))
    # 03-02 00:15 UTC → the first whole day starts 03-03; 03-06 02:00 UTC → ends 03-06.
    assert stats_seats.whole_utc_days(f) == (datetime(2015, 3, 3, tzinfo=UTC),
                                             datetime(2015, 3, 6, tzinfo=UTC))
    # Aligned on UTC midnights: all of it.
    g = StatsFilter(datetime(2015, 3, 1, tzinfo=UTC), datetime(2015, 3, 2, tzinfo=UTC))
    assert stats_seats.whole_utc_days(g) == (g.start, g.end)
    # Shorter than a day: nothing from the summary, all of it from the raw rows.
    h = StatsFilter(datetime(2015, 3, 2, 9, tzinfo=CST), datetime(2015, 3, 2, 11, tzinfo=CST))
    assert stats_seats.whole_utc_days(h) == (h.end, h.end)


def test_the_migration_skips_the_same_actions_as_the_statistic() -> None:
    listed = "(" + ", ".join(f"'{a}'" for a in sorted(SYSTEM_ACTIONS)) + ")"
    assert listed == MIGRATION.NOT_ACTIONS


def test_a_period_cut_inside_days(desk: Desk, made: Made) -> None:  # noqa: F811
    """[03-02 08:15, 03-06 10:00): whole UTC days 03-03..03-05 (03-03 08:00 to 03-06
    08:00 here) from the summary, the rest from the raw rows."""
    f = StatsFilter(at(2, 8, 15), at(6, 10))
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


@pytest.mark.parametrize("hours", [0, 1, 7, 30])
def test_the_summary_agrees_with_the_live_count(desk: Desk, made: Made, hours: int  # noqa: F811
                                                ) -> None:
    """March shifted by a few hours, and the demo's last 100 days (its own cases)."""
    shift = timedelta(hours=hours)
    _same_as_live(desk, StatsFilter(MARCH.start + shift, MARCH.end + shift))
    now = datetime.now(CST)
    _same_as_live(desk, StatsFilter(now - timedelta(days=100) + shift, now + shift))


def test_a_second_close_moves_the_step_to_the_new_closer(desk: Desk, made: Made  # noqa: F811
                                                         ) -> None:
    a = made.s.execute(text("SELECT id FROM cases WHERE number = 'T2015000001'")).scalar_one()
    made.event(a, "reopen_for_complaint", "closed", "handling", "leader1", at(24, 9))
    made.event(a, "close", "handling", "closed", "leader2", at(25, 9))
    days = {(r.login, r.day): r for r in made.s.execute(text(
        "SELECT * FROM seat_user_days WHERE day >= '2015-03-01' AND day < '2015-04-01'"))}
    # A's first close (03-06 01:00 UTC) still counts as leader1's action, no longer a step.
    first = days[("leader1", datetime(2015, 3, 6).date())]
    assert (first.actions, first.steps, first.on_time, first.late) == (1, 0, 0, 0)
    # The new close, 03-25 01:00 UTC, after the deadline 03-06 12:00 in force: late.
    second = days[("leader2", datetime(2015, 3, 25).date())]
    assert (second.actions, second.steps, second.on_time, second.late) == (1, 1, 0, 1)
    t = users(desk, MARCH)
    # leader1: 立案 A E ok, B late; 结案 D late (A's close is leader2's now).
    assert (t["leader1"]["steps_on_time"], t["leader1"]["steps_late"]) == (2, 2)
    assert t["leader1"]["actions"] == 7  # 6 + the reopen
    _same_as_live(desk, MARCH)


def test_the_trigger_keeps_what_the_back_fill_computes(desk: Desk, made: Made  # noqa: F811
                                                       ) -> None:
    """Migration 0026's back-fill over the same rows gives the trigger's days."""
    select = MIGRATION._BACKFILL[MIGRATION._BACKFILL.index("SELECT"):]
    columns = ("login, day, actions, steps, on_time, late, registered, register_seconds, "
               "dispatched, dispatch_seconds")
    kept = desk.session.execute(text(
        f"SELECT {columns} FROM seat_user_days WHERE actions <> 0 OR steps <> 0 "
        "OR registered <> 0 OR dispatched <> 0 ORDER BY 1, 2")).all()
    computed = desk.session.execute(text(f"SELECT * FROM ({select}) b ORDER BY 1, 2")).all()
    assert [tuple(r) for r in kept] == [tuple(r) for r in computed]
    assert any(r.login == "leader1" and r.day == datetime(2015, 3, 2).date() for r in kept)


def test_a_department_seat_may_not_read_the_summary(desk: Desk) -> None:
    from tests.core.conftest import DEPARTMENT  # noqa: F401

    groups = desk.session.execute(text(
        "SELECT has_table_privilege(seatdesk_group('department'), 'seat_user_days', "
        "'SELECT'), has_table_privilege(seatdesk_group('inspector'), 'seat_user_days', "
        "'SELECT')")).one()
    assert tuple(groups) == (False, True)
