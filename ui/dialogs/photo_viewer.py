"""A photo at full size, read from the database on a worker thread when opened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from seatdesk.services import photos as photo_service
from seatdesk.services.photos import PhotoInfo
from ui.desk import Desk
from ui.labels import format_time, label
from ui.tasks import QueryOp


class PhotoViewer(QDialog):
    """One photo, enlarged; Esc closes it."""

    def __init__(self, desk: Desk, photo: PhotoInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._photo = photo
        self._build_ui()
        QueryOp(
            desk.tasks,
            self,
            op=lambda s: photo_service.photo_data(s, photo.id),
            success=self._on_loaded,
        ).run()

    def _build_ui(self) -> None:
        self.setWindowTitle(self._photo.filename or self.tr("Photo"))
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        self.image = QLabel(self.tr("Loading…"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        layout.addWidget(scroll, 1)
        caption = self.tr("{step} · uploaded by {who} at {when}").format(
            step=label(self._photo.step),
            who=self._photo.uploaded_by,
            when=format_time(self._photo.uploaded_at),
        )
        layout.addWidget(QLabel(caption))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # ---- Private slots

    def _on_loaded(self, data: bytes) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.image.setText(self.tr("This photo cannot be shown."))
            return
        self.image.setPixmap(pixmap)
