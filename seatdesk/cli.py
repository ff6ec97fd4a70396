"""The ``seatdesk`` command's tools for the centre's administrators: database, users,
demo data. (With no command, ``ui.launcher`` starts the desktop app instead.)

Every failure a person can cause or meet — a dead server, a wrong password, a bad
argument — ends in one sentence on stderr and a non-zero exit code (2 for the
database connection), never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from seatdesk import config
from seatdesk.db import migrate
from seatdesk.db.engine import ServerAddress, connect, session_factory, translated_errors
from seatdesk.db.server import open_database, server_address, status
from seatdesk.domain.glossary import Role
from seatdesk.errors import ConnectionProblem, SeatdeskError
from seatdesk.terms import term

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    err_console.print(f"[bold red]seatdesk:[/] {message}", highlight=False)
    sys.exit(code)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn seatdesk's errors into one sentence and an exit code."""
    try:
        yield
    except ConnectionProblem as exc:
        _fail(str(exc), 2)
    except SeatdeskError as exc:
        _fail(str(exc), 1)
    except DBAPIError as exc:
        primary = getattr(getattr(exc.orig, "diag", None), "message_primary", None)
        _fail(f"the database refused the request: {primary or exc.orig}", 1)


class _RichProgress:
    """seatdesk.progress.Progress shown as a rich progress bar."""

    def __init__(self, bar: RichProgress) -> None:
        self._bar = bar
        self._task = bar.add_task("", total=None)

    def start(self, total: int) -> None:
        self._bar.update(self._task, total=total)

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._task, steps)

    def status(self, text: str) -> None:
        self._bar.update(self._task, description=text)

    def cancelled(self) -> bool:
        return False


def _owner() -> tuple[ServerAddress, Engine]:
    return open_database(config.load_settings())


def _as_login(address: ServerAddress, login: str | None) -> ServerAddress:
    """The address to act with: a seat login (``--as``), or the configured one."""
    if not login:
        return address
    password = os.environ.get("SEATDESK_PASSWORD")
    if password is None:
        password = click.prompt(f"Password for {login}", hide_input=True, err=True)
    return address.for_login(login, password)


