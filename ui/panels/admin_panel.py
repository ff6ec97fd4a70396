"""系统管理: the admin's panel — one tab per area the admin keeps.

The tabs come from ONE list, ``ADMIN_TABS``: a title (English source text, translated
in the context ``AdminPanel`` when the panel is built) and a factory taking the
``Desk``. A new area is one line there:

    (str(QT_TRANSLATE_NOOP("AdminPanel", "Calendar")), CalendarView),

Only a desk holding the admin role gets this panel (``ui.panels.registry`` builds a
tab per role held); the database refuses a non-admin every change anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLineEdit, QTabWidget, QVBoxLayout, QWidget

from seatdesk.domain.glossary import Role
from seatdesk.errors import PermissionDenied
from ui.desk import Desk
from ui.panels.panel import Panel
from ui.widgets.admin_backups import AdminBackupsView
from ui.widgets.admin_calendar import AdminCalendarWidget, CalendarBanner
from ui.widgets.admin_catalogue import AdminCatalogueWidget
from ui.widgets.admin_collectors import CollectorsView
from ui.widgets.admin_departments import AdminDepartmentsView
from ui.widgets.admin_grids import AdminGridsView
from ui.widgets.admin_limits import AdminLimitsWidget
from ui.widgets.admin_users import AdminUsersView
from ui.widgets.assessment_view import AssessmentView

TabFactory = Callable[[Desk], QWidget]

# The admin's tabs, in order: (title source text, factory).
ADMIN_TABS: list[tuple[str, TabFactory]] = [
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Users")), AdminUsersView),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Departments")), AdminDepartmentsView),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Catalogue")), AdminCatalogueWidget),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Time limits")), AdminLimitsWidget),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Calendar")), AdminCalendarWidget),
    # Before the collectors: a collector is bound to grids already there.
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Grids")), AdminGridsView),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Collectors")), CollectorsView),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Staff assessment")), AssessmentView),
    (str(QT_TRANSLATE_NOOP("AdminPanel", "Backups")), AdminBackupsView),
]


class AdminPanel(Panel):
    role = Role.ADMIN

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        if not desk.has(Role.ADMIN):
            raise PermissionDenied(action=None, roles=desk.actor.roles, allowed={Role.ADMIN})
        super().__init__(desk, parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("admin_tabs")
        self.views: dict[str, QWidget] = {}
        for title, factory in ADMIN_TABS:
            view = factory(desk)
            self.views[title] = view
            self.tabs.addTab(view, QCoreApplication.translate("AdminPanel", title))
        # Next year's holidays missing from 1 December: said on every admin login, since
        # every deadline of January would be computed on a calendar without them.
        self.calendar_banner = CalendarBanner(desk, self)
        self.calendar_banner.setObjectName("calendar_banner")
        self._banner_checked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar_banner)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._banner_checked:
            self._banner_checked = True
            self.calendar_banner.check()

    def _on_tabs_current_changed(self, _index: int) -> None:
        # The calendar tab says it itself, under the year it shows: not twice.
        self.calendar_banner.set_suppressed(
            isinstance(self.tabs.currentWidget(), AdminCalendarWidget))

    # ---- Public API

    def show_tab(self, title: str) -> QWidget:
        """Bring the tab of ``title`` (its source text in ``ADMIN_TABS``) forward."""
        view = self.views[title]
        self.tabs.setCurrentWidget(view)
        return view

    # ---- Panel

    def focus_filter(self) -> None:
        current = self.tabs.currentWidget()
        edit = current.findChild(QLineEdit, "filter") if current is not None else None
        if edit is not None:
            edit.setFocus()
            edit.selectAll()
