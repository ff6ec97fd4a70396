"""change notices: one channel, announced by the database, for seatdesk's logins only

Every change a desk must hear about is announced on the one channel
``seatdesk_changes`` by triggers, whoever wrote it (a case function, the sweep, a
recomputation, an administrator, the owner): one statement-level trigger on the audit
log sends ``{"kind":"cases","first":<min id>,"last":<max id>}`` for the events one
statement wrote, and statement-level triggers on the reference tables send
``{"kind":"<entity>"}``. The payload carries no case id, state or department: a desk
asks the database, through row-level security, which cases those events belong to
(``seatdesk.notices``, which defines the same payloads).

A login on the same server that holds no seatdesk role can no longer connect to the
database at all, so it can neither LISTEN nor NOTIFY here: CONNECT goes to the seat
groups only, not PUBLIC (the database's owner keeps it).

The sweep function of 0003/0004 still sends its own old-format notices on
``seatdesk_cases``; it is being rewritten (0007), and meanwhile its flag events
announce themselves through the trigger.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHANNEL = "seatdesk_changes"
SEAT_GROUPS = [
    "seatdesk_acceptor",
    "seatdesk_shift_leader",
    "seatdesk_dispatcher",
    "seatdesk_inspector",
    "seatdesk_monitor",
    "seatdesk_department",
    "seatdesk_admin",
]
#: Reference table → the entity its notice names.
REFERENCE_ENTITIES = {
    "departments": "departments",
    "grids": "grids",
    "categories": "catalogue",
    "filing_conditions": "catalogue",
    "time_limits": "catalogue",
    "users": "users",
    "calendar_days": "calendar",
    "calendar_years": "calendar",
    "centre_settings": "calendar",
}


def upgrade() -> None:
    # ---- Cases: one notice per statement that wrote audit events. The transition
    # table holds exactly that statement's rows; no row-level work at all.
    op.execute(f"""
        CREATE FUNCTION seatdesk_notice_cases() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            first_id bigint;
            last_id bigint;
        BEGIN
            SELECT min(id), max(id) INTO first_id, last_id FROM written;
            IF first_id IS NOT NULL THEN
                PERFORM pg_notify('{CHANNEL}', format(
                    '{{"kind":"cases","first":%s,"last":%s}}', first_id, last_id));
            END IF;
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER case_events_notice AFTER INSERT ON case_events
        REFERENCING NEW TABLE AS written
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_cases()
    """)

    # ---- Reference data: the entity, whatever the statement did (identical notices
    # of one transaction reach a listener once).
    op.execute(f"""
        CREATE FUNCTION seatdesk_notice_entity() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', format('{{"kind":"%s"}}', TG_ARGV[0]));
            RETURN NULL;
        END $$
    """)
    for table, entity in REFERENCE_ENTITIES.items():
        op.execute(f"""
            CREATE TRIGGER {table}_notice
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('{entity}')
        """)
    for fn in ("seatdesk_notice_cases()", "seatdesk_notice_entity()"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")

    # ---- Only seatdesk's groups (and the owner) may connect to this database.
    op.execute(f"""
        DO $$
        BEGIN
            EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC',
                           current_database());
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO {", ".join(SEAT_GROUPS)}',
                           current_database());
            -- The database's owner holds CONNECT by owning it; the role migrating
            -- (when it is another one, e.g. a superuser) keeps it explicitly.
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I',
                           current_database(), current_user);
        END $$
    """)


def downgrade() -> None:
    op.execute(f"""
        DO $$
        BEGIN
            EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM {", ".join(SEAT_GROUPS)}',
                           current_database());
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC',
                           current_database());
        END $$
    """)
    for table in REFERENCE_ENTITIES:
        op.execute(f"DROP TRIGGER {table}_notice ON {table}")
    op.execute("DROP TRIGGER case_events_notice ON case_events")
    op.execute("DROP FUNCTION seatdesk_notice_entity()")
    op.execute("DROP FUNCTION seatdesk_notice_cases()")
