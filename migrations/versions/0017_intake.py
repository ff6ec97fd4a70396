"""intake: collectors' reports and answers from outside the desk, and Open311

The headless ``seatdesk intake`` service takes in JSON items that field collectors'
apps (or a public app, or a city platform speaking Open311 GeoReport v2) drop into a
folder. It runs as a login of the new seat role ``intake``, whose group (this
database's ``seatdesk_group('intake')``, made here like 0010 makes the others) may:

- run ``seatdesk_intake_report(key, item, photos…)``: a collector's report becomes a
  case (source ``collector``, state ``reported``) with its photos of the report step,
  through ``seatdesk_create_case`` (the create transition admits ``intake``:
  ``workflow.CREATE_ROLES``; the group may not run that function itself);
- run ``seatdesk_intake_answer(key, item, photos…)``: a collector's answer to a
  verification (case ``verifying``) or a check (case ``checking``): the photos go in at
  the verify/check step and the answer (verdict, reply, collector) is an audited case
  event ``collector_answer`` (no state change, no new version, like 督办). The intake
  does not decide 核实属实/不属实 or 核查通过/不通过 itself: the acceptor does, with the
  reply pre-filled, and 0011's evidence rule holds unchanged (the photos of this round
  are there, attached after the case last changed state);
- read its own rows of ``intake_items``, the grids (to place its reports) and the
  schema's revision (checked at login, as by every seat);

and nothing else: no other function, no other table, no INSERT/UPDATE/DELETE.

Each item is taken once, by its key: ``intake_items(item_key …)`` is written in the
same transaction as the case (or the answer). A second call with a key already taken
writes nothing and returns the first result with ``"repeated": true``, so a re-run
after a crash between the commit and the moving of the file writes nothing twice.

Open311: ``open311_services(service_code → category_id)``, read by the staff, set and
removed by an admin (or the owner's command line) with
``seatdesk_set_open311_service(code, case_type, category_code)`` (category NULL:
remove). A report naming a ``service_code`` takes its category from there.

Validation (SD422, named like every refusal): key, type (``kind``), collector,
description, category (unknown / ambiguous between 部件 and 事件 without a
``case_type``), service_code (not mapped), longitude/latitude (malformed / out of
range), location (neither a point nor an address), time, case_number (unknown / not
awaiting that answer), verdict, reply, photo.

The downgrade refuses while anything here holds data (items taken, mappings, answers
in the timelines, intake users) rather than lose it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from alembic import op

from seatdesk.db import workflow_table
from seatdesk.domain.glossary import IntakeKind


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0014 = _sibling("0014_complaint_privacy.py")

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ROLES_0013 = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
              "admin"]
ROLES = [*ROLES_0013, "intake"]
#: Who reads the intake's tables: every seat that works cases centrally.
READERS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
KINDS = [k.value for k in IntakeKind]
# The case events' actions as 0016 left them (0014 added the reopen), plus the answer.
EVENT_ACTIONS = sorted({*_0014.CASE_EVENT_ACTIONS, "collector_answer"})
EVENT_ACTIONS_0016 = [a for a in EVENT_ACTIONS if a != "collector_answer"]
#: The one functions the intake's group runs.
INTAKE_FUNCTIONS = [
    "seatdesk_intake_report(text, jsonb, text[], bytea[], bytea[], timestamptz[])",
    "seatdesk_intake_answer(text, jsonb, text[], bytea[], bytea[], timestamptz[])",
]
ADMIN_FUNCTIONS = ["seatdesk_set_open311_service(text, text, text)"]
PRIVATE_FUNCTIONS = [
    "seatdesk_intake_category(text, text)",
    "seatdesk_intake_take(text, text)",
    "seatdesk_intake_time(jsonb)",
]


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _grant(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT " + privilege.replace("'", "''") + " ON "
        + obj.replace("'", "''") + " TO %s', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


def _policy(name: str, table: str, roles: list[str], using: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format('CREATE POLICY " + name + " ON " + table
        + " TO %s USING (" + using.replace("'", "''") + ")', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


_GROUP = """
DO $$
DECLARE
    g text := seatdesk_group('intake');
    owner_role text := (SELECT owner_role FROM database_roles);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', g);
    ELSIF (SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = g) THEN
        RAISE EXCEPTION 'role % already exists and can log in; it cannot be a group of '
                        'database %: drop or rename it first', g, current_database();
    END IF;
    EXECUTE format('GRANT %I TO %I WITH ADMIN OPTION', g, owner_role);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), g);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', g);
