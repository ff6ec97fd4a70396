"""The embedded map: unit grids and cases on a Leaflet page in a QWebEngineView.

Import this package (or ``PySide6.QtWebEngineWidgets``) before the QApplication is
created: QtWebEngine must be loaded first. As root (a kiosk, a container, CI)
Chromium's sandbox cannot start, so it is turned off then.
"""

from __future__ import annotations

import os

if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from ui.map.map_view import MapView
from ui.map.page import PageOptions

__all__ = ["MapView", "PageOptions"]
