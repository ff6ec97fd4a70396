"""``python -m seatdesk.cli``: the command line without the desktop launcher."""

from __future__ import annotations

from seatdesk.cli import main

if __name__ == "__main__":  # imported by tools that walk the package: run only as a script
    main()
