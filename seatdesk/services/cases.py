"""Case services: open a case, and one function per workflow action.

Every change is made by the database's own functions (migration 0007): in one
transaction they lock the case, check the expected version (``StaleCase`` names who
changed it), check the workflow table and the caller's roles, validate the input
(``ValidationError`` names the field), move the stage clock, bump the version and write
the audit event with the real login. These services only prepare the call (photos are
read and thumbnailed here) and hand the database's refusals on as named errors
(``seatdesk.db.calls``). Any error leaves nothing written once the caller rolls back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.db.models import Case
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    CREATE_ACTION,
    Action,
    RejectReason,
    Source,
    State,
    Urgency,
)
from seatdesk.errors import ValidationError
from seatdesk.services import grids
from seatdesk.services import photos as photo_service
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.deadline_preview import preview_deadline as preview_deadline
from seatdesk.services.photos import Photo
from seatdesk.terms import field_name


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
    """Open a case in state ``reported`` (信息收集) with its photos; the database assigns
    its number."""
    grid_code = new.grid_code
    if grid_code is None and new.longitude is not None and new.latitude is not None:
        # A location outside every grid is accepted: the case waits in the queue of
        # cases to place (grids.unplaced_cases) and the seat is told.
        grid_code = grids.locate(session, new.longitude, new.latitude)
    case = {
        "source": new.source.value,
        "category_id": new.category_id,
        "filing_condition_id": new.filing_condition_id,
        "urgency": new.urgency.value,
        "description": new.description,
        "address": new.address,
        "longitude": new.longitude,
        "latitude": new.latitude,
        "grid_code": grid_code,
        "reporter": new.reporter,
        "reporter_phone": new.reporter_phone,
    }
    prepared = photo_service.prepare(photos or [])
    case_id = CaseId(
        call(
            session,
            "SELECT seatdesk_create_case(CAST(:case AS jsonb), CAST(:names AS text[]), "
            "CAST(:data AS bytea[]), CAST(:thumbs AS bytea[]), CAST(:taken AS timestamptz[]))",
            {"case": json.dumps(case), **prepared},
            action=CREATE_ACTION,
        ).scalar_one()
    )
    return case_id, ChangeSet(case_ids=frozenset({case_id}))


# ---- 案卷建立: verify, file or refuse


def request_verify(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    collector: str,
    note: str | None = None,
) -> ChangeSet:
    """发起核实: the field collector who goes to see is named (free text until collectors
    are users); the timeline shows the name."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_VERIFY,
        note=note,
        args={"collector": collector},
    )


def verify_pass(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    reply: str,
    photos: list[Photo],
    note: str | None = None,
) -> ChangeSet:
    """核实属实: the collector's reply, with at least one photo of the scene."""
    return _reply(session, case_id, expected_version, Action.VERIFY_PASS, reply, photos, note)


def verify_fail(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    reply: str,
    photos: list[Photo],
    note: str | None = None,
) -> ChangeSet:
    """核实不属实: the collector's reply says why, with at least one photo."""
    return _reply(session, case_id, expected_version, Action.VERIFY_FAIL, reply, photos, note)


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
    return _act(
        session,
        case_id,
        expected_version,
        Action.PRE_REGISTER,
        note=note,
        args={"category_id": category_id, "filing_condition_id": filing_condition_id},
    )


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
        args={"reason": RejectReason(reason).value},
    )


def register(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.REGISTER, note=note)


