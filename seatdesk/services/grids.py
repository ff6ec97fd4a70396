"""Unit grids: import and check, export, history, and point → grid lookup.

Import is all or nothing: every grid of the file is checked (code, polygon, dates,
overlaps with every grid active at the same time, gaps and strays in each community)
and a single problem anywhere refuses the whole file with one sentence per problem
(``InvalidGrids``). A changed grid never keeps its code: its old code gets an end date
and the new boundary a new code (``replace_grid``), so history is kept and the map can
show the grids as of any date.

Grid geometry stays GeoJSON in ``grids.polygon``; bounding boxes and the spatial index
(a shapely ``STRtree``) are computed in Python when the grids are loaded, which takes
well under a second for 10,000 grids and is cached until the grids change.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import Polygon
from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.db.calls import call
from seatdesk.domain import grids as rules
from seatdesk.domain.glossary import FINAL_STATES
from seatdesk.domain.grids import Candidate, GridProblem
from seatdesk.errors import Problem, SeatdeskError
from seatdesk.progress import NoProgress, Progress
from seatdesk.services.common import CaseId, ChangeSet

_FINAL = sorted(s.value for s in FINAL_STATES)
GRIDS_CHANGED = ChangeSet(entities=frozenset({"grids"}))
#: Property names a grid file may use, first the seatdesk ones, then the pinyin
#: initials of the attribute tables that Chinese grid surveys deliver (标识码 BSM,
#: 网格编码 WGBM, 网格名称 WGMC, 社区编码 SQBM, 初始时间 CSSJ, 终止时间 ZZSJ, 面积 MJ, 备注 BZ).
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "grid_code", "wgbm", "bsm", "dybm"),
    "name": ("name", "grid_name", "wgmc", "mc"),
    "community_code": ("community_code", "sqbm", "cjbm"),
    "street_code": ("street_code", "jdbm"),
    "county_code": ("county_code", "xzqdm", "qxdm"),
    "start_date": ("start_date", "cssj", "qssj", "start"),
    "end_date": ("end_date", "zzsj", "end"),
    "area_m2": ("area_m2", "area", "mj"),
    "note": ("note", "bz", "remark"),
}
#: Coordinate systems already in degrees that match WGS 84 within the ±1 m the bid
#: document allows (CGCS2000 is EPSG:4490).
GEOGRAPHIC = {4326, 4490, 4214, 4610}


#: Problems of the file as a whole (its ``code`` is the file's name).
FILE_PROBLEMS = frozenset({"empty_file", "not_geojson", "bad_shapefile", "bad_crs"})


class InvalidGrids(SeatdeskError):
    """A grid file or change that was refused; ``problems`` holds one sentence each."""

    key = "grid.refused"

    def __init__(
        self, problems: Sequence[GridProblem], warnings: Sequence[GridProblem] = ()
    ) -> None:
        super().__init__(len(problems))
        self.problems = list(problems)
        self.warnings = list(warnings)

    def values(self) -> dict[str, Any]:
        return {"count": len(self.problems)}

    def __str__(self) -> str:
        if len(self.problems) == 1 and self.problems[0].key in FILE_PROBLEMS:
            return str(self.problems[0])  # a file-level problem is the whole story
        return "\n".join([*(str(p) for p in self.problems), super().__str__()])


class GridNotChanged(Problem):
    """A retire or replace that cannot be done (unknown grid, already ended …)."""


# ---- DTOs


@dataclass(frozen=True, slots=True)
class GridInfo:
    code: str
    name: str
    community_code: str
    area_m2: float
    start_date: date
    end_date: date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, with ``check_only``, would do)."""

    checked: int
    added: tuple[str, ...]
    ended: tuple[str, ...]
    renamed: tuple[str, ...]
    unchanged: int
    warnings: tuple[GridProblem, ...]
    applied: bool
    changes: ChangeSet = field(default_factory=ChangeSet)


@dataclass(frozen=True, slots=True)
class UnplacedCase:
    """A case whose location lies outside every grid: the queue of cases to place."""

    id: CaseId
    number: str
    state: str
    address: str
    longitude: float
    latitude: float


# ---- Reading files


