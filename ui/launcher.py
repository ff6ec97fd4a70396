"""The ``seatdesk`` command: the desktop app with no command, the tools with one.

It lives outside the core so that ``seatdesk/`` never imports Qt: the core's CLI
(``seatdesk.cli``) handles every sub-command, and this module only decides which of the
two a command line asks for.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from seatdesk.cli import main as cli

    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in cli.commands for a in args) or any(a in ("-h", "--help") for a in args):
        return _run_cli(cli, args)
    try:
        from ui.app import run
    except ImportError:  # the desktop app is not part of this build
        return _run_cli(cli, [*args, "--help"])
    return run(args)


def _run_cli(cli: object, args: list[str]) -> int:
    try:
        cli.main(args=args, prog_name="seatdesk")  # type: ignore[attr-defined]
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
