"""The grids tab as an administrator drives it: a hand-made grid file previewed, then
applied; a bad file refused in one sentence with nothing written; a grid retired; the
grids exported — against the real database, with real clicks. A seat that is not an
admin neither gets the tab nor may write a grid with raw SQL."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pyproj import Transformer
from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import ui.map  # noqa: F401 - QtWebEngine before the QApplication, sandbox off as root
from seatdesk.domain.glossary import Role
from seatdesk.errors import PermissionDenied
from seatdesk.services import grids as service
from seatdesk.services.common import ChangeSet
from tests.core.conftest import LOGIN
from tests.ui.conftest import Owner, wait_idle
from tests.ui.driving import type_text
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.panels.admin_panel import AdminPanel
from ui.widgets.admin_grids import AdminGridsView

TIMEOUT = 30_000


def grid_file(path: Path, community: str, west: float, north: float,
              cells: tuple[tuple[int, int], ...] = ((0, 0), (1, 0), (0, 1), (1, 1)),
              first: int = 1) -> Path:
    """Square grids of one community, 200 m or so a side, numbered from ``first``."""
    size = 0.002
    features = []
    for seq, (col, row) in enumerate(cells, start=first):
        x0, y1 = west + col * size, north - row * size
        ring = [[x0, y1], [x0 + size, y1], [x0 + size, y1 - size], [x0, y1 - size], [x0, y1]]
        features.append({
            "type": "Feature",
            "properties": {"code": f"{community}{seq:03d}", "name": f"测试网格{seq}",
                           "start_date": "2026-01-01"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _county_as_it_was(owner: Owner) -> Iterator[None]:
    """The grids a test imports are removed after it: the UI tests share one database,
    and the map's tests count the demo county's 324 grids."""
    before = owner.scalar("SELECT coalesce(array_agg(code), '{}') FROM grids")
    yield
    with owner.engine.begin() as conn:
        conn.execute(text("DELETE FROM grids WHERE code <> ALL (:b)"), {"b": before})


@pytest.fixture
def view(qtbot: QtBot, desk_for: Callable[[str], Desk]) -> Iterator[AdminGridsView]:
    widget = AdminGridsView(desk_for(LOGIN[Role.ADMIN]))
    widget.resize(1200, 700)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_preview_then_apply_refuse_a_bad_file_retire_and_export(
    qtbot: QtBot, view: AdminGridsView, owner: Owner, tmp_path: Path,
    window_for: Callable[..., MainWindow],
) -> None:
    tasks = view._desk.tasks
    wait_idle(qtbot, tasks, TIMEOUT)
    # A community no demo grid is in, far from the demo's city: a rerun gets another.
    rng = random.Random()
    community = f"330326{rng.randint(900, 999)}{rng.randint(100, 999)}"
    west, north = 100.0 + rng.randint(0, 400) * 0.01, 30.0

    def count() -> int:
        return int(owner.scalar("SELECT count(*) FROM grids WHERE community_code = :c",
                                c=community))

    # ---- preview: what it would do, nothing written
    good = grid_file(tmp_path / "good.geojson", community, west, north)
    view.preview_path(good)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=TIMEOUT)
    assert view.preview is not None and view.preview.can_apply
    assert "add 4" in view.summary.text() and "end 0" in view.summary.text()
    assert view.problems.text() == ""
    assert view.apply_button.isEnabled()
    assert count() == 0

    # ---- apply: one transaction; the notice "grids" reaches this desk and another
    # seat's open desk (its map reloads the grids on it), the list follows
    other = window_for(Role.MONITOR)._desk.tasks

    def about_grids(changes: object, _initiator: object) -> bool:
        return isinstance(changes, ChangeSet) and "grids" in changes.entities

    with qtbot.waitSignal(other.sig_data_changed, timeout=TIMEOUT,
                          check_params_cb=about_grids), \
            qtbot.waitSignal(tasks.sig_data_changed, timeout=TIMEOUT,
                             check_params_cb=about_grids):
        qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: count() == 4, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: f"{community}004" in view.visible_keys(), timeout=TIMEOUT)
    assert "added 4" in view.summary.text()
    assert not view.apply_button.isEnabled()

    # ---- the search: any words of any column
    type_text(view.filter, f"{community}002")
    assert view.visible_keys() == [f"{community}002"]
    view.filter.clear()

    # ---- a file that overlaps the grids now stored: each problem one sentence
    overlapping = grid_file(tmp_path / "overlap.geojson", community, west, north,
                            cells=((0, 0),), first=5)
    view.preview_path(overlapping)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=TIMEOUT)
    assert view.preview is not None and not view.preview.can_apply
    assert view.preview.problems and f"{community}005" in view.problems.text()
    assert "refused" in view.summary.text()
    assert not view.apply_button.isEnabled()
    # ---- a file that is no grid file at all: one sentence, nothing written
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not json", encoding="utf-8")
    view.preview_path(junk)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=TIMEOUT)
    assert view.preview is not None and len(view.preview.problems) == 1
    assert "\n" not in view.problems.text() and view.problems.text().endswith(("。", "."))
    assert not view.apply_button.isEnabled()
    assert count() == 4

    # ---- retire a grid from a day to come; a second retire is refused in one sentence
    code = f"{community}003"
    on = date.today() + timedelta(days=30)
    assert view.select(code)
    assert view.retire_button.isEnabled()
    view.retire_date.setDate(QDate(on.year, on.month, on.day))
    qtbot.mouseClick(view.retire_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: owner.scalar("SELECT end_date FROM grids WHERE code = :c",
                                         c=code) == on, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: code in view.message.text(), timeout=TIMEOUT)
    wait_idle(qtbot, tasks, TIMEOUT)
    assert view.select(code)
    qtbot.mouseClick(view.retire_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, tasks, TIMEOUT)
    refusal = view.message.text()
    assert code in refusal and "\n" not in refusal and "applies from" not in refusal
    assert owner.scalar("SELECT end_date FROM grids WHERE code = :c", c=code) == on

    # ---- export: the current grids as GeoJSON, ours among them
    out = tmp_path / "out.geojson"
    view.export_path(out)
    qtbot.waitUntil(lambda: out.exists() and "out.geojson" in view.message.text(),
                    timeout=TIMEOUT)
    exported = json.loads(out.read_text("utf-8"))
    codes = {f["properties"]["code"] for f in exported["features"]}
    assert {f"{community}{s:03d}" for s in range(1, 5)} <= codes


def test_a_non_admin_gets_no_grids_tab_and_may_not_write_grids(
    desk_for: Callable[[str], Desk], owner: Owner
) -> None:
    dispatcher = desk_for(LOGIN[Role.DISPATCHER])
    with pytest.raises(PermissionDenied):
        AdminPanel(dispatcher)
    code = str(owner.scalar("SELECT code FROM grids WHERE end_date IS NULL ORDER BY code "
                            "LIMIT 1"))
    for login in (LOGIN[Role.DISPATCHER], LOGIN[Role.ACCEPTOR]):
        with pytest.raises(DBAPIError):
            owner.as_(login, lambda s: s.execute(
                text("UPDATE grids SET end_date = current_date WHERE code = :c"), {"c": code}))
        # Through the service: the database's refusal (0037), one sentence.
        with pytest.raises(PermissionDenied, match="grids_edit"):
            owner.as_(login, lambda s: service.retire_grid(
                s, code=code, on=date.today() + timedelta(days=1)))
    assert owner.scalar("SELECT end_date FROM grids WHERE code = :c", c=code) is None


def test_the_coordinate_system_typed_reads_a_projected_file(
    qtbot: QtBot, view: AdminGridsView, owner: Owner, tmp_path: Path
) -> None:
    """A file in CGCS2000 Gauss–Krüger metres that does not say so: read with the
    coordinate system the admin types, refused in one sentence with a bad one."""
    wait_idle(qtbot, view._desk.tasks, TIMEOUT)
    rng = random.Random()
    community = f"330326{rng.randint(900, 999)}{rng.randint(100, 999)}"
    lonlat = grid_file(tmp_path / "ll.geojson", community, 120.3, 40.0 + rng.randint(0, 90) * 0.01,
                       cells=((0, 0),))
    to_metres = Transformer.from_crs(4326, 4528, always_xy=True)
    data = json.loads(lonlat.read_text("utf-8"))
    ring = data["features"][0]["geometry"]["coordinates"][0]
    data["features"][0]["geometry"]["coordinates"][0] = [list(to_metres.transform(*p))
                                                         for p in ring]
    metres = tmp_path / "metres.geojson"
    metres.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    type_text(view.crs_edit, "EPSG:nonsense")
    view.preview_path(metres)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=TIMEOUT)
    assert view.preview is not None and len(view.preview.problems) == 1
    assert "EPSG:nonsense" in view.problems.text()
    assert not view.apply_button.isEnabled()

    view.crs_edit.clear()
    type_text(view.crs_edit, "EPSG:4528")
    view.preview_path(metres)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=TIMEOUT)
    assert view.preview is not None and view.preview.can_apply, view.problems.text()
    assert "add 1" in view.summary.text()
    assert owner.scalar("SELECT count(*) FROM grids WHERE community_code = :c",
                        c=community) == 0
