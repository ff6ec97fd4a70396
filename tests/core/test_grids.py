"""Unit grids on the real database: import checks, history, export, point → grid."""

from __future__ import annotations

import copy
import io
import itertools
import json
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapefile
import shapely
from pyproj import Transformer
from shapely.geometry import Point, shape
from sqlalchemy import text

from seatdesk.demo import demo_grids
from seatdesk.domain import grids as rules
from seatdesk.services import grids
from tests.core.conftest import Desk
from tests.core.test_cli import _run, _url

COUNTY = "330326"
#: A second county beside the demo one: the demo's grids moved 0.1° east and renumbered.
OTHER = "330381"
SHIFT = 0.1


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATDESK_LANG", "en")


def demo_collection() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": copy.deepcopy(g.polygon),
             "properties": {"code": g.code, "name": g.name}}
            for g in demo_grids()
        ],
    }


def other_county() -> dict[str, Any]:
    """A county nobody has imported yet, with the demo's shape (324 grids)."""
    data = demo_collection()
    for f in data["features"]:
        f["properties"]["code"] = OTHER + f["properties"]["code"][6:]
        for ring in f["geometry"]["coordinates"]:
            for p in ring:
                p[0] = round(p[0] + SHIFT, 7)
    return data


def feature(data: dict[str, Any], code_tail: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["code"].endswith(code_tail))


def today(desk: Desk) -> date:
    """The database's today (Asia/Shanghai), which grid validity is measured against."""
    return desk.scalar("SELECT current_date")  # type: ignore[no-any-return]


def grid_count(desk: Desk) -> int:
    return int(desk.scalar("SELECT count(*) FROM grids"))


def refused(desk: Desk, data: dict[str, Any]) -> list[str]:
    """The problem sentences of a refused import, after checking nothing was written."""
    before = grid_count(desk)
    with pytest.raises(grids.InvalidGrids) as info:
        grids.import_grids(desk.session, data)
    assert grid_count(desk) == before
    return [str(p) for p in info.value.problems]


# ---- Accepting


def test_the_demo_county_exported_checks_and_imports_as_unchanged(desk: Desk) -> None:
    exported = grids.export_grids(desk.session)
    assert len(exported["features"]) == 324
    props = exported["features"][0]["properties"]
    assert props["code"] == "330326001001001" and len(props["start_date"]) == 8
    assert 9_000 < props["area_m2"] < 11_000  # ~100 m × 100 m, geodesic
    checked = grids.import_grids(desk.session, exported, check_only=True)
    assert (checked.checked, checked.added, checked.applied) == (324, (), False)
    again = grids.import_grids(desk.session, json.loads(json.dumps(exported)))
    assert (again.added, again.ended, again.renamed, again.unchanged) == ((), (), (), 324)


def test_a_new_county_is_imported_with_geodesic_areas(desk: Desk) -> None:
    report = grids.import_grids(desk.session, other_county())
    assert len(report.added) == 324 and report.warnings == ()
    assert report.changes.entities == {"grids"}
    area = desk.scalar("SELECT area_m2 FROM grids WHERE code = :c", c=OTHER + "001001001")
    demo = desk.scalar("SELECT area_m2 FROM grids WHERE code = :c", c=COUNTY + "001001001")
    assert area == pytest.approx(demo, rel=1e-3)
    assert len(grids.grids_as_of(desk.session)) == 648


# ---- Refusing, each with its own sentence


def test_an_overlap_is_refused_naming_both_grids(desk: Desk) -> None:
    data = other_county()
    ring = feature(data, "001001001")["geometry"]["coordinates"][0]
    east = max(p[0] for p in ring)
    for p in ring:
        if p[0] == east:
            p[0] = round(p[0] + 0.0003, 7)  # ~30 m into its eastern neighbour
    problems = refused(desk, data)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"Grids {OTHER}001001001 and {OTHER}001001002 overlap by 2,"
    ) and "m² around (" in problems[0]


def test_an_overlap_with_a_stored_grid_is_refused(desk: Desk) -> None:
    data = other_county()
    moved = feature(data, "003003036")
    for p in moved["geometry"]["coordinates"][0]:
        p[0] = round(p[0] - SHIFT, 7)  # back onto the demo county's grid
    problems = refused(desk, data)
    assert any(f"and {OTHER}003003036 overlap by" in p or f"{OTHER}003003036 and" in p
               for p in problems)
    assert any(f"Grids {COUNTY}003003036 and {OTHER}003003036 overlap" in p for p in problems)


