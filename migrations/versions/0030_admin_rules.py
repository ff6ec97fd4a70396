"""The centre's rules in the admin's hands: the catalogue, the stage limits, the audit

Issue 13 gives the administrator widgets for the catalogue (major and minor classes,
their filing conditions), the city's standard sheet, the Open311 service codes, the
centre's stage limits per urgency, the warning threshold, office hours and the calendar.
Until now the admin group wrote ``categories``, ``filing_conditions`` and
``time_limits`` directly (0002): a seat operator with psql could write anything there,
unaudited. It now writes them only through these functions (SECURITY DEFINER, an active
admin seat or the owner's side, each value checked, what they decide on locked):

- ``seatdesk_save_class(case_type, code, name, major_code, active)``: add, rename,
  (re)activate or deactivate a class (a deactivated major takes its minors along);
- ``seatdesk_save_filing_condition(category_id, seq, description, amount, unit,
  closing, handling, supervising)``: add (seq NULL: the next free one) or edit a
  filing condition of a minor class;
- ``seatdesk_apply_standard(case_type, rows)``: the city's standard sheet, every row
  checked, all applied or none (one call, one transaction);
- ``seatdesk_set_time_limit(stage, urgency, amount, unit)``: one of the centre's stage
  limits.

Every change of the rules, whoever makes it (these functions, 0006's calendar and
setting functions, 0017's Open311 mapping, the owner at the command line), is kept by a
row trigger in the append-only ``rules_events`` (the real login, the table, the key, the
old and the new row), which the admin reads. ``open311_services`` now announces itself
as a ``catalogue`` change notice (0009's contract).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

CASE_TYPES = ["component", "event"]
UNITS = ["emergency_hours", "working_hours", "working_days", "natural_days", "natural_hours"]
STAGES = ["verify", "register", "dispatch", "check", "close"]
URGENCIES = ["ordinary", "urgent"]
#: The largest time limit anyone may enter (in its unit): beyond any city's standard,
#: far below what the deadline arithmetic can hold.
MAX_LIMIT = 9999
#: Tables that are the centre's rules → the column that names a row in the audit.
AUDITED = {
    "categories": "id",
    "filing_conditions": "id",
    "time_limits": "id",
    "open311_services": "service_code",
    "calendar_days": "day",
    "calendar_years": "year",
    "centre_settings": "key",
}
WRITTEN_BY_FUNCTIONS = "categories, filing_conditions, time_limits"


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


def _old_calendar(name: str) -> str:
    """0006's text of the calendar function ``name``."""
    (sql,) = [f for f in _sibling("0006_working_time.py")._FUNCTIONS
              if f"FUNCTION {name}(" in f]
    return str(sql).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


_SET = "SET working = EXCLUDED.working, name = EXCLUDED.name,"


def _set_day() -> str:
    """A day set one by one is the centre's own (``local``), not the State Council's."""
    sql = _old_calendar("seatdesk_set_calendar_day")
    sql = _put(sql, "(day, working, name, updated_by, updated_at)\n",
               "(day, working, name, updated_by, updated_at, local)\n")
    sql = _put(sql, "now())\n", "now(), true)\n")
    return _put(sql, _SET, _SET + " local = true,")


