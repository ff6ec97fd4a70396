"""The workflow table, as pure code: no database."""

from __future__ import annotations

import pytest

from seatdesk.domain import workflow
from seatdesk.domain.glossary import FINAL_STATES, Action, Role, State
from seatdesk.errors import InvalidTransition, PermissionDenied


def test_every_transition_names_roles_and_leaves_from_an_open_state() -> None:
    for (state, action), t in workflow.TRANSITIONS.items():
        assert t.roles, (state, action)
        assert state not in FINAL_STATES, (state, action)


def test_final_states_have_no_way_out() -> None:
    for state in FINAL_STATES:
        assert workflow.allowed_actions(state, set(Role)) == []


def test_the_standard_loop_is_in_the_table() -> None:
    loop = [
        (State.REPORTED, Action.REQUEST_VERIFY, Role.ACCEPTOR, State.VERIFYING),
        (State.VERIFYING, Action.VERIFY_PASS, Role.ACCEPTOR, State.VERIFIED),
        (State.VERIFIED, Action.PRE_REGISTER, Role.ACCEPTOR, State.PRE_REGISTERED),
        (State.PRE_REGISTERED, Action.REGISTER, Role.SHIFT_LEADER, State.REGISTERED),
        (State.REGISTERED, Action.DISPATCH, Role.DISPATCHER, State.DISPATCHED),
        (State.DISPATCHED, Action.START_HANDLING, Role.DEPARTMENT, State.HANDLING),
        (State.HANDLING, Action.REPORT_DONE, Role.DEPARTMENT, State.HANDLED),
        (State.HANDLED, Action.REQUEST_CHECK, Role.ACCEPTOR, State.CHECKING),
        (State.CHECKING, Action.CHECK_PASS, Role.ACCEPTOR, State.CHECK_PASSED),
        (State.CHECK_PASSED, Action.CLOSE, Role.SHIFT_LEADER, State.CLOSED),
    ]
    for state, action, role, nxt in loop:
        assert workflow.check(state, action, {role}) == nxt


def test_check_distinguishes_wrong_state_from_wrong_role() -> None:
    with pytest.raises(InvalidTransition):
        workflow.check(State.REPORTED, Action.CLOSE, {Role.SHIFT_LEADER})
    with pytest.raises(PermissionDenied) as err:
        workflow.check(State.PRE_REGISTERED, Action.REGISTER, {Role.ACCEPTOR})
    assert err.value.allowed == {Role.SHIFT_LEADER}


def test_inspector_urges_every_open_case_without_changing_it() -> None:
    for state in State:
        if state in FINAL_STATES:
            continue
        assert workflow.check(state, Action.URGE, {Role.INSPECTOR}) == state


def test_queues_come_from_the_table() -> None:
    assert workflow.queue_states(Role.DISPATCHER) == {State.REGISTERED, State.RETURNED}
    assert State.PRE_REGISTERED in workflow.queue_states(Role.SHIFT_LEADER)
    assert State.EXTENSION_REQUESTED in workflow.queue_states(Role.SHIFT_LEADER)
    assert workflow.queue_states(Role.DEPARTMENT) == {
        State.DISPATCHED,
        State.HANDLING,
        State.POSTPONED,
    }
    # Urge is possible everywhere but does not put every case in the inspector's queue:
    # only the handled cases waiting for a check request do (the bid document's duty).
    assert workflow.queue_states(Role.INSPECTOR) == {State.HANDLED}
    assert workflow.check(State.HANDLED, Action.REQUEST_CHECK, {Role.INSPECTOR}) == (
        State.CHECKING
    )


def test_every_state_but_merged_is_reached_by_the_main_loop() -> None:
    paths = workflow.shortest_paths()
    assert set(paths) == set(State) - {State.MERGED}
    for state, path in paths.items():
        trail = [("create", None, State.REPORTED), *((a, f, t) for a, f, t, _ in path)]
        assert workflow.replay(trail) == state


def test_replay_accepts_a_true_trail_and_refuses_a_forged_one() -> None:
    start = ("create", None, State.REPORTED)
    good = [
        start,
        (Action.REQUEST_VERIFY, State.REPORTED, State.VERIFYING),
        (Action.VERIFY_PASS, State.VERIFYING, State.VERIFIED),
    ]
    assert workflow.replay(good) == State.VERIFIED
    skipped = [start, (Action.VERIFY_PASS, State.VERIFYING, State.VERIFIED)]
    with pytest.raises(InvalidTransition):
        workflow.replay(skipped)
    wrong_target = [start, (Action.REQUEST_VERIFY, State.REPORTED, State.CLOSED)]
    with pytest.raises(InvalidTransition):
        workflow.replay(wrong_target)
