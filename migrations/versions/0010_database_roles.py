"""database roles: group roles and an owner that belong to this database alone

PostgreSQL's roles are cluster-wide. Until now every seatdesk database on a server used
the same group roles (``seatdesk_acceptor`` …), so a user created in a training copy
could act in production. From here each database has its own:

- group roles ``<prefix><role>``: ``seatdesk_`` for the database named ``seatdesk``
  (the embedded server's, so existing installations keep their names), ``sd_<name>_``
  for any other database (a hash stands in for a long name). Every privilege, policy,
  CONNECT grant and membership the shared names held in this database moves to them;
  ``seatdesk_group(role)`` answers the name, and the user functions grant through it;
- the owner ``<prefix>schema_owner``: NOLOGIN, not a superuser, with CREATEROLE (it
  creates the seat logins), ``pg_signal_backend`` (disabling a user ends its sessions),
  and ADMIN OPTION on the groups and seat logins of this database. It owns every table,
  sequence and function of the schema, so a SECURITY DEFINER function can do no more
  than seatdesk's own tables allow. The role that runs the migrations becomes a member
  of it; ``seatdesk.db.migrate.upgrade`` hands every object a later migration creates
  to it in the same transaction.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
ROLE_ARRAY = "ARRAY[" + ", ".join(f"'{r}'" for r in ROLES) + "]"

_UPGRADE = f"""
DO $$
DECLARE
    db text := current_database();
    prefix text;
    owner_role text;
    r text;
    old_name text;
    new_name text;
    x record;
    mapped text[];
BEGIN
    IF db = 'seatdesk' THEN
        prefix := 'seatdesk_';
    ELSE
        prefix := 'sd_' || left(regexp_replace(lower(db), '[^a-z0-9_]', '_', 'g'), 24);
        IF length(db) > 24 OR prefix <> 'sd_' || lower(db) THEN
            prefix := prefix || '_' || left(md5(db), 6);
        END IF;
        prefix := prefix || '_';
    END IF;
    owner_role := prefix || 'schema_owner';

    CREATE TABLE database_roles (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        group_prefix text NOT NULL,
        owner_role text NOT NULL
    );
    INSERT INTO database_roles (group_prefix, owner_role) VALUES (prefix, owner_role);

    -- The groups of this database, and everything the shared names held here.
    FOREACH r IN ARRAY {ROLE_ARRAY} LOOP
        old_name := 'seatdesk_' || r;
        new_name := prefix || r;
        IF new_name = old_name THEN
            CONTINUE;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = new_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', new_name);
        ELSIF (SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = new_name) THEN
            -- Someone made a login of that name beforehand (an admin seat of another
            -- database, say): it must never become this database's group.
            RAISE EXCEPTION 'role % already exists and can log in; it cannot be a group of '
                            'database %: drop or rename it first', new_name, db;
        END IF;
        FOR x IN
            SELECT c.oid::regclass::text AS obj, c.relkind, a.privilege_type
            FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
            WHERE c.relnamespace = 'public'::regnamespace
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = old_name)
        LOOP
            EXECUTE format('GRANT %s ON %s %s TO %I', x.privilege_type,
                           CASE WHEN x.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                           x.obj, new_name);
            EXECUTE format('REVOKE %s ON %s %s FROM %I', x.privilege_type,
                           CASE WHEN x.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                           x.obj, old_name);
        END LOOP;
        FOR x IN
            SELECT at.attrelid::regclass::text AS obj, at.attname, a.privilege_type
            FROM pg_attribute at CROSS JOIN LATERAL aclexplode(at.attacl) a
            JOIN pg_class c ON c.oid = at.attrelid
            WHERE c.relnamespace = 'public'::regnamespace
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = old_name)
        LOOP
            EXECUTE format('GRANT %s (%I) ON TABLE %s TO %I', x.privilege_type, x.attname,
                           x.obj, new_name);
            EXECUTE format('REVOKE %s (%I) ON TABLE %s FROM %I', x.privilege_type, x.attname,
                           x.obj, old_name);
        END LOOP;
        FOR x IN
            SELECT p.oid::regprocedure::text AS obj
            FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
            WHERE p.pronamespace = 'public'::regnamespace
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = old_name)
        LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', x.obj, new_name);
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM %I', x.obj, old_name);
        END LOOP;
        IF has_schema_privilege(old_name, 'public', 'USAGE') THEN
            EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', new_name);
            EXECUTE format('REVOKE USAGE ON SCHEMA public FROM %I', old_name);
        END IF;
        FOR x IN
            SELECT a.privilege_type FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) a
            WHERE d.datname = db
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = old_name)
        LOOP
            EXECUTE format('GRANT %s ON DATABASE %I TO %I', x.privilege_type, db, new_name);
            EXECUTE format('REVOKE %s ON DATABASE %I FROM %I', x.privilege_type, db, old_name);
        END LOOP;
    END LOOP;

    -- Policies name roles: each shared name becomes this database's.
    FOR x IN
        SELECT pol.polname, pol.polrelid::regclass::text AS tbl,
               array_agg(CASE WHEN g.rolname LIKE 'seatdesk\\_%' AND
                                   substr(g.rolname, 10) = ANY ({ROLE_ARRAY})
                              THEN prefix || substr(g.rolname, 10) ELSE g.rolname END) AS roles
        FROM pg_policy pol CROSS JOIN LATERAL unnest(pol.polroles) AS pr(oid)
        JOIN pg_roles g ON g.oid = pr.oid
        JOIN pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::regnamespace
        GROUP BY 1, 2
    LOOP
        EXECUTE format('ALTER POLICY %I ON %s TO %s', x.polname, x.tbl,
                       (SELECT string_agg(format('%I', n), ', ') FROM unnest(x.roles) n));
    END LOOP;

    -- The seat logins of this database move to its groups.
    FOR x IN SELECT login, roles FROM users LOOP
        FOREACH r IN ARRAY x.roles LOOP
            IF prefix <> 'seatdesk_' THEN
                EXECUTE format('GRANT %I TO %I', prefix || r, x.login);
                IF pg_has_role(x.login, 'seatdesk_' || r, 'MEMBER') THEN
                    EXECUTE format('REVOKE %I FROM %I', 'seatdesk_' || r, x.login);
                END IF;
            END IF;
        END LOOP;
    END LOOP;

    -- The owner: NOLOGIN, no superuser; it creates and manages the seat logins.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = owner_role) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER CREATEROLE', owner_role);
    ELSIF (SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = owner_role)
          OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                     WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = owner_role)
                       AND r.rolname <> current_user) THEN
        RAISE EXCEPTION 'role % already exists as a login or with members; it cannot own '
                        'database %: drop or rename it first', owner_role, db;
    END IF;
    EXECUTE format('GRANT %I TO %I', owner_role, current_user);
    FOREACH r IN ARRAY {ROLE_ARRAY} LOOP
        EXECUTE format('GRANT %I TO %I WITH ADMIN OPTION', prefix || r, owner_role);
    END LOOP;
    FOR x IN SELECT login FROM users LOOP
        EXECUTE format('GRANT %I TO %I WITH ADMIN OPTION', x.login, owner_role);
    END LOOP;
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE WITH ADMIN OPTION') THEN
        EXECUTE format('GRANT pg_signal_backend TO %I', owner_role);
        -- The sweep ends stuck seat sessions: it must see every session's state.
        EXECUTE format('GRANT pg_read_all_stats TO %I', owner_role);
    ELSE
        RAISE WARNING 'grant pg_signal_backend and pg_read_all_stats to % so that disabled '
                      'users and stuck seat sessions can be ended', owner_role;
    END IF;
    EXECUTE format('GRANT CREATE, USAGE ON SCHEMA public TO %I', owner_role);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, owner_role);
