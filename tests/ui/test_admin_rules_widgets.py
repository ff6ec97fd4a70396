"""The admin's widgets of the centre's rules, driven with pytest-qt against the real
database as the demo's admin login: a stage limit edited, a bad office period refused,
a local day set in the year view, a schedule imported, the December banner, a filing
condition edited, a standard sheet previewed (with a bad row) and applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from seatdesk.db.engine import session_factory
from seatdesk.domain.glossary import Role
from seatdesk.services import standards
from seatdesk.services.calendar import DayKind
from tests.ui.conftest import LOGIN, Owner, wait_idle
from ui.desk import Desk
from ui.widgets.admin_calendar import AdminCalendarWidget
from ui.widgets.admin_catalogue import AdminCatalogueWidget
from ui.widgets.admin_limits import AdminLimitsWidget

ADMIN = LOGIN[Role.ADMIN]


@pytest.fixture
def admin_desk(desk_for: Callable[[str], Desk]) -> Desk:
    return desk_for(ADMIN)


def _limit(owner: Owner) -> tuple[Decimal, str]:
    with owner.engine.connect() as conn:
        row = conn.execute(text("SELECT amount, unit FROM time_limits "
                                "WHERE stage = 'check' AND urgency = 'urgent'")).one()
    return Decimal(row[0]), str(row[1])


def test_a_stage_limit_is_edited_and_a_bad_period_refused(
    qtbot: QtBot, admin_desk: Desk, owner: Owner
) -> None:
    before = _limit(owner)
    widget = AdminLimitsWidget(admin_desk)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.limits_table.rowCount() == 10 or bool(widget.error_label.text()),
                    timeout=10_000)
    assert widget.error_label.text() == ""
    try:
        widget.limits_table.selectRow(7)  # check (核查), urgent
        assert widget.save_limit_button.isEnabled()
        widget.amount_spin.setValue(1.5)
        widget.unit_combo.setCurrentIndex(0)  # working hours
        qtbot.mouseClick(widget.save_limit_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, admin_desk.tasks)
        assert widget.error_label.text() == ""
        assert _limit(owner) == (Decimal("1.5"), "working_hours")
        audited = owner.scalar("SELECT actor FROM rules_events WHERE subject = 'time_limits' "
                               "ORDER BY id DESC LIMIT 1")
        assert audited == ADMIN
        # The table shows the new limit once the change comes back as data, and the
        # box of the latest changes the audit of it.
        qtbot.waitUntil(lambda: "1.5" in widget.limits_table.item(7, 2).text(), timeout=10_000)
        audit = widget.audit_box.table
        qtbot.waitUntil(lambda: audit.rowCount() > 0 and audit.item(0, 2).text() == "Stage limits"
                        and "1.5" in audit.item(0, 4).text(), timeout=10_000)
        assert audit.item(0, 1).text() == ADMIN
        hours = owner.scalar("SELECT value::text FROM centre_settings WHERE key = 'office_hours'")
        widget.hours_edits[0].setText("08:30-12:00, 14:00-25:00")
        qtbot.mouseClick(widget.save_rules_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, admin_desk.tasks)
        assert "14:00-25:00" in widget.error_label.text()
        assert owner.scalar(
            "SELECT value::text FROM centre_settings WHERE key = 'office_hours'") == hours
    finally:
        owner.as_(ADMIN, lambda s: s.execute(
            text("SELECT seatdesk_set_time_limit('check', 'urgent', :a, :u)"),
            {"a": before[0], "u": before[1]}))


@pytest.fixture
def year_2027(owner: Owner) -> Iterator[None]:
    """2027 as the demo left it (unknown), again after the test."""
    yield
    with session_factory(owner.engine).begin() as s:
        s.execute(text("DELETE FROM calendar_days WHERE day >= '2027-01-01' "
                       "AND day < '2028-01-01'"))
        s.execute(text("DELETE FROM calendar_years WHERE year = 2027"))


def test_the_year_view_sets_a_local_day_and_imports_a_schedule(
    qtbot: QtBot, admin_desk: Desk, owner: Owner, year_2027: None, tmp_path: Path
) -> None:
    widget = AdminCalendarWidget(admin_desk)
    qtbot.addWidget(widget)
    widget.show()
    widget.year_spin.setValue(2027)
    qtbot.waitUntil(lambda: widget._days is not None and widget._days.year == 2027,
                    timeout=10_000)
    # The December banner, as on 1 December 2026 with 2027 missing.
    widget.banner.check(date(2026, 12, 1))
    qtbot.waitUntil(lambda: not widget.banner.isHidden(), timeout=10_000)
    assert "2027" in widget.banner.text()

    widget.months[2].clicked.emit(QDate(2027, 3, 3))  # a click on 3 March
    assert widget.day_label.text() == "2027-03-03"
    widget.kind_combo.setCurrentIndex(0)  # a local day off
    widget.name_edit.setText("县庆")  # typed (keyClicks knows ASCII keys only)
    qtbot.mouseClick(widget.set_day_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.kind_of(date(2027, 3, 3)) is DayKind.LOCAL_DAY_OFF,
                    timeout=10_000)
    assert owner.scalar("SELECT local FROM calendar_days WHERE day = '2027-03-03'") is True
    fmt = widget.months[2].dateTextFormat(QDate(2027, 3, 3))
    assert fmt.background().color().name() == "#f4d58d"

    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-07,workday,春节调休\n",
                        encoding="utf-8")
    widget.import_file(schedule)
    qtbot.waitUntil(lambda: widget.kind_of(date(2027, 1, 1)) is DayKind.HOLIDAY,
                    timeout=15_000)
    assert widget.kind_of(date(2027, 2, 7)) is DayKind.ADJUSTED_WORKDAY
    assert widget.kind_of(date(2027, 3, 3)) is DayKind.LOCAL_DAY_OFF
    widget.banner.check(date(2026, 12, 1))
    qtbot.waitUntil(lambda: widget.banner.isHidden(), timeout=10_000)


def _condition(owner: Owner, seq: int) -> Decimal:
    return Decimal(owner.scalar(
        "SELECT f.limit_amount FROM filing_conditions f JOIN categories c ON c.id = f.category_id "
        "WHERE c.case_type = 'component' AND c.code = '0101' AND f.seq = :s", s=seq))


@pytest.fixture
def catalogue_restored(owner: Owner, tmp_path: Path) -> Iterator[None]:
    """The component catalogue's filing conditions as the demo left them, again after."""
    path = tmp_path / "original.xlsx"
    with session_factory(owner.engine).begin() as s:
        standards.export_standard(s, path, "component")
    yield
    with session_factory(owner.engine).begin() as s:
        standards.apply_rows(s, standards.read_standard(path), "component")


