"""The map in the desk: it draws the grids and cases, a case clicked on it opens in the
panel, a queue's selection centres and rings it, and "Pick on map" fills the new-case
form (its pin goes with the form)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.domain.glossary import RejectReason, Role
from seatdesk.services import cases
from seatdesk.services.common import ChangeSet
from tests.ui.conftest import LOGIN, Owner, wait_idle
from tests.ui.driving import open_case
from tests.ui.test_map import js, ready
from ui.dialogs.new_case_dialog import NewCaseDialog
from ui.dialogs.parts import DiscardQuestion

TIMEOUT = 20_000


def test_a_picked_point_fills_the_location_and_the_grid(window_for, qtbot):
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = window.show_panel(Role.ACCEPTOR)
    dialog = panel.new_case_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pick_button.isEnabled()
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    window.map_pane.view.sig_point_picked.emit(120.5605, 27.6602)  # the page's click
    qtbot.waitUntil(lambda: bool(dialog.grid.text()), timeout=TIMEOUT)
    assert dialog.has_location.isChecked()
    assert dialog.longitude.value() == pytest.approx(120.5605)
    assert dialog.latitude.value() == pytest.approx(27.6602)
    code = dialog.grid.text()
    assert len(code) == 15 and code.isdigit()
    assert not dialog.message_label.isVisible()


def test_a_point_outside_every_grid_says_so(window_for, qtbot):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog = window.show_panel(Role.ACCEPTOR).new_case_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    window.map_pane.view.sig_point_picked.emit(121.9, 28.9)
    qtbot.waitUntil(lambda: bool(dialog.location_note.text()), timeout=TIMEOUT)
    wait_idle(qtbot, window._desk.tasks)
    assert dialog.grid.text() == ""
    assert "121.900000" in dialog.location_note.text()
    assert dialog.location_note.isVisible()


def test_a_point_picked_without_asking_is_ignored(window_for, qtbot):
    window = window_for(Role.ACCEPTOR, listen=False)
    dialog = window.show_panel(Role.ACCEPTOR).new_case_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    window.map_pane.view.sig_point_picked.emit(120.5605, 27.6602)
    assert not dialog.has_location.isChecked()


def test_the_dialog_works_without_a_map(desk_for, qtbot):
    dialog = NewCaseDialog(desk_for(LOGIN[Role.ACCEPTOR]))
    qtbot.addWidget(dialog)
    assert not dialog.pick_button.isEnabled()


def test_a_case_clicked_on_the_map_opens_in_the_panel(window_for, qtbot, owner: Owner):
    case_id = owner.new_case()
    window = window_for(Role.ACCEPTOR, listen=False)
    panel = window.show_panel(Role.ACCEPTOR)
    window.map_pane.view.sig_case_clicked.emit(case_id)  # the page's click on the marker
    qtbot.waitUntil(
        lambda: panel.detail.case is not None and panel.detail.case.id == case_id,
        timeout=TIMEOUT,
    )
    # The clicked case is ringed where it is drawn.
    view = window.map_pane.view
    qtbot.waitUntil(lambda: window.map_pane.case_point(case_id) is not None, timeout=TIMEOUT)
    ready(qtbot, view)
    qtbot.waitUntil(
        lambda: js(qtbot, view, "seatdesk.selectionRing()") == pytest.approx([120.5611, 27.6611]),
        timeout=TIMEOUT,
    )


def test_the_map_draws_the_cases_and_centres_on_a_queue_selection(
    window_for, qtbot, owner: Owner
):
    case_id = owner.new_case(longitude=120.5633, latitude=27.6577)
    number = owner.number(case_id)
    window = window_for(Role.ACCEPTOR, listen=False)
    pane = window.map_pane
    qtbot.waitUntil(lambda: pane.case_point(case_id) is not None, timeout=TIMEOUT)
    centred: list[tuple[float, float]] = []
    pane.view.center_on = lambda lon, lat, zoom=None: centred.append((lon, lat))
    open_case(qtbot, window, Role.ACCEPTOR, "new", number)
    qtbot.waitUntil(lambda: bool(centred), timeout=TIMEOUT)
    assert centred[-1] == pytest.approx((120.5633, 27.6577))


def _page(qtbot, view, script: str):
    """The value of ``script`` in the desk's map page."""
    ready(qtbot, view)
    return js(qtbot, view, script)


def test_the_pick_pin_goes_when_the_form_closes(window_for, qtbot):
    window = window_for(Role.ACCEPTOR, listen=False)
    view = window.map_pane.view
    view.center_on(120.5612, 27.6598, 18)  # the point clicked below, whatever the map's width
    assert _page(qtbot, view, "seatdesk.pickPins()") == 0
    dialog = window.show_panel(Role.ACCEPTOR).new_case_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelector('.sd-picking') !== null"),
                    timeout=TIMEOUT)
    x, y = js(qtbot, view, "seatdesk.pointOf(120.5612, 27.6598)")
    with qtbot.waitSignal(view.sig_point_picked, timeout=TIMEOUT):
        qtbot.mouseClick(view.view.focusProxy(), Qt.MouseButton.LeftButton,
                         pos=QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: bool(dialog.grid.text()), timeout=TIMEOUT)
    assert js(qtbot, view, "seatdesk.pickPins()") == 1
    dialog.reject()  # a located form: it asks first
    question = next(q for q in dialog.findChildren(DiscardQuestion) if q.isVisible())
    qtbot.mouseClick(question.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: js(qtbot, view, "seatdesk.pickPins()") == 0, timeout=TIMEOUT)


def test_the_ring_follows_the_queue_selection_and_goes_when_the_case_closes(
    window_for, qtbot, owner: Owner
):
    first = owner.new_case(longitude=120.5633, latitude=27.6577)
    second = owner.new_case(longitude=120.5588, latitude=27.6622)
    window = window_for(Role.ACCEPTOR, listen=False)
    pane = window.map_pane
    qtbot.waitUntil(lambda: pane.case_point(second) is not None, timeout=TIMEOUT)
    assert _page(qtbot, pane.view, "seatdesk.selectionRing()") is None

    def ring():
        return js(qtbot, pane.view, "seatdesk.selectionRing()")

    open_case(qtbot, window, Role.ACCEPTOR, "new", owner.number(first))
    qtbot.waitUntil(lambda: ring() == pytest.approx([120.5633, 27.6577]), timeout=TIMEOUT)
    open_case(qtbot, window, Role.ACCEPTOR, "new", owner.number(second))
    qtbot.waitUntil(lambda: ring() == pytest.approx([120.5588, 27.6622]), timeout=TIMEOUT)
    # Another seat refuses the case (it closes); the notice reaches this desk.
    owner.as_("acceptor1", lambda s: cases.reject(
        s, case_id=second, expected_version=owner.version(second),
        reason=RejectReason.DUPLICATE, note="重复"))
    window._desk.tasks.sig_data_changed.emit(ChangeSet(case_ids=frozenset({second})), None)
    qtbot.waitUntil(lambda: pane.case_point(second) is None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: ring() is None, timeout=TIMEOUT)
