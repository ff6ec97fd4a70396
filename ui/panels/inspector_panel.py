"""督查员: the inspector's panel — supervision.

Tabs (``self.tabs``, a QTabWidget):

- 督办: the cases near or past their deadline per department, live from the sweep's
  flags; urge one case (the detail's 督办 button) or every overdue case of a
  department at once with a note (``SupervisionView``);
- 待核查: the handled cases waiting for a check request, which the inspector sends
  as the acceptor does (the workflow table gives the inspector that step);
- 回访抽查: the random sample of replied complaints for callback (``CallbackSampleView``);
- 统计: the dashboard of the period's statistics, with the statistics export and the
  monthly report (``StatsDashboard`` over ``seatdesk.services.stats_tables``).

The case detail beside the tabs shows the case chosen in 督办 or 待核查 and runs its
actions; it hides on the tabs that show no case.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from seatdesk.domain.glossary import Role
from seatdesk.services import monthly_report, stats_tables, supervision
from seatdesk.services.queues import CaseRow
from seatdesk.services.supervision import DepartmentLate
from ui.desk import Desk
from ui.panels.queue_panel import QueuePanel, QueueSpec
from ui.widgets.callback_sample_view import CallbackSampleView
from ui.widgets.case_queue import CaseQueueWidget
from ui.widgets.stats_dashboard import StatsDashboard
from ui.widgets.supervision_view import SupervisionView

#: The name of the check-request queue (its settings and ``show_queue``).
CHECK_QUEUE = "awaiting_check"


class InspectorPanel(QueuePanel):
    role = Role.INSPECTOR

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        # 督办 first: what is late is what an inspector's shift starts with.
        self.tabs.tabBar().moveTab(self.tabs.indexOf(self.supervision), 0)
        self.tabs.setCurrentWidget(self.supervision)
        self.supervision.sig_case_selected.connect(self._on_supervision_case_selected)
        self.supervision.sig_counts_changed.connect(self._on_supervision_counts_changed)
        self.tabs.currentChanged.connect(self._on_inspector_tab_changed)

    # ---- QueuePanel

    def queues(self) -> list[QueueSpec]:
        return [
            QueueSpec(CHECK_QUEUE, self.tr("Awaiting check"), supervision.awaiting_check_query())
        ]

    def extra_tabs(self) -> list[tuple[str, QWidget]]:
        self.supervision = SupervisionView(self._desk)
        self.supervision.setObjectName("supervision")
        self.samples = CallbackSampleView(self._desk)
        self.samples.setObjectName("callback_samples")
        self.dashboard = StatsDashboard(
            self._desk,
            stats_tables.dashboard_tables,
            exporter=stats_tables.export_statistics,
            reporter=monthly_report.report_month,
        )
        self.dashboard.setObjectName("dashboard")
        return [
            (self.tr("Urge"), self.supervision),
            (self.tr("Callback sample"), self.samples),
            (self.tr("Statistics"), self.dashboard),
        ]

    # ---- Public API

    def show_supervision(self) -> SupervisionView:
        self.tabs.setCurrentWidget(self.supervision)
        return self.supervision

    def show_samples(self) -> CallbackSampleView:
        self.tabs.setCurrentWidget(self.samples)
        return self.samples

    # ---- Private slots

    @Slot(object)
    def _on_supervision_case_selected(self, row: CaseRow | None) -> None:
        if self.tabs.currentWidget() is not self.supervision:
            return
        self.detail.show_case(row.id if row else None)
        self.sig_case_shown.emit(row.id if row else None)

    def _on_supervision_counts_changed(self, counts: list[DepartmentLate]) -> None:
        overdue = sum(d.overdue for d in counts)
        self.tabs.setTabText(
            self.tabs.indexOf(self.supervision),
            self.tr("Urge ({n} overdue)").format(n=overdue) if overdue else self.tr("Urge"),
        )

    @Slot(int)
    def _on_inspector_tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        shows_cases = current is self.supervision or isinstance(current, CaseQueueWidget)
        self.detail.setVisible(shows_cases)
        if current is self.supervision:
            row = self.supervision.current_case()
            self.detail.show_case(row.id if row else None)
