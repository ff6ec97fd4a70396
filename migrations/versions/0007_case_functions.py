"""case functions: every change to a case is made by the database's own functions

Seat roles lose INSERT, UPDATE and DELETE on cases, case_events and attachments. What
they may do, they do by calling SECURITY DEFINER functions that, in one transaction,
lock what they decide on, check the expected version, check (state, action) against
the workflow table held here (written from ``seatdesk/domain/workflow.py``) and the
caller's seat roles, validate the inputs, move the stage clock (computed here from
data only the admin changes: migration 0006), bump the version and write the audit
event with the real login. Numbers come from inside the creating function, taken last
so the year's counter is held for the shortest time.

Refusals carry their own SQLSTATEs (class SD) and a JSON DETAIL with the facts, which
``seatdesk.db.calls`` turns into the named Python errors:

    SD401 not a seat user      SD403 permission denied    SD400 invalid transition
    SD404 not found            SD409 stale case           SD422 validation (field)
    SD412 a refusal of the catalogue (key + values)

The actor is ``seatdesk_actor()``: ``session_user``, the login that connected, never
the functions' owner and never a role taken with SET ROLE. Only a superuser session may
name someone else (GUC ``seatdesk.act_as``), which the tests use to act as each seat
inside one rolled-back transaction; a superuser can do anything anyway.

The sweep no longer takes an advisory lock that any session could hold: it takes its
time when it starts (``clock_timestamp()``), locks the rows it flags with SKIP LOCKED
(a row some transaction is changing right now is flagged by the next sweep), only ever
raises a status within a stage, and writes its flags as the actor ``system``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:10:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from seatdesk.db import workflow_table
from seatdesk.domain.glossary import CREATE_ACTION, SYSTEM_ACTIONS, Action, State

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SEATS = [
    "seatdesk_acceptor",
    "seatdesk_shift_leader",
    "seatdesk_dispatcher",
    "seatdesk_inspector",
    "seatdesk_monitor",
    "seatdesk_department",
    "seatdesk_admin",
]
ALL_SEATS = ", ".join(SEATS)
OPEN_SQL = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"
EVENT_ACTIONS = sorted({a.value for a in Action} | {CREATE_ACTION} | set(SYSTEM_ACTIONS))
STATES = sorted(s.value for s in State)
IDENTITY_TABLES = [
    ("categories", "id"),
    ("time_limits", "id"),
    ("filing_conditions", "id"),
    ("cases", "id"),
    ("attachments", "id"),
    ("case_events", "id"),
]


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


#: The acting seat user (login, roles, department) into ``me``, refused unless active.
#: Written into each function that needs it rather than called: a function call here
#: cost a third of an action.
_ME = r"""
    SELECT u.login, u.roles, u.department_code AS department INTO me
    FROM users u
    WHERE u.login = CASE WHEN coalesce(current_setting('seatdesk.act_as', true), '') = ''
                         THEN session_user ELSE seatdesk_actor() END  -- a real seat: no call
      AND u.active;
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD401', format('%s is not an active seat user', seatdesk_actor()),
                              jsonb_build_object('login', seatdesk_actor()));
    END IF;
