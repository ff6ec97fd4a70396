"""The desk's side of the read replica: the dashboard reads through the reporting
router, and the status bar says where the statistics come from — the main server, with
the reason, when the replica cannot be reached. (The replica itself, its lag and its
fallback are tried on a real streaming replica in tests/core/test_replica.py.)"""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from seatdesk.db.engine import ServerAddress
from seatdesk.db.reporting import ReplicaState, ReportingRouter
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from tests.ui.conftest import LOGIN, wait_idle
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.panels.inspector_panel import InspectorPanel


def _inspector_window(
    qtbot: QtBot, desk: Desk, replica: ServerAddress
) -> tuple[MainWindow, ReportingRouter]:
    primary = desk.tasks.engine
    assert primary is not None
    router = ReportingRouter(primary, replica, max_lag_seconds=60.0, retry_seconds=60.0)
    desk.tasks.set_reporting(router)
    window = MainWindow(desk, listen=False)
    qtbot.addWidget(window)
    window.show()
    return window, router


def test_an_unreachable_replica_sends_the_dashboard_to_the_main_server_and_says_so(
    qtbot: QtBot, desk_for: Callable[[str], Desk]
) -> None:
    login = LOGIN[Role.INSPECTOR]
    desk = desk_for(login)
    # Nothing listens on port 9 of this machine: the replica is unreachable.
    nowhere = ServerAddress(
        url=make_url("postgresql+psycopg2://x:y@127.0.0.1:9/seatdesk"), embedded=False
    )
    window, router = _inspector_window(qtbot, desk, router_target(desk, nowhere))
    assert window.reporting_label.isHidden(), "nothing said before the first heavy read"
    panel = window.show_panel(Role.INSPECTOR)
    assert isinstance(panel, InspectorPanel)
    with qtbot.waitSignal(panel.dashboard.sig_loaded, timeout=20_000):
        panel.tabs.setCurrentWidget(panel.dashboard)
    wait_idle(qtbot, desk.tasks)
    qtbot.waitUntil(lambda: window.reporting_label.isVisible(), timeout=5_000)
    assert router.health is not None and router.health.state is ReplicaState.UNREACHABLE
    assert window.reporting_label.text() == window.tr("Statistics: main server")
    assert "127.0.0.1:9/seatdesk" in window.reporting_label.toolTip()
    assert "127.0.0.1:9/seatdesk" in window.statusBar().currentMessage()
    # The figures came from the main server all the same.
    assert panel.dashboard.tables["departments"].rows


def test_a_reachable_replica_is_named_in_the_status_bar(
    qtbot: QtBot, desk_for: Callable[[str], Desk], server: ServerAddress, seeded: DemoResult
) -> None:
    login = LOGIN[Role.INSPECTOR]
    desk = desk_for(login)
    # The session's own server as the "replica": a server that is no standby counts as
    # a promoted replica, current by definition (the real standby: tests/core).
    same = server.for_login(login, seeded.passwords[login])
    window, router = _inspector_window(qtbot, desk, same)
    panel = window.show_panel(Role.INSPECTOR)
    assert isinstance(panel, InspectorPanel)
    with qtbot.waitSignal(panel.dashboard.sig_loaded, timeout=20_000):
        panel.tabs.setCurrentWidget(panel.dashboard)
    qtbot.waitUntil(lambda: window.reporting_label.isVisible(), timeout=5_000)
    assert router.health is not None and router.health.state is ReplicaState.IN_USE
    assert window.reporting_label.text() == window.tr("Statistics: replica")


def router_target(desk: Desk, address: ServerAddress) -> ServerAddress:
    """``address`` with the desk's own login and password, as ``reporting_address`` does."""
    seat = desk.address.url
    return ServerAddress(url=address.url.set(username=seat.username, password=seat.password),
                         embedded=False, timezone=desk.address.timezone)
