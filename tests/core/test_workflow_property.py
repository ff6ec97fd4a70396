"""Random sequences of actions by random seats, on the real database: the case never
reaches a state the table does not allow, and its audit trail replays to its state."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role
from seatdesk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from seatdesk.services import queues
from tests.core.conftest import DEPARTMENT, Desk

# Merging needs a second case; the table's other actions are all in play.
ACTIONS = [a for a in Action if a is not Action.MERGE]
# The intake takes no action on a case (tests/core/test_intake.py: it may not even read
# one); every other seat is in play.
ROLES = [r for r in Role if r is not Role.INTAKE]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES)),
                      max_size=25))
def test_random_actions_follow_the_table_and_the_trail_replays(
    desk: Desk, steps: list[tuple[Action, Role]]
) -> None:
    case_id = desk.new_case()
    model = desk.state(case_id)
    for action, role in steps:
        department = desk.scalar("SELECT current_department FROM cases WHERE id = :i",
                                 i=case_id)
        transition = workflow.TRANSITIONS.get((model, action))
        savepoint = desk.session.begin_nested()
        try:
            desk.perform(role, action, case_id)
        except (InvalidTransition, PermissionDenied, NotFound, ValidationError) as exc:
            savepoint.rollback()
            if isinstance(exc, NotFound):
                assert role is Role.DEPARTMENT and department != DEPARTMENT
            else:
                assert transition is None or role not in transition.roles
            continue
        savepoint.commit()
        assert transition is not None and role in transition.roles
        model = transition.next_state
        assert desk.state(case_id) == model
    trail = [(e.action, e.from_state, e.to_state) for e in queues.timeline(desk.session, case_id)]
    assert workflow.replay(trail) == desk.state(case_id) == model
