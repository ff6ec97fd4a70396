"""Point → grid lookups: seatdesk's GridIndex beside a bare shapely STRtree.

10,000 grids (a 100 × 100 lattice of ~100 m cells whose shared corners are jittered,
so the cells are irregular quadrilaterals whose bounding boxes overlap, as real grids'
do), and 100,000 random points over them and around them. Times, interleaved and
repeated:

- ours, bulk: ``GridIndex.locate_many`` (what ``place_cases`` uses);
- ours, one at a time: ``GridIndex.locate`` (what opening one case uses);
- bare, bulk: ``STRtree.query(points, predicate="intersects")`` on the same polygons;
- bare, one at a time: ``STRtree.query(Point(x, y), predicate="intersects")``.

Both must give the same codes. Target (issue 6): 100,000 lookups per second on 10,000
grids. Also: building the index from the GeoJSON text the database hands back (the
cost of a cache miss after the grids change).

    python benchmarks/locate.py [--grids 10000] [--points 100000] [--repeat 5]

It exits 0 whatever the timings: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    # Run as a file: this folder would shadow the standard library (benchmarks/queue.py).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import numpy as np
import shapely
from shapely.geometry import Polygon

from seatdesk.domain import grids as rules
from seatdesk.services.grids import GridIndex

TARGET_PER_S = 100_000
CELL_LON = 0.00102
CELL_LAT = 0.0009
WEST, SOUTH = 120.50, 27.60


def lattice(n_grids: int, seed: int = 1) -> tuple[list[str], list[Polygon]]:
    """``n_grids`` irregular cells without gaps or overlaps, with 15-digit codes
    (10 × 10 cells a community, numbered west→east, north→south)."""
    side = max(1, round(n_grids**0.5))
    rng = random.Random(seed)
    jitter = 0.3
    corners = [
        [
            (
                WEST + (i + (rng.uniform(-jitter, jitter) if 0 < i < side else 0)) * CELL_LON,
                SOUTH + (j + (rng.uniform(-jitter, jitter) if 0 < j < side else 0)) * CELL_LAT,
            )
            for j in range(side + 1)
        ]
        for i in range(side + 1)
    ]
    codes: list[str] = []
    polygons: list[Polygon] = []
    for row in range(side):  # from the north
        j = side - 1 - row
        for i in range(side):
            ring = [corners[i][j], corners[i + 1][j], corners[i + 1][j + 1], corners[i][j + 1]]
            community = (row // 10) * ((side + 9) // 10) + i // 10
            street, comm = divmod(community, 999)
            seq = (row % 10) * 10 + i % 10 + 1
            codes.append(f"330326{street + 1:03d}{comm + 1:03d}{seq:03d}")
            polygons.append(Polygon(ring))
    return codes, polygons


def points(n: int, polygons: list[Polygon], seed: int = 2) -> tuple[np.ndarray[Any, Any], ...]:
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(polygons, dtype=object))
    rng = np.random.default_rng(seed)
    margin_x, margin_y = (maxx - minx) * 0.05, (maxy - miny) * 0.05
    xs = rng.uniform(minx - margin_x, maxx + margin_x, n)
    ys = rng.uniform(miny - margin_y, maxy + margin_y, n)
    return xs, ys


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--scalar-points",
        type=int,
        default=20_000,
        help="points for the one-at-a-time loops (they are slower)",
    )
    args = parser.parse_args()

    codes, polygons = lattice(args.grids)
    xs, ys = points(args.points, polygons)
    n_scalar = min(args.scalar_points, args.points)
    print(
        f"{len(codes):,} grids, {args.points:,} random points "
        f"({n_scalar:,} for the one-at-a-time loops), {args.repeat} runs, median"
    )

    # The cost of a cache miss: polygons from the GeoJSON text the database returns.
    texts = [json.dumps(rules.polygon_to_geojson(p)) for p in polygons]
    build_s, built = timed(lambda: GridIndex(codes, list(shapely.from_geojson(texts))))
    index: GridIndex = built
    bare_build_s, _ = timed(lambda: shapely.STRtree(shapely.from_geojson(texts)))

    geoms = shapely.from_geojson(texts)  # the very polygons the index holds
    tree = shapely.STRtree(geoms)
    code_arr = np.array(codes, dtype=object)

    def bare_bulk() -> list[str | None]:
        pts = shapely.points(xs, ys)
        inp, hit = tree.query(pts, predicate="intersects")
        out: list[str | None] = [None] * len(xs)
        for i, h in zip(inp.tolist(), hit.tolist(), strict=True):
            c: str = code_arr[h]
            current = out[i]
            if current is None or c < current:
                out[i] = c
        return out

    def bare_scalar() -> list[str | None]:
        out: list[str | None] = []
        for x, y in zip(xs[:n_scalar].tolist(), ys[:n_scalar].tolist(), strict=True):
            hits = tree.query(shapely.Point(x, y), predicate="intersects")
            out.append(str(min(code_arr[hits])) if len(hits) else None)
        return out

    def ours_bulk() -> list[str | None]:
        return index.locate_many(xs, ys)

    def ours_scalar() -> list[str | None]:
        return [
            index.locate(x, y)
            for x, y in zip(xs[:n_scalar].tolist(), ys[:n_scalar].tolist(), strict=True)
        ]

    runs: dict[str, list[float]] = {
        k: [] for k in ("ours_bulk", "bare_bulk", "ours_scalar", "bare_scalar")
    }
    results: dict[str, Any] = {}
    fns = {
        "ours_bulk": ours_bulk,
        "bare_bulk": bare_bulk,
        "ours_scalar": ours_scalar,
        "bare_scalar": bare_scalar,
    }
    for _ in range(args.repeat):
        for name, fn in fns.items():  # interleaved, so drift hits both sides alike
            seconds, results[name] = timed(fn)
            runs[name].append(seconds)
    assert results["ours_bulk"] == results["bare_bulk"], "bulk answers differ"
    assert results["ours_scalar"] == results["bare_scalar"], "one-at-a-time answers differ"
    assert results["ours_bulk"][:n_scalar] == results["ours_scalar"], "bulk ≠ one at a time"
    inside = sum(c is not None for c in results["ours_bulk"])

    def rate(name: str, n: int) -> float:
        return n / statistics.median(runs[name])

    print(f"points inside a grid: {inside:,} of {args.points:,}")
    print()
    print(f"{'lookup':<28}{'ours /s':>14}{'bare /s':>14}{'ours/bare time':>16}{'target':>12}")
    for label, key, n in (
        ("bulk (locate_many)", "bulk", args.points),
        ("one at a time (locate)", "scalar", n_scalar),
    ):
        ours, bare = rate(f"ours_{key}", n), rate(f"bare_{key}", n)
        verdict = "met" if ours >= TARGET_PER_S else "MISSED"
        print(
            f"{label:<28}{ours:>14,.0f}{bare:>14,.0f}{bare / ours:>15.2f}×"
            f"{f'{TARGET_PER_S:,} {verdict}':>20}"
        )
    print()
    print(
        f"index build from GeoJSON text: ours {build_s * 1000:,.0f} ms, "
        f"bare STRtree {bare_build_s * 1000:,.0f} ms "
        f"(ratio {build_s / bare_build_s:.2f}×; once per change of the grids)"
    )


if __name__ == "__main__":
    main()