@click.group(invoke_without_command=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the messages.")
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """seatdesk — 智慧城管坐席 (the seat staff desktop of a city management centre).

    With no command, `seatdesk` starts the desktop application.
    """
    if lang:
        os.environ["SEATDESK_LANG"] = lang
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


# ---- seatdesk db


@main.group()
def db() -> None:
    """The database: where it is, and its schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the schema of the configured database to this version of seatdesk."""
    with _reported():
        settings = config.load_settings()
        address = server_address(settings)
        engine = connect(address)
        with translated_errors(address):
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
            after = migrate.current_revision(engine)
        console.print(f"{address.where()}: {before or 'empty'} → {after}")


@db.command("status")
def db_status() -> None:
    """Where the database is, its server version and its migration revision."""
    with _reported():
        settings = config.load_settings()
        address = server_address(settings)
        engine = connect(address)
        st = status(address, engine)
        table = Table(show_header=False, box=None)
        table.add_row("database", st.url)
        table.add_row("kind", "embedded (pgserver)" if st.embedded else "shared server")
        if st.embedded:
            table.add_row("data directory", str(settings.data_dir))
        table.add_row("server version", f"PostgreSQL {st.server_version}")
        current = st.revision or "none (run `seatdesk db upgrade`)"
        table.add_row("revision", f"{current} (head {st.head})")
        table.add_row("connected as", st.login or "?")
        console.print(table)


@db.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree (``alembic check``)."""
    with _reported():
        _, engine = _owner()
        migrate.check(engine)
        console.print("models and migrations agree")


# ---- seatdesk demo


@main.command()
@click.option("--seed", default=1, show_default=True, help="Seed of the synthetic data.")
@click.option("--cases", default=3000, show_default=True, help="How many cases to make.")
@click.option("--reset", is_flag=True, help="Wipe cases and grids first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if there are cases.")
def demo(seed: int, cases: int, reset: bool, if_empty: bool) -> None:
    """Fill the database with a synthetic county: grids, catalogue, users and cases."""
    from seatdesk.demo import run_demo

    if cases < 0:
        _fail("--cases must be zero or more.", 1)
    with _reported():
        address, engine = _owner()
        if if_empty and not reset:
            with engine.connect() as conn:
                existing = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
            if existing:
                console.print(
                    f"{address.where()} already holds {existing:,} cases; nothing changed. "
                    "The demo accounts keep the passwords shown when they were made."
                )
                return
        with (
            RichProgress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
            ) as bar,
            session_factory(engine).begin() as session,
        ):
            result = run_demo(
                session, seed=seed, cases=cases, reset=reset, progress=_RichProgress(bar)
            )
        console.print(
            f"{address.where()}: {result.cases:,} cases, {result.events:,} audit events, "
            f"{result.grids} grids, {result.photos:,} photos"
        )
        if result.passwords:
            _print_accounts(result.passwords)
        if result.kept:
            console.print(
                f"These demo logins already exist on the server and were left as they were "
                f"(password, attributes and roles unchanged): {', '.join(result.kept)}"
            )


def _print_accounts(passwords: dict[str, str]) -> None:
    from seatdesk.demo import demo_users

    table = Table(title="demo accounts (演示账号): new random passwords, shown only now")
    table.add_column("login")
    table.add_column("password")
    table.add_column("role")
    roles = {u.login: u for u in demo_users()}
    for login, password in passwords.items():
        u = roles[login]
        table.add_row(login, password, f"{term(u.role)} {u.department or ''}".strip())
    console.print(table)


# ---- seatdesk user


@main.group()
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Admin login to act as.")
@click.pass_context
def user(ctx: click.Context, as_login: str | None) -> None:
    """Seat users (PostgreSQL login roles). Run by an admin login (--as, SEATDESK_USER;
    password from SEATDESK_PASSWORD or a prompt), or by the database owner."""
    ctx.obj = as_login


@contextmanager
def _admin_session(as_login: str | None) -> Iterator[Session]:
    address, _ = _owner()
    acting = _as_login(address, as_login)
    engine = connect(acting)
    with translated_errors(acting), session_factory(engine).begin() as session:
        yield session


def _read_password(stdin: bool, login: str) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(
        click.prompt(f"New password for {login}", hide_input=True, confirmation_prompt=True,
                     err=True)
    )


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Seat role (repeatable).")
@click.option("--department", help="Department code, for department users.")
@click.option("--display-name", help="The name shown in the app.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_obj
def user_add(as_login: str | None, name: str, roles: tuple[str, ...], department: str | None,
             display_name: str | None, password_stdin: bool) -> None:
    """Create a seat user NAME with its roles."""
    from seatdesk.services import users

    with _reported():
        password = _read_password(password_stdin, name)
        with _admin_session(as_login) as session:
            users.add_user(session, login=name, password=password,
                           roles=[Role(r) for r in roles], display_name=display_name,
                           department=department)
        console.print(f"user {name} created ({', '.join(roles)})")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_obj
def user_passwd(as_login: str | None, name: str, password_stdin: bool) -> None:
    """Set the password of NAME."""
    from seatdesk.services import users

    with _reported():
        password = _read_password(password_stdin, name)
        with _admin_session(as_login) as session:
            users.set_password(session, login=name, password=password)
        console.print(f"password of {name} changed")


@user.command("disable")
@click.argument("name")
@click.pass_obj
def user_disable(as_login: str | None, name: str) -> None:
    """Disable NAME: the database refuses its logins from now on."""
    from seatdesk.services import users

    with _reported(), _admin_session(as_login) as session:
        users.set_active(session, login=name, active=False)
    console.print(f"user {name} disabled")


@user.command("enable")
@click.argument("name")
@click.pass_obj
def user_enable(as_login: str | None, name: str) -> None:
    """Enable NAME again."""
    from seatdesk.services import users

    with _reported(), _admin_session(as_login) as session:
        users.set_active(session, login=name, active=True)
    console.print(f"user {name} enabled")


@user.command("roles")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Seat role (repeatable).")
@click.option("--department", help="Department code, for department users.")
@click.pass_obj
def user_roles(as_login: str | None, name: str, roles: tuple[str, ...],
               department: str | None) -> None:
    """Give NAME exactly these roles (the ones not listed are taken away)."""
    from seatdesk.services import users

    with _reported(), _admin_session(as_login) as session:
        users.set_roles(session, login=name, roles=[Role(r) for r in roles],
                        department=department)
    console.print(f"user {name} now has the roles {', '.join(sorted(roles))}")


@user.command("log")
@click.argument("name", required=False)
@click.option("--limit", default=50, show_default=True, help="How many entries, newest first.")
@click.pass_obj
def user_log(as_login: str | None, name: str | None, limit: int) -> None:
    """The user-management log: who created, changed, disabled or enabled whom, and when
    (of NAME only, if given)."""
    import json

    from seatdesk.services import users

    with _reported(), _admin_session(as_login) as session:
        rows = users.audit_log(session, login=name, limit=limit)
    table = Table()
    for col in ("#", "at", "by", "action", "user", "detail"):
        table.add_column(col)
    for e in rows:
        table.add_row(str(e.id), e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action.value,
                      e.login, json.dumps(dict(e.detail), ensure_ascii=False, sort_keys=True))
    console.print(table)


@user.command("list")
@click.pass_obj
def user_list(as_login: str | None) -> None:
    """List the seat users."""
    from seatdesk.services import users

    with _reported(), _admin_session(as_login) as session:
        rows = users.list_users(session)
    table = Table()
    for col in ("login", "name", "roles", "department", "active"):
        table.add_column(col)
    for u in rows:
        table.add_row(u.login, u.display_name, ", ".join(sorted(u.roles)), u.department or "",
                      "yes" if u.active else "no")
    console.print(table)


from seatdesk.cli_grids import grids  # noqa: E402  (it imports this module lazily)

main.add_command(grids)

from seatdesk.cli_deadlines import calendar, scheduler, standards  # noqa: E402

main.add_command(calendar)
main.add_command(standards)
main.add_command(scheduler)

if __name__ == "__main__":  # pragma: no cover
    main()
