"""A case's timeline for a narrow column: one entry per audit event, its heading
(time, who, action, the state after) on one line and its note below on lines of its
own, both wrapped to the width there is, never cut."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class TimelineEntry(QFrame):
    """One event of the timeline."""

    def __init__(
        self, when: str, who: str, action: str, state: str, note: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.when, self.who, self.action, self.state, self.note = when, who, action, state, note
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 4)
        layout.setSpacing(2)
        self.heading = QLabel(f"<b>{_html(action)}</b> · {_html(who)} · {_html(when)}"
                              + (f" → {_html(state)}" if state else ""))
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.note_label = QLabel(note)
        self.note_label.setObjectName("timeline_note")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label.setStyleSheet("color: #333; margin-left: 12px;")
        self.note_label.setVisible(bool(note))
        layout.addWidget(self.note_label)


class TimelineView(QWidget):
    """The entries, oldest first, separated by thin lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addStretch(1)
        self._entries: list[TimelineEntry] = []

    # ---- Public API

    def clear(self) -> None:
        for entry in self._entries:
            self._layout.removeWidget(entry)
            entry.deleteLater()
        self._entries = []

    def add_entry(self, when: str, who: str, action: str, state: str, note: str) -> None:
        entry = TimelineEntry(when, who, action, state, note)
        if self._entries:
            entry.setStyleSheet("TimelineEntry { border-top: 1px solid #ddd; }")
        self._layout.insertWidget(self._layout.count() - 1, entry)
        self._entries.append(entry)

    def count(self) -> int:
        return len(self._entries)

    def entry(self, index: int) -> TimelineEntry:
        return self._entries[index]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
