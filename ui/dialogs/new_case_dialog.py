"""A new case from a phone call (or a visit): what the acceptor types while listening.

The category picker searches the Chinese names and the codes of the catalogue as one
types ("井盖", "0101"); the filing conditions of the chosen category follow. "Pick on
map" takes the next click on the window's map as the location and looks up its grid; the
dialog works the same without a map (the coordinates and grid are typed then).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seatdesk.domain.glossary import Source, Urgency
from seatdesk.services import cases, catalogue, grids
from seatdesk.services.catalogue import CategoryInfo, FilingConditionInfo
from seatdesk.services.common import CaseId, ChangeSet
from ui.desk import Desk
from ui.dialogs.parts import message_label
from ui.labels import label
from ui.tasks import MutationOp, QueryOp
from ui.widgets.photo_picker import PhotoPicker

if TYPE_CHECKING:
    from ui.widgets.map_pane import MapPane

#: The centre's default map position (the demo county), for a call without coordinates.
DEFAULT_LON, DEFAULT_LAT = 120.56, 27.66


class NewCaseDialog(QDialog):
    """Everything ``cases.NewCase`` needs, checked before it is sent."""

    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, map_pane: MapPane | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._map = map_pane if map_pane is not None and map_pane.available() else None
        self._picking = False
        self._sending = False
        self.created: CaseId | None = None
        self._categories = {self._category_text(c): c for c in desk.reference.categories}
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("New case from a call"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.source = QComboBox()
        self.source.setObjectName("source")
        for s in Source:
            self.source.addItem(label(s), s)
        self.source.setCurrentIndex(self.source.findData(Source.WALK_IN))
        form.addRow(self.tr("Source:"), self.source)
        self.category = QLineEdit()
        self.category.setObjectName("category")
        self.category.setPlaceholderText(self.tr("Type a name or a code, e.g. 井盖 or 0101"))
        completer = QCompleter(QStringListModel(sorted(self._categories), self), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.category.setCompleter(completer)
        form.addRow(self.tr("Category:"), self.category)
        self.condition = QComboBox()
        self.condition.setObjectName("filing_condition")
        self.condition.addItem(self.tr("— choose a category first —"), None)
        form.addRow(self.tr("Filing condition:"), self.condition)
        self.urgency = QComboBox()
        self.urgency.setObjectName("urgency")
        for u in Urgency:
            self.urgency.addItem(label(u), u)
        form.addRow(self.tr("Urgency:"), self.urgency)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(80)
        form.addRow(self.tr("Description:"), self.description)
        self.address = QLineEdit()
        self.address.setObjectName("address")
        form.addRow(self.tr("Address:"), self.address)
        location = QHBoxLayout()
        self.has_location = QCheckBox(self.tr("Coordinates"))
        self.longitude = self._coordinate(DEFAULT_LON, -180, 180)
        self.latitude = self._coordinate(DEFAULT_LAT, -90, 90)
        location.addWidget(self.has_location)
        location.addWidget(QLabel(self.tr("lon")))
        location.addWidget(self.longitude)
        location.addWidget(QLabel(self.tr("lat")))
        location.addWidget(self.latitude)
        self.pick_button = QPushButton(self.tr("Pick on map"))
        self.pick_button.setObjectName("pick_on_map")
        self.pick_button.setAutoDefault(False)
        self.pick_button.setEnabled(self._map is not None)
        if self._map is None:
            self.pick_button.setToolTip(self.tr("The map is not available."))
        location.addWidget(self.pick_button)
        form.addRow(self.tr("Location:"), location)
        self.grid = QLineEdit()
        self.grid.setObjectName("grid")
        self.grid.setPlaceholderText(self.tr("15-digit grid code, if known"))
        form.addRow(self.tr("Grid:"), self.grid)
        self.reporter = QLineEdit()
        self.reporter_phone = QLineEdit()
        caller = QHBoxLayout()
        caller.addWidget(self.reporter)
        caller.addWidget(QLabel(self.tr("phone")))
        caller.addWidget(self.reporter_phone)
        form.addRow(self.tr("Caller:"), caller)
        self.photos = PhotoPicker()
        form.addRow(self.tr("Photos:"), self.photos)
        layout.addLayout(form)
        self.message_label = message_label()
        layout.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Create case"))
        layout.addWidget(self.buttons)
        self.category.setFocus()  # a caller says what the problem is first

    def _coordinate(self, value: float, low: float, high: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(6)
        box.setRange(low, high)
        box.setValue(value)
        box.setEnabled(False)
        return box

    def _connect(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.has_location.toggled.connect(self.longitude.setEnabled)
        self.has_location.toggled.connect(self.latitude.setEnabled)
        self.category.editingFinished.connect(self._on_category_editing_finished)
        self.category.completer().activated.connect(self._on_category_editing_finished)
        self.pick_button.clicked.connect(self._on_pick_button_clicked)
        if self._map is not None:
            self._map.sig_point_picked.connect(self._on_map_point_picked)

    # ---- Public API

    def chosen_category(self) -> CategoryInfo | None:
        return self._categories.get(self.category.text().strip())

    # ---- Qt overrides

    def done(self, result: int) -> None:
        if self._picking and self._map is not None:
            self._map.cancel_pick()
        self._picking = False
        super().done(result)

    def accept(self) -> None:
        if self._sending:
            return
        problem = self._problem()
        if problem:
            self._show_message(problem)
            return
        new = cases.NewCase(**self._values())
        photos = self.photos.photos()
        self._sending = True
        self.ok_button.setEnabled(False)
        MutationOp(
            self._desk.tasks,
            self,
            op=lambda s: cases.create_case(s, new, photos),
            success=self._on_created,
            failure=self._on_failed,
        ).run()

    # ---- Private slots

    @Slot()
    def _on_category_editing_finished(self) -> None:
        category = self.chosen_category()
        if category is None:
            return
        category_id = category.id
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: catalogue.filing_conditions(s, category_id),
            success=lambda found: self._on_conditions(category_id, found),
        ).run()

    @Slot()
    def _on_pick_button_clicked(self) -> None:
        if self._map is None:
            return
        self._picking = True
        self._show_message(self.tr("Click the place on the map (Esc cancels)."))
        self._map.start_pick()

    @Slot(float, float)
    def _on_map_point_picked(self, lon: float, lat: float) -> None:
        if not self._picking:
            return  # a pick for someone else
        self._picking = False
        self._show_message("")
        self.has_location.setChecked(True)
        self.longitude.setValue(lon)
        self.latitude.setValue(lat)
        self.raise_()
        self.activateWindow()
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: grids.locate(s, lon, lat),
            success=lambda code: self._on_grid_located(lon, lat, code),
        ).run()

    def _on_grid_located(self, lon: float, lat: float, code: str | None) -> None:
        if abs(self.longitude.value() - lon) > 1e-6 or abs(self.latitude.value() - lat) > 1e-6:
            return  # the point was changed meanwhile
        self.grid.setText(code or "")
        self._show_message("" if code else grids.outside_warning(lon, lat))

    def _on_conditions(self, category_id: int, found: list[FilingConditionInfo]) -> None:
        chosen = self.chosen_category()
        if chosen is None or chosen.id != category_id:
            return
        self.condition.clear()
        self.condition.addItem(self.tr("— not decided yet —"), None)
        for c in found:
            self.condition.addItem(f"{c.seq}. {c.description}", c.id)
        if len(found) == 1:
            self.condition.setCurrentIndex(1)

    def _on_created(self, result: tuple[CaseId, ChangeSet]) -> None:
        self._sending = False
        self.created = result[0]
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self._sending = False
        self.ok_button.setEnabled(True)
        self._show_message(str(error))

    # ---- Private

    def _problem(self) -> str | None:
        if self.chosen_category() is None:
            return self.tr("Choose a category from the list.")
        if not self.description.toPlainText().strip():
            return self.tr("Describe the problem.")
        if not self.address.text().strip() and not self.has_location.isChecked():
            return self.tr("Give an address or coordinates.")
        grid = self.grid.text().strip()
        if grid and not (len(grid) == 15 and grid.isdigit()):
            return self.tr("A grid code has 15 digits.")
        return self.photos.problem()

    def _values(self) -> dict[str, Any]:
        category = self.chosen_category()
        assert category is not None
        located = self.has_location.isChecked()
        return {
            # Qt hands a StrEnum back as a plain str: make it the enum again.
            "source": Source(self.source.currentData()),
            "category_id": category.id,
            "description": self.description.toPlainText().strip(),
            "address": self.address.text().strip(),
            "longitude": self.longitude.value() if located else None,
            "latitude": self.latitude.value() if located else None,
            "grid_code": self.grid.text().strip() or None,
            "filing_condition_id": self.condition.currentData(),
            "urgency": Urgency(self.urgency.currentData()),
            "reporter": self.reporter.text().strip() or None,
            "reporter_phone": self.reporter_phone.text().strip() or None,
        }

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    @staticmethod
    def _category_text(c: CategoryInfo) -> str:
        return f"{c.code} {c.name} · {c.major_name} ({label(c.case_type)})"
