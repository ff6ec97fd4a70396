"""Complaints (群众投诉): record one, make it a case or link it to one, forward it to
another agency, reply to the complainant and call them back; after a 不满意 callback,
the shift leader reopens the case (migration 0014).

Personal data (migration 0014): no seat reads a complainant's real name and phone from
the table; every read here takes the database's masked columns (``Complaint``'s
``complainant`` and ``complainant_phone`` hold 王** and 138****5678 for every role).
The monitor and the admin read the real ones in two steps (migration 0019):
``request_contacts`` records the request and its audit (one ``personal_data_reads`` row
per complaint), and ``read_contacts`` shows them once that transaction has COMMITTED, so
a rollback cannot take the audit back; ``reveal_contacts_committed`` does both for a
caller with a session factory. A caller's earlier complaints are found the same way
(``request_phone_lookup``, then ``complaints_by_phone``), each match audited, both
rate-limited per person by the database.

Every write is one call of the database's own function (migration 0013), which checks
the seat's roles, the complaint's version and state, and audits the step; refusals
become the named errors of ``seatdesk.errors`` in ``seatdesk.db.calls``. The caller owns
the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NewType

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.glossary import (
    CaseEventAction,
    ComplaintAction,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    PrivacyAction,
    ReplyMethod,
    Role,
    Satisfaction,
    Source,
    State,
    Urgency,
)
from seatdesk.services import grids
from seatdesk.services.common import CaseId, ChangeSet

ComplaintId = NewType("ComplaintId", int)

#: The entity a complaint's change names in a ``ChangeSet`` and in the change notices.
ENTITY = "complaints"

#: The case source of a case opened from a complaint of each channel (the database's
#: ``seatdesk_complaint_source`` holds the same table).
CASE_SOURCE: dict[ComplaintChannel, Source] = {
    ComplaintChannel.HOTLINE_12319: Source.HOTLINE_12319,
    ComplaintChannel.MAYORS_MAILBOX: Source.MAYOR_MAILBOX,
    ComplaintChannel.ONLINE_PLATFORM: Source.ONLINE,
    ComplaintChannel.MEDIA: Source.MEDIA,
    ComplaintChannel.CITY_PLATFORM: Source.CITY_PLATFORM,
    ComplaintChannel.WALK_IN: Source.WALK_IN,
}


@dataclass(frozen=True, slots=True)
class NewComplaint:
    channel: ComplaintChannel
    content: str
    received_at: datetime | None = None  # None: now, by the database's clock
    external_ref: str | None = None
    complainant: str | None = None
    complainant_phone: str | None = None
    address: str = ""
    longitude: float | None = None
    latitude: float | None = None
    category_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaseFields:
    """What the case opened from a complaint takes besides the complaint's own fields
    (each ``None`` keeps the complaint's)."""

    category_id: int | None = None
    filing_condition_id: int | None = None
    urgency: Urgency = Urgency.ORDINARY
    description: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint as every seat reads it. ``complainant`` and ``complainant_phone`` are
    the database's MASKED values (``complainant_masked``, ``phone_masked``: 王**,
    138****5678) whoever reads; the real ones come from ``reveal_contacts`` only."""

    id: ComplaintId
    number: str
    channel: ComplaintChannel
    external_ref: str | None
    received_at: datetime
    complainant: str | None
    complainant_phone: str | None
    content: str
    address: str
    longitude: float | None
    latitude: float | None
    category_id: int | None
    reply_due: datetime
    reply_warning_at: datetime
    state: ComplaintState
    case_id: CaseId | None
    forwarded_agency: str | None
    forward_note: str | None
    reply_text: str | None
    replied_at: datetime | None
    reply_method: ReplyMethod | None
    callback_reached: bool | None
    callback_satisfaction: Satisfaction | None
    callback_note: str | None
    called_back_at: datetime | None
    version: int

    def reply_status(self, now: datetime) -> DeadlineStatus | None:
        """Red, yellow or normal for a complaint that still owes its reply (new, linked,
        forwarded or awaiting reply); None once it is replied."""
        if self.state in (ComplaintState.REPLIED, ComplaintState.CALLED_BACK):
            return None
        if now >= self.reply_due:
            return DeadlineStatus.OVERDUE
        if now >= self.reply_warning_at:
            return DeadlineStatus.WARNING
        return DeadlineStatus.NORMAL


@dataclass(frozen=True, slots=True)
class ComplaintEvent:
    action: str
    from_state: ComplaintState | None
    to_state: ComplaintState
    actor: str
    at: datetime
    note: str | None
    data: dict[str, Any]


def _changed(complaint_id: int, case_id: int | None = None) -> ChangeSet:
    del complaint_id  # the entity names them all; a panel reloads its queue
    return ChangeSet(
        case_ids=frozenset({CaseId(case_id)}) if case_id is not None else frozenset(),
        entities=frozenset({ENTITY}),
    )


# ---- writes


def create_complaint(session: Session, new: NewComplaint) -> tuple[ComplaintId, ChangeSet]:
    """Record a complaint in state ``new``; the database numbers it and sets its reply
    deadline from the centre's ``complaint_reply_limit`` in working time."""
    payload = {
        "channel": new.channel.value,
        "content": new.content,
        "received_at": new.received_at.isoformat() if new.received_at else None,
        "external_ref": new.external_ref,
        "complainant": new.complainant,
        "complainant_phone": new.complainant_phone,
        "address": new.address,
        "longitude": new.longitude,
        "latitude": new.latitude,
        "category_id": new.category_id,
    }
    complaint_id = ComplaintId(
        call(
            session,
            "SELECT seatdesk_create_complaint(CAST(:c AS jsonb))",
            {"c": json.dumps(payload)},
            action=ComplaintAction.CREATE,
        ).scalar_one()
    )
    return complaint_id, _changed(complaint_id)


