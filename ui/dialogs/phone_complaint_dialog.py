"""登记投诉: what the 12319 operator types while the caller speaks.

The channel is preset to the 12319 hotline; the content, the address (or a point
picked on the window's map, as in the new-case form), the caller's phone and name, a
category guess and the urgency follow. Beside the form, as soon as there is a place
and a category, the open cases of that category nearby, and once the phone number is
complete (an 11-digit mobile, or Enter in the phone field for any other number), this
caller's earlier complaints: Enter on one of them, or Ctrl+L, records
the complaint linked to that case (关联到此案卷) instead of opening a duplicate.

Ctrl+Enter records the complaint; "Record and open a case" turns it into a case at
once (the urgency is the case's). Esc on a form with typed text asks first. What is
typed is kept as the user's draft (``ui.dialogs.drafts``) until the complaint is
recorded or the person discards it: a form closed by a crash opens again with it.

A look-up by phone is recorded, audited for every complaint it finds and limited per
person by the database (migration 0019), so it is made once per complete number, never
on every keystroke: the request commits first, then its answer is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.domain.glossary import ComplaintChannel, Urgency
from seatdesk.services import complaint_queues, complaints
from seatdesk.services.common import CaseId, ChangeSet
from seatdesk.services.complaint_queues import EarlierComplaint, NearbyCase
from seatdesk.services.complaints import CaseFields, ComplaintId, NewComplaint
from ui.desk import Desk
from ui.dialogs.complaint_dialogs import nearby_text
from ui.dialogs.drafts import clear_draft, read_draft, save_draft
from ui.dialogs.new_case_dialog import DEFAULT_LAT, DEFAULT_LON
from ui.dialogs.parts import install_confirm_shortcut, message_label, reject_unless_kept
from ui.labels import format_time, label
from ui.tasks import CommittingOp, MutationOp, QueryOp
from ui.widgets.category_search import CategorySearch

if TYPE_CHECKING:
    from ui.widgets.map_pane import MapPane

#: The data role of a list item's case id.
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: How long after the last change the nearby cases and earlier complaints are read (ms).
LOOKUP_DELAY_MS = 400
#: The draft's name among the user's drafts, and how long after a change it is written.
DRAFT = "phone_complaint"
DRAFT_DELAY_MS = 400


#: A phone number as it is kept: digits, a leading + for an international one.
PHONE = re.compile(r"\+?\d{5,20}")
#: A complete mainland mobile, looked up as soon as it is typed (+86 allowed).
MOBILE = re.compile(r"(\+?86)?1[3-9]\d{9}")


#: What a number is read out with: white space, dashes, brackets (full-width too).
_READ_OUT = re.compile(r"[\s\-()" + chr(0xFF08) + chr(0xFF09) + "]")


def _phone(text: str) -> str:
    """The number as it is kept and looked up, without the spaces, dashes and brackets
    a caller's number is read out with ("138-1234 5678" is 13812345678)."""
    return _READ_OUT.sub("", text.strip())


def _list(name: str) -> QListWidget:
    """A list of cases or complaints whose lines wrap within the side column."""
    listing = QListWidget()
    listing.setObjectName(name)
    listing.setWordWrap(True)
    listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    listing.setSpacing(2)
    return listing


