"""``seatdesk calendar``, ``seatdesk standards`` and ``seatdesk scheduler``: the working
calendar, the time-limit standard and the deadline sweep, for administrators."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import click
from rich.table import Table

from seatdesk import config
from seatdesk.cli.common import CommandGroup, console, err_console, owner, reported
from seatdesk.db.engine import session_factory
from seatdesk.domain.glossary import CaseType


@click.group(cls=CommandGroup)
def calendar() -> None:
    """The working calendar: holiday schedules, local days off, extra working days."""


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="", help="Where the schedule comes from (国务院办公厅通知…).")
def calendar_import(file: Path, note: str) -> None:
    """Enter a year's schedule from FILE (CSV or xlsx: date, holiday|workday, name)."""
    from seatdesk.services import calendar as service

    with reported():
        days = service.read_schedule(file)
        _, engine = owner()
        with session_factory(engine).begin() as session:
            changed = service.import_schedule(session, days, note=note or file.name)
        years = sorted({d.day.year for d in days})
        console.print(
            f"{len(days)} days entered for {', '.join(map(str, years))}; "
            f"{len(changed.case_ids)} open deadline(s) recomputed"
        )


@calendar.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--off", "kind", flag_value="off", help="A day off (a local event).")
@click.option("--working", "kind", flag_value="working", help="An extra working day.")
@click.option("--clear", "kind", flag_value="clear", help="Remove the override.")
@click.option("--name", default="", help="Why (台风停工, 防汛调休 …).")
def calendar_set(day: object, kind: str | None, name: str) -> None:
    """Override one DAY (YYYY-MM-DD) of the calendar."""
    from seatdesk.services import calendar as service

    if kind is None:
        raise click.UsageError("say --off, --working or --clear")
    with reported():
        _, engine = owner()
        with session_factory(engine).begin() as session:
            working = None if kind == "clear" else kind == "working"
            changed = service.set_day(session, day.date(), working=working, name=name)  # type: ignore[attr-defined]
        console.print(f"{len(changed.case_ids)} open deadline(s) recomputed")


@calendar.command("show")
@click.argument("year", type=int)
def calendar_show(year: int) -> None:
    """Print YEAR's days off on weekdays and working days on weekends."""
    from seatdesk.services import calendar as service

    with reported():
        _, engine = owner()
        with session_factory(engine).begin() as session:
            view = service.show_year(session, year)
        source = {
            "package": "statutory holidays (chinesecalendar)",
            "entered": "entered by an administrator",
            "weekdays": "UNKNOWN: plain weekdays are counted",
        }[view.source]
        table = Table(title=f"{year}: {source}")
        table.add_column("date")
        table.add_column("weekday")
        table.add_column("")
        table.add_column("name")
        for d, working, day_name in view.days:
            table.add_row(d.isoformat(), "一二三四五六日"[d.weekday()],
                          "上班 working" if working else "休 day off", day_name)
        console.print(table)
        if not view.known:
            from seatdesk import messages

            err_console.print(messages.t("calendar_missing", years=year))


@click.group(cls=CommandGroup)
def standards() -> None:
    """The time-limit standard (立结案标准) as the Excel sheet cities publish."""


@standards.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--type", "case_type", type=click.Choice([t.value for t in CaseType]),
              default=CaseType.COMPONENT.value, show_default=True)
def standards_export(file: Path, case_type: str) -> None:
    """Write the standard of the 部件 (component) or 事件 (event) catalogue to FILE."""
    from seatdesk.services import standards as service

    with reported():
        _, engine = owner()
        with session_factory(engine).begin() as session:
            n = service.export_standard(session, file, case_type)
        console.print(f"{n} filing conditions written to {file}")


@standards.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--type", "case_type", type=click.Choice([t.value for t in CaseType]),
              default=CaseType.COMPONENT.value, show_default=True)
@click.option("--check", "check_only", is_flag=True,
              help="Show what the sheet would change; write nothing.")
def standards_import(file: Path, case_type: str, check_only: bool) -> None:
    """Load the county's standard from FILE, as the admin panel's preview and apply do:
    classes the sheet names and the catalogue lacks are added; a bad row imports
    nothing."""
    from seatdesk import messages
    from seatdesk.services import standard_preview as service

    with reported():
        _, engine = owner()
        with session_factory(engine).begin() as session:
            if check_only:
                preview = service.preview_standard(session, file, case_type)
                for bad in preview.bad:
                    err_console.print(bad.sentence())
            else:
                preview = service.import_standard_file(session, file, case_type)
        console.print(messages.t(
            "standard_checked" if check_only else "standard_imported", file=file.name,
            classes=len(preview.new_classes), added=preview.count(service.RowChange.ADDED),
            changed=preview.count(service.RowChange.CHANGED),
            unchanged=preview.count(service.RowChange.UNCHANGED), bad=len(preview.bad)))


@click.command()
@click.option("--once", is_flag=True, help="Sweep once and exit.")
def scheduler(once: bool) -> None:
    """Run the deadline sweep every minute, the monthly report job and, for the embedded
    database, the nightly backup (headless)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from seatdesk import scheduler as jobs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for noisy in ("pgserver", "alembic", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    with reported():
        address, engine = owner()
        sessions = session_factory(engine)
        if once:
            flagged = jobs.sweep_job(sessions)
            console.print(f"{max(flagged, 0)} case(s) flagged")
            return
        runner = BlockingScheduler(timezone=address.timezone)
        settings = config.load_settings()
        folder = settings.report_folder
        nightly = jobs.nightly_backup(settings, address)
        jobs.add_jobs(runner, sessions, address.timezone, folder, nightly=nightly)
        console.print(f"scheduler running against {address.where()} (Ctrl+C stops it); "
                      f"monthly reports into {folder}"
                      + (f"; nightly backups at {nightly.hour}:30 into {nightly.folder}, "
                         f"the last {nightly.keep} kept" if nightly else ""))
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            runner.start()