def read_grid_file(path: Path, *, crs: str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection in longitude/latitude from a GeoJSON file or a zipped
    shapefile; ``crs`` names the file's coordinate system when it does not say.

    Raises ``InvalidGrids`` with one file-level problem for an empty or unreadable file.
    """
    name = path.name
    if path.suffix.lower() in (".zip", ".shp"):
        data = _read_shapefile(path)
    else:
        raw = path.read_bytes()
        if not raw.strip():
            raise InvalidGrids([GridProblem("empty_file", name, {"file": name})])
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.msg
            where = "" if isinstance(exc, UnicodeDecodeError) else f", line {exc.lineno}"
            raise InvalidGrids(
                [GridProblem("not_geojson", name, {"file": name, "reason": f"{reason}{where}"})]
            ) from None
    return to_feature_collection(data, name, crs=crs)


def to_feature_collection(data: Any, name: str, *, crs: str | None = None) -> dict[str, Any]:
    """``data`` as a FeatureCollection in longitude/latitude, or ``InvalidGrids``."""
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    elif kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        reason = f"type {kind}" if kind else "no FeatureCollection"
        raise InvalidGrids([GridProblem("not_geojson", name, {"file": name, "reason": reason})])
    if not data["features"]:
        raise InvalidGrids([GridProblem("empty_file", name, {"file": name})])
    source = crs or _declared_crs(data)
    if source:
        try:
            crs_obj = CRS.from_user_input(source)
        except CRSError:
            raise InvalidGrids([GridProblem("bad_crs", name, {"crs": source})]) from None
        epsg = crs_obj.to_epsg()
        if not crs_obj.is_geographic or epsg not in GEOGRAPHIC:
            transformer = Transformer.from_crs(crs_obj, 4326, always_xy=True)
            data = {
                **data,
                "features": [_transformed(f, transformer) for f in data["features"]],
            }
    return dict(data)


def _declared_crs(data: Mapping[str, Any]) -> str | None:
    crs = data.get("crs")
    if isinstance(crs, Mapping):
        name = crs.get("properties", {}).get("name")
        if isinstance(name, str) and "CRS84" not in name:
            return name.replace("urn:ogc:def:crs:", "").replace("::", ":")
    return None


def _transformed(feature: Any, transformer: Transformer) -> Any:
    geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
    if not isinstance(geometry, Mapping) or "coordinates" not in geometry:
        return feature

    def walk(c: Any) -> Any:
        if c and isinstance(c[0], int | float):
            x, y = transformer.transform(c[0], c[1])
            return [x, y]
        return [walk(x) for x in c]

    try:
        coords = walk(geometry["coordinates"])
    except (TypeError, IndexError):
        return feature
    return {**feature, "geometry": {**geometry, "coordinates": coords}}


def _read_shapefile(path: Path) -> dict[str, Any]:
    import shapefile  # type: ignore[import-untyped]  # pyshp

    name = path.name
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                members = {Path(n).suffix.lower(): n for n in zf.namelist()}
                if ".shp" not in members or ".dbf" not in members:
                    raise ValueError("no .shp and .dbf inside")
                prj = zf.read(members[".prj"]).decode("utf-8", "replace") if (
                    ".prj" in members) else None
                with shapefile.Reader(
                    shp=zf.open(members[".shp"]), dbf=zf.open(members[".dbf"]),
                    shx=zf.open(members[".shx"]) if ".shx" in members else None,
                    encoding=_dbf_encoding(zf, members),
                ) as reader:
                    collection = reader.__geo_interface__
        else:
            prj_path = path.with_suffix(".prj")
            prj = prj_path.read_text("utf-8", "replace") if prj_path.exists() else None
            with shapefile.Reader(str(path)) as reader:
                collection = reader.__geo_interface__
    except (zipfile.BadZipFile, shapefile.ShapefileException, ValueError, OSError) as exc:
        raise InvalidGrids(
            [GridProblem("bad_shapefile", name, {"file": name, "reason": str(exc)})]
        ) from None
    data = json.loads(json.dumps(collection))  # tuples → lists, plain dicts
    if prj:
        data["crs"] = {"type": "name", "properties": {"name": CRS.from_wkt(prj).to_string()}}
    return data  # type: ignore[no-any-return]


def _dbf_encoding(zf: zipfile.ZipFile, members: Mapping[str, str]) -> str:
    if ".cpg" in members:
        return zf.read(members[".cpg"]).decode("ascii", "replace").strip() or "utf-8"
    return "gbk"  # the usual encoding of a Chinese shapefile without a .cpg


# ---- Parsing features


@dataclass(frozen=True, slots=True)
class _GridRow:
    index: int
    code: str
    name: str
    polygon: Polygon
    start_date: date
    end_date: date | None
    note: str | None
    given_area: float | None


def _prop(props: Mapping[str, Any], key: str) -> Any:
    lowered = {str(k).lower(): v for k, v in props.items()}
    for alias in ALIASES[key]:
        value = lowered.get(alias)
        if value not in (None, ""):
            return value
    return None


@dataclass
class _Parsed:
    grids: list[_GridRow] = field(default_factory=list)
    uncoded: dict[str, list[tuple[int, Mapping[str, Any], Polygon]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    boundaries: dict[str, Any] = field(default_factory=dict)
    problems: list[GridProblem] = field(default_factory=list)
    warnings: list[GridProblem] = field(default_factory=list)


def _parse(data: Mapping[str, Any], today: date) -> _Parsed:
    out = _Parsed()
    for index, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, Mapping):
            feature = {}
        props = feature.get("properties") or {}
        if not isinstance(props, Mapping):
            props = {}
        geometry = feature.get("geometry")
        raw_code = _prop(props, "code")
        community = _prop(props, "community_code")
        text_code = "" if raw_code is None else str(raw_code).strip()
        if len(text_code) == rules.COMMUNITY_CODE_LENGTH and text_code.isdigit():
            try:
                boundary = shapely.geometry.shape(geometry) if geometry else None
            except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
                boundary = None
            if boundary is not None and boundary.is_valid and not boundary.is_empty:
                out.boundaries[text_code] = boundary
            else:
                out.problems.append(GridProblem("invalid_polygon", text_code,
                                                {"reason": "community boundary"}))
            continue
        if raw_code is None and community is not None:
            community = str(community).strip()
            if len(community) != rules.COMMUNITY_CODE_LENGTH or not community.isdigit():
                out.problems.append(GridProblem("community_format", community))
                continue
            polygon, problems = rules.polygon_from_geojson(f"#{index}", geometry)
            out.problems.extend(problems)
            if polygon is not None:
                out.uncoded[community].append((index, props, polygon))
            continue
        code, problems = rules.parse_code(raw_code)
        if code is None and problems and problems[0].key == "no_code":
            problems = [replace(problems[0], values={"index": index})]
        out.problems.extend(p for p in problems if not p.warning)
        out.warnings.extend(p for p in problems if p.warning)
        if code is None:
            continue
        row = _grid_row(index, str(code), props, geometry, today, out.problems)
        if row is not None:
            out.grids.append(row)
    return out


def _grid_row(
    index: int, code: str, props: Mapping[str, Any], geometry: Any, today: date,
    problems: list[GridProblem],
) -> _GridRow | None:
    ok = True
    for level, length in (("community", 12), ("street", 9), ("county", 6)):
        given = _prop(props, f"{level}_code")
        if given is not None and not code.startswith(str(given).strip()[:length]):
            problems.append(GridProblem("community_mismatch", code,
                                        {"level": level, "given": str(given).strip()}))
            ok = False
    polygon, geo_problems = rules.polygon_from_geojson(code, geometry)
    problems.extend(geo_problems)
    row = _attributes(index, code, props, polygon, today, problems)
    return row if ok else None


def _attributes(
    index: int, code: str, props: Mapping[str, Any], polygon: Polygon | None, today: date,
    problems: list[GridProblem],
) -> _GridRow | None:
    """The row of a grid whose polygon is checked: its name, dates, note, given area."""
    dates: dict[str, date | None] = {}
    ok = polygon is not None
    for which in ("start_date", "end_date"):
        raw = _prop(props, which)
        try:
            dates[which] = rules.parse_date(raw)
        except ValueError:
            problems.append(GridProblem("bad_date", code, {"which": which, "value": raw}))
            ok = False
    start = dates.get("start_date") or today
    end = dates.get("end_date")
    if end is not None and end < start:
        problems.append(GridProblem("dates_order", code, {
            "start": rules.format_date(start), "end": rules.format_date(end)}))
        ok = False
    if not ok or polygon is None:
        return None
    area = _prop(props, "area_m2")
    try:
        given_area = float(area) if area is not None else None
    except (TypeError, ValueError):
        given_area = None
    name = str(_prop(props, "name") or code).strip()[:100]
    note = _prop(props, "note")
    return _GridRow(index, code, name, polygon, start, end,
                    None if note is None else str(note), given_area)


# ---- The existing grids


@dataclass(frozen=True, slots=True)
class _Stored:
    code: str
    name: str
    note: str | None
    polygon: Polygon
    start_date: date
    end_date: date | None


def _stored(session: Session) -> dict[str, _Stored]:
    rows = session.execute(text(
        "SELECT code, name, note, polygon::text, start_date, end_date FROM grids ORDER BY code"
    )).all()
    if not rows:
        return {}
    geoms = shapely.normalize(shapely.from_geojson([r[3] for r in rows]))
    return {
        r[0]: _Stored(r[0], r[1], r[2], g, r[4], r[5])
        for r, g in zip(rows, geoms, strict=True)
    }


def _today(session: Session) -> date:
    return session.execute(text("SELECT current_date")).scalar_one()  # type: ignore[no-any-return]


# ---- Checking and importing


@dataclass
class _Plan:
    checked: int = 0
    insert: list[_GridRow] = field(default_factory=list)
    end: list[tuple[str, date]] = field(default_factory=list)
    rename: list[tuple[str, str, str | None]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[GridProblem] = field(default_factory=list)
    warnings: list[GridProblem] = field(default_factory=list)


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
    plan = _plan(data, stored, today, tolerance_m2, progress)
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


def _plan(
    data: Mapping[str, Any], stored: Mapping[str, _Stored], today: date,
    tolerance_m2: float, progress: Progress,
) -> _Plan:
    parsed = _parse(data, today)
    plan = _Plan(problems=list(parsed.problems), warnings=list(parsed.warnings))
    _number_uncoded(parsed, stored, today, plan)
    counts = Counter(g.code for g in parsed.grids)
    for code, n in sorted(counts.items()):
        if n > 1:
            plan.problems.append(GridProblem("duplicate", code, {"count": n}))
    rows = {g.code: g for g in parsed.grids}
    plan.checked = len(data.get("features", []))
    progress.advance()
    progress.status("compare")
    for g in rows.values():
        old = stored.get(g.code)
        if old is None:
            plan.insert.append(g)
            if g.given_area is not None:
                measured = rules.area_m2(g.polygon)
                if abs(measured - g.given_area) > max(1.0, 0.01 * measured):
                    plan.warnings.append(GridProblem("area_differs", g.code, {
                        "given": f"{g.given_area:,.1f}", "computed": f"{measured:,.1f}"},
                        warning=True))
            continue
        if not old.polygon.equals_exact(g.polygon, 1e-7):
            plan.problems.append(GridProblem("changed_boundary", g.code))
            continue
        if old.end_date is not None and g.end_date != old.end_date:
            plan.problems.append(GridProblem("code_retired", g.code,
                                             {"end": rules.format_date(old.end_date)}))
            continue
        changed = False
        if old.end_date is None and g.end_date is not None:
            plan.end.append((g.code, g.end_date))
            changed = True
        if g.name != old.name or (g.note is not None and g.note != old.note):
            plan.rename.append((g.code, g.name, g.note if g.note is not None else old.note))
            changed = True
        plan.unchanged += not changed
    progress.advance()
    progress.status("topology")
    _check_topology(parsed, stored, today, tolerance_m2, plan)
    progress.advance()
    plan.problems.sort(key=lambda p: (p.code, p.key))
    return plan


def _number_uncoded(
    parsed: _Parsed, stored: Mapping[str, _Stored], today: date, plan: _Plan
) -> None:
    """Codes for the grids given only a community: the next sequences of the community
    (never a used one), in the order west→east, north→south."""
    for community, items in sorted(parsed.uncoded.items()):
        used = [int(c[12:]) for c in stored if c.startswith(community)]
        used += [int(g.code[12:]) for g in parsed.grids if g.code.startswith(community)]
        try:
            sequences = rules.next_sequences(used, len(items))
        except ValueError:
            plan.problems.append(GridProblem("community_full", community, {"count": len(items)}))
            continue
        order = rules.numbering_order([p for _, _, p in items])
        for i, seq in zip(order, sequences, strict=True):
            index, props, polygon = items[i]
            row = _attributes(index, rules.make_code(community, seq), props, polygon, today,
                              plan.problems)
            if row is not None:
                parsed.grids.append(row)


def _check_topology(
    parsed: _Parsed, stored: Mapping[str, _Stored], today: date, tolerance_m2: float,
    plan: _Plan,
) -> None:
    new_codes = {g.code for g in plan.insert}
    ends = dict(plan.end)
    candidates: dict[str, Candidate] = {}
    for code, s in stored.items():
        candidates[code] = Candidate(code, s.polygon, s.start_date, ends.get(code, s.end_date),
                                     new=False)
    for g in plan.insert:
        candidates[g.code] = Candidate(g.code, g.polygon, g.start_date, g.end_date, new=True)
    # Gaps only where every grid could be read: a refused grid would look like a hole.
    refused = {p.code for p in plan.problems}
    unreadable: set[str] | None = {c[:12] for c in refused}
    if any(len(c) not in (12, rules.CODE_LENGTH) or not c.isdigit() for c in refused):
        unreadable = None  # a grid of unknown community: no gap check is meaningful
    plan.problems.extend(rules.find_overlaps(list(candidates.values()), tolerance_m2))
    on = max([today, *(g.start_date for g in plan.insert)])
    touched = {rules.community_of(c) for c in (new_codes | set(ends))} | set(parsed.boundaries)
    touched = set() if unreadable is None else touched - unreadable
    by_community: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates.values():
        if rules.active_on(c.start_date, c.end_date, on):
            by_community[rules.community_of(c.code)].append(c)
    fresh: list[Candidate] = []
    for community in sorted(touched):
        members = by_community.get(community, [])
        plan.problems.extend(rules.find_gaps(community, members, tolerance_m2,
                                             parsed.boundaries.get(community)))
        if members and all(m.new for m in members):
            fresh.extend(members)
    plan.warnings.extend(rules.numbering_warnings(fresh))


def _apply(session: Session, plan: _Plan) -> None:
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
    _INDEXES.clear()


# ---- Changing one grid


def retire_grid(session: Session, *, code: str, on: date) -> ChangeSet:
    """End ``code`` on ``on`` (the first day it no longer applies), leaving a hole that
    the map and the checks will show until a new grid covers it."""
    row = session.execute(
        text("SELECT start_date, end_date FROM grids WHERE code = :c"), {"c": code}
    ).first()
    if row is None:
        raise GridNotChanged("grid.not_found", code=code)
    if row.end_date is not None:
        raise GridNotChanged("grid.already_retired", code=code,
                             end=rules.format_date(row.end_date))
    if on < row.start_date:
        raise GridNotChanged("grid.end_before_start", code=code,
                             start=rules.format_date(row.start_date), end=rules.format_date(on))
    session.execute(text("UPDATE grids SET end_date = :d WHERE code = :c"), {"d": on, "c": code})
    _INDEXES.clear()
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
    row = session.execute(
        text("SELECT name, polygon, start_date, end_date FROM grids WHERE code = :c"),
        {"c": code},
    ).first()
    if row is None:
        raise GridNotChanged("grid.not_found", code=code)
    if row.end_date is not None:
        raise GridNotChanged("grid.already_retired", code=code,
                             end=rules.format_date(row.end_date))
    if on <= row.start_date:
        raise GridNotChanged("grid.end_before_start", code=code,
                             start=rules.format_date(row.start_date), end=rules.format_date(on))
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


# ---- Reading grids


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


# ---- Locating points


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
