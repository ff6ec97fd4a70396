"""``seatdesk user``: seat users (PostgreSQL login roles), managed by an admin login or
the database owner through the database's audited functions."""

from __future__ import annotations

import sys

import click
from rich.table import Table

from seatdesk.cli.common import CommandGroup, console, reported, transaction
from seatdesk.domain.glossary import Role


@click.group(cls=CommandGroup)
@click.option("--as", "as_login", envvar="SEATDESK_USER", help="Admin login to act as.")
@click.pass_context
def user(ctx: click.Context, as_login: str | None) -> None:
    """Seat users (PostgreSQL login roles). Run by an admin login (--as, SEATDESK_USER;
    password from SEATDESK_PASSWORD or a prompt), or by the database owner."""
    ctx.obj = as_login


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

    with reported():
        password = _read_password(password_stdin, name)
        with transaction(as_login) as session:
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

    with reported():
        password = _read_password(password_stdin, name)
        with transaction(as_login) as session:
            users.set_password(session, login=name, password=password)
        console.print(f"password of {name} changed")


@user.command("disable")
@click.argument("name")
@click.pass_obj
def user_disable(as_login: str | None, name: str) -> None:
    """Disable NAME: the database refuses its logins from now on."""
    _set_active(as_login, name, active=False)


@user.command("enable")
@click.argument("name")
@click.pass_obj
def user_enable(as_login: str | None, name: str) -> None:
    """Enable NAME again."""
    _set_active(as_login, name, active=True)


def _set_active(as_login: str | None, name: str, *, active: bool) -> None:
    from seatdesk.services import users

    with reported(), transaction(as_login) as session:
        users.set_active(session, login=name, active=active)
    console.print(f"user {name} {'enabled' if active else 'disabled'}")


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

    with reported(), transaction(as_login) as session:
        users.set_roles(session, login=name, roles=[Role(r) for r in roles], department=department)
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

    with reported(), transaction(as_login) as session:
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

    with reported(), transaction(as_login) as session:
        rows = users.list_users(session)
    table = Table()
    for col in ("login", "name", "roles", "department", "active"):
        table.add_column(col)
    for u in rows:
        table.add_row(u.login, u.display_name, ", ".join(sorted(u.roles)), u.department or "",
                      "yes" if u.active else "no")
    console.print(table)
