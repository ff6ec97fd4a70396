"""Unit grids (万米单元网格): the rules of the bid document, sections 1.1–1.4.

Pure: codes, geometry checks, areas and numbering, on shapely geometries in
longitude/latitude (WGS 84 / CGCS2000 degrees). No database, no files.

- A grid code is 15 digits: 6 county (GB/T 2260) + 3 street or town + 3 community or
  village + 3 sequence. Some systems store 16 digits (a 4-digit sequence): a 16-digit
  code whose sequence fits in 3 digits is accepted and shortened, with a warning.
- A grid is one closed polygon; grids do not overlap and leave no gaps inside their
  community; a grid lies inside its community.
- Within a community the sequence runs west to east, then north to south.
- A grid is active on day ``d`` when ``start_date <= d`` and (no ``end_date`` or
  ``d < end_date``): a changed grid's old code ends on the day its new code starts.
- Areas are geodesic, in square metres, on the WGS 84 ellipsoid.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.validation import explain_validity

from seatdesk import messages

CODE_LENGTH = 15
COMMUNITY_CODE_LENGTH = 12
STREET_CODE_LENGTH = 9
COUNTY_CODE_LENGTH = 6
#: Overlaps and gaps smaller than this are vertex noise (the bid document allows ±1 m
#: per vertex), not errors.
DEFAULT_TOLERANCE_M2 = 1.0

_GEOD = Geod(ellps="WGS84")
_DIGITS = re.compile(r"^[0-9]+$")


# ---- Problems


@dataclass(frozen=True, slots=True)
class GridProblem:
    """One thing wrong with one grid (or with the file), as one sentence.

    ``key`` names a sentence ``grid.<key>`` of ``seatdesk.messages``; ``code`` is the grid
    (or community) it concerns; a warning does not stop an import.
    """

    key: str
    code: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    warning: bool = False

    def __str__(self) -> str:
        values = {
            k: messages.t(f"grid.{k}.{v}") if k in ("level", "which") else v
            for k, v in self.values.items()
        }
        return messages.t(f"grid.{self.key}", code=self.code, **values)


# ---- Codes


@dataclass(frozen=True, slots=True)
class GridCode:
    """A 15-digit unit grid code, split into its parts."""

    county: str
    street: str
    community: str
    sequence: int

    @property
    def community_code(self) -> str:
        return f"{self.county}{self.street}{self.community}"

    @property
    def street_code(self) -> str:
        return f"{self.county}{self.street}"

    def __str__(self) -> str:
        return f"{self.community_code}{self.sequence:03d}"


def parse_code(raw: object) -> tuple[GridCode | None, list[GridProblem]]:
    """The grid code in ``raw``, or the problems that keep it from being one."""
    text = "" if raw is None else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():  # a code read as a number
        text = str(int(raw))
    if not text:
        return None, [GridProblem("no_code")]
    if not _DIGITS.match(text) or len(text) not in (CODE_LENGTH, CODE_LENGTH + 1):
        return None, [GridProblem("code_format", text, {"length": len(text)})]
    problems: list[GridProblem] = []
    if len(text) == CODE_LENGTH + 1:
        seq16 = text[COMMUNITY_CODE_LENGTH:]
        if seq16[0] != "0":
            return None, [GridProblem("code_16_too_long", text, {"sequence": seq16})]
        short = text[:COMMUNITY_CODE_LENGTH] + seq16[1:]
        problems.append(GridProblem("code_16", text, {"short": short}, warning=True))
        text = short
    code = GridCode(text[:6], text[6:9], text[9:12], int(text[12:]))
    if code.sequence == 0:
        return None, [GridProblem("code_sequence_zero", text)]
    return code, problems


def community_of(code: str) -> str:
    return code[:COMMUNITY_CODE_LENGTH]


def make_code(community_code: str, sequence: int) -> str:
    if not 1 <= sequence <= 999:
        raise ValueError(f"sequence {sequence} is not 1–999")
    return f"{community_code}{sequence:03d}"


# ---- Dates


def parse_date(raw: object) -> date | None:
    """A date written YYYYMMDD (the bid document's form) or YYYY-MM-DD; None if empty.

    Raises ``ValueError`` for anything else.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(int(raw)) if isinstance(raw, int | float) else str(raw).strip()
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_date(day: date | None) -> str | None:
    """YYYYMMDD, as the bid document writes dates."""
    return None if day is None else day.strftime("%Y%m%d")


def active_on(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day < end)


def periods_meet(
    a_start: date, a_end: date | None, b_start: date, b_end: date | None
) -> bool:
    """Whether two validity periods [start, end) share a day."""
    latest_start = max(a_start, b_start)
    ends = [e for e in (a_end, b_end) if e is not None]
    return not ends or latest_start < min(ends)


# ---- Geometry


def _pt(p: Sequence[float]) -> str:
    return f"({p[0]:.6f}, {p[1]:.6f})"


def polygon_from_geojson(code: str, geometry: object) -> tuple[Polygon | None, list[GridProblem]]:
    """The polygon of a GeoJSON geometry in longitude/latitude, or what is wrong with it:
    not a polygon, several parts, an unclosed ring, too few points, coordinates that
    are not degrees, a boundary that crosses itself."""
    if not isinstance(geometry, Mapping) or "type" not in geometry:
        return None, [GridProblem("no_geometry", code)]
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "MultiPolygon" and isinstance(coords, list) and len(coords) == 1:
        kind, coords = "Polygon", coords[0]
    if kind == "MultiPolygon":
        return None, [GridProblem("multipart", code, {"parts": len(coords or [])})]
    if kind != "Polygon":
        return None, [GridProblem("not_polygon", code, {"kind": kind})]
    if not isinstance(coords, list) or not coords:
        return None, [GridProblem("no_geometry", code)]
    rings: list[list[tuple[float, float]]] = []
    for ring in coords:
        try:
            points = [(float(p[0]), float(p[1])) for p in ring]
        except (TypeError, ValueError, IndexError):
            return None, [GridProblem("bad_coordinates", code)]
        if len(points) < 4 or len(set(points)) < 3:
            return None, [GridProblem("too_few_points", code, {"count": len(points)})]
        if points[0] != points[-1]:
            return None, [
                GridProblem("not_closed", code, {"first": _pt(points[0]), "last": _pt(points[-1])})
            ]
        for x, y in points:
            if not (-180 <= x <= 180 and -90 <= y <= 90) or math.isnan(x) or math.isnan(y):
                return None, [GridProblem("not_degrees", code, {"point": _pt((x, y))})]
        rings.append(points)
    polygon = Polygon(rings[0], rings[1:])
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        where = _where(reason)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            return None, [GridProblem("self_intersection", code, {"where": where})]
        return None, [GridProblem("invalid_polygon", code, {"reason": reason})]
    if polygon.area == 0:
        return None, [GridProblem("too_few_points", code, {"count": len(rings[0])})]
    return shapely.normalize(polygon), []


def _where(reason: str) -> str:
    m = re.search(r"\[([-0-9.eE]+) ([-0-9.eE]+)\]", reason)
    return _pt((float(m.group(1)), float(m.group(2)))) if m else reason


def area_m2(geometry: Polygon | MultiPolygon) -> float:
    """The geodesic area of a longitude/latitude geometry in square metres."""
    area, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(float(area))


def polygon_to_geojson(polygon: Polygon, digits: int = 7) -> dict[str, Any]:
    """GeoJSON of a polygon, exterior counter-clockwise (RFC 7946), rounded to
    ``digits`` decimals (7 decimals of a degree is ~1 cm)."""
    oriented = shapely.geometry.polygon.orient(polygon, 1.0)
    rings = [oriented.exterior, *oriented.interiors]
    return {
        "type": "Polygon",
        "coordinates": [
            [[round(x, digits), round(y, digits)] for x, y in ring.coords] for ring in rings
        ],
    }


# ---- Topology checks


@dataclass(frozen=True, slots=True)
class Candidate:
    """A grid as the topology checks see it."""

    code: str
    polygon: Polygon
    start_date: date
    end_date: date | None
    #: From the file being checked (problems are reported only for pairs involving one).
    new: bool = True


def find_overlaps(
    grids: Sequence[Candidate], tolerance_m2: float = DEFAULT_TOLERANCE_M2
) -> list[GridProblem]:
    """Pairs of grids that are active at the same time and whose interiors overlap by
    more than ``tolerance_m2``; only pairs involving at least one new grid."""
    if len(grids) < 2:
        return []
    geoms = np.array([g.polygon for g in grids], dtype=object)
    tree = shapely.STRtree(geoms)
    new_idx = np.array([i for i, g in enumerate(grids) if g.new], dtype=np.intp)
    if not len(new_idx):
        return []
    left, right = tree.query(geoms[new_idx], predicate="intersects")
    left = new_idx[left]
    keep = (left != right) & ((left < right) | ~np.array([grids[r].new for r in right]))
    pairs = {(min(a, b), max(a, b)) for a, b in zip(left[keep], right[keep], strict=True)}
    if not pairs:
        return []
    ordered = sorted(pairs)
    a_idx = np.array([p[0] for p in ordered])
    b_idx = np.array([p[1] for p in ordered])
    inner = shapely.relate_pattern(geoms[a_idx], geoms[b_idx], "2********")
    problems = []
    for a, b, overlaps in zip(a_idx, b_idx, inner, strict=True):
        ga, gb = grids[a], grids[b]
        if not overlaps or not periods_meet(ga.start_date, ga.end_date, gb.start_date, gb.end_date):
            continue
        shared = ga.polygon.intersection(gb.polygon)
        area = area_m2(shared)
        if area > tolerance_m2:
            first, second = sorted((ga.code, gb.code))
            problems.append(
                GridProblem(
                    "overlap",
                    first,
                    {"other": second, "area": f"{area:,.1f}",
                     "where": _pt(shared.representative_point().coords[0])},
                )
            )
    return problems


def find_gaps(
    community_code: str,
    grids: Sequence[Candidate],
    tolerance_m2: float = DEFAULT_TOLERANCE_M2,
    boundary: Polygon | MultiPolygon | None = None,
) -> list[GridProblem]:
    """Holes inside a community that none of its grids covers, and grids cut off from
    the rest of their community.

    With the community's ``boundary`` (from the file), a gap is any part of it that no
    grid covers and a grid must lie inside it. Without it, the community is the union
    of its grids: a gap is a hole in that union, and a grid that touches none of the
    community's others lies outside the community.
    """
    if not grids:
        return []
    union = shapely.union_all([g.polygon for g in grids])
    problems: list[GridProblem] = []
    if boundary is not None:
        uncovered = boundary.difference(union)
        for part in _parts(uncovered):
            area = area_m2(part)
            if area > tolerance_m2:
                problems.append(_gap(community_code, part, area, grids))
        for g in grids:
            outside = g.polygon.difference(boundary)
            area = area_m2(outside) if not outside.is_empty else 0.0  # type: ignore[arg-type]
            if area > tolerance_m2:
                problems.append(
                    GridProblem("outside_boundary", g.code,
                                {"community": community_code, "area": f"{area:,.1f}"})
                )
        return problems
    parts = sorted(_parts(union), key=lambda p: p.area, reverse=True)
    for part in parts:
        for ring in part.interiors:
            hole = Polygon(ring)
            area = area_m2(hole)
            if area > tolerance_m2:
                problems.append(_gap(community_code, hole, area, grids))
    if len(parts) > 1:
        main = parts[0]
        for g in grids:
            if not g.polygon.intersects(main):
                problems.append(GridProblem("outside_community", g.code,
                                            {"community": community_code}))
    return problems


def _parts(geometry: Any) -> list[Polygon]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)] + [
        p for g in getattr(geometry, "geoms", []) if isinstance(g, MultiPolygon)
        for p in g.geoms
    ]


