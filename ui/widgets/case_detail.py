"""One case in full: its fields, photo thumbnails (click to enlarge), the timeline of
its audit events, and a button per action the workflow table allows this seat.

The buttons come from ``seatdesk.domain.workflow.allowed_actions(state, roles)``: the
UI never decides what is allowed. Each button opens the action's small dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    CREATE_ACTION,
    FLAG_ACTION,
    RECOMPUTE_ACTION,
    SYSTEM_ACTOR,
    Action,
    State,
)
from seatdesk.services import photos as photo_service
from seatdesk.services import queues
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.photos import PhotoInfo
from seatdesk.services.queues import CaseDetail, TimelineEvent
from ui.desk import Desk
from ui.dialogs.photo_viewer import PhotoViewer
from ui.dialogs.registry import open_action_dialog
from ui.labels import format_time, label
from ui.tasks import QueryOp

#: A shortcut for every action; the detail's buttons and the panels' menus share them.
ACTION_SHORTCUTS: dict[Action, str] = {
    Action.REQUEST_VERIFY: "Ctrl+Shift+V",
    Action.VERIFY_PASS: "Ctrl+Shift+Y",
    Action.VERIFY_FAIL: "Ctrl+Shift+U",
    Action.PRE_REGISTER: "Ctrl+Shift+P",
    Action.REJECT: "Ctrl+Shift+J",
    Action.REGISTER: "Ctrl+Shift+R",
    Action.SEND_BACK: "Ctrl+Shift+B",
    Action.DISPATCH: "Ctrl+Shift+D",
    Action.START_HANDLING: "Ctrl+Shift+H",
    Action.REPORT_DONE: "Ctrl+Shift+T",
    Action.REQUEST_CHECK: "Ctrl+Shift+K",
    Action.CHECK_PASS: "Ctrl+Shift+O",
    Action.CHECK_FAIL: "Ctrl+Shift+F",
    Action.CLOSE: "Ctrl+Shift+C",
    Action.REWORK: "Ctrl+Shift+W",
    Action.REQUEST_EXTENSION: "Ctrl+Shift+L",
    Action.REQUEST_RETURN: "Ctrl+Shift+Z",
    Action.REQUEST_POSTPONEMENT: "Ctrl+Shift+Q",
    Action.APPROVE: "Ctrl+Shift+A",
    Action.DENY: "Ctrl+Shift+N",
    Action.RESUME: "Ctrl+Shift+E",
    Action.URGE: "Ctrl+Shift+G",
    Action.VOID: "Ctrl+Shift+X",
    Action.MERGE: "Ctrl+Shift+M",
}


@dataclass(frozen=True, slots=True)
class _Loaded:
    case: CaseDetail
    timeline: list[TimelineEvent]
    photos: list[PhotoInfo]


class CaseDetailWidget(QWidget):
    """Shows one case; reloads itself when the case changes anywhere."""

    sig_action_done = Signal(object, object)
    """An action on the shown case was committed: (Action, ChangeSet)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._case_id: CaseId | None = None
        self.case: CaseDetail | None = None
        self.action_buttons: dict[Action, QPushButton] = {}
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Select a case"))
        self.title.setObjectName("case_title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.actions_bar = QHBoxLayout()
        self.actions_bar.addStretch(1)
        layout.addLayout(self.actions_bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        fields_box = QGroupBox(self.tr("Case"))
        self.fields = QFormLayout(fields_box)
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        body_layout.addWidget(fields_box)
        photos_box = QGroupBox(self.tr("Photos"))
        self.photos_row = QHBoxLayout(photos_box)
        self.photos_row.addStretch(1)
        body_layout.addWidget(photos_box)
        timeline_box = QGroupBox(self.tr("Timeline"))
        timeline_layout = QVBoxLayout(timeline_box)
        self.timeline = QTreeWidget()
        self.timeline.setRootIsDecorated(False)
        self.timeline.setHeaderLabels(
            [self.tr("Time"), self.tr("Action"), self.tr("By"), self.tr("State"), self.tr("Note")]
        )
        self.timeline.setMinimumHeight(220)
        timeline_layout.addWidget(self.timeline)
        body_layout.addWidget(timeline_box, 1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)

    # ---- Public API

    def case_id(self) -> CaseId | None:
        return self._case_id

    def show_case(self, case_id: CaseId | None) -> None:
        """Show (and read) a case; None empties the view."""
        self._case_id = case_id
        if case_id is None:
            self.case = None
            self._clear()
            return
        self.reload()

    def reload(self) -> None:
        case_id = self._case_id
        if case_id is None:
            return

        def read(session: Session) -> _Loaded:
            return _Loaded(
                case=queues.get_case(session, case_id),
                timeline=queues.timeline(session, case_id),
                photos=photo_service.list_photos(session, case_id),
            )

        QueryOp(self._desk.tasks, self, op=read, success=self._on_loaded).run()

    def allowed_actions(self) -> list[Action]:
        if self.case is None:
            return []
        return workflow.allowed_actions(self.case.state, self._desk.actor.roles)

    def trigger(self, action: Action) -> None:
        """Open the dialog of ``action`` on the shown case (what a button does)."""
        if self.case is None or action not in self.allowed_actions():
            return
        dialog = open_action_dialog(self._desk, self.case, action, self)
        dialog.sig_done.connect(lambda changes, a=action: self._on_action_done(a, changes))
        dialog.open()

    # ---- Private slots

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if self._case_id is not None and (
            self._case_id in changes.case_ids or changes.entities
        ):
            self.reload()

    def _on_action_done(self, action: Action, changes: ChangeSet) -> None:
        self.sig_action_done.emit(action, changes)

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.case.id != self._case_id:
            return  # another case was chosen meanwhile
        self.case = loaded.case
        self._show_fields(loaded.case)
        self._show_actions(loaded.case.state)
        self._show_photos(loaded.photos)
        self._show_timeline(loaded.timeline)

    # ---- Private

    def _clear(self) -> None:
        self.title.setText(self.tr("Select a case"))
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self._show_actions(None)
        self._show_photos([])
        self.timeline.clear()

    def _show_fields(self, c: CaseDetail) -> None:
        self.title.setText(f"{c.number}  ·  {label(c.state)}")
        while self.fields.rowCount():
            self.fields.removeRow(0)
        ref = self._desk.reference
        location = (
            f"{c.longitude:.6f}, {c.latitude:.6f}" if c.longitude is not None else ""
        )
        rows = [
            (self.tr("Number"), c.number),
            (self.tr("State"), label(c.state)),
            (self.tr("Source"), label(c.source)),
            (self.tr("Type"), label(c.case_type)),
            (self.tr("Category"), f"{c.category_code} {c.category_name}"),
            (self.tr("Urgency"), label(c.urgency)),
            (self.tr("Description"), c.description),
            (self.tr("Address"), c.address),
            (self.tr("Location"), location),
            (self.tr("Grid"), c.grid_code or ""),
            (self.tr("Reporter"), " ".join(x for x in (c.reporter, c.reporter_phone) if x)),
            (self.tr("Department"), ref.department_name(c.current_department)),
            (self.tr("Deadline"), format_time(c.stage_deadline)),
            (self.tr("Deadline status"), label(c.deadline_status)),
            (self.tr("Pending request"), self._request_text(c.pending_request)),
            (self.tr("Rework / extensions"), f"{c.rework_count} / {c.extension_count}"),
            (self.tr("Reported"), format_time(c.created_at)),
            (self.tr("Last change"), format_time(c.updated_at)),
        ]
        for name, value in rows:
            value_label = QLabel(value)
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(name, value_label)

    def _request_text(self, request: dict[str, object] | None) -> str:
        if not request:
            return ""
        kind = {
            "extension": self.tr("extension until {deadline}"),
            "return": self.tr("return"),
            "postponement": self.tr("postponement until {resume_on}"),
        }.get(str(request.get("kind")), str(request.get("kind")))
        return kind.format(
            deadline=request.get("deadline", ""), resume_on=request.get("resume_on", "")
        )

    def _show_actions(self, state: State | None) -> None:
        for button in self.action_buttons.values():
            button.deleteLater()
        self.action_buttons = {}
        if state is None:
            return
        for i, action in enumerate(workflow.allowed_actions(state, self._desk.actor.roles)):
            button = QPushButton(label(action))
            button.setObjectName(f"action_{action.value}")
            shortcut = ACTION_SHORTCUTS.get(action)
            if shortcut:
                button.setShortcut(QKeySequence(shortcut))
                button.setToolTip(shortcut)
            button.clicked.connect(lambda _checked=False, a=action: self.trigger(a))
            self.actions_bar.insertWidget(i, button)
            self.action_buttons[action] = button

    def _show_photos(self, photos: list[PhotoInfo]) -> None:
        while self.photos_row.count() > 1:
            item = self.photos_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i, photo in enumerate(photos):
            button = QToolButton()
            button.setObjectName(f"photo_{photo.id}")
            pixmap = QPixmap()
            if photo.thumbnail:
                pixmap.loadFromData(photo.thumbnail)
            button.setIcon(QIcon(pixmap))
            button.setIconSize(QSize(96, 96))
            button.setToolTip(f"{label(photo.step)} · {photo.filename}")
            button.clicked.connect(lambda _c=False, p=photo: self._open_photo(p))
            self.photos_row.insertWidget(i, button)

    def _open_photo(self, photo: PhotoInfo) -> None:
        PhotoViewer(self._desk, photo, self).open()

    def _show_timeline(self, events: list[TimelineEvent]) -> None:
        self.timeline.clear()
        # The events no seat takes: the case's opening, the sweep's flags (by the
        # database itself, actor "system") and recomputed deadlines.
        system_actions = {
            CREATE_ACTION: self.tr("Created"),
            FLAG_ACTION: self.tr("Deadline light"),
            RECOMPUTE_ACTION: self.tr("Deadline recomputed"),
        }
        for e in events:
            if e.action in Action.__members__.values():
                action = label(Action(e.action))
            else:
                action = system_actions.get(e.action, e.action)
            actor = self.tr("System") if e.actor == SYSTEM_ACTOR else e.actor
            item = QTreeWidgetItem(
                [format_time(e.at), action, actor, label(e.to_state), e.details()]
            )
            self.timeline.addTopLevelItem(item)
        for column in range(4):
            self.timeline.resizeColumnToContents(column)
