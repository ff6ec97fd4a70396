"""``scripts/render_workbook.py``: a workbook with charts, drawn by LibreOffice headless
(the proof CI gives that the monthly report opens outside Python, and the pictures of
docs/). Needs LibreOffice and poppler (``install_system_packages.sh --report-tools``):
without them these tests fail, naming that command."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from PIL import Image

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_workbook.py"

pytestmark = pytest.mark.usefixtures("report_tools")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_workbook", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _book(path: Path, *, chart_title: str = "各部门按期处置率") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "部门考核"
    ws.append(["处置部门", "应处置数", "按期处置率"])
    for name, due, rate in [("市政公用局", 120, 0.85), ("环境卫生处", 95, 0.947),
                            ("园林绿化局", 60, 0.683)]:
        ws.append([name, due, rate])
    chart = BarChart()
    chart.title = chart_title
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=4))
    ws.add_chart(chart, "E2")
    other = wb.create_sheet("来源")
    other.append(["问题来源", "上报数"])
    other.append(["12319热线", 42])
    wb.save(path)
    return path


def test_a_workbook_becomes_a_pdf_page_and_a_picture_per_sheet(tmp_path: Path) -> None:
    book = _book(tmp_path / "月报.xlsx")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(SCRIPT), str(book), str(out), "--check"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 page(s)" in result.stdout  # one per sheet
    assert "chart '各部门按期处置率': drawn" in result.stdout
    pictures = sorted(out.glob("月报-*.png"))
    assert [p.name for p in pictures] == ["月报-1.png", "月报-2.png"]
    with Image.open(pictures[0]) as first:
        width, height = first.size
        # The table and the chart side by side: wider than tall, and not blank.
        assert width > height > 100
        darkest, lightest = first.convert("L").getextrema()
        assert darkest < 100 and lightest == 255


def test_the_check_names_a_chart_the_pdf_does_not_show(tmp_path: Path) -> None:
    module = _script()
    drawn = module.to_pdf(_book(tmp_path / "a.xlsx", chart_title="每日案卷数"), tmp_path / "a")
    expected = _book(tmp_path / "b.xlsx", chart_title="各部门按期处置率")
    problems = module.check(expected, drawn)
    assert problems == ["the chart '各部门按期处置率' was not drawn"]
