"""Reading one case: its detail, its timeline (the audit trail with the actors' names),
its complaints (群众投诉, masked) and their steps merged into the timeline, and its id
from its number. Re-exported by ``seatdesk.services.queues``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import Case, CaseEvent, Category, User
from seatdesk.domain.glossary import (
    CaseType,
    ComplaintAction,
    ComplaintState,
    DeadlineStatus,
    Satisfaction,
    Source,
    State,
    Urgency,
)
from seatdesk.errors import NotFound
from seatdesk.services import complaints as complaint_service
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import Complaint, ComplaintId
from seatdesk.terms import term


@dataclass(frozen=True, slots=True)
class CaseDetail:
    id: CaseId
    number: str
    state: State
    source: Source
    case_type: CaseType
    category_id: int
    category_code: str
    category_name: str
    filing_condition_id: int | None
    urgency: Urgency
    description: str
    address: str
    longitude: float | None
    latitude: float | None
    grid_code: str | None
    reporter: str | None
    reporter_phone: str | None
    current_department: str | None
    stage_started_at: datetime
    stage_deadline: datetime | None
    deadline_status: DeadlineStatus
    pending_request: dict[str, Any] | None
    resume_on: date | None
    merged_into: CaseId | None
    rework_count: int
    extension_count: int
    version: int
    created_at: datetime
    updated_at: datetime


def get_case(session: Session, case_id: CaseId) -> CaseDetail:
    row = session.execute(
        select(Case, Category.code, Category.name)
        .join(Category, Category.id == Case.category_id)
        .where(Case.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound("case", case_id)
    c: Case = row[0]
    return CaseDetail(
        id=CaseId(c.id),
        number=c.number,
        state=State(c.state),
        source=Source(c.source),
        case_type=CaseType(c.case_type),
        category_id=c.category_id,
        category_code=row[1],
        category_name=row[2],
        filing_condition_id=c.filing_condition_id,
        urgency=Urgency(c.urgency),
        description=c.description,
        address=c.address,
        longitude=c.longitude,
        latitude=c.latitude,
        grid_code=c.grid_code,
        reporter=c.reporter,
        reporter_phone=c.reporter_phone,
        current_department=c.current_department,
        stage_started_at=c.stage_started_at,
        stage_deadline=c.stage_deadline,
        deadline_status=DeadlineStatus(c.deadline_status),
        pending_request=c.pending_request,
        resume_on=c.resume_on,
        merged_into=CaseId(c.merged_into) if c.merged_into is not None else None,
        rework_count=c.rework_count,
        extension_count=c.extension_count,
        version=c.version,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    id: int
    action: str
    from_state: State | None
    to_state: State
    actor: str
    at: datetime
    note: str | None
    data: dict[str, Any] | None
    actor_name: str | None = None
    """The actor's display name (None for the system and for a login with no profile)."""

    @property
    def collector(self) -> str | None:
        """The field collector a verification or a check was sent to."""
        return _text_of(self.data, "collector")

    @property
    def reply(self) -> str | None:
        """The collector's reply that came back with the verification or the check."""
        return _text_of(self.data, "reply")

    @property
    def verdict(self) -> bool | None:
        """A collector's verdict taken in by the intake (confirmed / resolved or not)."""
        value = (self.data or {}).get("verdict")
        return value if isinstance(value, bool) else None

    def details(self) -> str:
        """What the timeline shows beside the action: collector, verdict, reply and note,
        in the person's language."""
        parts = []
        kind = (self.data or {}).get("kind")
        if self.verdict is not None and kind in _ANSWER_KINDS:
            word = messages.t(f"intake.verdict.{kind}.{str(self.verdict).lower()}")
            parts.append(messages.t("timeline.verdict", verdict=word))
        if self.collector:
            parts.append(messages.t("timeline.collector", name=self.collector))
        if self.reply:
            parts.append(messages.t("timeline.reply", reply=self.reply))
        if self.note:
            parts.append(self.note)
        return messages.t("timeline.separator").join(parts)


_ANSWER_KINDS = ("verify_answer", "check_answer")


