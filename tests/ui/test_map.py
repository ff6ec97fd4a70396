"""The map page offscreen: it loads with local files only, draws the grids, and its
clicks reach Python."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.db.engine import session_factory
from seatdesk.demo import DemoResult
from seatdesk.services import grids
from ui.map import MapView, PageOptions
from ui.map.page import build_page

TIMEOUT = 20_000


@pytest.fixture(scope="module")
def layers(owner_engine: Engine, seeded: DemoResult) -> dict[str, Any]:
    """The demo county's map layers, read through the service as the app reads them."""
    with session_factory(owner_engine).begin() as s:
        return grids.map_layers(s)


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[MapView]:
    widget = MapView(options=PageOptions(zoom=16))
    widget.resize(900, 700)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    _dispose(widget)


def _dispose(widget: MapView) -> None:
    """Delete the view now: a page must go before QtWebEngine's profile does."""
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def js(qtbot: QtBot, view: MapView, script: str) -> Any:
    """The value of ``script`` in the page (as JSON, so arrays come back whole)."""
    box: list[Any] = []
    view.evaluate(f"JSON.stringify({script})", lambda r: box.append(r))
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return json.loads(box[0])


def ready(qtbot: QtBot, view: MapView) -> None:
    if not view.is_ready():
        with qtbot.waitSignal(view.sig_ready, timeout=TIMEOUT):
            pass


def drawn(qtbot: QtBot, view: MapView, kind: str) -> Any:
    return qtbot.waitSignal(view.sig_drawn, timeout=TIMEOUT,
                            check_params_cb=lambda k, n, ms: k == kind)


def test_the_page_has_no_address_on_the_internet() -> None:
    html = build_page(PageOptions())
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["leaflet.js", "leaflet.css"]
    assert "cdn" not in html.lower() and "https://" not in html.split("<script>")[0]


def test_the_page_loads_offscreen_and_draws_the_demo_grids(
    qtbot: QtBot, view: MapView, layers: dict[str, Any]
) -> None:
    with drawn(qtbot, view, "grids") as signal:
        view.set_grids(layers)  # queued until the page is ready
    assert signal.args[:2] == ["grids", 324]
    assert js(qtbot, view, "seatdesk.gridCount()") == 324
    lon, lat, zoom = js(qtbot, view, "seatdesk.view()")
    assert 120.55 < lon < 120.57 and 27.65 < lat < 27.67 and zoom >= 14  # fitted
    assert view.blocked_requests() == []


