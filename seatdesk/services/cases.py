"""Case services: open a case, and one function per workflow action.

Each mutation runs inside the caller's transaction and does, in order: read the case,
check the expected version (``StaleCase`` names who changed it), ask the workflow table
whether the actor's roles may take the action from the case's state, validate the input
(``ValidationError`` names the field), update the case only if its version is still the
expected one (optimistic locking: of two concurrent seats exactly one wins), bump the
version, append the audit event, and NOTIFY the other workstations. Any error leaves
nothing written once the caller rolls back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from seatdesk.db.models import Case, CaseEvent, Category, Department, FilingCondition
from seatdesk.db.security import CASE_CHANNEL
from seatdesk.domain import workflow
from seatdesk.domain.deadlines import StageClock
from seatdesk.domain.glossary import (
    CREATE_ACTION,
    Action,
    AttachmentStep,
    CaseType,
    RejectReason,
    Source,
    State,
    Urgency,
)
from seatdesk.errors import NotFound, StaleCase, ValidationError
from seatdesk.services import deadlines as deadline_service
from seatdesk.services import grids
from seatdesk.services import photos as photo_service
from seatdesk.services.common import CaseId, ChangeSet, current_actor, require_roles
from seatdesk.services.photos import Photo


@dataclass(frozen=True, slots=True)
class NewCase:
    """A report as the acceptor or the 12319 monitor types it in."""

    source: Source
    category_id: int
    description: str
    address: str = ""
    longitude: float | None = None
    latitude: float | None = None
    grid_code: str | None = None
    filing_condition_id: int | None = None
    urgency: Urgency = Urgency.ORDINARY
    reporter: str | None = None
    reporter_phone: str | None = None


# ---- Opening a case


def create_case(
    session: Session, new: NewCase, photos: list[Photo] | None = None
) -> tuple[CaseId, ChangeSet]:
    """Open a case in state ``reported`` (信息收集) with its photos."""
    actor = current_actor(session)
    require_roles(actor, CREATE_ACTION, workflow.CREATE_ROLES)
    case_type = _category_type(session, new.category_id)
    if new.filing_condition_id is not None:
        _check_condition(session, new.category_id, new.filing_condition_id)
    _check_location(new.longitude, new.latitude)
    grid_code = new.grid_code
    if grid_code is None and new.longitude is not None and new.latitude is not None:
        # A location outside every grid is accepted: the case waits in the queue of
        # cases to place (grids.unplaced_cases) and the seat is told.
        grid_code = grids.locate(session, new.longitude, new.latitude)
    number = session.execute(select(func.seatdesk_next_case_number(func.now()))).scalar_one()
    opening = SimpleNamespace(
        state=None, urgency=new.urgency.value, filing_condition_id=new.filing_condition_id
    )
    clock = _clock_change(session, opening, CREATE_ACTION, State.REPORTED)
    case_id = CaseId(
        session.execute(
            insert(Case)
            .values(
                number=number,
                source=new.source.value,
                case_type=case_type.value,
                category_id=new.category_id,
                filing_condition_id=new.filing_condition_id,
                urgency=new.urgency.value,
                description=new.description.strip(),
                address=new.address.strip(),
                longitude=new.longitude,
                latitude=new.latitude,
                grid_code=grid_code,
                reporter=new.reporter,
                reporter_phone=new.reporter_phone,
                state=State.REPORTED.value,
                **clock,
            )
            .returning(Case.id)
        ).scalar_one()
    )
    if photos:
        photo_service.add_photos(session, case_id, AttachmentStep.REPORT, photos)
    _audit(session, case_id, CREATE_ACTION, None, State.REPORTED, None, {"version": 1})
    _notify(session, case_id, CREATE_ACTION, State.REPORTED, 1)
    return case_id, ChangeSet(case_ids=frozenset({case_id}))


# ---- 案卷建立: verify, file or refuse


def request_verify(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.REQUEST_VERIFY, note=note)


def verify_pass(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    note: str | None = None,
    photos: list[Photo] | None = None,
) -> ChangeSet:
    return _act(
        session,
        case_id,
        expected_version,
        Action.VERIFY_PASS,
        note=note,
        photos=(AttachmentStep.VERIFY, photos),
    )


def verify_fail(
    session: Session, *, case_id: CaseId, expected_version: int, note: str
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.VERIFY_FAIL, note=_required(note))


def pre_register(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    category_id: int | None = None,
    filing_condition_id: int | None = None,
    note: str | None = None,
) -> ChangeSet:
    """预立案: the bid document's rule is photo, description and location complete."""

    def validate(row: Any) -> dict[str, Any]:
        category = category_id if category_id is not None else row.category_id
        condition = (
            filing_condition_id if filing_condition_id is not None else row.filing_condition_id
        )
        if not (row.description or "").strip():
            raise ValidationError("description", "required")
        if row.longitude is None and not (row.address or "").strip():
            raise ValidationError("location", "required")
        case_type = _category_type(session, category)
        if condition is None:
            raise ValidationError("filing_condition", "required")
        _check_condition(session, category, condition)
        if photo_service.count_photos(session, case_id) == 0:
            raise ValidationError("photo", "photo_required")
        return {
            "category_id": category,
            "case_type": case_type.value,
            "filing_condition_id": condition,
        }

    return _act(session, case_id, expected_version, Action.PRE_REGISTER, note=note, more=validate)


