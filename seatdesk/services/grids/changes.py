"""Changing the grids: an import applied all or nothing, a grid ended, a grid replaced
by new ones. Each checks through ``plan`` first and writes nothing if any problem is
found (``InvalidGrids``, ``GridNotChanged``).

Needs the privilege to write grids (the schema owner or an admin seat).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

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
    if plan.insert:
        payload = [
            {
                "code": g.code,
                "name": g.name,
                "community_code": rules.community_of(g.code),
                "polygon": rules.polygon_to_geojson(g.polygon),
                "area_m2": round(rules.area_m2(g.polygon), 2),
                "start_date": g.start_date.isoformat(),
                "end_date": g.end_date.isoformat() if g.end_date else None,
                "note": g.note,
            }
            for g in plan.insert
        ]
        session.execute(
            text("""
                INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date,
                                   end_date, note)
                SELECT code, name, community_code, polygon, area_m2, start_date, end_date, note
                FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
                    code text, name text, community_code text, polygon jsonb,
                    area_m2 double precision, start_date date, end_date date, note text)
            """),
            {"rows": json.dumps(payload, ensure_ascii=False)},
        )
    if plan.end:
        session.execute(
            text("""
                UPDATE grids g SET end_date = r.end_date
                FROM unnest(CAST(:codes AS text[]), CAST(:ends AS date[])) AS r(code, end_date)
                WHERE g.code = r.code AND g.end_date IS NULL
            """),
            {"codes": [c for c, _ in plan.end], "ends": [d for _, d in plan.end]},
        )
    if plan.rename:
        session.execute(
            text("""
                UPDATE grids g SET name = r.name, note = r.note
                FROM unnest(CAST(:codes AS text[]), CAST(:names AS text[]),
                            CAST(:notes AS text[])) AS r(code, name, note)
                WHERE g.code = r.code
            """),
            {"codes": [c for c, _, _ in plan.rename], "names": [n for _, n, _ in plan.rename],
             "notes": [n for _, _, n in plan.rename]},
        )
    forget_indexes()


# ---- Changing one grid


def retire_grid(session: Session, *, code: str, on: date) -> ChangeSet:
    """End ``code`` on ``on`` (the first day it no longer applies), leaving a hole that
    the map and the checks will show until a new grid covers it."""
    _grid_to_end(session, code, on, may_end_on_start=True)
    session.execute(text("UPDATE grids SET end_date = :d WHERE code = :c"), {"d": on, "c": code})
    forget_indexes()
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
