"""Statistics: the settings every figure is computed with, and (as the areas land) the
one place that lists the statistics a dashboard, an export or the report can ask for.

The figures themselves are SQL aggregates in the database (see the modules
``stats_*``); this module only reads what the centre configured.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from seatdesk.db.calls import call
from seatdesk.domain.glossary import SettingsAction
from seatdesk.domain.statistics import StatsSettings
from seatdesk.services.common import ChangeSet

#: The centre setting that holds ``StatsSettings`` as one JSON object.
SETTINGS_KEY = "statistics"


def read_settings(session: Session) -> StatsSettings:
    """The centre's statistics settings (defaults where nothing was set)."""
    value = session.execute(
        text("SELECT value FROM centre_settings WHERE key = :key"), {"key": SETTINGS_KEY}
    ).scalar_one_or_none()
    return StatsSettings.from_json(value if isinstance(value, dict) else None)


#: What a change of the settings changes: every statistic (a panel showing one reloads).
SETTINGS_CHANGED = "statistics"


def save_settings(session: Session, settings: StatsSettings) -> ChangeSet:
    """Store the centre's statistics settings (an admin or an inspector: migration 0022's
    ``seatdesk_set_statistics_settings``, which validates and audits the change).

    Refusals: ``PermissionDenied`` for any other seat, ``ValidationError`` (field
    ``statistics``) naming the setting that is of the wrong type or out of range.
    """
    call(
        session,
        "SELECT seatdesk_set_statistics_settings(CAST(:value AS jsonb))",
        {"value": json.dumps(settings.to_json())},
        action=SettingsAction.STATISTICS_SETTINGS,
    )
    return ChangeSet(entities=frozenset({SETTINGS_CHANGED}))
