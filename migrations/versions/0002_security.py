"""security in the database: group roles, privileges, row-level security, audit triggers

The application connects to PostgreSQL directly, so the database enforces who may do
what. Each seat user is a login role, member of one group role per seat role; the
privileges go to the group roles; a department sees only its own cases; the audit log
accepts INSERT only and stamps its actor with ``current_user``; users are managed
through SECURITY DEFINER functions that only the admin group may execute.

Group roles are cluster-wide, so they are created if missing and never dropped (other
databases on the same server may use them).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEAT_GROUPS = [
    "seatdesk_acceptor",
    "seatdesk_shift_leader",
    "seatdesk_dispatcher",
    "seatdesk_inspector",
    "seatdesk_monitor",
    "seatdesk_department",
    "seatdesk_admin",
]
STAFF_GROUPS = [g for g in SEAT_GROUPS if g != "seatdesk_department"]
REFERENCE_TABLES = ["departments", "grids", "categories", "filing_conditions", "time_limits"]
ALL_TABLES = [*REFERENCE_TABLES, "users", "cases", "case_events", "attachments"]
CASE_WRITERS = [
    "seatdesk_acceptor",
    "seatdesk_shift_leader",
    "seatdesk_dispatcher",
    "seatdesk_monitor",
    "seatdesk_department",
]
EVENT_WRITERS = [*CASE_WRITERS, "seatdesk_inspector"]
CASE_CREATORS = ["seatdesk_acceptor", "seatdesk_monitor"]
ROLES_ARRAY = "ARRAY[" + ", ".join(f"'{g}'" for g in SEAT_GROUPS) + "]"


def _list(names: list[str]) -> str:
    return ", ".join(names)


def upgrade() -> None:
    op.execute(f"""
        DO $$
        DECLARE r text;
        BEGIN
            FOREACH r IN ARRAY {ROLES_ARRAY} LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', r);
                END IF;
            END LOOP;
        END $$;
    """)

    # Nobody but the owner changes the schema.
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    op.execute(
        "DO $$ BEGIN EXECUTE format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', "
        "current_database()); END $$"
    )
    op.execute(f"REVOKE ALL ON {_list(ALL_TABLES)}, case_number_counters FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {_list(SEAT_GROUPS)}")
    op.execute(f"GRANT SELECT ON {_list(ALL_TABLES)} TO {_list(SEAT_GROUPS)}")
    # Every workstation checks at login that the schema is the one it was built for.
    op.execute(f"GRANT SELECT ON alembic_version TO {_list(SEAT_GROUPS)}")
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON {_list(REFERENCE_TABLES)} TO seatdesk_admin")
    op.execute(f"GRANT INSERT ON cases TO {_list(CASE_CREATORS)}")
    op.execute(f"GRANT UPDATE ON cases TO {_list(CASE_WRITERS)}")
    op.execute(f"GRANT INSERT ON case_events TO {_list(EVENT_WRITERS)}")
    op.execute(f"GRANT INSERT ON attachments TO {_list(CASE_WRITERS)}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {_list(SEAT_GROUPS)}")

    # ---- Row-level security: a department sees only the cases dispatched to it.
    op.execute("""
        CREATE FUNCTION seatdesk_my_department() RETURNS text
        LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp AS $$
            SELECT department_code FROM users WHERE login = current_user AND active
        $$
    """)
    op.execute("ALTER TABLE cases ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY cases_staff ON cases TO {_list(STAFF_GROUPS)} USING (true)")
    op.execute("""
        CREATE POLICY cases_department ON cases TO seatdesk_department
        USING (current_department = seatdesk_my_department())
        WITH CHECK (current_department = seatdesk_my_department())
    """)
    for table in ("case_events", "attachments"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_staff ON {table} TO {_list(STAFF_GROUPS)} USING (true)")
        # The subquery on cases applies the cases policy: own department's cases only.
        op.execute(f"""
            CREATE POLICY {table}_department ON {table} TO seatdesk_department
            USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
            WITH CHECK (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
        """)

    # ---- The audit log is append-only, for every role including the owner.
    op.execute("""
        CREATE FUNCTION seatdesk_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$
    """)
    op.execute("""
        CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    # The actor is whoever the database says is acting, whatever the client sent.
    op.execute("""
        CREATE FUNCTION seatdesk_stamp_event() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.actor := current_user;
            NEW.at := now();
            RETURN NEW;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER case_events_stamp BEFORE INSERT ON case_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_stamp_event()
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_stamp_attachment() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.uploaded_by := current_user;
            NEW.uploaded_at := now();
            RETURN NEW;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER attachments_stamp BEFORE INSERT ON attachments
        FOR EACH ROW EXECUTE FUNCTION seatdesk_stamp_attachment()
    """)

    # ---- Case numbers: year + 7-digit sequence, without gaps from rolled-back work.
    op.execute("""
        CREATE FUNCTION seatdesk_next_case_number(p_at timestamptz) RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            y smallint := extract(year FROM p_at)::smallint;
            n integer;
        BEGIN
            INSERT INTO case_number_counters AS c (year, last) VALUES (y, 1)
            ON CONFLICT (year) DO UPDATE SET last = c.last + 1
            RETURNING c.last INTO n;
            RETURN y::text || lpad(n::text, 7, '0');
        END $$
    """)
    op.execute("REVOKE ALL ON FUNCTION seatdesk_next_case_number(timestamptz) FROM PUBLIC")
    op.execute(
        "GRANT EXECUTE ON FUNCTION seatdesk_next_case_number(timestamptz) TO "
        + _list(CASE_CREATORS)
    )

    # ---- User management, run as the owner, callable by the admin group only.
    op.execute(f"""
        CREATE FUNCTION seatdesk_create_user(
            p_login text, p_verifier text, p_display text, p_roles text[], p_department text
        ) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE r text;
        BEGIN
            IF p_login !~ '^[a-z][a-z0-9_]{{0,39}}$' OR p_login LIKE 'seatdesk\\_%'
               OR p_login LIKE 'pg\\_%' THEN
                RAISE EXCEPTION 'invalid user name %', p_login USING ERRCODE = '22023';
            END IF;
            IF p_verifier !~ '^SCRAM-SHA-256\\$' THEN
                RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier'
                    USING ERRCODE = '22023';
            END IF;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
                RAISE EXCEPTION 'user % already exists', p_login USING ERRCODE = '42710';
            END IF;
            INSERT INTO users (login, display_name, roles, department_code)
            VALUES (p_login, p_display, p_roles, p_department);
            EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_verifier);
            FOREACH r IN ARRAY p_roles LOOP
                IF NOT ('seatdesk_' || r) = ANY ({ROLES_ARRAY}) THEN
                    RAISE EXCEPTION 'unknown role %', r USING ERRCODE = '22023';
                END IF;
                EXECUTE format('GRANT %I TO %I', 'seatdesk_' || r, p_login);
            END LOOP;
        END $$
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_set_password(p_login text, p_verifier text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM users WHERE login = p_login) THEN
                RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
            END IF;
            IF p_verifier !~ '^SCRAM-SHA-256\\$' THEN
                RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier'
                    USING ERRCODE = '22023';
            END IF;
            EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
        END $$
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_set_active(p_login text, p_active boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            UPDATE users SET active = p_active WHERE login = p_login;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
            END IF;
            EXECUTE format('ALTER ROLE %I %s', p_login,
                           CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
        END $$
    """)
    for fn in (
        "seatdesk_create_user(text, text, text, text[], text)",
        "seatdesk_set_password(text, text)",
        "seatdesk_set_active(text, boolean)",
    ):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO seatdesk_admin")


def downgrade() -> None:
    for fn in (
        "seatdesk_create_user(text, text, text, text[], text)",
        "seatdesk_set_password(text, text)",
        "seatdesk_set_active(text, boolean)",
        "seatdesk_next_case_number(timestamptz)",
    ):
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TRIGGER attachments_stamp ON attachments")
    op.execute("DROP TRIGGER case_events_stamp ON case_events")
    op.execute("DROP TRIGGER case_events_no_truncate ON case_events")
    op.execute("DROP TRIGGER case_events_append_only ON case_events")
    op.execute("DROP FUNCTION seatdesk_stamp_attachment()")
    op.execute("DROP FUNCTION seatdesk_stamp_event()")
    op.execute("DROP FUNCTION seatdesk_refuse_change()")
    for table in ("case_events", "attachments"):
        op.execute(f"DROP POLICY {table}_department ON {table}")
        op.execute(f"DROP POLICY {table}_staff ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP POLICY cases_department ON cases")
    op.execute("DROP POLICY cases_staff ON cases")
    op.execute("ALTER TABLE cases DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION seatdesk_my_department()")
    op.execute(f"REVOKE ALL ON {_list(ALL_TABLES)}, alembic_version FROM {_list(SEAT_GROUPS)}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {_list(SEAT_GROUPS)}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {_list(SEAT_GROUPS)}")
