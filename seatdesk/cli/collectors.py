"""``seatdesk collectors``: the field collectors' register and their weekly or monthly
report, from the command line.

    seatdesk collectors list [--search TEXT]
    seatdesk collectors add ID --name NAME [--staff-number N] [--phone P] [--device D]
    seatdesk collectors report --week 2026-W48 | --month 2026-11 FILE

ID is the name the collector's reports and tasks already carry (the intake's
``collector``). Changes are an administrator's (``--as``, or ``SEATDESK_USER``; the
password from ``SEATDESK_PASSWORD`` or a prompt), audited by the database; the report
is read through the seat's own privileges.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

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


@click.group("collectors", cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
@click.pass_context
def collectors(ctx: click.Context, as_login: str | None) -> None:
    """Field collectors (信息采集员): the register and their reports."""
    ctx.obj = as_login


@collectors.command("list")
@click.option("--search", default="", help="Part of an id, name, staff number, phone or device.")
@click.pass_obj
def collectors_list(as_login: str | None, search: str) -> None:
    """The register, with the number of grids each collector holds."""
    from seatdesk.services import collectors as service

    with reported(), transaction(as_login) as session:
        rows = service.list_collectors(session, search)
    if not rows:
        console.print(messages.t("collectors.none"))
        return
    table = Table("ID", messages.t("field.collector_name"), messages.t("field.staff_number"),
                  messages.t("field.collector_phone"), messages.t("field.device_id"),
                  messages.t("stats.col.collector_grids"), messages.t("field.active"))
    for c in rows:
        table.add_row(c.collector_id, c.name, c.staff_number or "", c.phone or "",
                      c.device_id or "", str(c.grids),
                      "" if c.active else messages.t("collectors.inactive"))
    console.print(table)


@collectors.command("add")
@click.argument("collector_id")
@click.option("--name", required=True, help="The collector's name.")
@click.option("--staff-number", help="Staff number (letters, digits, - and _).")
@click.option("--phone", help="Mobile or landline.")
@click.option("--device", "device_id", help="The id of the collector's device (采集器).")
@click.pass_obj
def collectors_add(as_login: str | None, collector_id: str, name: str,
                   staff_number: str | None, phone: str | None, device_id: str | None) -> None:
    """Register COLLECTOR_ID (or change it: the same id is the same collector)."""
    from seatdesk.services import collectors as service

    with reported(), transaction(as_login) as session:
        service.save_collector(session, collector_id=collector_id, name=name,
                               staff_number=staff_number, phone=phone, device_id=device_id)
    console.print(messages.t("collectors.saved", id=collector_id))


@collectors.command("report")
@click.option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2026-W48.")
@click.option("--month", metavar="YYYY-MM", help="A month, e.g. 2026-11.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def collectors_report(as_login: str | None, week: str | None, month: str | None,
                      file: Path) -> None:
    """The collectors' weekly (周报) or monthly (月报) report as a workbook FILE."""
    from seatdesk.services.collector_reports import ReportPeriod, write_collector_report

    if (week is None) == (month is None):
        fail(messages.t("collectors.one_period"), 2)
    try:
        period = ReportPeriod.week(week) if week else ReportPeriod.month(str(month))
    except ValueError:
        key = "collectors.bad_week" if week else "report.bad_month"
        fail(messages.t(key, value=week or month), 2)
    with reported(), progress_bar() as bar, transaction(as_login) as session:
        path = write_collector_report(session, period, file, BarProgress(bar))
    console.print(messages.t("collectors.written", path=path))
