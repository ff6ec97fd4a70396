"""The department counters' facts, kept current by the database; the statistics settings.

``case_handlings`` holds one row per handling of a case by a department: a dispatch
(派遣) begins one; a rework (返工) or a reopening after a complaint continues it (the
same department, "a case counted once however often it was reworked"); a dispatch after
an approved return (回退) begins the next department's. Each row carries what the
department counters need (``seatdesk/domain/performance.py``, the README's "Statistics:
the department counters"): when it was dispatched, the handling deadline in force (the
latest ``data.deadline`` written while the case is in the handling stage: dispatch,
approved extension or postponement, resume, rework; a calendar change's recomputation),
when it was last reported handled and how many of its handlings came after the deadline
then in force, its reworks, approved extensions and postponements, when a postponement
and a resumption were approved, when its return was approved, when the case was closed
or voided, and the case's category, grid, source and registration time (for the filters
and the closure rates).

An AFTER INSERT trigger on ``case_events`` (the owner's SECURITY DEFINER function)
keeps the rows in the same transaction as the event, so the figures are never stale;
the upgrade fills the table from the events already written, set-based
(``seatdesk_case_handlings_from_events()``, the same replay a test compares with what
the trigger kept). A TRUNCATE of the events (the demo's reset) empties it.

Row-level security: staff seats read every row; a department seat reads its own
department's rows, returned ones included (the case itself leaves its view when the
return is approved: ``current_department`` becomes NULL), so it sees its own 回退数.

``seatdesk_set_statistics_settings(p_value)``: the admin and the inspector (who runs the
statistics and the callback sampling, and answers for them to the city) store the centre
setting ``statistics`` (``StatsSettings``), validated, each change kept in the
append-only ``settings_events``. Every desk seat may call it and hear who may (SD403
with the roles), as with the case functions.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 10:40:00
"""

from __future__ import annotations

from alembic import op

from seatdesk.domain.statistics import StatsSettings

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

STAFF = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
SETTERS = ["admin", "inspector"]
#: The states of the handling stage (workflow_states): a deadline written on entering
#: one of them is the handling deadline in force.
HANDLING_STATES = [
    "dispatched", "handling", "extension_requested", "postponement_requested", "postponed",
    "return_requested",
]
#: The events that change a handling's facts (the trigger fires on these only).
TRACKED = [
    "dispatch", "report_done", "approve", "resume", "rework", "reopen_for_complaint",
    "close", "void", "deadline_recomputed",
]
SETTING_FIELDS = StatsSettings.__dataclass_fields__
BOOLEAN_SETTINGS = [k for k in SETTING_FIELDS if k == "exclude_postponed"]
NUMBER_SETTINGS = [k for k in SETTING_FIELDS if k not in BOOLEAN_SETTINGS]


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


_TABLES = """
CREATE TABLE case_handlings (
    dispatch_event_id bigint PRIMARY KEY,   -- the dispatch that began this handling
    case_id bigint NOT NULL,
    -- the department the dispatch names (a dispatch event written in bulk without one,
    -- as the demo's, falls back on the case's department or its filing condition's)
    department varchar(20) NOT NULL,
    category_id integer NOT NULL,
    grid_code varchar(15),
    source varchar(20) NOT NULL,
    registered_at timestamptz,
    dispatched_at timestamptz NOT NULL,
    deadline timestamptz,
    handled_at timestamptz,                 -- the last report since the last rework
    handling_minutes integer,               -- working minutes, dispatch to handled_at
    late_handlings smallint NOT NULL DEFAULT 0,
    reworks smallint NOT NULL DEFAULT 0,
    extensions smallint NOT NULL DEFAULT 0,
    postponements smallint NOT NULL DEFAULT 0,
    postponed_at timestamptz,
    resumed_at timestamptz,
    returned_at timestamptz,
    closed_at timestamptz,
    ended_at timestamptz,                   -- voided
    is_current boolean NOT NULL DEFAULT true
);
-- No foreign key to cases: the demo's reset truncates cases without naming this table.
CREATE UNIQUE INDEX uq_case_handlings_current ON case_handlings (case_id) WHERE is_current;
CREATE INDEX ix_case_handlings_dispatched ON case_handlings (dispatched_at);
-- A department seat's (and a department filter's) handlings of a period.
CREATE INDEX ix_case_handlings_department ON case_handlings (department, dispatched_at);
CREATE INDEX ix_case_handlings_registered ON case_handlings (registered_at) WHERE is_current;
ALTER TABLE case_handlings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON case_handlings FROM PUBLIC;

CREATE TABLE settings_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor varchar(63) NOT NULL,
    key varchar(50) NOT NULL,
    value jsonb NOT NULL
);
CREATE TRIGGER settings_events_append_only BEFORE UPDATE OR DELETE ON settings_events
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER settings_events_no_truncate BEFORE TRUNCATE ON settings_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
REVOKE ALL ON settings_events FROM PUBLIC;
"""

