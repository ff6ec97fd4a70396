"""Refresh resources/i18n/seatdesk_zh_CN.ts from the tr() calls in ui/.

Run after adding or changing widget text, then fill every new
``<translation type="unfinished">``; tests/ui/test_i18n.py fails while one is left.
No source locations are written, so two branches that add strings merge cleanly.

    python scripts/update_translations.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "seatdesk_zh_CN.ts"


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))
    folder = Path(PySide6.__file__).parent
    lupdate = folder / "lupdate"
    command = [str(lupdate), "-locations", "none", "-no-obsolete", *sources, "-ts", str(TS)]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
