"""``seatdesk complaints``: the complaints (群众投诉) as a seat login reads them, and
the import of those the city platform forwards.

The complainant's name and phone are the database's masked ones (王**, 138****5678)
for every login (migration 0014). ``show --reveal`` and ``export --reveal`` read the
real ones through the database's audited function: a monitor or an admin login only
(``--as``), each complaint read recorded with the purpose given.

``import FILE`` imports the complaints the city platform forwards (an .xlsx or .csv
export): it reads and checks every row, lists each bad row with its row number and
reason, and after a confirmation (or ``--yes``) imports the good ones in one transaction
with a progress bar; ``--dry-run`` only checks. Importing the same file again creates
nothing new. Exit code 1 when nothing could be imported. Monitor and admin seats may
import; the database refuses the others.

Every command acts as a seat login (``--as``, or ``SEATDESK_USER``; the password from
``SEATDESK_PASSWORD`` or a prompt)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

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
    transactions,
)
from seatdesk.domain.glossary import ComplaintState
from seatdesk.terms import term

_STATES = click.Choice([s.value for s in ComplaintState])

#: Bad rows listed before "… and N more" (every one with --all-bad).
BAD_ROWS_SHOWN = 200


@click.group(cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Seat login to act as.")
@click.pass_context
def complaints(ctx: click.Context, as_login: str | None) -> None:
    """Complaints (群众投诉), the complainants masked. Run as a seat login (--as,
    SEATDESK_USER; password from SEATDESK_PASSWORD or a prompt)."""
    ctx.obj = as_login


def _time(value: object) -> str:
    from datetime import datetime

    return value.astimezone().strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""


@complaints.command("list")
@click.option("--state", "states", multiple=True, type=_STATES, help="State (repeatable).")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@click.pass_obj
def complaints_list(as_login: str | None, states: tuple[str, ...], limit: int) -> None:
    """The newest complaints, name and phone masked."""
    from seatdesk.services import complaints as service

    with reported(), transaction(as_login) as session:
        rows = service.recent_complaints(
            session, states=[ComplaintState(s) for s in states], limit=limit
        )
    if not rows:
        console.print(messages.t("cli.complaints.none"))
        return
    table = Table()
    for key in ("number", "channel", "received", "state", "complainant", "phone", "case"):
        table.add_column(messages.t(f"cli.complaints.{key}"))
    for c in rows:
        table.add_row(c.number, term(c.channel), _time(c.received_at), term(c.state),
                      c.complainant or "", c.complainant_phone or "",
                      str(c.case_id) if c.case_id is not None else "")
    console.print(table)


@complaints.command("show")
@click.argument("number")
@click.option("--reveal", is_flag=True,
              help="The real name and phone (monitor or admin; the read is recorded).")
@click.option("--purpose", help="Why they are read, recorded with the read.")
@click.pass_obj
def complaints_show(as_login: str | None, number: str, reveal: bool,
                    purpose: str | None) -> None:
    """One complaint by its NUMBER."""
    from seatdesk.services import complaints as service

    with reported(), transactions(as_login) as begin:
        with begin() as session:
            found = service.complaint_by_number(session, number)
        if found is None:
            fail(messages.t("cli.complaints.not_found", number=number), 1)
        name, phone = found.complainant, found.complainant_phone
        if reveal:
            # The request and its audit commit first; only then are they read (0019).
            real = service.reveal_contacts_committed(
                begin, [found.id], purpose or messages.t("cli.complaints.reveal_purpose")
            )[found.id]
            name, phone = real.complainant, real.complainant_phone
    table = Table(show_header=False)
    table.add_column()
    table.add_column()
    for key, value in (
        ("number", found.number),
        ("channel", term(found.channel)),
        ("received", _time(found.received_at)),
        ("state", term(found.state)),
        ("complainant", name or ""),
        ("phone", phone or ""),
        ("content", found.content),
        ("address", found.address),
        ("reply_due", _time(found.reply_due)),
        ("case", str(found.case_id) if found.case_id is not None else ""),
        ("callback", term(found.callback_satisfaction)),
    ):
        table.add_row(messages.t(f"cli.complaints.{key}"), value)
    console.print(table)
    console.print(messages.t("cli.complaints.revealed" if reveal else "cli.complaints.masked"))


@complaints.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--state", "states", multiple=True, type=_STATES, help="State (repeatable).")
@click.option("--reveal", is_flag=True,
              help="The real names and phones (monitor or admin; every read is recorded).")
@click.option("--purpose", help="Why they are read, recorded with each read (with --reveal).")
@click.pass_obj
def complaints_export(as_login: str | None, path: Path, states: tuple[str, ...], reveal: bool,
                      purpose: str | None) -> None:
    """Write the complaints to PATH (.xlsx, or .csv), name and phone masked."""
    from seatdesk.services import exports

    with reported(), progress_bar() as bar, transactions(as_login) as begin, \
            begin() as session:
        result = exports.export_complaints(
            session, path, BarProgress(bar), states=[ComplaintState(s) for s in states],
            reveal_purpose=(purpose or messages.t("cli.complaints.reveal_purpose"))
            if reveal else None,
            reveal_with=begin,
        )
    console.print(messages.t("cli.complaints.exported", rows=result.rows, path=result.path))


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
