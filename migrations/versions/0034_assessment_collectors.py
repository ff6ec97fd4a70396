"""the assessment's collectors are the register's (0031 → 0032), and what the grids say

0032 was built before the register existed: it ranked whoever ``collector_tasks`` named,
kept collectors as free text and could not tell who should have patrolled a grid. Now:

- the register is back-filled with every collector the data name and it lacks
  (``collector_tasks``, the intake's ``intake_items``, the assessment's own entries and
  suggestions), active, named by their id, with one audit row in ``collector_events``:
  what worked before keeps working;
- ``assessment_entries`` and ``assessment_suggestions`` carry two generated columns,
  ``staff_user`` (→ ``users``) and ``staff_collector`` (→ ``collectors``), one of which
  is the ``staff_id`` as the ``staff_kind`` says: the 'user' | 'collector' shape keeps
  its real foreign keys, and nothing written before changes;
- ``seatdesk_assessment_scores`` ranks the register's active collectors (and any who
  held a grid or were sent a task that month, so a past month keeps who worked then);
  the ranking shows the register's name; ``seatdesk_assessment_record`` refuses a
  collector not in the register with a named error (not the bare foreign key);
- ``seatdesk_assessment_suggest`` also offers, for a month that has ended, "隐瞒问题未向
  公司上报" (``unreported_problem``, −4) to each collector holding at the month's end a
  grid not covered to its patrol density over the month (counter ``uncovered_grids``,
  the coverage of ``seatdesk/services/collector_reports.py``, here as the private
  ``seatdesk_collector_coverage``), and keeps the late steps of seat users and the
  overdue tasks of collectors (now the register's only). Offered, never applied; a
  dismissed suggestion is not offered again (0032's unique key).

The downgrade gives 0032's functions back and drops the columns; the back-filled
collectors stay in the register (its audit is append-only, and they are true).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

#: Who may read the coverage function's figures directly: nobody (it is read through
#: the suggest function); the suggest function is SECURITY DEFINER.
PRIVATE_FUNCTIONS = ["seatdesk_collector_coverage(timestamptz, timestamptz, date)"]
#: The ranked seat roles (0032's RANKED_ROLES).
RANKED = "ARRAY['acceptor', 'shift_leader', 'dispatcher', 'inspector', 'monitor']::text[]"
#: Mirrors ``DEFAULT_GRID_TYPE`` and ``Source.COLLECTOR``; a test holds this function to
#: ``collector_reports.coverage_between`` on the same data.
DEFAULT_GRID_TYPE = "general"
COLLECTOR_SOURCE = "collector"


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace(sql: str) -> str:
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _swap(sql: str, old: str, new: str) -> str:
    """``sql`` with ``old``, which must occur once, replaced by ``new``."""
    assert sql.count(old) == 1, f"not found once: {old!r}"
    return sql.replace(old, new)


_BACKFILL = """
DO $$
DECLARE
    v_ids text[];
    v_now timestamptz := clock_timestamp();
BEGIN
    SELECT array_agg(id ORDER BY id) INTO v_ids FROM (
        SELECT collector AS id FROM collector_tasks WHERE collector IS NOT NULL
        UNION SELECT collector FROM intake_items WHERE collector IS NOT NULL
        UNION SELECT staff_id FROM assessment_entries WHERE staff_kind = 'collector'
        UNION SELECT staff_id FROM assessment_suggestions WHERE staff_kind = 'collector'
    ) named
    WHERE length(id) BETWEEN 1 AND 100
      AND NOT EXISTS (SELECT 1 FROM collectors k WHERE k.collector_id = named.id);
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO collectors (collector_id, name, active, updated_at, updated_by)
    SELECT id, id, true, v_now, 'migration 0034' FROM unnest(v_ids) id;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (v_now, 'migration 0034', 'backfill', '',
            jsonb_build_object('collectors', to_jsonb(v_ids)));
END $$
"""


def _staff_columns(table: str) -> str:
    # Generated, so no writer (0032's functions included) has to know of them, and a row
    # can never name one member in one column and another in the other.
    return f"""
