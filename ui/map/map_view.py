"""The map widget: the Leaflet page in a QWebEngineView, fed through runJavaScript and
heard through a QWebChannel.

The page is built once (``ui.map.page``); data changes go in as GeoJSON without
rebuilding it. Calls made before the page is ready are queued (only the newest of each
kind is kept) and sent when the page's channel connects. Every request the page makes
goes through an interceptor that lets through local files and the configured tile
server only, so the map never reaches the internet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.map.page import PageOptions, build_page, leaflet_dir

LOCAL_SCHEMES = frozenset({"file", "data", "qrc", "blob", "about"})


class _Guard(QWebEngineUrlRequestInterceptor):
    """Blocks every request but local files and the configured tile server."""

    def __init__(self, tile_url: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tile_host = urlsplit(tile_url.replace("{s}", "a")).netloc if tile_url else None
        self.blocked: list[str] = []
        self.allowed_remote: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        url = info.requestUrl()
        if url.scheme() in LOCAL_SCHEMES:
            return
        if self._tile_host and url.authority() == self._tile_host:
            self.allowed_remote.append(url.toString())
            return
        self.blocked.append(url.toString())
        info.block(True)


class _Page(QWebEnginePage):
    """The map page never navigates away: a clicked link is refused."""

    def acceptNavigationRequest(  # noqa: N802
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        if type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            return False
        return super().acceptNavigationRequest(url, type, is_main_frame)


class _Bridge(QObject):
    """The object the page sees as ``bridge``: its calls land on the GUI thread."""

    ready = Signal()
    case_clicked = Signal(int)
    point_picked = Signal(float, float)
    painted = Signal(str, int, float)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802
        self.ready.emit()

    @Slot(int)
    def caseClicked(self, case_id: int) -> None:  # noqa: N802
        self.case_clicked.emit(int(case_id))

    @Slot(float, float)
    def pointPicked(self, lon: float, lat: float) -> None:  # noqa: N802
        self.point_picked.emit(float(lon), float(lat))

    @Slot(str, int, float)
    def drawn(self, kind: str, count: int, ms: float) -> None:
        self.painted.emit(kind, int(count), float(ms))


class MapView(QWidget):
    """The unit grids and the cases on a map; click a case, or pick a point."""

    #: A case marker was clicked: the case id.
    sig_case_clicked = Signal(int)
    #: A point was picked after ``start_pick()``: longitude, latitude.
    sig_point_picked = Signal(float, float)
    #: The page is loaded and its channel connected; queued calls have been sent.
    sig_ready = Signal()
    #: A layer finished painting: "grids" or "cases", how many, milliseconds in the page.
    sig_drawn = Signal(str, int, float)

    def __init__(
        self, parent: QWidget | None = None, *, options: PageOptions | None = None
    ) -> None:
        super().__init__(parent)
        self._options = options or PageOptions.from_environment(labels=self._labels())
        self._ready = False
        self._pending: dict[str, str] = {}
        self._centred = False
        self._grids_set = False
        self._build_ui()
        self._connect()
        self._load()

    def _labels(self) -> dict[str, str]:
        return {
            "grids": self.tr("Unit grids"),
            "outlines": self.tr("Community and street boundaries"),
            "codes": self.tr("Grid codes"),
            "cases": self.tr("Cases"),
            "heat": self.tr("Case density"),
        }

    def _build_ui(self) -> None:
        self.view = QWebEngineView(self)
        self._page = _Page(self.view)
        self.view.setPage(self._page)
        self._guard = _Guard(self._options.tile_url, self)
        self._page.setUrlRequestInterceptor(self._guard)
        settings = self._page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
            bool(self._options.tile_url),
        )
        self._bridge = _Bridge(self)
        self._channel = QWebChannel(self._page)
        self._channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(self._channel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def _connect(self) -> None:
        self._bridge.ready.connect(self._on_bridge_ready)
        self._bridge.case_clicked.connect(self.sig_case_clicked)
        self._bridge.point_picked.connect(self.sig_point_picked)
        self._bridge.painted.connect(self.sig_drawn)

    def _load(self) -> None:
        base = QUrl.fromLocalFile(str(leaflet_dir()) + "/")
        self._page.setHtml(build_page(self._options), base)

    # ---- Public API

    def is_ready(self) -> bool:
        return self._ready

    def set_grids(self, geojson: dict[str, Any], *, fit: bool | None = None) -> None:
        """Draw the grids of a FeatureCollection (``seatdesk.services.grids.map_layers``:
        features of kind grid, community, street). The first call fits the map to the
        grids unless the map was already centred."""
        if fit is None:
            fit = not self._grids_set and not self._centred
        self._grids_set = True
        self._call("grids", f"seatdesk.setGrids(JSON.parse({_literal(geojson)}), "
                            f"{'true' if fit else 'false'})")

    def set_cases(self, features: list[dict[str, Any]]) -> None:
        """Draw the cases: each a dict with id, lon, lat, deadline_status (and optionally
        number, shown on hover)."""
        self._call("cases", f"seatdesk.setCases(JSON.parse({_literal(features)}))")

    def set_heat(self, counts: dict[str, int]) -> None:
        """Case counts per grid code, for the density layer."""
        self._call("heat", f"seatdesk.setHeat(JSON.parse({_literal(counts)}))")

    def set_fills(self, colours: dict[str, str] | None) -> None:
        """Fill the grids of these codes with their colour (``#rrggbb``), over the density
        layer: the coverage view colours the grids whose patrol density was not met.
        None gives every grid its plain style back."""
        self._call("fills", f"seatdesk.setFills(JSON.parse({_literal(colours)}))")

    def show_heat(self, on: bool) -> None:
        self._call("show_heat", f"seatdesk.showHeat({'true' if on else 'false'})")

    def center_on(self, lon: float, lat: float, zoom: int | None = None) -> None:
        """Centre the map on a point (a case selected in a queue)."""
        self._centred = True
        z = "null" if zoom is None else str(int(zoom))
        self._call("center", f"seatdesk.centerOn({float(lon)!r}, {float(lat)!r}, {z})")

    def select_case(self, case_id: int | None) -> None:
        """Ring the case with this id wherever it is drawn, following it as the cases
        change; the ring goes when the case is no longer drawn (closed) or with None."""
        value = "null" if case_id is None else str(int(case_id))
        self._call("select", f"seatdesk.selectCase({value})")

    def start_pick(self) -> None:
        """The next click on the map picks a point (``sig_point_picked``); Esc cancels."""
        self._call("pick", "seatdesk.startPick()")

    def cancel_pick(self) -> None:
        self._call("pick", "seatdesk.cancelPick()")

    def clear_pick(self) -> None:
        """Stop picking and remove the picked point's pin (its form closed)."""
        self._call("pick", "seatdesk.clearPick()")

    def evaluate(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        """Run ``script`` in the page now (the page must be ready) and hand its result
        to ``callback``."""
        if callback is None:
            self._page.runJavaScript(script, 0)
        else:
            self._page.runJavaScript(script, 0, callback)

    def blocked_requests(self) -> list[str]:
        """URLs the page tried to reach and was refused (should stay empty)."""
        return list(self._guard.blocked)

    # ---- Private slots

    def _on_bridge_ready(self) -> None:
        self._ready = True
        pending, self._pending = self._pending, {}
        for key in ("grids", "heat", "show_heat", "fills", "cases", "center", "select",
                    "pick"):
            if key in pending:
                self._page.runJavaScript(pending[key], 0)
        self.sig_ready.emit()

    def _call(self, key: str, script: str) -> None:
        if self._ready:
            self._page.runJavaScript(script, 0)
        else:
            self._pending[key] = script


def _literal(data: object) -> str:
    """``data``'s JSON as a JavaScript template literal, for ``JSON.parse`` (faster than
    parsing the same object literal as code, and cheaper to make than a second
    ``json.dumps``: only backslashes, backticks and ``${`` need escaping)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "`" + text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${") + "`"
