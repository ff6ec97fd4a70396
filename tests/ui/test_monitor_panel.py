"""The 12319 monitor panel driven through its widgets against the real database: a call
recorded, turned into a case, handled by a department seat, closed, replied to and
called back; a call linked to the open case nearby (and to a caller's earlier
complaint's case) instead of a duplicate; forwarding; the queues' counts and their live
update when another seat changes a complaint."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.db.engine import session_factory
from seatdesk.domain.glossary import (
    Action,
    AttachmentStep,
    ComplaintChannel,
    ComplaintState,
    Role,
    Satisfaction,
    State,
)
from seatdesk.services import complaints, photos
from seatdesk.services.complaint_queues import ComplaintQueue
from seatdesk.services.complaints import ComplaintId, NewComplaint
from seatdesk.services.photos import Photo
from tests.core.conftest import LOGIN
from tests.core.conftest import Desk as CoreDesk
from tests.ui.conftest import Owner, png, wait_idle
from tests.ui.driving import act, open_case, type_text, visible_dialog
from tests.ui.test_window import chinese  # noqa: F401 - the fixture
from ui.dialogs.complaint_dialogs import (
    CallbackDialog,
    ForwardDialog,
    ReplyDialog,
    ToCaseDialog,
)
from ui.dialogs.phone_complaint_dialog import CASE_ID_ROLE, PhoneComplaintDialog
from ui.main_window import MIN_HEIGHT, MIN_WIDTH, MainWindow
from ui.panels.monitor_panel import MonitorPanel

MONITOR = LOGIN[Role.MONITOR]
#: Another seat that works complaints (an administrator may).
OTHER_SEAT = LOGIN[Role.ADMIN]


def _spot() -> tuple[float, float]:
    """A point of the demo county no other test uses (nearby cases stay this test's)."""
    n = uuid.uuid4().int
    return 120.50 + (n % 997) * 0.0001, 27.60 + (n // 997 % 997) * 0.0001


def _panel(window: MainWindow) -> MonitorPanel:
    panel = window.show_panel(Role.MONITOR)
    assert isinstance(panel, MonitorPanel)
    return panel


def _choose_category(qtbot: QtBot, dialog: Any, code: str = "0101") -> None:
    qtbot.mouseClick(dialog.category, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.category, code)
    popup = dialog.category.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.category.chosen() is not None, dialog.category.text()
    assert dialog.category.chosen().code == code


def _phone_form(
    qtbot: QtBot, panel: MonitorPanel, content: str, phone: str, where: tuple[float, float]
) -> PhoneComplaintDialog:
    if _activate(qtbot, panel.window()):
        table = panel.current_queue().table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    else:
        panel.new_complaint_action.trigger()
    dialog = visible_dialog(PhoneComplaintDialog)
    _activate(qtbot, dialog)  # the category's popup needs its window in front
    assert dialog.channel.currentData() == ComplaintChannel.HOTLINE_12319
    type_text(dialog.content, content)
    type_text(dialog.address, "平阳县昆阳镇解放路88号")
    qtbot.mouseClick(dialog.has_location, Qt.MouseButton.LeftButton)
    dialog.longitude.setValue(where[0])
    dialog.latitude.setValue(where[1])
    qtbot.keyClicks(dialog.phone, phone)
    type_text(dialog.complainant, "王先生")
    _choose_category(qtbot, dialog)
    return dialog


def _activate(qtbot: QtBot, window: Any) -> bool:
    """The window in front (a person's shortcuts go to the active window); False when
    the offscreen platform leaves another test window active."""
    window.activateWindow()
    window.raise_()
    try:
        qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    except qtbot.TimeoutError:
        return False
    return True


def _select(qtbot: QtBot, panel: MonitorPanel, queue: ComplaintQueue, cid: int) -> None:
    """Show the queue, wait for the complaint's row and click it."""
    widget = panel.show_queue(queue)
    qtbot.waitUntil(lambda: widget.model.row_of(ComplaintId(cid)) >= 0, timeout=10_000)
    row = widget.model.row_of(ComplaintId(cid))
    rect = widget.table.visualRect(widget.model.index(row, 0))
    qtbot.mouseClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: panel.detail.complaint is not None and panel.detail.complaint.id == cid,
        timeout=10_000,
    )


def _confirm(qtbot: QtBot, dialog: Any) -> None:
    # Ctrl+Enter from the field that has the focus, as a person confirms (the offscreen
    # platform now and then leaves another test window active: then the OK button).
    if not _activate(qtbot, dialog):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    else:
        field = dialog.focusWidget() or dialog
        qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _closed(dialog) or bool(dialog.message_label.text()), timeout=10_000)
    assert _closed(dialog), dialog.message_label.text()


