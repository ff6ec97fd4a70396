"""complaints (群众投诉): the 12319 monitor's complaints, replies and callbacks

A complaint reaches the centre by a channel (the 12319 hotline, the mayor's mailbox, an
online platform or forum, the media, forwarded by the city platform, walk-in). Seats
read complaints; they change them only through the SECURITY DEFINER functions here,
each of which locks the complaint, checks its version, the caller's seat roles and its
state, validates, bumps the version and writes the audit event with the real login
(``seatdesk_actor()``) at ``clock_timestamp()``:

    seatdesk_create_complaint(jsonb) → id             monitor, admin
    seatdesk_complaint_to_case(id, version, jsonb)    monitor, admin   new → linked
    seatdesk_link_complaint(id, version, case_id)     monitor, admin   new → linked
    seatdesk_forward_complaint(id, version, agency, note)  monitor, admin  new → forwarded
    seatdesk_reply_complaint(id, version, text, how)  monitor, admin
                                                      awaiting_reply|forwarded → replied
    seatdesk_callback_complaint(id, version, reached, satisfaction, note)
                                                      monitor, admin   replied → called_back

When a linked case ends (closed, or refused 不予立案, or voided), a trigger on ``cases``
moves its linked complaints to ``awaiting_reply`` (the complainant is answered either
way); when it is merged into another case, they follow it to that case. Both are audited
as ``system``.

The reply deadline: the centre setting ``complaint_reply_limit``, a JSON object
``{"amount": 2, "unit": "working_days"}`` (the units of ``TimeUnit``), default 2
工作日, set with ``seatdesk_set_centre_setting`` like every centre setting. The deadline
is ``seatdesk_add_working(received_at, minutes, unit)`` of migration 0006, computed
when the complaint is created (a later change of the setting does not move it).

Complaint numbers are the centre's year and six digits after ``TS`` (投诉), taken last
in the creating function from their own yearly counter, like case numbers.

Row-level security: every seat group but the department sees every complaint; a
department sees the complaints linked to a case it can see (the cases' own policy
decides), and their events.

The channel's case source: hotline_12319 → hotline_12319, mayors_mailbox →
mayor_mailbox, online_platform → online, media → media, city_platform → city_platform
(a new source, added to ``cases.source`` here), walk_in → walk_in.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
STAFF = [r for r in ROLES if r != "department"]
CHANNELS = ["hotline_12319", "mayors_mailbox", "online_platform", "media", "city_platform",
            "walk_in"]
STATES = ["new", "linked", "forwarded", "awaiting_reply", "replied", "called_back"]
REPLY_METHODS = ["phone", "platform", "sms"]
SATISFACTION = ["satisfied", "basically_satisfied", "dissatisfied"]
EVENT_ACTIONS = ["create", "to_case", "link", "forward", "reply", "callback", "case_ended",
                 "case_merged"]
#: channel → the case source of a case opened from it (seatdesk.domain.glossary).
CASE_SOURCE = {
    "hotline_12319": "hotline_12319",
    "mayors_mailbox": "mayor_mailbox",
    "online_platform": "online",
    "media": "media",
    "city_platform": "city_platform",
    "walk_in": "walk_in",
}
SOURCES_0012 = ["collector", "hotline_12319", "mayor_mailbox", "online", "media", "walk_in",
                "inspection"]
SOURCES = [*SOURCES_0012, "city_platform"]
REPLY_LIMIT_SETTING = "complaint_reply_limit"
DEFAULT_REPLY_LIMIT = '{"amount": 2, "unit": "working_days"}'
#: Who works complaints.
WRITERS = ["monitor", "admin"]


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def _create_case(sources: list[str]) -> str:
    """0007's seatdesk_create_case, admitting ``sources``."""
    functions = _sibling("0007_case_functions.py")
    sql: str = functions._CREATE.replace("    -- @ME", functions._ME)
    sql = sql[: sql.index("-- The year of a case number")]
    old = ("IF v_source IS NULL OR v_source NOT IN ('collector', 'hotline_12319', "
           "'mayor_mailbox',\n            'online', 'media', 'walk_in', 'inspection') THEN")
    assert sql.count(old) == 1
    sql = sql.replace(old, f"IF v_source IS NULL OR v_source NOT IN {_in(sources)} THEN")
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _set_setting(with_limit: bool) -> str:
    evidence = _sibling("0011_action_evidence.py")
    sql: str = evidence._set_setting_0011()
    if not with_limit:
        return sql
    branch = f"""        ELSIF p_key = '{REPLY_LIMIT_SETTING}' THEN
            IF jsonb_typeof(p_value) <> 'object'
               OR jsonb_typeof(p_value -> 'amount') <> 'number'
               OR (p_value ->> 'amount')::numeric <= 0
               OR coalesce(p_value ->> 'unit', '') NOT IN
                  ('emergency_hours', 'working_hours', 'working_days', 'natural_days',
                   'natural_hours') THEN
                RAISE EXCEPTION '% is {{"amount": a positive number, "unit": a time unit}}',
                    p_key USING ERRCODE = '22023';
            END IF;
"""
    return evidence._put(
        sql, "        ELSE\n            RAISE EXCEPTION 'unknown centre setting", branch,
        before=True,
    )


