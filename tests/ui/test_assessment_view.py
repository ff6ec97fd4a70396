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


def test_the_collectors_suggestions_show_and_one_is_dismissed(
    desk_for: Callable[[str], Desk], qtbot: QtBot, owner: Owner
) -> None:
    # August 2000 (31 days): grid G, of the general type (1 visit a day, so 31 needed)
    # and never visited, held by K-UI-1 all month; K-UI-1's one verify task, due 2 Aug
    # 12:00, is still unanswered: one uncovered grid (−4) and one overdue task (−2).
    grid, who = "999000000000099", "K-UI-1"
    with owner.engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date)
            SELECT :g, '测试网格', community_code, polygon, area_m2, DATE '2000-01-01'
            FROM grids ORDER BY code LIMIT 1;
            INSERT INTO collectors (collector_id, name, active, updated_at, updated_by)
            VALUES (:k, '采集员 测试', true, now(), 'test') ON CONFLICT DO NOTHING;
            INSERT INTO collector_grids (grid_code, collector_id, valid_from, valid_to,
                                         bound_by)
            VALUES (:g, :k, '2000-07-01 00:00+08', '2000-09-01 00:00+08', 'test');
            INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at,
                                         deadline)
            VALUES (-800, -800, true, :k, '2000-08-02 09:00+08', '2000-08-02 12:00+08');
        """), {"g": grid, "k": who})
    try:
        desk = desk_for(LOGIN[Role.ADMIN])
        view = _view(qtbot, desk, Month(2000, 8))
        qtbot.mouseClick(view.suggest_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.suggestions.rowCount() == 2, timeout=10_000)
        shown = {tuple(view.suggestions.item(r, c).text() for c in range(4))
                 for r in range(2)}
        assert shown == {
            ("采集员 测试 (信息采集员)", "隐瞒问题未向公司上报", "-4", "1 个责任网格未达巡查密度"),
            ("采集员 测试 (信息采集员)", "缺乏时间管理意识、行动迟缓、消极应付", "-2",
             "1 个核实/核查任务超期"),
        }
        row = next(r for r in range(2) if "网格" in view.suggestions.item(r, 3).text())
        view.suggestions.selectRow(row)
        qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.suggestions.rowCount() == 1, timeout=10_000)
        assert "任务超期" in view.suggestions.item(0, 3).text()
        # Asked again, the dismissed one is not offered again.
        qtbot.mouseClick(view.suggest_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, desk.tasks)
        assert view.suggestions.rowCount() == 1
        ranked = next(r for r in view.rows if r.staff_id == who)
        assert ranked.score == Decimal(100) and ranked.name == "采集员 测试"
    finally:
        # The suggestions stay (append-only) and so does their collector, deactivated.
        with owner.engine.begin() as conn:
            conn.execute(text("""
                DELETE FROM collector_tasks WHERE event_id = -800;
                DELETE FROM collector_grids WHERE grid_code = :g;
                DELETE FROM grids WHERE code = :g;
                UPDATE collectors SET active = false WHERE collector_id = :k;
            """), {"g": grid, "k": who})


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