def reject(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    reason: RejectReason,
    note: str | None = None,
) -> ChangeSet:
    return _act(
        session,
        case_id,
        expected_version,
        Action.REJECT,
        note=note,
        data={"reason": RejectReason(reason).value},
    )


def register(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.REGISTER, note=note)


def send_back(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.SEND_BACK, note=_required(note))


# ---- 任务派遣 and 任务处理


def dispatch(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    department: str,
    note: str | None = None,
) -> ChangeSet:
    """Send the case to a department; its handling deadline comes from the standard of
    its filing condition (``preview_deadline`` shows it before)."""

    def validate(_row: Any) -> dict[str, Any]:
        _check_department(session, department)
        return {"current_department": department, "pending_request": None}

    return _act(
        session,
        case_id,
        expected_version,
        Action.DISPATCH,
        note=note,
        data={"department": department},
        more=validate,
    )


def start_handling(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.START_HANDLING, note=note)


def report_done(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    note: str,
    photos: list[Photo] | None = None,
) -> ChangeSet:
    """处理反馈: the department says what it did, with photos of the result."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REPORT_DONE,
        note=_required(note),
        photos=(AttachmentStep.HANDLING, photos),
    )


def request_extension(
    session: Session, *, case_id: CaseId, expected_version: int, note: str
) -> ChangeSet:
    """延期: the department asks for one more original limit; the shift leader decides.

    Only before the case is overdue, and at most ``max_extensions`` times a case.
    """

    def validate(row: Any) -> dict[str, Any]:
        rules = deadline_service.load_rules(session)
        if row.extension_count >= rules.max_extensions:
            raise ValidationError("note", "too_many_extensions", limit=rules.max_extensions)
        if row.stage_deadline is not None and _now(session) >= row.stage_deadline:
            raise ValidationError("note", "already_overdue")
        clock = deadline_service.clock_of(row)
        proposed = clock.extended().due(rules.calendar) if clock else None
        return {
            "pending_request": {
                "kind": "extension",
                "deadline": proposed.isoformat() if proposed else None,
            }
        }

    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_EXTENSION,
        note=_required(note),
        more=validate,
    )


def request_return(
    session: Session, *, case_id: CaseId, expected_version: int, note: str
) -> ChangeSet:
    """回退: the department says the case is not theirs."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_RETURN,
        note=_required(note),
        changes={"pending_request": {"kind": "return"}},
    )


def request_postponement(
    session: Session, *, case_id: CaseId, expected_version: int, resume_on: date, note: str
) -> ChangeSet:
    """缓办: pause the case until ``resume_on``; the shift leader decides."""

    def validate(_row: Any) -> dict[str, Any]:
        today = session.execute(select(func.current_date())).scalar_one()
        if resume_on <= today:
            raise ValidationError("resume_on", "in_past", value=resume_on.isoformat())
        return {"pending_request": {"kind": "postponement", "resume_on": resume_on.isoformat()}}

    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_POSTPONEMENT,
        note=_required(note),
        data={"resume_on": resume_on.isoformat()},
        more=validate,
    )


