"""A collector's answer taken in by the intake (seatdesk intake) is there when the
acceptor decides: the reply pre-filled, the collector's photos the evidence."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt

from seatdesk.domain.glossary import Action, IntakeKind, State
from seatdesk.services import cases, intake, queues
from seatdesk.services.photos import Photo
from tests.ui.conftest import Owner, wait_idle
from ui.dialogs.registry import open_action_dialog


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 36), (30, 140, 200)).save(out, "JPEG")
    return out.getvalue()


def test_the_acceptor_decides_with_the_collectors_answer(desk_for, qtbot, owner: Owner):
    case_id = owner.new_case()
    owner.as_("acceptor1", lambda s: cases.request_verify(
        s, case_id=case_id, expected_version=1, collector="采集员 吴海"))
    item = intake.Item(
        Path("answer.json"), f"item:ui-{case_id}", IntakeKind.VERIFY_ANSWER,
        {"type": "verify_answer", "collector": "采集员 吴海", "case_number": owner.number(case_id),
         "verdict": True, "reply": "现场属实，井盖缺失"},
        (Photo(_jpeg(), "scene.jpg"),),
    )
    owner.as_("intake1", lambda s: intake.write_item(s, item))
    desk = desk_for("acceptor1")
    detail = owner.as_("acceptor1", lambda s: queues.get_case(s, case_id))
    dialog = open_action_dialog(desk, detail, Action.VERIFY_PASS)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, desk.tasks)  # the answer is read
    assert dialog.reply_edit is not None
    assert dialog.reply_edit.toPlainText() == "现场属实，井盖缺失"
    assert "采集员 吴海" in dialog.message_label.text()
    # No photo of the acceptor's own: the collector's are the evidence.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert owner.scalar("SELECT state FROM cases WHERE id = :i", i=case_id) == State.VERIFIED
    assert owner.scalar(
        "SELECT data ->> 'reply' FROM case_events WHERE case_id = :i ORDER BY id DESC LIMIT 1",
        i=case_id) == "现场属实，井盖缺失"
