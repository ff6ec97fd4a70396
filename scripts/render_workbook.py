"""An Excel workbook as LibreOffice draws it: .xlsx → PDF → one PNG per page.

    python scripts/render_workbook.py FILE.xlsx OUT_DIR            # PDF and PNG pages
    python scripts/render_workbook.py FILE.xlsx OUT_DIR --check    # + check the PDF
    python scripts/render_workbook.py FILE.xlsx OUT_DIR --pdf-only --check
    python scripts/render_workbook.py FILE.xlsx OUT_DIR --printed  # as printed on paper

LibreOffice Calc converts the workbook (``soffice --headless --convert-to pdf``, with a
profile of its own in a temporary folder, so that it runs beside an open LibreOffice
and as root); poppler's ``pdftoppm`` draws the pages (``--dpi``; ``--pages`` the first N;
``--max-height`` crops a long sheet's picture to its top). Both come from
``bash scripts/install_system_packages.sh --report-tools``.

By default each sheet becomes ONE page as large as its content (LibreOffice's
``SinglePageSheets``): a picture per sheet, its table and charts side by side as on a
screen, which is what docs/ shows. ``--printed`` keeps the workbook's own page setup
(paper size, orientation, page breaks) instead.

``--check`` is the proof that a workbook opens outside Python: the PDF has at least one
page per sheet that holds text, and the text of the PDF (``pdftotext``) holds the start
of each sheet's first text (its title or first header) and the title of every chart in
the workbook (LibreOffice draws a chart's title only when it drew the chart). It prints
what it found and exits 1 with one sentence per failed check.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

#: The longest a conversion may take (a monthly report converts in seconds).
CONVERT_TIMEOUT_S = 300
#: How much of a sheet's first text the PDF must show.
CELL_PREFIX = 8
_NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


class RenderError(Exception):
    """A conversion or a check that failed, in one sentence."""


@dataclass(frozen=True, slots=True)
class WorkbookFacts:
    """What the PDF must show: the sheets that hold anything, with their first header
    cell, and the charts' titles."""

    sheets: list[tuple[str, str | None]]
    chart_titles: list[str]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RenderError(
            f"{name} is not installed: bash scripts/install_system_packages.sh --report-tools"
        )
    return found


#: LibreOffice's PDF filter with each sheet on one page (JSON filter options: 7.4+).
_ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def to_pdf(workbook: Path, out_dir: Path, *, printed: bool = False) -> Path:
    """``workbook`` converted by LibreOffice into ``out_dir``; the PDF's path. Each sheet
    on one page, or (``printed``) paginated by the workbook's own page setup."""
    soffice = shutil.which("soffice") or _tool("libreoffice")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="seatdesk-lo-") as profile:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--nologo", "--nolockcheck",
             "--convert-to", "pdf" if printed else _ONE_PAGE_PER_SHEET,
             "--outdir", str(out_dir), str(workbook)],
            capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL,
        )
    pdf = out_dir / f"{workbook.stem}.pdf"
    if result.returncode != 0 or not pdf.is_file():
        said = (result.stderr or result.stdout).strip().splitlines()
        raise RenderError(f"LibreOffice did not convert {workbook.name} (exit code "
                          f"{result.returncode}): {said[-1] if said else 'no message'}")
    return pdf


