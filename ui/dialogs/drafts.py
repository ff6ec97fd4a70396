"""Drafts of forms: what a person typed, kept per user on disk (the user's settings
file) until the form is sent or the person discards it, so that a crash or a closed
window loses nothing. A draft is a JSON object of plain values; the form decides what
goes in and how it comes back.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QComboBox

from ui.widgets.case_queue import user_settings

#: Where a draft was saved, inside its JSON object.
SAVED_AT = "saved_at"


def _key(login: str, form: str) -> str:
    return f"drafts/{login}/{form}"


def load_draft(login: str, form: str) -> dict[str, Any] | None:
    """The user's draft of ``form``, or None (none kept, or unreadable)."""
    raw = user_settings().value(_key(login, form))
    if not isinstance(raw, str) or not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class Draft:
    """A kept draft's values, read back with their types checked: a value of the wrong
    type (an older form's, a hand-edited file) reads as empty, never as an error."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""

    def number(self, key: str, default: float) -> float:
        value = self.values.get(key)
        return float(value) if isinstance(value, int | float) else default

    def flag(self, key: str) -> bool:
        return self.values.get(key) is True

    def choose(self, combo: QComboBox, key: str) -> None:
        """Select the combo's item whose data is the kept value, if it still has one."""
        index = combo.findData(self.text(key))
        if index >= 0:
            combo.setCurrentIndex(index)

    def saved_at(self) -> str:
        return self.text(SAVED_AT).replace("T", " ")


def read_draft(login: str, form: str) -> Draft | None:
    """``load_draft``'s values as a ``Draft``, or None."""
    values = load_draft(login, form)
    return Draft(values) if values else None


def save_draft(login: str, form: str, values: dict[str, Any]) -> None:
    """Keep ``values`` as the user's draft of ``form``, written to disk now."""
    data = {**values, SAVED_AT: datetime.now().isoformat(timespec="seconds")}
    settings = user_settings()
    settings.setValue(_key(login, form), json.dumps(data, ensure_ascii=False))
    settings.sync()


def clear_draft(login: str, form: str) -> None:
    settings = user_settings()
    settings.remove(_key(login, form))
    settings.sync()