""".strip("\n")

_HELPERS = r"""
-- The group role of a seat role in this database (migration 0010 makes the names
-- belong to one database).
CREATE FUNCTION seatdesk_group(p_role text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT 'seatdesk_' || p_role $$;

-- PL/pgSQL, so that its plan is kept for the session (an SQL function with a sub-select
-- is planned again at every call); no SET clause: every name in it is schema-qualified,
-- and it runs inside functions that pin the search path. Without the GUC (every real
-- seat) it reads no catalogue at all.
CREATE FUNCTION seatdesk_actor() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    named text := pg_catalog.current_setting('seatdesk.act_as', true);
BEGIN
    IF coalesce(named, '') <> ''
       AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN named;
    END IF;
    RETURN session_user;
END $$;

CREATE FUNCTION seatdesk_fail(p_code text, p_message text, p_detail jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message, DETAIL = p_detail::text;
END $$;

CREATE FUNCTION seatdesk_invalid(p_field text, p_problem text, p_values jsonb DEFAULT '{}')
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM seatdesk_fail('SD422', format('%s: %s %s', p_field, p_problem, p_values),
        jsonb_build_object('field', p_field, 'problem', p_problem, 'values', p_values));
END $$;

CREATE FUNCTION seatdesk_check_length(p_field text, p_value text, p_limit integer)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF length(p_value) > p_limit THEN
        PERFORM seatdesk_invalid(p_field, 'too_long', jsonb_build_object('limit', p_limit));
    END IF;
END $$;

-- The acting seat user: login, roles, department. Refused unless active. (The case
-- functions inline the same lookup: a function call here costs a third of an action.)
--
-- The private helpers below carry no SET clause: they are executable by the owner only
-- and run inside the SECURITY DEFINER functions, which pin the search path themselves;
-- a SET clause would cost each call a configuration change.
CREATE FUNCTION seatdesk_me(OUT login text, OUT roles text[], OUT department text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    login := seatdesk_actor();
    SELECT u.roles, u.department_code INTO roles, department
    FROM users u WHERE u.login = seatdesk_me.login AND u.active;
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD401', format('%s is not an active seat user', login),
                              jsonb_build_object('login', login));
    END IF;
END $$;

-- What a department seat may see: the cases dispatched to its department. Every other
-- seat role sees every case (the same rule as the row-level security policies).
CREATE FUNCTION seatdesk_may_see(p_roles text[], p_department text, p_case_department text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_length(array_remove(p_roles, 'department'), 1), 0) > 0
           OR p_case_department IS NOT DISTINCT FROM p_department
$$;

-- May the seat take an action whose allowed roles are p_allowed on a case of
-- p_case_department? A department seat only on its own department's cases.
CREATE FUNCTION seatdesk_may_act(
    p_roles text[], p_department text, p_allowed text[], p_case_department text
) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (array_remove(p_roles, 'department') && p_allowed)
           OR ('department' = ANY (p_roles) AND 'department' = ANY (p_allowed)
               AND p_case_department IS NOT DISTINCT FROM p_department)
$$;

CREATE FUNCTION seatdesk_not_found(p_what text, p_key text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM seatdesk_fail('SD404', format('no %s %s', p_what, p_key),
                          jsonb_build_object('what', p_what, 'key', p_key));
END $$;

-- The case as the seat left it for someone else: who changed it last, and when.
CREATE FUNCTION seatdesk_stale(p_case_id bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c record;
    e record;
BEGIN
    SELECT number, version INTO c FROM cases WHERE id = p_case_id;
    SELECT ev.actor, ev.at INTO e FROM case_events ev
    WHERE ev.case_id = p_case_id AND ev.action NOT IN ('urge', 'flag', 'deadline_recomputed')
    ORDER BY ev.id DESC LIMIT 1;
    PERFORM seatdesk_fail('SD409',
        format('case %s was changed by %s at %s; read it again', c.number, e.actor, e.at),
        jsonb_build_object('case_id', p_case_id, 'number', c.number, 'version', c.version,
                           'changed_by', e.actor, 'changed_at', e.at));
END $$;

-- The stage clock a case gets when it enters a stage: the centre's limit for its
-- urgency, or the limit of its filing condition for handling.
CREATE FUNCTION seatdesk_start_clock(
    p_stage text, p_urgency text, p_condition integer, p_now timestamptz,
    OUT unit text, OUT limit_minutes integer, OUT deadline timestamptz,
    OUT warning timestamptz
) LANGUAGE plpgsql STABLE AS $$
DECLARE
    amount numeric;
BEGIN
    IF p_stage = 'handling' THEN
        SELECT f.limit_amount, f.limit_unit INTO amount, unit
        FROM filing_conditions f WHERE f.id = p_condition;
        IF NOT FOUND THEN
            PERFORM seatdesk_fail('SD412', 'the case has no filing condition, so no handling limit',
                                  jsonb_build_object('key', 'no_handling_limit', 'values', '{}'::jsonb));
        END IF;
    ELSE
        SELECT t.amount, t.unit INTO amount, unit
        FROM time_limits t WHERE t.stage = p_stage AND t.urgency = p_urgency;
        IF NOT FOUND THEN
            PERFORM seatdesk_fail('SD412', format('no time limit for stage %s (%s)', p_stage, p_urgency),
                jsonb_build_object('key', 'no_stage_limit',
                                   'values', jsonb_build_object('stage', p_stage, 'urgency', p_urgency)));
        END IF;
    END IF;
    limit_minutes := seatdesk_to_minutes(amount, unit);
    deadline := seatdesk_add_working(p_now, limit_minutes, unit);
    warning := seatdesk_warning_at(p_now, limit_minutes, limit_minutes, 0, unit);
END $$;

-- Checks a photo is an image of a kind we show, and names its content type.
CREATE FUNCTION seatdesk_image_type(p_data bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN substr(p_data, 1, 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
        WHEN substr(p_data, 1, 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
        WHEN substr(p_data, 1, 4) = '\x47494638'::bytea THEN 'image/gif'
        WHEN substr(p_data, 1, 4) = '\x52494646'::bytea
             AND substr(p_data, 9, 4) = '\x57454250'::bytea THEN 'image/webp'
        WHEN substr(p_data, 1, 2) = '\x424d'::bytea THEN 'image/bmp'
        WHEN substr(p_data, 1, 4) IN ('\x49492a00'::bytea, '\x4d4d002a'::bytea) THEN 'image/tiff'
    END
$$;

-- Stores photos of a case at a step; the caller has checked who may. All or nothing.
CREATE FUNCTION seatdesk_store_photos(
    p_case_id bigint, p_step text, p_actor text, p_names text[], p_data bytea[],
    p_thumbs bytea[], p_taken timestamptz[]
) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    n integer := coalesce(cardinality(p_data), 0);
    ids bigint[];
BEGIN
    IF n = 0 THEN
        RETURN '{}';
    END IF;
    IF coalesce(cardinality(p_names), 0) <> n OR coalesce(cardinality(p_thumbs), 0) <> n
       OR coalesce(cardinality(p_taken), 0) <> n THEN
        PERFORM seatdesk_invalid('photo', 'not_image');
    END IF;
    IF n > 20 OR n + (SELECT count(*) FROM attachments WHERE case_id = p_case_id) > 60 THEN
        PERFORM seatdesk_invalid('photo', 'too_many', jsonb_build_object('limit', 20));
    END IF;
    FOR i IN 1 .. n LOOP
        -- The database cannot decode images; it takes only what starts like one and is
        -- big enough to hold a picture (the client decodes and thumbnails every photo).
        IF p_data[i] IS NULL OR seatdesk_image_type(p_data[i]) IS NULL
           OR octet_length(p_data[i]) < 64 THEN
            PERFORM seatdesk_invalid('photo', 'not_image');
        END IF;
        IF p_taken[i] IS NOT NULL AND NOT p_taken[i] BETWEEN '2000-01-01'::timestamptz
                                                       AND clock_timestamp() + interval '1 day' THEN
            PERFORM seatdesk_invalid('photo', 'bad_time', jsonb_build_object('value', p_taken[i]));
        END IF;
        IF octet_length(p_data[i]) > 20 * 1024 * 1024 THEN
            PERFORM seatdesk_invalid('photo', 'too_large', jsonb_build_object('limit', 20));
        END IF;
        IF p_thumbs[i] IS NOT NULL AND (seatdesk_image_type(p_thumbs[i]) IS NULL
                                        OR octet_length(p_thumbs[i]) > 1024 * 1024) THEN
            PERFORM seatdesk_invalid('photo', 'not_image');
        END IF;
    END LOOP;
    WITH added AS (
        INSERT INTO attachments (case_id, step, filename, content_type, size, data, thumbnail,
                                 taken_at, uploaded_by, uploaded_at)
        SELECT p_case_id, p_step,
               -- a file name, never a path
               left(regexp_replace(coalesce(p.name, ''), '^.*[/\\]', ''), 255),
               seatdesk_image_type(p.data),
               octet_length(p.data), p.data, p.thumb, p.taken, p_actor, clock_timestamp()
        FROM unnest(p_names, p_data, p_thumbs, p_taken) AS p(name, data, thumb, taken)
        RETURNING id
    )
    SELECT array_agg(id ORDER BY id) INTO ids FROM added;
    RETURN ids;
END $$;
"""

_CREATE = r"""
CREATE FUNCTION seatdesk_create_case(
    p_case jsonb, p_photo_names text[] DEFAULT '{}', p_photo_data bytea[] DEFAULT '{}',
    p_photo_thumbs bytea[] DEFAULT '{}', p_photo_taken timestamptz[] DEFAULT '{}'
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record;
    allowed text[];
    v_category integer := (p_case ->> 'category_id')::integer;
    v_condition integer := (p_case ->> 'filing_condition_id')::integer;
    v_lon double precision := (p_case ->> 'longitude')::double precision;
    v_lat double precision := (p_case ->> 'latitude')::double precision;
    v_grid text := nullif(p_case ->> 'grid_code', '');
    v_urgency text := coalesce(p_case ->> 'urgency', 'ordinary');
    v_source text := p_case ->> 'source';
    v_type text;
    v_parent integer;
    v_clock record;
    -- The moment the function runs, not the moment its transaction began: an action
    -- cannot be backdated by opening a transaction early.
    v_now timestamptz := clock_timestamp();
    v_id bigint;
    v_number text;
BEGIN
    -- @ME
    SELECT roles INTO allowed FROM workflow_transitions
    WHERE from_state IS NULL AND action = 'create';
    IF NOT (me.roles && allowed) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not open a case', me.login),
            jsonb_build_object('action', 'create', 'roles', me.roles, 'allowed', allowed));
    END IF;
    IF v_source IS NULL OR v_source NOT IN ('collector', 'hotline_12319', 'mayor_mailbox',
            'online', 'media', 'walk_in', 'inspection') THEN
        PERFORM seatdesk_invalid('source', 'unknown', jsonb_build_object('value', v_source));
    END IF;
    PERFORM seatdesk_check_length('description', p_case ->> 'description', 4000);
    PERFORM seatdesk_check_length('address', p_case ->> 'address', 500);
    PERFORM seatdesk_check_length('reporter', p_case ->> 'reporter', 100);
    PERFORM seatdesk_check_length('reporter_phone', p_case ->> 'reporter_phone', 40);
    IF v_urgency NOT IN ('ordinary', 'urgent') THEN
        PERFORM seatdesk_invalid('urgency', 'unknown', jsonb_build_object('value', v_urgency));
    END IF;
    IF v_category IS NULL THEN
        PERFORM seatdesk_invalid('category', 'required');
    END IF;
    SELECT case_type, parent_id INTO v_type, v_parent FROM categories
    WHERE id = v_category AND active;
    IF v_type IS NULL OR v_parent IS NULL THEN
        PERFORM seatdesk_invalid('category', 'unknown', jsonb_build_object('value', v_category));
    END IF;
    IF v_condition IS NOT NULL THEN
        PERFORM seatdesk_check_condition(v_category, v_condition);
    END IF;
    IF (v_lon IS NULL) <> (v_lat IS NULL) THEN
        PERFORM seatdesk_invalid('location', 'required');
    END IF;
    IF v_lon IS NOT NULL AND NOT v_lon BETWEEN -180 AND 180 THEN
        PERFORM seatdesk_invalid('longitude', 'out_of_range', jsonb_build_object('value', v_lon));
    END IF;
    IF v_lat IS NOT NULL AND NOT v_lat BETWEEN -90 AND 90 THEN
        PERFORM seatdesk_invalid('latitude', 'out_of_range', jsonb_build_object('value', v_lat));
    END IF;
    IF v_grid IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM grids g
        WHERE g.code = v_grid
          AND g.start_date <= (v_now AT TIME ZONE seatdesk_centre_timezone())::date
          AND (g.end_date IS NULL
               OR g.end_date > (v_now AT TIME ZONE seatdesk_centre_timezone())::date)) THEN
        PERFORM seatdesk_invalid('location', 'unknown', jsonb_build_object('value', v_grid));
    END IF;
    v_clock := seatdesk_start_clock('register', v_urgency, v_condition, v_now);
    -- The case first takes a provisional number; the year's counter is taken last, so
    -- that two creations wait for each other only for the end of their transactions.
    v_id := nextval(pg_get_serial_sequence('cases', 'id'));
    INSERT INTO cases (id, number, source, case_type, category_id, filing_condition_id, urgency,
                       description, address, longitude, latitude, grid_code, reporter,
                       reporter_phone, state, stage, stage_started_at, stage_limit_unit,
                       stage_limit_minutes, clock_start, allowance_minutes, stage_deadline,
                       warning_at, deadline_status, version, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, 'N' || v_id, v_source, v_type, v_category, v_condition, v_urgency,
            btrim(coalesce(p_case ->> 'description', '')), btrim(coalesce(p_case ->> 'address', '')),
            v_lon, v_lat, v_grid, nullif(btrim(p_case ->> 'reporter'), ''),
            nullif(btrim(p_case ->> 'reporter_phone'), ''), 'reported', 'register', v_now,
            v_clock.unit, v_clock.limit_minutes, v_now, v_clock.limit_minutes, v_clock.deadline,
            v_clock.warning, seatdesk_deadline_status(v_now, v_clock.deadline, v_clock.warning),
            1, v_now, v_now);
    PERFORM seatdesk_store_photos(v_id, 'report', me.login, p_photo_names, p_photo_data,
                                  p_photo_thumbs, p_photo_taken);
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data)
    VALUES (v_id, 'create', NULL, 'reported', me.login, v_now, jsonb_build_object('version', 1));
    v_number := seatdesk_next_case_number(v_now);
    UPDATE cases SET number = v_number WHERE id = v_id;
    RETURN v_id;
END $$;

-- The year of a case number is the centre's year, whatever the session's time zone.
CREATE OR REPLACE FUNCTION seatdesk_next_case_number(p_at timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    y smallint := extract(year FROM p_at AT TIME ZONE seatdesk_centre_timezone())::smallint;
    n integer;
BEGIN
    INSERT INTO case_number_counters AS c (year, last) VALUES (y, 1)
    ON CONFLICT (year) DO UPDATE SET last = c.last + 1
    RETURNING c.last INTO n;
    RETURN y::text || lpad(n::text, 7, '0');
END $$;

CREATE FUNCTION seatdesk_check_condition(p_category integer, p_condition integer) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    owner integer;
BEGIN
    SELECT category_id INTO owner FROM filing_conditions WHERE id = p_condition;
    IF owner IS NULL THEN
        PERFORM seatdesk_invalid('filing_condition', 'unknown',
                                 jsonb_build_object('value', p_condition));
    ELSIF owner <> p_category THEN
        PERFORM seatdesk_invalid('filing_condition', 'not_under',
                                 jsonb_build_object('value', p_condition));
    END IF;
END $$;
"""

_ACT = r"""
CREATE FUNCTION seatdesk_case_act(
    p_case_id bigint, p_expected_version integer, p_action text, p_note text DEFAULT NULL,
    p_args jsonb DEFAULT '{}'
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- A desk waiting for a case another transaction holds gets an answer, not a hang.
SET lock_timeout = '10s' AS $$
DECLARE
    me record;
    c cases%ROWTYPE;
    t record;
    -- The moment the function runs, not the moment its transaction began: an action
    -- cannot be backdated by opening a transaction early.
    v_now timestamptz := clock_timestamp();
    v_note text := nullif(btrim(p_note), '');
    v_args jsonb := coalesce(p_args, '{}');
    v_data jsonb := '{}';
    v_from_stage text;
    v_to_stage text;
    v_clock record;
    v_other record;
    v_clock_changed boolean := false;
    v_max integer;
    v_resume date;
    v_original bigint;
    v_department text;
BEGIN
    -- @ME
    IF p_action = 'merge' THEN
        -- Two seats merging two reports into each other: both lock both, in id order.
        v_original := (v_args ->> 'original_id')::bigint;
        PERFORM 1 FROM cases WHERE id IN (p_case_id, v_original) ORDER BY id FOR UPDATE;
    END IF;
    SELECT * INTO c FROM cases WHERE id = p_case_id FOR UPDATE;
    IF NOT FOUND OR NOT seatdesk_may_see(me.roles, me.department, c.current_department) THEN
        PERFORM seatdesk_not_found('case', p_case_id::text);
    END IF;
    IF c.version IS DISTINCT FROM p_expected_version THEN
        PERFORM seatdesk_stale(p_case_id);
    END IF;
    SELECT w.next_state, w.roles, a.note_required, fs.stage AS from_stage,
           ts.stage AS to_stage INTO t
    FROM workflow_transitions w JOIN workflow_actions a USING (action)
    JOIN workflow_states fs ON fs.state = w.from_state
    JOIN workflow_states ts ON ts.state = w.next_state
    WHERE w.from_state = c.state AND w.action = p_action;
    IF NOT FOUND OR p_action = 'urge' THEN
        PERFORM seatdesk_fail('SD400', format('%s is not possible in state %s', p_action, c.state),
                              jsonb_build_object('state', c.state, 'action', p_action));
    END IF;
    IF NOT seatdesk_may_act(me.roles, me.department, t.roles, c.current_department) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not %s', me.login, p_action),
            jsonb_build_object('action', p_action, 'roles', me.roles, 'allowed', t.roles));
    END IF;
    IF t.note_required AND v_note IS NULL THEN
        PERFORM seatdesk_invalid('note', 'required');
    END IF;
    PERFORM seatdesk_check_length('note', v_note, 2000);

    -- What each action needs and changes besides the state.
    CASE p_action
    WHEN 'pre_register' THEN
        c.category_id := coalesce((v_args ->> 'category_id')::integer, c.category_id);
        c.filing_condition_id := coalesce((v_args ->> 'filing_condition_id')::integer,
                                          c.filing_condition_id);
        IF c.description = '' THEN
            PERFORM seatdesk_invalid('description', 'required');
        END IF;
        IF c.longitude IS NULL AND c.address = '' THEN
            PERFORM seatdesk_invalid('location', 'required');
        END IF;
        SELECT case_type INTO c.case_type FROM categories
        WHERE id = c.category_id AND parent_id IS NOT NULL AND active;
        IF NOT FOUND THEN
            PERFORM seatdesk_invalid('category', 'unknown',
                                     jsonb_build_object('value', c.category_id));
        END IF;
        IF c.filing_condition_id IS NULL THEN
            PERFORM seatdesk_invalid('filing_condition', 'required');
        END IF;
        PERFORM seatdesk_check_condition(c.category_id, c.filing_condition_id);
        IF NOT EXISTS (SELECT 1 FROM attachments WHERE case_id = c.id) THEN
            PERFORM seatdesk_invalid('photo', 'photo_required');
        END IF;
    WHEN 'reject' THEN
        IF coalesce(v_args ->> 'reason', '') NOT IN ('out_of_scope', 'duplicate', 'false_report',
                                                     'insufficient_information') THEN
            PERFORM seatdesk_invalid('reason', 'unknown',
                                     jsonb_build_object('value', v_args ->> 'reason'));
        END IF;
        v_data := jsonb_build_object('reason', v_args ->> 'reason');
    WHEN 'dispatch' THEN
        v_department := v_args ->> 'department';
        IF NOT EXISTS (SELECT 1 FROM departments WHERE code = v_department AND active) THEN
            PERFORM seatdesk_invalid('department', 'unknown',
                                     jsonb_build_object('value', v_department));
        END IF;
        c.current_department := v_department;
        c.pending_request := NULL;
        v_data := jsonb_build_object('department', v_department);
    WHEN 'request_extension' THEN
        v_max := coalesce((SELECT (value #>> '{}')::integer FROM centre_settings
                           WHERE key = 'max_extensions'), 2);
        IF c.extension_count >= v_max THEN
            PERFORM seatdesk_invalid('note', 'too_many_extensions',
                                     jsonb_build_object('limit', v_max));
        END IF;
        IF c.stage_deadline IS NOT NULL AND v_now >= c.stage_deadline THEN
            PERFORM seatdesk_invalid('note', 'already_overdue');
        END IF;
        c.pending_request := jsonb_build_object('kind', 'extension', 'deadline',
            CASE WHEN c.stage_limit_unit IS NOT NULL AND c.clock_start IS NOT NULL THEN
                seatdesk_iso(seatdesk_add_working(c.clock_start,
                    c.allowance_minutes + c.stage_limit_minutes, c.stage_limit_unit)) END);
    WHEN 'request_return' THEN
        c.pending_request := jsonb_build_object('kind', 'return');
    WHEN 'request_postponement' THEN
        BEGIN
            v_resume := (v_args ->> 'resume_on')::date;
        EXCEPTION WHEN others THEN
            PERFORM seatdesk_invalid('resume_on', 'required');
        END;
        IF v_resume IS NULL THEN
            PERFORM seatdesk_invalid('resume_on', 'required');
        END IF;
        IF v_resume <= (v_now AT TIME ZONE seatdesk_centre_timezone())::date THEN
            PERFORM seatdesk_invalid('resume_on', 'in_past',
                                     jsonb_build_object('value', v_resume));
        END IF;
        c.pending_request := jsonb_build_object('kind', 'postponement', 'resume_on', v_resume);
        v_data := jsonb_build_object('resume_on', v_resume);
    WHEN 'approve' THEN
        IF c.state = 'postponement_requested' THEN
            c.resume_on := (c.pending_request ->> 'resume_on')::date;
        ELSIF c.state = 'return_requested' THEN
            c.current_department := NULL;
        END IF;
        c.pending_request := NULL;
    WHEN 'deny' THEN
        c.pending_request := NULL;
    WHEN 'resume' THEN
        c.resume_on := NULL;
    WHEN 'rework' THEN
        c.rework_count := c.rework_count + 1;
    WHEN 'merge' THEN
        IF v_original IS NULL THEN
            PERFORM seatdesk_invalid('original', 'required');
        END IF;
        IF v_original = c.id THEN
            PERFORM seatdesk_invalid('original', 'same_case');
        END IF;
        SELECT id, number, state, current_department INTO v_other
        FROM cases WHERE id = v_original;
        IF NOT FOUND OR NOT seatdesk_may_see(me.roles, me.department, v_other.current_department) THEN
            PERFORM seatdesk_not_found('case', v_original::text);
        END IF;
        IF v_other.state IN ('closed', 'merged', 'rejected', 'voided') THEN
            PERFORM seatdesk_invalid('original', 'not_open', jsonb_build_object('value', v_other.number));
        END IF;
        c.merged_into := v_original;
        v_data := jsonb_build_object('original_id', v_original);
    ELSE
        NULL;
    END CASE;

    -- The stage clock: a new stage starts a new clock, a final state stops it, and within
    -- a stage only an approved extension or postponement and a resumption move it.
    v_from_stage := t.from_stage;
    v_to_stage := t.to_stage;
    IF v_to_stage IS NULL THEN
        c.stage := NULL; c.stage_limit_unit := NULL; c.stage_limit_minutes := NULL;
        c.clock_start := NULL; c.allowance_minutes := NULL; c.stage_deadline := NULL;
        c.warning_at := NULL; c.deadline_status := 'normal';
    ELSIF v_from_stage IS DISTINCT FROM v_to_stage THEN
        v_clock := seatdesk_start_clock(v_to_stage, c.urgency, c.filing_condition_id, v_now);
        c.stage := v_to_stage; c.stage_started_at := v_now; c.clock_start := v_now;
        c.stage_limit_unit := v_clock.unit; c.stage_limit_minutes := v_clock.limit_minutes;
        c.allowance_minutes := v_clock.limit_minutes; c.stage_deadline := v_clock.deadline;
        c.warning_at := v_clock.warning;
        v_clock_changed := true;
    ELSIF c.stage_limit_unit IS NOT NULL AND c.clock_start IS NOT NULL THEN
        IF p_action = 'approve' AND c.state = 'extension_requested' THEN
            c.extension_count := c.extension_count + 1;
            c.allowance_minutes := c.allowance_minutes + c.stage_limit_minutes;
            v_clock_changed := true;
        ELSIF p_action = 'approve' AND c.state = 'postponement_requested' THEN
            -- The clock stops now and starts again on the resume date with what was left,
            -- in the deadline's own unit.
            c.allowance_minutes := greatest(0, seatdesk_working_minutes(v_now,
                seatdesk_add_working(c.clock_start, c.allowance_minutes, c.stage_limit_unit),
                c.stage_limit_unit));
            c.clock_start := seatdesk_start_of_day(c.resume_on);
            v_clock_changed := true;
        ELSIF p_action = 'resume' AND v_now < c.clock_start THEN
            c.clock_start := v_now;
            v_clock_changed := true;
        END IF;
        IF v_clock_changed AND v_from_stage = v_to_stage THEN
            c.stage_deadline := seatdesk_add_working(c.clock_start, c.allowance_minutes,
                                                     c.stage_limit_unit);
            c.warning_at := seatdesk_warning_at(c.clock_start, c.allowance_minutes,
                c.stage_limit_minutes, c.extension_count, c.stage_limit_unit);
        END IF;
    END IF;
    IF v_clock_changed THEN
        c.deadline_status := seatdesk_deadline_status(v_now, c.stage_deadline, c.warning_at);
        IF c.stage_deadline IS NOT NULL THEN
            -- Written as Python's isoformat() writes it, like every time in event data.
            v_data := v_data || jsonb_build_object('deadline', seatdesk_iso(c.stage_deadline));
        END IF;
    END IF;

    UPDATE cases SET
        state = t.next_state, version = c.version + 1, updated_at = v_now,
        category_id = c.category_id, case_type = c.case_type,
        filing_condition_id = c.filing_condition_id, current_department = c.current_department,
        pending_request = c.pending_request, resume_on = c.resume_on,
        merged_into = c.merged_into, rework_count = c.rework_count,
        extension_count = c.extension_count, stage = c.stage,
        stage_started_at = c.stage_started_at, stage_limit_unit = c.stage_limit_unit,
        stage_limit_minutes = c.stage_limit_minutes, clock_start = c.clock_start,
        allowance_minutes = c.allowance_minutes, stage_deadline = c.stage_deadline,
        warning_at = c.warning_at, deadline_status = c.deadline_status
    WHERE id = c.id;
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note, data)
    VALUES (c.id, p_action, c.state, t.next_state, me.login, v_now, v_note,
            jsonb_build_object('version', c.version + 1) || v_data);
    RETURN c.version + 1;
END $$;

-- 督办: recorded on the state the case is in while it is locked; the case itself does
-- not change (no version).
CREATE FUNCTION seatdesk_urge(p_case_id bigint, p_note text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- A desk waiting for a case another transaction holds gets an answer, not a hang.
SET lock_timeout = '10s' AS $$
DECLARE
    me record;
    c record;
    allowed text[];
BEGIN
    -- @ME
    SELECT id, state, version, current_department INTO c FROM cases
    WHERE id = p_case_id FOR UPDATE;
    IF NOT FOUND OR NOT seatdesk_may_see(me.roles, me.department, c.current_department) THEN
        PERFORM seatdesk_not_found('case', p_case_id::text);
    END IF;
    SELECT roles INTO allowed FROM workflow_transitions
    WHERE from_state = c.state AND action = 'urge';
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD400', format('urge is not possible in state %s', c.state),
                              jsonb_build_object('state', c.state, 'action', 'urge'));
    END IF;
    IF NOT seatdesk_may_act(me.roles, me.department, allowed, c.current_department) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not urge', me.login),
            jsonb_build_object('action', 'urge', 'roles', me.roles, 'allowed', allowed));
    END IF;
    IF nullif(btrim(p_note), '') IS NULL THEN
        PERFORM seatdesk_invalid('note', 'required');
    END IF;
    PERFORM seatdesk_check_length('note', btrim(p_note), 2000);
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note, data)
    VALUES (c.id, 'urge', c.state, c.state, me.login, clock_timestamp(), btrim(p_note),
            jsonb_build_object('version', c.version));
    RETURN c.version;
END $$;

-- Photos of a step, by a seat that may take one of that step's actions on the case now.
CREATE FUNCTION seatdesk_add_photos(
    p_case_id bigint, p_step text, p_names text[], p_data bytea[], p_thumbs bytea[],
    p_taken timestamptz[], p_expected_version integer DEFAULT NULL
) RETURNS bigint[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- A desk waiting for a case another transaction holds gets an answer, not a hang.
SET lock_timeout = '10s' AS $$
DECLARE
    me record;
    c record;
BEGIN
    -- @ME
    SELECT id, state, version, current_department INTO c FROM cases
    WHERE id = p_case_id FOR UPDATE;
    IF NOT FOUND OR NOT seatdesk_may_see(me.roles, me.department, c.current_department) THEN
        PERFORM seatdesk_not_found('case', p_case_id::text);
    END IF;
    -- Photos that come with an action: a case another seat moved on is stale, not a
    -- refusal of the photos.
    IF p_expected_version IS NOT NULL AND c.version <> p_expected_version THEN
        PERFORM seatdesk_stale(p_case_id);
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM workflow_transitions w JOIN workflow_actions a USING (action)
        WHERE w.from_state = c.state AND a.photo_step = p_step
          AND seatdesk_may_act(me.roles, me.department, w.roles, c.current_department)
    ) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not add %s photos to a case in state %s', me.login, p_step, c.state),
            jsonb_build_object('action', 'photo', 'roles', me.roles, 'allowed', '[]'::jsonb));
    END IF;
    RETURN seatdesk_store_photos(p_case_id, p_step, me.login, p_names, p_data, p_thumbs, p_taken);
END $$;

-- After new grids are imported, the admin places the cases that lay outside every grid.
CREATE FUNCTION seatdesk_place_cases(p_ids bigint[], p_codes text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- A desk waiting for a case another transaction holds gets an answer, not a hang.
SET lock_timeout = '10s' AS $$
DECLARE
    n integer;
BEGIN
    -- An admin seat, or the owner's side (the command line that imports grids), which
    -- could write the table directly anyway.
    IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'cases'::regclass),
                       'USAGE')
       AND NOT 'admin' = ANY ((seatdesk_me()).roles) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not place cases', seatdesk_actor()),
            jsonb_build_object('action', 'place', 'roles', (seatdesk_me()).roles,
                               'allowed', ARRAY['admin']));
    END IF;
    UPDATE cases c SET grid_code = r.code
    FROM unnest(p_ids, p_codes) AS r(id, code)
    WHERE c.id = r.id AND c.grid_code IS NULL
      AND EXISTS (SELECT 1 FROM grids g WHERE g.code = r.code AND g.end_date IS NULL);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
"""

_SWEEP = f"""
DROP FUNCTION seatdesk_sweep_deadlines();
DROP FUNCTION seatdesk_sweep_deadlines_at(timestamptz);

-- Flags every open case whose status rose at p_now. Rows another transaction is
-- changing right now are skipped (the next sweep flags them); a status never falls
-- within a stage, so an earlier sweep committing late cannot turn a red case yellow.
CREATE FUNCTION seatdesk_sweep_flag(p_now timestamptz, OUT flagged bigint[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ids bigint[];
BEGIN
    SELECT array_agg(id) INTO ids FROM cases
    WHERE {OPEN_SQL} AND stage_deadline IS NOT NULL
      AND seatdesk_status_rank(seatdesk_deadline_status(p_now, stage_deadline, warning_at))
          > seatdesk_status_rank(deadline_status);
    IF ids IS NULL THEN
        flagged := '{{}}';
        RETURN;
    END IF;
    WITH locked AS (
        SELECT id, deadline_status AS old_status FROM cases
        WHERE id = ANY (ids) AND {OPEN_SQL}
          AND seatdesk_status_rank(seatdesk_deadline_status(p_now, stage_deadline, warning_at))
              > seatdesk_status_rank(deadline_status)
        FOR UPDATE SKIP LOCKED
    ), changed AS (
        UPDATE cases c
        SET deadline_status = seatdesk_deadline_status(p_now, c.stage_deadline, c.warning_at)
        FROM locked l WHERE c.id = l.id
        RETURNING c.id, c.state, l.old_status, c.deadline_status AS new_status
    ), logged AS (
        INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data)
        SELECT id, 'flag', state, state, 'system', p_now,
               jsonb_build_object('from', old_status, 'to', new_status)
        FROM changed
        RETURNING case_id
    )
    SELECT coalesce(array_agg(case_id ORDER BY case_id), '{{}}') INTO flagged FROM logged;
END $$;

-- The sweep as of a given moment: the owner's tool for tests and repairs.
CREATE FUNCTION seatdesk_sweep_deadlines_at(p_now timestamptz) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT cardinality(seatdesk_sweep_flag(p_now))
$$;

CREATE FUNCTION seatdesk_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_status WHEN 'overdue' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END
$$;

-- Sessions no desk would keep: those of a disabled user, and a seat's transaction that
-- holds cases (or the year's number counter) while idle for two minutes or open for
-- ten. A desk's transactions last milliseconds; a psql session that opened one and
-- walked away would otherwise keep those rows from every other desk and the sweep.
-- Ending a session needs pg_signal_backend (migration 0010 grants it when it can).
CREATE FUNCTION seatdesk_reap() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    x record;
    n integer := 0;
    -- Tests (a superuser's session) may shorten the patience; nobody else may.
    idle interval := CASE
        WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
             AND coalesce(current_setting('seatdesk.reap_idle_after', true), '') <> ''
        THEN current_setting('seatdesk.reap_idle_after', true)::interval
        ELSE interval '2 minutes' END;
BEGIN
    FOR x IN
        SELECT DISTINCT a.pid, a.usename FROM pg_stat_activity a
        JOIN users u ON u.login = a.usename
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
          AND (NOT u.active
               OR EXISTS (
                   SELECT 1 FROM pg_locks l
                   WHERE l.pid = a.pid AND l.granted
                     AND l.relation IN ('cases'::regclass, 'case_number_counters'::regclass)
                     AND l.mode IN ('RowShareLock', 'RowExclusiveLock'))
                  AND ((a.state LIKE 'idle in transaction%'
                        AND a.state_change < clock_timestamp() - idle)
                       OR a.xact_start < clock_timestamp() - interval '10 minutes'))
    LOOP
        BEGIN
            IF pg_terminate_backend(x.pid) THEN
                n := n + 1;
                RAISE LOG 'seatdesk: ended session % of %, which held cases or was disabled',
                    x.pid, x.usename;
            END IF;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'seatdesk: cannot end session % of %: grant pg_signal_backend to '
                          'the schema owner', x.pid, x.usename;
            RETURN n;
        END;
    END LOOP;
    RETURN n;
END $$;

-- The sweep any seat's scheduler runs: its time is the moment it starts, whoever runs
-- it and whenever its transaction began. It answers how many cases it flagged that the
-- caller may see.
CREATE FUNCTION seatdesk_sweep_deadlines() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record;
    ids bigint[];
BEGIN
    -- @ME
    PERFORM seatdesk_reap();
    ids := seatdesk_sweep_flag(clock_timestamp());
    IF seatdesk_may_see(me.roles, me.department, '') THEN
        RETURN cardinality(ids);
    END IF;
    RETURN (SELECT count(*) FROM cases WHERE id = ANY (ids)
            AND current_department IS NOT DISTINCT FROM me.department);
END $$;
"""

PUBLIC_FUNCTIONS = {
    "seatdesk_create_case(jsonb, text[], bytea[], bytea[], timestamptz[])": SEATS,
    # Every seat may ask: the function itself answers which action is possible for whom.
    "seatdesk_case_act(bigint, integer, text, text, jsonb)": SEATS,
    "seatdesk_urge(bigint, text)": SEATS,
    "seatdesk_add_photos(bigint, text, text[], bytea[], bytea[], timestamptz[], integer)": SEATS,
    "seatdesk_place_cases(bigint[], text[])": ["seatdesk_admin"],
    "seatdesk_sweep_deadlines()": SEATS,
}
PRIVATE_FUNCTIONS = [
    "seatdesk_me()",
    "seatdesk_stale(bigint)",
    "seatdesk_start_clock(text, text, integer, timestamptz)",
    "seatdesk_store_photos(bigint, text, text, text[], bytea[], bytea[], timestamptz[])",
    "seatdesk_sweep_deadlines_at(timestamptz)",
    "seatdesk_sweep_flag(timestamptz)",
    "seatdesk_reap()",
    "seatdesk_next_case_number(timestamptz)",
    "seatdesk_check_condition(integer, integer)",
]


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL its downgrade restores."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    # ---- The workflow table, held by the database.
    op.execute("""
        CREATE TABLE workflow_states (
            state text PRIMARY KEY,
            stage text,
            final boolean NOT NULL
        )
    """)
    op.execute("""
        CREATE TABLE workflow_actions (
            action text PRIMARY KEY,
            note_required boolean NOT NULL,
            photo_step text
        )
    """)
    op.execute("""
        CREATE TABLE workflow_transitions (
            from_state text REFERENCES workflow_states (state),
            action text NOT NULL,
            next_state text NOT NULL REFERENCES workflow_states (state),
            roles text[] NOT NULL,
            in_queue boolean NOT NULL
        )
    """)
    op.execute(
        "CREATE UNIQUE INDEX workflow_transitions_key "
        "ON workflow_transitions (coalesce(from_state, ''), action)"
    )
    # The columns of what an action needs come in 0011 (workflow_table.statements()).
    for statement in workflow_table.statements(needs=False):
        op.execute(statement)
    op.execute("REVOKE ALL ON workflow_states, workflow_actions, workflow_transitions FROM PUBLIC")
    op.execute(
        f"GRANT SELECT ON workflow_states, workflow_actions, workflow_transitions TO {ALL_SEATS}"
    )

    # ---- Nobody but the functions writes cases, events and photos.
    op.execute(
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON cases, case_events, attachments "
        f"FROM PUBLIC, {ALL_SEATS}"
    )
    op.execute(f"REVOKE ALL ON case_number_counters FROM PUBLIC, {ALL_SEATS}")
    op.execute(f"REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {ALL_SEATS}")
    op.execute(
        f"REVOKE EXECUTE ON FUNCTION seatdesk_next_case_number(timestamptz) FROM {ALL_SEATS}"
    )
    # The functions stamp actor and time themselves; the old triggers stamped the
    # function owner.
    op.execute("DROP TRIGGER case_events_stamp ON case_events")
    op.execute("DROP TRIGGER attachments_stamp ON attachments")
    op.execute("DROP FUNCTION seatdesk_stamp_event()")
    op.execute("DROP FUNCTION seatdesk_stamp_attachment()")

    # ---- Ids nobody can choose; actions and states from the workflow's names only.
    for table, column in IDENTITY_TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET GENERATED ALWAYS")
    op.execute(
        f"ALTER TABLE case_events ADD CONSTRAINT ck_case_events_action "
        f"CHECK (action IN {_in(EVENT_ACTIONS)})"
    )
    op.execute(
        f"ALTER TABLE case_events ADD CONSTRAINT ck_case_events_states "
        f"CHECK (to_state IN {_in(STATES)} AND "
        f"(from_state IS NULL OR from_state IN {_in(STATES)}))"
    )
    # pending_request is SQL NULL when there is none, never JSON null.
    op.execute("UPDATE cases SET pending_request = NULL WHERE pending_request = 'null'::jsonb")
    op.execute(
        "ALTER TABLE cases ADD CONSTRAINT ck_cases_pending_request_object "
        "CHECK (pending_request IS NULL OR jsonb_typeof(pending_request) = 'object')"
    )

    for sql in (_HELPERS, _CREATE, _ACT, _SWEEP):
        op.execute(sql.replace("    -- @ME", _ME))
    for fn, groups in PUBLIC_FUNCTIONS.items():
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO {', '.join(groups)}")
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")


def downgrade() -> None:
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        if "sweep_deadlines" not in fn and "next_case_number" not in fn:
            op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP FUNCTION seatdesk_sweep_deadlines()")
    op.execute("DROP FUNCTION seatdesk_sweep_deadlines_at(timestamptz)")
    op.execute("DROP FUNCTION seatdesk_status_rank(text)")
    for fn in (
        "seatdesk_image_type(bytea)",
        "seatdesk_check_length(text, text, integer)",
        "seatdesk_not_found(text, text)",
        "seatdesk_may_act(text[], text, text[], text)",
        "seatdesk_may_see(text[], text, text)",
        "seatdesk_invalid(text, text, jsonb)",
        "seatdesk_fail(text, text, jsonb)",
        "seatdesk_actor()",
        "seatdesk_group(text)",
    ):
        op.execute(f"DROP FUNCTION {fn}")
    # The sweep as 0003 and 0004 left it.
    sweep = _sibling("0004_sweep_scan_once.py")
    op.execute(sweep._SCAN_ONCE.replace("CREATE OR REPLACE", "CREATE"))
    op.execute("""
        CREATE FUNCTION seatdesk_sweep_deadlines() RETURNS integer
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT seatdesk_sweep_deadlines_at(now())
        $$
    """)
    op.execute("REVOKE ALL ON FUNCTION seatdesk_sweep_deadlines_at(timestamptz) FROM PUBLIC")
    op.execute("REVOKE ALL ON FUNCTION seatdesk_sweep_deadlines() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION seatdesk_sweep_deadlines() TO {ALL_SEATS}")
    op.execute("ALTER TABLE cases DROP CONSTRAINT ck_cases_pending_request_object")
    op.execute("ALTER TABLE case_events DROP CONSTRAINT ck_case_events_states")
    op.execute("ALTER TABLE case_events DROP CONSTRAINT ck_case_events_action")
    for table, column in IDENTITY_TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET GENERATED BY DEFAULT")
    # The direct writes of 0002 and 0003 are NOT given back: a downgrade fails closed.
    # Seats hold no INSERT, UPDATE or DELETE on cases, events or photos, no sequence and
    # no number counter at 0006 either; whoever really runs the 0006 code again grants
    # them by hand, knowing what that reopens.
    # The stamping triggers as 0006 left them.
    working_time = _sibling("0006_working_time.py")
    op.execute(working_time._STAMP_0006.replace("CREATE OR REPLACE", "CREATE"))
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
    op.execute("DROP TABLE workflow_transitions, workflow_actions, workflow_states")