def complaint_to_case(
    session: Session,
    *,
    complaint_id: ComplaintId,
    expected_version: int,
    fields: CaseFields,
) -> tuple[CaseId, ChangeSet]:
    """Open a case from the complaint (source: its channel's) and link them."""
    case: dict[str, Any] = {"urgency": fields.urgency.value}
    for key in ("category_id", "filing_condition_id", "description", "address"):
        value = getattr(fields, key)
        if value is not None:
            case[key] = value
    where = session.execute(
        text("SELECT longitude, latitude FROM complaints WHERE id = :i"), {"i": complaint_id}
    ).one_or_none()
    if where is not None and where.longitude is not None:
        # As a typed-in case: a location outside every grid waits in the queue to place.
        case["grid_code"] = grids.locate(session, where.longitude, where.latitude)
    case_id = CaseId(
        call(
            session,
            "SELECT seatdesk_complaint_to_case(:i, :v, CAST(:c AS jsonb))",
            {"i": complaint_id, "v": expected_version, "c": json.dumps(case)},
            action=ComplaintAction.TO_CASE,
        ).scalar_one()
    )
    return case_id, _changed(complaint_id, case_id)


def link_complaint(
    session: Session, *, complaint_id: ComplaintId, expected_version: int, case_id: CaseId
) -> ChangeSet:
    """Link the complaint to an open case about the same problem."""
    call(
        session,
        "SELECT seatdesk_link_complaint(:i, :v, :c)",
        {"i": complaint_id, "v": expected_version, "c": case_id},
        action=ComplaintAction.LINK,
    )
    return _changed(complaint_id, case_id)


def forward_complaint(
    session: Session,
    *,
    complaint_id: ComplaintId,
    expected_version: int,
    agency: str,
    note: str | None = None,
) -> ChangeSet:
    """Forward (转办) a complaint that is not city-management business to ``agency``."""
    call(
        session,
        "SELECT seatdesk_forward_complaint(:i, :v, :a, :n)",
        {"i": complaint_id, "v": expected_version, "a": agency, "n": note},
        action=ComplaintAction.FORWARD,
    )
    return _changed(complaint_id)


