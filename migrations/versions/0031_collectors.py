"""collectors (信息采集员): the register, their responsibility grids (责任网格), and the
patrol density (巡查密度) of each grid type

    collectors            the register; ``collector_id`` is the name the intake and the
                          verify/check tasks already carry (``intake_items.collector``,
                          ``collector_tasks.collector``, 0017/0023), so existing data fits
                          the register without being rewritten
    grid_types            a grid type and its patrol density in visits per day (seeded:
                          重点区域 3, 一般区域 1, 城郊区域 0.5; a grid of no type is 一般)
    grid_patrol_types     the type of a grid (none: ``general``)
    collector_grids       who is responsible for a grid, and since when: a grid has at most
                          one current row (``valid_to IS NULL``, a unique index); rebinding
                          or unbinding ends the row, so the history stays
    collector_events      the audit of every change, append-only

    seatdesk_save_collector(id, name, staff_number, phone, device_id, active)   admin
    seatdesk_bind_grids(collector_id, grids[]) → n                              admin
    seatdesk_unbind_grids(grids[]) → n                                          admin
    seatdesk_set_patrol_density(type, name, visits_per_day)                     admin
    seatdesk_set_grid_type(grids[], type) → n                                   admin

Every seat may call the functions, so that a refusal names who may (SD403). Each locks
what it decides on (the collector row, the grids' current bindings in code order, so two
administrators binding overlapping grids cannot deadlock), writes one audit row and is
announced on the change-notice channel as kind ``collectors`` (0009's contract). A
deactivated collector's grids are unbound in the same transaction: a grid is never left
bound to somebody who no longer patrols.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
#: Who reads the register and the grids: every staff seat (the acceptor addresses tasks
#: by it), never a department (a collector's phone is no business of theirs).
READERS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
AUDIT_READERS = ["admin", "inspector"]
TABLES = ["collectors", "grid_types", "grid_patrol_types", "collector_grids"]
#: The seeded grid types: (code, name, visits per day).
GRID_TYPES = [("key", "重点区域", 3), ("general", "一般区域", 1), ("outskirts", "城郊区域", 0.5)]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]::text[]"


def _grant(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT " + privilege + " ON " + obj
        + " TO %s', (SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + _array(roles) + ") r)); END $$"
    )


def _policy(name: str, table: str, roles: list[str], using: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format('CREATE POLICY " + name + " ON " + table
        + " TO %s USING (" + using.replace("'", "''") + ")', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


_TABLES = """
CREATE TABLE collectors (
    collector_id text PRIMARY KEY
        CONSTRAINT ck_collectors_id CHECK (length(collector_id) BETWEEN 1 AND 100),
    name text NOT NULL CONSTRAINT ck_collectors_name CHECK (length(name) BETWEEN 1 AND 100),
    staff_number text CONSTRAINT uq_collectors_staff_number UNIQUE,
    phone text,
    device_id text CONSTRAINT uq_collectors_device UNIQUE,
    active boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);
