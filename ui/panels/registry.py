"""Which panel each role gets: the main window builds one tab per role the user holds
from here, so a new kind of panel (statistics, administration) is one entry.

    register_panel(Role.INSPECTOR, InspectorPanel)

A role with no entry gets ``RolePanel``: its queue from the workflow table and the
case detail, so that a user holding it still works their cases.
"""

from __future__ import annotations

from collections.abc import Callable

from seatdesk.domain.glossary import Role
from ui.desk import Desk
from ui.panels.acceptor_panel import AcceptorPanel
from ui.panels.admin_panel import AdminPanel
from ui.panels.dispatcher_panel import DispatcherPanel
from ui.panels.inspector_panel import InspectorPanel
from ui.panels.monitor_panel import MonitorPanel
from ui.panels.panel import Panel
from ui.panels.role_panel import RolePanel
from ui.panels.shift_leader_panel import ShiftLeaderPanel

PanelFactory = Callable[[Desk], Panel]

#: The order of the role tabs (a user holding several starts with the first).
ROLE_ORDER = [
    Role.ACCEPTOR,
    Role.SHIFT_LEADER,
    Role.DISPATCHER,
    Role.INSPECTOR,
    Role.MONITOR,
    Role.DEPARTMENT,
    Role.ADMIN,
]

PANELS: dict[Role, PanelFactory] = {
    Role.ACCEPTOR: AcceptorPanel,
    Role.SHIFT_LEADER: ShiftLeaderPanel,
    Role.DISPATCHER: DispatcherPanel,
    Role.INSPECTOR: InspectorPanel,
    Role.MONITOR: MonitorPanel,
    Role.ADMIN: AdminPanel,
}


def register_panel(role: Role, factory: PanelFactory) -> PanelFactory | None:
    """Give ``role`` its panel; returns the factory it had (a test puts it back)."""
    previous = PANELS.get(role)
    PANELS[role] = factory
    return previous


def unregister_panel(role: Role) -> None:
    """The role falls back to ``RolePanel``."""
    PANELS.pop(role, None)


def build_panel(desk: Desk, role: Role) -> Panel:
    """The panel of ``role`` for this desk."""
    factory = PANELS.get(role)
    return factory(desk) if factory is not None else RolePanel(desk, role)


def panels_for(desk: Desk) -> list[Panel]:
    """A panel per role the desk's user holds, in ``ROLE_ORDER``."""
    return [build_panel(desk, role) for role in ROLE_ORDER if role in desk.actor.roles]
