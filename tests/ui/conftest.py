"""Fixtures of the UI tests: the core's real database and demo county, seats logged in
as their own PostgreSQL roles, windows driven with pytest-qt offscreen.

The app commits for real here (a window's ops run on worker threads with their own
sessions), so these tests make their own cases instead of counting the demo's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, text

from seatdesk.db.engine import ServerAddress, session_factory
from seatdesk.demo import DemoResult
from seatdesk.domain.glossary import Role
from seatdesk.services import cases
from seatdesk.services.common import CaseId
from tests.core.conftest import LOGIN, png, seeded  # noqa: F401 - the session fixture
from ui.desk import Desk, log_in, open_desk
from ui.gui_thread_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.tasks import TaskManager

__all__ = ["LOGIN", "png"]


@pytest.fixture(scope="session", autouse=True)
def _gc_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app: cycles are collected on the GUI thread, never in a worker."""
    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(scope="session", autouse=True)
def _settings_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Remembered filters and widths go to a temporary folder, not the home directory."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    """Each test starts with no remembered filters (they would narrow its queues)."""
    from ui.widgets.case_queue import user_settings

    user_settings().clear()


@pytest.fixture
def desk_for(
    server: ServerAddress, seeded: DemoResult, qtbot: QtBot  # noqa: F811
) -> Iterator[Callable[[str], Desk]]:
    """Log a demo seat in (as the login dialog does) and give its desk."""
    desks: list[Desk] = []

    def make(login: str) -> Desk:
        desk = open_desk(log_in(server, login, seeded.passwords[login]))
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.tasks.shutdown()


@pytest.fixture
def window_for(
    desk_for: Callable[[str], Desk], qtbot: QtBot
) -> Iterator[Callable[..., MainWindow]]:
    """A shown main window of a demo seat, its listener running."""
    windows: list[MainWindow] = []

    def make(who: Role | str, *, listen: bool = True) -> MainWindow:
        login = LOGIN[who] if isinstance(who, Role) else who
        window = MainWindow(desk_for(login), listen=listen)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        if listen:
            qtbot.waitUntil(lambda: window.live, timeout=10_000)
        return window

    yield make
    for window in windows:
        window.close()


def wait_idle(qtbot: QtBot, tasks: TaskManager, timeout: int = 10_000) -> None:
    """Until no op of the desk is queued or running (the GUI keeps processing events)."""
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=timeout)


class Owner:
    """Direct database work for a test's setup, committed, as any seat or the owner."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def as_(self, login: str, fn: Callable[[Any], Any]) -> Any:
        with session_factory(self.engine).begin() as s:
            s.execute(text(f'SET LOCAL ROLE "{login}"'))
            # The database's functions name the real login; a superuser's session may
            # name the seat it acts for.
            s.execute(text("SELECT set_config('seatdesk.act_as', :l, true)"), {"l": login})
            return fn(s)

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def version(self, case_id: CaseId) -> int:
        return int(self.scalar("SELECT version FROM cases WHERE id = :i", i=case_id))

    def number(self, case_id: CaseId) -> str:
        return str(self.scalar("SELECT number FROM cases WHERE id = :i", i=case_id))

    def new_case(self, **overrides: Any) -> CaseId:
        category, condition = self.category()
        values: dict[str, Any] = {
            "source": "walk_in",
            "category_id": category,
            "filing_condition_id": condition,
            "description": "测试：人民路12号井盖破损",
            "address": "平阳县昆阳镇人民路12号",
            "longitude": 120.5611,
            "latitude": 27.6611,
        }
        values.update(overrides)
        from seatdesk.domain.glossary import Source

        values["source"] = Source(values["source"])
        from seatdesk.services.photos import Photo

        case_id, _ = self.as_(
            LOGIN[Role.ACCEPTOR],
            lambda s: cases.create_case(s, cases.NewCase(**values), [Photo(png(), "a.png")]),
        )
        return CaseId(case_id)

    def category(self) -> tuple[int, int]:
        category = self.scalar(
            "SELECT id FROM categories WHERE case_type = 'component' AND code = '0101'"
        )
        condition = self.scalar(
            "SELECT id FROM filing_conditions WHERE category_id = :c ORDER BY seq LIMIT 1",
            c=category,
        )
        return int(category), int(condition)


@pytest.fixture
def owner(owner_engine: Engine, seeded: DemoResult) -> Owner:  # noqa: F811
    return Owner(owner_engine)
