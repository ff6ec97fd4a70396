"""Names of the domain words for people, in the interface's language.

The glossary already carries the Chinese names (``State.zh`` …), and the core's
``seatdesk.messages.language()`` says which language the person chose (``--lang`` sets
``SEATDESK_LANG`` for the core and the UI alike), so these are not duplicated in the
``.ts`` file: one translation path per string.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QCoreApplication

from seatdesk import messages
from seatdesk.db.engine import ServerAddress
from seatdesk.domain.glossary import Role

#: Chinese names of the domain words the glossary gives none (its comments have them).
_ZH_MISSING = {
    "component": "部件",
    "event": "事件",
    "ordinary": "一般",
    "urgent": "紧急",
    "normal": "正常",
    "warning": "临期（黄灯）",
    "overdue": "超期（红灯）",
    "report": "上报",
    "verify": "核实",
    "handling": "处置",
    "check": "核查",
}

_EN_OVERRIDES = {
    "hotline_12319": "12319 hotline",
    "walk_in": "visit or call",
    "shift_leader": "shift leader",
}


def label(value: Enum | None) -> str:
    """The person's word for a domain enum member (state, action, role, source …)."""
    if value is None:
        return ""
    raw = str(value.value)
    if messages.language() == "zh":
        zh = getattr(value, "zh", None)
        if zh is not None:
            return str(zh)
        if raw in _ZH_MISSING:
            return _ZH_MISSING[raw]
    return _EN_OVERRIDES.get(raw, raw.replace("_", " "))


def roles_label(roles: frozenset[Role]) -> str:
    sep = "、" if messages.language() == "zh" else ", "
    return sep.join(label(r) for r in sorted(roles))


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
    zh = messages.language() == "zh"
    if days:
        text = f"{days}天{hours}小时" if zh else f"{days}d {hours}h"
    elif hours:
        text = f"{hours}小时{minutes}分" if zh else f"{hours}h {minutes}m"
    else:
        text = f"{minutes}分钟" if zh else f"{minutes}m"
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
