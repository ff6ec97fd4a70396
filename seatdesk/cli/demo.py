"""``seatdesk demo``: fill the database with a synthetic county."""

from __future__ import annotations

import click
from rich.table import Table
from sqlalchemy import text

from seatdesk.cli.common import BarProgress, console, fail, owner, progress_bar, reported
from seatdesk.db.engine import session_factory
from seatdesk.terms import term


@click.command()
@click.option("--seed", default=1, show_default=True, help="Seed of the synthetic data.")
@click.option("--cases", default=3000, show_default=True, help="How many cases to make.")
@click.option("--reset", is_flag=True, help="Wipe cases and grids first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if there are cases.")
def demo(seed: int, cases: int, reset: bool, if_empty: bool) -> None:
    """Fill the database with a synthetic county: grids, catalogue, users and cases."""
    from seatdesk.demo import run_demo

    if cases < 0:
        fail("--cases must be zero or more.", 1)
    with reported():
        address, engine = owner()
        if if_empty and not reset:
            with engine.connect() as conn:
                existing = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
            if existing:
                console.print(
                    f"{address.where()} already holds {existing:,} cases; nothing changed. "
                    "The demo accounts keep the passwords shown when they were made."
                )
                return
        with progress_bar() as bar, session_factory(engine).begin() as session:
            result = run_demo(
                session, seed=seed, cases=cases, reset=reset, progress=BarProgress(bar)
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
