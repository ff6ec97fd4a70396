"""The map: seatdesk's MapView beside a bare Leaflet page drawing the same data.

Both pages run in a QWebEngineView (offscreen by default), load the same Leaflet 1.9.4
files from the installed package, and draw the same GeoJSON: 10,000 unit grids (an
irregular 100 × 100 lattice) and 5,000 case markers on a canvas. A layer counts as
drawn two animation frames after it was added, when the canvas has painted.

- render: from creating the widget (ours: building the folium page in Python too) to
  grids and markers drawn;
- update: new deadline statuses for the 5,000 cases, from the Python call to drawn
  (ours through ``MapView.set_cases``; the bare page replaces its marker layer);
- ours is measured twice: as the app runs it (markers clustered when many) and with
  clustering off, drawing every marker as the bare page does.

Target (issue 6): render under 2 s, update under 200 ms.

    QT_QPA_PLATFORM=offscreen python benchmarks/map_render.py [--grids 10000]
        [--cases 5000] [--repeat 3]

It exits 0 whatever the timings: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    # Run as a file: this folder would shadow the standard library (benchmarks/queue.py).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer, QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

import ui.map  # noqa: F401 - QtWebEngine before the QApplication
from benchmarks.locate import lattice
from seatdesk.domain import grids as rules
from ui.map import MapView, PageOptions
from ui.map.map_view import _literal
from ui.map.page import leaflet_dir

RENDER_TARGET_S = 2.0
UPDATE_TARGET_S = 0.2
SIZE = (1280, 800)
STATUSES = ("normal", "warning", "overdue")

BARE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<script src="leaflet.js"></script><link rel="stylesheet" href="leaflet.css">
<style>html, body, #map { width: 100%; height: 100%; margin: 0; }</style>
</head><body><div id="map"></div><script>
var map = L.map('map', { preferCanvas: true }).setView([LAT, LON], ZOOM);
var colours = { normal: '#2e7d32', warning: '#f9a825', overdue: '#c62828' };
var markers = L.layerGroup().addTo(map);
function painted(tag) {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    document.title = tag; }); });
}
function drawCases(cases) {
  markers.clearLayers();
  cases.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], { radius: 6, color: '#fff', weight: 1.5,
      fillColor: colours[c.deadline_status], fillOpacity: 0.95 }).addTo(markers);
  });
}
function draw(grids, cases, tag) {
  L.geoJSON(grids, { style: { color: '#b0307a', weight: 1, fillOpacity: 0.03 } }).addTo(map);
  drawCases(cases);
  painted(tag);
}
function update(cases, tag) { drawCases(cases); painted(tag); }
</script></body></html>
"""


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60.0) -> None:
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not answer in time")
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def dispose(widget: Any) -> None:
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QTimer.singleShot(0, lambda: None)
    wait_until(lambda: True)


def data(n_grids: int, n_cases: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    codes, polygons = lattice(n_grids)
    grids = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": rules.polygon_to_geojson(p),
                "properties": {"kind": "grid", "code": c, "name": f"第{c[-3:]}网格"},
            }
            for c, p in zip(codes, polygons, strict=True)
        ],
    }
    minx = min(p.bounds[0] for p in polygons)
    miny = min(p.bounds[1] for p in polygons)
    maxx = max(p.bounds[2] for p in polygons)
    maxy = max(p.bounds[3] for p in polygons)
    import random

    rng = random.Random(3)
    cases = [
        {
            "id": i + 1,
            "lon": rng.uniform(minx, maxx),
            "lat": rng.uniform(miny, maxy),
            "deadline_status": rng.choice(STATUSES),
            "number": f"2026{i + 1:07d}",
        }
        for i in range(n_cases)
    ]
    return grids, cases


