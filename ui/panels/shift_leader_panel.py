"""值班长: pre-registered cases to register or send back, checked cases to close or
send to rework, the authorization queue (extension, return, postponement requests to
approve or deny), and the shift overview."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from seatdesk.domain.glossary import Role, State
from seatdesk.services.queues import QueueQuery, SortKey
from ui.panels.queue_panel import QueuePanel, QueueSpec
from ui.widgets.shift_overview import ShiftOverviewWidget

AUTHORIZATION = frozenset(
    {State.EXTENSION_REQUESTED, State.RETURN_REQUESTED, State.POSTPONEMENT_REQUESTED}
)


class ShiftLeaderPanel(QueuePanel):
    role = Role.SHIFT_LEADER

    def queues(self) -> list[QueueSpec]:
        leader = Role.SHIFT_LEADER
        return [
            QueueSpec(
                "register",
                self.tr("To register"),
                QueueQuery(role=leader, states=frozenset({State.PRE_REGISTERED}),
                           sort=SortKey.URGENT),
            ),
            QueueSpec(
                "close",
                self.tr("To close"),
                QueueQuery(
                    role=leader,
                    states=frozenset({State.CHECK_PASSED, State.CHECK_FAILED}),
                    sort=SortKey.URGENT,
                ),
            ),
            QueueSpec(
                "authorize",
                self.tr("Requests to authorize"),
                QueueQuery(role=leader, states=AUTHORIZATION, sort=SortKey.URGENT),
            ),
        ]

    def extra_tabs(self) -> list[tuple[str, QWidget]]:
        self.overview = ShiftOverviewWidget(self._desk)
        return [(self.tr("Shift overview"), self.overview)]