END $$
"""


def _check_roles(roles: list[str]) -> str:
    """0008's seatdesk_check_roles, knowing ``roles``."""
    return """
CREATE OR REPLACE FUNCTION seatdesk_check_roles(p_roles text[], p_department text) RETURNS void
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
""" % {"roles": _array([f"seatdesk_{r}" for r in roles])}  # noqa: UP031


def _set_roles(roles: list[str]) -> str:
    """0008's seatdesk_set_roles, granting and revoking the groups of ``roles``."""
    return f"""
CREATE OR REPLACE FUNCTION seatdesk_set_roles(p_login text, p_roles text[], p_department text)
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
    FOREACH v_role IN ARRAY {_array(roles)} LOOP
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
"""


_TABLES = f"""
CREATE TABLE intake_items (
    item_key text PRIMARY KEY
        CONSTRAINT ck_intake_items_key CHECK (length(item_key) BETWEEN 1 AND 200),
    kind text NOT NULL CONSTRAINT ck_intake_items_kind CHECK (kind IN {_in(KINDS)}),
    case_id bigint NOT NULL REFERENCES cases (id),
    collector text,
    item_time timestamptz,
    at timestamptz NOT NULL,
    actor text NOT NULL
);
CREATE INDEX ix_intake_items_case ON intake_items (case_id);
CREATE INDEX ix_intake_items_actor ON intake_items (actor, at);
ALTER TABLE intake_items ENABLE ROW LEVEL SECURITY;

CREATE TABLE open311_services (
    service_code text PRIMARY KEY
        CONSTRAINT ck_open311_services_code CHECK (length(service_code) BETWEEN 1 AND 100),
    category_id integer NOT NULL REFERENCES categories (id),
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);
"""

