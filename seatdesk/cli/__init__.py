"""The ``seatdesk`` command's tools for the centre's administrators: database, users,
demo data, grids, the working calendar, the time-limit standard and the scheduler.
(With no command, ``ui.launcher`` starts the desktop app instead.)

One module per command group (``db``, ``demo``, ``users``, ``grids``, ``deadlines``,
``complaints``, ``intake``, ``reports``, ``collectors``, ``backups``, ``assessment``),
each importing only ``seatdesk.cli.common``; this module makes the ``main`` group and
registers theirs.

Every failure a person can cause or meet — a dead server, a wrong password, a bad
argument, a mistyped command — ends in one sentence on stderr and a non-zero exit code
(2 for the database connection and for a command line that means nothing), never a
traceback.
"""

from __future__ import annotations

import os

import click

from seatdesk.cli import (
    assessment,
    backups,
    collectors,
    complaints,
    db,
    deadlines,
    demo,
    grids,
    intake,
    reports,
    users,
)
from seatdesk.cli.common import CommandGroup


def _set_language(_ctx: click.Context, _param: click.Parameter, lang: str | None) -> None:
    # While the options are parsed, before click looks the command up, so that the
    # sentence for a mistyped command is in the language asked for too.
    if lang:
        os.environ["SEATDESK_LANG"] = lang


@click.group(cls=CommandGroup, invoke_without_command=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), callback=_set_language,
              expose_value=False, help="Language of the messages.")
@click.pass_context
def main(ctx: click.Context) -> None:
    """seatdesk — 智慧城管坐席 (the seat staff desktop of a city management centre).

    With no command, `seatdesk` starts the desktop application.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


main.add_command(db.db)
main.add_command(demo.demo)
main.add_command(users.user)
main.add_command(grids.grids)
main.add_command(deadlines.calendar)
main.add_command(deadlines.standards)
main.add_command(deadlines.scheduler)
main.add_command(complaints.complaints)
main.add_command(intake.intake)
main.add_command(reports.report)
main.add_command(reports.stats)
main.add_command(collectors.collectors)
main.add_command(backups.backup)
main.add_command(backups.restore)
main.add_command(assessment.assessment)

__all__ = ["main"]
