"""Pieces every dialog of the desk builds the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def message_label() -> QLabel:
    """The red line under a form that says, in one sentence, what is wrong."""
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label
