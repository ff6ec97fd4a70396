"""The main window as a seat operator meets it: the title, the menus, switching user,
the shortcut sheet, Ctrl+Tab through the queues, the layout at 1280 px and remembered
per user, Chinese everywhere (Qt's own dialogs, dates, the reconnect banner, the
database's place, who changed a case)."""

from __future__ import annotations

import dataclasses
import json
import re
import socket
from datetime import datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QTableView,
)
from sqlalchemy import text

from seatdesk.db.engine import address_from_url, connection_cause, session_factory
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem, StaleCase
from seatdesk.services import cases
from seatdesk.services.photos import Photo
from tests.ui.conftest import Owner, png
from tests.ui.driving import type_text
from ui.app import Desktop
from ui.dialogs.shortcuts_dialog import shown_shortcuts
from ui.i18n import date_edit, install_translators
from ui.labels import database_place, format_time
from ui.main_window import MIN_HEIGHT, MIN_WIDTH, MainWindow
from ui.widgets.case_queue import user_settings


@pytest.fixture
def chinese(qapp):
    translators = install_translators(qapp, "zh")
    yield
    for t in translators:
        qapp.removeTranslator(t)


def _activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


def test_the_title_names_the_person_and_the_role_once(window_for, chinese):
    window = window_for(Role.ACCEPTOR, listen=False)
    assert window.windowTitle() == "智慧城管坐席 — 王芳（受理员）"
    status = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert not any("王芳" in t or "受理员" in t or "acceptor1" in t for t in status)


def test_the_status_bar_names_the_place_not_the_address(window_for, chinese, server):
    window = window_for(Role.ACCEPTOR, listen=False)
    place = "本机数据库" if server.embedded else "指挥中心数据库"  # CI runs both servers
    assert window.database_label.text() == f"数据库：{place}"
    assert server.location() in window.database_label.toolTip()
    assert "/" not in window.database_label.text()
    shared = address_from_url("postgresql://db.centre.lan:5432/seatdesk")
    assert database_place(shared) == ("指挥中心数据库", "服务器：db.centre.lan:5432/seatdesk")
    assert database_place(shared, "平阳县数字城管指挥中心")[0] == "平阳县数字城管指挥中心"


def _set_centre_name(owner: Owner, name: str | None) -> None:
    """As the database's owner would with SQL: ``seatdesk db centre-name`` sets a name
    but cannot take it away again, which the test must do."""
    with session_factory(owner.engine).begin() as s:
        s.execute(text("DELETE FROM centre_settings WHERE key = 'centre_name'"))
        if name is not None:
            s.execute(
                text("INSERT INTO centre_settings (key, value) VALUES ('centre_name', :v)"),
                {"v": json.dumps(name)},
            )


def test_the_centre_name_comes_from_the_database(desk_for, owner: Owner, qtbot, chinese):
    _set_centre_name(owner, "平阳县数字城管中心")
    try:
        desk = desk_for("dispatcher1")
        window = MainWindow(desk, listen=False)
        qtbot.addWidget(window)
        window.show()
        assert window.database_label.text() == "数据库：平阳县数字城管中心"
        window.close()
    finally:
        _set_centre_name(owner, None)


def test_the_menus_hold_the_window_commands(window_for, chinese):
    window = window_for(Role.ACCEPTOR, listen=False)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "视图(&V)", "帮助(&H)"]
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts == ["切换用户(&S)…", "锁定(&L)", "退出(&Q)"]
    assert window.menus.shortcuts.shortcut().toString() == "F1"


