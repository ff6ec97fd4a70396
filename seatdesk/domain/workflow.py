"""The case workflow: one table of (state, action) → (next state, roles allowed).

This table is the only place that decides what may happen to a case. The services
consult it before they write, and the UI reads it (``allowed_actions``) to enable its
buttons. Nothing here touches a database.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seatdesk.domain.glossary import (
    FINAL_STATES,
    SYSTEM_ACTIONS,
    Action,
    ActionField,
    AttachmentStep,
    CaseEventAction,
    Role,
    Stage,
    State,
)
from seatdesk.errors import InvalidTransition, PermissionDenied

A = Action
S = State
R = Role


@dataclass(frozen=True, slots=True)
class Transition:
    """What an action does from one state.

    ``in_queue`` is False for actions that can be taken on every open case (urge, void,
    merge): they do not make a case part of that role's working queue.
    """

    next_state: State
    roles: frozenset[Role]
    in_queue: bool = True


def _t(next_state: State, *roles: Role, in_queue: bool = True) -> Transition:
    return Transition(next_state, frozenset(roles), in_queue)


_EARLY_STATES = (S.REPORTED, S.VERIFYING, S.VERIFIED, S.UNVERIFIED, S.PRE_REGISTERED)
OPEN_STATES: frozenset[State] = frozenset(s for s in State if s not in FINAL_STATES)

_MAIN: dict[tuple[State, Action], Transition] = {
    # 信息收集 → 案卷建立: the acceptor verifies the report, then files or refuses it.
    (S.REPORTED, A.REQUEST_VERIFY): _t(S.VERIFYING, R.ACCEPTOR),
    (S.REPORTED, A.PRE_REGISTER): _t(S.PRE_REGISTERED, R.ACCEPTOR),
    (S.REPORTED, A.REJECT): _t(S.REJECTED, R.ACCEPTOR),
    # The collector's reply reaches the desk through the acceptor (or the intake).
    (S.VERIFYING, A.VERIFY_PASS): _t(S.VERIFIED, R.ACCEPTOR),
    (S.VERIFYING, A.VERIFY_FAIL): _t(S.UNVERIFIED, R.ACCEPTOR),
    (S.VERIFIED, A.PRE_REGISTER): _t(S.PRE_REGISTERED, R.ACCEPTOR),
    (S.VERIFIED, A.REJECT): _t(S.REJECTED, R.ACCEPTOR),
    (S.UNVERIFIED, A.PRE_REGISTER): _t(S.PRE_REGISTERED, R.ACCEPTOR),
    (S.UNVERIFIED, A.REJECT): _t(S.REJECTED, R.ACCEPTOR),
    (S.UNVERIFIED, A.REQUEST_VERIFY): _t(S.VERIFYING, R.ACCEPTOR),
    # 立案 by the shift leader.
    (S.PRE_REGISTERED, A.REGISTER): _t(S.REGISTERED, R.SHIFT_LEADER),
    (S.PRE_REGISTERED, A.SEND_BACK): _t(S.REPORTED, R.SHIFT_LEADER),
    # 任务派遣.
    (S.REGISTERED, A.DISPATCH): _t(S.DISPATCHED, R.DISPATCHER),
    (S.RETURNED, A.DISPATCH): _t(S.DISPATCHED, R.DISPATCHER),
    # 任务处理 by the department.
    (S.DISPATCHED, A.START_HANDLING): _t(S.HANDLING, R.DEPARTMENT),
    (S.DISPATCHED, A.REQUEST_RETURN): _t(S.RETURN_REQUESTED, R.DEPARTMENT),
    (S.HANDLING, A.REPORT_DONE): _t(S.HANDLED, R.DEPARTMENT),
    (S.HANDLING, A.REQUEST_EXTENSION): _t(S.EXTENSION_REQUESTED, R.DEPARTMENT),
    (S.HANDLING, A.REQUEST_POSTPONEMENT): _t(S.POSTPONEMENT_REQUESTED, R.DEPARTMENT),
    (S.POSTPONED, A.RESUME): _t(S.HANDLING, R.DEPARTMENT, R.SHIFT_LEADER),
    # Authorization of the department's requests by the shift leader.
    (S.RETURN_REQUESTED, A.APPROVE): _t(S.RETURNED, R.SHIFT_LEADER),
    (S.RETURN_REQUESTED, A.DENY): _t(S.DISPATCHED, R.SHIFT_LEADER),
    (S.EXTENSION_REQUESTED, A.APPROVE): _t(S.HANDLING, R.SHIFT_LEADER),
    (S.EXTENSION_REQUESTED, A.DENY): _t(S.HANDLING, R.SHIFT_LEADER),
    (S.POSTPONEMENT_REQUESTED, A.APPROVE): _t(S.POSTPONED, R.SHIFT_LEADER),
    (S.POSTPONEMENT_REQUESTED, A.DENY): _t(S.HANDLING, R.SHIFT_LEADER),
    # 处理反馈 → 核查结案.
    # The bid document gives the inspector (督查员) the same duty: follow what departments
    # report handled and pass it on for checking.
    (S.HANDLED, A.REQUEST_CHECK): _t(S.CHECKING, R.ACCEPTOR, R.INSPECTOR),
    (S.CHECKING, A.CHECK_PASS): _t(S.CHECK_PASSED, R.ACCEPTOR),
    (S.CHECKING, A.CHECK_FAIL): _t(S.CHECK_FAILED, R.ACCEPTOR),
    (S.CHECK_PASSED, A.CLOSE): _t(S.CLOSED, R.SHIFT_LEADER),
    (S.CHECK_PASSED, A.REWORK): _t(S.DISPATCHED, R.SHIFT_LEADER),
    (S.CHECK_FAILED, A.REWORK): _t(S.DISPATCHED, R.SHIFT_LEADER),
}

_EVERYWHERE: dict[tuple[State, Action], Transition] = {
    **{(s, A.URGE): _t(s, R.INSPECTOR, in_queue=False) for s in OPEN_STATES},
    **{(s, A.VOID): _t(S.VOIDED, R.SHIFT_LEADER, in_queue=False) for s in OPEN_STATES},
    **{
        (s, A.MERGE): _t(S.MERGED, R.ACCEPTOR, R.SHIFT_LEADER, in_queue=False)
        for s in _EARLY_STATES
    },
}

#: The workflow table. Read-only by convention; never build a second copy of it.
TRANSITIONS: Mapping[tuple[State, Action], Transition] = {**_MAIN, **_EVERYWHERE}

#: 投诉不满意重办: after a 不满意 callback of one of its complaints, the shift leader may
#: send a closed case back to its department to rework (返工), audited as
#: ``CaseEventAction.REOPEN_FOR_COMPLAINT``. Not a row of ``TRANSITIONS``: ``closed``
#: stays final there (no queue, button or ``seatdesk_case_act`` call reopens a case);
#: only ``seatdesk_reopen_for_complaint`` (migration 0014) does, when the complaint is
#: called back dissatisfied. The case enters ``dispatched`` as a rework does, with a new
#: handling clock.
REOPEN_FROM: State = S.CLOSED
REOPEN: Transition = _t(S.DISPATCHED, R.SHIFT_LEADER, in_queue=False)

#: Roles that may open a new case (信息收集): the acceptor types in reports and calls,
#: the 12319 monitor turns complaints into cases, the intake service files collectors'
#: reports (only through ``seatdesk_intake_report``: it may not run the case functions).
CREATE_ROLES: frozenset[Role] = frozenset({R.ACCEPTOR, R.MONITOR, R.INTAKE})

#: The centre setting (``centre_settings``) that can waive the photo of the result a
#: department sends with its report (处置反馈); on unless an administrator switches it off.
RESULT_PHOTO_SETTING = "require_result_photo"


@dataclass(frozen=True, slots=True)
class Needs:
    """What one action's call must carry besides the case, its version and the roles.

    ``fields`` are required, ``optional`` may be given; ``photo_step`` is the step the
    action's photos belong to (a seat may attach photos of that step only while it may
    take one of its actions), and ``photo`` says at least one photo of that step must
    have come with this action, unless the centre setting ``photo_setting`` is off.
    ``deadline_preview``: the dialog shows the deadline the action would set.
    """

    note: bool = False
    fields: tuple[ActionField, ...] = ()
    optional: tuple[ActionField, ...] = ()
    photo_step: AttachmentStep | None = None
    photo: bool = False
    photo_setting: str | None = None
    deadline_preview: bool = False


F = ActionField

#: What each action needs: the services, the database function (through
#: ``seatdesk/db/workflow_table.py``) and the dialogs all read this one table. A new
#: action gets its row here (a test fails until it has one).
NEEDS: Mapping[Action, Needs] = {
    # The collector a verification or a check goes to is named (free text until
    # collectors are users); their reply comes back as text with photos of the scene.
    A.REQUEST_VERIFY: Needs(fields=(F.COLLECTOR,)),
    A.VERIFY_PASS: Needs(photo_step=AttachmentStep.VERIFY, fields=(F.REPLY,), photo=True),
    A.VERIFY_FAIL: Needs(photo_step=AttachmentStep.VERIFY, fields=(F.REPLY,), photo=True),
    A.PRE_REGISTER: Needs(photo_step=AttachmentStep.REPORT, optional=(F.FILING_CONDITION,)),
    A.REJECT: Needs(fields=(F.REASON,)),
    A.REGISTER: Needs(),
    A.SEND_BACK: Needs(note=True),
    A.DISPATCH: Needs(fields=(F.DEPARTMENT,), deadline_preview=True),
    A.START_HANDLING: Needs(),
    A.REPORT_DONE: Needs(
        note=True,
        photo_step=AttachmentStep.HANDLING,
        photo=True,
        photo_setting=RESULT_PHOTO_SETTING,
    ),
    A.REQUEST_CHECK: Needs(fields=(F.COLLECTOR,)),
    A.CHECK_PASS: Needs(photo_step=AttachmentStep.CHECK, fields=(F.REPLY,), photo=True),
    A.CHECK_FAIL: Needs(photo_step=AttachmentStep.CHECK, fields=(F.REPLY,), photo=True),
    A.CLOSE: Needs(),
    A.REWORK: Needs(note=True, deadline_preview=True),
    A.REQUEST_EXTENSION: Needs(note=True, deadline_preview=True),
    A.REQUEST_RETURN: Needs(note=True),
    A.REQUEST_POSTPONEMENT: Needs(note=True, fields=(F.RESUME_ON,)),
    A.APPROVE: Needs(),
    A.DENY: Needs(note=True),
    A.RESUME: Needs(),
    A.URGE: Needs(note=True),
    A.VOID: Needs(note=True),
    A.MERGE: Needs(fields=(F.ORIGINAL,)),
}


def needs(action: Action) -> Needs:
    """What ``action`` needs (every action has a row)."""
    return NEEDS[action]


#: Actions that must say why (a refusal, a request, the department's answer …): the
#: database refuses them without a note. Derived from ``NEEDS``.
NOTE_REQUIRED: frozenset[Action] = frozenset(a for a, n in NEEDS.items() if n.note)

#: Which photos belong to which action. Derived from ``NEEDS``.
PHOTO_STEP_OF_ACTION: Mapping[Action, AttachmentStep] = {
    a: n.photo_step for a, n in NEEDS.items() if n.photo_step is not None
}

#: Actions that count as rework (返工) in the statistics.
REWORK_ACTIONS: frozenset[Action] = frozenset({A.REWORK})


def transition(state: State, action: Action) -> Transition:
    """The transition of ``action`` from ``state``, or ``InvalidTransition``."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(state=state, action=action) from None


