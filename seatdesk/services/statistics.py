"""Statistics: the settings every figure is computed with, and (as the areas land) the
one place that lists the statistics a dashboard, an export or the report can ask for.

The figures themselves are SQL aggregates in the database (see the modules
``stats_*``); this module only reads what the centre configured.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.domain.statistics import StatsSettings

#: The centre setting that holds ``StatsSettings`` as one JSON object.
SETTINGS_KEY = "statistics"


def read_settings(session: Session) -> StatsSettings:
    """The centre's statistics settings (defaults where nothing was set)."""
    value = session.execute(
        text("SELECT value FROM centre_settings WHERE key = :key"), {"key": SETTINGS_KEY}
    ).scalar_one_or_none()
    return StatsSettings.from_json(value if isinstance(value, dict) else None)
