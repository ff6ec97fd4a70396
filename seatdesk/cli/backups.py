"""``seatdesk backup`` and ``seatdesk restore``: the embedded database to a file and
back, with PostgreSQL's own ``pg_dump``/``pg_restore`` (custom format), a progress bar,
and one sentence for whatever goes wrong.

    seatdesk backup FILE            FILE (custom format) and FILE.roles beside it
    seatdesk restore FILE [--force] replace the database with FILE; refused over newer
                                    data unless --force; prints what it then holds

A shared server is backed up with its own tools (docs/operations.md, "Backups").
"""

from __future__ import annotations

from pathlib import Path

import click

from seatdesk import config, messages
from seatdesk.cli.common import BarProgress, console, progress_bar, reported
from seatdesk.db import backup as backups
from seatdesk.db.engine import ServerAddress
from seatdesk.db.server import open_database, server_address
from seatdesk.errors import Problem


def _embedded() -> ServerAddress:
    settings = config.load_settings()
    address = server_address(settings)
    if not address.embedded:
        raise Problem("backup_shared_server", where=address.where())
    return address


def _when(summary: backups.Summary) -> str:
    return summary.newest_event.isoformat(sep=" ", timespec="seconds") \
        if summary.newest_event else "—"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
def backup(file: Path) -> None:
    """Back the embedded database up into FILE (pg_dump custom format).

    FILE.roles is written beside it (mode 0600): the seat logins and their password
    verifiers, which a restore into a fresh data directory needs. Keep both together.
    """
    with reported(), progress_bar() as bar:
        address = _embedded()
        summary = backups.backup(address, file, BarProgress(bar))
    console.print(messages.t("backup_done", file=str(file), cases=summary.cases,
                             events=summary.events, newest=_when(summary)))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace the database even when it holds newer data than FILE.")
def restore(file: Path, force: bool) -> None:
    """Replace the embedded database with the backup FILE.

    The backup is restored into a new database and swapped in only when complete, so
    the database is never left half restored. Refused when the database holds newer
    data (a later event, or more events) unless --force. Close the desks first: their
    sessions are ended. Seat logins missing from this server are created from
    FILE.roles with the passwords they had.
    """
    with reported():
        address = _embedded()
        with progress_bar() as bar:
            backups.restore(address, file, force=force, progress=BarProgress(bar))
        # Opened as the desk opens it: an older backup's schema is upgraded here.
        _, engine = open_database(config.load_settings())
        engine.dispose()
        summary = backups.summary_of(address)
    console.print(messages.t("restore_done", file=str(file), cases=summary.cases,
                             events=summary.events, newest=_when(summary)))
