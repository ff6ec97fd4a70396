"""A new centre sets itself up in the desk: a FRESH database (the README's
`seatdesk db upgrade` and its first `seatdesk user add … --role admin`, nothing of the
demo), then through the admin panel's widgets only: seat users of each role, its
departments, its city's standard sheet (previewed, then applied — the catalogue starts
empty, so the sheet's classes are added with it), next year's holiday schedule, its
unit grids (previewed, then applied) and a collector bound to two of them; at last the
new acceptor logs in and is offered the sheet's categories in the new-case form.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.db.engine import ServerAddress
from seatdesk.domain.glossary import Role
from seatdesk.services.calendar import DayKind
from seatdesk.services.standards import HEADERS
from tests.conftest import _roles_of, quote_ident
from tests.ui.conftest import wait_idle
from tests.ui.driving import type_text
from ui.desk import Desk, log_in, open_desk
from ui.dialogs.department_dialogs import DepartmentDialog
from ui.dialogs.new_case_dialog import NewCaseDialog
from ui.dialogs.user_dialogs import DESK_ROLES, ChangeDialog, UserDialog
from ui.panels.admin_panel import AdminPanel
from ui.widgets.admin_calendar import AdminCalendarWidget
from ui.widgets.admin_catalogue import AdminCatalogueWidget
from ui.widgets.admin_collectors import CollectorsView
from ui.widgets.admin_departments import AdminDepartmentsView
from ui.widgets.admin_grids import AdminGridsView
from ui.widgets.admin_users import AdminUsersView

TIMEOUT = 30_000
PASSWORD = "New-Centre-2026!"
NEXT_YEAR = date.today().year + 1
COMMUNITY = "330326001001"


def _cli(url: str, *args: str, stdin: str = "", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "SEATDESK_LANG": "en", "COLUMNS": "200",
            "SEATDESK_DATABASE_URL": url, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "seatdesk.cli", *args], capture_output=True,
                            text=True, env=full, input=stdin, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def centre(server: ServerAddress) -> Iterator[tuple[ServerAddress, str]]:
    """A database as a new centre has it: created empty, upgraded and given its first
    admin the README's way, over the command line; (its address, the admin's login)."""
    suffix = uuid.uuid4().hex[:6]
    name, admin_login = f"seatdesk_centre_{suffix}", f"admin_{suffix}"
    dba = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with dba.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    address = ServerAddress(url=server.url.set(database=name), embedded=server.embedded)
    url = address.url.render_as_string(hide_password=False)
    try:
        _cli(url, "db", "upgrade")
        _cli(url, "user", "add", admin_login, "--role", "admin", "--password-stdin",
             stdin=PASSWORD + "\n")
        yield address, admin_login
    finally:
        roles = _roles_of(address)
        with dba.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in roles:
                conn.execute(text(f"DROP ROLE IF EXISTS {quote_ident(role)}"))
        dba.dispose()


def _count(address: ServerAddress, sql: str, **params: Any) -> Any:
    engine = create_engine(address.url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def _grid_file(path: Path) -> Path:
    """Four unit grids of one community, 2 × 2, numbered west→east, north→south."""
    features = []
    size, west, north = 0.002, 120.560, 27.664
    for seq, (col, row) in enumerate(((0, 0), (1, 0), (0, 1), (1, 1)), start=1):
        x0, y1 = west + col * size, north - row * size
        ring = [[x0, y1], [x0 + size, y1], [x0 + size, y1 - size], [x0, y1 - size], [x0, y1]]
        features.append({
            "type": "Feature",
            "properties": {"code": f"{COMMUNITY}{seq:03d}", "name": f"新区网格{seq}",
                           "start_date": "2026-01-01"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _standard_sheet(path: Path) -> Path:
    """The city's sheet, by hand: two major classes, three minor ones, four conditions,
    the class cells merged over their rows as published sheets have them."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["01", "公用设施", "0101", "新区上水井盖", "新区水务处", "新区城管局",
                  "井盖缺失", "已补齐井盖", "4工作时"])
    sheet.append([None, None, None, None, "新区水务处", "新区城管局",
                  "井盖破损", "已更换井盖", "2工作日"])
    sheet.append([None, None, "0102", "新区路灯", "新区市政处", "",
                  "路灯不亮", "路灯恢复照明", "3工作日"])
    sheet.append(["02", "道路交通", "0201", "新区护栏", "新区市政处", "",
                  "护栏损坏", "护栏修复", "5工作日"])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("D2:D3")
    book.save(path)
    return path


def _ok(qtbot: QtBot, desk: Desk, dialog: ChangeDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
                    timeout=TIMEOUT)
    wait_idle(qtbot, desk.tasks, TIMEOUT)