def _import_schedule() -> str:
    """An imported schedule's days are the published ones (``local`` false)."""
    return _put(_old_calendar("seatdesk_import_calendar_schedule"), _SET,
                _SET + " local = false,")


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _grant(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT " + privilege.replace("'", "''") + " ON "
        + obj.replace("'", "''") + " TO %s', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


def _revoke(privilege: str, obj: str, roles: list[str]) -> str:
    return _grant(privilege, obj, roles).replace("'GRANT ", "'REVOKE ").replace(" TO %s'",
                                                                               " FROM %s'")


_TABLE = """
CREATE TABLE rules_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor varchar(63) NOT NULL,
    subject varchar(30) NOT NULL,
    action varchar(10) NOT NULL CONSTRAINT ck_rules_events_action
        CHECK (action IN ('insert', 'update', 'delete')),
    key text NOT NULL,
    old_row jsonb,
    new_row jsonb
);
CREATE INDEX ix_rules_events_subject ON rules_events (subject, id);
CREATE TRIGGER rules_events_append_only BEFORE UPDATE OR DELETE ON rules_events
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER rules_events_no_truncate BEFORE TRUNCATE ON rules_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
REVOKE ALL ON rules_events FROM PUBLIC;

-- Whoever writes a rule, a row of the audit with the real login (inside a function the
-- current user is the owner; seatdesk_actor() names the login).
CREATE FUNCTION seatdesk_audit_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
BEGIN
    IF v_old IS NOT DISTINCT FROM v_new THEN
        RETURN NULL;  -- an upsert that changed nothing is no change
    END IF;
    INSERT INTO rules_events (actor, subject, action, key, old_row, new_row)
    VALUES (seatdesk_actor(), TG_TABLE_NAME, lower(TG_OP),
            coalesce(v_new, v_old) ->> TG_ARGV[0], v_old, v_new);
    RETURN NULL;
END $$;
"""

_FUNCTIONS = f"""
-- An active admin seat, or the owner's side (the database administrator's command
-- line, who is no seat user): a seat user is judged by its roles, whoever connected.
CREATE FUNCTION seatdesk_rules_admin(p_action text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_seat boolean := EXISTS (SELECT 1 FROM users WHERE login = seatdesk_actor());
    v_ok boolean;
BEGIN
    IF v_seat THEN
        v_ok := EXISTS (SELECT 1 FROM users WHERE login = seatdesk_actor() AND active
                                              AND 'admin' = ANY (roles));
    ELSE
        v_ok := pg_has_role(session_user,
                            (SELECT relowner FROM pg_class WHERE oid = 'users'::regclass),
                            'USAGE');
    END IF;
    IF NOT v_ok THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not change the centre''s rules (%s)', seatdesk_actor(), p_action),
            jsonb_build_object('action', p_action,
                               'roles', (SELECT roles FROM users WHERE login = seatdesk_actor()),
                               'allowed', jsonb_build_array('admin')));
    END IF;
END $$;

CREATE FUNCTION seatdesk_rules_text(p_field text, p_value text, p_limit integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text := nullif(btrim(p_value, E' \\t\\n\\r\\u3000'), '');
BEGIN
    IF v IS NULL THEN
        PERFORM seatdesk_invalid(p_field, 'required');
    END IF;
    PERFORM seatdesk_check_length(p_field, v, p_limit);
    RETURN v;
END $$;

CREATE FUNCTION seatdesk_rules_limit(p_amount numeric, p_unit text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_amount IS NULL OR NOT (p_amount > 0 AND p_amount <= {MAX_LIMIT}) THEN
        PERFORM seatdesk_invalid('limit_amount', 'out_of_range',
                                 jsonb_build_object('value', coalesce(p_amount::text, '—')));
    END IF;
    IF p_unit IS NULL OR p_unit <> ALL ({_array(UNITS)}) THEN
        PERFORM seatdesk_invalid('limit_unit', 'unknown',
                                 jsonb_build_object('value', coalesce(p_unit, '—')));
    END IF;
END $$;

-- A department by code or name (the sheets name them), active; NULL for none given.
CREATE FUNCTION seatdesk_rules_department(p_field text, p_value text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v text := nullif(btrim(p_value), '');
    v_code text;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT code INTO v_code FROM departments
    WHERE (code = v OR name = v) AND active ORDER BY code = v DESC LIMIT 1 FOR SHARE;
    IF v_code IS NULL THEN
        PERFORM seatdesk_invalid(p_field, 'unknown', jsonb_build_object('value', v));
    END IF;
    RETURN v_code;
END $$;

CREATE FUNCTION seatdesk_save_class(
    p_case_type text, p_code text, p_name text, p_major_code text, p_active boolean
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_code text := btrim(p_code);
    v_name text;
    v_major categories;
    v_id integer;
BEGIN
    PERFORM seatdesk_rules_admin('catalogue_edit');
    IF p_case_type IS NULL OR p_case_type <> ALL ({_array(CASE_TYPES)}) THEN
        PERFORM seatdesk_invalid('case_type', 'unknown',
                                 jsonb_build_object('value', coalesce(p_case_type, '—')));
    END IF;
    v_name := seatdesk_rules_text('class_name', p_name, 100);
    IF p_major_code IS NULL THEN
        IF v_code IS NULL OR v_code !~ '^[0-9]{{2}}$' THEN
            PERFORM seatdesk_invalid('class_code', 'malformed_major',
                                     jsonb_build_object('value', coalesce(v_code, '—')));
        END IF;
    ELSE
        SELECT * INTO v_major FROM categories
        WHERE case_type = p_case_type AND code = btrim(p_major_code) AND parent_id IS NULL
        FOR UPDATE;
        IF NOT FOUND THEN
            PERFORM seatdesk_invalid('major_class', 'unknown',
                                     jsonb_build_object('value', p_major_code));
        END IF;
        IF v_code IS NULL OR v_code !~ '^[0-9]{{4}}$' OR left(v_code, 2) <> v_major.code THEN
            PERFORM seatdesk_invalid('class_code', 'malformed_minor',
                jsonb_build_object('value', coalesce(v_code, '—'), 'major', v_major.code));
        END IF;
        IF coalesce(p_active, true) AND NOT v_major.active THEN
            PERFORM seatdesk_invalid('major_class', 'inactive',
                                     jsonb_build_object('value', v_major.code));
        END IF;
    END IF;
    SELECT id INTO v_id FROM categories WHERE case_type = p_case_type AND code = v_code
    FOR UPDATE;
    IF v_id IS NULL THEN
        INSERT INTO categories (case_type, code, name, parent_id, active)
        VALUES (p_case_type, v_code, v_name, v_major.id, coalesce(p_active, true))
        RETURNING id INTO v_id;
    ELSE
        UPDATE categories SET name = v_name, active = coalesce(p_active, active)
        WHERE id = v_id;
    END IF;
    IF p_major_code IS NULL AND p_active IS FALSE THEN
        -- A deactivated major class offers none of its minors any more.
        UPDATE categories SET active = false WHERE parent_id = v_id AND active;
    END IF;
    RETURN v_id;
END $$;

CREATE FUNCTION seatdesk_save_filing_condition(
    p_category_id integer, p_seq integer, p_description text, p_amount numeric,
    p_unit text, p_closing text, p_handling text, p_supervising text
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_minor categories;
    v_seq integer := p_seq;
    v_description text;
    v_closing text;
    v_handling text;
    v_supervising text;
    v_id integer;
BEGIN
    PERFORM seatdesk_rules_admin('catalogue_edit');
    -- The class is locked: two admins adding a condition get seq n and n + 1.
    SELECT * INTO v_minor FROM categories WHERE id = p_category_id FOR UPDATE;
    IF NOT FOUND OR v_minor.parent_id IS NULL THEN
        PERFORM seatdesk_invalid('category', 'unknown',
                                 jsonb_build_object('value', coalesce(p_category_id::text, '—')));
    END IF;
    v_description := seatdesk_rules_text('filing_condition', p_description, 2000);
    v_closing := seatdesk_rules_text('closing_condition', p_closing, 2000);
    PERFORM seatdesk_rules_limit(p_amount, p_unit);
    v_handling := seatdesk_rules_department('department', p_handling);
    IF v_handling IS NULL THEN
        PERFORM seatdesk_invalid('department', 'required');
    END IF;
    v_supervising := seatdesk_rules_department('supervising_department', p_supervising);
    IF v_seq IS NULL THEN
        SELECT coalesce(max(seq), 0) + 1 INTO v_seq FROM filing_conditions
        WHERE category_id = p_category_id;
    END IF;
    IF v_seq NOT BETWEEN 1 AND 8 THEN
        PERFORM seatdesk_invalid('filing_condition', 'too_many', jsonb_build_object('limit', 8));
    END IF;
    INSERT INTO filing_conditions AS f (category_id, seq, description, limit_amount,
        limit_unit, closing_condition, handling_department_code, supervising_department_code)
    VALUES (p_category_id, v_seq, v_description, p_amount, p_unit, v_closing, v_handling,
            v_supervising)
    ON CONFLICT (category_id, seq) DO UPDATE
    SET description = EXCLUDED.description, limit_amount = EXCLUDED.limit_amount,
        limit_unit = EXCLUDED.limit_unit, closing_condition = EXCLUDED.closing_condition,
        handling_department_code = EXCLUDED.handling_department_code,
        supervising_department_code = EXCLUDED.supervising_department_code
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;

-- The city's standard sheet: rows of {{row, major_code, minor_code, description, closing,
-- amount, unit, handling, supervising}}, in file order; each minor class's conditions
-- take seq 1, 2, … in that order. The first bad row refuses the whole sheet.
CREATE FUNCTION seatdesk_apply_standard(p_case_type text, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    r jsonb;
    v_row text;
    v_major categories;
    v_minor categories;
    v_seq integer;
    v_seqs jsonb := '{{}}';
    v_handling text;
    v_supervising text;
    v_amount numeric;
    n integer := 0;
BEGIN
    PERFORM seatdesk_rules_admin('standard_import');
    IF p_case_type IS NULL OR p_case_type <> ALL ({_array(CASE_TYPES)}) THEN
        PERFORM seatdesk_invalid('case_type', 'unknown',
                                 jsonb_build_object('value', coalesce(p_case_type, '—')));
    END IF;
    IF p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' OR jsonb_array_length(p_rows) = 0
       OR jsonb_array_length(p_rows) > 5000 THEN
        PERFORM seatdesk_invalid('standard', 'malformed');
    END IF;
    -- One sheet at a time: what the preview showed is what another admin may not
    -- change halfway.
    LOCK TABLE filing_conditions IN SHARE ROW EXCLUSIVE MODE;
    FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
        v_row := coalesce(r ->> 'row', '?');
        SELECT * INTO v_major FROM categories
        WHERE case_type = p_case_type AND code = r ->> 'major_code' AND parent_id IS NULL;
        SELECT * INTO v_minor FROM categories
        WHERE case_type = p_case_type AND code = r ->> 'minor_code' AND parent_id IS NOT NULL;
        IF v_major.id IS NULL OR v_minor.id IS NULL OR v_minor.parent_id <> v_major.id THEN
            PERFORM seatdesk_invalid('standard_row', 'unknown_class', jsonb_build_object(
                'row', v_row, 'value', format('%s/%s', r ->> 'major_code', r ->> 'minor_code')));
        END IF;
        BEGIN
            v_amount := (r ->> 'amount')::numeric;
        EXCEPTION WHEN others THEN
            v_amount := NULL;
        END;
        PERFORM seatdesk_rules_limit(v_amount, r ->> 'unit');
        v_handling := seatdesk_rules_department('department', r ->> 'handling');
        IF v_handling IS NULL THEN
            PERFORM seatdesk_invalid('department', 'required');
        END IF;
        v_supervising := seatdesk_rules_department('supervising_department',
                                                   r ->> 'supervising');
        v_seq := coalesce((v_seqs ->> v_minor.id::text)::integer, 0) + 1;
        IF v_seq > 8 THEN
            PERFORM seatdesk_invalid('standard_row', 'too_many_conditions',
                                     jsonb_build_object('row', v_row, 'limit', 8));
        END IF;
        v_seqs := v_seqs || jsonb_build_object(v_minor.id::text, v_seq);
        INSERT INTO filing_conditions AS f (category_id, seq, description, limit_amount,
            limit_unit, closing_condition, handling_department_code,
            supervising_department_code)
        VALUES (v_minor.id, v_seq, seatdesk_rules_text('filing_condition', r ->> 'description',
                                                      2000),
                v_amount, r ->> 'unit',
                seatdesk_rules_text('closing_condition',
                                    coalesce(nullif(r ->> 'closing', ''), r ->> 'description'),
                                    2000),
                v_handling, v_supervising)
        ON CONFLICT (category_id, seq) DO UPDATE
        SET description = EXCLUDED.description, limit_amount = EXCLUDED.limit_amount,
            limit_unit = EXCLUDED.limit_unit, closing_condition = EXCLUDED.closing_condition,
            handling_department_code = EXCLUDED.handling_department_code,
            supervising_department_code = EXCLUDED.supervising_department_code;
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

CREATE FUNCTION seatdesk_set_time_limit(
    p_stage text, p_urgency text, p_amount numeric, p_unit text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
BEGIN
    PERFORM seatdesk_rules_admin('time_limit');
    IF p_stage IS NULL OR p_stage <> ALL ({_array(STAGES)}) THEN
        PERFORM seatdesk_invalid('stage', 'unknown',
                                 jsonb_build_object('value', coalesce(p_stage, '—')));
    END IF;
    IF p_urgency IS NULL OR p_urgency <> ALL ({_array(URGENCIES)}) THEN
        PERFORM seatdesk_invalid('urgency', 'unknown',
                                 jsonb_build_object('value', coalesce(p_urgency, '—')));
    END IF;
    PERFORM seatdesk_rules_limit(p_amount, p_unit);
    PERFORM 1 FROM time_limits WHERE stage = p_stage AND urgency = p_urgency FOR UPDATE;
    -- New limits apply to stages started from now; running clocks keep their limit.
    INSERT INTO time_limits AS t (stage, urgency, amount, unit)
    VALUES (p_stage, p_urgency, p_amount, p_unit)
    ON CONFLICT (stage, urgency) DO UPDATE SET amount = EXCLUDED.amount, unit = EXCLUDED.unit;
END $$;
"""

PUBLIC_FUNCTIONS = [
    "seatdesk_save_class(text, text, text, text, boolean)",
    "seatdesk_save_filing_condition(integer, integer, text, numeric, text, text, text, text)",
    "seatdesk_apply_standard(text, jsonb)",
    "seatdesk_set_time_limit(text, text, numeric, text)",
]
PRIVATE_FUNCTIONS = [
    "seatdesk_rules_admin(text)",
    "seatdesk_rules_text(text, text, integer)",
    "seatdesk_rules_limit(numeric, text)",
    "seatdesk_rules_department(text, text)",
    "seatdesk_audit_rules()",
]
#: Every desk seat may call the functions and hear who may (a refusal naming the roles).
SEATS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
         "admin"]


