"""The reference data: departments, the 部件/事件 catalogue and its filing conditions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, aliased

from seatdesk.db.models import Category, Department, FilingCondition
from seatdesk.domain.glossary import CaseType, TimeUnit
from seatdesk.domain.limits import parse_limit


def default_catalogue() -> dict[str, Any]:
    """The catalogue that ships with seatdesk (the demo county's)."""
    text = resources.files("seatdesk.data").joinpath("catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_catalogue(session: Session, data: dict[str, Any]) -> None:
    """Insert or update departments, classes and filing conditions from ``data``.

    Upserts keyed on the codes, so loading the same file twice changes nothing.
    """
    for d in data["departments"]:
        session.execute(
            pg_insert(Department)
            .values(code=d["code"], name=d["name"], contact=d.get("contact"))
            .on_conflict_do_update(
                index_elements=[Department.code],
                set_={"name": d["name"], "contact": d.get("contact")},
            )
        )
    for major in data["classes"]:
        major_id = _upsert_class(session, major["type"], major["code"], major["name"], None)
        for minor in major["minors"]:
            minor_id = _upsert_class(
                session, major["type"], minor["code"], minor["name"], major_id
            )
            for seq, cond in enumerate(minor["conditions"], start=1):
                amount, unit = parse_limit(cond["limit"])
                values = {
                    "description": cond["description"],
                    "limit_amount": amount,
                    "limit_unit": unit.value,
                    "closing_condition": cond["closing"],
                    "handling_department_code": cond["department"],
                    "supervising_department_code": cond.get("supervisor"),
                }
                session.execute(
                    pg_insert(FilingCondition)
                    .values(category_id=minor_id, seq=seq, **values)
                    .on_conflict_do_update(
                        index_elements=[FilingCondition.category_id, FilingCondition.seq],
                        set_=values,
                    )
                )


def _upsert_class(
    session: Session, case_type: str, code: str, name: str, parent_id: int | None
) -> int:
    new_id: int = session.execute(
        pg_insert(Category)
        .values(case_type=case_type, code=code, name=name, parent_id=parent_id)
        .on_conflict_do_update(
            index_elements=[Category.case_type, Category.code],
            set_={"name": name, "parent_id": parent_id},
        )
        .returning(Category.id)
    ).scalar_one()
    return new_id


@dataclass(frozen=True, slots=True)
class DepartmentInfo:
    code: str
    name: str
    contact: str | None


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """A minor class with its major class, for pickers that search names and codes."""

    id: int
    case_type: CaseType
    code: str
    name: str
    major_code: str
    major_name: str


@dataclass(frozen=True, slots=True)
class FilingConditionInfo:
    id: int
    category_id: int
    seq: int
    description: str
    limit_amount: Decimal
    limit_unit: TimeUnit
    closing_condition: str
    handling_department: str
    supervising_department: str | None


def departments(session: Session) -> list[DepartmentInfo]:
    rows = session.execute(
        select(Department.code, Department.name, Department.contact)
        .where(Department.active)
        .order_by(Department.code)
    ).all()
    return [DepartmentInfo(r.code, r.name, r.contact) for r in rows]


def minor_categories(session: Session) -> list[CategoryInfo]:
    major = aliased(Category)
    rows = session.execute(
        select(
            Category.id,
            Category.case_type,
            Category.code,
            Category.name,
            major.code.label("major_code"),
            major.name.label("major_name"),
        )
        .join(major, major.id == Category.parent_id)
        .where(Category.active)
        .order_by(Category.case_type, Category.code)
    ).all()
    return [
        CategoryInfo(r.id, CaseType(r.case_type), r.code, r.name, r.major_code, r.major_name)
        for r in rows
    ]


def filing_conditions(session: Session, category_id: int) -> list[FilingConditionInfo]:
    rows = session.execute(
        select(FilingCondition)
        .where(FilingCondition.category_id == category_id)
        .order_by(FilingCondition.seq)
    ).scalars()
    return [
        FilingConditionInfo(
            id=f.id,
            category_id=f.category_id,
            seq=f.seq,
            description=f.description,
            limit_amount=f.limit_amount,
            limit_unit=TimeUnit(f.limit_unit),
            closing_condition=f.closing_condition,
            handling_department=f.handling_department_code,
            supervising_department=f.supervising_department_code,
        )
        for f in rows
    ]


# ---- Searching the catalogue


#: How well a category matches a query, best first (``rank_categories``).
MATCH_EXACT, MATCH_PREFIX, MATCH_SUBSTRING = 0, 1, 2


def category_match(query: str, category: CategoryInfo) -> int | None:
    """How ``category`` matches ``query`` (``MATCH_EXACT``: the query is its code or its
    name; ``MATCH_PREFIX``: its code or name starts with it; ``MATCH_SUBSTRING``: its
    code, name or major class name contains it), or None when it does not match.
    Case and surrounding spaces are ignored."""
    q = query.strip().casefold()
    if not q:
        return None
    code, name = category.code.casefold(), category.name.casefold()
    if q in (code, name):
        return MATCH_EXACT
    if code.startswith(q) or name.startswith(q):
        return MATCH_PREFIX
    if q in code or q in name or q in category.major_name.casefold():
        return MATCH_SUBSTRING
    return None


def rank_categories(
    query: str, categories: Iterable[CategoryInfo], *, limit: int | None = None
) -> list[CategoryInfo]:
    """The categories matching ``query``, best first: an exact code or name, then a code
    or name that starts with it, then one that contains it ("路灯" puts 0118 路灯 before
    0106 路灯井盖; "0102" puts 0102 first). Within a rank the catalogue's order (type,
    code) holds. An empty query matches nothing."""
    scored = [
        (rank, i, c)
        for i, c in enumerate(categories)
        if (rank := category_match(query, c)) is not None
    ]
    scored.sort(key=lambda t: (t[0], t[1]))
    found = [c for _, _, c in scored]
    return found if limit is None else found[:limit]
