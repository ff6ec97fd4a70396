"""What every ``seatdesk`` command shares: the consoles, one-sentence failures, the
progress bar, opening the database (as its owner or as a seat login), and the group
class that answers a mistyped command.

The command modules (``db``, ``demo``, ``users``, ``grids``, ``deadlines``) import this
module and never each other; this module imports none of them (an import-linter
contract in ``pyproject.toml`` keeps it so).
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk import config, messages
from seatdesk.db.engine import ServerAddress, connect, session_factory, translated_errors
from seatdesk.db.reporting import ReportingRouter, Workload
from seatdesk.db.server import open_database
from seatdesk.errors import ConnectionProblem, SeatdeskError

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int) -> NoReturn:
    """End the command with ``message`` on stderr and exit code ``code``."""
    # soft_wrap: a sentence stays one line however narrow the console (a log, a pipe).
    err_console.print(f"[bold red]seatdesk:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


@contextmanager
def reported() -> Iterator[None]:
    """Turn seatdesk's errors into one sentence and an exit code (2: the connection)."""
    try:
        yield
    except ConnectionProblem as exc:
        fail(str(exc), 2)
    except SeatdeskError as exc:
        fail(str(exc), 1)
    except DBAPIError as exc:
        primary = getattr(getattr(exc.orig, "diag", None), "message_primary", None)
        fail(f"the database refused the request: {primary or exc.orig}", 1)


# ---- Progress


def progress_bar(*, transient: bool = False) -> RichProgress:
    """A progress bar on stderr: the step, the bar, steps done of all, time taken.

    A ``transient`` bar vanishes when the work ends and stays silent when stderr is not
    a terminal, for commands whose result is the only thing a log should keep.
    """
    return RichProgress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=transient,
        disable=transient and not err_console.is_terminal,
    )


class BarProgress:
    """``seatdesk.progress.Progress`` shown as a rich progress bar."""

    def __init__(self, bar: RichProgress) -> None:
        self._bar = bar
        self._task = bar.add_task("", total=None)

    def start(self, total: int) -> None:
        self._bar.update(self._task, total=total)

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._task, steps)

    def status(self, text: str) -> None:
        self._bar.update(self._task, description=text)

    def cancelled(self) -> bool:
        return False


# ---- The database


def owner() -> tuple[ServerAddress, Engine]:
    """The configured database (the embedded one, started if need be) and its engine."""
    return open_database(config.load_settings())


def acting_address(address: ServerAddress, login: str | None) -> ServerAddress:
    """The address to act with: a seat login (``--as``), or the configured one."""
    if not login:
        return address
    password = os.environ.get("SEATDESK_PASSWORD")
    if password is None:
        password = click.prompt(f"Password for {login}", hide_input=True, err=True)
    return address.for_login(login, password)


@contextmanager
def transaction(
    as_login: str | None = None, workload: Workload | None = None
) -> Iterator[Session]:
    """One transaction as the configured login, or as the seat login ``as_login`` (whose
    password comes from ``SEATDESK_PASSWORD`` or a prompt); committed when the block
    ends without an error. A heavy reader names its ``workload``: it reads the centre's
    replica when one is configured and healthy (``seatdesk.db.reporting``)."""
    address, engine = owner()
    if as_login:
        address = acting_address(address, as_login)
        engine = connect(address)
    settings = config.load_settings()
    if workload is not None and settings.reporting_url and not address.embedded:
        router = ReportingRouter.from_settings(settings, engine, address)
        route = router.route(workload)
        if not route.on_replica:
            err_console.print(f"[yellow]{escape(router.note(route))}[/]", soft_wrap=True)
        if route.engine is not engine:
            address = router.replica_address or address
            engine = route.engine
    with translated_errors(address), session_factory(engine).begin() as s:
        yield s


@contextmanager
def transactions(as_login: str | None = None) -> Iterator[Callable[[], Any]]:
    """Like ``transaction``, but a factory of transactions as that login (one password
    prompt), each committed when its block ends without an error: a reveal of personal
    data commits its audit before it reads (migration 0019)."""
    address, engine = owner()
    if as_login:
        address = acting_address(address, as_login)
        engine = connect(address)
    with translated_errors(address):
        yield session_factory(engine).begin


# ---- Commands


class UnknownCommand(click.UsageError):
    """A word that is none of a group's commands: one sentence, with the closest command
    when there is one, and exit code 2 (click's usage errors)."""

    def show(self, file: IO[Any] | None = None) -> None:
        target = Console(file=file) if file is not None else err_console
        target.print(f"[bold red]seatdesk:[/] {escape(self.message)}", highlight=False,
                     soft_wrap=True)


class CommandGroup(click.Group):
    """A click group that answers a mistyped command with one sentence and exit code 2,
    naming the closest command (``seatdesk reprot``, ``seatdesk user lsit``)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if (
            self.get_command(ctx, name) is None
            and not ctx.resilient_parsing
            and not name.startswith("-")  # an option: click's own parsing reports it
        ):
            raise UnknownCommand(unknown_command(ctx.command_path, name, self.list_commands(ctx)))
        return super().resolve_command(ctx, args)


def unknown_command(program: str, word: str, commands: list[str]) -> str:
    """The sentence for ``word`` that is none of ``program``'s ``commands``."""
    close = difflib.get_close_matches(word, commands, n=1)
    if close:
        return messages.t("cli.unknown_command", program=program, word=word, match=close[0])
    return messages.t("cli.unknown_command_list", program=program, word=word,
                      commands=", ".join(sorted(commands)))