def test_a_gap_is_refused_naming_the_community_and_its_neighbours(desk: Desk) -> None:
    data = other_county()
    data["features"].remove(feature(data, "001001008"))  # an inner cell of the 6×6 block
    problems = refused(desk, data)
    assert len(problems) == 1
    assert problems[0].startswith(f"Community {OTHER}001001 has a gap of 10,")
    assert problems[0].endswith(f"(next to {OTHER}001001002, {OTHER}001001007, "
                                f"{OTHER}001001009, {OTHER}001001014).")


def test_a_self_intersecting_polygon_is_refused(desk: Desk) -> None:
    data = other_county()
    ring = feature(data, "002001010")["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]  # a bow tie
    problems = refused(desk, data)
    assert any(p.startswith(f"Grid {OTHER}002001010: the boundary crosses itself at (")
               for p in problems)


def test_an_unclosed_ring_and_a_line_are_refused(desk: Desk) -> None:
    data = other_county()
    feature(data, "001001001")["geometry"]["coordinates"][0].pop()
    line = feature(data, "001001002")
    line["geometry"] = {"type": "LineString", "coordinates": [[120.0, 27.0], [120.1, 27.1]]}
    problems = refused(desk, data)
    assert f"Grid {OTHER}001001001: the boundary is not closed (it starts at" in problems[0]
    assert problems[1] == f"Grid {OTHER}001001002: the geometry is a LineString, not a polygon."


def test_a_wrong_code_is_refused(desk: Desk) -> None:
    data = other_county()
    feature(data, "001002003")["properties"]["code"] = "33038100100203"
    feature(data, "001002004")["properties"]["code"] = "3303810010020X4"
    problems = refused(desk, data)
    assert "Grid code 33038100100203 is not 15 digits (6 county + 3 street + 3 community + " \
           "3 sequence)." in problems
    assert any(p.startswith("Grid code 3303810010020X4 is not 15 digits") for p in problems)


def test_a_code_that_disagrees_with_its_community_property_is_refused(desk: Desk) -> None:
    data = other_county()
    feature(data, "001002003")["properties"]["community_code"] = OTHER + "001003"
    assert refused(desk, data) == [
        f"Grid {OTHER}001002003: its code does not begin with its community code "
        f"{OTHER}001003."
    ]


def test_a_code_outside_its_community_is_refused(desk: Desk) -> None:
    data = other_county()
    a, b = feature(data, "001001001"), feature(data, "002003036")
    a["properties"]["code"], b["properties"]["code"] = (
        b["properties"]["code"], a["properties"]["code"])
    problems = refused(desk, data)
    assert (f"Grid {OTHER}001001001 lies outside its community {OTHER}001001: it touches "
            "none of the community's other grids.") in problems
    assert any(p.startswith(f"Grid {OTHER}002003036 lies outside its community")
               for p in problems)


def test_a_grid_outside_its_community_boundary_is_refused(desk: Desk) -> None:
    data = other_county()
    members = [shape(f["geometry"]) for f in data["features"]
               if f["properties"]["code"].startswith(OTHER + "001001")]
    boundary = shapely.union_all(members).buffer(-0.0002, join_style="mitre")
    data["features"].append({"type": "Feature", "properties": {"code": OTHER + "001001"},
                             "geometry": json.loads(shapely.to_geojson(boundary))})
    problems = refused(desk, data)
    assert any(p.startswith(f"Grid {OTHER}001001001 reaches ") and
               f"m² outside the boundary of its community {OTHER}001001." in p
               for p in problems)


def test_a_changed_boundary_under_the_same_code_is_refused(desk: Desk) -> None:
    data = grids.export_grids(desk.session)
    ring = feature(data, "001001036")["geometry"]["coordinates"][0]
    ring[1] = [ring[1][0] + 0.00001, ring[1][1]]
    ring[-1] = ring[0]
    problems = refused(desk, data)
    assert problems[0].startswith(f"Grid {COUNTY}001001036 already exists with a different "
                                  "boundary; a changed grid gets a new code")


def test_every_problem_is_reported_at_once(desk: Desk) -> None:
    data = other_county()
    feature(data, "001001001")["properties"]["code"] = "1"
    feature(data, "003003003")["properties"]["start_date"] = "2024-13-45"
    feature(data, "002002002")["properties"]["end_date"] = "19990101"
    problems = refused(desk, data)
    assert len(problems) == 3
    assert f"Grid {OTHER}003003003: the start date 2024-13-45 is not a date (YYYYMMDD)." \
        in problems


def test_odd_features_are_named_by_their_position(desk: Desk) -> None:
    data = other_county()
    data["features"][:0] = [
        42,
        {"type": "Feature", "properties": ["x"], "geometry": None},
        {"type": "Feature", "properties": {"community_code": "3303"},
         "geometry": data["features"][0]["geometry"]},
    ]
    assert refused(desk, data) == [
        "Feature 1 has no grid code (property `code`, 15 digits).",
        "Feature 2 has no grid code (property `code`, 15 digits).",
        "Community code 3303 is not 12 digits (6 county + 3 street + 3 community).",
    ]


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"", "grids.geojson holds no grids."),
        (b"  \n", "grids.geojson holds no grids."),
        (b'{"type": "FeatureCollection", "features": []}', "grids.geojson holds no grids."),
        (b"code,name\n330326001001001,a\n",
         "grids.geojson is not a GeoJSON file (Expecting value, line 1)."),
        (b'{"grids": [1, 2]}', "grids.geojson is not a GeoJSON file (no FeatureCollection)."),
        (b'{"type": "Topology"}', "grids.geojson is not a GeoJSON file (type Topology)."),
        (b"\xff\xfe\x00garbage", "grids.geojson is not a GeoJSON file (invalid start byte)."),
    ],
)
def test_an_empty_or_foreign_file_is_one_sentence(
    tmp_path: Path, content: bytes, sentence: str
) -> None:
    path = tmp_path / "grids.geojson"
    path.write_bytes(content)
    with pytest.raises(grids.InvalidGrids) as info:
        grids.read_grid_file(path)
    assert str(info.value) == sentence