END $$;

CREATE OR REPLACE FUNCTION seatdesk_group(p_role text) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT group_prefix || p_role FROM database_roles
$$;

-- Every object of the schema belongs to the owner (run again after each upgrade).
CREATE FUNCTION seatdesk_hand_over() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    owner_role text := (SELECT owner_role FROM database_roles);
    x record;
    n integer := 0;
BEGIN
    FOR x IN
        SELECT c.oid::regclass::text AS obj, c.relkind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = owner_role)
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %I',
                       CASE x.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                      WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                       x.obj, owner_role);
        n := n + 1;
    END LOOP;
    FOR x IN
        SELECT p.oid::regprocedure::text AS obj FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = owner_role)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', x.obj, owner_role);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION seatdesk_hand_over() FROM PUBLIC;
REVOKE ALL ON database_roles FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(_UPGRADE)
    op.execute(
        "DO $$ BEGIN EXECUTE format('GRANT SELECT ON database_roles TO %s', "
        "(SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + ROLE_ARRAY
        + ") r)); END $$"
    )
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Objects go back to the role running the downgrade; the per-database groups keep
    # their privileges (moving them back could hand this database to another one's users).
    op.execute("""
        DO $$
        DECLARE x record;
        BEGIN
            FOR x IN
                SELECT c.oid::regclass::text AS obj, c.relkind FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace
                  AND c.relkind IN ('r', 'p', 'v', 'm')
            LOOP
                EXECUTE format('ALTER TABLE %s OWNER TO %I', x.obj, current_user);
            END LOOP;
            FOR x IN
                SELECT p.oid::regprocedure::text AS obj FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
            LOOP
                EXECUTE format('ALTER FUNCTION %s OWNER TO %I', x.obj, current_user);
            END LOOP;
        END $$
    """)
    op.execute("DROP FUNCTION seatdesk_hand_over()")
    op.execute("CREATE OR REPLACE FUNCTION seatdesk_group(p_role text) RETURNS text "
               "LANGUAGE sql STABLE AS $$ SELECT 'seatdesk_' || p_role $$")
    op.execute("DROP TABLE database_roles")