_TABLES = f"""
CREATE TABLE complaint_number_counters (
    year smallint PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE complaints (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL UNIQUE,
    channel text NOT NULL CONSTRAINT ck_complaints_channel CHECK (channel IN {_in(CHANNELS)}),
    external_ref text,
    received_at timestamptz NOT NULL,
    complainant text,
    complainant_phone text,
    content text NOT NULL CONSTRAINT ck_complaints_content CHECK (content <> ''),
    address text NOT NULL DEFAULT '',
    longitude double precision,
    latitude double precision,
    category_id integer REFERENCES categories (id),
    reply_limit_unit text NOT NULL,
    reply_limit_minutes integer NOT NULL,
    reply_due timestamptz NOT NULL,
    reply_warning_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'new'
        CONSTRAINT ck_complaints_state CHECK (state IN {_in(STATES)}),
    case_id bigint REFERENCES cases (id),
    forwarded_agency text,
    forward_note text,
    forwarded_at timestamptz,
    reply_text text,
    replied_at timestamptz,
    reply_method text CONSTRAINT ck_complaints_reply_method
        CHECK (reply_method IN {_in(REPLY_METHODS)}),
    callback_reached boolean,
    callback_satisfaction text CONSTRAINT ck_complaints_satisfaction
        CHECK (callback_satisfaction IN {_in(SATISFACTION)}),
    callback_note text,
    called_back_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT uq_complaints_external_ref UNIQUE (channel, external_ref),
    CONSTRAINT ck_complaints_location CHECK ((longitude IS NULL) = (latitude IS NULL)),
    CONSTRAINT ck_complaints_linked CHECK (
        state NOT IN ('linked', 'awaiting_reply') OR case_id IS NOT NULL),
    CONSTRAINT ck_complaints_forwarded CHECK (
        forwarded_agency IS NULL OR forwarded_at IS NOT NULL)
);
CREATE INDEX ix_complaints_case ON complaints (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX ix_complaints_state ON complaints (state, reply_due, id);
CREATE INDEX ix_complaints_phone ON complaints (complainant_phone text_pattern_ops);

CREATE TABLE complaint_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL REFERENCES complaints (id),
    action text NOT NULL CONSTRAINT ck_complaint_events_action
        CHECK (action IN {_in(EVENT_ACTIONS)}),
    from_state text,
    to_state text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL,
    note text,
    data jsonb NOT NULL DEFAULT '{{}}'
);
CREATE INDEX ix_complaint_events_complaint ON complaint_events (complaint_id, id);

ALTER TABLE complaints ENABLE ROW LEVEL SECURITY;
ALTER TABLE complaint_events ENABLE ROW LEVEL SECURITY;
"""

_WRITERS_SQL = _array(WRITERS)

