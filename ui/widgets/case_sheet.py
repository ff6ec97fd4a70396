"""The case sheet (案卷单) on paper or in a PDF: the core's HTML
(``seatdesk.services.case_sheet``) laid out in a ``QTextDocument`` with the photos'
thumbnails as its images, printed through Qt's print dialog or written as a PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from seatdesk.services.case_sheet import case_sheet_html, photo_name
from seatdesk.services.photos import PhotoInfo
from seatdesk.services.queues import CaseDetail, TimelineEvent


def sheet_document(
    case: CaseDetail,
    events: Sequence[TimelineEvent],
    photos: Sequence[PhotoInfo],
    department_name: str | None,
) -> QTextDocument:
    """The sheet laid out, its photos added as the images the HTML names."""
    document = QTextDocument()
    for photo in photos:
        if photo.thumbnail:
            image = QImage()
            if image.loadFromData(photo.thumbnail):
                document.addResource(
                    QTextDocument.ResourceType.ImageResource, QUrl(photo_name(photo)), image
                )
    document.setHtml(case_sheet_html(case, events, photos, department_name=department_name))
    return document


def a4_printer(mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def save_pdf(document: QTextDocument, path: Path, title: str = "") -> None:
    """Write the sheet to ``path`` as a PDF (A4)."""
    printer = a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(title)
    document.print_(printer)


def print_dialog(document: QTextDocument, parent: QWidget | None, title: str) -> QPrintDialog:
    """Qt's print dialog for the sheet (opened, not blocking); printing on OK."""
    printer = a4_printer()
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    # The connection keeps the document and the printer as long as the dialog lives.
    dialog.accepted.connect(lambda: document.print_(printer))
    return dialog
