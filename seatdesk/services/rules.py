"""The centre's rules as the administrator edits them: the catalogue's classes and
filing conditions, the centre's stage limits per urgency, the warning threshold and the
audit of every change (migration 0030).

Every write is a call of a database function that checks the admin role, the values
and locks what it decides on; a row trigger audits it in ``rules_events`` and the
tables announce themselves as ``catalogue`` or ``calendar`` change notices. Office hours
and the calendar are ``seatdesk.services.calendar``'s; the Open311 mapping is
``seatdesk.services.intake``'s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.db.models import Category, CentreSetting, FilingCondition, TimeLimit
from seatdesk.domain.calendar import OfficeHours
from seatdesk.domain.glossary import CENTRE_STAGES, CaseType, Stage, TimeUnit, Urgency
from seatdesk.errors import ValidationError
from seatdesk.services.common import ChangeSet, require_admin
from seatdesk.services.deadlines import changes_of

CATALOGUE = ChangeSet(entities=frozenset({"catalogue"}))
#: The warning threshold's default (``seatdesk.services.deadlines.load_rules``).
DEFAULT_WARNING_SHARE = Decimal("0.8")


@dataclass(frozen=True, slots=True)
class ClassRow:
    """A major class (``major_code`` None) or a minor class, active or not."""

    id: int
    case_type: CaseType
    code: str
    name: str
    major_code: str | None
    active: bool
    conditions: int


def classes(session: Session, case_type: CaseType) -> list[ClassRow]:
    """Every class of one catalogue, deactivated ones too, majors before their minors."""
    major = aliased(Category)
    count = (
        select(func.count()).where(FilingCondition.category_id == Category.id)
        .correlate(Category).scalar_subquery()
    )
    rows = session.execute(
        select(Category.id, Category.code, Category.name, major.code, Category.active, count)
        .outerjoin(major, major.id == Category.parent_id)
        .where(Category.case_type == case_type.value)
        .order_by(Category.code)
    ).all()
    return [ClassRow(r[0], case_type, r[1], r[2], r[3], bool(r[4]), int(r[5])) for r in rows]


def save_class(session: Session, *, case_type: CaseType, code: str, name: str,
               major_code: str | None = None, active: bool | None = None) -> ChangeSet:
    """Add or rename a class (a minor one under ``major_code``); ``active`` False
    deactivates it (a major class with its minors), True reactivates, None keeps."""
    require_admin(session, "catalogue")
    call(session, "SELECT seatdesk_save_class(:t, :c, :n, :m, :a)",
         {"t": case_type.value, "c": code, "n": name, "m": major_code, "a": active},
         action="catalogue_edit")
    return CATALOGUE


def save_condition(session: Session, *, category_id: int, seq: int | None, description: str,
                   amount: Decimal, unit: TimeUnit, closing: str, handling: str,
                   supervising: str | None) -> ChangeSet:
    """Add (``seq`` None: the next one) or edit a filing condition of a minor class."""
    require_admin(session, "catalogue")
    call(session, "SELECT seatdesk_save_filing_condition(:c, :s, :d, :a, :u, :cl, :h, :sv)",
         {"c": category_id, "s": seq, "d": description, "a": amount, "u": unit.value,
          "cl": closing, "h": handling, "sv": supervising},
         action="catalogue_edit")
    return CATALOGUE


@dataclass(frozen=True, slots=True)
class StageLimit:
    stage: Stage
    urgency: Urgency
    amount: Decimal | None
    unit: TimeUnit | None


def stage_limits(session: Session) -> list[StageLimit]:
    """The centre's limit of each of its stages and urgencies (None: not set)."""
    have = {
        (r.stage, r.urgency): r
        for r in session.execute(select(TimeLimit)).scalars()
    }
    out = []
    for stage in CENTRE_STAGES:
        for urgency in Urgency:
            row = have.get((stage.value, urgency.value))
            out.append(StageLimit(stage, urgency, None if row is None else Decimal(row.amount),
                                  None if row is None else TimeUnit(row.unit)))
    return out


def set_stage_limit(session: Session, stage: Stage, urgency: Urgency, amount: Decimal,
                    unit: TimeUnit) -> ChangeSet:
    """One of the centre's stage limits; stages started from now take it."""
    require_admin(session, "time limits")
    call(session, "SELECT seatdesk_set_time_limit(:s, :u, :a, :n)",
         {"s": stage.value, "u": urgency.value, "a": amount, "n": unit.value},
         action="time_limit")
    return CATALOGUE


@dataclass(frozen=True, slots=True)
class WorkingRules:
    """The settings of working time the admin edits beside the stage limits."""

    warning_share: Decimal
    warning_remainder_minutes: int
    office_hours: OfficeHours


