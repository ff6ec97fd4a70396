"""受理员: new reports, verification replies, handled cases to check, the cases to
place on the map (待定位), all cases (a citizen calling back), and new cases from phone
calls. Possible duplicates are shown in the pre-register dialog."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from seatdesk.domain.glossary import Role, State
from seatdesk.services.queues import QueueQuery, SortKey
from ui.dialogs.new_case_dialog import NewCaseDialog
from ui.panels.queue_panel import QueuePanel, QueueSpec


class AcceptorPanel(QueuePanel):
    role = Role.ACCEPTOR

    def queues(self) -> list[QueueSpec]:
        base = QueueQuery(role=Role.ACCEPTOR, sort=SortKey.URGENT)
        return [
            QueueSpec(
                "new",
                self.tr("New reports"),
                QueueQuery(
                    role=Role.ACCEPTOR,
                    states=frozenset({State.REPORTED}),
                    sort=SortKey.URGENT,
                ),
            ),
            QueueSpec(
                "verification",
                self.tr("Verification replies"),
                QueueQuery(
                    role=Role.ACCEPTOR,
                    states=frozenset({State.VERIFYING, State.VERIFIED, State.UNVERIFIED}),
                    sort=SortKey.URGENT,
                ),
            ),
            QueueSpec(
                "check",
                self.tr("Handled, to check"),
                QueueQuery(
                    role=Role.ACCEPTOR,
                    states=frozenset({State.HANDLED, State.CHECKING}),
                    sort=SortKey.URGENT,
                ),
            ),
            QueueSpec(
                "unplaced",
                self.tr("To place"),
                # Open cases without a grid (no location, or outside every grid),
                # whoever holds them now: the acceptor finds where they are.
                QueueQuery(unplaced=True, sort=SortKey.URGENT),
            ),
            QueueSpec("all", self.tr("All my cases"), base),
            QueueSpec(
                "everything",
                self.tr("All cases"),
                # Closed, rejected and voided too: a citizen calling back about any.
                QueueQuery(include_closed=True, sort=SortKey.NUMBER, descending=True),
            ),
        ]

    def add_tools(self, toolbar: QToolBar) -> None:
        self.new_case_action = QAction(self.tr("New case from a call…"), self)
        self.new_case_action.setObjectName("new_case")
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_case_action.setToolTip(self.tr("New case from a call (Ctrl+N)"))
        self.new_case_action.triggered.connect(self._on_new_case_triggered)
        toolbar.addAction(self.new_case_action)

    # ---- Public API

    def new_case_dialog(self) -> NewCaseDialog:
        """The dialog the tool opens (not yet shown); the tests drive it."""
        dialog = NewCaseDialog(self._desk, self, map_pane=self.map_pane)
        dialog.accepted.connect(lambda: self._on_case_created(dialog))
        return dialog

    # ---- Private slots

    @Slot()
    def _on_new_case_triggered(self) -> None:
        # Not modal: the acceptor may pick the place on the window's map meanwhile.
        self.new_case_dialog().show()

    def _on_case_created(self, dialog: NewCaseDialog) -> None:
        if dialog.created is not None:
            self.show_queue("new")
            self.detail.show_case(dialog.created)
