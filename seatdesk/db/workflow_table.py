"""The workflow table as the database holds it, generated from ``seatdesk.domain.workflow``.

``seatdesk/domain/workflow.py`` is the only place a person edits. A migration writes
these rows into ``workflow_transitions``, ``workflow_states`` and ``workflow_actions``,
which the case functions read; ``tests/core/test_workflow_in_database.py`` proves the
database's rows equal these. A change to the Python table therefore ships with a
migration that calls ``statements()`` again.
"""

from __future__ import annotations

from seatdesk.domain import workflow
from seatdesk.domain.glossary import CREATE_ACTION, Action, State

#: (from_state or None for the opening of a case, action, next_state, roles, in_queue)
TransitionRow = tuple[str | None, str, str, tuple[str, ...], bool]
#: (state, stage or None, final)
StateRow = tuple[str, str | None, bool]
#: (action, note required, photo step or None, photo required, setting that may waive
#: the photo or None, required arguments): the requirement table ``workflow.NEEDS``.
ActionRow = tuple[str, bool, str | None, bool, str | None, tuple[str, ...]]


def transition_rows() -> list[TransitionRow]:
    rows: list[TransitionRow] = [
        (None, CREATE_ACTION, State.REPORTED.value,
         tuple(sorted(r.value for r in workflow.CREATE_ROLES)), False)
    ]
    for (state, action), t in workflow.TRANSITIONS.items():
        rows.append(
            (state.value, action.value, t.next_state.value,
             tuple(sorted(r.value for r in t.roles)), t.in_queue)
        )
    return sorted(rows, key=lambda r: (r[0] or "", r[1]))


def state_rows() -> list[StateRow]:
    return sorted(
        (s.value, (st.value if (st := workflow.stage_of(s)) else None), s.is_final)
        for s in State
    )


def action_rows() -> list[ActionRow]:
    return sorted(
        (
            a.value,
            (n := workflow.needs(a)).note,
            n.photo_step.value if n.photo_step else None,
            n.photo,
            n.photo_setting,
            tuple(f.value for f in n.fields),
        )
        for a in Action
    )


def _lit(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "ARRAY[" + ", ".join(_lit(v) for v in value) + "]::text[]"
    text = str(value)
    assert "'" not in text, "workflow names are identifiers"
    return f"'{text}'"


def statements(*, needs: bool = True) -> list[str]:
    """SQL that replaces the database's copy of the table with Python's.

    ``needs=False`` writes only the columns ``workflow_actions`` had before migration
    0011 added the rest of the requirement table (for migration 0007).
    """
    values = ",\n".join(
        "(" + ", ".join(_lit(v) for v in row) + ")" for row in transition_rows()
    )
    states = ",\n".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in state_rows())
    width = 6 if needs else 3
    actions = ",\n".join(
        "(" + ", ".join(_lit(v) for v in row[:width]) + ")" for row in action_rows()
    )
    action_columns = "action, note_required, photo_step" + (
        ", photo_required, photo_setting, required_args" if needs else ""
    )
    return [
        "DELETE FROM workflow_transitions",
        "DELETE FROM workflow_actions",
        "DELETE FROM workflow_states",
        f"INSERT INTO workflow_states (state, stage, final) VALUES {states}",
        f"INSERT INTO workflow_actions ({action_columns}) VALUES {actions}",
        "INSERT INTO workflow_transitions (from_state, action, next_state, roles, in_queue) "
        f"VALUES {values}",
    ]