def reply_complaint(
    session: Session,
    *,
    complaint_id: ComplaintId,
    expected_version: int,
    reply: str,
    how: ReplyMethod,
) -> ChangeSet:
    """Record the answer given to the complainant."""
    call(
        session,
        "SELECT seatdesk_reply_complaint(:i, :v, :t, :h)",
        {"i": complaint_id, "v": expected_version, "t": reply, "h": how.value},
        action=ComplaintAction.REPLY,
    )
    return _changed(complaint_id)


def callback_complaint(
    session: Session,
    *,
    complaint_id: ComplaintId,
    expected_version: int,
    reached: bool,
    satisfaction: Satisfaction | None,
    note: str | None = None,
) -> ChangeSet:
    """Record the callback (回访): reached or not, and if reached how satisfied."""
    call(
        session,
        "SELECT seatdesk_callback_complaint(:i, :v, :r, :s, :n)",
        {
            "i": complaint_id,
            "v": expected_version,
            "r": reached,
            "s": satisfaction.value if satisfaction is not None else None,
            "n": note,
        },
        action=ComplaintAction.CALLBACK,
    )
    return _changed(complaint_id)


# ---- reads (through row-level security)

#: Never the raw ``complainant`` / ``complainant_phone``: no seat group may read them.
_COLUMNS = (
    "id, number, channel, external_ref, received_at, "
    "complainant_masked AS complainant, phone_masked AS complainant_phone, "
    "content, address, longitude, latitude, category_id, reply_due, reply_warning_at, "
    "state, case_id, "
    "forwarded_agency, forward_note, reply_text, replied_at, reply_method, "
    "callback_reached, callback_satisfaction, callback_note, called_back_at, version"
)


def _complaint(row: Any) -> Complaint:
    m = row._mapping
    return Complaint(
        id=ComplaintId(m["id"]),
        number=m["number"],
        channel=ComplaintChannel(m["channel"]),
        external_ref=m["external_ref"],
        received_at=m["received_at"],
        complainant=m["complainant"],
        complainant_phone=m["complainant_phone"],
        content=m["content"],
        address=m["address"],
        longitude=m["longitude"],
        latitude=m["latitude"],
        category_id=m["category_id"],
        reply_due=m["reply_due"],
        reply_warning_at=m["reply_warning_at"],
        state=ComplaintState(m["state"]),
        case_id=CaseId(m["case_id"]) if m["case_id"] is not None else None,
        forwarded_agency=m["forwarded_agency"],
        forward_note=m["forward_note"],
        reply_text=m["reply_text"],
        replied_at=m["replied_at"],
        reply_method=ReplyMethod(m["reply_method"]) if m["reply_method"] else None,
        callback_reached=m["callback_reached"],
        callback_satisfaction=(
            Satisfaction(m["callback_satisfaction"]) if m["callback_satisfaction"] else None
        ),
        callback_note=m["callback_note"],
        called_back_at=m["called_back_at"],
        version=m["version"],
    )


def get_complaint(session: Session, complaint_id: ComplaintId) -> Complaint | None:
    """The complaint, or None when it does not exist or the seat may not see it."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM complaints WHERE id = :i"), {"i": complaint_id}
    ).one_or_none()
    return _complaint(row) if row is not None else None


def complaint_by_number(session: Session, number: str) -> Complaint | None:
    """The complaint numbered ``number`` (TS2026000001), or None."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM complaints WHERE number = :n"), {"n": number.strip()}
    ).one_or_none()
    return _complaint(row) if row is not None else None


def recent_complaints(
    session: Session, *, states: Iterable[ComplaintState] = (), limit: int = 50
) -> list[Complaint]:
    """The newest complaints the seat may see (of ``states``, all when empty)."""
    rows = session.execute(
        text(
            f"SELECT {_COLUMNS} FROM complaints "
            "WHERE cardinality(CAST(:s AS text[])) = 0 OR state = ANY (CAST(:s AS text[])) "
            "ORDER BY received_at DESC, id DESC LIMIT :limit"
        ),
        {"s": sorted({ComplaintState(s).value for s in states}), "limit": limit},
    ).all()
    return [_complaint(r) for r in rows]


