"""The unit grids (万米单元网格) in the admin panel: the current grids, searchable; a grid
file (GeoJSON or zipped shapefile) opened to see what it would add, change and end, and
every problem in one sentence, then applied in one transaction only when nothing is
wrong; a grid ended on a day; the grids exported as GeoJSON — what ``seatdesk grids``
does at the command line, for a centre that sets itself up in the desk."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from seatdesk.progress import Progress
from seatdesk.services import grids as service
from seatdesk.services import rules as rules_service
from seatdesk.services.rules import RulesEvent
from ui.desk import Desk
from ui.i18n import date_edit
from ui.labels import format_time
from ui.tasks import LongOp
from ui.widgets.admin_list import AdminListView
from ui.widgets.admin_rules_audit import word

FILE_FILTER = "GeoJSON (*.geojson *.json);;Shapefile (*.zip)"
# The changes of the grids the audit shows (of the chosen grid, or of all).
AUDIT_SHOWN = 200


@dataclass(frozen=True, slots=True)
class GridPreview:
    """What a file would do (``report``), or why it is refused (``problems``)."""

    path: Path
    crs: str | None
    report: service.ImportReport | None
    problems: tuple[str, ...]

    @property
    def can_apply(self) -> bool:
        return self.report is not None and not self.problems


def preview_file(session: Session, path: Path, crs: str | None,
                 progress: Progress) -> GridPreview:
    """Check ``path`` against the stored grids; writes nothing."""
    try:
        data = service.read_grid_file(path, crs=crs)
        report = service.import_grids(session, data, check_only=True, progress=progress)
    except service.InvalidGrids as exc:
        return GridPreview(path, crs, None, tuple(str(p) for p in exc.problems))
    return GridPreview(path, crs, report, ())


def apply_file(session: Session, preview: GridPreview,
               progress: Progress) -> service.ImportReport:
    """Import the previewed file, all or nothing: read and checked again, since the
    grids may have changed since the preview."""
    data = service.read_grid_file(preview.path, crs=preview.crs)
    return service.import_grids(session, data, progress=progress)


class AdminGridsView(AdminListView[service.GridInfo]):
    RELOAD_ON: ClassVar[frozenset[str]] = frozenset({"grids"})

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        self.preview: GridPreview | None = None
        super().__init__(desk, parent)
        self.open_button = self.add_button(self.tr("Import a grid file…"), "open",
                                           self._on_open_clicked)
        self.export_button = self.add_button(self.tr("Export the grids…"), "export",
                                             self._on_export_clicked)
        self.button_bar.addStretch(1)
        self.retire_date = date_edit(QDate.currentDate())
        self.retire_date.setObjectName("retire_date")
        self.button_bar.addWidget(QLabel(self.tr("No longer applies from")))
        self.button_bar.addWidget(self.retire_date)
        self.retire_button = self.add_button(self.tr("Retire the grid"), "retire",
                                             self._on_retire_clicked)
        self.retire_button.setEnabled(False)
        self._build_import()

    def _build_import(self) -> None:
        box = QVBoxLayout()
        line = QHBoxLayout()
        self.crs_edit = QLineEdit()
        self.crs_edit.setObjectName("crs")
        self.crs_edit.setPlaceholderText(
            self.tr("Coordinate system when the file does not say (e.g. EPSG:4528)"))
        self.apply_button = QPushButton(self.tr("Apply the import"))
        self.apply_button.setObjectName("apply")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        line.addWidget(self.crs_edit, 1)
        line.addWidget(self.apply_button)
        box.addLayout(line)
        self.summary = QLabel(self.tr("Import a grid file to see what it would change."))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.setWordWrap(True)
        box.addWidget(self.problems)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(2, box)

    # ---- The list

    def headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name"), self.tr("Community"), self.tr("Street"),
                self.tr("Since"), self.tr("Until")]

    def load(self, session: Session) -> list[service.GridInfo]:
        return service.grids_as_of(session)

    def cells(self, row: service.GridInfo) -> list[str]:
        return [row.code, row.name, row.community_code, row.community_code[:9],
                row.start_date.isoformat(), row.end_date.isoformat() if row.end_date else ""]

    def key(self, row: service.GridInfo) -> str:
        return row.code

    def audit_headers(self) -> list[str]:
        return [self.tr("When"), self.tr("By"), self.tr("Change"), self.tr("Grid"),
                self.tr("What")]

    def load_audit(self, key: str | None) -> Callable[[Session], Sequence[Any]]:
        # Every change of the grids, whoever made it (migration 0037's trigger).
        return lambda s: rules_service.rules_events(s, ("grids",), AUDIT_SHOWN, key=key)

    def audit_cells(self, event: RulesEvent) -> list[str]:
        return [format_time(event.at), event.actor, word(event.action), event.key,
                rules_service.describe_event(event)]

    def update_buttons(self, row: service.GridInfo | None) -> None:
        if hasattr(self, "retire_button"):
            self.retire_button.setEnabled(row is not None)

    # ---- Public API

    def preview_path(self, path: Path) -> None:
        """Read ``path`` and show what it would change (writes nothing)."""
        crs = self.crs_edit.text().strip() or None
        self.message.clear()
        self._show_preview(None)
        LongOp(self._desk.tasks, self, title=self.tr("Checking the grid file…"),
               op=lambda s, progress: preview_file(s, path, crs, progress),
               success=self._show_preview, failure=self._on_failed).run()

    def export_path(self, path: Path) -> None:
        self.message.clear()
        LongOp(self._desk.tasks, self, title=self.tr("Exporting the grids…"),
               op=lambda s, _progress: _export(s, path),
               success=lambda n: self.message.setText(
                   self.tr("{n} grids written to {file}").format(n=n, file=path.name)),
               failure=self._on_failed).run()

    def retire(self, code: str, on: date) -> None:
        self.change(lambda s: service.retire_grid(s, code=code, on=on),
                    self.tr("Grid {code} no longer applies from {day}.").format(
                        code=code, day=on.isoformat()))

    # ---- Private slots

    def _on_open_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import a grid file"), "",
                                              FILE_FILTER)
        if name:
            self.preview_path(Path(name))

    def _on_export_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the grids"),
                                              "grids.geojson", FILE_FILTER)
        if name:
            self.export_path(Path(name))

    def _on_retire_clicked(self) -> None:
        row = self.current()
        if row is not None:
            day = self.retire_date.date()
            self.retire(row.code, date(day.year(), day.month(), day.day()))

    def _on_apply_clicked(self) -> None:
        preview = self.preview
        if preview is None or not preview.can_apply:
            return
        self.apply_button.setEnabled(False)
        LongOp(self._desk.tasks, self, title=self.tr("Importing the grids…"),
               op=lambda s, progress: apply_file(s, preview, progress),
               writes=True, changes=lambda r: r.changes, success=self._on_applied,
               failure=self._on_failed).run()

    def _on_applied(self, report: service.ImportReport) -> None:
        self._show_preview(None)
        self.summary.setText(
            self.tr("Imported: added {added} · changed {changed} · ended {ended} · "
                "unchanged {unchanged}").format(
                added=len(report.added), changed=len(report.renamed),
                ended=len(report.ended), unchanged=report.unchanged))

    def _on_failed(self, error: BaseException) -> None:
        self.message.setText(str(error))
        self.apply_button.setEnabled(self.preview is not None and self.preview.can_apply)

    # ---- Private

    def _show_preview(self, preview: GridPreview | None) -> None:
        self.preview = preview
        self.apply_button.setEnabled(preview is not None and preview.can_apply)
        self.problems.setText("\n".join(preview.problems) if preview else "")
        if preview is None:
            self.summary.setText(self.tr("Import a grid file to see what it would change."))
        elif preview.report is None:
            self.summary.setText(self.tr("{file} is refused: {n} problems, nothing is imported.")
                                 .format(file=preview.path.name, n=len(preview.problems)))
        else:
            r = preview.report
            warnings = "".join(f"\n{w}" for w in r.warnings)
            self.summary.setText(
                self.tr("{file} would add {added} · change {changed} · end {ended} · "
                    "leave unchanged {unchanged}").format(
                    file=preview.path.name, added=len(r.added), changed=len(r.renamed),
                    ended=len(r.ended), unchanged=r.unchanged) + warnings)


def _export(session: Session, path: Path) -> int:
    data = service.export_grids(session)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return len(data["features"])