def _text_of(data: dict[str, Any] | None, key: str) -> str | None:
    value = (data or {}).get(key)
    return value if isinstance(value, str) and value else None


def timeline(session: Session, case_id: CaseId) -> list[TimelineEvent]:
    """The audit trail of a case, oldest first, with the actors' display names."""
    rows = session.execute(
        select(CaseEvent, User.display_name)
        .outerjoin(User, User.login == CaseEvent.actor)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id)
    ).all()
    return [
        TimelineEvent(
            id=e.id,
            action=e.action,
            from_state=State(e.from_state) if e.from_state else None,
            to_state=State(e.to_state),
            actor=e.actor,
            at=e.at,
            note=e.note,
            data=e.data,
            actor_name=name,
        )
        for e, name in rows
    ]


def find_case_id(session: Session, number: str) -> CaseId:
    found = session.execute(select(Case.id).where(Case.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFound("case", number)
    return CaseId(found)



# ---- The case's complaints (群众投诉), masked, and their steps in its timeline


@dataclass(frozen=True, slots=True)
class ComplaintTimelineEvent:
    """A step of one of the case's complaints, as the case's timeline shows it."""

    id: int
    complaint_id: ComplaintId
    complaint_number: str
    action: ComplaintAction
    from_state: ComplaintState | None
    to_state: ComplaintState
    actor: str
    at: datetime
    note: str | None
    data: dict[str, Any]
    actor_name: str | None = None

    def details(self) -> str:
        """The complaint's number, then what the step carried (agency, satisfaction),
        then its note, in the person's language."""
        parts = [messages.t("timeline.complaint", number=self.complaint_number)]
        agency = _text_of(self.data, "agency")
        if agency:
            parts.append(agency)
        satisfaction = _text_of(self.data, "satisfaction")
        if satisfaction is not None and satisfaction in Satisfaction.__members__.values():
            parts.append(term(Satisfaction(satisfaction)))
        if self.note:
            parts.append(self.note)
        return messages.t("timeline.separator").join(parts)


def case_complaints(session: Session, case_id: CaseId) -> list[Complaint]:
    """The complaints linked to the case (several may share one), oldest first, with the
    complainant's name and phone masked whoever reads (the database's masks)."""
    return complaint_service.complaints_of_case(session, case_id)


def complaint_events_of_case(session: Session, case_id: CaseId) -> list[ComplaintTimelineEvent]:
    """Every step of the case's complaints (from their recording on), oldest first, with
    the actors' display names."""
    rows = session.execute(
        text(
            "SELECT e.id, e.complaint_id, k.number, e.action, e.from_state, e.to_state, "
            "e.actor, e.at, e.note, e.data, u.display_name "
            "FROM complaint_events e JOIN complaints k ON k.id = e.complaint_id "
            "LEFT JOIN users u ON u.login = e.actor "
            "WHERE k.case_id = :c ORDER BY e.at, e.id"
        ),
        {"c": case_id},
    ).all()
    return [
        ComplaintTimelineEvent(
            id=r.id,
            complaint_id=ComplaintId(r.complaint_id),
            complaint_number=r.number,
            action=ComplaintAction(r.action),
            from_state=ComplaintState(r.from_state) if r.from_state else None,
            to_state=ComplaintState(r.to_state),
            actor=r.actor,
            at=r.at,
            note=r.note,
            data=dict(r.data or {}),
            actor_name=r.display_name,
        )
        for r in rows
    ]


def merged_timeline(
    session: Session, case_id: CaseId
) -> list[TimelineEvent | ComplaintTimelineEvent]:
    """The case's audit trail and its complaints' steps in one list, by time (a case's
    event before a complaint's at the same moment). ``timeline`` stays the case's own
    trail, which replays to its state."""
    merged: list[TimelineEvent | ComplaintTimelineEvent] = [
        *timeline(session, case_id), *complaint_events_of_case(session, case_id)
    ]
    merged.sort(key=lambda e: (e.at, isinstance(e, ComplaintTimelineEvent), e.id))
    return merged