ALTER TABLE {table}
    ADD COLUMN staff_user varchar(63)
        GENERATED ALWAYS AS (CASE WHEN staff_kind = 'user' THEN staff_id END) STORED
        CONSTRAINT fk_{table}_staff_user REFERENCES users (login),
    ADD COLUMN staff_collector text
        GENERATED ALWAYS AS (CASE WHEN staff_kind = 'collector' THEN staff_id END) STORED
        CONSTRAINT fk_{table}_staff_collector REFERENCES collectors (collector_id);
CREATE INDEX ix_{table}_staff_collector ON {table} (staff_collector)
    WHERE staff_collector IS NOT NULL;
"""


_COVERAGE = f"""
-- A grid's visits over [p_start, p_end) against its patrol density, and who held it at
-- p_end: the coverage of seatdesk/services/collector_reports.py, set-based.
CREATE FUNCTION seatdesk_collector_coverage(p_start timestamptz, p_end timestamptz,
                                            p_on date)
RETURNS TABLE (grid_code text, collector_id text, required integer, visits integer)
LANGUAGE sql STABLE AS $$
WITH g AS (
    SELECT gr.code, coalesce(pt.grid_type, '{DEFAULT_GRID_TYPE}') AS grid_type
    FROM grids gr LEFT JOIN grid_patrol_types pt ON pt.grid_code = gr.code
    WHERE gr.start_date <= p_on AND (gr.end_date IS NULL OR gr.end_date > p_on)
), reports AS (
    SELECT c.grid_code, count(*) AS n FROM cases c
    WHERE c.source = '{COLLECTOR_SOURCE}' AND c.grid_code IS NOT NULL
      AND c.created_at >= p_start AND c.created_at < p_end
    GROUP BY c.grid_code
), tasks AS (
    SELECT c.grid_code, count(*) AS n
    FROM collector_tasks t JOIN cases c ON c.id = t.case_id
    WHERE t.answered_at >= p_start AND t.answered_at < p_end AND c.grid_code IS NOT NULL
    GROUP BY c.grid_code
), holder AS (
    SELECT b.grid_code, b.collector_id FROM collector_grids b
    WHERE b.valid_from < p_end AND (b.valid_to IS NULL OR b.valid_to >= p_end)
)
SELECT g.code::text, h.collector_id,
       ceil(ty.visits_per_day * extract(epoch FROM p_end - p_start) / 86400)::integer,
       (coalesce(r.n, 0) + coalesce(k.n, 0))::integer
FROM g JOIN grid_types ty ON ty.code = g.grid_type
LEFT JOIN reports r ON r.grid_code = g.code
LEFT JOIN tasks k ON k.grid_code = g.code
LEFT JOIN holder h ON h.grid_code = g.code
$$;
"""

#: Who is ranked in a month: the active seat users of the centre's roles; the register's
#: active collectors, and those who held a grid or were sent a task within the month
#: (deactivated since, they stay in the months they worked); anyone with an entry.
_STAFF_0032 = """    SELECT 'collector', t.collector FROM collector_tasks t, bounds b
    WHERE t.collector IS NOT NULL AND t.sent_at >= b.t0 AND t.sent_at < b.t1
"""
_STAFF = """    SELECT 'collector', k.collector_id FROM collectors k, bounds b
    WHERE k.active
       OR EXISTS (SELECT 1 FROM collector_grids g
                  WHERE g.collector_id = k.collector_id AND g.valid_from < b.t1
                    AND (g.valid_to IS NULL OR g.valid_to > b.t0))
       OR EXISTS (SELECT 1 FROM collector_tasks t
                  WHERE t.collector = k.collector_id AND t.sent_at >= b.t0
                    AND t.sent_at < b.t1)