def test_the_page_cannot_reach_the_internet(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    view.evaluate("""
        window.probe = 'waiting';
        var img = new Image();
        img.onload = function () { window.probe = 'loaded'; };
        img.onerror = function () { window.probe = 'refused'; };
        img.src = 'https://tile.openstreetmap.org/1/1/1.png';
        1
    """)
    qtbot.waitUntil(lambda: js(qtbot, view, "window.probe") != "waiting", timeout=TIMEOUT)
    assert js(qtbot, view, "window.probe") == "refused"


def test_a_click_on_a_case_marker_reaches_python(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    view.center_on(120.5600, 27.6600, 17)
    cases = [
        {"id": 41, "lon": 120.5590, "lat": 27.6600, "deadline_status": "normal"},
        {"id": 42, "lon": 120.5600, "lat": 27.6600, "deadline_status": "overdue",
         "number": "20240000042"},
        {"id": 43, "lon": 120.5610, "lat": 27.6600, "deadline_status": "warning"},
    ]
    with drawn(qtbot, view, "cases"):
        view.set_cases(cases)
    x, y = js(qtbot, view, "seatdesk.casePoint(42)")
    target = view.view.focusProxy()
    with qtbot.waitSignal(view.sig_case_clicked, timeout=TIMEOUT) as clicked:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert clicked.args == [42]


def test_pick_on_map_gives_the_point_clicked(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    view.center_on(120.5605, 27.6602, 18)
    view.start_pick()
    x, y = js(qtbot, view, "seatdesk.pointOf(120.5612, 27.6598)")
    with qtbot.waitSignal(view.sig_point_picked, timeout=TIMEOUT) as picked:
        qtbot.mouseClick(view.view.focusProxy(), Qt.MouseButton.LeftButton,
                         pos=QPoint(round(x), round(y)))
    lon, lat = picked.args
    assert lon == pytest.approx(120.5612, abs=1e-5) and lat == pytest.approx(27.6598, abs=1e-5)
    # A second click is an ordinary click again: nothing more is picked.
    with qtbot.assertNotEmitted(view.sig_point_picked, wait=300):
        qtbot.mouseClick(view.view.focusProxy(), Qt.MouseButton.LeftButton,
                         pos=QPoint(round(x), round(y)))


def test_center_on_moves_the_map(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    view.center_on(120.5555, 27.6655, 18)
    assert js(qtbot, view, "seatdesk.view()") == pytest.approx([120.5555, 27.6655, 18])


def test_many_cases_are_clustered_and_updates_do_not_rebuild_the_page(
    qtbot: QtBot, view: MapView, layers: dict[str, Any]
) -> None:
    ready(qtbot, view)
    js(qtbot, view, "window.sentinel = 'same page', 1")
    with drawn(qtbot, view, "grids"):
        view.set_grids(layers)
    many = [
        {"id": i, "lon": 120.552 + (i % 40) * 0.0004, "lat": 27.653 + (i // 40) * 0.0004,
         "deadline_status": ("normal", "warning", "overdue")[i % 3]}
        for i in range(1000)
    ]
    with drawn(qtbot, view, "cases") as signal:
        view.set_cases(many)
    assert signal.args[1] == 1000
    markers, clusters = js(qtbot, view, "[seatdesk.drawnMarkers(), seatdesk.drawnClusters()]")
    assert clusters > 0 and markers + clusters < 1000
    view.center_on(120.56, 27.66, 19)  # close in: every marker on its own
    qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.drawnClusters()") == 0, timeout=TIMEOUT)
    assert js(qtbot, view, "window.sentinel") == "same page"


def test_a_configured_tile_server_is_the_only_remote_address(qtbot: QtBot) -> None:
    tiles = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"  # nothing listens: no tile comes
    widget = MapView(options=PageOptions(tile_url=tiles, attribution="内网瓦片"))
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    ready(qtbot, widget)
    qtbot.waitUntil(lambda: bool(widget._guard.allowed_remote), timeout=TIMEOUT)
    assert all(u.startswith("http://127.0.0.1:9/tiles/") for u in widget._guard.allowed_remote)
    assert widget.blocked_requests() == []
    widget.evaluate("new Image().src = 'https://tile.openstreetmap.org/1/1/1.png'; 1")
    qtbot.waitUntil(lambda: bool(widget.blocked_requests()), timeout=TIMEOUT)
    assert widget.blocked_requests() == ["https://tile.openstreetmap.org/1/1/1.png"]
    _dispose(widget)


def test_grid_codes_are_written_only_where_they_can_be_read(
    qtbot: QtBot, view: MapView, layers: dict[str, Any]
) -> None:
    ready(qtbot, view)
    with drawn(qtbot, view, "grids"):
        view.set_grids(layers, fit=False)
    codes = {f["properties"]["code"] for f in layers["features"]
             if f["properties"].get("kind", "grid") == "grid"}

    def labels_at(zoom: int) -> list[str]:
        view.center_on(120.5600, 27.6600, zoom)
        qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.view()")[2] == zoom, timeout=TIMEOUT)
        return list(js(qtbot, view, "seatdesk.gridLabels()"))

    # A demo grid is ~100 m: ~24 px wide at zoom 15, ~47 px at 16, ~190 px at 18.
    assert labels_at(15) == []
    sequences = labels_at(16)
    assert sequences and all(len(t) == 3 and t.isdigit() for t in sequences)
    assert {t for t in sequences} <= {c[-3:] for c in codes}
    whole = labels_at(18)
    assert whole and all(t in codes for t in whole)


def test_the_selection_ring_follows_the_case_and_goes_when_it_closes(
    qtbot: QtBot, view: MapView
) -> None:
    ready(qtbot, view)
    view.center_on(120.5600, 27.6600, 17)
    case = {"id": 7, "lon": 120.5600, "lat": 27.6600, "deadline_status": "normal"}
    other = {"id": 8, "lon": 120.5610, "lat": 27.6610, "deadline_status": "normal"}
    with drawn(qtbot, view, "cases"):
        view.set_cases([case, other])
    view.select_case(7)
    assert js(qtbot, view, "seatdesk.selectionRing()") == pytest.approx([120.5600, 27.6600])
    # The case is moved (its location corrected): the ring goes with it.
    with drawn(qtbot, view, "cases"):
        view.set_cases([{**case, "lon": 120.5620}, other])
    assert js(qtbot, view, "seatdesk.selectionRing()") == pytest.approx([120.5620, 27.6600])
    # The case is closed (no longer drawn): the ring goes.
    with drawn(qtbot, view, "cases"):
        view.set_cases([other])
    assert js(qtbot, view, "seatdesk.selectionRing()") is None
    # Another selection rings that case; no selection, no ring.
    view.select_case(8)
    assert js(qtbot, view, "seatdesk.selectionRing()") == pytest.approx([120.5610, 27.6610])
    view.select_case(None)
    assert js(qtbot, view, "seatdesk.selectionRing()") is None


def test_clear_pick_takes_the_pin_away(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    view.center_on(120.5605, 27.6602, 18)
    view.start_pick()
    x, y = js(qtbot, view, "seatdesk.pointOf(120.5612, 27.6598)")
    with qtbot.waitSignal(view.sig_point_picked, timeout=TIMEOUT):
        qtbot.mouseClick(view.view.focusProxy(), Qt.MouseButton.LeftButton,
                         pos=QPoint(round(x), round(y)))
    assert js(qtbot, view, "seatdesk.pickPins()") == 1
    view.clear_pick()
    assert js(qtbot, view, "seatdesk.pickPins()") == 0


def test_the_scale_is_in_metres_only(qtbot: QtBot, view: MapView) -> None:
    ready(qtbot, view)
    lines = js(qtbot, view, "Array.from(document.querySelectorAll("
               "'.leaflet-control-scale-line')).map(e => e.textContent).join('|')")
    assert lines and "|" not in lines and lines.endswith(("m", "km")), lines
