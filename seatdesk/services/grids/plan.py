"""Planning an import: the features of a FeatureCollection parsed into grid rows
(codes, names, dates, the pinyin attribute names of Chinese grid surveys), numbered
when they come with a community only, then compared with the stored grids and checked
(duplicates, changed boundaries, retired codes, overlaps, gaps) into an ``ImportPlan``:
what to insert, end and rename, and every problem. Nothing here touches the database;
``changes`` reads the stored grids and applies a plan without problems.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import shapely
from shapely.geometry import Polygon

from seatdesk.domain import grids as rules
from seatdesk.domain.grids import Candidate, GridProblem
from seatdesk.progress import Progress

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


# ---- Comparing with the stored grids and checking


@dataclass(frozen=True, slots=True)
class StoredGrid:
    """A grid as stored, its polygon normalized (what an import is compared with)."""

    code: str
    name: str
    note: str | None
    polygon: Polygon
    start_date: date
    end_date: date | None


@dataclass
class ImportPlan:
    """What an import would do, and every problem that refuses it."""

    checked: int = 0
    insert: list[_GridRow] = field(default_factory=list)
    end: list[tuple[str, date]] = field(default_factory=list)
    rename: list[tuple[str, str, str | None]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[GridProblem] = field(default_factory=list)
    warnings: list[GridProblem] = field(default_factory=list)


def plan_import(
    data: Mapping[str, Any], stored: Mapping[str, StoredGrid], today: date,
    tolerance_m2: float, progress: Progress,
) -> ImportPlan:
    """Parse, number, compare and check the features of ``data`` against ``stored``
    (the grids in the database on ``today``), advancing ``progress`` three steps."""
    parsed = _parse(data, today)
    plan = ImportPlan(problems=list(parsed.problems), warnings=list(parsed.warnings))
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
    parsed: _Parsed, stored: Mapping[str, StoredGrid], today: date, plan: ImportPlan
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
    parsed: _Parsed, stored: Mapping[str, StoredGrid], today: date, tolerance_m2: float,
    plan: ImportPlan,
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