#: The deadline an event writes, if it writes one while the case is in handling.
_EVENT_DEADLINE = f"""CASE WHEN e.to_state IN {_in(HANDLING_STATES)} THEN
    coalesce(e.data ->> 'deadline',
             CASE WHEN e.action = 'deadline_recomputed' THEN e.data ->> 'to' END)::timestamptz
END"""

#: The handlings as the events say they are: the upgrade's fill, and the check of what the
#: trigger keeps (a test compares both). Set-based: a window gives each event its
#: handling (the last dispatch before it) and the deadline then in force.
_FROM_EVENTS = f"""
CREATE FUNCTION seatdesk_case_handlings_from_events() RETURNS SETOF case_handlings
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
WITH ev AS (
    SELECT e.id, e.case_id, e.action, e.from_state, e.at, e.data,
           {_EVENT_DEADLINE.replace(chr(10), ' ')} AS new_deadline,
           max(e.id) FILTER (WHERE e.action = 'dispatch')
               OVER (PARTITION BY e.case_id ORDER BY e.id) AS handling
    FROM case_events e
    WHERE e.action IN {_in(TRACKED)}
), grouped AS (
    SELECT ev.*, count(ev.new_deadline) OVER (PARTITION BY ev.handling ORDER BY ev.id) AS dgrp
    FROM ev WHERE ev.handling IS NOT NULL
), timed AS (
    SELECT g.*, first_value(g.new_deadline)
               OVER (PARTITION BY g.handling, g.dgrp ORDER BY g.id) AS deadline_then
    FROM grouped g
), h AS (
    SELECT t.handling, min(t.case_id) AS case_id,
           max(t.data ->> 'department') FILTER (WHERE t.id = t.handling) AS department,
           min(t.at) FILTER (WHERE t.id = t.handling) AS dispatched_at,
           (array_agg(t.deadline_then ORDER BY t.id DESC))[1] AS deadline,
           CASE WHEN max(t.id) FILTER (WHERE t.action = 'report_done')
                     > coalesce(max(t.id) FILTER (WHERE t.action IN ('rework',
                                                   'reopen_for_complaint')), 0)
                THEN max(t.at) FILTER (WHERE t.action = 'report_done') END AS handled_at,
           count(*) FILTER (WHERE t.action = 'report_done' AND t.at > t.deadline_then)
               AS late_handlings,
           count(*) FILTER (WHERE t.action IN ('rework', 'reopen_for_complaint')) AS reworks,
           count(*) FILTER (WHERE t.action = 'approve' AND t.from_state = 'extension_requested')
               AS extensions,
           count(*) FILTER (WHERE t.action = 'approve'
                              AND t.from_state = 'postponement_requested') AS postponements,
           max(t.at) FILTER (WHERE t.action = 'approve'
                               AND t.from_state = 'postponement_requested') AS postponed_at,
           max(t.at) FILTER (WHERE t.action = 'resume') AS resumed_at,
           max(t.at) FILTER (WHERE t.action = 'approve' AND t.from_state = 'return_requested')
               AS returned_at,
           CASE WHEN max(t.id) FILTER (WHERE t.action = 'close')
                     > coalesce(max(t.id) FILTER (WHERE t.action = 'reopen_for_complaint'), 0)
                THEN max(t.at) FILTER (WHERE t.action = 'close') END AS closed_at,
           max(t.at) FILTER (WHERE t.action = 'void') AS ended_at
    FROM timed t
    GROUP BY t.handling
)
SELECT h.handling, h.case_id,
       coalesce(h.department, c.current_department, f.handling_department_code),
       c.category_id, c.grid_code, c.source,
       r.registered_at, h.dispatched_at, h.deadline, h.handled_at,
       seatdesk_working_minutes(h.dispatched_at, h.handled_at, 'working_hours'),
       h.late_handlings::smallint, h.reworks::smallint, h.extensions::smallint,
       h.postponements::smallint, h.postponed_at, h.resumed_at, h.returned_at, h.closed_at,
       h.ended_at, h.handling = max(h.handling) OVER (PARTITION BY h.case_id)
FROM h
JOIN cases c ON c.id = h.case_id
LEFT JOIN filing_conditions f ON f.id = c.filing_condition_id
LEFT JOIN LATERAL (
    SELECT max(e.at) AS registered_at FROM case_events e
    WHERE e.case_id = h.case_id AND e.action = 'register'
) r ON true
$$;
"""

