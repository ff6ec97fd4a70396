"""``seatdesk complaints``: the 12319 monitor's complaints on the command line.

``seatdesk complaints import FILE`` imports the complaints the city platform forwards
(an .xlsx or .csv export): it reads and checks every row, lists each bad row with its
row number and reason, and after a confirmation (or ``--yes``) imports the good ones in
one transaction with a progress bar; ``--dry-run`` only checks. Importing the same file
again creates nothing new. Exit code 1 when nothing could be imported.

It acts as a seat login (``--as``, or ``SEATDESK_USER``; the password from
``SEATDESK_PASSWORD`` or a prompt): monitor and admin seats may import; the database
refuses the others.
"""

from __future__ import annotations

from pathlib import Path

import click

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

#: Bad rows listed before "… and N more" (every one with --all-bad).
BAD_ROWS_SHOWN = 200


@click.group(cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
@click.pass_context
def complaints(ctx: click.Context, as_login: str | None) -> None:
    """Complaints (群众投诉): import those the city platform forwards."""
    ctx.obj = as_login


def _overrides(values: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        name, sep, header = value.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise click.BadParameter(messages.t("import.bad_map", value=value))
        found[name.strip()] = header.strip()
    return found


@complaints.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file only; import nothing.")
@click.option("--yes", "-y", is_flag=True, help="Import without asking.")
@click.option("--mapping", "mapping_name", default="city_platform", show_default=True,
              help="The saved column mapping (the platform's layout) to read the file with.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=HEADER",
              help="Read FIELD from the column HEADER (content=诉求内容); repeatable.")
@click.option("--save-mapping", is_flag=True,
              help="Save the mapping with the --map changes under the --mapping name.")
@click.option("--all-bad", is_flag=True, help="List every bad row, however many.")
@click.pass_obj
def complaints_import(
    as_login: str | None,
    file: Path,
    dry_run: bool,
    yes: bool,
    mapping_name: str,
    maps: tuple[str, ...],
    save_mapping: bool,
    all_bad: bool,
) -> None:
    """Import the complaints of FILE (.xlsx or .csv) forwarded by the city platform."""
    from seatdesk.services import complaint_import as service

    overrides = _overrides(maps)
    with reported():
        with transaction(as_login) as session, progress_bar(transient=True) as bar:
            preview = service.preview_import(
                session, file, mapping_name=mapping_name, overrides=overrides,
                progress=BarProgress(bar),
            )
        columns = ", ".join(f"{h}→{f}" for f, h in preview.columns)
        console.print(messages.t("import.columns", columns=columns), highlight=False)
        if preview.unused:
            console.print(messages.t("import.unused", columns=", ".join(preview.unused)),
                          highlight=False)
        shown = preview.bad if all_bad else preview.bad[:BAD_ROWS_SHOWN]
        for bad in shown:
            err_console.print(
                "[red]✗[/] " + messages.t("import.bad_row", row=bad.row, reason=bad.reason),
                highlight=False, markup=True, soft_wrap=True,
            )
        if len(shown) < len(preview.bad):
            err_console.print(f"… +{len(preview.bad) - len(shown)}", highlight=False)
        console.print(messages.t("import.summary", file=preview.file_name, rows=preview.rows,
                                 good=len(preview.good), bad=len(preview.bad)), highlight=False)
        if not preview.good:
            fail(messages.t("import.nothing", file=preview.file_name), 1)
        if dry_run:
            console.print(messages.t("import.dry_run"))
            return
        if not yes and not click.confirm(
            messages.t("import.confirm", count=len(preview.good)), err=True
        ):
            fail(messages.t("import.cancelled"), 1)
        with transaction(as_login) as session:
            if save_mapping:
                current = service.saved_mapping(session, mapping_name)
                service.save_mapping(session, {**current, **overrides}, mapping_name)
            with progress_bar(transient=True) as bar:
                result = service.import_complaints(session, preview, progress=BarProgress(bar))
        if save_mapping:
            console.print(messages.t("import.mapping_saved", name=mapping_name))
        console.print(messages.t("import.done", created=result.created, present=result.present,
                                 bad=result.bad), highlight=False)