# ---- Codes, numbering, coordinate systems, shapefiles


def test_a_16_digit_code_is_accepted_and_explained(desk: Desk) -> None:
    data = other_county()
    feature(data, "001001001")["properties"]["code"] = OTHER + "0010010001"
    report = grids.import_grids(desk.session, data)
    assert OTHER + "001001001" in report.added
    assert [str(w) for w in report.warnings] == [
        f"Grid code {OTHER}0010010001 has 16 digits (a 4-digit sequence); it is stored as "
        f"the standard 15-digit code {OTHER}001001001."
    ]
    code, problems = rules.parse_code(OTHER + "0010011001")
    assert code is None and "does not fit the 3 digits" in str(problems[0])


def test_grids_without_codes_are_numbered_west_to_east_north_to_south(desk: Desk) -> None:
    data = other_county()
    community = OTHER + "001001"
    block = [f for f in data["features"] if f["properties"]["code"].startswith(community)]
    expected = {shape(f["geometry"]).centroid.wkt: f["properties"]["code"] for f in block}
    random.Random(3).shuffle(block)
    for f in block:
        f["properties"] = {"community_code": community, "name": "新区"}
    data["features"] = [f for f in data["features"] if f not in block] + block
    report = grids.import_grids(desk.session, data)
    assert len(report.added) == 324 and report.warnings == ()
    rows = desk.session.execute(
        text("SELECT code, polygon FROM grids WHERE community_code = :c"), {"c": community}
    ).all()
    stored = {shapely.set_precision(shape(p).centroid, 1e-9).wkt: c for c, p in rows}
    assert stored == {shapely.set_precision(shapely.from_wkt(k), 1e-9).wkt: v
                      for k, v in expected.items()}


def test_numbering_order_reads_rows_north_to_south(desk: Desk) -> None:
    del desk
    cells = [shapely.box(x, y, x + 1, y + 1) for y in (2, 1, 0) for x in (0, 1, 2)]
    shuffled = cells[:]
    random.Random(5).shuffle(shuffled)
    order = rules.numbering_order(shuffled)
    assert [shuffled[i] for i in order] == cells
    assert rules.next_sequences([1, 2, 5], 2) == [6, 7]


