"""The replay of the department counters knows a department merge (0029).

``seatdesk_merge_departments`` moves the current handling of every open case of the
merged department to the target (``case_handlings.department``), writing a
``department_merged`` event on each case. The replay that the upgrade of 0022 filled
the table with, and that a test compares with what the triggers keep
(``seatdesk_case_handlings_from_events()``), still gave such a handling to the
department its dispatch named: the two disagreed for every merged case. The replay now
reads the handling's last merge, so both say the handling goes on as the target's.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-02 15:10:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

MERGED_ACTION = "department_merged"


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _put(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


_0022 = _sibling("0022_department_stats.py")
OLD = _put(str(_0022._FROM_EVENTS), "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
NEW = _put(
    _put(
        OLD,
        f"WHERE e.action IN {_0022._in(_0022.TRACKED)}",
        f"WHERE e.action IN {_0022._in([*_0022.TRACKED, MERGED_ACTION])}",
    ),
    "max(t.data ->> 'department') FILTER (WHERE t.id = t.handling) AS department,",
    # A merge within the handling (after its dispatch, before the next) hands it on;
    # the last one wins (A merged into B, then B into C: C's).
    f"coalesce((array_agg(t.data ->> 'to' ORDER BY t.id DESC)\n"
    f"                         FILTER (WHERE t.action = '{MERGED_ACTION}'))[1],\n"
    f"                    max(t.data ->> 'department') FILTER (WHERE t.id = t.handling))\n"
    f"               AS department,",
)


def upgrade() -> None:
    op.execute(NEW)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute(OLD)
    op.execute("SELECT seatdesk_hand_over()")