def _open_dialog(qtbot: QtBot, view: QWidget, button: Any, kind: type[Any]) -> Any:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    found = [d for d in view.findChildren(kind) if d.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _click_row(qtbot: QtBot, table: Any, row: int,
               modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     QPoint(rect.center()))


def test_a_new_centre_sets_itself_up_in_the_desk(
    qtbot: QtBot, centre: tuple[ServerAddress, str], tmp_path: Path
) -> None:
    address, admin_login = centre
    # Nothing of the demo: no departments, no catalogue, no grids, one user.
    assert _count(address, "SELECT count(*) FROM departments") == 0
    assert _count(address, "SELECT count(*) FROM categories") == 0
    assert _count(address, "SELECT count(*) FROM users") == 1

    desks: list[Desk] = []
    widgets: list[QWidget] = []
    try:
        admin = open_desk(log_in(address, admin_login, PASSWORD))
        desks.append(admin)
        panel = AdminPanel(admin)
        widgets.append(panel)
        panel.resize(1400, 850)
        qtbot.addWidget(panel)
        panel.show()
        wait_idle(qtbot, admin.tasks, TIMEOUT)
        # From 1 December the banner says next year's holidays are missing.
        if date.today() >= date(date.today().year, 12, 1):
            qtbot.waitUntil(lambda: not panel.calendar_banner.isHidden(), timeout=TIMEOUT)
            assert str(NEXT_YEAR) in panel.calendar_banner.text()
            panel.show_tab("Calendar")
            assert panel.calendar_banner.isHidden()  # the tab says it itself
            panel.show_tab("Users")
            assert not panel.calendar_banner.isHidden()

        # ---- departments first: a department seat needs its department
        departments = panel.show_tab("Departments")
        assert isinstance(departments, AdminDepartmentsView)
        for code, name in (("XSW", "新区水务处"), ("XSZ", "新区市政处"), ("XCG", "新区城管局")):
            dialog = _open_dialog(qtbot, departments, departments.new_button, DepartmentDialog)
            type_text(dialog.code, code)
            dialog.name.setText(name)  # typed (keyClicks knows ASCII keys only)
            _ok(qtbot, admin, dialog)
            qtbot.waitUntil(lambda c=code: c in departments.visible_keys(), timeout=TIMEOUT)
        assert _count(address, "SELECT string_agg(code, ',' ORDER BY code) FROM departments "
                               "WHERE active") == "XCG,XSW,XSZ"
        # The catalogue tab, built before there was any department, offers them now.
        handling = panel.views["Catalogue"].classes.handling_combo  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: handling.findData("XSW") >= 0, timeout=TIMEOUT)

        # ---- one seat user of each role
        users = panel.show_tab("Users")
        assert isinstance(users, AdminUsersView)
        suffix = admin_login.split("_")[1]
        logins: dict[Role, str] = {}
        for role in DESK_ROLES:  # the intake service's login is no seat: the CLI's
            if role is Role.ADMIN:
                continue
            login = f"{role.value[:4]}_{suffix}"
            logins[role] = login
            dialog = _open_dialog(qtbot, users, users.new_button, UserDialog)
            type_text(dialog.login, login)
            dialog.display_name.setText(f"新区 {role.value}")
            type_text(dialog.passwords.password, PASSWORD)
            type_text(dialog.passwords.again, PASSWORD)
            qtbot.mouseClick(dialog.role_boxes[role], Qt.MouseButton.LeftButton)
            if role is Role.DEPARTMENT:
                index = dialog.department.findData("XSZ")
                assert index >= 0, "the new department is offered"
                dialog.department.setCurrentIndex(index)
            _ok(qtbot, admin, dialog)
            qtbot.waitUntil(lambda lg=login: lg in users.visible_keys(), timeout=TIMEOUT)
        created = _count(address, "SELECT count(*) FROM user_events WHERE action = "
                                  "'user_created' AND actor = :a", a=admin_login)
        assert created == len(logins)
        assert _count(address, "SELECT department_code FROM users WHERE login = :l",
                      l=logins[Role.DEPARTMENT]) == "XSZ"
        # The audit of the chosen user, in the reader's words.
        assert users.select(logins[Role.DEPARTMENT])
        qtbot.waitUntil(lambda: users.audit.rowCount() == 1, timeout=TIMEOUT)
        assert users.audit.item(0, 4).text() == "专业部门 新区市政处"

        # ---- the city's standard sheet: previewed, then applied
        catalogue = panel.show_tab("Catalogue")
        assert isinstance(catalogue, AdminCatalogueWidget)
        standard = catalogue.standard
        catalogue.tabs.setCurrentWidget(standard)
        standard.preview_file(_standard_sheet(tmp_path / "standard.xlsx"))
        qtbot.waitUntil(lambda: standard.preview is not None, timeout=TIMEOUT)
        preview = standard.preview
        assert preview is not None
        assert preview.bad == ()
        assert [c[0] for c in preview.new_classes] == ["01", "02", "0101", "0102", "0201"]
        assert standard.table.rowCount() == 4
        assert _count(address, "SELECT count(*) FROM categories") == 0  # a preview writes none
        assert standard.apply_button.isEnabled()
        qtbot.mouseClick(standard.apply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _count(address, "SELECT count(*) FROM filing_conditions") == 4,
                        timeout=TIMEOUT)
        wait_idle(qtbot, admin.tasks, TIMEOUT)
        assert standard.error_label.text() == ""
        assert _count(address, "SELECT name FROM categories WHERE code = '0102'") == "新区路灯"
        assert _count(address, "SELECT f.handling_department_code FROM filing_conditions f "
                               "JOIN categories c ON c.id = f.category_id "
                               "WHERE c.code = '0101' AND f.seq = 2") == "XSW"
        assert _count(address, "SELECT count(*) FROM rules_events WHERE actor = :a AND "
                               "subject = 'categories'", a=admin_login) == 5
        # The class tree shows them.
        classes = catalogue.classes
        catalogue.tabs.setCurrentWidget(classes)
        qtbot.waitUntil(lambda: classes.tree.topLevelItemCount() == 2, timeout=TIMEOUT)

        # ---- next year's holiday schedule
        calendar = panel.show_tab("Calendar")
        assert isinstance(calendar, AdminCalendarWidget)
        calendar.year_spin.setValue(NEXT_YEAR)
        schedule = tmp_path / f"{NEXT_YEAR}.csv"
        schedule.write_text(f"date,kind,name\n{NEXT_YEAR}-01-01,holiday,元旦\n"
                            f"{NEXT_YEAR}-02-07,workday,春节调休\n", encoding="utf-8")
        calendar.import_file(schedule)
        qtbot.waitUntil(lambda: calendar.kind_of(date(NEXT_YEAR, 1, 1)) is DayKind.HOLIDAY,
                        timeout=TIMEOUT)
        assert calendar.kind_of(date(NEXT_YEAR, 2, 7)) is DayKind.ADJUSTED_WORKDAY
        assert _count(address, "SELECT count(*) FROM calendar_years WHERE year = :y",
                      y=NEXT_YEAR) == 1
        # The panel's banner follows the import by itself (and is not shown twice
        # meanwhile: the calendar tab has its own).
        qtbot.waitUntil(lambda: panel.calendar_banner.text() == "", timeout=TIMEOUT)
        qtbot.waitUntil(lambda: calendar.banner.isHidden(), timeout=TIMEOUT)
        panel.show_tab("Users")
        assert panel.calendar_banner.isHidden()

        # ---- unit grids: the file previewed (nothing written), then applied
        grids = panel.show_tab("Grids")
        assert isinstance(grids, AdminGridsView)
        grids.preview_path(_grid_file(tmp_path / "g.geojson"))
        qtbot.waitUntil(lambda: grids.preview is not None, timeout=TIMEOUT)
        assert grids.preview is not None and grids.preview.can_apply, grids.problems.text()
        assert "add 4" in grids.summary.text()
        assert _count(address, "SELECT count(*) FROM grids") == 0
        qtbot.mouseClick(grids.apply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(grids.visible_keys()) == 4, timeout=TIMEOUT)
        assert _count(address, "SELECT count(*) FROM grids") == 4

        # ---- a collector, and two grids bound to them (the tab heard of the new grids)
        collectors = panel.show_tab("Collectors")
        assert isinstance(collectors, CollectorsView)
        wait_idle(qtbot, admin.tasks, TIMEOUT)
        qtbot.mouseClick(collectors.new_button, Qt.MouseButton.LeftButton)
        type_text(collectors.id_edit, "XQ001")
        collectors.name_edit.setText("新区采集员")
        type_text(collectors.phone_edit, "13700001234")
        qtbot.mouseClick(collectors.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(collectors.register.item(r, 0).text() == "XQ001"
                                    for r in range(collectors.register.rowCount())),
                        timeout=TIMEOUT)
        collectors.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: collectors.grid_table.rowCount() == 4, timeout=TIMEOUT)
        rows = {collectors._code_at(r): r for r in range(collectors.grid_table.rowCount())}
        first, second = f"{COMMUNITY}001", f"{COMMUNITY}002"
        _click_row(qtbot, collectors.grid_table, rows[first])
        _click_row(qtbot, collectors.grid_table, rows[second], Qt.KeyboardModifier.ControlModifier)
        assert sorted(collectors.selected_grids()) == [first, second]
        collectors.collector_combo.setCurrentIndex(collectors.collector_combo.findData("XQ001"))
        qtbot.mouseClick(collectors.bind_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _count(
            address, "SELECT count(*) FROM collector_grids WHERE collector_id = 'XQ001' "
                     "AND valid_to IS NULL") == 2, timeout=TIMEOUT)

        # ---- the new acceptor logs in and is offered the sheet's categories
        acceptor = open_desk(log_in(address, logins[Role.ACCEPTOR], PASSWORD))
        desks.append(acceptor)
        form = NewCaseDialog(acceptor)
        widgets.append(form)
        qtbot.addWidget(form)
        form.show()
        form.category.setFocus()
        type_text(form.category, "01")
        qtbot.waitUntil(lambda: form.category.popup().isVisible(), timeout=TIMEOUT)
        offered = form.category.suggestions()
        assert any(s.startswith("0101 新区上水井盖") for s in offered), offered
        assert any(s.startswith("0102 新区路灯") for s in offered), offered
        form.close()
    finally:
        # The collectors' map page goes now, not at the interpreter's exit (where a
        # WebEngine page outliving its profile crashes the process).
        for widget in widgets:
            widget.close()
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for desk in desks:
            desk.tasks.shutdown()