def test_a_projected_file_is_converted_to_longitude_latitude(desk: Desk) -> None:
    data = other_county()
    to_gk = Transformer.from_crs(4326, 4528, always_xy=True)  # CGCS2000 3° GK zone 40
    for f in data["features"]:
        f["geometry"]["coordinates"] = [
            [list(to_gk.transform(*p)) for p in ring] for ring in f["geometry"]["coordinates"]
        ]
    with pytest.raises(grids.InvalidGrids) as info:
        grids.import_grids(desk.session, copy.deepcopy(data))
    assert "is not a longitude/latitude in degrees; give the file's coordinate system with " \
           "--crs" in str(info.value)
    converted = grids.to_feature_collection(data, "gk.geojson", crs="EPSG:4528")
    report = grids.import_grids(desk.session, converted, tolerance_m2=5.0)
    assert len(report.added) == 324


def test_a_zipped_shapefile_is_read(tmp_path: Path) -> None:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON,
                          encoding="gbk") as w:
        w.field("WGBM", "C", 15)
        w.field("WGMC", "C", 50)
        w.field("CSSJ", "C", 8)
        for g in demo_grids()[:3]:
            w.poly([list(reversed(g.polygon["coordinates"][0]))])  # shapefiles: clockwise
            w.record(g.code, g.name, "20240101")
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("grids.shp", shp.getvalue())
        zf.writestr("grids.shx", shx.getvalue())
        zf.writestr("grids.dbf", dbf.getvalue())
        zf.writestr("grids.cpg", "GBK")
    data = grids.read_grid_file(path)
    props = data["features"][0]["properties"]
    assert props["WGBM"] == "330326001001001" and props["WGMC"].startswith("昆阳镇城东社区")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK not really")
    with pytest.raises(grids.InvalidGrids, match=r"bad.zip is not a readable zipped shapefile"):
        grids.read_grid_file(bad)


# ---- History: a changed grid retires its code


def test_replacing_a_grid_keeps_history_and_numbers_the_new_ones(desk: Desk) -> None:
    code = COUNTY + "001001008"
    on = today(desk) + timedelta(days=1)
    ring = desk.scalar("SELECT polygon FROM grids WHERE code = :c", c=code)["coordinates"][0]
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    south, north = min(p[1] for p in ring), max(p[1] for p in ring)
    mid = round((west + east) / 2, 7)
    halves = [shapely.box(x0, south, x1, north) for x0, x1 in ((mid, east), (west, mid))]
    new_codes, changes = grids.replace_grid(
        desk.session, code=code, on=on,
        geometries=[json.loads(shapely.to_geojson(h)) for h in halves],
    )
    assert new_codes == [COUNTY + "001001037", COUNTY + "001001038"]
    assert changes.entities == {"grids"}
    west_half = COUNTY + "001001037"  # numbered west to east, whatever the order given
    centre = Point((west + mid) / 2, (south + north) / 2)
    assert grids.locate(desk.session, centre.x, centre.y) == code
    assert grids.locate(desk.session, centre.x, centre.y, on=on) == west_half
    today_codes = {g.code for g in grids.grids_as_of(desk.session)}
    tomorrow_codes = {g.code for g in grids.grids_as_of(desk.session, on)}
    assert code in today_codes and west_half not in today_codes
    assert code not in tomorrow_codes and west_half in tomorrow_codes
    exported = grids.export_grids(desk.session, include_ended=True)
    old = feature(exported, "001001008")["properties"]
    assert old["end_date"] == rules.format_date(on)
    with pytest.raises(grids.GridNotChanged, match="already ended"):
        grids.retire_grid(desk.session, code=code, on=on)
    # Importing the full history again changes nothing.
    again = grids.import_grids(desk.session, exported)
    assert again.added == () and again.unchanged == 326


def test_a_replacement_that_overlaps_a_neighbour_is_refused(desk: Desk) -> None:
    code = COUNTY + "001001008"
    ring = desk.scalar("SELECT polygon FROM grids WHERE code = :c", c=code)["coordinates"][0]
    bigger = shape({"type": "Polygon", "coordinates": [ring]}).buffer(0.0003, join_style="mitre")
    with pytest.raises(grids.InvalidGrids) as info:
        grids.replace_grid(desk.session, code=code, on=today(desk) + timedelta(days=1),
                           geometries=[json.loads(shapely.to_geojson(bigger))])
    assert all("overlap by" in str(p) and COUNTY + "001001037" in str(p)
               for p in info.value.problems)
    assert desk.scalar("SELECT end_date FROM grids WHERE code = :c", c=code) is None


