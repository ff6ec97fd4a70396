"""``seatdesk intake``: take in collectors' reports and answers dropped as JSON files.

    seatdesk intake DIR [--watch] [--poll SECONDS] [--settle SECONDS] [--batch N]
    seatdesk intake map SERVICE_CODE CATEGORY_CODE [--type component|event]
    seatdesk intake map SERVICE_CODE --remove
    seatdesk intake services

``DIR`` is taken in once (or watched, ``--watch``: polled every ``--poll`` seconds, which
works on a shared network folder where change events do not arrive). It runs as a login
of the seat role ``intake`` (``--as`` / ``SEATDESK_USER``, password from
``SEATDESK_PASSWORD``; or ``SEATDESK_DATABASE_URL`` naming that login). SIGTERM and
Ctrl+C stop it after the current item: what was written is committed and moved. The
formats, the writers' convention and the crash safety are described in
``seatdesk/services/intake.py``; ``docs/intake.md`` has a systemd unit.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType

import click
from rich.table import Table

from seatdesk import messages
from seatdesk.cli.common import (
    BarProgress,
    CommandGroup,
    acting_address,
    console,
    err_console,
    fail,
    owner,
    progress_bar,
    reported,
    transaction,
)
from seatdesk.db.engine import connect, session_factory, translated_errors
from seatdesk.domain.glossary import CaseType
from seatdesk.services import intake as intake_service


class IntakeGroup(CommandGroup):
    """``seatdesk intake DIR …`` runs the intake; ``map`` and ``services`` are commands."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)


@click.group(cls=IntakeGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER",
              help="The intake login (an admin login for map).")
@click.pass_context
def intake(ctx: click.Context, as_login: str | None) -> None:
    """Take in collectors' items from a folder: seatdesk intake DIR [--watch]."""
    ctx.obj = as_login


class _Stop:
    """Set by SIGTERM or SIGINT: the run ends after the current item."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self) -> bool:
        return self.asked

    def ask(self, _signum: int, _frame: FrameType | None) -> None:
        self.asked = True


@intake.command("run", hidden=True)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--watch", is_flag=True, help="Keep watching the folder.")
@click.option("--poll", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Seconds between looks at the folder (with --watch).")
@click.option("--settle", type=click.FloatRange(min=0), default=intake_service.DEFAULT_SETTLE,
              show_default=True, help="Seconds a file must be unchanged before it is taken.")
@click.option("--batch", type=click.IntRange(min=1), default=intake_service.DEFAULT_BATCH,
              show_default=True, help="Items written per transaction.")
@click.pass_obj
def run(as_login: str | None, folder: Path, watch: bool, poll: float, settle: float,
        batch: int) -> None:
    """Take in every *.json item of FOLDER once, or keep watching it."""
    if not folder.is_dir():
        fail(messages.t("intake.no_folder", folder=folder), 1)
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop.ask)
    signal.signal(signal.SIGINT, stop.ask)
    with reported():
        address, engine = owner()
        if as_login:
            address = acting_address(address, as_login)
            engine = connect(address)
        factory = session_factory(engine)
        with translated_errors(address):
            if watch:
                console.print(messages.t("intake.watching", folder=folder, seconds=poll),
                              highlight=False)
            while True:
                with progress_bar(transient=True) as bar:
                    summary = intake_service.run_inbox(
                        factory.begin, folder, batch=batch, settle=settle,
                        progress=BarProgress(bar), stop=stop)
                if not watch or summary.accepted + summary.repeated + summary.rejected:
                    console.print(summary.sentence(), highlight=False)
                if stop() or not watch:
                    break
                waited = 0.0
                while waited < poll and not stop():
                    time.sleep(min(0.2, poll))
                    waited += 0.2
                if stop():
                    break
    if stop():
        err_console.print(messages.t("intake.stopped"), highlight=False)


@intake.command("map")
@click.argument("service_code")
@click.argument("category_code", required=False)
@click.option("--type", "case_type", type=click.Choice([t.value for t in CaseType]),
              help="component or event, when the code is both.")
@click.option("--remove", is_flag=True, help="Remove the mapping of SERVICE_CODE.")
@click.pass_obj
def map_service(as_login: str | None, service_code: str, category_code: str | None,
                case_type: str | None, remove: bool) -> None:
    """File Open311 requests of SERVICE_CODE under CATEGORY_CODE (an admin's step)."""
    if remove == (category_code is not None):
        raise click.UsageError("give CATEGORY_CODE, or --remove")
    with reported(), transaction(as_login) as s:
        intake_service.map_service(s, service_code, category_code,
                                   CaseType(case_type) if case_type else None)
    if remove:
        console.print(messages.t("intake.unmapped", code=service_code), highlight=False)
    else:
        console.print(messages.t("intake.mapped", code=service_code, category=category_code),
                      highlight=False)


@intake.command("services")
@click.pass_obj
def services(as_login: str | None) -> None:
    """List the Open311 service codes and the categories they file under."""
    with reported(), transaction(as_login) as s:
        rows = intake_service.service_mappings(s)
    table = Table("service_code", "type", "category", "name", "by", "at")
    for r in rows:
        table.add_row(r.service_code, r.case_type.value, r.category_code, r.category_name,
                      r.updated_by, f"{r.updated_at:%Y-%m-%d %H:%M}")
    console.print(table)
