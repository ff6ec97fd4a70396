"""the sweep scans the open cases once

The first sweep joined every open case to its own recomputed status before keeping the
changed ones, which cost a hash join over the whole table each minute. Filtering the
changed cases in the scan itself leaves the UPDATE with the few rows that change, found
by primary key, so the sweep costs what the bare UPDATE of the statuses costs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 22:25:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_CASE_SQL = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"
SWEEP_LOCK = 0x5EA75EE9


def _sweep(status_cte: str) -> str:
    return f"""
        CREATE OR REPLACE FUNCTION seatdesk_sweep_deadlines_at(p_now timestamptz)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            ids bigint[];
            n integer;
        BEGIN
            IF NOT pg_try_advisory_xact_lock({SWEEP_LOCK}) THEN
                RETURN -1;  -- another workstation is sweeping right now
            END IF;
            WITH {status_cte}, changed AS (
                UPDATE cases c SET deadline_status = s.new_status
                FROM status s
                WHERE c.id = s.id AND s.new_status <> s.old_status
                RETURNING c.id, c.state, s.old_status, s.new_status
            ), logged AS (
                INSERT INTO case_events (case_id, action, from_state, to_state, data)
                SELECT id, 'flag', state, state,
                       jsonb_build_object('from', old_status, 'to', new_status)
                FROM changed
                RETURNING case_id
            )
            SELECT array_agg(case_id ORDER BY case_id) INTO ids FROM logged;
            n := coalesce(cardinality(ids), 0);
            -- NOTIFY payloads are limited to 8000 bytes: announce in slices.
            FOR i IN 0 .. (n - 1) / 400 LOOP
                PERFORM pg_notify('seatdesk_cases', json_build_object(
                    'action', 'flag', 'case_ids', ids[i * 400 + 1 : i * 400 + 400])::text);
            END LOOP;
            RETURN n;
        END $$
    """


def upgrade() -> None:
    op.execute(_sweep(f"""
            status AS MATERIALIZED (
                SELECT id, deadline_status AS old_status,
                       seatdesk_deadline_status(p_now, stage_deadline, warning_at)
                           AS new_status
                FROM cases
                WHERE {OPEN_CASE_SQL} AND stage_deadline IS NOT NULL
                  AND deadline_status
                      <> seatdesk_deadline_status(p_now, stage_deadline, warning_at)
            )"""))


def downgrade() -> None:
    op.execute(_sweep(f"""
            status AS (
                SELECT id, deadline_status AS old_status,
                       seatdesk_deadline_status(p_now, stage_deadline, warning_at)
                           AS new_status
                FROM cases
                WHERE {OPEN_CASE_SQL} AND stage_deadline IS NOT NULL
            )"""))