_TRIGGER = f"""
CREATE FUNCTION seatdesk_track_handling() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    e case_events := NEW;
    v_deadline timestamptz := {_EVENT_DEADLINE};
    v_approved text := CASE WHEN NEW.action = 'approve' THEN NEW.from_state END;
BEGIN
    IF NEW.action = 'dispatch' THEN
        UPDATE case_handlings SET is_current = false WHERE case_id = NEW.case_id AND is_current;
        INSERT INTO case_handlings (dispatch_event_id, case_id, department, category_id,
                                    grid_code, source, registered_at, dispatched_at, deadline)
        SELECT NEW.id, NEW.case_id,
               coalesce(NEW.data ->> 'department', c.current_department,
                        f.handling_department_code),
               c.category_id, c.grid_code, c.source,
               (SELECT max(r.at) FROM case_events r
                WHERE r.case_id = NEW.case_id AND r.action = 'register'),
               NEW.at, v_deadline
        FROM cases c LEFT JOIN filing_conditions f ON f.id = c.filing_condition_id
        WHERE c.id = NEW.case_id;
        RETURN NULL;
    END IF;
    UPDATE case_handlings h SET
        handled_at = CASE NEW.action WHEN 'report_done' THEN NEW.at
                                     WHEN 'rework' THEN NULL
                                     WHEN 'reopen_for_complaint' THEN NULL
                                     ELSE h.handled_at END,
        handling_minutes = CASE NEW.action
            WHEN 'report_done' THEN seatdesk_working_minutes(h.dispatched_at, NEW.at,
                                                             'working_hours')
            WHEN 'rework' THEN NULL WHEN 'reopen_for_complaint' THEN NULL
            ELSE h.handling_minutes END,
        late_handlings = h.late_handlings
            + CASE WHEN NEW.action = 'report_done' AND NEW.at > h.deadline THEN 1 ELSE 0 END,
        reworks = h.reworks
            + CASE WHEN NEW.action IN ('rework', 'reopen_for_complaint') THEN 1 ELSE 0 END,
        extensions = h.extensions
            + CASE WHEN v_approved = 'extension_requested' THEN 1 ELSE 0 END,
        postponements = h.postponements
            + CASE WHEN v_approved = 'postponement_requested' THEN 1 ELSE 0 END,
        postponed_at = CASE WHEN v_approved = 'postponement_requested' THEN NEW.at
                            ELSE h.postponed_at END,
        resumed_at = CASE WHEN NEW.action = 'resume' THEN NEW.at ELSE h.resumed_at END,
        returned_at = CASE WHEN v_approved = 'return_requested' THEN NEW.at
                           ELSE h.returned_at END,
        closed_at = CASE NEW.action WHEN 'close' THEN NEW.at
                                    WHEN 'reopen_for_complaint' THEN NULL
                                    ELSE h.closed_at END,
        ended_at = CASE WHEN NEW.action = 'void' THEN NEW.at ELSE h.ended_at END,
        -- After the report: the deadline the next handling is measured by.
        deadline = coalesce(v_deadline, h.deadline)
    WHERE h.case_id = NEW.case_id AND h.is_current;
    RETURN NULL;
END $$;

CREATE TRIGGER case_events_track_handling AFTER INSERT ON case_events
FOR EACH ROW WHEN (NEW.action IN {_in(TRACKED)})
EXECUTE FUNCTION seatdesk_track_handling();

CREATE FUNCTION seatdesk_forget_handlings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    TRUNCATE case_handlings;
    RETURN NULL;
END $$;

CREATE TRIGGER case_events_forget_handlings AFTER TRUNCATE ON case_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_forget_handlings();
"""

