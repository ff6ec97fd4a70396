"""A new case from a phone call (or a visit): what the acceptor types while listening.

The category picker searches the Chinese names and the codes of the catalogue as one
types ("井盖", "0101"), the best matches first; the filing conditions of the chosen
category follow. "Pick on map" takes the next click on the window's map as the location
and looks up its grid; the dialog works the same without a map (the coordinates and grid
are typed then). Coordinates outside every grid are said next to them at once.

What is typed is kept as a draft of the user's (``ui.dialogs.drafts``) until the case
is created or the person confirms discarding it: a form closed by a crash opens again
with it, saying so. Esc or Cancel on a form with content asks first; Ctrl+Enter creates
the case from any field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from ui.dialogs.drafts import clear_draft, read_draft, save_draft
from ui.dialogs.parts import install_confirm_shortcut, message_label, reject_unless_kept
from ui.labels import label
from ui.tasks import MutationOp, QueryOp
from ui.widgets.category_search import CategorySearch
from ui.widgets.photo_picker import PhotoPicker

if TYPE_CHECKING:
    from ui.widgets.map_pane import MapPane

#: The centre's default map position (the demo county), for a call without coordinates.
DEFAULT_LON, DEFAULT_LAT = 120.56, 27.66
# The draft's name among the user's drafts; how long after the last change the draft
# is written and typed coordinates are looked up (ms).
DRAFT = "new_case"
DRAFT_DELAY_MS = 400
LOCATE_DELAY_MS = 400


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
        self._pending_condition: int | None = None
        self._conditions_of: int | None = None  # the category whose conditions are listed
        self.created: CaseId | None = None
        self._build_ui()
        self._restore_draft()
        self._connect()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("New case from a call"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.setStyleSheet("color: #1565c0;")
        self.draft_note.hide()
        layout.addWidget(self.draft_note)
        form = QFormLayout()
        self.source = QComboBox()
        self.source.setObjectName("source")
        for s in Source:
            self.source.addItem(label(s), s)
        self.source.setCurrentIndex(self.source.findData(Source.WALK_IN))
        form.addRow(self.tr("Source:"), self.source)
        self.category = CategorySearch()
        self.category.setObjectName("category")
        self.category.setPlaceholderText(self.tr("Type a name or a code, e.g. 井盖 or 0101"))
        self.category.set_categories(self._desk.reference.categories)
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
        self.location_note = message_label()
        self.location_note.setObjectName("location_note")
        form.addRow("", self.location_note)
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
        self._draft_timer = self._single_shot(DRAFT_DELAY_MS)
        self._locate_timer = self._single_shot(LOCATE_DELAY_MS)

    def _single_shot(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        return timer

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
        self.category.sig_chosen.connect(self._on_category_editing_finished)
        self.pick_button.clicked.connect(self._on_pick_button_clicked)
        if self._map is not None:
            self._map.sig_point_picked.connect(self._on_map_point_picked)
        install_confirm_shortcut(self, self.accept)
        self.has_location.toggled.connect(self._on_location_changed)
        self.longitude.valueChanged.connect(self._on_location_changed)
        self.latitude.valueChanged.connect(self._on_location_changed)
        self._locate_timer.timeout.connect(self._locate)
        self._draft_timer.timeout.connect(self.save_draft)
        for line in (self.category, self.address, self.grid, self.reporter,
                     self.reporter_phone):
            line.textChanged.connect(self._draft_timer.start)
        self.description.textChanged.connect(self._draft_timer.start)
        for combo in (self.source, self.condition, self.urgency):
            combo.currentIndexChanged.connect(self._draft_timer.start)
        self.has_location.toggled.connect(self._draft_timer.start)
        self.longitude.valueChanged.connect(self._draft_timer.start)
        self.latitude.valueChanged.connect(self._draft_timer.start)

    # ---- Public API

    def chosen_category(self) -> CategoryInfo | None:
        return self.category.chosen()

    def has_content(self) -> bool:
        """Whether anything was typed, located or attached (what Esc would lose)."""
        texts = (self.category.text(), self.description.toPlainText(), self.address.text(),
                 self.grid.text(), self.reporter.text(), self.reporter_phone.text())
        return (any(t.strip() for t in texts) or self.has_location.isChecked()
                or self.photos.count() > 0)

    @Slot()
    def save_draft(self) -> None:
        """Write the draft now (it is written a moment after each change anyway); a
        form without content keeps none."""
        self._draft_timer.stop()
        if self.created is not None:
            return
        login = self._desk.actor.login
        if self.has_content():
            save_draft(login, DRAFT, self._draft_values())
        else:
            clear_draft(login, DRAFT)

    # ---- Qt overrides

    def reject(self) -> None:
        reject_unless_kept(self, self.has_content(), self._discard)

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        self._locate_timer.stop()
        if self._map is not None:
            self._map.clear_pick()  # stop picking, and the pin goes with the form
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
        if category is None or category.id == self._conditions_of:
            return  # the same category chosen again (Enter, then focus out) keeps its pick
        category_id = self._conditions_of = category.id
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: catalogue.filing_conditions(s, category_id),
            success=lambda found: self._on_conditions(category_id, found),
            failure=self._on_conditions_failed,
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
        self._locate(fill_grid=True)

    @Slot()
    def _on_location_changed(self) -> None:
        if not self.has_location.isChecked():
            self._locate_timer.stop()
            self._show_location_note("")
            return
        self._locate_timer.start()

    @Slot()
    def _locate(self, fill_grid: bool = False) -> None:
        """Look the coordinates' grid up off the GUI thread; say so next to them when
        they lie outside every grid (a picked point also fills the grid field)."""
        self._locate_timer.stop()
        if not self.has_location.isChecked():
            return
        lon, lat = self.longitude.value(), self.latitude.value()
        QueryOp(
            self._desk.tasks,
            self,
            op=lambda s: grids.locate(s, lon, lat),
            success=lambda code: self._on_grid_located(lon, lat, code, fill_grid),
        ).run()

    def _on_grid_located(self, lon: float, lat: float, code: str | None, fill_grid: bool) -> None:
        if (not self.has_location.isChecked() or abs(self.longitude.value() - lon) > 1e-6
                or abs(self.latitude.value() - lat) > 1e-6):
            return  # the point was changed meanwhile
        if fill_grid:
            self.grid.setText(code or "")
        self._show_location_note("" if code else grids.outside_warning(lon, lat))

    def _on_conditions(self, category_id: int, found: list[FilingConditionInfo]) -> None:
        chosen = self.chosen_category()
        if chosen is None or chosen.id != category_id:
            return
        self.condition.clear()
        self.condition.addItem(self.tr("— not decided yet —"), None)
        for c in found:
            self.condition.addItem(f"{c.seq}. {c.description}", c.id)
        pending, self._pending_condition = self._pending_condition, None
        restored = self.condition.findData(pending) if pending is not None else -1
        if restored > 0:
            self.condition.setCurrentIndex(restored)
        elif len(found) == 1:
            self.condition.setCurrentIndex(1)

    def _on_conditions_failed(self, error: BaseException) -> None:
        self._conditions_of = None  # choosing the category again tries again
        self._desk.tasks.sig_error.emit(error)

    def _on_created(self, result: tuple[CaseId, ChangeSet]) -> None:
        self._sending = False
        self.created = result[0]
        clear_draft(self._desk.actor.login, DRAFT)
        super().accept()

    def _discard(self) -> None:
        """The person chose to throw the form away: its draft goes too."""
        clear_draft(self._desk.actor.login, DRAFT)
        super().reject()

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

    def _show_location_note(self, text: str) -> None:
        self.location_note.setText(text)
        self.location_note.setVisible(bool(text))

    # ---- The draft

    def _draft_values(self) -> dict[str, Any]:
        return {
            "source": str(self.source.currentData()),
            "category": self.category.text(),
            "filing_condition_id": self.condition.currentData(),
            "urgency": str(self.urgency.currentData()),
            "description": self.description.toPlainText(),
            "address": self.address.text(),
            "has_location": self.has_location.isChecked(),
            "longitude": self.longitude.value(),
            "latitude": self.latitude.value(),
            "grid": self.grid.text(),
            "reporter": self.reporter.text(),
            "reporter_phone": self.reporter_phone.text(),
        }

    def _restore_draft(self) -> None:
        """Fill the form from the user's draft, if one was kept, and say so (before the
        signals are connected: restoring is not a change)."""
        draft = read_draft(self._desk.actor.login, DRAFT)
        if draft is None:
            return
        draft.choose(self.source, "source")
        draft.choose(self.urgency, "urgency")
        self.category.setText(draft.text("category"))
        self.description.setPlainText(draft.text("description"))
        self.address.setText(draft.text("address"))
        self.has_location.setChecked(draft.flag("has_location"))
        self.longitude.setEnabled(self.has_location.isChecked())
        self.latitude.setEnabled(self.has_location.isChecked())
        self.longitude.setValue(draft.number("longitude", DEFAULT_LON))
        self.latitude.setValue(draft.number("latitude", DEFAULT_LAT))
        self.grid.setText(draft.text("grid"))
        self.reporter.setText(draft.text("reporter"))
        self.reporter_phone.setText(draft.text("reporter_phone"))
        condition = draft.values.get("filing_condition_id")
        self._pending_condition = condition if isinstance(condition, int) else None
        self.draft_note.setText(self.tr(
            "Draft restored: this form holds what was typed before it closed (saved {when})."
        ).format(when=draft.saved_at()))
        self.draft_note.show()
        # The category's conditions and the point's grid, as if just typed.
        self._on_category_editing_finished()
        if self.has_location.isChecked():
            self._locate_timer.start()
