"""``seatdesk grids``: import, check, export and change the unit grids.

Runs as the configured database user (the schema owner), or as an admin seat with
``--as`` (password from ``SEATDESK_PASSWORD`` or a prompt). Every refusal is one
sentence per problem on stderr and exit code 1; nothing is written then.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import click
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk import messages
from seatdesk.cli.common import (
    BarProgress,
    CommandGroup,
    console,
    err_console,
    fail,
    progress_bar,
    reported,
    transaction,
)
from seatdesk.domain import grids as rules


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return rules.parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{value} is not a date (YYYYMMDD)") from None


def _warn(warnings: Iterable[object]) -> None:
    for w in warnings:
        err_console.print(f"[yellow]![/] {w}", highlight=False)


@click.group(cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Admin login to act as.")
@click.pass_context
def grids(ctx: click.Context, as_login: str | None) -> None:
    """Unit grids (万米单元网格): import, check, export, end and replace."""
    ctx.obj = as_login


@grids.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Check only; import nothing.")
@click.option("--crs", help="The file's coordinate system when it does not say (EPSG:4528).")
@click.option("--tolerance", default=rules.DEFAULT_TOLERANCE_M2, show_default=True,
              help="Overlaps and gaps up to this many m² are vertex noise.")
@click.pass_obj
def grids_import(
    as_login: str | None, file: Path, check_only: bool, crs: str | None, tolerance: float
) -> None:
    """Import grids from FILE (GeoJSON, or a zipped shapefile): all or nothing."""
    from seatdesk.services import grids as service

    with reported():
        data = service.read_grid_file(file, crs=crs)
        with transaction(as_login) as session:
            try:
                with progress_bar(transient=True) as bar:
                    report = service.import_grids(
                        session, data, check_only=check_only, tolerance_m2=tolerance,
                        progress=BarProgress(bar),
                    )
            except service.InvalidGrids as exc:
                _warn(exc.warnings)
                for problem in exc.problems:
                    err_console.print(f"[red]✗[/] {problem}", highlight=False)
                fail(messages.t("grid.refused", count=len(exc.problems)), 1)
            placed = 0
            if not check_only:
                placed = _place(session)
        _warn(report.warnings)
        if check_only:
            console.print(messages.t("grid.checked", file=file.name, count=report.checked))
        else:
            console.print(messages.t(
                "grid.imported", file=file.name, added=len(report.added),
                retired=len(report.ended), renamed=len(report.renamed),
                unchanged=report.unchanged, placed=placed,
            ))


def _place(session: Session) -> int:
    """Place the cases that lay outside every grid; an admin seat may not update cases,
    so for it this is skipped (the owner's next import does it)."""
    from seatdesk.services import grids as service

    try:
        with session.begin_nested():
            return len(service.place_cases(session).case_ids)
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) == "42501":
            return 0
        raise


@grids.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on", "on", help="The grids active on this day (YYYYMMDD); default today.")
@click.option("--all", "include_ended", is_flag=True, help="Every grid, ended ones too.")
@click.pass_obj
def grids_export(as_login: str | None, file: Path, on: str | None, include_ended: bool) -> None:
    """Export the grids to FILE as GeoJSON (longitude/latitude, dates YYYYMMDD)."""
    from seatdesk.services import grids as service

    day = _day(on)
    with reported(), transaction(as_login) as session:
        data = service.export_grids(session, on=day, include_ended=include_ended)
    file.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    console.print(messages.t("grid.exported", file=file.name, count=len(data["features"])))


@grids.command("retire")
@click.argument("code")
@click.option("--on", "on", required=True, help="The first day it no longer applies (YYYYMMDD).")
@click.pass_obj
def grids_retire(as_login: str | None, code: str, on: str) -> None:
    """End grid CODE (its code is never used again)."""
    from seatdesk.services import grids as service

    day = _day(on)
    assert day is not None
    with reported(), transaction(as_login) as session:
        service.retire_grid(session, code=code, on=day)
    console.print(messages.t("grid.retired", code=code, end=rules.format_date(day)))


@grids.command("replace")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--on", "on", required=True, help="The day the new grids start (YYYYMMDD).")
@click.option("--crs", help="The file's coordinate system when it does not say.")
@click.pass_obj
def grids_replace(as_login: str | None, code: str, file: Path, on: str, crs: str | None) -> None:
    """End grid CODE and put the polygons of FILE in its place, with new codes."""
    from seatdesk.services import grids as service

    day = _day(on)
    assert day is not None
    with reported():
        data = service.read_grid_file(file, crs=crs)
        geometries = [f["geometry"] for f in data["features"]]
        names = [(f.get("properties") or {}).get("name") or "" for f in data["features"]]
        with transaction(as_login) as session:
            try:
                new_codes, _ = service.replace_grid(
                    session, code=code, geometries=geometries, on=day,
                    names=[n for n in names if n] or None,
                )
            except service.InvalidGrids as exc:
                for problem in exc.problems:
                    err_console.print(f"[red]✗[/] {problem}", highlight=False)
                fail(messages.t("grid.refused", count=len(exc.problems)), 1)
    console.print(messages.t("grid.replaced", code=code, on=rules.format_date(day),
                                 new=", ".join(new_codes)))


@grids.command("locate")
@click.argument("lon", type=float)
@click.argument("lat", type=float)
@click.option("--on", "on", help="The grids active on this day (YYYYMMDD).")
@click.pass_obj
def grids_locate(as_login: str | None, lon: float, lat: float, on: str | None) -> None:
    """Print the code of the grid that contains LON LAT."""
    from seatdesk.services import grids as service

    day = _day(on)
    with reported(), transaction(as_login) as session:
        code = service.locate(session, lon, lat, on=day)
    if code is None:
        fail(service.outside_warning(lon, lat), 1)
    console.print(code)