class PhoneComplaintDialog(QDialog):
    """A complaint from a phone call, with the cases it may belong to beside it."""

    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, map_pane: MapPane | None = None
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._map = map_pane if map_pane is not None and map_pane.available() else None
        self._picking = False
        self._sending = False
        self._lookups = 0  # a reply to an older look-up is dropped
        self._phone_lookups = 0
        #: The number whose earlier complaints were asked for (each look-up is audited).
        self._earlier_phone: str | None = None
        #: What the form recorded: the complaint, and the case it was linked to or opened.
        self.created: ComplaintId | None = None
        self.case_id: CaseId | None = None
        self._build_ui()
        self._restore_draft()
        self._connect()

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Record a complaint from a call"))
        self.setMinimumWidth(980)
        outer = QVBoxLayout(self)
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.setStyleSheet("color: #1565c0;")
        self.draft_note.hide()
        outer.addWidget(self.draft_note)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        form = QFormLayout()
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for c in ComplaintChannel:
            self.channel.addItem(label(c), c)
        self.channel.setCurrentIndex(self.channel.findData(ComplaintChannel.HOTLINE_12319))
        form.addRow(self.tr("Channel:"), self.channel)
        self.content = QPlainTextEdit()
        self.content.setObjectName("content")
        self.content.setTabChangesFocus(True)
        self.content.setMinimumHeight(90)
        self.content.setMaximumHeight(130)
        self.content.setPlaceholderText(self.tr("What the caller says is wrong, and where"))
        form.addRow(self.tr("Content:"), self.content)
        self.address = QLineEdit()
        self.address.setObjectName("address")
        form.addRow(self.tr("Address:"), self.address)
        location = QHBoxLayout()
        self.has_location = QCheckBox(self.tr("Coordinates"))
        self.has_location.setObjectName("has_location")
        self.longitude = self._coordinate(DEFAULT_LON, -180, 180)
        self.latitude = self._coordinate(DEFAULT_LAT, -90, 90)
        location.addWidget(self.has_location)
        location.addWidget(self.longitude)
        location.addWidget(self.latitude)
        self.pick_button = QPushButton(self.tr("Pick on map"))
        self.pick_button.setObjectName("pick_on_map")
        self.pick_button.setAutoDefault(False)
        self.pick_button.setEnabled(self._map is not None)
        if self._map is None:
            self.pick_button.setToolTip(self.tr("The map is not available."))
        location.addWidget(self.pick_button)
        form.addRow(self.tr("Location:"), location)
        caller = QHBoxLayout()
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("Caller's phone"))
        self.complainant = QLineEdit()
        self.complainant.setObjectName("complainant")
        self.complainant.setPlaceholderText(self.tr("Name, if given"))
        caller.addWidget(self.phone, 1)
        caller.addWidget(self.complainant, 1)
        form.addRow(self.tr("Caller:"), caller)
        self.category = CategorySearch()
        self.category.setObjectName("category")
        self.category.setPlaceholderText(self.tr("Type a name or a code, e.g. 井盖 or 0101"))
        self.category.set_categories(self._desk.reference.categories)
        form.addRow(self.tr("Category:"), self.category)
        self.urgency = QComboBox()
        self.urgency.setObjectName("urgency")
        for u in Urgency:
            self.urgency.addItem(label(u), u)
        self.urgency.setToolTip(self.tr("The urgency of the case opened from the complaint"))
        form.addRow(self.tr("Urgency:"), self.urgency)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addStretch(1)
        left = QWidget()
        left.setLayout(column)
        body.addWidget(left, 3)
        side = QVBoxLayout()
        nearby_box = QGroupBox(self.tr("Open cases nearby, same category"))
        nearby_layout = QVBoxLayout(nearby_box)
        self.nearby = _list("nearby_cases")
        self.nearby_note = QLabel(self.tr("Give a place and a category to see them."))
        self.nearby_note.setStyleSheet("color: gray;")
        self.nearby_note.setWordWrap(True)
        nearby_layout.addWidget(self.nearby_note)
        nearby_layout.addWidget(self.nearby)
        side.addWidget(nearby_box, 1)
        earlier_box = QGroupBox(self.tr("This caller's earlier complaints"))
        earlier_layout = QVBoxLayout(earlier_box)
        self.earlier = _list("earlier_complaints")
        self.earlier_note = QLabel(self.tr("Give the caller's phone to see them."))
        self.earlier_note.setStyleSheet("color: gray;")
        self.earlier_note.setWordWrap(True)
        earlier_layout.addWidget(self.earlier_note)
        earlier_layout.addWidget(self.earlier)
        side.addWidget(earlier_box, 1)
        self.link_button = QPushButton(self.tr("Link to this case (Ctrl+L)"))
        self.link_button.setObjectName("link_to_case")
        self.link_button.setAutoDefault(False)
        self.link_button.setEnabled(False)
        self.link_button.setToolTip(
            self.tr("Record the complaint linked to the chosen case instead of a new one")
        )
        side.addWidget(self.link_button)
        right = QWidget()
        right.setLayout(side)
        right.setMinimumWidth(380)
        body.addWidget(right, 2)
        self.message_label = message_label()
        outer.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Record complaint"))
        self.ok_button.setToolTip(self.tr("Record the complaint (Ctrl+Enter)"))
        self.to_case_button = self.buttons.addButton(
            self.tr("Record and open a case"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.to_case_button.setObjectName("record_and_open_case")
        self.to_case_button.setAutoDefault(False)
        outer.addWidget(self.buttons)
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DELAY_MS)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self.content.setFocus()

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
        self.to_case_button.clicked.connect(self.record_and_open_case)
        install_confirm_shortcut(self, self.accept)
        # Enter in the phone field looks the number up (not the dialog's default button).
        self.phone.installEventFilter(self)
        link = QShortcut(QKeySequence("Ctrl+L"), self)
        link.activated.connect(self.link_to_chosen)
        self.link_button.clicked.connect(self.link_to_chosen)
        self.has_location.toggled.connect(self.longitude.setEnabled)
        self.has_location.toggled.connect(self.latitude.setEnabled)
        self.pick_button.clicked.connect(self._on_pick_button_clicked)
        if self._map is not None:
            self._map.sig_point_picked.connect(self._on_map_point_picked)
        for signal in (
            self.has_location.toggled,
            self.longitude.valueChanged,
            self.latitude.valueChanged,
            self.phone.textChanged,
            self.category.textChanged,
        ):
            signal.connect(self._lookup_timer.start)
        self._lookup_timer.timeout.connect(self.look_up)
        self._draft_timer.timeout.connect(self.save_draft)
        for line in (self.address, self.phone, self.complainant, self.category):
            line.textChanged.connect(self._draft_timer.start)
        self.content.textChanged.connect(self._draft_timer.start)
        for combo in (self.channel, self.urgency):
            combo.currentIndexChanged.connect(self._draft_timer.start)
        self.has_location.toggled.connect(self._draft_timer.start)
        self.longitude.valueChanged.connect(self._draft_timer.start)
        self.latitude.valueChanged.connect(self._draft_timer.start)
        for listing in (self.nearby, self.earlier):
            listing.currentItemChanged.connect(self._on_choice_changed)
            listing.itemActivated.connect(lambda _item: self.link_to_chosen())

    # ---- Public API

    def has_content(self) -> bool:
        texts = (self.content.toPlainText(), self.address.text(), self.phone.text(),
                 self.complainant.text(), self.category.text())
        return any(t.strip() for t in texts) or self.has_location.isChecked()

    def chosen_case(self) -> CaseId | None:
        """The case the link button would link to: the current item of the list that
        has the focus, else of the one last chosen."""
        for listing in (self.nearby, self.earlier):
            item = listing.currentItem()
            if listing.hasFocus() and item is not None and item.data(CASE_ID_ROLE):
                return CaseId(int(item.data(CASE_ID_ROLE)))
        last = self._last_choice
        if last is not None and last.data(CASE_ID_ROLE):
            return CaseId(int(last.data(CASE_ID_ROLE)))
        return None

    _last_choice: QListWidgetItem | None = None

    def _forget_choice(self, listing: QListWidget) -> None:
        """Before ``listing`` is cleared: the last choice, if it is there, goes with it."""
        if self._last_choice is not None and self._last_choice.listWidget() is listing:
            self._last_choice = None
            self.link_button.setEnabled(False)

    @Slot()
    def save_draft(self) -> None:
        """Write the draft now (it is written a moment after each change anyway); a
        form without content keeps none."""
        self._draft_timer.stop()
        if self.created is not None:
            return
        login = self._desk.actor.login
        if self.has_content():
            save_draft(login, DRAFT, {
                "channel": str(self.channel.currentData()),
                "content": self.content.toPlainText(),
                "address": self.address.text(),
                "has_location": self.has_location.isChecked(),
                "longitude": self.longitude.value(),
                "latitude": self.latitude.value(),
                "phone": self.phone.text(),
                "complainant": self.complainant.text(),
                "category": self.category.text(),
                "urgency": str(self.urgency.currentData()),
            })
        else:
            clear_draft(login, DRAFT)

    @Slot()
    def look_up(self) -> None:
        """Read the open cases nearby now, and the caller's earlier complaints when the
        number is a complete mobile."""
        self._lookup_timer.stop()
        category = self.category.chosen()
        located = self.has_location.isChecked()
        lon, lat = self.longitude.value(), self.latitude.value()
        self._lookups += 1
        ticket = self._lookups

        def read(s: Session) -> list[NearbyCase] | None:
            if located and category is not None:
                return complaint_queues.nearby_open_cases(s, lon, lat, category.id)
            return None

        QueryOp(
            self._desk.tasks,
            self,
            op=read,
            success=lambda found: self._on_nearby(ticket, found),
        ).run()
        phone = _phone(self.phone.text())
        if MOBILE.fullmatch(phone):
            self.look_up_phone()
        elif phone != self._earlier_phone:
            self._earlier_phone = None
            self._phone_lookups += 1
            self._on_earlier(self._phone_lookups, phone, None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.phone
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        ):
            self.look_up_phone()
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def look_up_phone(self) -> None:
        """The caller's earlier complaints, now: once per number (Enter in the phone
        field, or a complete mobile). The look-up is committed, then read."""
        phone = _phone(self.phone.text())
        if not PHONE.fullmatch(phone) or phone == self._earlier_phone:
            return
        self._earlier_phone = phone
        self._phone_lookups += 1
        ticket = self._phone_lookups

        def find(begin: complaints.Begin) -> list[EarlierComplaint]:
            request = complaints.lookup_committed(begin, phone)
            with begin() as s:
                return complaint_queues.earlier_complaints(s, request)

        def failed(error: BaseException) -> None:
            if ticket == self._phone_lookups:
                self._earlier_phone = None
                self._forget_choice(self.earlier)
                self.earlier.clear()
                self.earlier_note.setText(str(error))

        CommittingOp(
            self._desk.tasks,
            self,
            op=find,
            success=lambda found: self._on_earlier(ticket, phone, found),
            failure=failed,
        ).run()

    @Slot()
    def link_to_chosen(self) -> None:
        case_id = self.chosen_case()
        if case_id is None:
            self._show_message(self.tr("Choose an open case from the lists first."))
            return
        def link(s: Session, complaint_id: ComplaintId) -> tuple[CaseId, ChangeSet]:
            changes = complaints.link_complaint(
                s, complaint_id=complaint_id, expected_version=1, case_id=case_id
            )
            return case_id, changes

        self._send(link)

    @Slot()
    def record_and_open_case(self) -> None:
        category = self.category.chosen()
        if category is None:
            self._show_message(self.tr("Choose a category from the list to open a case."))
            return
        fields = CaseFields(category_id=category.id, urgency=Urgency(self.urgency.currentData()))

        def to_case(s: Session, complaint_id: ComplaintId) -> tuple[CaseId, ChangeSet]:
            return complaints.complaint_to_case(
                s, complaint_id=complaint_id, expected_version=1, fields=fields
            )

        self._send(to_case)

    # ---- Qt overrides

    def reject(self) -> None:
        reject_unless_kept(self, self.has_content(), self._discard)

    def accept(self) -> None:
        self._send(None)

    def done(self, result: int) -> None:
        self._lookup_timer.stop()
        self._draft_timer.stop()
        if self._map is not None:
            self._map.clear_pick()
        self._picking = False
        super().done(result)

    # ---- Private

    def _send(
        self, then: Callable[[Session, ComplaintId], tuple[CaseId, ChangeSet]] | None
    ) -> None:
        """Record the complaint and, in the same transaction, ``then`` (link or open a
        case): both happen or neither."""
        if self._sending:
            return
        problem = self._problem()
        if problem:
            self._show_message(problem)
            return
        new = self._new()
        self._show_message("")
        self._sending = True
        for button in (self.ok_button, self.to_case_button, self.link_button):
            button.setEnabled(False)

        def op(s: Session) -> tuple[ComplaintId, CaseId | None, ChangeSet]:
            complaint_id, changes = complaints.create_complaint(s, new)
            case_id = None
            if then is not None:
                case_id, more = then(s, complaint_id)
                changes = changes | more
            return complaint_id, case_id, changes

        MutationOp(
            self._desk.tasks, self, op=op, success=self._on_sent, failure=self._on_failed
        ).run()

    def _problem(self) -> str | None:
        if not self.content.toPlainText().strip():
            return self.tr("Write what the caller complains about.")
        phone = self.phone.text().strip()
        if phone and not PHONE.fullmatch(_phone(phone)):
            return self.tr("{phone} is not a phone number.").format(phone=phone)
        if not self.address.text().strip() and not self.has_location.isChecked():
            return self.tr("Give an address or coordinates.")
        return None

    def _new(self) -> NewComplaint:
        located = self.has_location.isChecked()
        category = self.category.chosen()
        return NewComplaint(
            channel=ComplaintChannel(self.channel.currentData()),
            content=self.content.toPlainText().strip(),
            complainant=self.complainant.text().strip() or None,
            complainant_phone=_phone(self.phone.text()) or None,
            address=self.address.text().strip(),
            longitude=self.longitude.value() if located else None,
            latitude=self.latitude.value() if located else None,
            category_id=category.id if category is not None else None,
        )

    def _discard(self) -> None:
        """The person chose to throw the form away: its draft goes too."""
        clear_draft(self._desk.actor.login, DRAFT)
        super().reject()

    def _restore_draft(self) -> None:
        """Fill the form from the user's draft, if one was kept, and say so (before the
        signals are connected: restoring is not a change)."""
        draft = read_draft(self._desk.actor.login, DRAFT)
        if draft is None:
            return
        draft.choose(self.channel, "channel")
        draft.choose(self.urgency, "urgency")
        self.content.setPlainText(draft.text("content"))
        self.address.setText(draft.text("address"))
        located = draft.flag("has_location")
        self.has_location.setChecked(located)
        self.longitude.setEnabled(located)
        self.latitude.setEnabled(located)
        self.longitude.setValue(draft.number("longitude", DEFAULT_LON))
        self.latitude.setValue(draft.number("latitude", DEFAULT_LAT))
        self.phone.setText(draft.text("phone"))
        self.complainant.setText(draft.text("complainant"))
        self.category.setText(draft.text("category"))
        self.draft_note.setText(self.tr(
            "Draft restored: this form holds what was typed before it closed (saved {when})."
        ).format(when=draft.saved_at()))
        self.draft_note.show()
        self._lookup_timer.start()  # the nearby cases, as if just typed

    def _on_sent(self, result: tuple[ComplaintId, CaseId | None, ChangeSet]) -> None:
        self._sending = False
        self.created, self.case_id = result[0], result[1]
        clear_draft(self._desk.actor.login, DRAFT)
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self._sending = False
        self.ok_button.setEnabled(True)
        self.to_case_button.setEnabled(True)
        self.link_button.setEnabled(self._last_choice is not None)
        self._show_message(str(error))

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _on_nearby(self, ticket: int, nearby: list[NearbyCase] | None) -> None:
        if ticket != self._lookups:
            return
        self._forget_choice(self.nearby)
        self.nearby.clear()
        if nearby is None:
            self.nearby_note.setText(self.tr("Give a place and a category to see them."))
        elif not nearby:
            self.nearby_note.setText(self.tr("No open case of this category nearby."))
        else:
            self.nearby_note.setText(self.tr("Enter on a case links the complaint to it."))
        for case in nearby or []:
            item = QListWidgetItem(nearby_text(case))
            item.setData(CASE_ID_ROLE, int(case.id))
            item.setToolTip(case.description)
            self.nearby.addItem(item)

    def _on_earlier(
        self, ticket: int, phone: str, earlier: list[EarlierComplaint] | None
    ) -> None:
        """``earlier`` None: the number was not looked up (not complete yet)."""
        if ticket != self._phone_lookups:
            return
        self._forget_choice(self.earlier)
        self.earlier.clear()
        if not phone:
            self.earlier_note.setText(self.tr("Give the caller's phone to see them."))
        elif earlier is None:
            self.earlier_note.setText(
                self.tr("Press Enter in the phone field, or type the whole mobile number, "
                        "to see them.")
            )
        elif not earlier:
            self.earlier_note.setText(self.tr("No earlier complaint from this number."))
        else:
            self.earlier_note.setText(
                self.tr("Those whose case is still open can be linked to it.")
            )
        for complaint in earlier or []:
            item = QListWidgetItem(self._earlier_text(complaint))
            item.setToolTip(complaint.content)
            if complaint.case_open and complaint.case_id is not None:
                item.setData(CASE_ID_ROLE, int(complaint.case_id))
            else:
                item.setForeground(Qt.GlobalColor.gray)
            self.earlier.addItem(item)

    def _earlier_text(self, complaint: EarlierComplaint) -> str:
        where = ""
        if complaint.case_number:
            where = self.tr("case {number} ({state})").format(
                number=complaint.case_number, state=label(complaint.case_state)
            )
        return "{when}  {number}  {state}\n{where}  {content}".format(
            when=format_time(complaint.received_at), number=complaint.number,
            state=label(complaint.state), where=where,
            content=" ".join(complaint.content.split())[:40],
        )

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_choice_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self._last_choice = current
        chosen = self._last_choice is not None and bool(self._last_choice.data(CASE_ID_ROLE))
        self.link_button.setEnabled(chosen and not self._sending)

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
            return
        self._picking = False
        self._show_message("")
        self.has_location.setChecked(True)
        self.longitude.setValue(lon)
        self.latitude.setValue(lat)
        self.raise_()
        self.activateWindow()
