"""Names of the domain words and times for people, in the interface's language.

The words themselves live in the core (``seatdesk.terms``), which the CLI and the
exports read too; the language is the one the person chose (``--lang`` sets
``SEATDESK_LANG`` for the core and the UI alike). Nothing here is a second copy of a
term, and nothing is in the ``.ts`` file: one translation path per string.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QCoreApplication

from seatdesk import messages, terms
from seatdesk.db.engine import ServerAddress
from seatdesk.domain.glossary import Role


def label(value: Enum | None) -> str:
    """The person's word for a domain enum member (state, action, role, source …)."""
    return terms.term(value)


def roles_label(roles: frozenset[Role]) -> str:
    return terms.join(label(r) for r in sorted(roles))


def format_time(when: datetime | None) -> str:
    """A timestamp in the workstation's local time, to the minute."""
    if when is None:
        return ""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def format_time_left(deadline: datetime | None, now: datetime) -> str:
    """``2d 3h`` / ``45m``, negative once overdue; empty when no deadline runs."""
    if deadline is None:
        return ""
    left = deadline - now
    sign = "-" if left < timedelta(0) else ""
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        text = messages.t("time_left.days", days=days, hours=hours)
    elif hours:
        text = messages.t("time_left.hours", hours=hours, minutes=minutes)
    else:
        text = messages.t("time_left.minutes", minutes=minutes)
    return sign + text


def database_place(address: ServerAddress, centre_name: str | None = None) -> tuple[str, str]:
    """Where the database is, for people, and for the tooltip: the centre's name (the
    database's ``centre_settings`` or the config file), else 本机数据库 for the embedded
    server or 指挥中心数据库 for an unnamed shared one; ``host:port/dbname`` goes in the
    tooltip, never in the text."""
    if centre_name:
        text = centre_name
    elif address.embedded:
        text = QCoreApplication.translate("DatabasePlace", "this computer's database")
    else:
        text = QCoreApplication.translate("DatabasePlace", "the centre's database")
    tooltip = QCoreApplication.translate("DatabasePlace", "Server: {where}").format(
        where=address.location()
    )
    return text, tooltip