def _gap(community: str, hole: Polygon, area: float, grids: Sequence[Candidate]) -> GridProblem:
    edge = hole.exterior
    near = sorted(g.code for g in grids if g.polygon.boundary.intersection(edge).length > 1e-9)
    return GridProblem(
        "gap",
        community,
        {"area": f"{area:,.1f}", "where": _pt(hole.representative_point().coords[0]),
         "near": ", ".join(near[:4]) or "—"},
    )


# ---- Numbering


def numbering_order(polygons: Sequence[Polygon]) -> list[int]:
    """The indices of ``polygons`` in the order of their sequence numbers: rows from
    north to south, and west to east within a row (bid document 1.3).

    A row is the grids whose centre lies within the vertical extent of the row's
    northernmost grid, so a ragged real-world row still reads as one row.
    """
    if not polygons:
        return []
    centres = [p.centroid for p in polygons]
    order = sorted(range(len(polygons)), key=lambda i: (-centres[i].y, centres[i].x))
    rows: list[list[int]] = []
    bottom = math.inf
    for i in order:
        if not rows or centres[i].y < bottom:
            rows.append([i])
            bottom = polygons[i].bounds[1]
        else:
            rows[-1].append(i)
    return [i for row in rows for i in sorted(row, key=lambda j: centres[j].x)]