def send_back(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.SEND_BACK, note=note)


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
    return _act(
        session,
        case_id,
        expected_version,
        Action.DISPATCH,
        note=note,
        args={"department": department},
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
    """处理反馈: the department says what it did, with photos of the result (required
    unless the centre setting ``require_result_photo`` is off)."""
    return _act(
        session, case_id, expected_version, Action.REPORT_DONE, note=note, photos=photos
    )


def request_extension(
    session: Session, *, case_id: CaseId, expected_version: int, note: str
) -> ChangeSet:
    """延期: the department asks for one more original limit; the shift leader decides.

    Only before the case is overdue, and at most ``max_extensions`` times a case.
    """
    return _act(session, case_id, expected_version, Action.REQUEST_EXTENSION, note=note)


def request_return(
    session: Session, *, case_id: CaseId, expected_version: int, note: str
) -> ChangeSet:
    """回退: the department says the case is not theirs."""
    return _act(session, case_id, expected_version, Action.REQUEST_RETURN, note=note)


def request_postponement(
    session: Session, *, case_id: CaseId, expected_version: int, resume_on: date, note: str
) -> ChangeSet:
    """缓办: pause the case until ``resume_on``; the shift leader decides."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_POSTPONEMENT,
        note=note,
        args={"resume_on": resume_on.isoformat()},
    )


def approve(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    """The shift leader grants the department's pending request: an extension adds one
    original limit, a postponement pauses the clock until the resume date, a return
    sends the case back to the dispatcher."""
    return _act(session, case_id, expected_version, Action.APPROVE, note=note)


def deny(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.DENY, note=note)


def resume(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    """End a postponement (before its resume date, the clock starts again now)."""
    return _act(session, case_id, expected_version, Action.RESUME, note=note)


# ---- 核查结案


def request_check(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    collector: str,
    note: str | None = None,
) -> ChangeSet:
    """发起核查: the field collector who checks the handled case is named."""
    return _act(
        session,
        case_id,
        expected_version,
        Action.REQUEST_CHECK,
        note=note,
        args={"collector": collector},
    )


def check_pass(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    reply: str,
    photos: list[Photo],
    note: str | None = None,
) -> ChangeSet:
    """核查通过: the collector's reply, with at least one photo of the result."""
    return _reply(session, case_id, expected_version, Action.CHECK_PASS, reply, photos, note)


def check_fail(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    reply: str,
    photos: list[Photo],
    note: str | None = None,
) -> ChangeSet:
    """核查未通过: the collector's reply says what is still wrong, with a photo."""
    return _reply(session, case_id, expected_version, Action.CHECK_FAIL, reply, photos, note)


def close(
    session: Session, *, case_id: CaseId, expected_version: int, note: str | None = None
) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.CLOSE, note=note)


def rework(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    """返工: back to the same department with a fresh handling limit; counted."""
    return _act(session, case_id, expected_version, Action.REWORK, note=note)


# ---- Actions on any open case


def urge(session: Session, *, case_id: CaseId, note: str) -> ChangeSet:
    """督办: recorded and announced, the case itself does not change."""
    call(
        session,
        "SELECT seatdesk_urge(:case_id, :note)",
        {"case_id": case_id, "note": note},
        action=Action.URGE,
    )
    return ChangeSet(case_ids=frozenset({case_id}))


def void(session: Session, *, case_id: CaseId, expected_version: int, note: str) -> ChangeSet:
    return _act(session, case_id, expected_version, Action.VOID, note=note)


def merge(
    session: Session,
    *,
    case_id: CaseId,
    expected_version: int,
    original_id: CaseId,
    note: str | None = None,
) -> ChangeSet:
    """Merge a duplicate report into the original case."""
    changes = _act(
        session,
        case_id,
        expected_version,
        Action.MERGE,
        note=note,
        args={"original_id": original_id},
    )
    return changes | ChangeSet(case_ids=frozenset({original_id}))


# ---- The one call every action makes


def _act(
    session: Session,
    case_id: CaseId,
    expected_version: int,
    action: Action,
    *,
    note: str | None = None,
    args: dict[str, Any] | None = None,
    photos: list[Photo] | None = None,
) -> ChangeSet:
    _check_needs(action, note, args or {})
    if photos:
        # The photos go in first (the action's own check wants them there), so an
        # action that does not exist from the case's state is said as such here, not as
        # a refusal of its photos; a case changed meanwhile stays a stale case.
        row = session.execute(
            select(Case.state, Case.version).where(Case.id == case_id)
        ).one_or_none()
        if row is not None and row.version == expected_version:
            workflow.transition(State(row.state), action)
        step = workflow.PHOTO_STEP_OF_ACTION[action]
        photo_service.add_photos(
            session, case_id, step, photos, expected_version=expected_version
        )
    call(
        session,
        "SELECT seatdesk_case_act(:case_id, :version, :action, :note, CAST(:args AS jsonb))",
        {
            "case_id": case_id,
            "version": expected_version,
            "action": action.value,
            "note": note,
            "args": json.dumps({k: v for k, v in (args or {}).items() if v is not None}),
        },
        action=action,
    )
    return ChangeSet(case_ids=frozenset({case_id}))


def _reply(
    session: Session,
    case_id: CaseId,
    expected_version: int,
    action: Action,
    reply: str,
    photos: list[Photo],
    note: str | None,
) -> ChangeSet:
    """A field collector's answer to 核实 or 核查: the reply text and its photos."""
    return _act(
        session, case_id, expected_version, action, note=note, photos=photos,
        args={"reply": reply},
    )


def _check_needs(action: Action, note: str | None, args: dict[str, Any]) -> None:
    """The requirement table's note and arguments, said before the round trip; the
    database checks them again, and alone checks the photos (they may have been attached
    before, and a centre setting may waive them)."""
    needs = workflow.needs(action)
    for f in needs.fields:
        value = args.get(f.value)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(field_name(f), "required")
    if needs.note and not (note or "").strip():
        raise ValidationError("note", "required")
