"""``python main.py`` starts the seatdesk desktop application (a thin call into ui)."""

from __future__ import annotations

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
