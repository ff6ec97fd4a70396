"""The ``seatdesk`` command: the desktop app with no command, the tools with one.

It lives outside the core so that ``seatdesk/`` never imports Qt: the core's CLI
(``seatdesk.cli``) handles every sub-command, and this module only decides which of the
two a command line asks for. A word where a command goes is always the CLI's, so a
mistyped command (``seatdesk reprot``) is answered by it — one sentence, the closest
command, exit code 2 — instead of opening the desktop.
"""

from __future__ import annotations

import sys

#: The desktop's own options that take a value (``ui.app.parse_args``): the word after
#: them is that value, not a command.
_DESKTOP_VALUE_OPTIONS = ("--lang", "--user")


def main(argv: list[str] | None = None) -> int:
    from seatdesk.cli import main as cli

    args = list(sys.argv[1:] if argv is None else argv)
    if wants_cli(args):
        return _run_cli(cli, args)
    try:
        from ui.app import run
    except ImportError:  # the desktop app is not part of this build
        return _run_cli(cli, [*args, "--help"])
    return run(args)


def wants_cli(args: list[str]) -> bool:
    """Whether ``args`` ask for the tools: help, or a word where a command goes (after
    ``--lang zh|en`` and ``--user LOGIN``). Anything else — no argument, the desktop's
    options, Qt's own (``-platform offscreen``) — opens the desktop."""
    if any(a in ("-h", "--help") for a in args):
        return True
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _DESKTOP_VALUE_OPTIONS:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in _DESKTOP_VALUE_OPTIONS)):
            i += 1
        else:
            return not arg.startswith("-")
    return False


def _run_cli(cli: object, args: list[str]) -> int:
    try:
        cli.main(args=args, prog_name="seatdesk")  # type: ignore[attr-defined]
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
