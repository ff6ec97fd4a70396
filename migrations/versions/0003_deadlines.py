"""deadlines: stage clocks on cases, the working calendar, centre settings, the sweep

The sweep is one set-based statement in a SECURITY DEFINER function that every seat
may run: it takes a transaction-level advisory lock (so when several workstations sweep
at once only one does the work), recomputes the deadline status of every open case
from ``warning_at`` and ``stage_deadline``, appends a ``flag`` audit event for each
case whose status changed, and NOTIFYs the changed case ids.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 21:30:12.031401
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEATS = ", ".join(
    f"seatdesk_{r}"
    for r in ("acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
              "admin")
)
OPEN_CASE_SQL = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"
#: The advisory lock of the sweep (seatdesk.db.security.SWEEP_LOCK says the same).
SWEEP_LOCK = 0x5EA75EE9


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=100), server_default='', nullable=False),
    sa.Column('updated_by', sa.String(length=63), server_default=sa.text('current_user'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('entered_by', sa.String(length=63), server_default=sa.text('current_user'), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    op.create_table('centre_settings',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_centre_settings'))
    )
    op.add_column('cases', sa.Column('stage', sa.String(length=20), nullable=True))
    op.add_column('cases', sa.Column('stage_limit_unit', sa.String(length=20), nullable=True))
    op.add_column('cases', sa.Column('stage_limit_minutes', sa.Integer(), nullable=True))
    op.add_column('cases', sa.Column('clock_start', sa.DateTime(timezone=True), nullable=True))
    op.add_column('cases', sa.Column('allowance_minutes', sa.Integer(), nullable=True))
    op.add_column('cases', sa.Column('warning_at', sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(
        op.f("ck_cases_stage"),
        "cases",
        "stage IN ('verify', 'register', 'dispatch', 'handling', 'check', 'close')",
    )
    # Limits as short as 5 minutes are written in hours: keep four decimals.
    op.alter_column("time_limits", "amount", type_=sa.Numeric(10, 4))

    op.execute("REVOKE ALL ON calendar_days, calendar_years, centre_settings FROM PUBLIC")
    op.execute(f"GRANT SELECT ON calendar_days, calendar_years, centre_settings TO {SEATS}")
    op.execute(
        "GRANT INSERT, UPDATE, DELETE ON calendar_days, calendar_years, centre_settings "
        "TO seatdesk_admin"
    )
    # Recomputing deadlines after a calendar change is the admin's doing: it updates
    # every open case's clock and audits each change.
    op.execute("GRANT UPDATE ON cases TO seatdesk_admin")
    op.execute("GRANT INSERT ON case_events TO seatdesk_admin")

    # The one place that says when a case is yellow or red; inlined where it is used.
    op.execute("""
        CREATE FUNCTION seatdesk_deadline_status(
            p_now timestamptz, p_deadline timestamptz, p_warning timestamptz
        ) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN p_now >= p_deadline THEN 'overdue'
                        WHEN p_now >= p_warning THEN 'warning'
                        ELSE 'normal' END
        $$
    """)
    op.execute(f"""
        CREATE FUNCTION seatdesk_sweep_deadlines_at(p_now timestamptz) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            ids bigint[];
            n integer;
        BEGIN
            IF NOT pg_try_advisory_xact_lock({SWEEP_LOCK}) THEN
                RETURN -1;  -- another workstation is sweeping right now
            END IF;
            WITH status AS (
                SELECT id, deadline_status AS old_status,
                       seatdesk_deadline_status(p_now, stage_deadline, warning_at)
                           AS new_status
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
            -- NOTIFY payloads are limited to 8000 bytes: announce in slices.
            FOR i IN 0 .. (n - 1) / 400 LOOP
                PERFORM pg_notify('seatdesk_cases', json_build_object(
                    'action', 'flag', 'case_ids', ids[i * 400 + 1 : i * 400 + 400])::text);
            END LOOP;
            RETURN n;
        END $$
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_sweep_deadlines() RETURNS integer
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT seatdesk_sweep_deadlines_at(now())
        $$
    """)
    op.execute("REVOKE ALL ON FUNCTION seatdesk_sweep_deadlines_at(timestamptz) FROM PUBLIC")
    op.execute("REVOKE ALL ON FUNCTION seatdesk_sweep_deadlines() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION seatdesk_sweep_deadlines() TO {SEATS}")

    # The centre's own stage limits (one city's rules, STANDARDS.md): register and
    # dispatch within 10 minutes for an urgent case, 30 otherwise; a check within an
    # hour. Amounts of natural hours; an administrator edits them.
    op.execute("""
        INSERT INTO time_limits (stage, urgency, amount, unit) VALUES
            ('verify',   'urgent',   0.5,  'natural_hours'),
            ('verify',   'ordinary', 1,    'natural_hours'),
            ('register', 'urgent',   0.0833, 'natural_hours'),
            ('register', 'ordinary', 0.25, 'natural_hours'),
            ('dispatch', 'urgent',   0.0833, 'natural_hours'),
            ('dispatch', 'ordinary', 0.25, 'natural_hours'),
            ('check',    'urgent',   1,    'natural_hours'),
            ('check',    'ordinary', 1,    'natural_hours'),
            ('close',    'urgent',   0.5,  'natural_hours'),
            ('close',    'ordinary', 2,    'working_hours')
        ON CONFLICT (stage, urgency) DO NOTHING
    """)
    op.execute("""
        INSERT INTO centre_settings (key, value) VALUES
            ('office_hours', '{"0": [["08:30", "12:00"], ["14:00", "17:30"]],
                               "1": [["08:30", "12:00"], ["14:00", "17:30"]],
                               "2": [["08:30", "12:00"], ["14:00", "17:30"]],
                               "3": [["08:30", "12:00"], ["14:00", "17:30"]],
                               "4": [["08:30", "12:00"], ["14:00", "17:30"]]}'),
            ('warning_share', '0.8'),
            ('warning_remainder_minutes', '0'),
            ('max_extensions', '2')
        ON CONFLICT (key) DO NOTHING
    """)


def downgrade() -> None:
    op.execute("DROP FUNCTION seatdesk_sweep_deadlines()")
    op.execute("DROP FUNCTION seatdesk_sweep_deadlines_at(timestamptz)")
    op.execute("DROP FUNCTION seatdesk_deadline_status(timestamptz, timestamptz, timestamptz)")
    op.execute("REVOKE INSERT ON case_events FROM seatdesk_admin")
    op.execute("REVOKE UPDATE ON cases FROM seatdesk_admin")
    op.execute("DELETE FROM time_limits")
    op.alter_column("time_limits", "amount", type_=sa.Numeric(8, 2))
    op.drop_constraint(op.f("ck_cases_stage"), "cases", type_="check")
    op.drop_column('cases', 'warning_at')
    op.drop_column('cases', 'allowance_minutes')
    op.drop_column('cases', 'clock_start')
    op.drop_column('cases', 'stage_limit_minutes')
    op.drop_column('cases', 'stage_limit_unit')
    op.drop_column('cases', 'stage')
    op.drop_table('centre_settings')
    op.drop_table('calendar_years')
    op.drop_table('calendar_days')