def numbering_warnings(grids: Iterable[Candidate]) -> list[GridProblem]:
    """A warning per community whose sequence numbers do not run west→east,
    north→south (an advisory: an established numbering is kept, never changed)."""
    by_community: dict[str, list[Candidate]] = defaultdict(list)
    for g in grids:
        by_community[community_of(g.code)].append(g)
    warnings = []
    for community, members in sorted(by_community.items()):
        members.sort(key=lambda g: g.code)
        expected = [members[i].code for i in numbering_order([g.polygon for g in members])]
        actual = [g.code for g in members]
        if expected != actual:
            first = next(a for a, e in zip(actual, expected, strict=True) if a != e)
            where = expected.index(first) + 1
            warnings.append(
                GridProblem("numbering", community, {"first": first, "position": where},
                            warning=True)
            )
    return warnings


def next_sequences(used: Iterable[int], count: int) -> list[int]:
    """``count`` new sequence numbers after the highest ever used (codes are never
    reused, retired ones included)."""
    top = max(used, default=0)
    if top + count > 999:
        raise ValueError(f"sequence {top + count} does not fit in 3 digits")
    return list(range(top + 1, top + count + 1))


__all__ = [
    "CODE_LENGTH",
    "DEFAULT_TOLERANCE_M2",
    "Candidate",
    "GridCode",
    "GridProblem",
    "active_on",
    "area_m2",
    "community_of",
    "find_gaps",
    "find_overlaps",
    "format_date",
    "make_code",
    "next_sequences",
    "numbering_order",
    "numbering_warnings",
    "parse_code",
    "parse_date",
    "periods_meet",
    "polygon_from_geojson",
    "polygon_to_geojson",
]