def test_a_filing_condition_is_edited_in_the_catalogue(
    qtbot: QtBot, admin_desk: Desk, owner: Owner, catalogue_restored: None
) -> None:
    widget = AdminCatalogueWidget(admin_desk)
    qtbot.addWidget(widget)
    widget.show()
    view = widget.classes
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=10_000)
    view.search_edit.setText("上水井盖")  # typed (keyClicks knows ASCII keys only)
    visible = [i for i in view._items() if not i.isHidden()]
    assert [i.text(0) for i in visible] == ["01", "0101"]
    view.select_code("0101")
    qtbot.waitUntil(lambda: view.conditions_table.rowCount() == 4, timeout=10_000)
    view.conditions_table.selectRow(1)
    assert view.description_edit.text() == "井盖破损面积超过25平方厘米"
    view.amount_spin.setValue(7)
    qtbot.mouseClick(view.save_condition_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _condition(owner, 2) == Decimal(7), timeout=10_000)
    widget.tabs.setCurrentWidget(widget.audit)
    table = widget.audit.table
    qtbot.waitUntil(lambda: table.rowCount() > 0
                    and table.item(0, 2).text() == "Filing conditions", timeout=10_000)
    assert "时限: 4" in table.item(0, 4).text()  # the field in the reader's words
    widget.tabs.setCurrentWidget(view)
    # A code that is no class code is refused with one sentence, and nothing written.
    view.code_edit.setText("1x")
    view.name_edit.setText("错误代码")
    qtbot.mouseClick(view.save_class_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, admin_desk.tasks)
    assert "1x" in view.error_label.text()
    assert owner.scalar("SELECT count(*) FROM categories WHERE name = '错误代码'") == 0


def test_a_standard_sheet_is_previewed_then_applied(
    qtbot: QtBot, admin_desk: Desk, owner: Owner, catalogue_restored: None, tmp_path: Path
) -> None:
    widget = AdminCatalogueWidget(admin_desk)
    qtbot.addWidget(widget)
    widget.show()
    view = widget.standard
    widget.tabs.setCurrentWidget(view)
    path = tmp_path / "sheet.xlsx"
    view.export_file(path)
    wait_idle(qtbot, admin_desk.tasks)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.cell(3, 9).value == "4工作时"
    sheet.cell(3, 9).value = "6工作时"
    sheet.cell(4, 9).value = "三天"  # a limit nobody can read
    book.save(path)

    view.preview_file(path)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=15_000)
    assert view.preview is not None
    assert len(view.preview.bad) == 1 and view.preview.bad[0].row == 4
    assert not view.apply_button.isEnabled()
    texts = [view.table.item(r, 4).text() for r in range(view.table.rowCount())]
    assert any("4工作时 → 6工作时" in t for t in texts)
    assert any("三天" in t for t in texts)

    sheet.cell(4, 9).value = "2工作日"  # as it was
    book.save(path)
    view.preview_file(path)
    qtbot.waitUntil(lambda: view.preview is not None and not view.preview.bad,
                    timeout=15_000)
    assert view.apply_button.isEnabled()
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _condition(owner, 2) == Decimal(6), timeout=15_000)
    assert _condition(owner, 3) == Decimal(2)
    wait_idle(qtbot, admin_desk.tasks)
    assert view.preview is None


def test_an_open311_code_is_mapped_and_removed(
    qtbot: QtBot, admin_desk: Desk, owner: Owner
) -> None:
    widget = AdminCatalogueWidget(admin_desk)
    qtbot.addWidget(widget)
    widget.show()
    view = widget.open311
    widget.tabs.setCurrentWidget(view)
    qtbot.keyClicks(view.code_edit, "pothole-test")
    index = view.category_combo.findData("component:0101")
    assert index >= 0
    view.category_combo.setCurrentIndex(index)
    qtbot.mouseClick(view.map_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(view.table.item(r, 0).text() == "pothole-test"
                                for r in range(view.table.rowCount())), timeout=10_000)
    assert owner.scalar("SELECT c.code FROM open311_services s JOIN categories c "
                        "ON c.id = s.category_id WHERE s.service_code = 'pothole-test'") == "0101"
    assert owner.scalar("SELECT actor FROM rules_events WHERE subject = 'open311_services' "
                        "AND key = 'pothole-test' ORDER BY id DESC LIMIT 1") == ADMIN
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: owner.scalar(
        "SELECT count(*) FROM open311_services WHERE service_code = 'pothole-test'") == 0,
        timeout=10_000)
