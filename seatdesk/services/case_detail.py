"""Reading one case: its detail, its timeline (the audit trail with the actors' names),
and its id from its number. Re-exported by ``seatdesk.services.queues``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.models import Case, CaseEvent, Category, User
from seatdesk.domain.glossary import CaseType, DeadlineStatus, Source, State, Urgency
from seatdesk.errors import NotFound
from seatdesk.services.common import CaseId


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