"""

_NAME_0032 = "CASE WHEN s.staff_kind = 'user' THEN u.display_name::text ELSE s.staff_id END"
_NAME = "coalesce(u.display_name::text, k.name, s.staff_id)"
_JOIN_0032 = "    LEFT JOIN users u ON s.staff_kind = 'user' AND u.login = s.staff_id\n"
_JOIN = "    LEFT JOIN collectors k ON s.staff_kind = 'collector' AND k.collector_id = s.staff_id\n"

_RECORD_ANCHOR = "    END IF;\n    SELECT * INTO r FROM assessment_rules WHERE code = p_rule AND active FOR SHARE;"
_RECORD_CHECK = """
    IF p_kind = 'collector' THEN
        -- One of the register (deactivated or not: the month they worked is still
        -- theirs), locked so that it cannot vanish under the entry.
        PERFORM 1 FROM collectors WHERE collector_id = v_staff FOR SHARE;
        IF NOT FOUND THEN
            PERFORM seatdesk_invalid('staff', 'unknown', jsonb_build_object('value', v_staff));
        END IF;"""

_SUGGEST_FOUND_0032 = """        SELECT 'collector', who, 'overdue_tasks', n FROM late_tasks
    )
    INSERT INTO assessment_suggestions (month, staff_kind, staff_id, rule_code, count,
                                        counter, value, made_by, made_at)
    SELECT v_month, f.kind, f.who, 'passive_work', 1, f.counter, f.n, me.login, v_now
    FROM found f ORDER BY f.kind, f.who"""
#: The grids' counter comes only for a month that has ended: a running month's grids
#: are not due their month's visits yet.
_SUGGEST_FOUND = """        SELECT 'collector', who, 'overdue_tasks', n FROM late_tasks
        UNION ALL
        SELECT 'collector', c.collector_id, 'uncovered_grids', count(*)
        FROM seatdesk_collector_coverage(t0, t1, (v_month + interval '1 month'
                                                  - interval '1 day')::date) c
        WHERE t1 <= v_now AND c.collector_id IS NOT NULL AND c.visits < c.required
        GROUP BY c.collector_id
    ), ruled AS (
        SELECT f.*, CASE f.counter WHEN 'uncovered_grids' THEN 'unreported_problem'
                                   ELSE 'passive_work' END AS rule_code
        FROM found f
    )
    INSERT INTO assessment_suggestions (month, staff_kind, staff_id, rule_code, count,
                                        counter, value, made_by, made_at)
    SELECT v_month, f.kind, f.who, f.rule_code, 1, f.counter, f.n, me.login, v_now
    FROM ruled f JOIN assessment_rules r ON r.code = f.rule_code AND r.active
    ORDER BY f.kind, f.who, f.rule_code"""
_TASKS_0032 = """        SELECT t.collector AS who, count(*) AS n FROM collector_tasks t
        WHERE"""
_TASKS = """        SELECT t.collector AS who, count(*) AS n FROM collector_tasks t
        JOIN collectors k ON k.collector_id = t.collector
        WHERE"""


def _functions(old: ModuleType) -> list[str]:
    """0032's scores, ranking, record and suggest, each changed as the docstring says."""
    scores = _swap(old._HELPERS, _STAFF_0032, _STAFF)
    ranking = _swap(_swap(old._RANKING, _NAME_0032, _NAME), _JOIN_0032, _JOIN_0032 + _JOIN)
    # After the 'user' branch's END IF, a 'collector' branch of its own.
    record = _swap(old._RECORD, _RECORD_ANCHOR,
                   "    END IF;" + _RECORD_CHECK + "\n" + _RECORD_ANCHOR)
    suggest = _swap(_swap(old._SUGGEST, _SUGGEST_FOUND_0032, _SUGGEST_FOUND),
                    _TASKS_0032, _TASKS)
    # Only the scores of 0032's helpers are new; the others come back as they were.
    return [_replace(f) for f in (scores, ranking, record, suggest)]


def upgrade() -> None:
    op.execute(_BACKFILL)
    for table in ("assessment_entries", "assessment_suggestions"):
        op.execute(_staff_columns(table))
    op.execute(_COVERAGE)
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for sql in _functions(_sibling("0032_assessment.py")):
        op.execute(sql)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    old = _sibling("0032_assessment.py")
    for sql in (old._HELPERS, old._RANKING, old._RECORD, old._SUGGEST):
        op.execute(_replace(sql))
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    for table in ("assessment_entries", "assessment_suggestions"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN staff_user, DROP COLUMN staff_collector")
    op.execute("SELECT seatdesk_hand_over()")
