"""The assessment widget (考核) driven with real clicks against the real database: an
entry through the dialog moves the ranking, a suggestion is accepted, the month is
exported with progress and reopened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from seatdesk.domain.glossary import Role
from seatdesk.domain.statistics import Month
from tests.core.conftest import LOGIN
from tests.ui.conftest import Owner, wait_idle
from tests.ui.driving import type_text
from ui.desk import Desk
from ui.models.assessment_ranking_model import AssessmentRankingModel, RankColumn
from ui.widgets.assessment_view import AssessmentView

#: Months of their own (entries are append-only and these tests commit).
MONTH = Month(2000, 6)
SUGGEST_MONTH = Month(2000, 7)


def _view(qtbot: QtBot, desk: Desk, month: Month) -> AssessmentView:
    view = AssessmentView(desk)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    wait_idle(qtbot, desk.tasks)
    view.set_month(month)
    qtbot.waitUntil(lambda: view.rows and view.month() == month, timeout=10_000)
    wait_idle(qtbot, desk.tasks)
    return view


def _row_of(view: AssessmentView, staff_id: str) -> int:
    for row in range(view.model.rowCount()):
        if view.model.index(row, RankColumn.STAFF).data() == staff_id:
            return row
    raise AssertionError(f"{staff_id} not in the ranking")


def test_an_entry_through_the_dialog_changes_the_ranking(
    desk_for: Callable[[str], Desk], qtbot: QtBot, tmp_path: Path
) -> None:
    desk = desk_for(LOGIN[Role.INSPECTOR])
    view = _view(qtbot, desk, MONTH)
    acceptor = LOGIN[Role.ACCEPTOR]
    before = next(r for r in view.rows if r.staff_id == acceptor)
    assert not any(r.bottom for r in view.rows)  # everyone level: nobody at the bottom

    qtbot.mouseClick(view.entry_button, Qt.MouseButton.LeftButton)
    dialog = view.entry_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.staff.setCurrentIndex(dialog.staff.findText(f"({'坐席人员'} {acceptor})",
                                                       Qt.MatchFlag.MatchContains))
    dialog.rule.setCurrentIndex(dialog.rule.findText("区级业务核查", Qt.MatchFlag.MatchContains))
    dialog.count.setValue(3)
    dialog.day.setDate(dialog.day.date().fromString("2000-06-15", "yyyy-MM-dd"))
    assert not dialog.ok_button.isEnabled()  # no reason yet
    type_text(dialog.reason, "区级核查扣3分")
    with qtbot.waitSignal(view.sig_ranking_changed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.tasks)
    after = next(r for r in view.rows if r.staff_id == acceptor)
    assert after.score == before.score - 3 == Decimal(97)
    assert after.bottom and after.rank == len(view.rows)
    row = _row_of(view, acceptor)
    assert view.model.index(row, RankColumn.SCORE).data() == "97"
    # The bottom flag shows (in the language installed, if any).
    assert view.model.index(row, RankColumn.BOTTOM).data() == view.model.tr("yes")
    background = view.model.index(row, RankColumn.RANK).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color().name() == "#f8d7da"
    assert view.model.index(row, RankColumn.ELIMINATE).data() == ""

    # A refused entry keeps the dialog open with the reason (a date in the future).
    qtbot.mouseClick(view.entry_button, Qt.MouseButton.LeftButton)
    dialog = view.entry_dialog
    assert dialog is not None
    dialog.day.setDate(dialog.day.date().fromString("2999-01-01", "yyyy-MM-dd"))
    type_text(dialog.reason, "未来")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message_label.text()), timeout=10_000)
    assert dialog.isVisible() and "2999-01-01" in dialog.message_label.text()
    dialog.reject()

    # Export with progress, reopened.
    target = tmp_path / "考核.xlsx"
    with qtbot.waitSignal(view.sig_exported, timeout=20_000):
        view.export_to(target)
    sheet = openpyxl.load_workbook(target)["考核排名"]
    scores = {r[2]: r[7] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert scores[acceptor] == 97

    # A correction: the entry reversed by a new one, the ranking back where it was.
    view.tabs.setCurrentIndex(1)
    assert view.entries.rowCount() == 1
    view.entries.selectRow(0)
    assert not view.reverse_button.isEnabled()  # no reason yet
    type_text(view.reverse_reason, "录入有误")
    assert view.reverse_button.isEnabled()
    with qtbot.waitSignal(view.sig_ranking_changed, timeout=10_000):
        qtbot.mouseClick(view.reverse_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.tasks)
    assert next(r for r in view.rows if r.staff_id == acceptor).score == Decimal(100)
    assert view.entries.rowCount() == 2
    assert view.entries.item(1, 4).text() == "+3"
    view.entries.selectRow(0)
    assert not view.reverse_button.isEnabled()  # reversed already


def test_a_suggestion_is_accepted_with_a_click(
    desk_for: Callable[[str], Desk], qtbot: QtBot, owner: Owner
) -> None:
    # leader1 registered a case late in July 2000 (the statistics' milestone counter).
    with owner.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO case_milestones (case_id, registered_at, registered_by, "
            "registered_on_time) VALUES (-700, '2000-07-03 10:00+08', :w, false)"),
            {"w": LOGIN[Role.SHIFT_LEADER]})
    try:
        desk = desk_for(LOGIN[Role.ADMIN])
        view = _view(qtbot, desk, SUGGEST_MONTH)
        qtbot.mouseClick(view.suggest_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.suggestions.rowCount() == 1, timeout=10_000)
        assert "1 个环节超时" in view.suggestions.item(0, 3).text()
        assert not view.accept_button.isEnabled()
        view.suggestions.selectRow(0)
        with qtbot.waitSignal(view.sig_ranking_changed, timeout=10_000):
            qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, desk.tasks)
        assert view.suggestions.rowCount() == 0
        leader = next(r for r in view.rows if r.staff_id == LOGIN[Role.SHIFT_LEADER])
        assert leader.score == Decimal(98) and leader.bottom
    finally:
        with owner.engine.begin() as conn:
            conn.execute(text("DELETE FROM case_milestones WHERE case_id = -700"))


def test_the_month_picker_reads_another_month(
    desk_for: Callable[[str], Desk], qtbot: QtBot
) -> None:
    desk = desk_for(LOGIN[Role.SHIFT_LEADER])
    view = _view(qtbot, desk, Month(2000, 3))
    assert view.rows and all(r.score == Decimal(100) for r in view.rows)
    # The shift leader reads; recording and deciding are the managers'.
    assert view.entry_button.isHidden() and view.suggest_button.isHidden()
    assert not view.export_button.isHidden()
    assert date(2000, 3, 1) == view.month().first_day


def test_the_ranking_model_passes_the_model_tester(
    desk_for: Callable[[str], Desk], qtbot: QtBot, qtmodeltester: Any
) -> None:
    desk = desk_for(LOGIN[Role.INSPECTOR])
    view = _view(qtbot, desk, MONTH)
    qtmodeltester.check(view.model)
    eliminated = replace(view.rows[-1], bottom=True, eliminate=True)
    model = AssessmentRankingModel()
    model.set_rows([*view.rows[:-1], eliminated])
    qtmodeltester.check(model)
    last = model.rowCount() - 1
    assert model.index(last, RankColumn.ELIMINATE).data() == model.tr("Eliminate")
    assert model.index(last, RankColumn.NAME).data(Qt.ItemDataRole.FontRole).bold()
    assert model.headerData(RankColumn.SCORE, Qt.Orientation.Horizontal) == model.tr("Score")
