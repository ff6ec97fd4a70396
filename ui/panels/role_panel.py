"""The panel of a role this issue gives no panel of its own (inspector, 12319 monitor,
department, admin): the role's queue from the workflow table and the case detail, so a
user holding such a role still sees and works their cases."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from seatdesk.domain.glossary import Role
from seatdesk.services.queues import QueueQuery
from ui.desk import Desk
from ui.labels import label
from ui.panels.queue_panel import QueuePanel, QueueSpec


class RolePanel(QueuePanel):
    def __init__(self, desk: Desk, role: Role, parent: QWidget | None = None) -> None:
        self.role = role
        super().__init__(desk, parent)

    def queues(self) -> list[QueueSpec]:
        # The inspector follows every open case; the others their role's states.
        query = QueueQuery() if self.role is Role.INSPECTOR else QueueQuery(role=self.role)
        return [QueueSpec("all", label(self.role), query)]