def complaints_of_case(session: Session, case_id: CaseId) -> list[Complaint]:
    """The complaints linked to a case, oldest first."""
    rows = session.execute(
        text(f"SELECT {_COLUMNS} FROM complaints WHERE case_id = :c ORDER BY received_at, id"),
        {"c": case_id},
    ).all()
    return [_complaint(r) for r in rows]


def complaint_events(session: Session, complaint_id: ComplaintId) -> list[ComplaintEvent]:
    """The complaint's audit trail, in order."""
    rows = session.execute(
        text(
            "SELECT action, from_state, to_state, actor, at, note, data FROM complaint_events "
            "WHERE complaint_id = :i ORDER BY id"
        ),
        {"i": complaint_id},
    ).all()
    return [
        ComplaintEvent(
            action=r.action,
            from_state=ComplaintState(r.from_state) if r.from_state else None,
            to_state=ComplaintState(r.to_state),
            actor=r.actor,
            at=r.at,
            note=r.note,
            data=dict(r.data or {}),
        )
        for r in rows
    ]


# ---- personal data (migration 0014)


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """A complainant's real name and phone, as ``read_contacts`` read them."""

    complaint_id: ComplaintId
    complainant: str | None
    complainant_phone: str | None


@dataclass(frozen=True, slots=True)
class EarlierComplaint:
    """A complaint found by its caller's phone: what links it, nothing personal."""

    id: ComplaintId
    number: str
    received_at: datetime
    state: ComplaintState
    case_id: CaseId | None