_FUNCTIONS = [
    # ---- private helpers (owner only; run inside the SECURITY DEFINER functions)
    f"""
CREATE FUNCTION seatdesk_complaint_source(p_channel text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_channel {" ".join(f"WHEN '{c}' THEN '{s}'" for c, s in CASE_SOURCE.items())}
    END
$$
""",
    f"""
CREATE FUNCTION seatdesk_complaint_reply_due(
    p_received timestamptz, OUT unit text, OUT minutes integer, OUT due timestamptz,
    OUT warning timestamptz
) LANGUAGE plpgsql STABLE AS $$
DECLARE
    lim jsonb := coalesce(
        (SELECT value FROM centre_settings WHERE key = '{REPLY_LIMIT_SETTING}'),
        '{DEFAULT_REPLY_LIMIT}'::jsonb);
BEGIN
    unit := lim ->> 'unit';
    minutes := seatdesk_to_minutes((lim ->> 'amount')::numeric, unit);
    due := seatdesk_add_working(p_received, minutes, unit);
    -- Yellow as a case's stage clock turns yellow (the centre's warning share).
    warning := seatdesk_warning_at(p_received, minutes, minutes, 0, unit);
END $$
""",
    """
CREATE FUNCTION seatdesk_next_complaint_number(p_at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    y smallint := extract(year FROM p_at AT TIME ZONE seatdesk_centre_timezone())::smallint;
    n integer;
BEGIN
    INSERT INTO complaint_number_counters AS c (year, last) VALUES (y, 1)
    ON CONFLICT (year) DO UPDATE SET last = c.last + 1
    RETURNING c.last INTO n;
    RETURN 'TS' || y::text || lpad(n::text, 6, '0');
END $$
""",
    # The complaint, locked, after the caller's roles, its version and its state are
    # checked: SD401 / SD403 / SD404 / SD409 / SD400.
    f"""
CREATE FUNCTION seatdesk_complaint_take(
    p_id bigint, p_version integer, p_action text, p_states text[]
) RETURNS complaints
LANGUAGE plpgsql AS $$
DECLARE
    me record := seatdesk_me();
    c complaints;
    e record;
BEGIN
    IF NOT (me.roles && {_WRITERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not %s a complaint', me.login, p_action),
            jsonb_build_object('subject', 'complaint', 'action', p_action, 'roles', me.roles,
                               'allowed', {_WRITERS_SQL}));
    END IF;
    SELECT * INTO c FROM complaints WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('complaint', p_id::text);
    END IF;
    IF p_version IS DISTINCT FROM c.version THEN
        SELECT ev.actor, ev.at INTO e FROM complaint_events ev
        WHERE ev.complaint_id = p_id ORDER BY ev.id DESC LIMIT 1;
        PERFORM seatdesk_fail('SD409',
            format('complaint %s was changed by %s at %s; read it again', c.number, e.actor,
                   e.at),
            jsonb_build_object('complaint_id', p_id, 'number', c.number, 'version', c.version,
                               'changed_by', e.actor, 'changed_at', e.at));
    END IF;
    IF NOT c.state = ANY (p_states) THEN
        PERFORM seatdesk_fail('SD400',
            format('a complaint that is %s cannot be %s', c.state, p_action),
            jsonb_build_object('subject', 'complaint', 'state', c.state, 'action', p_action));
    END IF;
    RETURN c;
END $$
""",
    """
CREATE FUNCTION seatdesk_complaint_event(
    p_id bigint, p_action text, p_from text, p_to text, p_at timestamptz, p_note text,
    p_data jsonb
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO complaint_events (complaint_id, action, from_state, to_state, actor, at, note,
                                  data)
    VALUES (p_id, p_action, p_from, p_to, seatdesk_actor(), p_at, p_note, p_data)
$$
""",
    # Text trimmed of white space of every kind (0011: the ideographic space too).
    """
CREATE FUNCTION seatdesk_complaint_text(p_value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(btrim(p_value, E' \\t\\n\\r\\u3000\\u00a0\\u2003'), '')
$$
""",
    # ---- the seats' functions
    f"""
CREATE FUNCTION seatdesk_create_complaint(p_complaint jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_channel text := p_complaint ->> 'channel';
    v_ref text := seatdesk_complaint_text(p_complaint ->> 'external_ref');
    v_content text := seatdesk_complaint_text(p_complaint ->> 'content');
    v_received timestamptz;
    v_category integer;
    v_lon double precision;
    v_lat double precision;
    v_due record;
    v_other bigint;
    v_id bigint;
BEGIN
    IF NOT (me.roles && {_WRITERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not record a complaint', me.login),
            jsonb_build_object('subject', 'complaint', 'action', 'create', 'roles', me.roles,
                               'allowed', {_WRITERS_SQL}));
    END IF;
    IF v_channel IS NULL OR v_channel NOT IN {_in(CHANNELS)} THEN
        PERFORM seatdesk_invalid('channel', 'unknown', jsonb_build_object('value', v_channel));
    END IF;
    IF v_content IS NULL THEN
        PERFORM seatdesk_invalid('content', 'required');
    END IF;
    PERFORM seatdesk_check_length('content', v_content, 4000);
    PERFORM seatdesk_check_length('external_ref', v_ref, 100);
    PERFORM seatdesk_check_length('address', p_complaint ->> 'address', 500);
    PERFORM seatdesk_check_length('complainant', p_complaint ->> 'complainant', 100);
    PERFORM seatdesk_check_length('complainant_phone', p_complaint ->> 'complainant_phone', 40);
    BEGIN
        v_received := coalesce((p_complaint ->> 'received_at')::timestamptz, v_now);
        v_category := (p_complaint ->> 'category_id')::integer;
        v_lon := (p_complaint ->> 'longitude')::double precision;
        v_lat := (p_complaint ->> 'latitude')::double precision;
    EXCEPTION WHEN data_exception THEN
        PERFORM seatdesk_invalid('complaint', 'malformed', jsonb_build_object('value', p_complaint));
    END;
    IF v_received > v_now THEN
        PERFORM seatdesk_invalid('received_at', 'in_future',
                                 jsonb_build_object('value', v_received));
    END IF;
    IF v_category IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM categories WHERE id = v_category AND active AND parent_id IS NOT NULL) THEN
        PERFORM seatdesk_invalid('category', 'unknown', jsonb_build_object('value', v_category));
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
    IF v_ref IS NOT NULL THEN
        SELECT id INTO v_other FROM complaints WHERE channel = v_channel AND external_ref = v_ref;
        IF FOUND THEN
            PERFORM seatdesk_invalid('external_ref', 'duplicate',
                jsonb_build_object('value', v_ref, 'complaint_id', v_other));
        END IF;
    END IF;
    v_due := seatdesk_complaint_reply_due(v_received);
    -- A provisional number from the id; the year's counter is taken last (as for cases).
    v_id := nextval(pg_get_serial_sequence('complaints', 'id'));
    BEGIN
    INSERT INTO complaints (id, number, channel, external_ref, received_at, complainant,
                            complainant_phone, content, address, longitude, latitude,
                            category_id, reply_limit_unit, reply_limit_minutes, reply_due,
                            reply_warning_at, state, version, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, 'N' || v_id, v_channel, v_ref, v_received,
            seatdesk_complaint_text(p_complaint ->> 'complainant'),
            seatdesk_complaint_text(p_complaint ->> 'complainant_phone'), v_content,
            coalesce(seatdesk_complaint_text(p_complaint ->> 'address'), ''), v_lon, v_lat,
            v_category, v_due.unit, v_due.minutes, v_due.due, v_due.warning, 'new', 1, v_now, v_now);
    EXCEPTION WHEN unique_violation THEN
        -- The same reference recorded by another seat at the same moment (its insert
        -- has committed by now: ours waited for it).
        SELECT id INTO v_other FROM complaints WHERE channel = v_channel AND external_ref = v_ref;
        PERFORM seatdesk_invalid('external_ref', 'duplicate',
            jsonb_build_object('value', v_ref, 'complaint_id', v_other));
    END;
    PERFORM seatdesk_complaint_event(v_id, 'create', NULL, 'new', v_now, NULL,
                                     jsonb_build_object('version', 1));
    UPDATE complaints SET number = seatdesk_next_complaint_number(v_now) WHERE id = v_id;
    RETURN v_id;
END $$
""",
    """
CREATE FUNCTION seatdesk_complaint_to_case(
    p_id bigint, p_expected_version integer, p_case jsonb
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    c complaints := seatdesk_complaint_take(p_id, p_expected_version, 'to_case', ARRAY['new']);
    v_now timestamptz := clock_timestamp();
    v_case jsonb;
    v_case_id bigint;
BEGIN
    -- The case's fields default to the complaint's; the source is always its channel's.
    v_case := jsonb_strip_nulls(jsonb_build_object(
        'description', c.content, 'address', c.address, 'longitude', c.longitude,
        'latitude', c.latitude, 'category_id', c.category_id, 'reporter', c.complainant,
        'reporter_phone', c.complainant_phone))
        || coalesce(p_case, '{}'::jsonb)
        || jsonb_build_object('source', seatdesk_complaint_source(c.channel));
    v_case_id := seatdesk_create_case(v_case);
    UPDATE complaints SET state = 'linked', case_id = v_case_id, version = version + 1,
                          updated_at = v_now
    WHERE id = p_id;
    PERFORM seatdesk_complaint_event(p_id, 'to_case', c.state, 'linked', v_now, NULL,
        jsonb_build_object('version', c.version + 1, 'case_id', v_case_id));
    RETURN v_case_id;
END $$
""",
    """
CREATE FUNCTION seatdesk_link_complaint(
    p_id bigint, p_expected_version integer, p_case_id bigint
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    c complaints := seatdesk_complaint_take(p_id, p_expected_version, 'link', ARRAY['new']);
    v_now timestamptz := clock_timestamp();
    v_state text;
BEGIN
    -- The case is only read (its state decides), not changed: a share lock keeps it
    -- from closing under the link.
    SELECT state INTO v_state FROM cases WHERE id = p_case_id FOR SHARE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('case', coalesce(p_case_id::text, 'null'));
    END IF;
    IF v_state IN ('closed', 'merged', 'rejected', 'voided') THEN
        PERFORM seatdesk_invalid('case_id', 'not_open',
            jsonb_build_object('value', p_case_id, 'state', v_state));
    END IF;
    UPDATE complaints SET state = 'linked', case_id = p_case_id, version = version + 1,
                          updated_at = v_now
    WHERE id = p_id;
    PERFORM seatdesk_complaint_event(p_id, 'link', c.state, 'linked', v_now, NULL,
        jsonb_build_object('version', c.version + 1, 'case_id', p_case_id));
    RETURN c.version + 1;
END $$
""",
    """
CREATE FUNCTION seatdesk_forward_complaint(
    p_id bigint, p_expected_version integer, p_agency text, p_note text
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    c complaints := seatdesk_complaint_take(p_id, p_expected_version, 'forward', ARRAY['new']);
    v_now timestamptz := clock_timestamp();
    v_agency text := seatdesk_complaint_text(p_agency);
    v_note text := seatdesk_complaint_text(p_note);
BEGIN
    IF v_agency IS NULL THEN
        PERFORM seatdesk_invalid('agency', 'required');
    END IF;
    PERFORM seatdesk_check_length('agency', v_agency, 200);
    PERFORM seatdesk_check_length('note', v_note, 2000);
    UPDATE complaints SET state = 'forwarded', forwarded_agency = v_agency,
                          forward_note = v_note, forwarded_at = v_now,
                          version = version + 1, updated_at = v_now
    WHERE id = p_id;
    PERFORM seatdesk_complaint_event(p_id, 'forward', c.state, 'forwarded', v_now, v_note,
        jsonb_build_object('version', c.version + 1, 'agency', v_agency));
    RETURN c.version + 1;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_reply_complaint(
    p_id bigint, p_expected_version integer, p_text text, p_how text
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    c complaints := seatdesk_complaint_take(p_id, p_expected_version, 'reply',
                                            ARRAY['awaiting_reply', 'forwarded']);
    v_now timestamptz := clock_timestamp();
    v_text text := seatdesk_complaint_text(p_text);
BEGIN
    IF v_text IS NULL THEN
        PERFORM seatdesk_invalid('reply_text', 'required');
    END IF;
    PERFORM seatdesk_check_length('reply_text', v_text, 4000);
    IF p_how IS NULL OR p_how NOT IN {_in(REPLY_METHODS)} THEN
        PERFORM seatdesk_invalid('reply_method', 'unknown', jsonb_build_object('value', p_how));
    END IF;
    UPDATE complaints SET state = 'replied', reply_text = v_text, replied_at = v_now,
                          reply_method = p_how, version = version + 1, updated_at = v_now
    WHERE id = p_id;
    PERFORM seatdesk_complaint_event(p_id, 'reply', c.state, 'replied', v_now, NULL,
        jsonb_build_object('version', c.version + 1, 'how', p_how,
                           'overdue', v_now > c.reply_due));
    RETURN c.version + 1;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_callback_complaint(
    p_id bigint, p_expected_version integer, p_reached boolean, p_satisfaction text,
    p_note text
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    c complaints := seatdesk_complaint_take(p_id, p_expected_version, 'callback',
                                            ARRAY['replied']);
    v_now timestamptz := clock_timestamp();
    v_note text := seatdesk_complaint_text(p_note);
BEGIN
    IF p_reached IS NULL THEN
        PERFORM seatdesk_invalid('reached', 'required');
    END IF;
    -- A complainant not reached gives no satisfaction; one reached gives one.
    IF p_reached AND (p_satisfaction IS NULL OR p_satisfaction NOT IN {_in(SATISFACTION)}) THEN
        PERFORM seatdesk_invalid('satisfaction', 'unknown',
                                 jsonb_build_object('value', p_satisfaction));
    END IF;
    IF NOT p_reached AND p_satisfaction IS NOT NULL THEN
        PERFORM seatdesk_invalid('satisfaction', 'not_reached',
                                 jsonb_build_object('value', p_satisfaction));
    END IF;
    PERFORM seatdesk_check_length('note', v_note, 2000);
    UPDATE complaints SET state = 'called_back', callback_reached = p_reached,
                          callback_satisfaction = p_satisfaction, callback_note = v_note,
                          called_back_at = v_now, version = version + 1, updated_at = v_now
    WHERE id = p_id;
    PERFORM seatdesk_complaint_event(p_id, 'callback', c.state, 'called_back', v_now, v_note,
        jsonb_build_object('version', c.version + 1, 'reached', p_reached,
                           'satisfaction', p_satisfaction));
    RETURN c.version + 1;
END $$
""",
    # ---- the case ends: its complaints wait for their reply, or follow the case it was
    # merged into (as the system)
    """
CREATE FUNCTION seatdesk_complaints_case_ended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
BEGIN
    IF NEW.state = 'merged' AND NEW.merged_into IS NOT NULL THEN
        WITH moved AS (
            UPDATE complaints SET case_id = NEW.merged_into, version = version + 1,
                                  updated_at = v_now
            WHERE case_id = NEW.id AND state = 'linked'
            RETURNING id, version
        )
        INSERT INTO complaint_events (complaint_id, action, from_state, to_state, actor, at,
                                      data)
        SELECT id, 'case_merged', 'linked', 'linked', 'system', v_now,
               jsonb_build_object('version', version, 'case_id', NEW.merged_into,
                                  'merged_case_id', NEW.id)
        FROM moved;
        RETURN NULL;
    END IF;
    WITH moved AS (
        UPDATE complaints SET state = 'awaiting_reply', version = version + 1,
                              updated_at = v_now
        WHERE case_id = NEW.id AND state = 'linked'
        RETURNING id, version
    )
    INSERT INTO complaint_events (complaint_id, action, from_state, to_state, actor, at, data)
    SELECT id, 'case_ended', 'linked', 'awaiting_reply', 'system', v_now,
           jsonb_build_object('version', version, 'case_id', NEW.id, 'case_state', NEW.state)
    FROM moved;
    RETURN NULL;
END $$
""",
]