def test_switching_user_shows_the_login_window_without_quitting(
    qtbot, qapp, server, seeded, monkeypatch
):
    ended: list[object] = []
    monkeypatch.setattr(qapp, "quit", lambda: ended.append("quit"))
    monkeypatch.setattr(qapp, "exit", lambda code=0: ended.append(code))
    desktop = Desktop(qapp, user="acceptor1", start=lambda: server, background=False)
    windows: list[MainWindow] = []
    try:
        for login, name in (("acceptor1", "王芳"), ("leader1", "李强")):
            dialog = desktop.show_login() if not windows else desktop.login_dialog
            assert dialog is not None and dialog.isVisible()
            dialog.user_edit.setText(login)
            type_text(dialog.password_edit, seeded.passwords[login])
            qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: desktop.window is not None, timeout=15_000)
            window = desktop.window
            assert window is not None and window.isVisible() and name in window.windowTitle()
            windows.append(window)
            if login == "acceptor1":
                window.menus.switch_user.trigger()
                qtbot.waitUntil(lambda: desktop.login_dialog is not None, timeout=5_000)
                assert not window.isVisible() and desktop.window is None
                assert desktop.login_dialog.user_edit.text() == ""  # someone else now
        assert ended == []  # the app went on
        windows[-1].menus.quit.trigger()
        qtbot.waitUntil(lambda: ended == ["quit"], timeout=5_000)
    finally:
        qapp.setQuitOnLastWindowClosed(True)
        for window in windows:
            if shiboken6.isValid(window):
                window.close()


def test_f1_lists_every_shortcut_of_the_window(window_for, qtbot, chinese):
    window = window_for(Role.ACCEPTOR, listen=False)
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None, timeout=5_000)
    sheet = window.shortcuts_dialog
    assert sheet.isVisible() and sheet.table.rowCount() == len(sheet.entries)
    listed = {e.keys for e in sheet.entries}
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(QAction):
        for key in shown_shortcuts(action):
            assert any(key.toString(native) in keys.split(" / ") for keys in listed), key
    by_text = {e.text: e.keys for e in sheet.entries}
    assert len(listed) >= 15
    assert by_text["来电新建案卷"] == "Ctrl+N"
    assert by_text["快捷键"] == "F1"
    assert by_text["下一个队列"] == "Ctrl+Tab / Ctrl+PgDown"
    assert by_text["核实属实"] == "Ctrl+Shift+Y"  # a case action the acceptor may take
    assert "派遣" not in by_text  # the dispatcher's, not this seat's


def test_ctrl_tab_steps_through_the_queues_of_the_role(window_for, qtbot):
    window = window_for(Role.ACCEPTOR, listen=False)
    queues = window.panel(Role.ACCEPTOR).tabs
    assert queues.count() >= 3 and queues.currentIndex() == 0
    _activate(qtbot, window)
    table = window.panel(Role.ACCEPTOR).current_queue().findChild(QTableView)
    table.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(table, Qt.Key.Key_Tab, ctrl)
    assert queues.currentIndex() == 1
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_PageDown, ctrl)
    assert queues.currentIndex() == 2
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Backtab,
                   ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert queues.currentIndex() == 1
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_PageUp, ctrl)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_PageUp, ctrl)  # wraps round
    assert queues.currentIndex() == queues.count() - 1


@pytest.mark.parametrize("who", [Role.ACCEPTOR, Role.SHIFT_LEADER, Role.DISPATCHER])
def test_the_window_works_at_1280_by_720(window_for, qtbot, chinese, who):
    window = window_for(who, listen=False)
    hint = window.minimumSizeHint()
    assert hint.width() <= MIN_WIDTH and hint.height() <= MIN_HEIGHT, hint
    window.resize(MIN_WIDTH, MIN_HEIGHT)
    qtbot.waitUntil(lambda: window.width() == MIN_WIDTH, timeout=5_000)
    central = window.centralWidget()
    assert central.minimumSizeHint().width() <= central.width()
    assert central.minimumSizeHint().height() <= central.height()
    panel = window.panel(who)
    # Nothing clipped: each part of the panel gets at least the room it asks for.
    for part in (panel.tabs, panel.detail, window.map_pane):
        assert part.width() >= part.minimumSizeHint().width(), part
    # The detail's scroll area would take any width: it gets enough for its values
    # (case number, category, dates uncut: seen in the screenshots at 1280 px).
    qtbot.waitUntil(lambda: panel.detail.width() >= 260, timeout=2_000)
    if panel.toolbar.actions():
        assert panel.toolbar.width() >= panel.toolbar.sizeHint().width()
    bar = panel.tabs.tabBar()
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()  # every queue tab shows