def restatus(cases: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    return [{**c, "deadline_status": STATUSES[(i + k) % 3]} for i, c in enumerate(cases)]


def centre(grids: dict[str, Any]) -> tuple[float, float]:
    ring = grids["features"][len(grids["features"]) // 2]["geometry"]["coordinates"][0]
    return ring[0][0], ring[0][1]


def run_ours(
    grids: dict[str, Any], cases: list[dict[str, Any]], *, cluster: bool, zoom: int
) -> tuple[float, float]:
    drawn: dict[str, int] = {}
    t0 = time.perf_counter()
    options = PageOptions(center=centre(grids), zoom=zoom, cluster_min=200 if cluster else 10**9)
    view = MapView(options=options)
    view.resize(*SIZE)
    view.show()
    view.sig_drawn.connect(lambda kind, n, ms: drawn.__setitem__(kind, drawn.get(kind, 0) + 1))
    view.set_grids(grids, fit=False)
    view.set_cases(cases)
    wait_until(lambda: drawn.get("grids", 0) >= 1 and drawn.get("cases", 0) >= 1)
    render = time.perf_counter() - t0
    updates = []
    for k in (1, 2, 3):
        fresh = restatus(cases, k)
        before = drawn["cases"]
        t1 = time.perf_counter()
        view.set_cases(fresh)
        wait_until(lambda b=before: bool(drawn["cases"] > b))  # type: ignore[misc]
        updates.append(time.perf_counter() - t1)
    dispose(view)
    return render, statistics.median(updates)


def run_bare(
    grids: dict[str, Any], cases: list[dict[str, Any]], *, zoom: int
) -> tuple[float, float]:
    t0 = time.perf_counter()
    view = QWebEngineView()
    view.resize(*SIZE)
    view.show()
    lon, lat = centre(grids)
    html = BARE_PAGE.replace("LAT", repr(lat)).replace("LON", repr(lon)).replace("ZOOM", str(zoom))
    loaded: list[bool] = []
    view.loadFinished.connect(lambda ok: loaded.append(ok))
    view.setHtml(html, QUrl.fromLocalFile(str(leaflet_dir()) + "/"))
    wait_until(lambda: bool(loaded))
    view.page().runJavaScript(
        f"draw(JSON.parse({_literal(grids)}), JSON.parse({_literal(cases)}), 'drawn0')", 0
    )
    wait_until(lambda: view.title() == "drawn0")
    render = time.perf_counter() - t0
    updates = []
    for k in (1, 2, 3):
        fresh = restatus(cases, k)
        t1 = time.perf_counter()
        view.page().runJavaScript(f"update(JSON.parse({_literal(fresh)}), 'drawn{k}')", 0)
        wait_until(lambda k=k: bool(view.title() == f"drawn{k}"))  # type: ignore[misc]
        updates.append(time.perf_counter() - t1)
    dispose(view)
    return render, statistics.median(updates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--zoom",
        type=int,
        default=14,
        help="the view's zoom (14 shows most of 10,000 grids at 1280×800)",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    grids, cases = data(args.grids, args.cases)
    size_mb = len(json.dumps(grids)) / 1e6
    print(
        f"{len(grids['features']):,} grids ({size_mb:.1f} MB of GeoJSON), "
        f"{len(cases):,} markers, view {SIZE[0]}×{SIZE[1]} at zoom {args.zoom}, "
        f"{QApplication.platformName()}, {args.repeat} runs, median"
    )
    # A first page warms QtWebEngine up (its processes, the profile) for both sides.
    run_bare(grids, cases[:10], zoom=args.zoom)
    runs: dict[str, list[tuple[float, float]]] = {"ours": [], "ours_flat": [], "bare": []}
    for _ in range(args.repeat):  # interleaved
        runs["bare"].append(run_bare(grids, cases, zoom=args.zoom))
        runs["ours"].append(run_ours(grids, cases, cluster=True, zoom=args.zoom))
        runs["ours_flat"].append(run_ours(grids, cases, cluster=False, zoom=args.zoom))
    med = {
        k: (statistics.median(r for r, _ in v), statistics.median(u for _, u in v))
        for k, v in runs.items()
    }
    bare_render, bare_update = med["bare"]
    print()
    print(f"{'':<34}{'render s':>10}{'vs bare':>9}{'update ms':>11}{'vs bare':>9}")
    for key, label in (
        ("bare", "bare Leaflet page"),
        ("ours", "seatdesk MapView (clustered)"),
        ("ours_flat", "seatdesk MapView (every marker)"),
    ):
        render, update = med[key]
        print(
            f"{label:<34}{render:>10.2f}{render / bare_render:>8.2f}×"
            f"{update * 1000:>11.0f}{update / bare_update:>8.2f}×"
        )
    ours_render, ours_update = med["ours"]
    print()
    print(
        f"targets: render < {RENDER_TARGET_S:.0f} s "
        f"{'met' if ours_render < RENDER_TARGET_S else 'MISSED'}, "
        f"update < {UPDATE_TARGET_S * 1000:.0f} ms "
        f"{'met' if ours_update < UPDATE_TARGET_S else 'MISSED'}"
    )
    del app


if __name__ == "__main__":
    main()
