"""Supervision (督查): what the inspector watches and does.

- the cases near or past their deadline (the sweep's flags, ``cases.deadline_status``),
  counted per department, and their keyset-paged list (``late_query`` is a
  ``QueueQuery`` that ``seatdesk.services.queues`` pages);
- 督办: one case (``seatdesk_urge``, migration 0007) or every overdue case of one
  department at once, in one transaction (``seatdesk_urge_department``, 0024);
- the handled cases waiting for a check request, which the inspector may send as the
  acceptor does (the workflow table: (handled, request_check));
- the random callback sample of replied complaints (随机回访抽查, 0024): drawn once per
  period by the database, at the share of ``StatsSettings.callback_sample_share``,
  stored with who drew it, when, the population and the seed.

Every read runs as the seat's own login, through row-level security; personal data of
complainants never appears here (only the masked name).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NewType

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.glossary import (
    FINAL_STATES,
    ComplaintChannel,
    ComplaintState,
    DeadlineStatus,
    Role,
    Satisfaction,
    SupervisionAction,
)
from seatdesk.services import cases
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.complaints import ComplaintId
from seatdesk.services.queues import QueueQuery, SortKey

SampleId = NewType("SampleId", int)

_RANK = "(CASE c.deadline_status WHEN 'overdue' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)"
_FINAL = ", ".join(f"'{s.value}'" for s in sorted(FINAL_STATES))


@dataclass(frozen=True, slots=True)
class DepartmentLate:
    """One department's cases near (``warning``) and past (``overdue``) the deadline.
    ``code`` is None for the open cases that no department holds (still at the centre)."""

    code: str | None
    name: str | None
    warning: int
    overdue: int

    @property
    def total(self) -> int:
        return self.warning + self.overdue


@dataclass(frozen=True, slots=True)
class SampleItem:
    """One complaint of a callback sample, as the inspector may read it (masked)."""

    rank: int
    complaint_id: ComplaintId
    number: str
    channel: ComplaintChannel
    complainant_masked: str | None
    content: str
    replied_at: datetime | None
    state: ComplaintState
    callback_reached: bool | None
    callback_satisfaction: Satisfaction | None
    called_back_at: datetime | None


@dataclass(frozen=True, slots=True)
class CallbackSample:
    """A draw: the period, the share and population it was drawn at, who drew it and
    when, the seed that orders it, and the complaints drawn (in their rank order)."""

    id: SampleId
    period_from: date
    period_to: date
    share: Decimal
    population: int
    seed: str
    drawn_by: str
    drawn_at: datetime
    items: tuple[SampleItem, ...]

    @property
    def called_back(self) -> int:
        return sum(1 for i in self.items if i.state is ComplaintState.CALLED_BACK)


def sample_size(share: float | Decimal, population: int) -> int:
    """How many complaints a draw takes: the share of the population, rounded up (a
    period with any replied complaint gets at least one callback)."""
    return math.ceil(Decimal(str(share)) * population)


# ---- Late cases


def late_by_department(session: Session) -> list[DepartmentLate]:
    """The open cases the sweep flagged, per department, the most overdue first."""
    rows = session.execute(
        text(
            f"""
            SELECT c.current_department, d.name,
                   count(*) FILTER (WHERE c.deadline_status = 'warning'),
                   count(*) FILTER (WHERE c.deadline_status = 'overdue')
            FROM cases c
            LEFT JOIN departments d ON d.code = c.current_department
            -- The rank of the index ix_cases_open_urgent, written as it is indexed: the
            -- late open cases are one range of it, however many cases are closed.
            WHERE {_RANK} < 2 AND c.state NOT IN ({_FINAL})
            GROUP BY c.current_department, d.name
            ORDER BY 4 DESC, 3 DESC, c.current_department NULLS LAST
            """
        )
    ).all()
    return [DepartmentLate(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


def late_query(
    department: str | None = None, status: DeadlineStatus | None = None
) -> QueueQuery:
    """The late cases of one department (None: every department), overdue first, each
    by its deadline; ``status`` narrows to the yellow or the red ones."""
    return QueueQuery(
        department=department,
        late=status is None,
        deadline_status=status,
        sort=SortKey.URGENT,
    )


def awaiting_check_query() -> QueueQuery:
    """The handled cases waiting for a check request (the inspector's queue in the
    workflow table), the oldest deadline first."""
    return QueueQuery(role=Role.INSPECTOR, sort=SortKey.DEADLINE)


# ---- 督办


def urge_case(session: Session, *, case_id: CaseId, note: str) -> ChangeSet:
    """督办 one case: recorded and announced, the case itself does not change."""
    return cases.urge(session, case_id=case_id, note=note)


@dataclass(frozen=True, slots=True)
class DepartmentUrged:
    """What urging a department did: how many cases were urged."""

    department: str
    urged: int
    changes: ChangeSet


def urge_department(session: Session, *, department: str, note: str) -> DepartmentUrged:
    """督办 every overdue open case of ``department`` with one note, in one transaction:
    all of them or (on any refusal) none."""
    n = call(
        session,
        "SELECT seatdesk_urge_department(:department, :note)",
        {"department": department, "note": note},
        action=SupervisionAction.URGE_DEPARTMENT,
    ).scalar_one()
    # The cases are many and named by the events' own notice; the desk reloads its lists.
    changes = ChangeSet(entities=frozenset({"cases"})) if n else ChangeSet()
    return DepartmentUrged(department=department, urged=int(n), changes=changes)


# ---- 随机回访抽查


def draw_sample(session: Session, *, period_from: date, period_to: date) -> SampleId:
    """Draw the callback sample of complaints replied within the period (centre days,
    both included). A period already drawn gives its first draw back."""
    sample_id = call(
        session,
        "SELECT seatdesk_draw_callback_sample(:f, :t)",
        {"f": period_from, "t": period_to},
        action=SupervisionAction.DRAW_SAMPLE,
    ).scalar_one()
    return SampleId(int(sample_id))


def find_sample(session: Session, *, period_from: date, period_to: date) -> CallbackSample | None:
    """The draw of exactly this period, if one was made."""
    sample_id = session.execute(
        text("SELECT id FROM callback_samples WHERE period_from = :f AND period_to = :t"),
        {"f": period_from, "t": period_to},
    ).scalar_one_or_none()
    return None if sample_id is None else get_sample(session, SampleId(int(sample_id)))


def recent_samples(session: Session, limit: int = 24) -> list[tuple[SampleId, date, date]]:
    """The latest draws (id, period), newest period first."""
    rows = session.execute(
        text(
            "SELECT id, period_from, period_to FROM callback_samples "
            "ORDER BY period_from DESC, period_to DESC, id DESC LIMIT :n"
        ),
        {"n": limit},
    ).all()
    return [(SampleId(int(r[0])), r[1], r[2]) for r in rows]


def get_sample(session: Session, sample_id: SampleId) -> CallbackSample | None:
    head = session.execute(
        text(
            "SELECT id, period_from, period_to, share, population, seed, drawn_by, drawn_at "
            "FROM callback_samples WHERE id = :i"
        ),
        {"i": sample_id},
    ).one_or_none()
    if head is None:
        return None
    rows = session.execute(
        text(
            """
            SELECT i.rank, k.id, k.number, k.channel, k.complainant_masked, k.content,
                   k.replied_at, k.state, k.callback_reached, k.callback_satisfaction,
                   k.called_back_at
            FROM callback_sample_items i
            JOIN complaints k ON k.id = i.complaint_id
            WHERE i.sample_id = :i
            ORDER BY i.rank
            """
        ),
        {"i": sample_id},
    ).all()
    items = tuple(
        SampleItem(
            rank=int(r[0]),
            complaint_id=ComplaintId(int(r[1])),
            number=r[2],
            channel=ComplaintChannel(r[3]),
            complainant_masked=r[4],
            content=r[5],
            replied_at=r[6],
            state=ComplaintState(r[7]),
            callback_reached=r[8],
            callback_satisfaction=Satisfaction(r[9]) if r[9] else None,
            called_back_at=r[10],
        )
        for r in rows
    )
    return CallbackSample(
        id=SampleId(int(head[0])),
        period_from=head[1],
        period_to=head[2],
        share=Decimal(head[3]),
        population=int(head[4]),
        seed=head[5],
        drawn_by=head[6],
        drawn_at=head[7],
        items=items,
    )
