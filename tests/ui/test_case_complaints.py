"""The case detail shows its complaints (masked) and their steps in its timeline; the
shift leader reopens a closed case whose complainant was called back 不满意, through the
note dialog (real clicks, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy.orm import Session

from seatdesk.domain import workflow
from seatdesk.domain.glossary import (
    AttachmentStep,
    CaseEventAction,
    ComplaintChannel,
    ComplaintState,
    ReplyMethod,
    Role,
    Satisfaction,
    State,
)
from seatdesk.services import actions, complaints, photos
from seatdesk.services.common import CaseId
from seatdesk.services.complaints import CaseFields, ComplaintId, NewComplaint
from seatdesk.services.photos import Photo
from seatdesk.terms import term
from tests.core.conftest import Desk as CoreDesk
from tests.ui.conftest import LOGIN, Owner, png, wait_idle
from tests.ui.driving import type_text
from ui.i18n import install_translators
from ui.widgets.case_detail import CaseDetailWidget


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    translators = install_translators(qapp, "zh")
    yield
    for t in translators:
        qapp.removeTranslator(t)


def _complaint(owner: Owner, **fields: Any) -> ComplaintId:
    category, _ = owner.category()
    values = {"channel": ComplaintChannel.HOTLINE_12319, "content": "测试：解放路井盖缺失",
              "complainant": "王小明", "complainant_phone": "13812345678",
              "address": "平阳县昆阳镇解放路88号", "category_id": category, **fields}
    complaint_id, _ = owner.as_(LOGIN[Role.MONITOR], lambda s: complaints.create_complaint(
        s, NewComplaint(**values)))
    return ComplaintId(complaint_id)


def _version(owner: Owner, complaint_id: ComplaintId) -> int:
    return int(owner.scalar("SELECT version FROM complaints WHERE id = :i", i=complaint_id))


def _closed_case(owner: Owner, *complaint_ids: ComplaintId) -> CaseId:
    """A case opened from the first complaint (the others linked), driven to closed."""
    _, condition = owner.category()
    first, *others = complaint_ids
    case_id, _ = owner.as_(LOGIN[Role.MONITOR], lambda s: complaints.complaint_to_case(
        s, complaint_id=first, expected_version=1,
        fields=CaseFields(filing_condition_id=condition)))
    owner.as_(LOGIN[Role.ACCEPTOR], lambda s: photos.add_photos(
        s, case_id, AttachmentStep.REPORT, [Photo(png(), "scene.png")]))
    for other in others:
        owner.as_(LOGIN[Role.MONITOR], lambda s, o=other: complaints.link_complaint(
            s, complaint_id=o, expected_version=1, case_id=case_id))
    for action, _from, _to, role in workflow.shortest_paths()[State.CLOSED]:
        version = owner.version(case_id)

        def act(s: Session, action: Any = action, version: int = version) -> Any:
            return actions.perform(s, action, case_id=case_id, expected_version=version,
                                   given=CoreDesk(s).default_input(action))

        owner.as_(LOGIN[role], act)
    return CaseId(case_id)


def _called_back(owner: Owner, complaint_id: ComplaintId, satisfaction: Satisfaction) -> None:
    owner.as_(LOGIN[Role.MONITOR], lambda s: complaints.reply_complaint(
        s, complaint_id=complaint_id, expected_version=_version(owner, complaint_id),
        reply="已处理", how=ReplyMethod.PHONE))
    owner.as_(LOGIN[Role.MONITOR], lambda s: complaints.callback_complaint(
        s, complaint_id=complaint_id, expected_version=_version(owner, complaint_id),
        reached=True, satisfaction=satisfaction))


def _detail(desk_for: Any, qtbot: Any, who: Role, case_id: CaseId) -> CaseDetailWidget:
    desk = desk_for(LOGIN[who])
    detail = CaseDetailWidget(desk)
    qtbot.addWidget(detail)
    detail.show()
    detail.show_case(case_id)
    qtbot.waitUntil(lambda: detail.case is not None, timeout=10_000)
    wait_idle(qtbot, desk.tasks)
    return detail


def test_the_detail_lists_the_complaints_masked_and_their_steps(
    desk_for: Any, qtbot: Any, owner: Owner, chinese: None
) -> None:
    first = _complaint(owner)
    second = _complaint(owner, complainant="李四", complainant_phone="13900001111")
    case_id = _closed_case(owner, first, second)
    detail = _detail(desk_for, qtbot, Role.INSPECTOR, case_id)
    box = detail.complaints_box
    assert box.isVisible() and box.count() == 2
    assert box.title() == "投诉（2）"
    number = str(owner.scalar("SELECT number FROM complaints WHERE id = :i", i=first))
    row = [box.list.topLevelItem(0).text(c) for c in range(5)]
    assert row[0] == number and row[1] == term(ComplaintChannel.HOTLINE_12319)
    assert row[3] == term(ComplaintState.AWAITING_REPLY)
    assert row[4] == "王** 138****5678"
    shown = " ".join(box.list.topLevelItem(i).text(4) for i in range(2))
    assert "王小明" not in shown and "13812345678" not in shown
    assert not box.reopen_button.isVisible()  # not the shift leader's, and no callback
    entries = [detail.timeline.entry(i) for i in range(detail.timeline.count())]
    flat = " ".join(f"{e.action} {e.state} {e.note}" for e in entries)
    assert term(complaints.ComplaintAction.TO_CASE) in flat
    assert term(complaints.ComplaintAction.LINK) in flat and number in flat


def test_the_shift_leader_reopens_the_case_for_a_dissatisfied_complainant(
    desk_for: Any, qtbot: Any, owner: Owner
) -> None:
    complaint_id = _complaint(owner)
    case_id = _closed_case(owner, complaint_id)
    _called_back(owner, complaint_id, Satisfaction.DISSATISFIED)
    # Other seats see no reopen.
    other = _detail(desk_for, qtbot, Role.DISPATCHER, case_id)
    assert other.complaints_box.isVisible()
    assert not other.complaints_box.reopen_button.isVisible()

    detail = _detail(desk_for, qtbot, Role.SHIFT_LEADER, case_id)
    button = detail.complaints_box.reopen_button
    assert button.isVisible()
    assert button.text().startswith(term(CaseEventAction.REOPEN_FOR_COMPLAINT))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = detail.reopen_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    dialog.note_edit.setFocus()  # Ctrl+Enter with no note yet: it says so, sends nothing
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.message_label.isVisible() and dialog.isVisible()
    dialog.note_edit.setFocus()
    type_text(dialog.note_edit, "投诉人不满意：井盖仍松动")
    with qtbot.waitSignal(dialog.sig_done, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == State.DISPATCHED
    assert owner.scalar(
        "SELECT actor FROM case_events WHERE case_id = :i AND action = 'reopen_for_complaint'",
        i=case_id) == LOGIN[Role.SHIFT_LEADER]
    assert owner.scalar("SELECT state FROM complaints WHERE id = :i", i=complaint_id) == "linked"
    # The detail reloads on the change: the reopen is gone, the timeline names it.
    qtbot.waitUntil(lambda: detail.case is not None and detail.case.state is State.DISPATCHED,
                    timeout=10_000)
    qtbot.waitUntil(lambda: not button.isVisible(), timeout=10_000)


def test_a_satisfied_complainant_offers_no_reopen(
    desk_for: Any, qtbot: Any, owner: Owner
) -> None:
    complaint_id = _complaint(owner)
    case_id = _closed_case(owner, complaint_id)
    _called_back(owner, complaint_id, Satisfaction.SATISFIED)
    detail = _detail(desk_for, qtbot, Role.SHIFT_LEADER, case_id)
    assert detail.complaints_box.isVisible()
    assert not detail.complaints_box.reopen_button.isVisible()