def test_retiring_a_grid_leaves_a_hole_that_locate_sees(desk: Desk) -> None:
    code = COUNTY + "002002015"
    grids.retire_grid(desk.session, code=code, on=today(desk))
    poly = shape(desk.scalar("SELECT polygon FROM grids WHERE code = :c", c=code))
    inside = poly.representative_point()
    assert grids.locate(desk.session, inside.x, inside.y) is None
    assert grids.locate(desk.session, inside.x, inside.y,
                        on=today(desk) - timedelta(days=1)) == code
    with pytest.raises(grids.GridNotChanged, match="No grid 1 exists"):
        grids.retire_grid(desk.session, code="1", on=today(desk))


# ---- Locating points


def brute_force(
    codes: list[str], polygons: list[Any], xs: list[float], ys: list[float]
) -> list[str | None]:
    """Every point against every polygon (one broadcast predicate): the smallest code of
    the polygons that touch it."""
    hits = shapely.intersects(np.array(polygons, dtype=object)[:, None],
                              shapely.points(xs, ys)[None, :])
    return [min((codes[i] for i in np.flatnonzero(hits[:, k])), default=None)
            for k in range(len(xs))]


def test_locate_agrees_with_brute_force_on_random_points() -> None:
    demo = demo_grids()
    polygons = [shape(g.polygon) for g in demo]
    index = grids.GridIndex([g.code for g in demo], polygons)
    rng = random.Random(11)
    xs = [rng.uniform(120.548, 120.572) for _ in range(3000)]  # the county and around it
    ys = [rng.uniform(27.650, 27.670) for _ in range(3000)]
    # Corners and edges shared by grids: the smaller code wins, as in brute force.
    corner = demo[7].polygon["coordinates"][0][0]
    xs += [corner[0], corner[0]]
    ys += [corner[1], (corner[1] + demo[7].polygon["coordinates"][0][2][1]) / 2]
    brute = brute_force([g.code for g in demo], polygons, xs, ys)
    assert [index.locate(x, y) for x, y in zip(xs, ys, strict=True)] == brute
    assert index.locate_many(xs, ys) == brute
    inside = sum(c is not None for c in brute)
    assert 1000 < inside < 2990  # the sample covers both inside and outside


def test_locate_agrees_with_brute_force_on_irregular_grids() -> None:
    """Voronoi cells: slanted shared edges, points on them and at their corners."""
    rng = random.Random(12)
    box = shapely.box(120.50, 27.60, 120.52, 27.62)
    seeds = shapely.MultiPoint([(rng.uniform(120.50, 120.52), rng.uniform(27.60, 27.62))
                                for _ in range(400)])
    cells = [c.intersection(box) for c in shapely.voronoi_polygons(seeds, extend_to=box).geoms]
    cells = [shapely.set_precision(c, 1e-9) for c in cells]
    cells = [c for c in cells if isinstance(c, shapely.Polygon) and not c.is_empty]
    codes = [f"330326001001{i:03d}" for i in range(1, len(cells) + 1)]
    rng.shuffle(codes)
    index = grids.GridIndex(codes, cells)
    xs = [rng.uniform(120.499, 120.521) for _ in range(4000)]
    ys = [rng.uniform(27.599, 27.621) for _ in range(4000)]
    for cell in cells[:50]:  # every vertex, and the middle of every edge
        ring = list(cell.exterior.coords)
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            xs += [x1, (x1 + x2) / 2]
            ys += [y1, (y1 + y2) / 2]
    brute = brute_force(codes, cells, xs, ys)
    assert [index.locate(x, y) for x, y in zip(xs, ys, strict=True)] == brute
    assert index.locate_many(xs, ys) == brute


def test_every_demo_case_is_located_in_its_grid(desk: Desk) -> None:
    rows = desk.session.execute(text(
        "SELECT longitude, latitude, grid_code FROM cases WHERE longitude IS NOT NULL"
    )).all()
    index = grids.grid_index(desk.session)
    assert len(index) == 324
    assert index.locate_many([r[0] for r in rows], [r[1] for r in rows]) == [r[2] for r in rows]


