"""The point index: which grid holds a point (``GridIndex``, cached per set of grids
and day), and the cases whose location lies outside every grid, placed once grids
cover them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon
from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.grids.records import UnplacedCase


class GridIndex:
    """Point → grid lookup over a set of grids.

    Many points at once go through a shapely ``STRtree`` (vectorized). One point at a
    time goes through a bucket grid of the polygons' bounding boxes and a ray-casting
    test on their rings in plain Python, because creating a shapely ``Point`` alone
    costs more than the whole lookup; a point within a hair of a boundary is settled by
    shapely's exact predicate, so both paths give the same answer. A point on the
    border of two grids belongs to the one with the smaller code, whatever the order
    of the data.
    """

    _EDGE = 1e-10  # degrees (~10 µm): closer than this to an edge, ask shapely

    def __init__(self, codes: Sequence[str], polygons: Sequence[Polygon]) -> None:
        order = sorted(range(len(codes)), key=lambda i: codes[i])
        self._codes = np.array([codes[i] for i in order], dtype=object)
        self._geoms = np.array([polygons[i] for i in order], dtype=object)
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)
        self._edges = _edges(self._geoms)
        self._build_buckets()

    def _build_buckets(self) -> None:
        self._buckets: dict[tuple[int, int], tuple[int, ...]] = {}
        if not len(self._geoms):
            self._bounds: list[tuple[float, float, float, float]] = []
            self._x0 = self._y0 = 0.0
            self._dx = self._dy = 1.0
            return
        bounds = shapely.bounds(self._geoms)
        self._bounds = [(b[0], b[1], b[2], b[3]) for b in bounds.tolist()]
        self._x0, self._y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        # Buckets half a typical grid wide: about two candidates a point.
        self._dx = float(np.median(bounds[:, 2] - bounds[:, 0])) / 2 or 1e-4
        self._dy = float(np.median(bounds[:, 3] - bounds[:, 1])) / 2 or 1e-4
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (minx, miny, maxx, maxy) in enumerate(self._bounds):
            for bx in range(self._bx(minx), self._bx(maxx) + 1):
                for by in range(self._by(miny), self._by(maxy) + 1):
                    buckets[(bx, by)].append(i)
        self._buckets = {k: tuple(v) for k, v in buckets.items()}

    def _bx(self, x: float) -> int:
        return int((x - self._x0) // self._dx)

    def _by(self, y: float) -> int:
        return int((y - self._y0) // self._dy)

    def __len__(self) -> int:
        return len(self._codes)

    def locate(self, lon: float, lat: float) -> str | None:
        """The code of the grid containing the point, or None."""
        candidates = self._buckets.get((self._bx(lon), self._by(lat)), ())
        for i in candidates:
            minx, miny, maxx, maxy = self._bounds[i]
            if not (minx <= lon <= maxx and miny <= lat <= maxy):
                continue
            inside = _ray_cast(self._edges[i], lon, lat, self._EDGE)
            if inside is None:  # on (or a hair from) an edge: shapely decides, exactly
                return self._exact(lon, lat, candidates)
            if inside:
                return str(self._codes[i])
        return None

    def _exact(self, lon: float, lat: float, candidates: tuple[int, ...]) -> str | None:
        for i in candidates:  # in code order: the smaller code wins on a shared border
            if shapely.intersects_xy(self._geoms[i], lon, lat):
                return str(self._codes[i])
        return None

    def locate_many(self, lons: Any, lats: Any) -> list[str | None]:
        """The codes for many points at once (vectorized through the STRtree)."""
        xs = np.asarray(lons, dtype=float)
        points = shapely.points(xs, np.asarray(lats, dtype=float))
        out: np.ndarray[Any, np.dtype[Any]] = np.full(len(xs), None, dtype=object)
        point_idx, grid_idx = self._tree.query(points, predicate="intersects")
        if len(point_idx):
            order = np.lexsort((grid_idx, point_idx))
            point_idx, grid_idx = point_idx[order], grid_idx[order]
            first = np.concatenate(([True], point_idx[1:] != point_idx[:-1]))
            out[point_idx[first]] = self._codes[grid_idx[first]]
        return out.tolist()  # type: ignore[no-any-return]


def _edges(geoms: Any) -> list[tuple[tuple[float, float, float, float], ...]]:
    """The edges of every ring of each polygon as (x1, y1, x2, y2), computed for all
    polygons at once."""
    rings, owner = shapely.get_rings(geoms, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    xy = coords.tolist()
    # Consecutive coordinates of the same ring make an edge.
    same = (ring_of[1:] == ring_of[:-1]).tolist()
    edge_owner = owner[ring_of[:-1]].tolist()
    out: list[list[tuple[float, float, float, float]]] = [[] for _ in range(len(geoms))]
    for k, keep in enumerate(same):
        if keep:
            (x1, y1), (x2, y2) = xy[k], xy[k + 1]
            out[edge_owner[k]].append((x1, y1, x2, y2))
    return [tuple(e) for e in out]


def _ray_cast(
    edges: tuple[tuple[float, float, float, float], ...], x: float, y: float, eps: float
) -> bool | None:
    """Whether (x, y) is inside (even-odd rule over every ring, so holes count), or None
    when it lies within ``eps`` of the boundary."""
    inside = False
    for x1, y1, x2, y2 in edges:
        if (y1 > y) != (y2 > y):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < xc - eps:
                inside = not inside
            elif x <= xc + eps:
                return None
        elif -eps <= y - y1 <= eps and (
            (y1 == y2 and min(x1, x2) - eps <= x <= max(x1, x2) + eps) or -eps <= x - x1 <= eps
        ):
            return None
    return inside


_INDEXES: dict[tuple[str, date], GridIndex] = {}


def forget_indexes() -> None:
    """Drop the cached indexes (the grids changed in this process; another process's
    change is caught by the fingerprint ``grid_index`` checks)."""
    _INDEXES.clear()


def grid_index(session: Session, *, on: date | None = None) -> GridIndex:
    """The index of the grids active on ``on`` (default today), cached until the grids
    change (any insert, update or delete changes the fingerprint)."""
    fingerprint, today = session.execute(text("""
        SELECT md5(coalesce(string_agg(code || '/' || xmin::text, ',' ORDER BY code), '')),
               current_date
        FROM grids
    """)).one()
    day = on or today
    key = (fingerprint, day)
    index = _INDEXES.get(key)
    if index is None:
        rows = session.execute(
            text("""
                SELECT code, polygon::text FROM grids
                WHERE start_date <= :d AND (end_date IS NULL OR end_date > :d)
            """),
            {"d": day},
        ).all()
        geoms: list[Polygon] = list(shapely.from_geojson([r[1] for r in rows])) if rows else []
        index = GridIndex([r[0] for r in rows], geoms)
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        _INDEXES[key] = index
    return index


def locate(session: Session, lon: float, lat: float, *, on: date | None = None) -> str | None:
    """The code of the grid active on ``on`` (default today) that contains the point, or
    None when it lies outside every grid (the case is still accepted: see
    ``outside_warning`` and ``unplaced_cases``)."""
    return grid_index(session, on=on).locate(lon, lat)


def outside_warning(lon: float, lat: float) -> str:
    """The sentence a seat sees when a location lies outside every grid."""
    return messages.t("grid.outside_every_grid", lon=f"{lon:.6f}", lat=f"{lat:.6f}")


def unplaced_cases(
    session: Session, *, after_id: CaseId | None = None, limit: int = 50
) -> list[UnplacedCase]:
    """Cases with a location but no grid, oldest first, keyset-paginated by id."""
    rows = session.execute(
        text("""
            SELECT id, number, state, address, longitude, latitude FROM cases
            WHERE grid_code IS NULL AND longitude IS NOT NULL AND id > :after
            ORDER BY id LIMIT :limit
        """),
        {"after": after_id or 0, "limit": limit},
    ).all()
    return [UnplacedCase(CaseId(r[0]), *r[1:]) for r in rows]


def place_cases(session: Session) -> ChangeSet:
    """Give every case that has a location but no grid the grid that now contains it
    (after new grids are imported); one UPDATE for all of them."""
    rows = session.execute(text(
        "SELECT id, longitude, latitude FROM cases "
        "WHERE grid_code IS NULL AND longitude IS NOT NULL"
    )).all()
    if not rows:
        return ChangeSet()
    codes = grid_index(session).locate_many([r[1] for r in rows], [r[2] for r in rows])
    found = [(r[0], c) for r, c in zip(rows, codes, strict=True) if c is not None]
    if not found:
        return ChangeSet()
    # The database places them (admins only): seats hold no UPDATE on cases.
    call(
        session,
        "SELECT seatdesk_place_cases(CAST(:ids AS bigint[]), CAST(:codes AS text[]))",
        {"ids": [i for i, _ in found], "codes": [c for _, c in found]},
        action="grids import",
    )
    return ChangeSet(case_ids=frozenset(CaseId(i) for i, _ in found))
