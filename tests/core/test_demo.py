"""The demo county: believable, deterministic for a seed, and its trails replay."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import text

from seatdesk.demo import DemoResult, demo_grids, run_demo
from seatdesk.domain import workflow
from seatdesk.domain.glossary import FINAL_STATES, State
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


def test_demo_trails_carry_what_the_case_functions_write(desk: Desk) -> None:
    # Every dispatch names a department and starts the handling clock (0007 writes
    # data.department and data.deadline); every step that starts or moves a clock records
    # its deadline; an open case's last recorded deadline is its stage deadline.
    bad_dispatch = desk.scalar("""
        SELECT count(*) FROM case_events e
        WHERE e.action = 'dispatch' AND (NOT e.data ? 'deadline' OR NOT EXISTS (
            SELECT 1 FROM departments d WHERE d.code = e.data ->> 'department'))
    """)
    assert bad_dispatch == 0
    rows = desk.session.execute(text("""
        SELECT e.case_id, e.action, e.from_state, e.to_state, e.data ? 'deadline'
        FROM case_events e WHERE e.action <> 'create' ORDER BY e.case_id, e.id
    """)).all()
    for case_id, action, from_state, to_state, has_deadline in rows:
        moves = workflow.starts_new_stage(State(from_state), State(to_state)) or (
            action == "approve" and from_state in ("extension_requested",
                                                   "postponement_requested"))
        assert has_deadline == moves, (case_id, action, from_state, to_state)
    # (The register stage's first clock starts with the case; the create event, as the
    # real one, records none.)
    mismatched = desk.scalar("""
        SELECT count(*) FROM cases c
        WHERE c.stage_deadline IS NOT NULL AND c.stage_deadline IS DISTINCT FROM coalesce((
            SELECT (e.data ->> 'deadline')::timestamptz FROM case_events e
            WHERE e.case_id = c.id AND e.data ? 'deadline' ORDER BY e.id DESC LIMIT 1),
            CASE WHEN c.stage = 'register' THEN c.stage_deadline END)
    """)
    assert mismatched == 0


def test_the_demo_has_late_reworked_extended_postponed_and_returned_handlings(
    desk: Desk,
) -> None:
    (handlings, handled, late, reworked, extended, postponed, returned, overdue_open,
     cases_returned, other_department) = desk.session.execute(text("""
        SELECT count(*), count(handled_at), count(*) FILTER (WHERE late_handlings > 0),
               count(*) FILTER (WHERE reworks > 0), count(*) FILTER (WHERE extensions > 0),
               count(*) FILTER (WHERE postponements > 0), count(returned_at),
               count(*) FILTER (WHERE handled_at IS NULL AND ended_at IS NULL
                                  AND returned_at IS NULL AND deadline < now()
                                  AND (postponed_at IS NULL OR resumed_at IS NOT NULL)),
               count(DISTINCT case_id) FILTER (WHERE returned_at IS NOT NULL),
               count(*) FILTER (WHERE returned_at IS NOT NULL AND department
                                  <> (SELECT c.current_department FROM cases c
                                      WHERE c.id = case_id))
        FROM case_handlings
    """)).one()
    # Seed 7, 300 cases: most handled, most of those on time, a few of each detour.
    assert handled > handlings / 2
    assert 0 < late < handled / 4
    assert 0 < reworked < handlings / 5
    assert 0 < extended < handlings / 5
    assert 0 < postponed < handlings / 5
    assert 0 < returned < handlings / 5
    assert 0 < overdue_open < handlings / 4
    # A returned handling was the first department's; the case went on to another.
    assert cases_returned == returned and other_department > 0
    # The case's counters agree with its trail.
    assert desk.scalar("""
        SELECT count(*) FROM cases c WHERE c.rework_count <> (
            SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.action = 'rework')
        OR c.extension_count <> (
            SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.action = 'approve'
               AND e.from_state = 'extension_requested')
    """) == 0


def test_the_demo_statistics_tables_are_what_the_triggers_keep(desk: Desk) -> None:
    # case_handlings: 0022's own replay of the trail.
    for a, b in (("seatdesk_case_handlings_from_events()", "case_handlings"),
                 ("case_handlings", "seatdesk_case_handlings_from_events()")):
        assert desk.scalar(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT "
                           f"SELECT * FROM {b}) x") == 0
    # case_milestones: the trigger of 0023 replayed here event by event, judging each
    # step by the deadline in force before it (the case's clock as the last action left
    # it: the last recorded deadline, none once the case is final).
    events = desk.session.execute(text("""
        SELECT e.case_id, e.action, e.from_state, e.to_state, e.actor, e.at,
               (e.data ->> 'deadline')::timestamptz
        FROM case_events e ORDER BY e.case_id, e.id
    """)).all()
    expected: dict[int, dict[str, object]] = {}
    deadline: dict[int, object] = {}
    for case_id, action, from_state, to_state, actor, at, set_deadline in events:
        m = expected.setdefault(case_id, {"returns": 0})
        before = deadline.get(case_id)
        on = before is None or at <= before
        if action in ("pre_register", "reject") and "accepted_at" not in m:
            m.update(accepted_at=at, accepted_by=actor, accepted_on_time=on)
        elif action == "register" and "registered_at" not in m:
            m.update(registered_at=at, registered_on_time=on)
        elif action == "dispatch" and "dispatched_at" not in m:
            m.update(dispatched_at=at, dispatched_by=actor, dispatched_on_time=on)
        elif action == "approve" and from_state == "return_requested":
            m["returns"] = int(m["returns"]) + 1  # type: ignore[call-overload]
        elif action == "close":
            m.update(closed_at=at, closed_on_time=on)
        if set_deadline is not None:
            deadline[case_id] = set_deadline
        elif State(to_state) in FINAL_STATES:
            deadline[case_id] = None
    keys = ["accepted_at", "accepted_by", "accepted_on_time", "registered_at",
            "registered_on_time", "dispatched_at", "dispatched_by", "dispatched_on_time",
            "returns", "closed_at", "closed_on_time"]
    rows = desk.session.execute(text(f"SELECT case_id, {', '.join(keys)} FROM case_milestones"))
    actual = {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}
    assert set(actual) == set(expected)
    for case_id, m in expected.items():
        assert actual[case_id] == {k: m.get(k, 0 if k == "returns" else None) for k in keys}, (
            case_id)
    judged = [m.get("dispatched_on_time") for m in expected.values()]
    assert judged.count(False) > 0 and judged.count(True) > judged.count(False)
    # A collector task's deadline is the clock in force when it was sent.
    assert desk.scalar("SELECT count(*) FROM collector_tasks WHERE deadline IS NULL") == 0
    assert desk.scalar("SELECT count(*) FROM collector_tasks WHERE answered_at > deadline") > 0
