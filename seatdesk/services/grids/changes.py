"""Changing the grids: an import applied all or nothing, a grid ended, a grid replaced
by new ones. Each checks through ``plan`` first and writes nothing if any problem is
found (``InvalidGrids``, ``GridNotChanged``).

Each change is one call of the database's ``seatdesk_change_grids`` (migration 0037),
which only an admin seat or the owner's side may make.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain import grids as rules
from seatdesk.progress import NoProgress, Progress
from seatdesk.services.common import ChangeSet
from seatdesk.services.grids.index import forget_indexes
from seatdesk.services.grids.plan import ImportPlan, StoredGrid, plan_import
from seatdesk.services.grids.records import (
    GRIDS_CHANGED,
    GridNotChanged,
    ImportReport,
    InvalidGrids,
)

# ---- The stored grids


def _stored(session: Session) -> dict[str, StoredGrid]:
    rows = session.execute(text(
        "SELECT code, name, note, polygon::text, start_date, end_date FROM grids ORDER BY code"
    )).all()
    if not rows:
        return {}
    geoms = shapely.normalize(shapely.from_geojson([r[3] for r in rows]))
    return {
        r[0]: StoredGrid(r[0], r[1], r[2], g, r[4], r[5])
        for r, g in zip(rows, geoms, strict=True)
    }


def _today(session: Session) -> date:
    return session.execute(text("SELECT current_date")).scalar_one()  # type: ignore[no-any-return]


# ---- Importing


def import_grids(
    session: Session,
    data: Mapping[str, Any],
    *,
    check_only: bool = False,
    tolerance_m2: float = rules.DEFAULT_TOLERANCE_M2,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the grids of a FeatureCollection against each other and against the
    grids already stored, then add the new ones, end the ones given an end date and
    rename the ones given a new name; nothing at all if any grid has a problem
    (``InvalidGrids``). Features without a code but with a ``community_code`` get the
    next codes of their community, numbered west→east, north→south.

    Needs the privilege to write grids (the schema owner or an admin seat).
    """
    progress = progress or NoProgress()
    progress.start(4)
    progress.status("parse")
    today = _today(session)
    stored = _stored(session)
    plan = plan_import(data, stored, today, tolerance_m2, progress)
    if plan.problems:
        raise InvalidGrids(plan.problems, plan.warnings)
    progress.status("write")
    if not check_only:
        _apply(session, plan)
    progress.advance()
    return ImportReport(
        checked=plan.checked,
        added=tuple(g.code for g in plan.insert),
        ended=tuple(c for c, _ in plan.end),
        renamed=tuple(c for c, _, _ in plan.rename),
        unchanged=plan.unchanged,
        warnings=tuple(plan.warnings),
        applied=not check_only,
        changes=ChangeSet() if check_only else GRIDS_CHANGED,
    )


def _apply(session: Session, plan: ImportPlan) -> None:
    added = [
        {
            "code": g.code,
            "name": g.name,
            "polygon": rules.polygon_to_geojson(g.polygon),
            "area_m2": round(rules.area_m2(g.polygon), 2),
            "start_date": g.start_date.isoformat(),
            "end_date": g.end_date.isoformat() if g.end_date else None,
            "note": g.note,
        }
        for g in plan.insert
    ]
    ended = [{"code": c, "end_date": d.isoformat()} for c, d in plan.end]
    renamed = [{"code": c, "name": n, "note": note} for c, n, note in plan.rename]
    _change(session, added=added, ended=ended, renamed=renamed)


def _change(session: Session, *, added: Sequence[Mapping[str, Any]] = (),
            ended: Sequence[Mapping[str, Any]] = (),
            renamed: Sequence[Mapping[str, Any]] = ()) -> None:
    """One call of ``seatdesk_change_grids`` (migration 0037: an admin seat or the
    owner's side; the grids it ends or renames locked and checked again; every row
    audited in ``rules_events``)."""
    call(
        session,
        "SELECT seatdesk_change_grids(CAST(:added AS jsonb), CAST(:ended AS jsonb), "
        "CAST(:renamed AS jsonb))",
        {"added": json.dumps(list(added), ensure_ascii=False),
         "ended": json.dumps(list(ended)),
         "renamed": json.dumps(list(renamed), ensure_ascii=False)},
        action="grids",
    )
    forget_indexes()


# ---- Changing one grid


def retire_grid(session: Session, *, code: str, on: date) -> ChangeSet:
    """End ``code`` on ``on`` (the first day it no longer applies), leaving a hole that
    the map and the checks will show until a new grid covers it."""
    _grid_to_end(session, code, on, may_end_on_start=True)
    _change(session, ended=[{"code": code, "end_date": on.isoformat()}])
    return GRIDS_CHANGED


def replace_grid(
    session: Session,
    *,
    code: str,
    geometries: Sequence[Mapping[str, Any]],
    on: date,
    names: Sequence[str] | None = None,
    tolerance_m2: float = rules.DEFAULT_TOLERANCE_M2,
) -> tuple[list[str], ChangeSet]:
    """End grid ``code`` on ``on`` and put one or more new grids (a changed boundary,
    or a split) in its place from that day, with the next codes of its community.

    The new grids go through every import check against the grids active from ``on``.
    """
    row = _grid_to_end(session, code, on, may_end_on_start=False)
    community = rules.community_of(code)
    features: list[dict[str, Any]] = [{
        "type": "Feature",
        "geometry": row.polygon,
        "properties": {"code": code, "name": row.name, "start_date": row.start_date.isoformat(),
                       "end_date": on.isoformat()},
    }]
    for i, geometry in enumerate(geometries):
        name = names[i] if names and i < len(names) else row.name
        features.append({
            "type": "Feature",
            "geometry": dict(geometry),
            "properties": {"community_code": community, "name": name,
                           "start_date": on.isoformat()},
        })
    report = import_grids(
        session, {"type": "FeatureCollection", "features": features}, tolerance_m2=tolerance_m2
    )
    return list(report.added), report.changes


def _grid_to_end(session: Session, code: str, on: date, *, may_end_on_start: bool) -> Any:
    """The grid ``code`` (name, polygon and dates) if it can end on ``on``: it exists, is
    not retired, and started before ``on`` (or on it, when ``may_end_on_start``: a retired
    grid may end the day it starts, a replaced one keeps at least one day of its own)."""
    row = session.execute(
        text("SELECT name, polygon, start_date, end_date FROM grids WHERE code = :c"),
        {"c": code},
    ).first()
    if row is None:
        raise GridNotChanged("grid.not_found", code=code)
    if row.end_date is not None:
        raise GridNotChanged("grid.already_retired", code=code,
                             end=rules.format_date(row.end_date))
    if on < row.start_date or (on == row.start_date and not may_end_on_start):
        raise GridNotChanged("grid.end_before_start", code=code,
                             start=rules.format_date(row.start_date), end=rules.format_date(on))
    return row