def test_the_layout_is_remembered_per_user(window_for, qtbot):
    first = window_for(Role.DISPATCHER, listen=False)
    first.resize(first.width(), 650)
    qtbot.waitUntil(lambda: first.height() == 650, timeout=2_000)
    first.splitter.setSizes([900, 450])
    qtbot.waitUntil(lambda: first.splitter.sizes()[1] > 0, timeout=2_000)
    sizes = first.splitter.sizes()
    first.menus.show_map.trigger()  # hide the map
    assert not first.map_pane.isVisible()
    first.close()
    settings = user_settings()
    assert settings.contains("window/dispatcher1/geometry")
    again = window_for(Role.DISPATCHER, listen=False)
    assert not again.map_pane.isVisible() and not again.menus.show_map.isChecked()
    assert again.height() == 650  # (its width: the offscreen screen is only 800 px wide)
    again.close()
    # The same width as the first, to compare the splitter: the map's share comes back.
    settings.remove("window/dispatcher1/geometry")
    third = window_for(Role.DISPATCHER, listen=False)
    third.menus.show_map.trigger()
    qtbot.waitUntil(lambda: third.map_pane.isVisible(), timeout=2_000)
    assert third.splitter.sizes() == sizes
    other = window_for(Role.ACCEPTOR, listen=False)  # another user: the first layout
    assert other.map_pane.isVisible()


def test_qt_dialogs_and_dates_speak_chinese(qtbot, chinese):
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    files = QFileDialog(None, "", "")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    # Qt's own catalogue lacks the mnemonic forms; ui/i18n.py adds them.
    assert files.findChild(QLabel, "lookInLabel").text() == "查找范围(&L)："
    assert files.findChild(QLabel, "fileTypeLabel").text() == "文件类型(&T)："
    date = date_edit(QDate(2026, 12, 1))
    qtbot.addWidget(date)
    date.show()
    assert date.text() == "2026-12-01"
    assert format_time(datetime(2026, 12, 1, 8, 30).astimezone()) == "2026-12-01 08:30"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dead_server_gets_one_chinese_sentence_in_the_banner(desk_for, qtbot, chinese):
    desk = desk_for("acceptor1")
    dead = address_from_url(f"postgresql://acceptor1:x@127.0.0.1:{_closed_port()}/seatdesk")
    window = MainWindow(dataclasses.replace(desk, address=dead))
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(window.banner.isVisible, timeout=15_000)
        text = window.banner.text()
        assert text == (
            "与数据库的连接已断开：数据库服务器未运行或拒绝连接。正在自动重连，已填写的内容会保留。"
        )
        assert "Connection refused" in window.banner.toolTip()  # libpq's words, kept
        assert not any("a" <= ch.lower() <= "z" for ch in text)
    finally:
        window.close()


def test_connection_causes_never_pass_libpq_text_on():
    assert connection_cause("server closed the connection unexpectedly") == "closed"
    assert connection_cause("timeout expired") == "timeout"
    assert connection_cause("SSL SYSCALL error: something new") == "other"
    # A sentence the desk's task manager already rendered keeps its cause.
    rendered = str(ConnectionProblem("db_unreachable", where="x", cause="refused"))
    assert connection_cause(rendered) == "refused"
    assert "数据库服务器未运行或拒绝连接" in rendered


def test_a_conflict_names_the_colleague_not_the_login(desk_for, owner: Owner):
    case_id = owner.new_case()
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=1, collector="采集员 吴海"))
    desk = desk_for("acceptor1")  # a seat's own login: it may read users, nothing more
    with pytest.raises(StaleCase) as err, desk.tasks.session() as s, s.begin():
        cases.verify_pass(s, case_id=case_id, expected_version=1, reply="属实",
                          photos=[Photo(png(), "scene.png")])
    assert err.value.changed_by == "acceptor1" and err.value.who == "王芳"
    assert "已被 王芳 于" in str(err.value) and "acceptor1" not in str(err.value)


def test_every_date_field_of_the_app_reads_year_month_day():
    """The date format is set in one place: no date field is built anywhere else."""
    root = Path(__file__).resolve().parents[2] / "ui"
    others = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "i18n.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bQDate(Time)?Edit\(", line)
    ]
    assert others == [], "build date fields with ui.i18n.date_edit"
