"""The deadline an action's dialog shows before the action is taken.

The database's own functions decide the real deadline when the action runs (migration
0007); this is the Python reference of the same stage-clock rules, read-only, so the
dialog can say "due by ..." first. Re-exported as ``seatdesk.services.cases.preview_deadline``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seatdesk.db.models import Case
from seatdesk.domain import workflow
from seatdesk.domain.deadlines import StageClock
from seatdesk.domain.glossary import Action, State, Urgency
from seatdesk.errors import NotFound
from seatdesk.services import deadlines as deadline_service
from seatdesk.services.common import CaseId


def _clock_change(
    session: Session,
    row: Any,
    action: Action | str,
    to_state: State,
    *,
    filing_condition_id: int | None = None,
    resume_on: date | None = None,
) -> dict[str, Any]:
    """What a transition would do to the case's stage clock, by the Python reference."""
    from_state = State(row.state) if row.state is not None else None
    if workflow.stage_of(to_state) is None:
        return {"stage": None, **deadline_service.clock_columns(None, None)}
    new_stage = workflow.starts_new_stage(from_state, to_state)
    if not new_stage and action not in (Action.APPROVE, Action.RESUME):
        return {}
    rules = deadline_service.load_rules(session)
    now: datetime = session.execute(select(func.now())).scalar_one()
    if new_stage:
        stage = workflow.stage_of(to_state)
        assert stage is not None
        amount, unit = deadline_service.stage_limit(
            session, stage, Urgency(row.urgency), filing_condition_id or row.filing_condition_id
        )
        fresh = StageClock.start(now, amount, unit, rules.calendar)
        return {
            "stage": stage.value,
            "stage_started_at": now,
            **deadline_service.clock_columns(fresh, rules),
        }
    clock = deadline_service.clock_of(row)
    if clock is None:
        return {}
    if action == Action.APPROVE and from_state is State.EXTENSION_REQUESTED:
        return deadline_service.clock_columns(clock.extended(), rules)
    if action == Action.APPROVE and from_state is State.POSTPONEMENT_REQUESTED:
        resume_on = resume_on or date.fromisoformat(row.pending_request["resume_on"])
        restart = deadline_service.start_of_day(resume_on, rules.calendar)
        paused = clock.paused(now, rules.calendar).resumed(restart)
        return deadline_service.clock_columns(paused, rules)
    if action == Action.RESUME and now < clock.clock_start:
        return deadline_service.clock_columns(clock.resumed(now), rules)
    return {}


def preview_deadline(session: Session, case_id: CaseId, action: Action) -> datetime | None:
    """The deadline ``action`` would set on the case now, for the action's dialog."""
    row = _read(session, case_id)
    t = workflow.TRANSITIONS.get((State(row.state), action))
    if t is None:
        return None
    columns = _clock_change(session, row, action, t.next_state)
    due = columns.get("stage_deadline")
    return due if isinstance(due, datetime) else None


def _read(session: Session, case_id: CaseId) -> Any:
    row = session.execute(
        select(
            Case.id,
            Case.number,
            Case.state,
            Case.version,
            Case.category_id,
            Case.filing_condition_id,
            Case.description,
            Case.address,
            Case.longitude,
            Case.current_department,
            Case.urgency,
            Case.stage_deadline,
            Case.stage_started_at,
            Case.pending_request,
            Case.extension_count,
            Case.stage_limit_unit,
            Case.stage_limit_minutes,
            Case.clock_start,
            Case.allowance_minutes,
        ).where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound("case", case_id)
    return row
