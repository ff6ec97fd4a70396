"""``seatdesk assessment``: the staff assessment (考核) of a month to Excel.

    seatdesk assessment export --month 2026-11 FILE
        the month's ranking (bottom and 末位淘汰 flags) and its entries as a workbook
    seatdesk assessment settings [--base 100] [--bottom-n 1 | --bottom-share 0.1]
        show the centre's settings, or change them (an admin's login; audited)

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


@assessment.command("settings")
@click.option("--base", type=float, help="The score each member starts the month with.")
@click.option("--bottom-n", type=int, help="How many places from the bottom are flagged.")
@click.option("--bottom-share", type=float,
              help="Or the share of the staff flagged from the bottom (e.g. 0.1).")
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
def settings(base: float | None, bottom_n: int | None, bottom_share: float | None,
             as_login: str | None) -> None:
    """Show the assessment settings, or change those given."""
    from decimal import Decimal

    from seatdesk.services import assessment as service

    if bottom_n is not None and bottom_share is not None:
        fail(messages.t("assessment.bottom_twice"), 2)
    with reported(), transaction(as_login) as session:
        current = service.read_settings(session)
        if base is not None or bottom_n is not None or bottom_share is not None:
            share = None if bottom_share is None else Decimal(str(bottom_share))
            n = bottom_n if bottom_n is not None else (
                None if share is not None else current.bottom_n)
            if bottom_n is None and bottom_share is None:
                share = current.bottom_share
            current = service.Settings(
                base=current.base if base is None else Decimal(str(base)),
                bottom_n=None if share is not None else n, bottom_share=share)
            service.set_settings(session, current)
    bottom = (messages.t("assessment.bottom_share", share=f"{current.bottom_share:.0%}")
              if current.bottom_share is not None
              else messages.t("assessment.bottom_n", n=current.bottom_n))
    console.print(messages.t("assessment.settings", base=current.base, bottom=bottom))
