"""Panels of any kind from the registry; the case detail asks its panel to act, keeps a
readable width, wraps long fields, shows the timeline's notes, and prints its sheet."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolBar, QVBoxLayout

from seatdesk.domain.glossary import Action, Role
from seatdesk.services import cases
from seatdesk.services.case_sheet import case_sheet_html
from seatdesk.services.common import ChangeSet
from seatdesk.terms import term
from tests.ui.conftest import Owner
from tests.ui.driving import open_case, visible_dialog
from ui.dialogs.reject_dialog import RejectDialog
from ui.panels import registry
from ui.panels.panel import Panel
from ui.widgets import case_detail


class StatisticsPanel(Panel):
    """A panel that is no queue: a label and a count of the changes it heard."""

    role = Role.INSPECTOR

    def __init__(self, desk, parent=None) -> None:
        super().__init__(desk, parent)
        self.heard: list[ChangeSet] = []
        self.opened: list[int] = []
        layout = QVBoxLayout(self)
        self.toolbar = QToolBar()
        self.add_tools(self.toolbar)
        layout.addWidget(self.toolbar)
        layout.addWidget(QLabel("statistics"))

    def title(self) -> str:
        return "统计"

    def add_tools(self, toolbar: QToolBar) -> None:
        toolbar.addAction("monthly report")

    def open_case(self, case_id) -> None:
        self.opened.append(case_id)

    def on_data_changed(self, changes: ChangeSet) -> None:
        self.heard.append(changes)


def test_a_non_queue_panel_from_the_registry_gets_its_tab(window_for, qtbot):
    previous = registry.register_panel(Role.INSPECTOR, StatisticsPanel)
    try:
        window = window_for(Role.INSPECTOR, listen=False)
    finally:
        if previous is None:
            registry.unregister_panel(Role.INSPECTOR)
        else:
            registry.register_panel(Role.INSPECTOR, previous)
    panel = window.panels[Role.INSPECTOR]
    assert isinstance(panel, StatisticsPanel)
    assert window.tabs.tabText(0) == "统计" and window.tabs.widget(0) is panel
    assert [a.text() for a in panel.toolbar.actions()] == ["monthly report"]
    window.map_pane.sig_case_clicked.emit(42)  # the window hands a map click to the panel
    assert panel.opened == [42]
    changes = ChangeSet(entities=frozenset({"departments"}))
    window._desk.tasks.sig_data_changed.emit(changes, None)
    assert panel.heard == [changes]
    # Without the entry the role falls back to its queue panel.
    fallback = registry.build_panel(window._desk, Role.INSPECTOR)
    qtbot.addWidget(fallback)  # closed and deleted with the test, not at exit
    assert not isinstance(fallback, StatisticsPanel)


def test_the_detail_asks_its_panel_to_run_an_action(window_for, qtbot, owner: Owner):
    case_id = owner.new_case()
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", owner.number(case_id))
    asked: list[tuple[object, Action]] = []
    panel.detail.sig_action_requested.connect(lambda case, action: asked.append((case, action)))
    qtbot.mouseClick(panel.detail.action_buttons[Action.REJECT], Qt.MouseButton.LeftButton)
    assert [(c.id, a) for c, a in asked] == [(case_id, Action.REJECT)]
    dialog = visible_dialog(RejectDialog)  # opened by the panel, parented to it
    assert dialog.parent() is panel
    dialog.reject()


def test_the_detail_keeps_its_width_wraps_long_fields_and_shows_notes(
    window_for, qtbot, owner: Owner
):
    long = "市民反映：" + "人行道井盖破损、周边路面塌陷，夜间行人容易绊倒，" * 12
    case_id = owner.new_case(description=long)
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=1, collector="王采集",
        note="请采集员到现场核实井盖破损情况"))
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "verification", owner.number(case_id))
    detail = panel.detail
    assert case_detail.MIN_WIDTH <= detail.width() <= case_detail.MAX_WIDTH
    qtbot.waitUntil(lambda: detail.timeline.count() == 2, timeout=10_000)

    def field(name: str) -> QLabel:
        return detail.field_labels[detail.tr(name)]

    qtbot.waitUntil(
        lambda: field("Description").height() > 3 * field("Address").height(), timeout=5_000
    )
    assert field("Description").wordWrap()
    assert field("Description").width() < case_detail.MAX_WIDTH
    qtbot.waitUntil(lambda: detail.timeline.count() == 2, timeout=10_000)
    entry = detail.timeline.entry(1)
    assert "王采集" in entry.note and entry.note.endswith("请采集员到现场核实井盖破损情况")
    assert entry.note_label.isVisible() and entry.note_label.wordWrap()
    assert entry.note_label.text() == entry.note
    display = owner.scalar("SELECT display_name FROM users WHERE login = 'acceptor1'")
    assert entry.who == display and entry.action == term(Action.REQUEST_VERIFY)
    assert not detail.timeline.entry(0).note_label.isVisible() or detail.timeline.entry(0).note


def test_the_case_sheet_saves_as_a_pdf_with_the_case_on_it(
    window_for, qtbot, owner: Owner, tmp_path
):
    case_id = owner.new_case(address="平阳县昆阳镇打印路8号")
    number = owner.number(case_id)
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = open_case(qtbot, window, Role.ACCEPTOR, "new", number)
    detail = panel.detail
    qtbot.waitUntil(detail.print_button.isEnabled, timeout=10_000)
    assert detail.print_button.shortcut().toString() == "Ctrl+P"
    path = tmp_path / "sheet.pdf"
    assert detail.save_sheet_pdf(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert number in text
    # The sheet's HTML holds what a 派遣单 needs.
    html = case_sheet_html(detail.case, [], [])
    for part in (number, "0101", "平阳县昆阳镇打印路8号", "案卷编号", "办理过程"):
        assert part in html
    # Ctrl+P opens Qt's print dialog.
    dialog = detail.open_print_dialog()
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