_FUNCTIONS = [
    # ---- private helpers (owner only; run inside the SECURITY DEFINER functions)
    # A minor class (小类) by its code, of the type given or of the only type that has it.
    """
CREATE FUNCTION seatdesk_intake_category(p_code text, p_type text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := TRIMMED(p_code);
    ids integer[];
BEGIN
    IF v_code IS NULL THEN
        PERFORM seatdesk_invalid('category', 'required');
    END IF;
    IF p_type IS NOT NULL AND p_type NOT IN ('component', 'event') THEN
        PERFORM seatdesk_invalid('case_type', 'unknown', jsonb_build_object('value', p_type));
    END IF;
    SELECT array_agg(id ORDER BY id) INTO ids FROM categories
    WHERE code = v_code AND parent_id IS NOT NULL AND active
      AND (p_type IS NULL OR case_type = p_type);
    IF ids IS NULL THEN
        PERFORM seatdesk_invalid('category', 'unknown', jsonb_build_object('value', v_code));
    ELSIF cardinality(ids) > 1 THEN
        PERFORM seatdesk_invalid('category', 'ambiguous', jsonb_build_object('value', v_code));
    END IF;
    RETURN ids[1];
END $$
""",
    # The intake's own check, then the key: NULL when it is new (the caller goes on and
    # writes its row last, in the same transaction as the case), the first result when it
    # was taken before. Two transactions taking the same key at once: the second one's
    # row waits for the first one's and then fails on the key (23505), and written again
    # it finds the key taken.
    """
CREATE FUNCTION seatdesk_intake_take(p_key text, p_kind text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    me record := seatdesk_me();
    v_key text := TRIMMED(p_key);
    done record;
BEGIN
    IF NOT 'intake' = ANY (me.roles) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not take in collectors'' items', me.login),
            jsonb_build_object('action', 'intake', 'roles', me.roles,
                               'allowed', jsonb_build_array('intake')));
    END IF;
    IF v_key IS NULL THEN
        PERFORM seatdesk_invalid('item_key', 'required');
    END IF;
    PERFORM seatdesk_check_length('item_key', v_key, 200);
    IF p_kind IS NULL OR p_kind NOT IN ('report', 'verify_answer', 'check_answer') THEN
        PERFORM seatdesk_invalid('kind', 'unknown', jsonb_build_object('value', p_kind));
    END IF;
    SELECT i.case_id, c.number, i.kind, i.at INTO done
    FROM intake_items i JOIN cases c ON c.id = i.case_id
    WHERE i.item_key = v_key;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN jsonb_build_object('case_id', done.case_id, 'number', done.number,
                              'kind', done.kind, 'at', done.at, 'repeated', true);
END $$
""",
    # The time the collector gives (optional): a time, not before 2000 nor in the future.
    """
CREATE FUNCTION seatdesk_intake_time(p_item jsonb) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_text text := TRIMMED(p_item ->> 'time');
    v_time timestamptz;
BEGIN
    IF v_text IS NULL THEN
        RETURN NULL;
    END IF;
    -- (pg_input_is_valid would do without a subtransaction, but it needs PostgreSQL 16
    -- and a centre's server may be 12.)
    BEGIN
        v_time := v_text::timestamptz;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
        PERFORM seatdesk_invalid('time', 'malformed', jsonb_build_object('value', v_text));
    END;
    IF NOT v_time BETWEEN '2000-01-01'::timestamptz AND clock_timestamp() + interval '1 day' THEN
        PERFORM seatdesk_invalid('time', 'bad_time', jsonb_build_object('value', v_text));
    END IF;
    RETURN v_time;
END $$
""",
    # ---- the intake's functions
    """
CREATE FUNCTION seatdesk_intake_report(
    p_key text, p_item jsonb, p_photo_names text[] DEFAULT '{}', p_photo_data bytea[] DEFAULT '{}',
    p_photo_thumbs bytea[] DEFAULT '{}', p_photo_taken timestamptz[] DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_done jsonb := seatdesk_intake_take(p_key, 'report');
    v_key text := TRIMMED(p_key);
    v_collector text := TRIMMED(p_item ->> 'collector');
    v_description text := TRIMMED(p_item ->> 'description');
    v_address text := TRIMMED(p_item ->> 'address');
    v_service text := TRIMMED(p_item ->> 'service_code');
    v_type text := TRIMMED(p_item ->> 'case_type');
    v_time timestamptz;
    v_category integer;
    v_lon double precision;
    v_lat double precision;
    v_case_id bigint;
BEGIN
    IF v_done IS NOT NULL THEN
        RETURN v_done;
    END IF;
    IF v_collector IS NULL THEN
        PERFORM seatdesk_invalid('collector', 'required');
    END IF;
    PERFORM seatdesk_check_length('collector', v_collector, 100);
    IF v_description IS NULL THEN
        PERFORM seatdesk_invalid('description', 'required');
    END IF;
    IF p_item ? 'category_code' OR v_service IS NULL THEN
        v_category := seatdesk_intake_category(p_item ->> 'category_code', v_type);
    ELSE
        SELECT category_id INTO v_category FROM open311_services WHERE service_code = v_service;
        IF NOT FOUND THEN
            PERFORM seatdesk_invalid('service_code', 'not_mapped',
                                     jsonb_build_object('value', v_service));
        END IF;
    END IF;
    IF jsonb_typeof(p_item -> 'longitude') NOT IN ('number', 'null')
       OR jsonb_typeof(p_item -> 'latitude') NOT IN ('number', 'null') THEN
        PERFORM seatdesk_invalid('location', 'malformed');
    END IF;
    v_lon := (p_item ->> 'longitude')::double precision;
    v_lat := (p_item ->> 'latitude')::double precision;
    IF v_lon IS NULL AND v_lat IS NULL AND v_address IS NULL THEN
        PERFORM seatdesk_invalid('location', 'required');
    END IF;
    v_time := seatdesk_intake_time(p_item);
    -- The case, as the acceptor's desk would open it (the checks of 0007 included).
    v_case_id := seatdesk_create_case(
        jsonb_strip_nulls(jsonb_build_object(
            'source', 'collector', 'category_id', v_category, 'description', v_description,
            'address', v_address, 'longitude', v_lon, 'latitude', v_lat,
            'grid_code', TRIMMED(p_item ->> 'grid_code'),
            'urgency', TRIMMED(p_item ->> 'urgency'),
            'reporter', v_collector)),
        p_photo_names, p_photo_data, p_photo_thumbs, p_photo_taken);
    INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, at, actor)
    VALUES (v_key, 'report', v_case_id, v_collector, v_time, clock_timestamp(),
            seatdesk_actor());
    RETURN jsonb_build_object('case_id', v_case_id,
                              'number', (SELECT number FROM cases WHERE id = v_case_id),
                              'kind', 'report', 'repeated', false);
END $$
""",
    """
CREATE FUNCTION seatdesk_intake_answer(
    p_key text, p_item jsonb, p_photo_names text[] DEFAULT '{}', p_photo_data bytea[] DEFAULT '{}',
    p_photo_thumbs bytea[] DEFAULT '{}', p_photo_taken timestamptz[] DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_kind text := p_item ->> 'type';
    v_done jsonb;
    v_key text := TRIMMED(p_key);
    v_number text := TRIMMED(p_item ->> 'case_number');
    v_collector text := TRIMMED(p_item ->> 'collector');
    v_reply text := TRIMMED(p_item ->> 'reply');
    v_awaiting text;
    v_step text;
    v_time timestamptz;
    v_now timestamptz;
    c record;
BEGIN
    v_done := seatdesk_intake_take(p_key, v_kind);
    IF v_done IS NOT NULL THEN
        RETURN v_done;
    END IF;
    IF v_kind NOT IN ('verify_answer', 'check_answer') THEN
        PERFORM seatdesk_invalid('kind', 'unknown', jsonb_build_object('value', v_kind));
    END IF;
    v_awaiting := CASE v_kind WHEN 'verify_answer' THEN 'verifying' ELSE 'checking' END;
    v_step := CASE v_kind WHEN 'verify_answer' THEN 'verify' ELSE 'check' END;
    IF v_number IS NULL THEN
        PERFORM seatdesk_invalid('case_number', 'required');
    END IF;
    SELECT id, number, state, version INTO c FROM cases WHERE number = v_number FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_invalid('case_number', 'unknown', jsonb_build_object('value', v_number));
    END IF;
    IF c.state <> v_awaiting THEN
        PERFORM seatdesk_invalid('case_number', 'not_awaiting',
            jsonb_build_object('value', v_number, 'state', c.state, 'kind', v_kind));
    END IF;
    IF jsonb_typeof(p_item -> 'verdict') IS DISTINCT FROM 'boolean' THEN
        PERFORM seatdesk_invalid('verdict', 'required');
    END IF;
    IF v_collector IS NULL THEN
        PERFORM seatdesk_invalid('collector', 'required');
    END IF;
    PERFORM seatdesk_check_length('collector', v_collector, 100);
    IF v_reply IS NULL THEN
        PERFORM seatdesk_invalid('reply', 'required');
    END IF;
    PERFORM seatdesk_check_length('reply', v_reply, 2000);
    -- The evidence 0011 asks of the decision: photos of this round, of this step.
    IF coalesce(cardinality(p_photo_data), 0) = 0 THEN
        PERFORM seatdesk_invalid('photo', 'required');
    END IF;
    v_time := seatdesk_intake_time(p_item);
    PERFORM seatdesk_store_photos(c.id, v_step, seatdesk_actor(), p_photo_names, p_photo_data,
                                  p_photo_thumbs, p_photo_taken);
    v_now := clock_timestamp();
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note, data)
    VALUES (c.id, 'collector_answer', c.state, c.state, seatdesk_actor(), v_now, NULL,
            jsonb_strip_nulls(jsonb_build_object(
                'version', c.version, 'kind', v_kind, 'verdict', (p_item -> 'verdict')::boolean,
                'collector', v_collector, 'reply', v_reply, 'item_key', v_key,
                'time', v_time)));
    INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, at, actor)
    VALUES (v_key, v_kind, c.id, v_collector, v_time, v_now, seatdesk_actor());
    RETURN jsonb_build_object('case_id', c.id, 'number', c.number, 'kind', v_kind,
                              'repeated', false);
END $$
""",
    # ---- the administrator's: Open311 service codes → categories
    """
CREATE FUNCTION seatdesk_set_open311_service(
    p_code text, p_case_type text, p_category_code text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_code text := TRIMMED(p_code);
    v_category integer;
BEGIN
    -- An admin seat, or the owner's side (the database administrator's command line).
    IF NOT EXISTS (SELECT 1 FROM users WHERE login = seatdesk_actor() AND active
                                          AND 'admin' = ANY (roles))
       AND NOT pg_has_role(session_user,
                           (SELECT relowner FROM pg_class WHERE oid = 'users'::regclass),
                           'USAGE') THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not map Open311 services', seatdesk_actor()),
            jsonb_build_object('action', 'open311_map',
                               'roles', (SELECT roles FROM users WHERE login = seatdesk_actor()),
                               'allowed', jsonb_build_array('admin')));
    END IF;
    IF v_code IS NULL THEN
        PERFORM seatdesk_invalid('service_code', 'required');
    END IF;
    PERFORM seatdesk_check_length('service_code', v_code, 100);
    IF p_category_code IS NULL THEN
        DELETE FROM open311_services WHERE service_code = v_code;
        IF NOT FOUND THEN
            PERFORM seatdesk_not_found('service_code', v_code);
        END IF;
        RETURN;
    END IF;
    v_category := seatdesk_intake_category(p_category_code, p_case_type);
    INSERT INTO open311_services AS s (service_code, category_id, updated_at, updated_by)
    VALUES (v_code, v_category, clock_timestamp(), seatdesk_actor())
    ON CONFLICT (service_code) DO UPDATE
        SET category_id = EXCLUDED.category_id, updated_at = EXCLUDED.updated_at,
            updated_by = EXCLUDED.updated_by;
END $$
""",
]


