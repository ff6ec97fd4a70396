"""The grids as data: those active on a day, the GeoJSON export, the layers the map
draws (grids, community and street outlines), and the cases the map shows on them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain import grids as rules
from seatdesk.domain.glossary import FINAL_STATES
from seatdesk.services.grids.records import GridInfo

_FINAL = sorted(s.value for s in FINAL_STATES)

def grids_as_of(session: Session, on: date | None = None) -> list[GridInfo]:
    """The grids active on ``on`` (default today), by code."""
    rows = session.execute(
        text("""
            SELECT code, name, community_code, area_m2, start_date, end_date, note FROM grids
            WHERE start_date <= coalesce(:on, current_date)
              AND (end_date IS NULL OR end_date > coalesce(:on, current_date))
            ORDER BY code
        """),
        {"on": on},
    ).all()
    return [GridInfo(*r) for r in rows]


def export_grids(
    session: Session, *, on: date | None = None, include_ended: bool = False
) -> dict[str, Any]:
    """The grids as a GeoJSON FeatureCollection (longitude/latitude, dates YYYYMMDD):
    those active on ``on`` (default today), or all of them with ``include_ended``.
    Importing the file again changes nothing."""
    rows = session.execute(
        text("""
            SELECT code, name, community_code, polygon, area_m2, start_date, end_date, note
            FROM grids
            WHERE CAST(:all AS boolean)
               OR (start_date <= coalesce(:on, current_date)
                   AND (end_date IS NULL OR end_date > coalesce(:on, current_date)))
            ORDER BY code
        """),
        {"on": on, "all": include_ended},
    ).all()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.polygon,
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "community_code": r.community_code,
                    "area_m2": round(r.area_m2, 2),
                    "start_date": rules.format_date(r.start_date),
                    "end_date": rules.format_date(r.end_date),
                    "note": r.note,
                },
            }
            for r in rows
        ],
    }


def map_layers(session: Session, *, on: date | None = None) -> dict[str, Any]:
    """What the map draws: the grids active on ``on`` (``kind`` ``grid``, with code,
    name and area) and the outlines of their communities and streets (``community``,
    ``street``), drawn with the 村界 and 乡镇级界线 styles."""
    collection = export_grids(session, on=on)
    features = collection["features"]
    for f in features:
        f["properties"] = {"kind": "grid", "code": f["properties"]["code"],
                           "name": f["properties"]["name"],
                           "area_m2": f["properties"]["area_m2"]}
    if features:
        geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
        codes = [f["properties"]["code"] for f in features]
        for kind, length in (("community", 12), ("street", 9)):
            groups: dict[str, list[int]] = defaultdict(list)
            for i, c in enumerate(codes):
                groups[c[:length]].append(i)
            for prefix, members in sorted(groups.items()):
                outline = shapely.union_all(geoms[members]).boundary
                features.append({
                    "type": "Feature",
                    "geometry": json.loads(shapely.to_geojson(shapely.set_precision(outline,
                                                                                    1e-7))),
                    "properties": {"kind": kind, "code": prefix},
                })
    return collection


# ---- What the map shows of cases


def case_points(
    session: Session, *, open_only: bool = True, limit: int = 20_000
) -> list[dict[str, Any]]:
    """Cases with a location as map features: id, lon, lat, deadline_status, number,
    state (the newest ``limit``; row-level security applies to department seats)."""
    rows = session.execute(
        text("""
            SELECT id, longitude, latitude, deadline_status, number, state FROM cases
            WHERE longitude IS NOT NULL AND (NOT CAST(:open AS boolean)
                  OR state <> ALL(CAST(:final AS text[])))
            ORDER BY id DESC LIMIT :limit
        """),
        {"open": open_only, "limit": limit, "final": _FINAL},
    ).all()
    return [
        {"id": r[0], "lon": r[1], "lat": r[2], "deadline_status": r[3], "number": r[4],
         "state": r[5]}
        for r in rows
    ]


def grid_case_counts(session: Session, *, open_only: bool = True) -> dict[str, int]:
    """How many cases each grid has (the map's density layer)."""
    rows = session.execute(
        text("""
            SELECT grid_code, count(*) FROM cases
            WHERE grid_code IS NOT NULL AND (NOT CAST(:open AS boolean)
                  OR state <> ALL(CAST(:final AS text[])))
            GROUP BY grid_code
        """),
        {"open": open_only, "final": _FINAL},
    ).all()
    return {r[0]: int(r[1]) for r in rows}
