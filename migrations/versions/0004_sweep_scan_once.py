"""the sweep scans the open cases once

The first sweep joined every open case to its own recomputed status before keeping the
changed ones: a hash join over the whole table each minute, twice the cost of the bare
UPDATE of the statuses. Now one scan collects the few cases that change and the UPDATE
reaches them by primary key.

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


_SCAN_ONCE = f"""
    CREATE OR REPLACE FUNCTION seatdesk_sweep_deadlines_at(p_now timestamptz)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        ids bigint[];
        olds text[];
        n integer;
    BEGIN
        IF NOT pg_try_advisory_xact_lock({SWEEP_LOCK}) THEN
            RETURN -1;  -- another workstation is sweeping right now
        END IF;
        -- One scan finds the few cases whose status changes; the UPDATE then reaches
        -- them by primary key and recomputes the status from the row as it is then, so
        -- a transition committed in between is never overwritten with a stale status.
        SELECT array_agg(id), array_agg(deadline_status) INTO ids, olds
        FROM cases
        WHERE {OPEN_CASE_SQL} AND stage_deadline IS NOT NULL
          AND deadline_status <> seatdesk_deadline_status(p_now, stage_deadline, warning_at);
        IF ids IS NULL THEN
            RETURN 0;
        END IF;
        WITH candidate AS (
            SELECT * FROM unnest(ids, olds) AS v(id, old_status)
        ), changed AS (
            UPDATE cases c
            SET deadline_status = seatdesk_deadline_status(p_now, c.stage_deadline, c.warning_at)
            FROM candidate v
            WHERE c.id = v.id AND {OPEN_CASE_SQL.replace("state", "c.state")}
              AND c.deadline_status
                  <> seatdesk_deadline_status(p_now, c.stage_deadline, c.warning_at)
            RETURNING c.id, c.state, v.old_status, c.deadline_status AS new_status
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

_JOIN_ALL = f"""
    CREATE OR REPLACE FUNCTION seatdesk_sweep_deadlines_at(p_now timestamptz)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        ids bigint[];
        n integer;
    BEGIN
        IF NOT pg_try_advisory_xact_lock({SWEEP_LOCK}) THEN
            RETURN -1;
        END IF;
        WITH status AS (
            SELECT id, deadline_status AS old_status,
                   seatdesk_deadline_status(p_now, stage_deadline, warning_at) AS new_status
            FROM cases
            WHERE {OPEN_CASE_SQL} AND stage_deadline IS NOT NULL
        ), changed AS (
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
        FOR i IN 0 .. (n - 1) / 400 LOOP
            PERFORM pg_notify('seatdesk_cases', json_build_object(
                'action', 'flag', 'case_ids', ids[i * 400 + 1 : i * 400 + 400])::text);
        END LOOP;
        RETURN n;
    END $$
"""


def upgrade() -> None:
    op.execute(_SCAN_ONCE)


def downgrade() -> None:
    op.execute(_JOIN_ALL)
