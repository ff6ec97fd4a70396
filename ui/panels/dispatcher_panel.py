"""派遣员: registered cases to dispatch, returned cases to re-dispatch, and the
dispatched cases with the time they have left (the most urgent first)."""

from __future__ import annotations

from seatdesk.domain.glossary import Role, State
from seatdesk.services.queues import QueueQuery, SortKey
from ui.panels.queue_panel import QueuePanel, QueueSpec

#: Dispatched and still with the department: what the dispatcher follows up.
FOLLOWED = frozenset(
    {
        State.DISPATCHED,
        State.HANDLING,
        State.EXTENSION_REQUESTED,
        State.RETURN_REQUESTED,
        State.POSTPONEMENT_REQUESTED,
        State.POSTPONED,
    }
)


class DispatcherPanel(QueuePanel):
    role = Role.DISPATCHER

    def queues(self) -> list[QueueSpec]:
        return [
            QueueSpec(
                "register",
                self.tr("To dispatch"),
                QueueQuery(role=Role.DISPATCHER, states=frozenset({State.REGISTERED}),
                           sort=SortKey.URGENT),
            ),
            QueueSpec(
                "returned",
                self.tr("Returned"),
                QueueQuery(role=Role.DISPATCHER, states=frozenset({State.RETURNED}),
                           sort=SortKey.URGENT),
            ),
            QueueSpec(
                "dispatched",
                self.tr("Dispatched"),
                # Not the dispatcher's own queue in the workflow table: the follow-up.
                QueueQuery(states=FOLLOWED, sort=SortKey.URGENT),
            ),
        ]
