"""The admin panel for ``scripts/screenshots.py --only admin``: its tabs over the demo
county as the demo's admin sees them — the users with the chosen user's audit
(``docs/admin_users.png``), the departments with the log of one the admin added
(``docs/admin_departments.png``), the catalogue with 0101 上水井盖's filing conditions
(``docs/admin_catalogue.png``), this year's calendar (``docs/admin_calendar.png``) and
the stage limits with the office hours (``docs/admin_limits.png``; one limit changed
first, in the throw-away database, so that the box of the latest changes shows it) and
the grids with one grid's audit (``docs/admin_grids.png``: the demo's import, then the
admin setting its end date a month ahead)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def admin_shots(
    owner: Any, address: Any, password: str, wait: Any, settle: Any, shoot: Any
) -> Any:
    from sqlalchemy import text

    from seatdesk.db.engine import session_factory
    from seatdesk.services import departments as department_service
    from ui.desk import log_in, open_desk
    from ui.panels.admin_panel import AdminPanel
    from ui.widgets.admin_calendar import AdminCalendarWidget
    from ui.widgets.admin_catalogue import AdminCatalogueWidget
    from ui.widgets.admin_departments import AdminDepartmentsView
    from ui.widgets.admin_grids import AdminGridsView
    from ui.widgets.admin_limits import AdminLimitsWidget
    from ui.widgets.admin_users import AdminUsersView

    # A department the admin added and renamed, so that its log below the list shows.
    with session_factory(owner).begin() as s:
        s.execute(text('SET LOCAL ROLE "admin1"'))
        s.execute(text("SELECT set_config('seatdesk.act_as', 'admin1', true)"))
        department_service.add(s, code="CGJ", name="县城管局", contact="0577-63711000")
        department_service.rename(s, code="CGJ", name="县综合行政执法局城管大队")
    desk = open_desk(log_in(address, "admin1", password))
    panel = AdminPanel(desk)
    panel.resize(1280, 720)  # the smallest screen a seat works on: nothing may be cut
    panel.show()

    def idle() -> None:
        wait(lambda: desk.tasks.pending == 0)

    users = panel.show_tab("Users")
    assert isinstance(users, AdminUsersView)
    wait(lambda: "acceptor1" in users.visible_keys())
    users.select("acceptor1")
    idle()
    shoot(panel, "admin_users")

    departments = panel.show_tab("Departments")
    assert isinstance(departments, AdminDepartmentsView)
    wait(lambda: "CGJ" in departments.visible_keys())
    departments.select("CGJ")
    idle()
    wait(lambda: departments.audit.rowCount() == 2)
    shoot(panel, "admin_departments")

    catalogue = panel.show_tab("Catalogue")
    assert isinstance(catalogue, AdminCatalogueWidget)
    classes = catalogue.classes
    wait(lambda: classes.tree.topLevelItemCount() > 0)
    classes.select_code("0101")
    wait(lambda: classes.conditions_table.rowCount() > 0)
    classes.conditions_table.selectRow(0)
    idle()
    shoot(panel, "admin_catalogue")

    calendar = panel.show_tab("Calendar")
    assert isinstance(calendar, AdminCalendarWidget)
    wait(lambda: calendar._days is not None)
    idle()
    shoot(panel, "admin_calendar")

    limits = panel.show_tab("Time limits")
    assert isinstance(limits, AdminLimitsWidget)
    wait(lambda: limits.limits_table.rowCount() > 0)
    # One change, as an admin makes it, so that the box of the latest changes shows one.
    last = limits.limits_table.rowCount() - 1
    limits.limits_table.selectRow(last)
    limits.amount_spin.setValue(1)
    limits.save_limit_button.click()
    idle()
    table = limits.audit_box.table
    wait(lambda: table.rowCount() > 0)
    limits.limits_table.selectRow(last)
    shoot(panel, "admin_limits")

    grids = panel.show_tab("Grids")
    assert isinstance(grids, AdminGridsView)
    wait(lambda: len(grids.visible_keys()) > 0)
    code = grids.visible_keys()[0]
    grids.select(code)
    grids.retire(code, date.today() + timedelta(days=30))
    idle()
    grids.select(code)
    idle()
    wait(lambda: grids.audit.rowCount() >= 2)
    shoot(panel, "admin_grids")
    return panel