CREATE TABLE grid_types (
    code text PRIMARY KEY CONSTRAINT ck_grid_types_code CHECK (code ~ '^[a-z0-9_]{1,30}$'),
    name text NOT NULL CONSTRAINT ck_grid_types_name CHECK (length(name) BETWEEN 1 AND 50),
    visits_per_day numeric NOT NULL
        CONSTRAINT ck_grid_types_visits CHECK (visits_per_day >= 0 AND visits_per_day <= 100)
);
CREATE TABLE grid_patrol_types (
    grid_code varchar(15) PRIMARY KEY REFERENCES grids (code),
    grid_type text NOT NULL REFERENCES grid_types (code)
);
CREATE TABLE collector_grids (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_code varchar(15) NOT NULL REFERENCES grids (code),
    collector_id text NOT NULL REFERENCES collectors (collector_id),
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    bound_by text NOT NULL,
    unbound_by text,
    CONSTRAINT ck_collector_grids_period CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- A grid has at most one responsible collector at a time.
CREATE UNIQUE INDEX uq_collector_grids_current ON collector_grids (grid_code)
    WHERE valid_to IS NULL;
CREATE INDEX ix_collector_grids_collector ON collector_grids (collector_id, valid_from);
CREATE TABLE collector_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    data jsonb NOT NULL
);
CREATE TRIGGER collector_events_append_only BEFORE UPDATE OR DELETE ON collector_events
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER collector_events_no_truncate BEFORE TRUNCATE ON collector_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
-- Reports of a grid and tasks answered in a period: the coverage view's two scans.
-- (A period's reports of every grid: a range of created_at, the grid read from the index.)
CREATE INDEX ix_cases_collector_reports ON cases (created_at) INCLUDE (grid_code)
    WHERE source = 'collector';
CREATE INDEX ix_collector_tasks_answered ON collector_tasks (answered_at);
"""

#: The refusal of a caller who is not an administrator.
_ADMIN_ONLY = """
    IF NOT 'admin' = ANY (me.roles) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not change the collectors', me.login),
            jsonb_build_object('subject', 'collectors', 'action', '{action}',
                               'roles', me.roles, 'allowed', ARRAY['admin']));
    END IF;"""

#: White space of every kind trimmed (what ``seatdesk_case_act`` trims, 0027); empty → NULL.
_TRIM = r"""
CREATE FUNCTION seatdesk_collector_text(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(regexp_replace(p,
        '^[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$',
        '', 'g'), '')
$$;
-- The grids of an argument: each must be a grid active today; at most 10,000 at once.
CREATE FUNCTION seatdesk_collector_grid_list(p_grids text[]) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v text[] := ARRAY(SELECT DISTINCT g FROM unnest(p_grids) g WHERE g IS NOT NULL ORDER BY g);
    v_missing text;
BEGIN
    IF coalesce(cardinality(v), 0) = 0 THEN
        PERFORM seatdesk_invalid('grids', 'required');
    END IF;
    IF cardinality(v) > 10000 THEN
        PERFORM seatdesk_invalid('grids', 'too_many_at_once', jsonb_build_object('limit', 10000));
    END IF;
    SELECT g INTO v_missing FROM unnest(v) g
    WHERE NOT EXISTS (SELECT 1 FROM grids WHERE code = g AND start_date <= current_date
                      AND (end_date IS NULL OR end_date > current_date))
    ORDER BY g LIMIT 1;
    IF v_missing IS NOT NULL THEN
        PERFORM seatdesk_not_found('grid', v_missing);
    END IF;
    RETURN v;
END $$;
"""

_SAVE = f"""
CREATE FUNCTION seatdesk_save_collector(
    p_id text, p_name text, p_staff_number text, p_phone text, p_device_id text,
    p_active boolean
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_id text := seatdesk_collector_text(p_id);
    v_name text := seatdesk_collector_text(p_name);
    v_staff text := seatdesk_collector_text(p_staff_number);
    v_phone text := seatdesk_collector_text(p_phone);
    v_device text := seatdesk_collector_text(p_device_id);
    v_now timestamptz := clock_timestamp();
    v_old collectors%ROWTYPE;
    v_other text;
    v_unbound integer := 0;
BEGIN{_ADMIN_ONLY.format(action="save_collector")}
    IF v_id IS NULL THEN PERFORM seatdesk_invalid('collector_id', 'required'); END IF;
    PERFORM seatdesk_check_length('collector_id', v_id, 100);
    IF v_id ~ '[[:cntrl:]]' THEN PERFORM seatdesk_invalid('collector_id', 'control_character'); END IF;
    IF v_name IS NULL THEN PERFORM seatdesk_invalid('collector_name', 'required'); END IF;
    PERFORM seatdesk_check_length('collector_name', v_name, 100);
    IF v_staff IS NOT NULL AND v_staff !~ '^[A-Za-z0-9_-]{{1,30}}$' THEN
        PERFORM seatdesk_invalid('staff_number', 'malformed');
    END IF;
    IF v_phone IS NOT NULL AND v_phone !~ '^\\+?[0-9][0-9 -]{{2,28}}$' THEN
        PERFORM seatdesk_invalid('collector_phone', 'not_a_phone', jsonb_build_object('value', v_phone));
    END IF;
    PERFORM seatdesk_check_length('device_id', v_device, 100);
    -- A line break or an escape in a name would garble every list and sheet it is in.
    IF v_name ~ '[[:cntrl:]]' THEN PERFORM seatdesk_invalid('collector_name', 'control_character'); END IF;
    IF v_device ~ '[[:cntrl:]]' THEN PERFORM seatdesk_invalid('device_id', 'control_character'); END IF;
    IF p_active IS NULL THEN PERFORM seatdesk_invalid('active', 'required'); END IF;
    -- Two administrators saving the same collector: one after the other.
    PERFORM pg_advisory_xact_lock(hashtext('seatdesk_collectors'));
    SELECT * INTO v_old FROM collectors WHERE collector_id = v_id FOR UPDATE;
    SELECT collector_id INTO v_other FROM collectors
    WHERE staff_number = v_staff AND collector_id <> v_id;
    IF v_other IS NOT NULL THEN
        PERFORM seatdesk_invalid('staff_number', 'taken', jsonb_build_object('value', v_staff));
    END IF;
    SELECT collector_id INTO v_other FROM collectors
    WHERE device_id = v_device AND collector_id <> v_id;
    IF v_other IS NOT NULL THEN
        PERFORM seatdesk_invalid('device_id', 'taken', jsonb_build_object('value', v_device));
    END IF;
    INSERT INTO collectors (collector_id, name, staff_number, phone, device_id, active,
                            updated_at, updated_by)
    VALUES (v_id, v_name, v_staff, v_phone, v_device, p_active, v_now, me.login)
    ON CONFLICT (collector_id) DO UPDATE SET
        name = EXCLUDED.name, staff_number = EXCLUDED.staff_number, phone = EXCLUDED.phone,
        device_id = EXCLUDED.device_id, active = EXCLUDED.active,
        updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
    IF NOT p_active THEN
        -- Nobody patrols for a deactivated collector: their grids become unassigned.
        UPDATE collector_grids SET valid_to = v_now, unbound_by = me.login
        WHERE collector_id = v_id AND valid_to IS NULL;
        GET DIAGNOSTICS v_unbound = ROW_COUNT;
    END IF;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (v_now, me.login, CASE WHEN v_old.collector_id IS NULL THEN 'add' ELSE 'edit' END,
            v_id, jsonb_build_object('name', v_name, 'staff_number', v_staff,
                                     'phone', v_phone, 'device_id', v_device,
                                     'active', p_active, 'unbound', v_unbound,
                                     'before', CASE WHEN v_old.collector_id IS NOT NULL
                                                    THEN to_jsonb(v_old) END));
END $$;
"""

_BIND = f"""
CREATE FUNCTION seatdesk_bind_grids(p_collector text, p_grids text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_grids text[];
    v_active boolean;
    n integer;
BEGIN{_ADMIN_ONLY.format(action="bind_grids")}
    SELECT active INTO v_active FROM collectors WHERE collector_id = p_collector FOR SHARE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('collector', coalesce(p_collector, ''));
    END IF;
    IF NOT v_active THEN
        PERFORM seatdesk_invalid('collector', 'inactive', jsonb_build_object('value', p_collector));
    END IF;
    v_grids := seatdesk_collector_grid_list(p_grids);
    -- The grids' current bindings, locked in code order (no deadlock between two admins).
    PERFORM pg_advisory_xact_lock(hashtext('seatdesk_collector_grids'));
    UPDATE collector_grids SET valid_to = v_now, unbound_by = me.login
    WHERE grid_code = ANY (v_grids) AND valid_to IS NULL AND collector_id <> p_collector;
    INSERT INTO collector_grids (grid_code, collector_id, valid_from, bound_by)
    SELECT g, p_collector, v_now, me.login FROM unnest(v_grids) g
    WHERE NOT EXISTS (SELECT 1 FROM collector_grids b
                      WHERE b.grid_code = g AND b.valid_to IS NULL)
    ORDER BY g;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (v_now, me.login, 'bind', p_collector,
            jsonb_build_object('grids', to_jsonb(v_grids), 'bound', n));
    RETURN n;
END $$;

CREATE FUNCTION seatdesk_unbind_grids(p_grids text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_grids text[];
    n integer;
BEGIN{_ADMIN_ONLY.format(action="unbind_grids")}
    v_grids := seatdesk_collector_grid_list(p_grids);
    PERFORM pg_advisory_xact_lock(hashtext('seatdesk_collector_grids'));
    UPDATE collector_grids SET valid_to = v_now, unbound_by = me.login
    WHERE grid_code = ANY (v_grids) AND valid_to IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (v_now, me.login, 'unbind', '', jsonb_build_object('grids', to_jsonb(v_grids),
                                                              'unbound', n));
    RETURN n;
END $$;
"""

_DENSITY = f"""
CREATE FUNCTION seatdesk_set_patrol_density(p_type text, p_name text, p_visits numeric)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_type text := seatdesk_collector_text(p_type);
    v_name text := seatdesk_collector_text(p_name);
BEGIN{_ADMIN_ONLY.format(action="set_density")}
    IF v_type IS NULL THEN PERFORM seatdesk_invalid('grid_type', 'required'); END IF;
    IF v_type !~ '^[a-z0-9_]{{1,30}}$' THEN
        PERFORM seatdesk_invalid('grid_type', 'malformed');
    END IF;
    IF v_name IS NULL THEN PERFORM seatdesk_invalid('grid_type_name', 'required'); END IF;
    PERFORM seatdesk_check_length('grid_type_name', v_name, 50);
    IF v_name ~ '[[:cntrl:]]' THEN PERFORM seatdesk_invalid('grid_type_name', 'control_character'); END IF;
    IF p_visits IS NULL THEN PERFORM seatdesk_invalid('visits_per_day', 'required'); END IF;
    IF p_visits < 0 OR p_visits > 100 OR p_visits = 'NaN'::numeric THEN
        PERFORM seatdesk_invalid('visits_per_day', 'out_of_range',
                                 jsonb_build_object('value', p_visits));
    END IF;
    -- Hundredths of a visit are enough; more digits only make the sheets unreadable.
    p_visits := round(p_visits, 2);
    PERFORM 1 FROM grid_types WHERE code = v_type FOR UPDATE;
    INSERT INTO grid_types (code, name, visits_per_day) VALUES (v_type, v_name, p_visits)
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                                     visits_per_day = EXCLUDED.visits_per_day;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (clock_timestamp(), me.login, 'density', v_type,
            jsonb_build_object('name', v_name, 'visits_per_day', p_visits));
END $$;

CREATE FUNCTION seatdesk_set_grid_type(p_grids text[], p_type text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_grids text[];
    n integer;
BEGIN{_ADMIN_ONLY.format(action="set_grid_type")}
    IF NOT EXISTS (SELECT 1 FROM grid_types WHERE code = p_type FOR SHARE) THEN
        PERFORM seatdesk_not_found('grid_type', coalesce(p_type, ''));
    END IF;
    v_grids := seatdesk_collector_grid_list(p_grids);
    INSERT INTO grid_patrol_types (grid_code, grid_type)
    SELECT g, p_type FROM unnest(v_grids) g ORDER BY g
    ON CONFLICT (grid_code) DO UPDATE SET grid_type = EXCLUDED.grid_type;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO collector_events (at, actor, action, subject, data)
    VALUES (clock_timestamp(), me.login, 'grid_type', p_type,
            jsonb_build_object('grids', to_jsonb(v_grids)));
    RETURN n;
END $$;
"""

PUBLIC_FUNCTIONS = {
    "seatdesk_save_collector(text, text, text, text, text, boolean)": ROLES,
    "seatdesk_bind_grids(text, text[])": ROLES,
    "seatdesk_unbind_grids(text[])": ROLES,
    "seatdesk_set_patrol_density(text, text, numeric)": ROLES,
    "seatdesk_set_grid_type(text[], text)": ROLES,
}
PRIVATE_FUNCTIONS = ["seatdesk_collector_text(text)", "seatdesk_collector_grid_list(text[])"]


def upgrade() -> None:
    op.execute(_TABLES)
    values = ", ".join(f"('{c}', '{n}', {v})" for c, n, v in GRID_TYPES)
    op.execute(f"INSERT INTO grid_types (code, name, visits_per_day) VALUES {values}")
    op.execute(_TRIM)
    op.execute(_SAVE)
    op.execute(_BIND)
    op.execute(_DENSITY)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute(f"REVOKE ALL ON {', '.join([*TABLES, 'collector_events'])} FROM PUBLIC")
    op.execute(_grant("SELECT", ", ".join(TABLES), READERS))
    op.execute(_grant("SELECT", "collector_events", AUDIT_READERS))
    for table in [*TABLES, "collector_events"]:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for table in TABLES:
        op.execute(_policy(f"{table}_readers", table, READERS, "true"))
    op.execute(_policy("collector_events_readers", "collector_events", AUDIT_READERS, "true"))
    # Open desks hear of every change through 0009's one contract.
    for table in TABLES:
        op.execute(f"""
            CREATE TRIGGER {table}_notice
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('collectors')
        """)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the audit of the register is not thrown away silently.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM collector_events) THEN
                RAISE EXCEPTION 'collector changes are audited in collector_events; '
                    '0027 has no place for them' USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP INDEX ix_collector_tasks_answered")
    op.execute("DROP INDEX ix_cases_collector_reports")
    op.execute("DROP TABLE collector_events, collector_grids, grid_patrol_types, grid_types, "
               "collectors")