def _shown(kind: type) -> bool:
    return any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets())


def _closed(dialog: Any) -> bool:
    """Gone: hidden, or deleted on close as the panel's step dialogs are."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _state_is(panel: MonitorPanel, state: ComplaintState) -> bool:
    return panel.detail.complaint is not None and panel.detail.complaint.state is state


def test_a_call_goes_from_the_monitor_to_a_case_and_back_to_reply_and_callback(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    monitor = window_for(Role.MONITOR)
    department = window_for(Role.DEPARTMENT)
    panel = _panel(monitor)
    phone = "139" + str(uuid.uuid4().int)[:8]
    dialog = _phone_form(qtbot, panel, "市民来电：解放路88号井盖缺失，夜里有人踩空", phone, _spot())
    _confirm(qtbot, dialog)
    complaint_id = dialog.created
    assert complaint_id is not None and dialog.case_id is None
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.NEW), timeout=10_000)
    _select(qtbot, panel, ComplaintQueue.NEW, complaint_id)
    # Masked as for every seat; the monitor's press reads the real number, audited.
    masked = panel.detail.contact.text.text()
    assert phone not in masked and f"{phone[:3]}****{phone[-4:]}" in masked
    qtbot.mouseClick(panel.detail.contact.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: phone in panel.detail.contact.text.text(), timeout=10_000)
    assert "王先生" in panel.detail.contact.text.text()
    assert owner.scalar(
        "SELECT count(*) FROM personal_data_reads WHERE complaint_id = :c "
        "AND purpose = 'complaint_detail'", c=complaint_id,
    ) == 1

    # 转为案卷, through its button and dialog.
    qtbot.mouseClick(panel.detail.step_buttons[complaints.ComplaintAction.TO_CASE],
                     Qt.MouseButton.LeftButton)
    to_case = visible_dialog(ToCaseDialog)
    assert to_case.category.chosen() is not None  # the complaint's guess
    qtbot.waitUntil(lambda: to_case.condition.count() > 1, timeout=5_000)
    to_case.condition.setCurrentIndex(1)
    to_case.urgency.setCurrentIndex(1)
    _confirm(qtbot, to_case)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.LINKED), timeout=10_000)
    qtbot.waitUntil(lambda: panel.detail.case_box.isVisible(), timeout=10_000)
    assert panel.detail.complaint is not None
    case_id = panel.detail.complaint.case_id
    assert case_id is not None
    number = owner.number(case_id)
    assert panel.detail.values["case_number"].text() == number
    assert owner.scalar("SELECT source FROM cases WHERE id = :i", i=case_id) == "hotline_12319"

    # The centre's steps up to the department (the case panels' own e2e test drives
    # them through their widgets), with the scene's photo an acceptor adds.
    owner.as_(LOGIN[Role.ACCEPTOR], lambda s: photos.add_photos(
        s, case_id, AttachmentStep.REPORT, [Photo(png(), "scene.png")]))
    with session_factory(owner.engine).begin() as s:
        CoreDesk(s).drive(case_id, State.DISPATCHED)
    # The monitor sees the case's progress without leaving the panel.
    qtbot.waitUntil(
        lambda: panel.detail.progress is not None
        and panel.detail.progress.state is State.DISPATCHED,
        timeout=10_000,
    )
    assert panel.detail.values["case_department"].text()
    assert panel.detail.values["case_deadline"].text()

    # The department seat handles it in its own window.
    dept_panel = open_case(qtbot, department, Role.DEPARTMENT, "all", number)
    act(qtbot, dept_panel, Action.START_HANDLING, State.HANDLING)

    def done_note(dialog: Any) -> None:
        type_text(dialog.note_edit, "已更换井盖")

    act(qtbot, dept_panel, Action.REPORT_DONE, State.HANDLED, done_note)
    qtbot.waitUntil(
        lambda: panel.detail.progress is not None
        and panel.detail.progress.state is State.HANDLED,
        timeout=10_000,
    )
    with session_factory(owner.engine).begin() as s:
        core = CoreDesk(s)
        core.perform(Role.ACCEPTOR, Action.REQUEST_CHECK, case_id)
        core.perform(Role.ACCEPTOR, Action.CHECK_PASS, case_id)
        core.perform(Role.SHIFT_LEADER, Action.CLOSE, case_id)

    # Closed: the complaint waits for its reply.
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.AWAITING_REPLY), timeout=10_000)
    _select(qtbot, panel, ComplaintQueue.AWAITING_REPLY, complaint_id)
    # Its shortcut, from the queue (a button's shortcut clicks it a moment later).
    if _activate(qtbot, panel.window()):
        table = panel.current_queue().table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Y,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    else:
        qtbot.mouseClick(panel.detail.step_buttons[complaints.ComplaintAction.REPLY],
                         Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _shown(ReplyDialog), timeout=5_000)
    reply = visible_dialog(ReplyDialog)
    reply.method.setCurrentIndex(reply.method.findData(complaints.ReplyMethod.SMS))
    type_text(reply.reply, "您反映的井盖已更换，感谢监督")
    _confirm(qtbot, reply)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.REPLIED), timeout=10_000)

    _select(qtbot, panel, ComplaintQueue.CALLBACK, complaint_id)
    qtbot.mouseClick(panel.detail.step_buttons[complaints.ComplaintAction.CALLBACK],
                     Qt.MouseButton.LeftButton)
    callback = visible_dialog(CallbackDialog)
    callback.satisfaction.setCurrentIndex(
        callback.satisfaction.findData(Satisfaction.BASICALLY_SATISFIED))
    type_text(callback.note, "市民表示井盖已修好")
    _confirm(qtbot, callback)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.CALLED_BACK), timeout=10_000)
    assert "市民表示井盖已修好" in panel.detail.values["callback"].text()

    trail = owner.scalar(
        "SELECT string_agg(action || ':' || actor, ' ' ORDER BY id) FROM complaint_events "
        "WHERE complaint_id = :i", i=complaint_id,
    )
    assert trail.split() == [
        f"create:{MONITOR}", f"to_case:{MONITOR}", "case_ended:system",
        f"reply:{MONITOR}", f"callback:{MONITOR}",
    ]
    row = owner_row(owner, complaint_id)
    assert (row["reply_method"], row["callback_satisfaction"], row["callback_reached"]) == (
        "sms", "basically_satisfied", True)
    assert owner.scalar("SELECT urgency FROM cases WHERE id = :i", i=case_id) != "ordinary"


def owner_row(owner: Owner, complaint_id: int) -> dict[str, Any]:
    with owner.engine.connect() as conn:
        return dict(conn.execute(
            text("SELECT * FROM complaints WHERE id = :i"), {"i": complaint_id}
        ).one()._mapping)


def test_a_call_about_an_open_case_nearby_is_linked_not_duplicated(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    where = _spot()
    case_id = owner.new_case(longitude=where[0], latitude=where[1])
    cases_before = owner.scalar("SELECT count(*) FROM cases")
    panel = _panel(window_for(Role.MONITOR))
    phone = "137" + str(uuid.uuid4().int)[:8]
    dialog = _phone_form(qtbot, panel, "这里井盖又坏了", phone, (where[0] + 0.0002, where[1]))
    qtbot.waitUntil(lambda: dialog.nearby.count() > 0, timeout=10_000)
    ids = [dialog.nearby.item(i).data(CASE_ID_ROLE) for i in range(dialog.nearby.count())]
    assert ids[0] == case_id  # the nearest
    # One key on the case: the complaint is recorded linked to it.
    dialog.nearby.setFocus()
    dialog.nearby.setCurrentRow(0)
    qtbot.keyClick(dialog.nearby, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.created is not None and dialog.case_id == case_id
    assert owner.scalar("SELECT count(*) FROM cases") == cases_before
    first = owner_row(owner, dialog.created)
    assert (first["state"], first["case_id"]) == ("linked", case_id)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.LINKED), timeout=10_000)

    # The same caller again, the number read out with dashes: the earlier complaint's
    # open case is offered (Ctrl+L).
    spoken = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    again = _phone_form(qtbot, panel, "井盖还没修好", spoken, _spot())
    qtbot.waitUntil(lambda: again.earlier.count() == 1, timeout=10_000)
    assert again.earlier.item(0).data(CASE_ID_ROLE) == case_id
    again.earlier.setFocus()
    again.earlier.setCurrentRow(0)
    qtbot.keyClick(again, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=10_000)
    assert again.case_id == case_id
    assert owner.scalar("SELECT count(*) FROM complaints WHERE case_id = :c", c=case_id) == 2
    assert owner.scalar("SELECT count(*) FROM cases") == cases_before


def test_a_complaint_for_another_agency_is_forwarded_and_awaits_its_reply(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    complaint_id = owner.as_(MONITOR, lambda s: complaints.create_complaint(s, NewComplaint(
        channel=ComplaintChannel.MAYORS_MAILBOX, content="小区门口违章停车严重",
        address="平阳县昆阳镇城东路5号"))[0])
    panel = _panel(window_for(Role.MONITOR))
    _select(qtbot, panel, ComplaintQueue.NEW, complaint_id)
    qtbot.mouseClick(panel.detail.step_buttons[complaints.ComplaintAction.FORWARD],
                     Qt.MouseButton.LeftButton)
    forward = visible_dialog(ForwardDialog)
    _confirm_fails_without_agency(qtbot, forward)
    type_text(forward.agency, "县交警大队")
    type_text(forward.note, "违停归交警管理")
    _confirm(qtbot, forward)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.FORWARDED), timeout=10_000)
    assert "县交警大队" in panel.detail.values["forwarded"].text()
    assert panel.detail.step_buttons[complaints.ComplaintAction.REPLY].isEnabled()
    assert not panel.detail.step_buttons[complaints.ComplaintAction.FORWARD].isEnabled()
    awaiting = panel.show_queue(ComplaintQueue.AWAITING_REPLY)
    qtbot.waitUntil(lambda: awaiting.model.row_of(complaint_id) >= 0, timeout=10_000)


def _confirm_fails_without_agency(qtbot: QtBot, dialog: ForwardDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.message_label.text()


def test_counts_and_rows_follow_another_seats_changes(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    panel = _panel(window_for(Role.MONITOR))
    new = panel.show_queue(ComplaintQueue.NEW)
    qtbot.waitUntil(lambda: new.count is not None, timeout=10_000)
    assert new.count is not None
    before = new.count.n
    index = panel.tabs.indexOf(new)
    assert f"({before})" in panel.tabs.tabText(index)

    # Another seat records a complaint: the row and the count arrive by themselves.
    complaint_id = owner.as_(OTHER_SEAT, lambda s: complaints.create_complaint(s, NewComplaint(
        channel=ComplaintChannel.ONLINE_PLATFORM, content="论坛反映：公园路灯不亮",
        address="平阳县昆阳镇公园路"))[0])
    qtbot.waitUntil(lambda: new.model.row_of(complaint_id) >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: f"({before + 1})" in panel.tabs.tabText(index), timeout=10_000)
    _select(qtbot, panel, ComplaintQueue.NEW, complaint_id)

    # Another seat forwards it: it leaves the queue, the detail follows.
    owner.as_(OTHER_SEAT, lambda s: complaints.forward_complaint(
        s, complaint_id=complaint_id, expected_version=1, agency="县供电公司"))
    qtbot.waitUntil(lambda: new.model.row_of(complaint_id) < 0, timeout=10_000)
    qtbot.waitUntil(lambda: _state_is(panel, ComplaintState.FORWARDED), timeout=10_000)
    qtbot.waitUntil(lambda: f"({before})" in panel.tabs.tabText(index), timeout=10_000)

    # A stale step is refused with who changed it, and nothing typed is lost.
    complaint = panel.detail.complaint
    assert complaint is not None
    reply = panel.run_step(complaint, complaints.ComplaintAction.REPLY)
    owner.as_(OTHER_SEAT, lambda s: complaints.reply_complaint(
        s, complaint_id=complaint_id, expected_version=complaint.version, reply="已电话告知",
        how=complaints.ReplyMethod.PHONE))
    type_text(reply.reply, "答复内容")
    assert _activate(qtbot, reply)
    qtbot.keyClick(reply.reply, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(reply.message_label.text()), timeout=10_000)
    assert reply.isVisible() and reply.reply.toPlainText() == "答复内容"
    assert complaint.number in reply.message_label.text()  # which, and who changed it
    reply.done(0)


def test_esc_on_a_typed_form_asks_before_discarding(desk_for, qtbot: QtBot) -> None:
    panel = MonitorPanel(desk_for(MONITOR))
    qtbot.addWidget(panel)
    dialog = panel.phone_dialog()
    dialog.show()
    type_text(dialog.content, "有内容")
    type_text(dialog.address, "人民路")
    qtbot.keyClicks(dialog.phone, "138abc")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "138abc" in dialog.message_label.text() and dialog.created is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    from ui.dialogs.parts import DiscardQuestion

    qtbot.waitUntil(lambda: bool(dialog.findChildren(DiscardQuestion)), timeout=5_000)
    assert dialog.isVisible()
    question = dialog.findChildren(DiscardQuestion)[0]
    question.discard_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_the_shortcut_sheet_lists_the_monitors_keys(window_for, qtbot: QtBot) -> None:
    window = window_for(Role.MONITOR, listen=False)
    panel = _panel(window)
    sheet = window.show_shortcuts()
    keys = {e.keys for e in sheet.entries}
    texts = {e.text for e in sheet.entries}
    assert {"Ctrl+N", "Ctrl+Shift+R", "Ctrl+Shift+L", "Ctrl+Shift+F", "Ctrl+Shift+Y",
            "Ctrl+Shift+B"} <= keys
    assert panel.detail.step_actions[complaints.ComplaintAction.REPLY].text() in texts
    sheet.close()


def test_a_point_picked_on_the_map_places_the_call_and_finds_the_case_there(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    where = _spot()
    case_id = owner.new_case(longitude=where[0], latitude=where[1])
    window = window_for(Role.MONITOR, listen=False)
    panel = _panel(window)
    dialog = panel.phone_dialog()
    dialog.show()
    _activate(qtbot, dialog)
    _choose_category(qtbot, dialog)
    assert window.map_pane is not None and dialog.pick_button.isEnabled()
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    window.map_pane.view.sig_point_picked.emit(where[0], where[1])  # the page's click
    assert dialog.has_location.isChecked()
    assert dialog.longitude.value() == pytest.approx(where[0])
    assert dialog.latitude.value() == pytest.approx(where[1])
    qtbot.waitUntil(lambda: dialog.nearby.count() > 0, timeout=10_000)
    assert dialog.nearby.item(0).data(CASE_ID_ROLE) == case_id
    assert "0 m" in dialog.nearby.item(0).text()
    dialog.done(0)


def test_the_monitor_window_works_at_1280_by_720(
    window_for, qtbot: QtBot, chinese  # noqa: F811 - the fixture
) -> None:
    window = window_for(Role.MONITOR, listen=False)
    hint = window.minimumSizeHint()
    assert hint.width() <= MIN_WIDTH and hint.height() <= MIN_HEIGHT, hint
    window.resize(MIN_WIDTH, MIN_HEIGHT)
    qtbot.waitUntil(lambda: window.width() == MIN_WIDTH, timeout=5_000)
    panel = _panel(window)
    # Nothing clipped: each part gets at least the room it asks for, every tab shows.
    for part in (panel.tabs, panel.detail, window.map_pane):
        assert part.width() >= part.minimumSizeHint().width(), part
    bar = panel.tabs.tabBar()
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()
    buttons = list(panel.detail.step_buttons.values())
    assert all(b.width() >= b.minimumSizeHint().width() for b in buttons)


def test_a_case_clicked_on_the_map_shows_its_complaint(
    window_for, qtbot: QtBot, owner: Owner
) -> None:
    case_id = owner.new_case()

    def linked(s: Any) -> ComplaintId:
        complaint_id, _ = complaints.create_complaint(s, NewComplaint(
            channel=ComplaintChannel.HOTLINE_12319, content="井盖缺失", address="人民路12号"))
        complaints.link_complaint(s, complaint_id=complaint_id, expected_version=1,
                                  case_id=case_id)
        return complaint_id

    complaint_id = owner.as_(OTHER_SEAT, linked)
    window = window_for(Role.MONITOR, listen=False)
    panel = _panel(window)
    window.map_pane.sig_case_clicked.emit(int(case_id))  # the page's click
    qtbot.waitUntil(
        lambda: panel.detail.complaint is not None and panel.detail.complaint.id == complaint_id,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: panel.detail.progress is not None, timeout=10_000)


def test_the_queues_remember_their_columns_per_user(desk_for, qtbot: QtBot) -> None:
    desk = desk_for(MONITOR)
    first = MonitorPanel(desk)
    qtbot.addWidget(first)
    table = first.queue_widgets[ComplaintQueue.ALL].table
    table.horizontalHeader().resizeSection(0, 177)
    second = MonitorPanel(desk)
    qtbot.addWidget(second)
    assert second.queue_widgets[ComplaintQueue.ALL].table.columnWidth(0) == 177
    assert second.queue_widgets[ComplaintQueue.NEW].table.columnWidth(0) != 177


def test_a_form_closed_by_a_crash_opens_again_with_its_draft(desk_for, qtbot: QtBot) -> None:
    from ui.dialogs.drafts import load_draft
    from ui.dialogs.parts import DiscardQuestion
    from ui.dialogs.phone_complaint_dialog import DRAFT

    panel = MonitorPanel(desk_for(MONITOR))
    qtbot.addWidget(panel)
    dialog = panel.phone_dialog()
    dialog.show()
    type_text(dialog.content, "垃圾清运车漏液")
    qtbot.keyClicks(dialog.phone, "13911112222")
    qtbot.waitUntil(lambda: load_draft(MONITOR, DRAFT) is not None, timeout=5_000)
    dialog.done(0)  # as the window going down with the process
    again = panel.phone_dialog()
    again.show()
    assert again.content.toPlainText() == "垃圾清运车漏液"
    assert again.phone.text() == "13911112222"
    assert again.draft_note.isVisible()
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(again.findChildren(DiscardQuestion)), timeout=5_000)
    again.findChildren(DiscardQuestion)[0].discard_button.click()
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=5_000)
    assert load_draft(MONITOR, DRAFT) is None


def test_a_phone_is_looked_up_once_when_complete_not_on_every_keystroke(
    desk_for, qtbot: QtBot, owner: Owner
) -> None:
    # Each look-up is recorded, audited and counted against a limit (migration 0019).
    def lookups() -> int:
        return int(owner.scalar(
            "SELECT count(*) FROM personal_data_requests WHERE actor = :l "
            "AND kind = 'find_by_phone'", l=MONITOR))

    panel = MonitorPanel(desk_for(MONITOR))
    qtbot.addWidget(panel)
    dialog = panel.phone_dialog()
    dialog.show()
    before = lookups()
    # A landline, typed digit by digit: never complete by itself.
    qtbot.keyClicks(dialog.phone, "0577-6361234")
    dialog.look_up()
    wait_idle(qtbot, dialog._desk.tasks)
    assert lookups() == before and dialog.earlier.count() == 0
    assert "Enter" in dialog.earlier_note.text()
    # Enter in the phone field looks it up, and records no complaint.
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog._desk.tasks)
    assert lookups() == before + 1
    assert dialog.isVisible() and dialog.created is None
    # A mobile is looked up once its 11th digit is typed, and only once.
    dialog.phone.clear()
    mobile = "139" + str(uuid.uuid4().int)[:8]
    qtbot.keyClicks(dialog.phone, mobile[:10])
    dialog.look_up()
    wait_idle(qtbot, dialog._desk.tasks)
    assert lookups() == before + 1
    qtbot.keyClicks(dialog.phone, mobile[10:])
    for _ in range(3):
        dialog.look_up()
        wait_idle(qtbot, dialog._desk.tasks)
    assert lookups() == before + 2
    qtbot.waitUntil(lambda: "No earlier complaint" in dialog.earlier_note.text()
                    or "没有" in dialog.earlier_note.text(), timeout=10_000)
    dialog.done(0)