#: Who may read a complainant's real name and phone (migration 0014's
#: ``seatdesk_complaint_contacts`` decides; the desk reads this only to offer the button).
CONTACT_READERS: frozenset[Role] = frozenset({Role.MONITOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class RevealRequest:
    """A recorded request to read personal data (migration 0019): its id, readable by
    the person who made it once the transaction that made it has committed, for
    ``REQUEST_MINUTES`` minutes."""

    id: int
    action: PrivacyAction


#: How long a committed request may be read (migration 0019's ``WINDOW_MINUTES``).
REQUEST_MINUTES = 10

#: A transaction of its own, committed when the block ends without an error (a
#: ``sessionmaker``'s ``begin``).
Begin = Callable[[], AbstractContextManager[Session]]


def request_contacts(
    session: Session, ids: Iterable[ComplaintId], purpose: str
) -> RevealRequest:
    """Ask for the real name and phone of the complaints ``ids`` (monitor and admin only;
    ``PermissionDenied`` otherwise; ``RateLimited`` past the limit). The database
    records the request and one audit row per complaint (who, when, which, ``purpose``)
    in the caller's transaction; ``read_contacts`` shows them only once it has
    COMMITTED, so a rollback cannot take the audit back."""
    row = call(
        session,
        "SELECT seatdesk_request_contacts(CAST(:ids AS bigint[]), :p)",
        {"ids": sorted({int(i) for i in ids}), "p": purpose},
        action=PrivacyAction.REVEAL_CONTACTS,
    ).scalar_one()
    return RevealRequest(int(row), PrivacyAction.REVEAL_CONTACTS)


def read_contacts(
    session: Session, request: RevealRequest
) -> dict[ComplaintId, ContactDetails]:
    """The real name and phone of a committed ``request_contacts`` (``ValidationError``
    on ``reveal_request`` when it is not committed, not the caller's, or too old). Ids
    that did not exist are left out."""
    rows = call(
        session,
        "SELECT id, complainant, complainant_phone FROM seatdesk_complaint_contacts(:r)",
        {"r": request.id},
        action=PrivacyAction.REVEAL_CONTACTS,
    ).all()
    return {
        ComplaintId(r.id): ContactDetails(ComplaintId(r.id), r.complainant, r.complainant_phone)
        for r in rows
    }


def reveal_contacts_committed(
    begin: Begin, ids: Iterable[ComplaintId], purpose: str
) -> dict[ComplaintId, ContactDetails]:
    """``request_contacts`` in a transaction of its own, committed, then ``read_contacts``
    in another. The one service that commits, because the database shows personal data
    only after its audit is committed (migration 0019); ``begin`` opens a transaction
    that commits when its block ends (a ``sessionmaker``'s ``begin``)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    with begin() as session:
        request = request_contacts(session, [ComplaintId(i) for i in wanted], purpose)
    with begin() as session:
        return read_contacts(session, request)


def check_reveal(begin: Begin, purpose: str) -> None:
    """Refuse now (``PermissionDenied``, ``ValidationError`` for a bad purpose,
    ``RateLimited``) what ``reveal_contacts_committed`` would refuse, before any work
    that would reveal: a committed request of no complaint, which records who asked
    and why (an export's purpose, say) and reveals nothing."""
    with begin() as session:
        request_contacts(session, [], purpose)


def request_phone_lookup(session: Session, phone: str) -> RevealRequest:
    """Ask for the complaints from ``phone`` (monitor and admin only; ``RateLimited``
    past the limit; ``ValidationError`` for fewer than five digits). The database
    records the look-up (the number masked) and audits every match as a read of its
    personal data; ``complaints_by_phone`` answers once this has committed."""
    row = call(
        session,
        "SELECT seatdesk_request_phone_lookup(:p)",
        {"p": phone},
        action=PrivacyAction.FIND_BY_PHONE,
    ).scalar_one()
    return RevealRequest(int(row), PrivacyAction.FIND_BY_PHONE)


def complaints_by_phone(session: Session, request: RevealRequest) -> list[EarlierComplaint]:
    """A committed look-up's complaints, newest first (at most 200), matched by the
    normalised number (digits only, +86 dropped)."""
    rows = call(
        session,
        "SELECT id, number, received_at, state, case_id FROM seatdesk_complaints_by_phone(:r)",
        {"r": request.id},
        action=PrivacyAction.FIND_BY_PHONE,
    ).all()
    return [
        EarlierComplaint(
            id=ComplaintId(r.id),
            number=r.number,
            received_at=r.received_at,
            state=ComplaintState(r.state),
            case_id=CaseId(r.case_id) if r.case_id is not None else None,
        )
        for r in rows
    ]


def lookup_committed(begin: Begin, phone: str) -> RevealRequest:
    """``request_phone_lookup`` in a transaction of its own, committed (see
    ``reveal_contacts_committed``): the request a later read passes on."""
    with begin() as session:
        return request_phone_lookup(session, phone)


# ---- reopen after a 不满意 callback (migration 0014)


#: Who reopens a closed case after a 不满意 callback (the database's function checks it).
REOPEN_ROLE = Role.SHIFT_LEADER


def reopen_for_complaint(
    session: Session,
    *,
    complaint_id: ComplaintId,
    complaint_version: int,
    case_version: int,
    note: str,
) -> tuple[int, ChangeSet]:
    """The shift leader sends the closed case of a complaint called back 不满意 back to
    its department to rework (audited on the case as ``reopen_for_complaint``, on the
    complaint as ``reopen``); the complaint is linked again, and so is every other
    complaint of the case already called back, so each complainant is answered after the
    rework. The callback must be later than the case's last closing (migration 0019:
    an old 不满意 reopens nothing; ``ValidationError`` on ``callback``). Returns the
    case's new version."""
    row = call(
        session,
        "SELECT seatdesk_reopen_for_complaint(:i, :cv, :v, :n) AS version, "
        "(SELECT case_id FROM complaints WHERE id = :i) AS case_id",
        {"i": complaint_id, "cv": complaint_version, "v": case_version, "n": note},
        action=CaseEventAction.REOPEN_FOR_COMPLAINT,
    ).one()
    return int(row.version), _changed(complaint_id, int(row.case_id))


def reopenable_complaints(session: Session, case_id: CaseId) -> list[Complaint]:
    """The complaints of a closed case that a 不满意 callback lets the shift leader reopen
    it for (empty when the case is not closed)."""
    state = session.execute(
        text("SELECT state FROM cases WHERE id = :c"), {"c": case_id}
    ).scalar_one_or_none()
    if state != State.CLOSED:
        return []
    return [
        c
        for c in complaints_of_case(session, case_id)
        if c.state is ComplaintState.CALLED_BACK
        and c.callback_satisfaction is Satisfaction.DISSATISFIED
    ]