PUBLIC_FUNCTIONS = {
    "seatdesk_create_complaint(jsonb)",
    "seatdesk_complaint_to_case(bigint, integer, jsonb)",
    "seatdesk_link_complaint(bigint, integer, bigint)",
    "seatdesk_forward_complaint(bigint, integer, text, text)",
    "seatdesk_reply_complaint(bigint, integer, text, text)",
    "seatdesk_callback_complaint(bigint, integer, boolean, text, text)",
}
PRIVATE_FUNCTIONS = [
    "seatdesk_complaint_source(text)",
    "seatdesk_complaint_reply_due(timestamptz)",
    "seatdesk_next_complaint_number(timestamptz)",
    "seatdesk_complaint_take(bigint, integer, text, text[])",
    "seatdesk_complaint_event(bigint, text, text, text, timestamptz, text, jsonb)",
    "seatdesk_complaint_text(text)",
    "seatdesk_complaints_case_ended()",
]


def upgrade() -> None:
    op.execute("ALTER TABLE cases DROP CONSTRAINT ck_cases_source")
    op.execute(f"ALTER TABLE cases ADD CONSTRAINT ck_cases_source CHECK (source IN {_in(SOURCES)})")
    op.execute(_create_case(SOURCES))
    op.execute(_set_setting(with_limit=True))
    op.execute(_TABLES)
    for sql in _FUNCTIONS:
        op.execute(sql)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in sorted(PUBLIC_FUNCTIONS):
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", ROLES))
    op.execute("REVOKE ALL ON complaints, complaint_events, complaint_number_counters FROM PUBLIC")
    op.execute(_grant("SELECT", "complaints, complaint_events", ROLES))
    op.execute(_policy("complaints_staff", "complaints", STAFF, "true"))
    op.execute(_policy("complaints_department", "complaints", ["department"],
                       "case_id IN (SELECT id FROM cases)"))
    op.execute(_policy("complaint_events_staff", "complaint_events", STAFF, "true"))
    op.execute(_policy("complaint_events_department", "complaint_events", ["department"],
                       "complaint_id IN (SELECT id FROM complaints)"))
    op.execute("""
        CREATE TRIGGER cases_end_complaints AFTER UPDATE OF state ON cases
        FOR EACH ROW WHEN (NEW.state IN ('closed', 'merged', 'rejected', 'voided')
                           AND OLD.state IS DISTINCT FROM NEW.state)
        EXECUTE FUNCTION seatdesk_complaints_case_ended()
    """)
    # The audit log is append-only for every role, the owner included (as case_events).
    op.execute("""
        CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON complaint_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER complaint_events_no_truncate BEFORE TRUNCATE ON complaint_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER complaint_events_notice AFTER INSERT ON complaint_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('complaints')
    """)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute("DROP TRIGGER complaint_events_notice ON complaint_events")
    op.execute("DROP TRIGGER complaint_events_no_truncate ON complaint_events")
    op.execute("DROP TRIGGER complaint_events_append_only ON complaint_events")
    op.execute("DROP TRIGGER cases_end_complaints ON cases")
    for fn in [*sorted(PUBLIC_FUNCTIONS), *reversed(PRIVATE_FUNCTIONS)]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE complaint_events")
    op.execute("DROP TABLE complaints")
    op.execute("DROP TABLE complaint_number_counters")
    op.execute(f"DELETE FROM centre_settings WHERE key = '{REPLY_LIMIT_SETTING}'")
    op.execute(_set_setting(with_limit=False))
    op.execute(_create_case(SOURCES_0012))
    # A case of the city platform has no source at 0012: refuse rather than rewrite it.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM cases WHERE source = 'city_platform') THEN
                RAISE EXCEPTION 'cases from the city platform exist; 0012 has no such source'
                    USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    op.execute("ALTER TABLE cases DROP CONSTRAINT ck_cases_source")
    op.execute(f"ALTER TABLE cases ADD CONSTRAINT ck_cases_source "
               f"CHECK (source IN {_in(SOURCES_0012)})")
