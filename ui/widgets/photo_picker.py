"""Photos chosen from files, shown as a list, read into ``Photo`` values on the GUI
thread (local files, not the network); the services check that each is an image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seatdesk.services.photos import MAX_PHOTO_MB, Photo


class PhotoPicker(QWidget):
    """A list of photo files with Add and Remove."""

    sig_changed = Signal()
    """The list of photos changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths: list[Path] = []
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(70)
        layout.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(self.tr("Add photos…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # ---- Public API

    def add_files(self, paths: list[str | Path]) -> None:
        for p in paths:
            path = Path(p)
            if path not in self._paths:
                self._paths.append(path)
                self.list.addItem(path.name)
        self.sig_changed.emit()

    def count(self) -> int:
        return len(self._paths)

    def problem(self) -> str | None:
        """A sentence naming the first file that cannot be sent, or None."""
        for path in self._paths:
            if not path.is_file():
                return self.tr("The file {name} no longer exists.").format(name=path.name)
            if path.stat().st_size > MAX_PHOTO_MB * 1024 * 1024:
                return self.tr("The file {name} is larger than {mb} MB.").format(
                    name=path.name, mb=MAX_PHOTO_MB
                )
        return None

    def photos(self) -> list[Photo]:
        return [Photo(data=p.read_bytes(), filename=p.name) for p in self._paths]

    # ---- Private slots

    @Slot()
    def _on_add_button_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Choose photos"),
            "",
            self.tr("Images (*.jpg *.jpeg *.png *.bmp *.gif *.webp);;All files (*)"),
        )
        if files:
            self.add_files(list(files))

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._paths):
            del self._paths[row]
            self.list.takeItem(row)
            self.sig_changed.emit()
