"""``seatdesk report`` and ``seatdesk stats``: the inspector's Excel files from the
command line, with a progress bar.

    seatdesk report --month 2026-11 [--folder DIR]
        the monthly 智慧城市运营监控与数据分析报告 of that month into DIR (default: here)
    seatdesk stats export --from 2026-11-01 --to 2026-11-30 [filters] --out FILE
        the statistics of those days (both included) as a workbook with charts
    seatdesk stats cases --from … --to … [filters] --out FILE
        the detailed case list of those days (cases reported then), phones masked

Filters: ``--department CODE``, ``--category ID`` (a major class takes its minor
ones), ``--grid CODE``, ``--street CODE`` (9 digits), ``--community CODE`` (12 digits),
``--source``. The statistics are the ones ``seatdesk.services.stats_tables`` lists:
the report's through ``monthly_report.default_source()`` (every statistic but the
indices, which its summary shows), the export's all of them. Every command reads as
a seat login (``--as``, or ``SEATDESK_USER``; the password from ``SEATDESK_PASSWORD``
or a prompt), through row-level security: a department's seat gets its own
department's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

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
from seatdesk.db.reporting import Workload
from seatdesk.domain.glossary import Source
from seatdesk.domain.statistics import Month, StatsFilter

_DAY = click.DateTime(["%Y-%m-%d"])


@click.command("report")
@click.option("--month", "month_text", required=True, metavar="YYYY-MM",
              help="The month, e.g. 2026-11.")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where the report is written.")
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
def report(month_text: str, folder: Path, as_login: str | None) -> None:
    """The monthly report (智慧城市运营监控与数据分析报告) of --month."""
    from seatdesk.services import monthly_report

    try:
        month = Month.parse(month_text)
    except ValueError:
        fail(messages.t("report.bad_month", value=month_text), 2)
    with reported(), progress_bar() as bar, \
            transaction(as_login, Workload.MONTHLY_REPORT) as session:
        path = monthly_report.write_monthly_report(
            session, month, folder, source=monthly_report.default_source(),
            progress=BarProgress(bar),
        )
    console.print(messages.t("report.written", path=path))


@click.group(cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
@click.pass_context
def stats(ctx: click.Context, as_login: str | None) -> None:
    """Statistics and the detailed case list to Excel. Run as a seat login (--as,
    SEATDESK_USER; password from SEATDESK_PASSWORD or a prompt)."""
    ctx.obj = as_login


def _filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--from", "first", required=True, type=_DAY, help="First day."),
        click.option("--to", "last", required=True, type=_DAY, help="Last day (included)."),
        click.option("--department", help="Department code."),
        click.option("--category", "category_id", type=int, help="Category id."),
        click.option("--grid", help="Unit grid code (15 digits)."),
        click.option("--street", help="Street code (9 digits)."),
        click.option("--community", help="Community code (12 digits)."),
        click.option("--source", type=click.Choice([s.value for s in Source]),
                     help="Where the reports came from."),
        click.option("--out", "out", required=True,
                     type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx file."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@stats.command("export")
@_filter_options
@click.pass_obj
def stats_export(as_login: str | None, /, first: datetime, last: datetime, out: Path,
                 **filters: Any) -> None:
    """The statistics of --from … --to as a workbook with charts."""
    from seatdesk.services import stats_tables

    _check_period(first.date(), last.date())
    with reported(), progress_bar() as bar, \
            transaction(as_login, Workload.EXPORT) as session:
        f = _filter(session, first.date(), last.date(), filters)
        stats_tables.export_statistics(session, f, out, BarProgress(bar))
    console.print(messages.t("workbook.written", path=out))


@stats.command("cases")
@_filter_options
@click.pass_obj
def stats_cases(as_login: str | None, /, first: datetime, last: datetime, out: Path,
                **filters: Any) -> None:
    """The detailed case list of the cases reported --from … --to."""
    from seatdesk.services import case_list

    _check_period(first.date(), last.date())
    with reported(), progress_bar() as bar, \
            transaction(as_login, Workload.EXPORT) as session:
        f = _filter(session, first.date(), last.date(), filters)
        result = case_list.export_case_list(session, f, out, BarProgress(bar))
    console.print(messages.t("caselist.written", rows=result.rows, path=result.path))


def _check_period(first: date, last: date) -> None:
    if last < first:
        fail(messages.t("report.bad_period", first=first, last=last), 2)


def _filter(session: Any, first: date, last: date, filters: dict[str, Any]) -> StatsFilter:
    from seatdesk.services.monthly_report import days_filter

    return days_filter(session, first, last, **{k: v for k, v in filters.items() if v is not None})