def check(state: State, action: Action, roles: Iterable[Role]) -> State:
    """Decide whether someone holding ``roles`` may take ``action`` in ``state``.

    Returns the next state. Raises ``InvalidTransition`` when the action does not exist
    from this state (whoever asks), and ``PermissionDenied`` when it exists but none of
    the roles may take it.
    """
    t = transition(state, action)
    held = frozenset(roles)
    if not (t.roles & held):
        raise PermissionDenied(action=action, roles=held, allowed=t.roles)
    return t.next_state


def allowed_actions(state: State, roles: Iterable[Role]) -> list[Action]:
    """Actions that someone holding ``roles`` may take on a case in ``state``, in table order."""
    held = frozenset(roles)
    return [a for (s, a), t in TRANSITIONS.items() if s == state and t.roles & held]


@functools.cache
def queue_states(role: Role) -> frozenset[State]:
    """The states in which a case waits for ``role``: its working queue."""
    return frozenset(s for (s, _), t in TRANSITIONS.items() if t.in_queue and role in t.roles)


#: Which clock runs in each open state. Entering a state of another stage starts a new
#: clock; moving within a stage (a request, its denial) keeps the running one.
STAGE_OF_STATE: Mapping[State, Stage] = {
    S.REPORTED: Stage.REGISTER,
    S.VERIFIED: Stage.REGISTER,
    S.UNVERIFIED: Stage.REGISTER,
    S.PRE_REGISTERED: Stage.REGISTER,
    S.VERIFYING: Stage.VERIFY,
    S.REGISTERED: Stage.DISPATCH,
    S.RETURNED: Stage.DISPATCH,
    S.DISPATCHED: Stage.HANDLING,
    S.HANDLING: Stage.HANDLING,
    S.RETURN_REQUESTED: Stage.HANDLING,
    S.EXTENSION_REQUESTED: Stage.HANDLING,
    S.POSTPONEMENT_REQUESTED: Stage.HANDLING,
    S.POSTPONED: Stage.HANDLING,
    S.HANDLED: Stage.CHECK,
    S.CHECKING: Stage.CHECK,
    S.CHECK_PASSED: Stage.CLOSE,
    S.CHECK_FAILED: Stage.CLOSE,
}