def upgrade() -> None:
    op.execute(_TABLE)
    # The year view tells the centre's own days from a published schedule's: the days
    # set one by one so far were local unless their year was imported.
    op.execute("ALTER TABLE calendar_days ADD COLUMN local boolean NOT NULL DEFAULT false")
    op.execute("UPDATE calendar_days SET local = true WHERE extract(year FROM day)::smallint "
               "NOT IN (SELECT year FROM calendar_years)")
    op.execute(_set_day())
    op.execute(_import_schedule())
    op.execute(_FUNCTIONS)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in PUBLIC_FUNCTIONS:
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", SEATS))
    for table, key in AUDITED.items():
        op.execute(f"""
            CREATE TRIGGER {table}_audit_rules AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION seatdesk_audit_rules('{key}')
        """)
    op.execute("""
        CREATE TRIGGER open311_services_notice
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON open311_services
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('catalogue')
    """)
    op.execute(_revoke("INSERT, UPDATE, DELETE", WRITTEN_BY_FUNCTIONS, ["admin"]))
    op.execute(_grant("SELECT", "rules_events", ["admin"]))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute(_grant("INSERT, UPDATE, DELETE", WRITTEN_BY_FUNCTIONS, ["admin"]))
    op.execute("DROP TRIGGER open311_services_notice ON open311_services")
    for table in AUDITED:
        op.execute(f"DROP TRIGGER {table}_audit_rules ON {table}")
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE rules_events")
    op.execute(_old_calendar("seatdesk_set_calendar_day"))
    op.execute(_old_calendar("seatdesk_import_calendar_schedule"))
    op.execute("ALTER TABLE calendar_days DROP COLUMN local")
