"""accounts: password policy and SCRAM derivation in the database, audited user
management, role changes, and disabled users' sessions ended

Design (what an admin with psql can and cannot do):

* The client sends the *password*, never a verifier. The functions that set one
  (``seatdesk_create_user``, ``seatdesk_set_password``) check it against the policy of
  ``seatdesk/domain/passwords.py`` (等保 2.0 level 3: at least 8 characters, three of
  lower case, upper case, digits and symbols, not containing the login; printable ASCII,
  so that SASLprep leaves it unchanged; at most 128 characters) and derive the
  SCRAM-SHA-256 verifier themselves: PBKDF2-HMAC-SHA256 written with the built-in
  ``sha256()``, 4096 iterations (PostgreSQL's own default), a 16-byte salt from
  ``gen_random_uuid()``'s strong random source. A client that computed a verifier itself
  could store any password it liked, weak ones included, so no function takes one: the
  policy holds for psql as for the desk. The verifier is checked once more before it is
  stored, strictly (``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``,
  iterations >= 4096, 32-byte keys), by ``seatdesk_scram_verifier_ok``, so a string that
  only begins like a verifier can never reach ``ALTER ROLE … PASSWORD`` (which would
  store it as a plaintext password).
* No secret reaches the server log. PostgreSQL logs the text of a failing statement
  (``log_min_error_statement``), and psycopg2 writes parameters into the text; so the
  client sends the password by ``COPY … FROM STDIN`` into a temporary table of its own
  session (hex-encoded, so the COPY cannot fail on its content) and the call reads it
  from there: neither the statement text nor its parameters hold it, whatever the
  server's logging settings (``log_statement = all`` logs bound parameters, not COPY
  data). Inside the functions, ``ALTER ROLE`` runs in a block that replaces any error
  with one naming no verifier (the CONTEXT of a failing dynamic statement would quote
  it), and no message names the password. Seat groups get TEMPORARY on the database for
  this (PUBLIC has it by default; the grant keeps it when PUBLIC loses it).
* Disabling a user ends its sessions: a deferred constraint trigger on ``users`` runs
  ``pg_terminate_backend`` on every backend of the login when the transaction that
  disabled it commits (not before: a rolled-back disable ends nothing). Terminating
  another role's backend needs membership in ``pg_signal_backend`` (or superuser); this
  migration grants it to the migrating role (the functions' owner) when it can.
* Every account created, role change, password set, disable and enable is a row of
  ``user_events`` (who = ``session_user``, when, what; never a password or verifier),
  an append-only table the admin group reads and nobody writes but these functions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
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
ROLES_ARRAY = "ARRAY[" + ", ".join(f"'{g}'" for g in SEAT_GROUPS) + "]"
#: The seat roles by name; their group in this database is ``seatdesk_group(role)``.
ROLE_NAMES = "ARRAY[" + ", ".join(f"'{g.removeprefix('seatdesk_')}'" for g in SEAT_GROUPS) + "]"
#: The actions of ``user_events`` (``seatdesk.services.users.UserAction`` says the same).
USER_ACTIONS = [
    "user_created",
    "roles_changed",
    "password_reset",
    "password_changed",
    "disabled",
    "enabled",
]
SCRAM_ITERATIONS = 4096

INTERNAL_FUNCTIONS = [
    "seatdesk_password_problem(text, text)",
    "seatdesk_scram_verifier(text)",
    "seatdesk_scram_verifier_ok(text)",
    "seatdesk_store_verifier(text, text)",
    "seatdesk_log_user_event(text, text, jsonb)",
    "seatdesk_check_roles(text[], text)",
    "seatdesk_end_sessions()",
]


def _list(names: list[str]) -> str:
    return ", ".join(names)


def upgrade() -> None:
    # ---- The audit log of user management: append-only, read by the admin group.
    actions = ", ".join(f"'{a}'" for a in USER_ACTIONS)
    op.execute(f"""
        CREATE TABLE user_events (
            id bigint GENERATED ALWAYS AS IDENTITY,
            at timestamptz NOT NULL DEFAULT now(),
            actor varchar(63) NOT NULL,
            action varchar(30) NOT NULL,
            login varchar(63) NOT NULL,
            detail jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            CONSTRAINT pk_user_events PRIMARY KEY (id),
            CONSTRAINT ck_user_events_action CHECK (action IN ({actions}))
        )
    """)
    op.execute("CREATE INDEX ix_user_events_login ON user_events (login, id)")
    op.execute("""
        CREATE TRIGGER user_events_append_only BEFORE UPDATE OR DELETE ON user_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER user_events_no_truncate BEFORE TRUNCATE ON user_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("REVOKE ALL ON user_events FROM PUBLIC")
    op.execute("GRANT SELECT ON user_events TO seatdesk_admin")

    # ---- The password policy (seatdesk/domain/passwords.py says the same, in order).
    op.execute("""
        CREATE FUNCTION seatdesk_password_problem(p_login text, p_password text)
        RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
        BEGIN
            IF p_password IS NULL OR p_password !~ '^[ -~]*$' THEN
                RETURN 'password_characters';
            ELSIF length(p_password) < 8 THEN
                RETURN 'password_too_short';
            ELSIF length(p_password) > 128 THEN
                RETURN 'password_too_long';
            ELSIF (p_password ~ '[a-z]')::int + (p_password ~ '[A-Z]')::int
                  + (p_password ~ '[0-9]')::int + (p_password ~ '[^a-zA-Z0-9]')::int < 3 THEN
                RETURN 'password_few_classes';
            ELSIF strpos(lower(p_password), lower(p_login)) > 0 THEN
                RETURN 'password_contains_login';
            END IF;
            RETURN NULL;
        END $$
    """)

    # ---- SCRAM-SHA-256 (RFC 5802/7677) derived here: PBKDF2-HMAC-SHA256 on sha256().
    op.execute(f"""
        CREATE FUNCTION seatdesk_scram_verifier(p_password text) RETURNS text
        LANGUAGE plpgsql VOLATILE STRICT SET search_path = public, pg_temp AS $$
        DECLARE
            iterations constant integer := {SCRAM_ITERATIONS};
            salt bytea := substr(sha256(uuid_send(gen_random_uuid())
                                        || uuid_send(gen_random_uuid())), 1, 16);
            k bytea := convert_to(p_password, 'UTF8');
            ipad bytea;
            opad bytea;
            u bytea;
            acc bit(256);
            salted bytea;
            client_key bytea;
            server_key bytea;
            i integer;
        BEGIN
            -- HMAC keys longer than the block are hashed first; shorter ones zero-padded.
            IF length(k) > 64 THEN
                k := sha256(k);
            END IF;
            k := k || decode(repeat('00', 64 - length(k)), 'hex');
            ipad := k;
            opad := k;
            FOR i IN 0..63 LOOP
                ipad := set_byte(ipad, i, get_byte(k, i) # 54);  -- 0x36
                opad := set_byte(opad, i, get_byte(k, i) # 92);  -- 0x5c
            END LOOP;
            -- PBKDF2, one 32-byte block: U1 = HMAC(P, salt || INT(1)), Ui = HMAC(P, Ui-1).
            u := sha256(opad || sha256(ipad || salt || '\\x00000001'::bytea));
            acc := ('x' || encode(u, 'hex'))::bit(256);
            FOR i IN 2..iterations LOOP
                u := sha256(opad || sha256(ipad || u));
                acc := acc # ('x' || encode(u, 'hex'))::bit(256);
            END LOOP;
            salted := decode(
                lpad(to_hex(substring(acc FROM 1 FOR 64)::bigint), 16, '0')
                || lpad(to_hex(substring(acc FROM 65 FOR 64)::bigint), 16, '0')
                || lpad(to_hex(substring(acc FROM 129 FOR 64)::bigint), 16, '0')
                || lpad(to_hex(substring(acc FROM 193 FOR 64)::bigint), 16, '0'), 'hex');
            -- ClientKey = HMAC(SaltedPassword, 'Client Key'), likewise ServerKey.
            k := salted || decode(repeat('00', 32), 'hex');
            ipad := k;
            opad := k;
            FOR i IN 0..63 LOOP
                ipad := set_byte(ipad, i, get_byte(k, i) # 54);
                opad := set_byte(opad, i, get_byte(k, i) # 92);
            END LOOP;
            client_key := sha256(opad || sha256(ipad || convert_to('Client Key', 'UTF8')));
            server_key := sha256(opad || sha256(ipad || convert_to('Server Key', 'UTF8')));
            RETURN format('SCRAM-SHA-256$%s:%s$%s:%s', iterations, encode(salt, 'base64'),
                          encode(sha256(client_key), 'base64'),
                          encode(server_key, 'base64'));
        END $$
    """)
    # Strict: base64 of 32 bytes is 43 characters and one '='.
    op.execute("""
        CREATE FUNCTION seatdesk_scram_verifier_ok(p_verifier text) RETURNS boolean
        LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
            SELECT coalesce(
                p_verifier ~ ('^SCRAM-SHA-256\\$[1-9][0-9]{3,8}:'
                              '(?:[A-Za-z0-9+/]{4})*'
                              '(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)'
                              '\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$')
                AND substring(p_verifier FROM '^SCRAM-SHA-256\\$([0-9]+):')::integer >= 4096,
                false)
        $$
    """)
    # Sets a login's password from a verifier; no error of it can quote the verifier.
    op.execute("""
        CREATE FUNCTION seatdesk_store_verifier(p_login text, p_verifier text) RETURNS void
        LANGUAGE plpgsql SET search_path = public, pg_temp SET lock_timeout = '5s' AS $$
        BEGIN
            IF NOT seatdesk_scram_verifier_ok(p_verifier) THEN
                RAISE EXCEPTION 'a password must be stored as a well-formed SCRAM-SHA-256 '
                                'verifier' USING ERRCODE = '22023', COLUMN = 'password',
                                CONSTRAINT = 'password_not_scram';
            END IF;
            BEGIN
                EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
            -- A cancel or a statement timeout is no OTHERS: caught by name, so that the
            -- statement with the verifier never reaches the log as an error's context.
            EXCEPTION WHEN query_canceled THEN
                RAISE EXCEPTION 'the password change of % was cancelled', p_login
                    USING ERRCODE = 'query_canceled';
            WHEN OTHERS THEN
                RAISE EXCEPTION 'the password of % could not be set: %', p_login, SQLERRM
                    USING ERRCODE = SQLSTATE;
            END;
        END $$
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_log_user_event(p_action text, p_login text, p_detail jsonb)
        RETURNS void
        LANGUAGE sql SET search_path = public, pg_temp AS $$
            INSERT INTO user_events (actor, action, login, detail)
            VALUES (seatdesk_actor(), p_action, p_login, coalesce(p_detail, '{}'::jsonb))
        $$
    """)
    op.execute("""
        CREATE FUNCTION seatdesk_check_roles(p_roles text[], p_department text) RETURNS void
        LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
        BEGIN
            IF p_roles IS NULL OR cardinality(p_roles) = 0 THEN
                RAISE EXCEPTION 'a user needs at least one role'
                    USING ERRCODE = '22023', COLUMN = 'roles', CONSTRAINT = 'required';
            END IF;
            IF EXISTS (SELECT 1 FROM unnest(p_roles) r
                       WHERE NOT ('seatdesk_' || r) = ANY (%(roles)s)) THEN
                RAISE EXCEPTION 'unknown role in %%', p_roles
                    USING ERRCODE = '22023', COLUMN = 'roles', CONSTRAINT = 'unknown';
            END IF;
            IF ('department' = ANY (p_roles)) <> (p_department IS NOT NULL) THEN
                RAISE EXCEPTION 'a department user, and only one, needs a department'
                    USING ERRCODE = '22023', COLUMN = 'department',
                          CONSTRAINT = 'department_needs_code';
            END IF;
            IF p_department IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM departments WHERE code = p_department) THEN
                RAISE EXCEPTION 'no department %%', p_department
                    USING ERRCODE = '22023', COLUMN = 'department', CONSTRAINT = 'unknown';
            END IF;
        END $$
    """ % {"roles": ROLES_ARRAY})

    # ---- The user functions of 0002, replaced: passwords in, verifiers derived here.
    op.execute("DROP FUNCTION seatdesk_create_user(text, text, text, text[], text)")
    op.execute("""
        CREATE FUNCTION seatdesk_create_user(
            p_login text, p_password text, p_display text, p_roles text[], p_department text
        ) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            r text;
            problem text;
        BEGIN
            IF p_login IS NULL OR p_login !~ '^[a-z][a-z0-9_]{0,39}$'
               OR p_login LIKE 'seatdesk\\_%' OR p_login LIKE 'pg\\_%'
               OR p_login LIKE 'sd\\_%' THEN
                RAISE EXCEPTION 'invalid user name %', p_login
                    USING ERRCODE = '22023', COLUMN = 'login', CONSTRAINT = 'bad_login';
            END IF;
            problem := seatdesk_password_problem(p_login, p_password);
            IF problem IS NOT NULL THEN
                RAISE EXCEPTION 'the password is refused: %', problem
                    USING ERRCODE = '22023', COLUMN = 'password', CONSTRAINT = problem;
            END IF;
            PERFORM seatdesk_check_roles(p_roles, p_department);
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
                RAISE EXCEPTION 'user % already exists', p_login USING ERRCODE = '42710';
            END IF;
            INSERT INTO users (login, display_name, roles, department_code)
            VALUES (p_login, coalesce(nullif(p_display, ''), p_login), p_roles, p_department);
            EXECUTE format('CREATE ROLE %I LOGIN', p_login);
            PERFORM seatdesk_store_verifier(p_login, seatdesk_scram_verifier(p_password));
            FOREACH r IN ARRAY p_roles LOOP
                EXECUTE format('GRANT %I TO %I', seatdesk_group(r), p_login);
            END LOOP;
            PERFORM seatdesk_log_user_event('user_created', p_login, jsonb_build_object(
                'display_name', coalesce(nullif(p_display, ''), p_login),
                'roles', to_jsonb(p_roles), 'department', p_department));
        END $$
    """)
    op.execute("DROP FUNCTION seatdesk_set_password(text, text)")
    op.execute("""
        CREATE FUNCTION seatdesk_set_password(p_login text, p_password text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            own boolean := p_login = seatdesk_actor();
            problem text;
        BEGIN
            -- One's own password; anyone's for an admin seat, or for the owner's side
            -- (the command line of the database administrator).
            IF NOT own
               AND NOT EXISTS (SELECT 1 FROM users WHERE login = seatdesk_actor() AND active
                                                     AND 'admin' = ANY (roles))
               AND NOT pg_has_role(session_user,
                                   (SELECT relowner FROM pg_class WHERE oid = 'users'::regclass),
                                   'USAGE') THEN
                RAISE EXCEPTION 'only an admin sets the password of another user'
                    USING ERRCODE = '42501';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM users WHERE login = p_login) THEN
                RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
            END IF;
            problem := seatdesk_password_problem(p_login, p_password);
            IF problem IS NOT NULL THEN
                RAISE EXCEPTION 'the password is refused: %', problem
                    USING ERRCODE = '22023', COLUMN = 'password', CONSTRAINT = problem;
            END IF;
            PERFORM seatdesk_store_verifier(p_login, seatdesk_scram_verifier(p_password));
            PERFORM seatdesk_log_user_event(
                CASE WHEN own THEN 'password_changed' ELSE 'password_reset' END, p_login,
                '{}'::jsonb);
        END $$
    """)
    op.execute("""
        CREATE OR REPLACE FUNCTION seatdesk_set_active(p_login text, p_active boolean)
        RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            was boolean;
        BEGIN
            IF p_active IS NULL THEN
                RAISE EXCEPTION 'enable or disable?' USING ERRCODE = '22023';
            END IF;
            IF NOT p_active AND p_login = seatdesk_actor() THEN
                RAISE EXCEPTION 'an admin cannot disable their own account'
                    USING ERRCODE = '22023', COLUMN = 'login', CONSTRAINT = 'self';
            END IF;
            SELECT active INTO was FROM users WHERE login = p_login FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
            END IF;
            UPDATE users SET active = p_active WHERE login = p_login;
            EXECUTE format('ALTER ROLE %I %s', p_login,
                           CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
            PERFORM seatdesk_log_user_event(
                CASE WHEN p_active THEN 'enabled' ELSE 'disabled' END, p_login,
                jsonb_build_object('was_active', was));
        END $$
    """)
    op.execute(f"""
        CREATE FUNCTION seatdesk_set_roles(p_login text, p_roles text[], p_department text)
        RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            old_roles text[];
            old_department text;
            v_role text;
            g text;
        BEGIN
            SELECT roles, department_code INTO old_roles, old_department
            FROM users WHERE login = p_login FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
            END IF;
            PERFORM seatdesk_check_roles(p_roles, p_department);
            IF p_login = seatdesk_actor() AND 'admin' = ANY (old_roles)
               AND NOT 'admin' = ANY (p_roles) THEN
                RAISE EXCEPTION 'an admin cannot take their own admin role away'
                    USING ERRCODE = '22023', COLUMN = 'roles', CONSTRAINT = 'self';
            END IF;
            SELECT array_agg(DISTINCT r ORDER BY r) INTO p_roles FROM unnest(p_roles) r;
            UPDATE users SET roles = p_roles, department_code = p_department
            WHERE login = p_login;
            FOREACH v_role IN ARRAY {ROLE_NAMES} LOOP
                g := seatdesk_group(v_role);
                IF v_role = ANY (p_roles) THEN
                    IF NOT pg_has_role(p_login, g, 'MEMBER') THEN
                        EXECUTE format('GRANT %I TO %I', g, p_login);
                    END IF;
                ELSIF EXISTS (SELECT 1 FROM pg_auth_members m
                              WHERE m.roleid = g::regrole AND m.member = p_login::regrole) THEN
                    EXECUTE format('REVOKE %I FROM %I', g, p_login);
                END IF;
            END LOOP;
            PERFORM seatdesk_log_user_event('roles_changed', p_login, jsonb_build_object(
                'from', jsonb_build_object('roles', to_jsonb(old_roles),
                                           'department', old_department),
                'to', jsonb_build_object('roles', to_jsonb(p_roles),
                                         'department', p_department)));
        END $$
    """)

    # ---- A disabled user's sessions end when the disabling transaction commits.
    op.execute("""
        CREATE FUNCTION seatdesk_end_sessions() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            PERFORM pg_terminate_backend(a.pid)
            FROM pg_stat_activity a
            WHERE a.usename = NEW.login AND a.pid <> pg_backend_pid();
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE CONSTRAINT TRIGGER users_disabled_end_sessions
        AFTER UPDATE OF active ON users DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (OLD.active AND NOT NEW.active)
        EXECUTE FUNCTION seatdesk_end_sessions()
    """)
    # pg_terminate_backend on another role's backend needs pg_signal_backend.
    op.execute("""
        DO $$
        BEGIN
            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
               AND NOT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
                BEGIN
                    EXECUTE format('GRANT pg_signal_backend TO %I', current_user);
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE WARNING 'the owner % cannot end the sessions of a disabled user: '
                                  'a superuser must GRANT pg_signal_backend TO %',
                                  current_user, current_user;
                END;
            END IF;
        END $$
    """)

    # ---- Who may call what.
    for fn in [*INTERNAL_FUNCTIONS,
               "seatdesk_create_user(text, text, text, text[], text)",
               "seatdesk_set_password(text, text)",
               "seatdesk_set_active(text, boolean)",
               "seatdesk_set_roles(text, text[], text)"]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in ("seatdesk_create_user(text, text, text, text[], text)",
               "seatdesk_set_active(text, boolean)",
               "seatdesk_set_roles(text, text[], text)"):
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO seatdesk_admin")
    # Every seat changes its own password; the function lets only an admin set another's.
    op.execute(
        f"GRANT EXECUTE ON FUNCTION seatdesk_set_password(text, text) TO {_list(SEAT_GROUPS)}"
    )
    # The password travels in a temporary table of the caller's session (see above).
    # (Needs the database's owner or a grant option: elsewhere PUBLIC's default serves.)
    op.execute(
        "DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO "
        + _list(SEAT_GROUPS) + "', current_database()); "
        "EXCEPTION WHEN insufficient_privilege THEN RAISE WARNING "
        "'seat groups need TEMPORARY on this database to set passwords'; END $$"
    )


def downgrade() -> None:
    op.execute(
        "DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM "
        + _list(SEAT_GROUPS) + "', current_database()); END $$"
    )
    # pg_signal_backend, if granted, stays: it may have been granted by someone else.
    op.execute("DROP TRIGGER users_disabled_end_sessions ON users")
    op.execute("DROP FUNCTION seatdesk_set_roles(text, text[], text)")
    op.execute("DROP FUNCTION seatdesk_create_user(text, text, text, text[], text)")
    op.execute("DROP FUNCTION seatdesk_set_password(text, text)")
    for fn in INTERNAL_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE user_events")
    # The functions of 0002 as they were.
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
        CREATE OR REPLACE FUNCTION seatdesk_set_active(p_login text, p_active boolean)
        RETURNS void
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
    for fn in ("seatdesk_create_user(text, text, text, text[], text)",
               "seatdesk_set_password(text, text)"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO seatdesk_admin")
