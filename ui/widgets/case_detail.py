"""One case in full: its fields, its complaints (masked), photo thumbnails (click to
enlarge), the timeline of its audit events and its complaints' steps, and a button per
action the workflow table allows this seat.

The buttons come from ``seatdesk.domain.workflow.allowed_actions(state, roles)``: the
UI never decides what is allowed. The shift leader's reopen of a closed case after a
不满意 callback (not a row of the table) is offered by the complaints box when the
core's ``reopenable_complaints`` names a complaint; its dialog opens here. A button
asks the panel to run its action (``sig_action_requested``); the panel opens the
action's dialog. The detail keeps a readable width beside the queue: long fields and
the timeline's notes wrap.
Ctrl+P prints the case sheet (案卷单); it can be saved as a PDF too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    ANSWER_ACTION,
    CREATE_ACTION,
    FLAG_ACTION,
    RECOMPUTE_ACTION,
    SYSTEM_ACTOR,
    Action,
    CaseEventAction,
    State,
)
from seatdesk.services import complaints as complaint_service
from seatdesk.services import photos as photo_service
from seatdesk.services import queues
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.complaints import Complaint
from seatdesk.services.photos import PhotoInfo
from seatdesk.services.queues import CaseDetail, ComplaintTimelineEvent, TimelineEvent
from ui.desk import Desk
from ui.dialogs.photo_viewer import PhotoViewer
from ui.dialogs.reopen_dialog import ReopenDialog
from ui.labels import format_time, label
from ui.tasks import QueryOp
from ui.widgets.case_complaints import CaseComplaintsBox
from ui.widgets.case_sheet import print_dialog, save_pdf, sheet_document
from ui.widgets.timeline_view import TimelineView

# The detail's width beside the queue: wide enough to read, never wider.
MIN_WIDTH = 380
MAX_WIDTH = 460
# Action buttons and photo thumbnails per row (they wrap within the width).
PER_ROW = 3

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
    complaints: list[Complaint]
    reopenable: list[Complaint]
    merged: list[TimelineEvent | ComplaintTimelineEvent]


class CaseDetailWidget(QWidget):
    """Shows one case; reloads itself when the case changes anywhere."""

    sig_action_requested = Signal(object, object)
    """A button (or its shortcut) asks for an action: (CaseDetail, Action). The panel
    opens the action's dialog."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._case_id: CaseId | None = None
        self.case: CaseDetail | None = None
        self._loaded: _Loaded | None = None
        self.action_buttons: dict[Action, QPushButton] = {}
        self.print_dialog: QPrintDialog | None = None
        self.reopen_dialog: ReopenDialog | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.setMinimumWidth(MIN_WIDTH)
        self.setMaximumWidth(MAX_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Select a case"))
        self.title.setObjectName("case_title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.print_button = QToolButton()
        self.print_button.setObjectName("print_sheet")
        # Short words: the case number and its state keep the header's line at 380 px.
        self.print_button.setText(self.tr("Print…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("Print the case sheet (Ctrl+P)"))
        self.pdf_button = QToolButton()
        self.pdf_button.setObjectName("save_sheet_pdf")
        self.pdf_button.setText(self.tr("PDF…"))
        self.pdf_button.setToolTip(self.tr("Save the case sheet as a PDF file"))
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
            top.addWidget(button)
        layout.addLayout(top)
        self.actions_bar = QGridLayout()
        layout.addLayout(self.actions_bar)
        # The latest 督办 of the case, where the department seat cannot miss it.
        self.urge_banner = QLabel()
        self.urge_banner.setObjectName("urge_banner")
        self.urge_banner.setWordWrap(True)
        self.urge_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.urge_banner.setStyleSheet(
            "QLabel#urge_banner { background: #ffebee; color: #b71c1c; "
            "border: 1px solid #e57373; padding: 4px; }"
        )
        self.urge_banner.hide()
        layout.addWidget(self.urge_banner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Never wider than the detail: long text wraps instead of scrolling sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        fields_box = QGroupBox(self.tr("Case"))
        self.fields = QFormLayout(fields_box)
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        body_layout.addWidget(fields_box)
        self.complaints_box = CaseComplaintsBox()
        body_layout.addWidget(self.complaints_box)
        photos_box = QGroupBox(self.tr("Photos"))
        self.photos_grid = QGridLayout(photos_box)
        self.photos_grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        body_layout.addWidget(photos_box)
        timeline_box = QGroupBox(self.tr("Timeline"))
        timeline_layout = QVBoxLayout(timeline_box)
        self.timeline = TimelineView()
        self.timeline.setObjectName("timeline")
        self.timeline.setMinimumHeight(160)
        timeline_layout.addWidget(self.timeline)
        body_layout.addWidget(timeline_box, 1)  # the timeline takes the room left
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

    def _connect(self) -> None:
        self._desk.tasks.sig_data_changed.connect(self._on_data_changed)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.complaints_box.sig_reopen_requested.connect(
            self._on_complaints_box_reopen_requested
        )

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

        may_reopen = complaint_service.REOPEN_ROLE in self._desk.actor.roles

        def read(session: Session) -> _Loaded:
            merged = queues.merged_timeline(session, case_id)
            return _Loaded(
                case=queues.get_case(session, case_id),
                timeline=[e for e in merged if isinstance(e, TimelineEvent)],
                photos=photo_service.list_photos(session, case_id),
                complaints=queues.case_complaints(session, case_id),
                reopenable=(
                    complaint_service.reopenable_complaints(session, case_id)
                    if may_reopen else []
                ),
                merged=merged,
            )

        QueryOp(self._desk.tasks, self, op=read, success=self._on_loaded).run()

    def allowed_actions(self) -> list[Action]:
        if self.case is None:
            return []
        return workflow.allowed_actions(self.case.state, self._desk.actor.roles)

    def trigger(self, action: Action) -> None:
        """Ask the panel to run ``action`` on the shown case (what a button does)."""
        if self.case is None or action not in self.allowed_actions():
            return
        self.sig_action_requested.emit(self.case, action)

    def save_sheet_pdf(self, path: Path) -> bool:
        """Write the shown case's sheet to ``path`` as a PDF; False with no case."""
        if self._loaded is None:
            return False
        save_pdf(self._sheet(), path, self._sheet_title())
        return True

    def open_print_dialog(self) -> QPrintDialog | None:
        """Qt's print dialog for the shown case's sheet (Ctrl+P); None with no case."""
        if self._loaded is None:
            return None
        dialog = print_dialog(self._sheet(), self, self._sheet_title())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog

    def open_reopen_dialog(self, complaint: Complaint) -> ReopenDialog | None:
        """The shift leader's dialog to reopen the shown case for ``complaint``."""
        if self.case is None:
            return None
        dialog = ReopenDialog(self._desk, self.case, complaint, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reopen_dialog = dialog
        dialog.open()
        return dialog

    # ---- Private slots

    @Slot(object)
    def _on_complaints_box_reopen_requested(self, complaint: Complaint) -> None:
        self.open_reopen_dialog(complaint)

    @Slot(object, object)
    def _on_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if self._case_id is not None and (
            self._case_id in changes.case_ids or changes.entities
        ):
            self.reload()

    @Slot()
    def _on_print_button_clicked(self) -> None:
        self.open_print_dialog()

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        if self._loaded is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the case sheet as PDF"),
            str(Path.home() / f"{self._loaded.case.number}.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if path:
            self.save_sheet_pdf(Path(path if path.lower().endswith(".pdf") else path + ".pdf"))

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.case.id != self._case_id:
            return  # another case was chosen meanwhile
        self.case = loaded.case
        self._loaded = loaded
        self._show_fields(loaded.case)
        self._show_actions(loaded.case.state)
        self._show_photos(loaded.photos)
        self.complaints_box.set_complaints(loaded.complaints, loaded.reopenable)
        self._show_timeline(loaded.merged)
        self._show_urge(loaded.timeline)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)

    # ---- Private

    def _sheet(self) -> QTextDocument:
        assert self._loaded is not None
        loaded = self._loaded
        return sheet_document(
            loaded.case, loaded.timeline, loaded.photos,
            self._desk.reference.department_name(loaded.case.current_department) or None,
        )

    def _sheet_title(self) -> str:
        number = self._loaded.case.number if self._loaded is not None else ""
        return self.tr("Case sheet {number}").format(number=number)

    def _clear(self) -> None:
        self._loaded = None
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
        self.title.setText(self.tr("Select a case"))
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self._show_actions(None)
        self._show_photos([])
        self.complaints_box.set_complaints([], [])
        self.timeline.clear()
        self.urge_banner.hide()

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
        self.field_labels: dict[str, QLabel] = {}
        for name, value in rows:
            value_label = QLabel(value)
            value_label.setTextFormat(Qt.TextFormat.PlainText)
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(name, value_label)
            self.field_labels[name] = value_label

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
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setObjectName(f"action_{action.value}")
            shortcut = ACTION_SHORTCUTS.get(action)
            if shortcut:
                button.setShortcut(QKeySequence(shortcut))
                button.setToolTip(shortcut)
            button.clicked.connect(lambda _checked=False, a=action: self.trigger(a))
            self.actions_bar.addWidget(button, i // PER_ROW, i % PER_ROW)
            self.action_buttons[action] = button

    def _show_photos(self, photos: list[PhotoInfo]) -> None:
        while self.photos_grid.count():
            item = self.photos_grid.takeAt(0)
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
            self.photos_grid.addWidget(button, i // PER_ROW, i % PER_ROW)

    def _open_photo(self, photo: PhotoInfo) -> None:
        PhotoViewer(self._desk, photo, self).open()

    def _show_urge(self, events: list[TimelineEvent]) -> None:
        urges = [e for e in events if e.action == Action.URGE.value]
        if not urges:
            self.urge_banner.hide()
            return
        last = urges[-1]
        self.urge_banner.setText(messages.t(
            "supervision.urged", who=last.actor_name or last.actor, when=format_time(last.at),
            note=last.note or "",
        ))
        self.urge_banner.show()

    def _show_timeline(self, events: list[TimelineEvent | ComplaintTimelineEvent]) -> None:
        """Each event: time, who (the display name), the action in words, the state it
        led to, and its note on lines of its own; a complaint's step names the
        complaint and the complaint's state."""
        self.timeline.clear()
        # The events no seat takes: the case's opening, the sweep's flags (by the
        # database itself, actor "system") and recomputed deadlines.
        system_actions = {
            CREATE_ACTION: self.tr("Created"),
            FLAG_ACTION: self.tr("Deadline light"),
            RECOMPUTE_ACTION: self.tr("Deadline recomputed"),
            ANSWER_ACTION: self.tr("Collector's answer"),
        }
        for e in events:
            actor = self.tr("System") if e.actor == SYSTEM_ACTOR else e.actor_name or e.actor
            if isinstance(e, ComplaintTimelineEvent):
                self.timeline.add_entry(
                    format_time(e.at), actor, label(e.action), label(e.to_state), e.details()
                )
                continue
            if e.action in Action.__members__.values():
                action = label(Action(e.action))
            elif e.action in CaseEventAction.__members__.values():
                action = label(CaseEventAction(e.action))
            else:
                action = system_actions.get(e.action, e.action)
            self.timeline.add_entry(
                format_time(e.at), actor, action, label(e.to_state), e.details()
            )