def test_a_case_outside_every_grid_is_queued_until_a_grid_covers_it(desk: Desk) -> None:
    lon, lat = 120.56 + SHIFT, 27.66
    assert grids.locate(desk.session, lon, lat) is None
    assert "lies outside every unit grid" in grids.outside_warning(lon, lat)
    case_id = desk.new_case(longitude=lon, latitude=lat)
    queue = grids.unplaced_cases(desk.session)
    assert case_id in [c.id for c in queue]
    grids.import_grids(desk.session, other_county())
    placed = grids.place_cases(desk.session)
    assert case_id in placed.case_ids
    code = desk.scalar("SELECT grid_code FROM cases WHERE id = :i", i=case_id)
    assert code == grids.locate(desk.session, lon, lat) and code.startswith(OTHER)
    assert case_id not in [c.id for c in grids.unplaced_cases(desk.session)]


def test_map_layers_hold_grids_and_outlines(desk: Desk) -> None:
    layers = grids.map_layers(desk.session)
    kinds = [f["properties"]["kind"] for f in layers["features"]]
    assert kinds.count("grid") == 324 and kinds.count("community") == 9
    assert kinds.count("street") == 3
    counts = grids.grid_case_counts(desk.session)
    points = grids.case_points(desk.session)
    assert sum(counts.values()) == len(points) > 0
    assert set(points[0]) >= {"id", "lon", "lat", "deadline_status"}


# ---- The command line


def test_cli_check_export_import_and_refusal(server: Any, seeded: Any, tmp_path: Path) -> None:
    env = {"SEATDESK_DATABASE_URL": _url(server)}
    exported = tmp_path / "county.geojson"
    result = _run("grids", "export", str(exported), env=env)
    assert result.returncode == 0, result.stderr
    assert "county.geojson: 324 grids exported." in result.stdout
    check = _run("grids", "import", str(exported), "--check", env=env)
    assert check.returncode == 0, check.stderr
    assert ("county.geojson: 324 grids checked, no problems; nothing was imported (--check)."
            in " ".join(check.stdout.split()))
    bad = json.loads(exported.read_text("utf-8"))
    for f in bad["features"]:
        f["properties"]["code"] = OTHER + f["properties"]["code"][6:]
        f["properties"]["community_code"] = OTHER + f["properties"]["community_code"][6:]
    bad["features"].pop(7)
    bad["features"][0]["properties"]["code"] = "12345"
    (tmp_path / "bad.geojson").write_text(json.dumps(bad), "utf-8")
    refused_run = _run("grids", "import", str(tmp_path / "bad.geojson"), env=env)
    assert refused_run.returncode == 1 and "Traceback" not in refused_run.stderr
    lines = [" ".join(ln.split()) for ln in refused_run.stderr.splitlines() if ln.strip()]
    assert any("Grid code 12345 is not 15 digits" in ln for ln in lines)
    assert lines[-1].endswith("problems in the grids; nothing was imported.")
    # Overlaps with the stored demo county: every shifted-back grid is refused too.
    assert any("overlap by" in ln for ln in lines)
    empty = tmp_path / "empty.geojson"
    empty.write_text("", "utf-8")
    result = _run("grids", "import", str(empty), env=env)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("empty.geojson holds no grids.")
    located = _run("grids", "locate", "120.5605", "27.6602", env=env)
    assert located.returncode == 0 and located.stdout.strip().startswith(COUNTY)


def test_cli_imports_a_county_for_real(server: Any, seeded: Any, owner_engine: Any,
                                       tmp_path: Path) -> None:
    env = {"SEATDESK_DATABASE_URL": _url(server)}
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps(other_county(), ensure_ascii=False), "utf-8")
    try:
        result = _run("grids", "import", str(path), env=env)
        assert result.returncode == 0, result.stderr
        assert ("other.geojson: 324 grids added, 0 ended, 0 renamed, 0 unchanged; 0 cases "
                "placed in a grid.") in " ".join(result.stdout.split())
        again = _run("grids", "import", str(path), env=env)
        assert "0 grids added, 0 ended, 0 renamed, 324 unchanged" in " ".join(
            again.stdout.split())
        located = _run("grids", "locate", str(120.5605 + SHIFT), "27.6602", env=env)
        assert located.stdout.strip().startswith(OTHER)
        outside = _run("grids", "locate", "100", "30", env=env)
        assert outside.returncode == 1 and "lies outside every unit grid" in outside.stderr
    finally:
        with owner_engine.begin() as conn:
            conn.execute(text("DELETE FROM grids WHERE code LIKE :c"), {"c": OTHER + "%"})
