"""``seatdesk assessment``: the staff assessment (考核) of a month to Excel.

    seatdesk assessment export --month 2026-11 FILE
        the month's ranking (bottom and 末位淘汰 flags) and its entries as a workbook

Run as a manager's seat login (``--as``, or ``SEATDESK_USER``; the password from
``SEATDESK_PASSWORD`` or a prompt): the database decides who may read the ranking.
"""

from __future__ import annotations

from pathlib import Path

import click

from seatdesk import messages
from seatdesk.cli.common import (
    BarProgress,
    CommandGroup,
    console,
    fail,
    progress_bar,
    reported,
    transaction,
)
from seatdesk.domain.statistics import Month


@click.group(cls=CommandGroup)
def assessment() -> None:
    """Staff assessment (考核): the monthly ranking to Excel."""


@assessment.command("export")
@click.option("--month", "month_text", required=True, metavar="YYYY-MM",
              help="The month, e.g. 2026-11.")
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(month_text: str, as_login: str | None, file: Path) -> None:
    """The ranking and entries of --month into FILE (.xlsx)."""
    from seatdesk.services import assessment_workbook

    try:
        month = Month.parse(month_text)
    except ValueError:
        fail(messages.t("assessment.bad_month", value=month_text), 2)
    with reported(), progress_bar() as bar, transaction(as_login) as session:
        path = assessment_workbook.export_month(session, month, file, BarProgress(bar))
    console.print(messages.t("assessment.written", month=str(month), path=path))
