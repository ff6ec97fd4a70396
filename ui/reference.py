"""Reference data every form picks from (departments, categories), kept current.

Read once at login, then read again whenever the database announces that departments
or the catalogue changed (or the desk reconnected, or the person asked for a refresh),
so that a department an administrator adds appears in every open desk's pickers
without a restart. Widgets that built a list from it listen to ``sig_changed``;
widgets built later simply read ``data``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot
from sqlalchemy.orm import Session

from seatdesk.notices import Kind
from seatdesk.services import catalogue
from seatdesk.services.catalogue import CategoryInfo, DepartmentInfo
from seatdesk.services.common import ChangeSet
from ui.tasks import RECONNECTED, QueryOp, TaskManager

#: The entities of a ChangeSet after which the reference data is read again.
RELOAD_ON = frozenset({Kind.DEPARTMENTS.value, Kind.CATALOGUE.value, RECONNECTED, "refresh"})


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """What every form picks from."""

    departments: list[DepartmentInfo]
    categories: list[CategoryInfo]

    def department_name(self, code: str | None) -> str:
        for d in self.departments:
            if d.code == code:
                return d.name
        return code or ""


def load_reference(session: Session) -> ReferenceData:
    return ReferenceData(
        departments=catalogue.departments(session),
        categories=catalogue.minor_categories(session),
    )


class ReferenceStore(QObject):
    """The desk's current ``ReferenceData`` (GUI thread), re-read on change notices."""

    sig_changed = Signal(object)
    """The reference data was read again and differs: the new ReferenceData."""

    def __init__(
        self, tasks: TaskManager, data: ReferenceData, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.data = data
        tasks.sig_data_changed.connect(self._on_tasks_data_changed)

    # ---- Public API

    def reload(self) -> None:
        """Read the reference data again (off the GUI thread)."""
        QueryOp(self._tasks, self, op=load_reference, success=self._on_loaded).run()

    # ---- Private slots

    @Slot(object, object)
    def _on_tasks_data_changed(self, changes: ChangeSet, _initiator: object) -> None:
        if changes.entities & RELOAD_ON:
            self.reload()

    def _on_loaded(self, data: ReferenceData) -> None:
        if data != self.data:
            self.data = data
            self.sig_changed.emit(data)
