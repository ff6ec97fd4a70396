"""Reading grid files: GeoJSON or a (zipped) shapefile, in whatever coordinate system
the file declares or the caller names, turned into a GeoJSON FeatureCollection in
longitude/latitude. A file that cannot be read is one file-level ``InvalidGrids``
problem; checking the grids inside is ``plan``'s job.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from seatdesk.domain.grids import GridProblem
from seatdesk.services.grids.records import InvalidGrids

#: Coordinate systems already in degrees that match WGS 84 within the ±1 m the bid
#: document allows (CGCS2000 is EPSG:4490).
GEOGRAPHIC = {4326, 4490, 4214, 4610}

T = TypeVar("T")

# pyproj keeps each thread's PROJ context in a C thread slot but frees it with the
# Python thread state; a Qt pool thread (the desk's worker) gets a fresh Python thread
# state per job, so its second file with a coordinate system found a freed context and
# the desk crashed. One long-lived Python thread does every projection instead.
_PROJ_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyproj")


def _on_proj_thread(fn: Callable[[], T]) -> T:
    return _PROJ_THREAD.submit(fn).result()


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
        data = _on_proj_thread(lambda: _to_lonlat(data, name, source))
    return dict(data)


def _to_lonlat(data: Mapping[str, Any], name: str, source: str) -> Mapping[str, Any]:
    try:
        crs_obj = CRS.from_user_input(source)
    except CRSError:
        raise InvalidGrids([GridProblem("bad_crs", name, {"crs": source})]) from None
    epsg = crs_obj.to_epsg()
    if crs_obj.is_geographic and epsg in GEOGRAPHIC:
        return data
    transformer = Transformer.from_crs(crs_obj, 4326, always_xy=True)
    return {**data, "features": [_transformed(f, transformer) for f in data["features"]]}


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
        crs = _on_proj_thread(lambda: CRS.from_wkt(prj).to_string())
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data  # type: ignore[no-any-return]


def _dbf_encoding(zf: zipfile.ZipFile, members: Mapping[str, str]) -> str:
    if ".cpg" in members:
        return zf.read(members[".cpg"]).decode("ascii", "replace").strip() or "utf-8"
    return "gbk"  # the usual encoding of a Chinese shapefile without a .cpg
