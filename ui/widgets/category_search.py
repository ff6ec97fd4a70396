"""A line edit that finds a category of the catalogue by code or name as one types.

The suggestions are ranked by the core (``catalogue.rank_categories``: exact code or
name, then prefix, then substring) and shown in a ``QCompleter`` popup that only
displays them: the completer is attached with ``setWidget`` (not ``setCompleter``), so
it never filters or resets anything on its own during a key event. The list is
replaced by a zero-delay timer after the text changes, outside the key handler.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from seatdesk.services.catalogue import CategoryInfo, rank_categories
from ui.labels import label

#: How many suggestions the popup holds at most.
SUGGESTIONS = 50


def category_text(c: CategoryInfo) -> str:
    """How a category reads in the field and the popup."""
    return f"{c.code} {c.name} · {c.major_name} ({label(c.case_type)})"


class CategorySearch(QLineEdit):
    """Type "路灯" or "0102"; Down and Enter (or a click) choose a suggestion."""

    sig_chosen = Signal(object)
    """A suggestion was chosen from the popup: its ``CategoryInfo``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._categories: list[CategoryInfo] = []
        self._by_text: dict[str, CategoryInfo] = {}
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(15)
        self._completer.setWidget(self)
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)

    def _connect(self) -> None:
        self.textEdited.connect(self._on_text_edited)
        self._update_timer.timeout.connect(self._update_suggestions)
        self._completer.activated.connect(self._on_completer_activated)

    # ---- Public API

    def set_categories(self, categories: Sequence[CategoryInfo]) -> None:
        self._categories = list(categories)
        self._by_text = {category_text(c): c for c in self._categories}

    def chosen(self) -> CategoryInfo | None:
        """The category whose text the field holds, or None."""
        return self._by_text.get(self.text().strip())

    def choose(self, category: CategoryInfo) -> None:
        self.setText(category_text(category))

    def popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None  # a completer always makes one
        return popup

    def suggestions(self) -> list[str]:
        """The texts the popup offers now, best first."""
        return self._model.stringList()

    # ---- Private slots

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        self._update_timer.start()  # after the key event, not inside it

    @Slot()
    def _update_suggestions(self) -> None:
        text = self.text()
        found = [] if self.chosen() else rank_categories(text, self._categories,
                                                          limit=SUGGESTIONS)
        self._model.setStringList([category_text(c) for c in found])
        if found and self.isVisible():
            self._completer.complete()
        else:
            self.popup().hide()

    @Slot(str)
    def _on_completer_activated(self, text: str) -> None:
        category = self._by_text.get(text)
        if category is None:
            return
        self.setText(text)
        self.sig_chosen.emit(category)