#: White space of every kind a person may type around a value (the ideographic space
#: too), as ``btrim`` takes a set of characters (a regular expression costs more).
_SPACES = ("E' \\t\\n\\r\\u000b\\u000c\\u0085\\u00a0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004"
           "\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'")


def _trimmed(sql: str) -> str:
    """``sql`` with each ``TRIMMED(x)`` written out: x without white space at either end,
    NULL when nothing is left (inline: a function call here costs more than the trim)."""
    return re.sub(r"TRIMMED\(([^()]*)\)", lambda m: f"nullif(btrim({m.group(1)}, {_SPACES}), '')",
                  sql)


def _event_actions(actions: list[str]) -> list[str]:
    return [
        "ALTER TABLE case_events DROP CONSTRAINT ck_case_events_action",
        f"ALTER TABLE case_events ADD CONSTRAINT ck_case_events_action "
        f"CHECK (action IN {_in(actions)})",
    ]


def _known_roles(roles: list[str]) -> list[str]:
    return [
        "ALTER TABLE users DROP CONSTRAINT ck_users_known_roles",
        f"ALTER TABLE users ADD CONSTRAINT ck_users_known_roles "
        f"CHECK (roles <@ {_array(roles)}::text[])",
    ]


def upgrade() -> None:
    op.execute(_GROUP)
    for sql in _known_roles(ROLES):
        op.execute(sql)
    op.execute(_check_roles(ROLES))
    op.execute(_set_roles(ROLES))
    # The create transition admits the intake (workflow.CREATE_ROLES).
    for statement in workflow_table.statements():
        op.execute(statement)
    for sql in _event_actions(EVENT_ACTIONS):
        op.execute(sql)
    op.execute(_TABLES)
    for sql in _FUNCTIONS:
        op.execute(_trimmed(sql))
    for fn in [*INTAKE_FUNCTIONS, *ADMIN_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in INTAKE_FUNCTIONS:
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", ["intake"]))
    for fn in ADMIN_FUNCTIONS:
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", ["admin"]))
    op.execute("REVOKE ALL ON intake_items, open311_services FROM PUBLIC")
    op.execute(_grant("SELECT", "intake_items", [*READERS, "intake"]))
    op.execute(_grant("SELECT", "open311_services", READERS))
    # The intake places its reports on the grids (seatdesk.services.grids.locate), and
    # checks at login that the schema is the one it was built for, like every seat.
    op.execute(_grant("SELECT", "grids, alembic_version", ["intake"]))
    op.execute(_policy("intake_items_staff", "intake_items", READERS, "true"))
    op.execute(_policy("intake_items_own", "intake_items", ["intake"], "actor = session_user"))
    op.execute("""
        CREATE TRIGGER intake_items_append_only BEFORE UPDATE OR DELETE ON intake_items
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER intake_items_no_truncate BEFORE TRUNCATE ON intake_items
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Refuse rather than lose what the intake took in, the mappings, the answers in the
    # timelines, or the intake's users.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM intake_items) OR EXISTS (SELECT 1 FROM open311_services)
               OR EXISTS (SELECT 1 FROM case_events WHERE action = 'collector_answer')
               OR EXISTS (SELECT 1 FROM users WHERE 'intake' = ANY (roles)) THEN
                RAISE EXCEPTION 'the intake holds data (items, Open311 mappings, collectors'' '
                                'answers or intake users); 0016 has no place for it'
                    USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    op.execute("DROP TRIGGER intake_items_no_truncate ON intake_items")
    op.execute("DROP TRIGGER intake_items_append_only ON intake_items")
    for fn in [*ADMIN_FUNCTIONS, *INTAKE_FUNCTIONS, *reversed(PRIVATE_FUNCTIONS)]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE open311_services")
    op.execute("DROP TABLE intake_items")
    for sql in _event_actions(EVENT_ACTIONS_0016):
        op.execute(sql)
    # The create transition as 0016 had it.
    op.execute("UPDATE workflow_transitions SET roles = array_remove(roles, 'intake') "
               "WHERE action = 'create'")
    op.execute(_set_roles(ROLES_0013))
    op.execute(_check_roles(ROLES_0013))
    for sql in _known_roles(ROLES_0013):
        op.execute(sql)
    # The group keeps no privilege here; the role itself stays (it may be another
    # database's, under the shared names of the database called seatdesk).
    op.execute("""
        DO $$
        DECLARE g text := seatdesk_group('intake');
        BEGIN
            EXECUTE format('REVOKE SELECT ON grids, alembic_version FROM %I', g);
            EXECUTE format('REVOKE USAGE ON SCHEMA public FROM %I', g);
            EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), g);
        END $$
    """)