def stage_of(state: State) -> Stage | None:
    """The clock that runs while a case is in ``state``; None once it is final."""
    return STAGE_OF_STATE.get(state)


def starts_new_stage(from_state: State | None, to_state: State) -> bool:
    """Whether a transition starts a new clock (rework restarts handling: it comes
    from the close stage)."""
    new = stage_of(to_state)
    return new is not None and (from_state is None or stage_of(from_state) != new)


def replay(steps: Iterable[tuple[str, State | None, State]]) -> State:
    """Replay an audit trail of (action, from_state, to_state) and return the final state.

    Each step must be allowed by the table from the state the previous step left, and
    must land where the table says. Raises ``InvalidTransition`` at the first step that
    does not fit, so a corrupt trail is never taken for a valid one.
    """
    state: State | None = None
    for action, from_state, to_state in steps:
        if action in SYSTEM_ACTIONS and state is not None and from_state == to_state == state:
            continue
        if state is None:
            if from_state is not None or to_state != S.REPORTED:
                raise InvalidTransition(state=from_state, action=action)
            state = to_state
            continue
        if action == CaseEventAction.DEPARTMENT_MERGED:
            # A merge moved the open case to another department; its state stays.
            if state is None or from_state != state or to_state != state:
                raise InvalidTransition(state=from_state, action=action)
            continue
        if action == CaseEventAction.REOPEN_FOR_COMPLAINT:
            if from_state != state or state != REOPEN_FROM or to_state != REOPEN.next_state:
                raise InvalidTransition(state=from_state, action=action)
            state = to_state
            continue
        if from_state != state or action not in Action.__members__.values():
            raise InvalidTransition(state=from_state, action=action)
        expected = transition(state, Action(action)).next_state
        if expected != to_state:
            raise InvalidTransition(state=state, action=action)
        state = to_state
    if state is None:
        raise InvalidTransition(state=None, action=None)
    return state


def shortest_paths() -> dict[State, list[tuple[Action, State, State, Role]]]:
    """For every reachable state, the shortest path of main-loop actions from ``reported``.

    The demo data uses this to give each synthetic case a trail that replays to its
    state; the actions everywhere (urge, void, merge) are used only for their own states.
    """
    paths: dict[State, list[tuple[Action, State, State, Role]]] = {S.REPORTED: []}
    todo: deque[State] = deque([S.REPORTED])
    while todo:
        state = todo.popleft()
        for (s, action), t in TRANSITIONS.items():
            if s != state or t.next_state in paths:
                continue
            if action is A.MERGE:
                continue
            role = min(t.roles)  # deterministic choice among the allowed roles
            paths[t.next_state] = [*paths[state], (action, state, t.next_state, role)]
            todo.append(t.next_state)
    return paths
