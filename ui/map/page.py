"""The map page: built once by folium, with every asset local.

folium's default page loads Leaflet, jQuery and Bootstrap from CDNs that a centre's
intranet cannot reach. This page loads Leaflet 1.9.4 from the installed
``django-js-lib-leaflet`` package (file URLs beside the page's base URL), inlines
Qt's ``qwebchannel.js`` and seatdesk's own script and styles (beside this module), and
draws tiles only from the URL the centre configured; with none, the grids draw on a
plain background.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from PySide6.QtCore import QFile, QIODevice

#: Where the centre's tile server is (an XYZ template such as
#: ``http://tiles.centre.lan/{z}/{x}/{y}.png``, or a Tianditu-style WMTS GetTile URL
#: with ``{z}``/``{x}``/``{y}`` in TILEMATRIX/TILECOL/TILEROW). Unset: no tiles.
TILE_URL_ENV = "SEATDESK_MAP_TILES"
TILE_ATTRIBUTION_ENV = "SEATDESK_MAP_ATTRIBUTION"
DEFAULT_CENTER = (120.56, 27.66)  # 平阳县 (lon, lat)
DEFAULT_ZOOM = 15


def leaflet_dir() -> Path:
    """The folder of Leaflet's dist files (leaflet.js, leaflet.css, images/)."""
    package = resources.files("js_lib_leaflet")
    return Path(str(package)) / "static" / "js_lib_leaflet"


def assets_dir() -> Path:
    """seatdesk's own map script and styles, installed beside this module."""
    return Path(__file__).resolve().parent


def qwebchannel_js() -> str:
    """Qt's QWebChannel client, from the Qt resource that QtWebChannel ships."""
    f = QFile(":/qtwebchannel/qwebchannel.js")
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(":/qtwebchannel/qwebchannel.js")
    try:
        return bytes(f.readAll().data()).decode("utf-8")
    finally:
        f.close()


@dataclass(frozen=True, slots=True)
class PageOptions:
    """What the page is built with; everything else arrives later as data."""

    tile_url: str | None = None
    attribution: str = ""
    center: tuple[float, float] = DEFAULT_CENTER
    zoom: int = DEFAULT_ZOOM
    max_zoom: int = 20
    #: The layer names in the layer control (translated by the widget).
    labels: dict[str, str] = field(default_factory=dict)
    cluster_min: int = 200
    cluster_max_zoom: int = 17

    @classmethod
    def from_environment(cls, **overrides: object) -> PageOptions:
        tile_url = os.environ.get(TILE_URL_ENV) or None
        attribution = os.environ.get(TILE_ATTRIBUTION_ENV, "")
        values: dict[str, object] = {"tile_url": tile_url, "attribution": attribution}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


class _Init(MacroElement):
    """Hands the folium map to seatdesk's script once the map exists."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            window.seatdesk.init({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, options: dict[str, object]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SeatdeskInit"
        self.options = json.dumps(options, ensure_ascii=False)


def build_page(options: PageOptions) -> str:
    """The page's HTML. Relative URLs (``leaflet.js``) resolve against
    ``leaflet_dir()``, which the view gives as the page's base URL."""
    lon, lat = options.center
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=options.zoom,
        max_zoom=options.max_zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # metric only: seatdesk_map.js adds the scale
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    # Only Leaflet itself, from local files; no jQuery, Bootstrap or icon fonts.
    fmap.default_js = [("leaflet", "leaflet.js")]
    fmap.default_css = [("leaflet_css", "leaflet.css")]
    if options.tile_url:
        folium.TileLayer(
            tiles=options.tile_url,
            attr=options.attribution or " ",
            max_zoom=options.max_zoom,
            max_native_zoom=18,
            name="tiles",
        ).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, Figure)
    assets = assets_dir()
    css = (assets / "seatdesk_map.css").read_text("utf-8")
    script = (assets / "seatdesk_map.js").read_text("utf-8")
    root.header.add_child(Element(f"<style>{css}</style>"), name="seatdesk_css")
    root.header.add_child(Element(f"<script>{qwebchannel_js()}</script>"), name="qwebchannel")
    root.header.add_child(Element(f"<script>{script}</script>"), name="seatdesk_js")
    _Init({
        "labels": options.labels,
        "clusterMin": options.cluster_min,
        "clusterMaxZoom": options.cluster_max_zoom,
    }).add_to(fmap)
    html: str = root.render()
    return html
