"""Staff assessment (考核): what a manager records, reverses, is suggested and reads.

The rules, the arithmetic and the words are ``seatdesk.domain.assessment``; the database
(migration 0032) keeps the entries append-only and computes the month's ranking
set-based (``seatdesk_assessment_ranking``): each write here is one call of its
functions, which check the caller's role (admin or inspector record; the shift leader
also reads), lock what they decide on and keep who did it and when. A correction is a
new entry reversing an old one, never an edit.

Collectors are the register's (``seatdesk.services.collectors``, migration 0031; the
foreign keys of migration 0034): its active collectors are ranked, and so is one
deactivated since in the months they held a grid or were sent a task.

Suggested entries (``suggest``) come from the statistics' own counters: a seat user's
受理/立案/派遣/结案 steps past their deadline (``case_milestones``); a collector's
verify/check tasks answered late or still open past their deadline (``collector_tasks``,
行动迟缓 −2); and, for a month that has ended, a collector holding grids that were not
covered to their patrol density (the coverage of ``collector_reports``: 隐瞒问题未向公司
上报 −4, counter ``uncovered_grids``). They wait for the manager, who accepts (an entry
is made) or dismisses them (not offered again); nothing is applied by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NewType

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.assessment import DEFAULT_BASE, DEFAULT_BOTTOM_N
from seatdesk.domain.glossary import AssessmentAction, RuleSection, RuleUnit, StaffKind
from seatdesk.domain.statistics import Month
from seatdesk.services.common import ChangeSet

EntryId = NewType("EntryId", int)
SuggestionId = NewType("SuggestionId", int)

#: What every assessment write changed, as the desk hears it (the notice's entity).
CHANGES = ChangeSet(entities=frozenset({"assessment"}))


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One rule of the table as the entry dialog offers it."""

    code: str
    section: RuleSection
    points: Decimal
    multiplier: Decimal
    unit: RuleUnit
    monthly_cap: Decimal | None
    title_zh: str
    title_en: str

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass(frozen=True, slots=True)
class Staff:
    """A member of staff who can be assessed."""

    kind: StaffKind
    staff_id: str
    name: str


@dataclass(frozen=True, slots=True)
class RankRow:
    """One member's month: points off and on, the score, the rank (ties share it), at the
    bottom this month and the month before, and so under the elimination rule."""

    kind: StaffKind
    staff_id: str
    name: str
    deductions: Decimal
    additions: Decimal
    entries: int
    score: Decimal
    rank: int
    bottom: bool
    bottom_before: bool
    eliminate: bool


@dataclass(frozen=True, slots=True)
class Entry:
    """One recorded entry (a reversal has ``reverses`` and the opposite points)."""

    entry_id: EntryId
    month: date
    kind: StaffKind
    staff_id: str
    rule: str
    count: Decimal
    points: Decimal
    occurred_on: date
    reason: str
    reverses: EntryId | None
    reversed_by: EntryId | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An entry the data suggest, with the counter that suggests it."""

    suggestion_id: SuggestionId
    month: date
    kind: StaffKind
    staff_id: str
    name: str
    rule: str
    count: Decimal
    counter: str
    value: int
    decided: bool
    accepted: bool | None


@dataclass(frozen=True, slots=True)
class Settings:
    """The centre's assessment settings: the base and the bottom's size (a number of
    places, or a share of the staff when ``bottom_share`` is set)."""

    base: Decimal = DEFAULT_BASE
    bottom_n: int | None = DEFAULT_BOTTOM_N
    bottom_share: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        whole = self.base == self.base.to_integral_value()
        out: dict[str, Any] = {"base": int(self.base) if whole else float(self.base)}
        if self.bottom_share is not None:
            out["bottom_share"] = float(self.bottom_share)
        elif self.bottom_n is not None:
            out["bottom_n"] = self.bottom_n
        return out


@dataclass(frozen=True, slots=True)
class MonthView:
    """What the desk shows of a month: the ranking, the pending suggestions, and the
    choices of the entry dialog."""

    ranking: list[RankRow]
    suggestions: list[Suggestion]
    staff: list[Staff]
    rules: list[RuleRow]
    entries: list[Entry]


# ---- reads


def month_view(session: Session, month: Month) -> MonthView:
    """The month as the desk shows it, read in one transaction."""
    return MonthView(ranking(session, month), suggestions(session, month), staff(session),
                     rules(session), entries(session, month))


def rules(session: Session) -> list[RuleRow]:
    """The active rules, in the document's order."""
    rows = session.execute(text(
        "SELECT code, section, points, multiplier, unit, monthly_cap, title_zh, title_en "
        "FROM assessment_rules WHERE active ORDER BY position"
    )).all()
    return [RuleRow(r[0], RuleSection(r[1]), r[2], r[3], RuleUnit(r[4]), r[5], r[6], r[7])
            for r in rows]


def staff(session: Session) -> list[Staff]:
    """Who can be assessed: the active seat users of the centre's roles and the active
    collectors of the register, by name."""
    rows = session.execute(text("""
        SELECT 'user', login::text, display_name::text FROM users
        WHERE active AND roles && ARRAY['acceptor', 'shift_leader', 'dispatcher',
                                        'inspector', 'monitor']::text[]
        UNION
        SELECT 'collector', collector_id, name FROM collectors WHERE active
        ORDER BY 1 DESC, 2
    """)).all()
    return [Staff(StaffKind(r[0]), r[1], r[2] or r[1]) for r in rows]