def approve(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    """The shift leader grants the department's pending request. The clock follows in
    ``_clock_change``: an extension adds one original limit, a postponement pauses the
    clock until the resume date, a return sends the case back to the dispatcher."""

    def apply(row: Any) -> dict[str, Any]:
        changes: dict[str, Any] = {"pending_request": None}
        request = row.pending_request or {}
        if row.state == State.POSTPONEMENT_REQUESTED:
            changes["resume_on"] = date.fromisoformat(request["resume_on"])
        elif row.state == State.RETURN_REQUESTED:
            changes["current_department"] = None
        return changes

    return _act(session, case_id, expected_version, Action.APPROVE, note=note, more=apply)


def deny(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(
        session,
        case_id,
        expected_version,
        Action.DENY,
        note=_required(note),
        changes={"pending_request": None},
    )


def resume(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    """End a postponement (before its resume date, the clock starts again now)."""
    return _act(
        session, case_id, expected_version, Action.RESUME, note=note, changes={"resume_on": None}
    )


# ---- 核查结案


def request_check(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.REQUEST_CHECK, note=note)


def check_pass(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    note: str | None = None,
    photos: list[Photo] | None = None,
) -> ChangeSet:
    return _act(
        session,
        case_id,
        expected_version,
        Action.CHECK_PASS,
        note=note,
        photos=(AttachmentStep.CHECK, photos),
    )


def check_fail(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    note: str,
    photos: list[Photo] | None = None,
) -> ChangeSet:
    return _act(
        session,
        case_id,
        expected_version,
        Action.CHECK_FAIL,
        note=_required(note),
        photos=(AttachmentStep.CHECK, photos),
    )


def close(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.CLOSE, note=note)


def rework(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    """返工: back to the same department with a fresh handling limit; counted."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REWORK,
        note=_required(note),
        changes={"rework_count": Case.rework_count + 1},
    )


# ---- Actions on any open case


def urge(session: Session, *, case_id: CaseId, note: str) -> ChangeSet:
    """督办: recorded and announced, the case itself does not change."""
    actor = current_actor(session)
    row = _read(session, case_id)
    workflow.check(State(row.state), Action.URGE, actor.roles)
    _required(note)
    _audit(session, case_id, Action.URGE, State(row.state), State(row.state), note, None)
    _notify(session, case_id, Action.URGE, State(row.state), row.version)
    return ChangeSet(case_ids=frozenset({case_id}))


def void(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.VOID, note=_required(note))


def merge(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    original_id: CaseId,
    note: str | None = None,
) -> ChangeSet:
    """Merge a duplicate report into the original case."""

    def validate(_row: Any) -> dict[str, Any]:
        if original_id == case_id:
            raise ValidationError("original", "same_case")
        original = session.execute(
            select(Case.state, Case.number).where(Case.id == original_id)
        ).one_or_none()
        if original is None:
            raise NotFound("case", original_id)
        if State(original.state).is_final:
            raise ValidationError("original", "not_open", value=original.number)
        return {"merged_into": original_id}

    changes = _act(
        session,
        case_id,
        expected_version,
        Action.MERGE,
        note=note,
        data={"original_id": original_id},
        more=validate,
    )
    return changes | ChangeSet(case_ids=frozenset({original_id}))


# ---- The machinery shared by every action


def _act(
    session: Session,
    case_id: CaseId,
    expected_version: int,
    action: Action,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    more: Any = None,
    photos: tuple[AttachmentStep, list[Photo] | None] | None = None,
) -> ChangeSet:
    actor = current_actor(session)
    row = _read(session, case_id)
    if row.version != expected_version:
        raise _stale(session, case_id)
    from_state = State(row.state)
    to_state = workflow.check(from_state, action, actor.roles)
    values: dict[str, Any] = dict(changes or {})
    if more is not None:
        values.update(more(row))
    values.update(
        _clock_change(
            session,
            row,
            action,
            to_state,
            filing_condition_id=values.get("filing_condition_id"),
            resume_on=values.get("resume_on"),
        )
    )
    new_version = row.version + 1
    values.update(state=to_state.value, version=new_version, updated_at=func.now())
    # Optimistic lock: a concurrent writer that committed first has bumped the version,
    # so this UPDATE (which waits for its row lock, then re-reads) matches no row.
    updated = session.execute(
        update(Case)
        .where(Case.id == case_id, Case.version == expected_version)
        .values(**values)
        .returning(Case.id, Case.stage_deadline)
    ).first()
    if updated is None:
        raise _stale(session, case_id)
    if photos is not None and photos[1]:
        photo_service.add_photos(session, case_id, photos[0], photos[1])
    event_data: dict[str, Any] = {"version": new_version, **(data or {})}
    if "stage_deadline" in values and updated.stage_deadline is not None:
        event_data["deadline"] = updated.stage_deadline.isoformat()
    _audit(session, case_id, action, from_state, to_state, note, event_data)
    _notify(session, case_id, action, to_state, new_version)
    return ChangeSet(case_ids=frozenset({case_id}))


def _now(session: Session) -> datetime:
    now: datetime = session.execute(select(func.now())).scalar_one()
    return now


def _clock_change(
    session: Session,
    row: Any,
    action: Action | str,
    to_state: State,
    *,
    filing_condition_id: int | None = None,
    resume_on: date | None = None,
) -> dict[str, Any]:
    """What a transition does to the case's stage clock (columns to update)."""
    from_state = State(row.state) if row.state is not None else None
    if workflow.stage_of(to_state) is None:
        return {"stage": None, **deadline_service.clock_columns(None, None)}
    new_stage = workflow.starts_new_stage(from_state, to_state)
    if not new_stage and action not in (Action.APPROVE, Action.RESUME):
        return {}  # moving within a stage keeps its clock: nothing to read or compute
    rules = deadline_service.load_rules(session)
    now = _now(session)
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
        return {
            "extension_count": row.extension_count + 1,
            **deadline_service.clock_columns(clock.extended(), rules),
        }
    if action == Action.APPROVE and from_state is State.POSTPONEMENT_REQUESTED:
        assert resume_on is not None
        # The clock stops now and starts again on the resume date with what was left:
        # the paused time is given back in the deadline's own unit.
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


def _stale(session: Session, case_id: CaseId) -> StaleCase:
    """Name who changed the case last (urges change nothing, so they do not count)."""
    current = session.execute(
        select(Case.number, Case.version).where(Case.id == case_id)
    ).one()
    last = session.execute(
        select(CaseEvent.actor, CaseEvent.at)
        .where(CaseEvent.case_id == case_id, CaseEvent.action != Action.URGE.value)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).one()
    return StaleCase(
        case_id=case_id,
        number=current.number,
        changed_by=last.actor,
        changed_at=last.at,
        version=current.version,
    )


def _audit(
    session: Session,
    case_id: CaseId,
    action: str,
    from_state: State | None,
    to_state: State,
    note: str | None,
    data: dict[str, Any] | None,
) -> None:
    session.execute(
        insert(CaseEvent).values(
            case_id=case_id,
            action=str(action),
            from_state=from_state.value if from_state else None,
            to_state=to_state.value,
            note=note,
            data=data,
        )
    )


def _notify(session: Session, case_id: CaseId, action: str, state: State, version: int) -> None:
    payload = json.dumps(
        {"case_id": case_id, "action": str(action), "state": state.value, "version": version}
    )
    # Delivered on commit only, so the other seats never see a change that rolled back.
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {
        "channel": CASE_CHANNEL,
        "payload": payload,
    })


def _required(note: str | None) -> str:
    if note is None or not note.strip():
        raise ValidationError("note", "required")
    return note.strip()


def _category_type(session: Session, category_id: int | None) -> CaseType:
    if category_id is None:
        raise ValidationError("category", "required")
    row = session.execute(
        select(Category.case_type, Category.parent_id).where(Category.id == category_id)
    ).one_or_none()
    if row is None or row.parent_id is None:
        raise ValidationError("category", "unknown", value=category_id)
    return CaseType(row.case_type)


def _check_condition(session: Session, category_id: int, condition_id: int) -> None:
    owner = session.execute(
        select(FilingCondition.category_id).where(FilingCondition.id == condition_id)
    ).scalar_one_or_none()
    if owner is None:
        raise ValidationError("filing_condition", "unknown", value=condition_id)
    if owner != category_id:
        raise ValidationError("filing_condition", "not_under", value=condition_id)


def _check_department(session: Session, code: str) -> None:
    active = session.execute(
        select(Department.active).where(Department.code == code)
    ).scalar_one_or_none()
    if not active:
        raise ValidationError("department", "unknown", value=code)


def _check_location(longitude: float | None, latitude: float | None) -> None:
    if (longitude is None) != (latitude is None):
        raise ValidationError("location", "required")
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError("longitude", "out_of_range", value=longitude)
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError("latitude", "out_of_range", value=latitude)

