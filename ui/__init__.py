"""The Qt layer of seatdesk (PySide6): windows, role panels, models, the map view."""

from ui import pyside_refcounts as _pyside_refcounts  # before any Qt call: see its docstring

__all__ = ["_pyside_refcounts"]
