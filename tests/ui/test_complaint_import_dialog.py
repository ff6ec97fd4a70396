"""文件 → 导入投诉…: the import dialog as a monitor drives it, offscreen, against the real
database — a good file previewed and imported; Cancel in the middle of an import leaves
nothing written; the menu action only for the seats that import."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from seatdesk.domain.glossary import Role
from seatdesk.services.common import ChangeSet
from tests.core.test_complaint_import import GOOD, HEADERS, write_csv, write_xlsx
from tests.ui.conftest import Owner, wait_idle
from ui.dialogs.complaint_import_dialog import ComplaintImportDialog


def _count(owner: Owner, prefix: str) -> int:
    return int(owner.scalar("SELECT count(*) FROM complaints WHERE external_ref LIKE :p",
                            p=f"{prefix}%"))


def test_a_good_file_is_previewed_then_imported(desk_for, qtbot, owner: Owner, tmp_path: Path):
    desk = desk_for("monitor1")
    changed: list[ChangeSet] = []
    desk.tasks.sig_data_changed.connect(lambda c, _who: changed.append(c))
    tag = f"UI-{uuid.uuid4().hex[:8]}-"
    rows = [[f"{tag}{i}", *GOOD[i][1:]] for i in range(3)]
    rows.append([f"{tag}bad", "", "2026-11-30 09:15:00", "", "12345", "路灯不亮", "", None, None,
                 ""])
    path = write_xlsx(tmp_path / "forwarded.xlsx", rows)
    dialog = ComplaintImportDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isEnabled() and not dialog.preview_button.isEnabled()
    dialog.set_path(path)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert dialog.table.rowCount() == 4  # the bad row first, then the good ones
    assert dialog.table.item(0, 0).text() == "5"
    assert "12345" in dialog.table.item(0, 2).text()
    assert [dialog.table.item(i, 0).text() for i in range(1, 4)] == ["2", "3", "4"]
    assert _count(owner, tag) == 0  # a preview writes nothing
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=20_000)
    wait_idle(qtbot, desk.tasks)
    assert (dialog.imported.created, dialog.imported.bad) == (3, 1)
    assert _count(owner, tag) == 3
    assert any("complaints" in c.entities for c in changed)
    assert not dialog.import_button.isEnabled()  # the same preview is not imported twice


def test_cancel_in_the_middle_of_an_import_writes_nothing(
    desk_for, qtbot, owner: Owner, tmp_path: Path
):
    desk = desk_for("monitor1")
    tag = f"UC-{uuid.uuid4().hex[:8]}-"
    rows = [[f"{tag}{i}", "", "2026-11-30 09:15:00", "", "13812345678", f"取消导入测试第{i}件",
             "平阳县昆阳镇", None, None, ""] for i in range(24_000)]
    path = write_csv(tmp_path / "many.csv", rows, "gbk", HEADERS)
    dialog = ComplaintImportDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(path)
    dialog.run_preview()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60_000)
    wait_idle(qtbot, desk.tasks)
    assert len(dialog.preview.good) == 24_000
    op = dialog.run_import()
    assert op is not None and op.progress is not None
    progress = op.progress
    # After the first batch has gone to the database, and well before the last.
    qtbot.waitUntil(lambda: progress.figures()[0] >= 2000 and progress.dialog.isVisible(),
                    timeout=60_000)
    assert progress.figures()[0] < 24_000
    qtbot.mouseClick(progress.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.tasks, timeout=60_000)
    assert dialog.message.isVisible() and dialog.imported is None
    assert _count(owner, tag) == 0


def test_the_menu_offers_the_import_to_the_monitor_only(window_for, qtbot):
    monitor = window_for(Role.MONITOR, listen=False)
    assert monitor.menus.import_complaints is not None
    monitor.menus.import_complaints.trigger()
    assert monitor.import_dialog is not None and monitor.import_dialog.isVisible()
    acceptor = window_for(Role.ACCEPTOR, listen=False)
    assert acceptor.menus.import_complaints is None


def test_a_file_wrong_in_every_row_lists_the_first_bad_rows_and_counts_the_rest(
    desk_for, qtbot, tmp_path: Path, monkeypatch
):
    monkeypatch.setattr("ui.dialogs.complaint_import_dialog.BAD_ROWS_SHOWN", 2)
    desk = desk_for("monitor1")
    rows = [["", "", "昨天下午", "", "", f"第{i}件", "", None, None, ""] for i in range(5)]
    dialog = ComplaintImportDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(write_xlsx(tmp_path / "wrong.xlsx", rows))
    dialog.run_preview()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    assert dialog.table.rowCount() == 2
    assert "另有 3 行有问题" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.message.isVisible() and "没有可导入的行" in dialog.message.text()
