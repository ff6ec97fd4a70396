"""Issue 13's security review (notes/secreview13/REPORT.md): the holes found in the
functions of 0032 (assessment) and 0033 (backup runs), closed (the backup files'
holes are closed in seatdesk/db/backup.py, the accepted limits are in the README)

- ``seatdesk_assessment_reverse``: a manager could reverse an entry about themselves
  (an inspector wiping out a deduction an admin recorded against them). Refused now, as
  recording one about oneself and deciding one's own suggestion already were
  (``staff`` ``own_entry``).
- ``seatdesk_backup_day``: any day before today was accepted, ``-infinity`` too, and
  each call left a row in the admin's Backups tab; days before 2000 are refused
  (``day`` ``out_of_range``).
- ``seatdesk_finish_backup``: any seat that may claim the night could record it done
  with a file that was never written, and no scheduler would write it that night. A
  backup is recorded written only from the owner's side (whose login the scheduler
  dumps with); a seat may still record a failure, which only lets another retry.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


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


def _replace(sql: str) -> str:
    return _put(sql, "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


_0032 = _sibling("0032_assessment.py")
_0033 = _sibling("0033_backup_runs.py")

OLD_REVERSE = _replace(str(_0032._REVERSE))
(_OLD_DAY,) = [f for f in _0033._FUNCTIONS if "FUNCTION seatdesk_backup_day(" in f]
OLD_DAY = _replace(str(_OLD_DAY))
(_OLD_FINISH,) = [f for f in _0033._FUNCTIONS if "FUNCTION seatdesk_finish_backup(" in f]
OLD_FINISH = _replace(str(_OLD_FINISH))

REVERSE = _put(
    OLD_REVERSE,
    "    IF e.reverses IS NOT NULL THEN\n",
    # Nobody undoes an entry about themselves (as nobody records one, 0032).
    "    IF e.staff_kind = 'user' AND e.staff_id = me.login THEN\n"
    "        PERFORM seatdesk_invalid('staff', 'own_entry',\n"
    "                                 jsonb_build_object('value', e.staff_id));\n"
    "    END IF;\n"
    "    IF e.reverses IS NOT NULL THEN\n",
)

DAY = _put(
    OLD_DAY,
    "    RETURN p_day;\n",
    # No night before seatdesk existed, -infinity least of all: each claim is a row of
    # the admin's Backups tab.
    "    IF p_day < DATE '2000-01-01' THEN\n"
    "        PERFORM seatdesk_invalid('day', 'out_of_range',\n"
    "                                 jsonb_build_object('value', p_day::text));\n"
    "    END IF;\n"
    "    RETURN p_day;\n",
)


FINISH = _put(
    OLD_FINISH,
    "    UPDATE backup_runs\n",
    # Only who can dump the database can say a dump was written: the owner's side (the
    # scheduler finishes through the owner's login it dumped with). A seat login could
    # otherwise claim the night and call it done, and no backup would be written.
    "    IF v_error IS NULL AND NOT pg_has_role(session_user, (SELECT relowner FROM pg_class\n"
    "                                          WHERE oid = 'backup_runs'::regclass), 'USAGE')\n"
    "    THEN\n"
    "        PERFORM seatdesk_fail('SD403',\n"
    "            format('%s may not record a backup as written', v_login),\n"
    "            jsonb_build_object('action', 'backup', 'roles',\n"
    "                               (SELECT roles FROM users WHERE login = v_login),\n"
    "                               'allowed', '[]'::jsonb));\n"
    "    END IF;\n"
    "    UPDATE backup_runs\n",
)


def upgrade() -> None:
    for sql in (REVERSE, DAY, FINISH):
        op.execute(sql)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    for sql in (OLD_REVERSE, OLD_DAY, OLD_FINISH):
        op.execute(sql)
    op.execute("SELECT seatdesk_hand_over()")