def working_rules(session: Session) -> WorkingRules:
    settings: dict[str, Any] = {
        key: value
        for key, value in session.execute(select(CentreSetting.key, CentreSetting.value)).all()
    }
    office = settings.get("office_hours")
    return WorkingRules(
        warning_share=Decimal(str(settings.get("warning_share", DEFAULT_WARNING_SHARE))),
        warning_remainder_minutes=int(settings.get("warning_remainder_minutes", 0)),
        office_hours=OfficeHours.from_json(office) if office else OfficeHours(),
    )


@dataclass(frozen=True, slots=True)
class RulesEvent:
    """One audited change of the centre's rules (``subject``: the table)."""

    at: datetime
    actor: str
    subject: str
    action: str
    key: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def rules_events(session: Session, subjects: tuple[str, ...] = (),
                 limit: int = 200, *, key: str | None = None) -> list[RulesEvent]:
    """The newest audited changes of the rules, of some tables or of all, of one row
    (``key``, e.g. a grid's code) or of all (admin only: the table is granted to the
    admin group)."""
    rows = session.execute(
        text("SELECT at, actor, subject, action, key, old_row, new_row FROM rules_events "
             "WHERE (cardinality(CAST(:s AS text[])) = 0 OR subject = ANY (CAST(:s AS text[]))) "
             "AND (CAST(:k AS text) IS NULL OR key = :k) "
             "ORDER BY id DESC LIMIT :n"),
        {"s": list(subjects), "k": key, "n": limit},
    ).all()
    return [RulesEvent(*r) for r in rows]


def parse_office_periods(weekday: int, value: str) -> list[list[str]]:
    """``"08:30-12:00, 14:00-17:30"`` as stored office periods of one weekday (empty:
    none of its own); ``ValidationError`` naming the office hours otherwise. The
    database checks the order and overlaps again."""
    out: list[list[str]] = []
    for part in value.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in part.replace("–", "-").replace("~", "-").split("-")]
        try:
            # "9:00" as well as "09:00" (fromisoformat wants two digits).
            start, end = (time.fromisoformat(p.zfill(5)) for p in pieces)
        except ValueError:
            raise ValidationError("office_hours", "not_a_period",
                                  value=part, weekday=weekday + 1) from None
        if not start < end:
            raise ValidationError("office_hours", "not_a_period", value=part,
                                  weekday=weekday + 1)
        out.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return out


def office_hours_of(texts: list[str]) -> OfficeHours:
    """Seven weekdays' texts (Monday first) as office hours."""
    return OfficeHours.from_json(
        {str(wd): parse_office_periods(wd, t) for wd, t in enumerate(texts) if t.strip()}
    )


def save_working_rules(session: Session, *, warning_share: Decimal,
                       warning_remainder_minutes: int, office_hours: OfficeHours) -> ChangeSet:
    """The warning threshold and the office hours, each through
    ``seatdesk_set_centre_setting`` (checked, audited, the open deadlines recomputed)."""
    require_admin(session, "centre settings")
    ids: list[int] = []
    for key, value in (("warning_share", float(warning_share)),
                       ("warning_remainder_minutes", warning_remainder_minutes),
                       ("office_hours", office_hours.to_json())):
        # Through call(): a refusal becomes one sentence for the widget.
        ids += call(session, "SELECT seatdesk_set_centre_setting(:k, CAST(:v AS jsonb))",
                    {"k": key, "v": json.dumps(value)},
                    action="centre_settings").scalar_one()
    return changes_of(ids) | ChangeSet(entities=frozenset({"calendar"}))


#: The fields of a rule's row worth showing in the audit, per table (the rest is
#: bookkeeping: ids, who and when).
_SHOWN: dict[str, tuple[str, ...]] = {
    "categories": ("case_type", "code", "name", "active"),
    "filing_conditions": ("seq", "description", "limit_amount", "limit_unit",
                          "handling_department_code", "supervising_department_code"),
    "time_limits": ("stage", "urgency", "amount", "unit"),
    "open311_services": ("service_code", "category_id"),
    "calendar_days": ("day", "working", "name", "local"),
    "calendar_years": ("year", "note"),
    "centre_settings": ("key", "value"),
    "grids": ("code", "name", "start_date", "end_date", "note"),
}


def describe_event(event: RulesEvent) -> str:
    """What an audited change did, in one line: the fields that changed, old → new (all
    shown fields of a row added or removed)."""
    fields = _SHOWN.get(event.subject, ())
    old, new = event.old or {}, event.new or {}

    def name(field: str) -> str:  # in the reader's language
        return messages.t(f"rules.audit_field.{field}")

    def value(v: Any) -> str:  # an empty field as a dash, not Python's None
        return "—" if v is None or v == "" else str(v)

    if event.action == "update":
        parts = [f"{name(f)}: {value(old.get(f))} → {value(new.get(f))}" for f in fields
                 if old.get(f) != new.get(f)]
    else:
        row = new if event.action == "insert" else old
        parts = [f"{name(f)}: {row.get(f)}" for f in fields if row.get(f) not in (None, "")]
    return "; ".join(parts)
