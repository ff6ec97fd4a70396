"""The desk's one map: the unit grids and the open cases, in a dock of the main window.

It reads its layers off the GUI thread (``grids.map_layers`` and ``grids.case_points``
through ``ui.tasks``) when it is built, and re-reads the cases (and the grids when they
changed) on ``sig_data_changed``, a moment after the last change so that a burst of
changes costs one read. A case selected in a queue is centred and ringed with
``center_on_case``; the ring follows the case and goes when it closes or nothing is
selected.

Without QtWebEngine (a build without it) the pane says so and ``available()`` is False;
everything else in the desk works without the map.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from seatdesk.services import grids, queues
from seatdesk.services.common import CaseId, ChangeSet
from ui.desk import Desk
from ui.tasks import QueryOp

try:
    from ui.map import MapView
except ImportError:  # QtWebEngine is not part of this build
    MapView = None  # type: ignore[assignment,misc]

#: How long after a data change the cases are read again (ms).
REFRESH_DELAY_MS = 400


class MapPane(QWidget):
    """One ``MapView`` fed from the database, shared by every panel of the window."""

    sig_case_clicked = Signal(int)
    """A case marker was clicked on the map: the case id."""

    sig_point_picked = Signal(float, float)
    """A point was picked after ``start_pick()``: longitude, latitude."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._points: dict[int, tuple[float, float]] = {}
        self._grids_stale = True
        self.view: Any = None
        self._build_ui()
        self._connect()
        self.reload()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        if MapView is None:
            note = QLabel(self.tr("The map is not available in this installation."))
            note.setWordWrap(True)
            layout.addWidget(note)
            return
        self.view = MapView(self)
        layout.addWidget(self.view)

    def _connect(self) -> None:
        self._refresh_timer.timeout.connect(self.reload)
        if self.view is None:
            return
        self.view.sig_case_clicked.connect(self.view.select_case)  # ringed as it opens
        self.view.sig_case_clicked.connect(self.sig_case_clicked)
        self.view.sig_point_picked.connect(self.sig_point_picked)
        self._desk.tasks.sig_data_changed.connect(self._on_tasks_data_changed)

    # ---- Public API

    def available(self) -> bool:
        return self.view is not None

    def reload(self) -> None:
        """Read the cases (and the grids, when they changed) and draw them."""
        if self.view is None:
            return
        with_grids = self._grids_stale
        self._grids_stale = False

        def read(session: Session) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
            layers = grids.map_layers(session) if with_grids else None
            return layers, grids.case_points(session)

        QueryOp(self._desk.tasks, self, op=read, success=self._on_layers,
                failure=self._on_read_failed if with_grids else None).run()

    def center_on_case(self, case_id: CaseId | None) -> None:
        """Centre the map on a case (a queue's selection) and ring it; None takes the
        ring away. A case not drawn (closed) is looked up and centred without a ring;
        one without coordinates is ignored."""
        if self.view is None:
            return
        self.view.select_case(None if case_id is None else int(case_id))
        if case_id is None:
            return
        point = self._points.get(int(case_id))
        if point is not None:
            self.view.center_on(*point)
            return
        QueryOp(self._desk.tasks, self, op=lambda s: queues.get_case(s, case_id),
                success=self._on_case_read).run()

    def start_pick(self) -> None:
        """The next click on the map gives ``sig_point_picked``."""
        if self.view is not None:
            self.view.start_pick()

    def cancel_pick(self) -> None:
        if self.view is not None:
            self.view.cancel_pick()

    def clear_pick(self) -> None:
        """Stop picking and take the picked point's pin off the map."""
        if self.view is not None:
            self.view.clear_pick()

    def dispose(self) -> None:
        """Delete the map's web page now (the window closes): a page must go before
        QtWebEngine's profile does, at the latest when the application ends."""
        self._refresh_timer.stop()
        view, self.view = self.view, None
        if view is not None and shiboken6.isValid(view):
            shiboken6.delete(view)

    def case_point(self, case_id: CaseId) -> tuple[float, float] | None:
        """Where the map draws a case (None when it does not draw it)."""
        return self._points.get(int(case_id))

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if "grids" in changes.entities or "reconnected" in changes.entities:
            self._grids_stale = True
        if changes.case_ids or changes.entities:
            self._refresh_timer.start()

    def _on_layers(
        self, result: tuple[dict[str, Any] | None, list[dict[str, Any]]]
    ) -> None:
        if self.view is None:
            return
        layers, points = result
        if layers is not None:
            self.view.set_grids(layers)
        self._points = {int(p["id"]): (float(p["lon"]), float(p["lat"])) for p in points}
        self.view.set_cases(points)

    def _on_read_failed(self, error: BaseException) -> None:
        self._grids_stale = True  # try the grids again with the next read
        self._desk.tasks.sig_error.emit(error)

    def _on_case_read(self, case: Any) -> None:
        if self.view is not None and case.longitude is not None and case.latitude is not None:
            self.view.center_on(float(case.longitude), float(case.latitude))