def to_png(
    pdf: Path, out_dir: Path, *, dpi: int = 110, pages: int | None = None,
    max_height: int = 1600, margin: int = 16,
) -> list[Path]:
    """The PDF's pages as ``<stem>-<n>.png`` in ``out_dir`` (the first ``pages`` only),
    each cut to its top ``max_height`` pixels (a sheet of a thousand rows is a very long
    page) and set on a white ``margin``."""
    from PIL import Image, ImageOps

    out_dir.mkdir(parents=True, exist_ok=True)
    # -W 0 -H h: the full width, at most h pixels from the top (poppler clamps to the page).
    command = [_tool("pdftoppm"), "-png", "-r", str(dpi), "-W", "0", "-H", str(max_height)]
    if pages is not None:
        command += ["-f", "1", "-l", str(pages)]
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run([*command, str(pdf), str(out_dir / pdf.stem)], check=True,
                   capture_output=True, timeout=CONVERT_TIMEOUT_S)
    # pdftoppm numbers pages with as many digits as the last page has: 1 or 01.
    found = sorted(out_dir.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    written: list[Path] = []
    for path in found:
        n = int(path.stem.rsplit("-", 1)[1])
        target = out_dir / f"{pdf.stem}-{n}.png"
        with Image.open(path) as page:
            framed = ImageOps.expand(page.convert("RGB"), border=margin, fill="white")
        path.unlink()
        framed.save(target, optimize=True)
        written.append(target)
    return written


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise RenderError(f"pdfinfo found no page count in {pdf.name}")
    return int(match.group(1))


def pdf_text(pdf: Path) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def workbook_facts(workbook: Path) -> WorkbookFacts:
    """Read with openpyxl (cells) and from the package itself (chart titles: openpyxl
    keeps a chart's title as rich text, the XML states it plainly)."""
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    sheets: list[tuple[str, str | None]] = []
    for ws in book.worksheets:
        first: str | None = None
        # The first text (a title or a header): numbers are drawn in their number
        # format (0.853 as 85.3%), so their stored value is not what the PDF shows.
        for row in ws.iter_rows(max_row=10, values_only=True):
            first = next((v.strip() for v in row if isinstance(v, str) and v.strip()), None)
            if first is not None:
                break
        sheets.append((ws.title, first))
    book.close()
    titles: list[str] = []
    with zipfile.ZipFile(workbook) as package:
        for name in sorted(n for n in package.namelist()
                           if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(package.read(name))
            title = root.find("c:chart/c:title", _NS)
            if title is not None:
                text = "".join(t.text or "" for t in title.iterfind(".//a:t", _NS)).strip()
                if text:
                    titles.append(text)
    return WorkbookFacts(sheets=[s for s in sheets if s[1] is not None], chart_titles=titles)


def _squeezed(text: str) -> str:
    """Text without white space: pdftotext spaces out wide CJK glyphs and wraps lines."""
    return re.sub(r"\s+", "", text)


def check(workbook: Path, pdf: Path) -> list[str]:
    """The failed checks, one sentence each (empty: the PDF shows the workbook)."""
    facts = workbook_facts(workbook)
    pages = pdf_pages(pdf)
    size = pdf.stat().st_size
    text = _squeezed(pdf_text(pdf))
    print(f"{pdf.name}: {pages} page(s), {size:,} bytes; {len(facts.sheets)} sheet(s) with "
          f"content, {len(facts.chart_titles)} chart(s)")
    problems: list[str] = []
    if size < 2_000:
        problems.append(f"the PDF is only {size} bytes")
    if pages < max(len(facts.sheets), 1):
        problems.append(f"the PDF has {pages} page(s) for {len(facts.sheets)} sheet(s)")
    for sheet, first in facts.sheets:
        # Its beginning: a cell too narrow for its text is cut at the end.
        found = first is not None and _squeezed(first)[:CELL_PREFIX] in text
        print(f"  sheet {sheet!r}: first cell {first!r} {'found' if found else 'MISSING'}")
        if not found:
            problems.append(f"the text {first!r} of sheet {sheet!r} is not in the PDF")
    for title in facts.chart_titles:
        found = _squeezed(title) in text
        print(f"  chart {title!r}: {'drawn' if found else 'MISSING'}")
        if not found:
            problems.append(f"the chart {title!r} was not drawn")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pdf-only", action="store_true", help="no PNG pages")
    parser.add_argument("--printed", action="store_true",
                        help="paginate by the workbook's page setup (default: a page per sheet)")
    parser.add_argument("--check", action="store_true",
                        help="check that the PDF shows every sheet and chart")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--pages", type=int, default=None, help="draw the first N pages only")
    parser.add_argument("--max-height", type=int, default=1600,
                        help="cut each picture to its top N pixels")
    args = parser.parse_args(argv)
    if not args.workbook.is_file():
        print(f"render_workbook: no workbook at {args.workbook}", file=sys.stderr)
        return 1
    try:
        pdf = to_pdf(args.workbook, args.out_dir, printed=args.printed)
        print(f"PDF: {pdf}")
        if args.check:
            problems = check(args.workbook, pdf)
            if problems:
                for problem in problems:
                    print(f"render_workbook: {problem}", file=sys.stderr)
                return 1
        if not args.pdf_only:
            for png in to_png(pdf, args.out_dir, dpi=args.dpi, pages=args.pages,
                              max_height=args.max_height):
                print(f"PNG: {png}")
    except (RenderError, subprocess.SubprocessError) as exc:
        print(f"render_workbook: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
