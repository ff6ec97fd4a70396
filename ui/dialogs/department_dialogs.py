"""The admin's department dialogs: a new department, a new name, a merge.

As the user dialogs (``ui.dialogs.user_dialogs``): OK runs the change, a refusal stays
in the dialog as one sentence, the dialog closes once the change is committed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget
from sqlalchemy.orm import Session

from seatdesk.services import departments
from seatdesk.services.common import ChangeSet
from seatdesk.services.departments import DepartmentRow
from ui.desk import Desk
from ui.dialogs.user_dialogs import ChangeDialog


class DepartmentDialog(ChangeDialog):
    """A new department (code, name, contact), or a new name for ``department``."""

    def __init__(
        self, desk: Desk, department: DepartmentRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desk, parent)
        self._department = department
        self.setWindowTitle(
            self.tr("New department") if department is None
            else self.tr("Rename {code}").format(code=department.code)
        )
        self.code = QLineEdit(department.code if department else "")
        self.code.setObjectName("code")
        self.code.setReadOnly(department is not None)
        self.form.addRow(self.tr("Code:"), self.code)
        self.name = QLineEdit(department.name if department else "")
        self.name.setObjectName("name")
        self.form.addRow(self.tr("Name:"), self.name)
        self.contact = QLineEdit(department.contact or "" if department else "")
        self.contact.setObjectName("contact")
        self.contact.setEnabled(department is None)
        self.form.addRow(self.tr("Contact:"), self.contact)

    def _problem(self) -> str | None:
        if not self.code.text().strip():
            return self.tr("Enter the department's code.")
        if not self.name.text().strip():
            return self.tr("Enter the department's name.")
        return None

    def _change(self) -> Callable[[Session], ChangeSet]:
        code, name = self.code.text().strip(), self.name.text()
        if self._department is not None:
            return lambda s: departments.rename(s, code=code, name=name)
        contact = self.contact.text().strip() or None
        return lambda s: departments.add(s, code=code, name=name, contact=contact)


class MergeDialog(ChangeDialog):
    """Merge ``source`` into an active department chosen from ``others``."""

    def __init__(
        self, desk: Desk, source: DepartmentRow, others: list[DepartmentRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desk, parent)
        self._source = source
        self.setWindowTitle(self.tr("Merge {code}").format(code=source.code))
        explain = QLabel(self.tr(
            "{name} ({code}) will be deactivated. Its {cases} open cases, its {users} "
            "department seats and its filing conditions move to the department chosen "
            "here; its closed cases and every case's history stay as they are."
        ).format(name=source.name, code=source.code, cases=source.open_cases,
                 users=source.users))
        explain.setWordWrap(True)
        self.form.addRow(explain)
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.addItem(self.tr("— choose —"), None)
        for d in others:
            if d.active and d.code != source.code:
                self.target.addItem(f"{d.name} ({d.code})", d.code)
        self.form.addRow(self.tr("Merge into:"), self.target)

    def _problem(self) -> str | None:
        if self.target.currentData() is None:
            return self.tr("Choose the department to merge into.")
        return None

    def _change(self) -> Callable[[Session], ChangeSet]:
        source, target = self._source.code, str(self.target.currentData())
        return lambda s: departments.merge(s, source=source, target=target)