_SETTINGS = f"""
CREATE FUNCTION seatdesk_set_statistics_settings(p_value jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_key text;
    v_value jsonb;
    v_number numeric;
BEGIN
    IF NOT (me.roles && {_array(SETTERS)}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not change the statistics settings', me.login),
            jsonb_build_object('subject', 'settings', 'action', 'statistics_settings',
                               'roles', me.roles,
                               'allowed', {_array(SETTERS)}));
    END IF;
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'object' THEN
        PERFORM seatdesk_invalid('statistics', 'malformed');
    END IF;
    FOR v_key, v_value IN SELECT key, value FROM jsonb_each(p_value) ORDER BY key LOOP
        IF v_key IN {_in(BOOLEAN_SETTINGS)} THEN
            IF jsonb_typeof(v_value) <> 'boolean' THEN
                PERFORM seatdesk_invalid('statistics', 'wrong_type',
                    jsonb_build_object('value', v_key, 'expected', 'boolean'));
            END IF;
        ELSIF v_key IN {_in(NUMBER_SETTINGS)} THEN
            IF jsonb_typeof(v_value) <> 'number' THEN
                PERFORM seatdesk_invalid('statistics', 'wrong_type',
                    jsonb_build_object('value', v_key, 'expected', 'number'));
            END IF;
            v_number := (v_value #>> '{{}}')::numeric;
            IF v_number < 0 OR (v_key = 'callback_sample_share'
                                AND NOT (v_number > 0 AND v_number <= 1)) THEN
                PERFORM seatdesk_invalid('statistics', 'out_of_range',
                                         jsonb_build_object('value', v_key));
            END IF;
        ELSE
            PERFORM seatdesk_invalid('statistics', 'unknown', jsonb_build_object('value', v_key));
        END IF;
    END LOOP;
    -- Two setters at once: one after the other, each audited.
    PERFORM 1 FROM centre_settings WHERE key = 'statistics' FOR UPDATE;
    INSERT INTO centre_settings AS c (key, value) VALUES ('statistics', p_value)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
    INSERT INTO settings_events (at, actor, key, value)
    VALUES (clock_timestamp(), me.login, 'statistics', p_value);
END $$;
"""

#: Every desk seat may ask: the function answers who may (a refusal naming the roles).
PUBLIC_FUNCTIONS = {"seatdesk_set_statistics_settings(jsonb)": [*STAFF, "department"]}
PRIVATE_FUNCTIONS = [
    "seatdesk_case_handlings_from_events()",
    "seatdesk_track_handling()",
    "seatdesk_forget_handlings()",
]


def upgrade() -> None:
    op.execute(_TABLES)
    op.execute(_FROM_EVENTS)
    op.execute(_TRIGGER)
    op.execute(_SETTINGS)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute(_grant("SELECT", "case_handlings", [*STAFF, "department"]))
    op.execute(_policy("case_handlings_staff", "case_handlings", STAFF, "true"))
    # The seat's department once per statement (an InitPlan), not once per row: called
    # in the filter, the function cost a department seat 10 s over 760,000 handlings.
    op.execute(_policy("case_handlings_department", "case_handlings", ["department"],
                       "department = (SELECT seatdesk_my_department())"))
    op.execute(_grant("SELECT", "settings_events", ["admin", "inspector"]))
    # The handlings of the cases already there, from their events, in one statement.
    op.execute("INSERT INTO case_handlings SELECT * FROM seatdesk_case_handlings_from_events()")
    op.execute("ANALYZE case_handlings")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the audit of settings changes is not thrown away. The handlings are
    # derived from the events and go with their trigger.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM settings_events) THEN
                RAISE EXCEPTION 'statistics settings changes are audited in settings_events; '
                    '0021 has no place for them' USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    op.execute("DROP TRIGGER case_events_forget_handlings ON case_events")
    op.execute("DROP TRIGGER case_events_track_handling ON case_events")
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE settings_events")
    op.execute("DROP TABLE case_handlings")
