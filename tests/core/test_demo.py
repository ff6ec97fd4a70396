"""The demo county: believable, deterministic for a seed, and its trails replay."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import text

from seatdesk.demo import DemoResult, demo_grids, run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import State
from seatdesk.errors import Problem
from tests.core.conftest import DEMO_CASES, DEMO_SEED, Desk

_DIGEST = """
    SELECT md5(string_agg(concat_ws('|', number, source, case_type, category_id,
                                    filing_condition_id, urgency, description, address,
                                    round(longitude::numeric, 7), grid_code, state,
                                    current_department, version), ';' ORDER BY id))
    FROM cases WHERE id <= 300
"""


def test_the_demo_spreads_cases_over_every_state(desk: Desk, seeded: DemoResult) -> None:
    assert seeded.cases == DEMO_CASES
    counts = dict(
        desk.session.execute(text("SELECT state, count(*) FROM cases GROUP BY 1")).all()
    )
    assert sum(counts.values()) >= DEMO_CASES
    expected = {s.value for s in State} - {State.MERGED.value}
    assert expected <= set(counts), expected - set(counts)
    assert desk.scalar("SELECT count(*) FROM grids") == seeded.grids == len(demo_grids())
    assert desk.scalar("SELECT count(*) FROM departments") >= 10


def test_every_demo_trail_replays_to_its_case_state(desk: Desk) -> None:
    rows = desk.session.execute(text("""
        SELECT e.case_id, e.action, e.from_state, e.to_state, c.state
        FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE c.id <= :n ORDER BY e.case_id, e.id
    """), {"n": DEMO_CASES}).all()
    trails: dict[int, list] = defaultdict(list)
    final: dict[int, str] = {}
    for case_id, action, from_state, to_state, state in rows:
        trails[case_id].append(
            (action, State(from_state) if from_state else None, State(to_state))
        )
        final[case_id] = state
    assert len(trails) == DEMO_CASES
    for case_id, trail in trails.items():
        assert workflow.replay(trail) == State(final[case_id]), case_id


def test_the_demo_is_the_same_for_a_seed_and_differs_for_another(desk: Desk) -> None:
    first = desk.scalar(_DIGEST)
    run_demo(desk.session, seed=DEMO_SEED, cases=DEMO_CASES, reset=True)
    assert desk.scalar(_DIGEST) == first
    run_demo(desk.session, seed=DEMO_SEED + 1, cases=DEMO_CASES, reset=True)
    assert desk.scalar(_DIGEST) != first


def test_the_demo_refuses_a_database_that_has_cases(desk: Desk) -> None:
    with pytest.raises(Problem) as err:
        run_demo(desk.session, seed=1, cases=10)
    assert err.value.key == "demo_not_empty"


def test_demo_grids_follow_the_coding_rules() -> None:
    grids = demo_grids()
    assert len({g.code for g in grids}) == len(grids) >= 300
    for g in grids:
        assert len(g.code) == 15 and g.code.isdigit() and g.code.startswith("330326")
        assert g.code.startswith(g.community_code)
        assert 8_000 < g.area_m2 < 12_000  # about 10,000 m², as the bid document asks
        ring = g.polygon["coordinates"][0]
        assert ring[0] == ring[-1]
    # West to east, then north to south, inside a community.
    community = [g for g in grids if g.community_code == grids[0].community_code]
    assert community[1].min_lon > community[0].min_lon
    assert community[6].min_lat < community[0].min_lat


def test_the_demo_leaves_existing_logins_alone(desk: Desk, seeded: DemoResult) -> None:
    from seatdesk.demo import demo_users
    from seatdesk.domain import passwords

    logins = [u.login for u in demo_users()]
    assert set(seeded.passwords) == set(logins)  # a fresh server: all made, all shown
    assert all(passwords.problem(p, login) is None for login, p in seeded.passwords.items())
    assert len(set(seeded.passwords.values())) == len(logins)
    before = desk.session.execute(text(
        "SELECT rolname, rolpassword, rolcanlogin FROM pg_authid WHERE rolname = ANY(:n) "
        "ORDER BY 1"), {"n": logins}).all()
    desk.session.execute(text("UPDATE users SET display_name = 'changed' WHERE login = 'leader1'"))
    again = run_demo(desk.session, seed=DEMO_SEED, cases=10, reset=True)
    assert again.passwords == {} and set(again.kept) == set(logins)
    after = desk.session.execute(text(
        "SELECT rolname, rolpassword, rolcanlogin FROM pg_authid WHERE rolname = ANY(:n) "
        "ORDER BY 1"), {"n": logins}).all()
    assert after == before
    assert desk.scalar("SELECT display_name FROM users WHERE login = 'leader1'") == "changed"


def test_the_demo_departments_are_late_now_and_then(desk: Desk, seeded: DemoResult) -> None:
    """The dispatches write a handling deadline: about one handled case in ten came in
    after it, and some open cases are past theirs (超期待处置数), over the demo's last
    month (the 30 days up to now: its open cases' clocks run out around now)."""
    from datetime import timedelta

    from seatdesk.domain.statistics import StatsFilter
    from seatdesk.services.stats_departments import department_table

    now = desk.session.execute(text("SELECT now()")).scalar_one()
    table = department_table(desk.session, StatsFilter(now - timedelta(days=30), now))
    rows = list(table.as_dicts())
    total = {k: sum(r[k] for r in rows)
             for k in ("dispatched", "handled", "handled_on_time", "overdue_open")}
    assert total["handled"] > 20
    on_time_of_handled = total["handled_on_time"] / total["handled"]
    assert 0.8 < on_time_of_handled < 0.97, total
    assert total["overdue_open"] > 0, total
    # 按期处置率 (over 应处置数, the open cases counted) no longer reads 100 % everywhere.
    rates = [r["on_time_rate"] for r in rows if r["on_time_rate"] is not None]
    assert sum(r < 1 for r in rates) > len(rates) / 2, rates
    assert sum(r["handled_late"] for r in rows) == total["handled"] - total["handled_on_time"]


def test_an_open_demo_case_is_measured_by_its_stage_clock(desk: Desk) -> None:
    """A case still in handling: its handling's deadline is the case's clock, as the
    dispatch wrote it; a handled one: before or after its report, never missing."""
    differ = desk.scalar("""
        SELECT count(*) FROM case_handlings h JOIN cases c ON c.id = h.case_id
        WHERE h.is_current AND c.stage = 'handling'
          AND h.deadline IS DISTINCT FROM c.stage_deadline
    """)
    assert differ == 0
    assert desk.scalar("SELECT count(*) FROM case_handlings WHERE deadline IS NULL") == 0
    assert desk.scalar("SELECT count(*) FROM case_events WHERE action = 'dispatch' "
                       "AND NOT data ? 'deadline'") == 0
