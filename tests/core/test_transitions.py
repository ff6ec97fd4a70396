"""Every (state, action, role) against a real database: the allowed ones succeed and
land where the table says, the others raise the right error and write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from seatdesk.domain import workflow
from seatdesk.domain.glossary import Action, Role, State
from seatdesk.errors import InvalidTransition, NotFound, PermissionDenied
from tests.core.conftest import DEPARTMENT, Desk


def _events(desk: Desk, case_id: int) -> int:
    return int(desk.scalar("SELECT count(*) FROM case_events WHERE case_id = :i", i=case_id))


@pytest.mark.parametrize("state", [s for s in State if s is not State.MERGED], ids=str)
def test_every_action_and_role_from(desk: Desk, state: State) -> None:
    case_id = desk.case_in(state)
    current_department = desk.scalar(
        "SELECT current_department FROM cases WHERE id = :i", i=case_id
    )
    for action in Action:
        # The intake takes no action on a case (tests/core/test_intake.py: it may not
        # even read one).
        for role in (r for r in Role if r is not Role.INTAKE):
            version = desk.version(case_id)
            events = _events(desk, case_id)
            kwargs = desk.default_args(action, case_id)
            allowed = (state, action) in workflow.TRANSITIONS and role in (
                workflow.TRANSITIONS[(state, action)].roles
            )
            visible = role is not Role.DEPARTMENT or current_department == DEPARTMENT
            savepoint = desk.session.begin_nested()
            try:
                if allowed and visible:
                    desk.perform(role, action, **kwargs)
                    expected = workflow.TRANSITIONS[(state, action)].next_state
                    assert desk.state(case_id) == expected, (state, action, role)
                    assert _events(desk, case_id) == events + 1
                    if action is not Action.URGE:
                        assert desk.version(case_id) == version + 1
                    actor = desk.scalar(
                        "SELECT actor FROM case_events WHERE case_id = :i ORDER BY id DESC "
                        "LIMIT 1",
                        i=case_id,
                    )
                    assert actor == {Role.DEPARTMENT: "dept_sz"}.get(role, actor)
                else:
                    if not visible:
                        error: type[Exception] = NotFound
                    elif (state, action) not in workflow.TRANSITIONS:
                        error = InvalidTransition
                    else:
                        error = PermissionDenied
                    with pytest.raises(error):
                        desk.perform(role, action, **kwargs)
                    assert desk.version(case_id) == version
                    assert _events(desk, case_id) == events
            finally:
                savepoint.rollback()
                desk.session.execute(text("RESET ROLE"))