def ranking(session: Session, month: Month) -> list[RankRow]:
    """The month's ranking, best first."""
    rows = call(
        session, "SELECT * FROM seatdesk_assessment_ranking(:m)", {"m": month.first_day},
        action=AssessmentAction.RANKING,
    ).all()
    return [
        RankRow(StaffKind(r.staff_kind), r.staff_id, r.display_name or r.staff_id,
                r.deductions, r.additions, int(r.entries), r.score, int(r.rank), r.bottom,
                r.bottom_before, r.eliminate)
        for r in rows
    ]


def entries(session: Session, month: Month) -> list[Entry]:
    """The month's entries, oldest first (through row-level security)."""
    rows = session.execute(text("""
        SELECT e.id, e.month, e.staff_kind, e.staff_id, e.rule_code, e.count, e.points,
               e.occurred_on, e.reason, e.reverses, r.id, e.recorded_by, e.recorded_at
        FROM assessment_entries e
        LEFT JOIN assessment_entries r ON r.reverses = e.id
        WHERE e.month = :m ORDER BY e.id
    """), {"m": month.first_day}).all()
    return [
        Entry(EntryId(r[0]), r[1], StaffKind(r[2]), r[3], r[4], r[5], r[6], r[7], r[8],
              None if r[9] is None else EntryId(r[9]),
              None if r[10] is None else EntryId(r[10]), r[11], r[12])
        for r in rows
    ]


def suggestions(session: Session, month: Month, *, pending_only: bool = True
                ) -> list[Suggestion]:
    """The month's suggestions (only those still waiting for a decision by default)."""
    rows = session.execute(text(f"""
        SELECT s.id, s.month, s.staff_kind, s.staff_id,
               coalesce(u.display_name::text, k.name, s.staff_id), s.rule_code, s.count, s.counter,
               s.value, d.suggestion_id IS NOT NULL, d.accepted
        FROM assessment_suggestions s
        LEFT JOIN assessment_decisions d ON d.suggestion_id = s.id
        LEFT JOIN users u ON s.staff_kind = 'user' AND u.login = s.staff_id
        LEFT JOIN collectors k ON s.staff_kind = 'collector' AND k.collector_id = s.staff_id
        WHERE s.month = :m {"AND d.suggestion_id IS NULL" if pending_only else ""}
        ORDER BY s.id
    """), {"m": month.first_day}).all()
    return [
        Suggestion(SuggestionId(r[0]), r[1], StaffKind(r[2]), r[3], r[4], r[5], r[6], r[7],
                   int(r[8]), bool(r[9]), r[10])
        for r in rows
    ]


def read_settings(session: Session) -> Settings:
    """The centre's settings (the defaults where none are set)."""
    value = session.execute(
        text("SELECT value FROM centre_settings WHERE key = 'assessment'")
    ).scalar_one_or_none() or {}
    share = value.get("bottom_share")
    return Settings(
        base=Decimal(str(value.get("base", DEFAULT_BASE))),
        bottom_n=value.get("bottom_n", None if share is not None else DEFAULT_BOTTOM_N),
        bottom_share=None if share is None else Decimal(str(share)),
    )


# ---- writes (each one call of the database's functions)


def record(
    session: Session, *, kind: StaffKind, staff_id: str, rule: str, count: Decimal | int,
    occurred_on: date, reason: str,
) -> EntryId:
    """Record one rule applied ``count`` times to a member of staff on ``occurred_on``
    (the entry counts in that day's month)."""
    entry = call(
        session, "SELECT seatdesk_assessment_record(:k, :s, :r, :c, :d, :why)",
        {"k": kind.value, "s": staff_id, "r": rule, "c": Decimal(count), "d": occurred_on,
         "why": reason},
        action=AssessmentAction.RECORD,
    ).scalar_one()
    return EntryId(int(entry))


def reverse(session: Session, *, entry_id: EntryId, reason: str) -> EntryId:
    """Reverse an entry with a new one of the opposite points (once per entry)."""
    entry = call(
        session, "SELECT seatdesk_assessment_reverse(:e, :why)",
        {"e": entry_id, "why": reason}, action=AssessmentAction.REVERSE,
    ).scalar_one()
    return EntryId(int(entry))


def suggest(session: Session, month: Month) -> int:
    """Ask the data for the month's suggestions; how many new ones were offered (one
    already offered, decided or not, is not offered again)."""
    n = call(
        session, "SELECT seatdesk_assessment_suggest(:m)", {"m": month.first_day},
        action=AssessmentAction.SUGGEST,
    ).scalar_one()
    return int(n)


def decide(session: Session, *, suggestion_id: SuggestionId, accept: bool,
           reason: str = "") -> EntryId | None:
    """Accept (an entry is recorded; its reason is the counter unless one is given) or
    dismiss a suggestion; the entry made, if any."""
    entry = call(
        session, "SELECT seatdesk_assessment_decide(:s, :a, :why)",
        {"s": suggestion_id, "a": accept, "why": reason}, action=AssessmentAction.DECIDE,
    ).scalar_one()
    return None if entry is None else EntryId(int(entry))


def set_settings(session: Session, settings: Settings) -> None:
    """Change the centre's settings (admin; audited)."""
    call(
        session, "SELECT seatdesk_set_assessment_settings(CAST(:v AS jsonb))",
        {"v": json.dumps(settings.as_json())}, action=AssessmentAction.SETTINGS,
    )
