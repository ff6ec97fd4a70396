"""Which dialog each action opens: its own when it needs more than a note."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from seatdesk.domain.glossary import Action
from seatdesk.services.queues import CaseDetail
from ui.desk import Desk
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.dispatch_dialog import DispatchDialog, ReworkDialog
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.pre_register_dialog import PreRegisterDialog
from ui.dialogs.reject_dialog import RejectDialog
from ui.dialogs.request_dialogs import ExtensionDialog, PostponementDialog

DIALOGS: dict[Action, type[ActionDialog]] = {
    Action.PRE_REGISTER: PreRegisterDialog,
    Action.REJECT: RejectDialog,
    Action.DISPATCH: DispatchDialog,
    Action.REWORK: ReworkDialog,
    Action.REQUEST_EXTENSION: ExtensionDialog,
    Action.REQUEST_POSTPONEMENT: PostponementDialog,
    Action.MERGE: MergeDialog,
}


def open_action_dialog(
    desk: Desk, case: CaseDetail, action: Action, parent: QWidget | None = None
) -> ActionDialog:
    """The dialog of ``action`` on ``case`` (not yet shown)."""
    return DIALOGS.get(action, ActionDialog)(desk, case, action, parent)
