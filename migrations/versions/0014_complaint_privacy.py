"""complaint privacy: the complainant's name and phone masked by the database; the
monitor's audited reveal; reopening a closed case after a 不满意 callback

Personal data (issue 11, item 2). A complaint's ``complainant`` and ``complainant_phone``
are readable by NO seat group (column privileges: every group keeps SELECT on every
other column of ``complaints``, row-level security stays). Every seat reads the masked
copies instead, two generated columns the database keeps itself:

    complainant_masked  seatdesk_mask_name(complainant)     王小明 → 王**
    phone_masked        seatdesk_mask_phone(complainant_phone)
                        an 11-digit mobile (1…) keeps its first 3 and last 4 digits:
                        13812345678 → 138****5678; any other number keeps its last 4
                        and stars the rest (0577-63612345 → ********2345), one of 4
                        digits or fewer is all stars, text without a digit is ``***``.

The name keeps its first character and stars every other one, at least two
(王五 → 王**). The phone is masked after ``seatdesk_normal_phone``: digits only
(full-width digits too), a +86 / 0086 before a mobile dropped.

The monitor and the admin read the real name and phone only through

    seatdesk_complaint_contacts(ids bigint[], purpose text)
        → (id, complainant, complainant_phone)        monitor, admin (SD403 otherwise)

which writes one row per complaint read into ``personal_data_reads`` (who:
``seatdesk_actor()``, when: ``clock_timestamp()``, which complaint, the purpose given),
set-based, in the caller's transaction, and one ``LOG`` line to the server log per
call, which a caller who rolls back cannot take back. ``personal_data_reads`` is
append-only for everyone, the owner included (as ``case_events``), and readable by the
admin and the inspector (oversight) only. Both may see every complaint, so "only the
complaints the caller may see" is every complaint asked for that exists.

    seatdesk_complaints_by_phone(phone text)
        → (id, number, received_at, state, case_id)    monitor, admin

finds a caller's earlier complaints by exact match of the normalised number (an
expression index replaces 0013's prefix index on the raw column); it reveals nothing
the caller did not type, so it is not audited.

A case opened from a complaint no longer takes the complainant's name and phone (every
seat, a department's included, reads a case's reporter): its reporter is the masked
name and it has no phone; the case lists its complaints instead. Cases opened so far
are scrubbed the same way.

Reopen (issue 11, item 1):

    seatdesk_reopen_for_complaint(complaint_id, complaint_version, case_version, note)
        → the case's new version                       shift leader

when the complaint is called back 不满意 and its case is closed: the case goes back to
``dispatched`` (its department reworks it; a new handling clock from
``seatdesk_start_clock``, ``rework_count`` + 1) audited as ``reopen_for_complaint``; the
complaint goes back to ``linked`` (event ``reopen``) with a new reply deadline, and is
answered again when the case closes again. Case, then complaint, are locked (the order
a closing case takes them in).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
#: Who may read the real name and phone (through the functions only).
REVEALERS = ["monitor", "admin"]
#: Who may read the audit of those reads.
AUDIT_READERS = ["admin", "inspector"]
#: Who reopens a closed case after a 不满意 callback.
REOPENERS = ["shift_leader"]
#: The raw columns no seat group reads.
PRIVATE_COLUMNS = ["complainant", "complainant_phone"]
REOPEN_ACTION = "reopen_for_complaint"
COMPLAINT_REOPEN = "reopen"


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0007 = _sibling("0007_case_functions.py")
_0013 = _sibling("0013_complaints.py")
CASE_EVENT_ACTIONS_0013: list[str] = list(_0007.EVENT_ACTIONS)
CASE_EVENT_ACTIONS = sorted([*CASE_EVENT_ACTIONS_0013, REOPEN_ACTION])
COMPLAINT_EVENT_ACTIONS_0013: list[str] = list(_0013.EVENT_ACTIONS)
COMPLAINT_EVENT_ACTIONS = [*COMPLAINT_EVENT_ACTIONS_0013, COMPLAINT_REOPEN]


def _in(values: list[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _groups(privilege: str, obj: str, roles: list[str], *, revoke: bool = False) -> str:
    """GRANT to (or REVOKE from) this database's group roles (0010)."""
    verb, prep = ("REVOKE", "FROM") if revoke else ("GRANT", "TO")
    return (
        f"DO $$ BEGIN EXECUTE format('{verb} " + privilege.replace("'", "''") + " ON "
        + obj.replace("'", "''") + f" {prep} %s', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


def _policy(name: str, table: str, roles: list[str], using: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format('CREATE POLICY " + name + " ON " + table
        + " TO %s USING (" + using.replace("'", "''") + ")', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


def _to_case_0013() -> str:
    (sql,) = [f for f in _0013._FUNCTIONS if "FUNCTION seatdesk_complaint_to_case(" in f]
    return str(sql).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


_TO_CASE_OLD = """    v_case := jsonb_strip_nulls(jsonb_build_object(
        'description', c.content, 'address', c.address, 'longitude', c.longitude,
        'latitude', c.latitude, 'category_id', c.category_id, 'reporter', c.complainant,
        'reporter_phone', c.complainant_phone))
        || coalesce(p_case, '{}'::jsonb)
"""
_TO_CASE_NEW = """    -- Every seat reads a case's reporter, a department's included: the case takes the
    -- masked name and no phone (0014); the caller cannot hand them in either.
    v_case := jsonb_strip_nulls(jsonb_build_object(
        'description', c.content, 'address', c.address, 'longitude', c.longitude,
        'latitude', c.latitude, 'category_id', c.category_id,
        'reporter', c.complainant_masked))
        || (coalesce(p_case, '{}'::jsonb) - 'reporter' - 'reporter_phone')
"""


def _to_case_0014() -> str:
    sql = _to_case_0013()
    assert sql.count(_TO_CASE_OLD) == 1
    return sql.replace(_TO_CASE_OLD, _TO_CASE_NEW)


_MASKING = r"""
-- Digits only (full-width ones too), a +86 / 0086 before a mobile dropped; NULL when
-- there is no digit.
CREATE FUNCTION seatdesk_normal_phone(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN d = '' THEN NULL
        WHEN length(d) = 15 AND d LIKE '00861%' THEN substr(d, 5)
        WHEN length(d) = 13 AND d LIKE '861%' THEN substr(d, 3)
        ELSE d
    END
    FROM (SELECT regexp_replace(translate(coalesce(p_phone, ''),
                                          '０１２３４５６７８９', '0123456789'),
                                '[^0-9]', '', 'g') AS d) x
$$;

-- 王小明 → 王**: the first character, then one star for every other, at least two.
CREATE FUNCTION seatdesk_mask_name(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t IS NULL THEN NULL
                ELSE left(t, 1) || repeat('*', greatest(length(t) - 1, 2)) END
    FROM (SELECT nullif(btrim(p_name, E' \t\n\r\u3000\u00a0'), '') AS t) x
$$;

-- 13812345678 → 138****5678; other numbers keep their last 4 digits; 4 digits or fewer
-- are all stars; text with no digit is ***.
CREATE FUNCTION seatdesk_mask_phone(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p_phone IS NULL THEN NULL
        WHEN n IS NULL THEN '***'
        WHEN length(n) = 11 AND n LIKE '1%' THEN left(n, 3) || '****' || right(n, 4)
        WHEN length(n) <= 4 THEN repeat('*', length(n))
        ELSE repeat('*', length(n) - 4) || right(n, 4)
    END
    FROM (SELECT seatdesk_normal_phone(p_phone) AS n) x
$$;

ALTER TABLE complaints
    ADD COLUMN complainant_masked text
        GENERATED ALWAYS AS (seatdesk_mask_name(complainant)) STORED,
    ADD COLUMN phone_masked text
        GENERATED ALWAYS AS (seatdesk_mask_phone(complainant_phone)) STORED;

DROP INDEX ix_complaints_phone;
CREATE INDEX ix_complaints_phone_normal ON complaints (seatdesk_normal_phone(complainant_phone))
    WHERE complainant_phone IS NOT NULL;
"""

# Owner only: every seat group SELECTs every column of complaints but the private ones.
# A later revision that adds a column to complaints calls it again.
_GRANT_COLUMNS = f"""
CREATE FUNCTION seatdesk_grant_complaint_columns() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_groups text := (SELECT string_agg(format('%I', seatdesk_group(r)), ', ')
                      FROM unnest({_array(ROLES)}) r);
    v_columns text := (SELECT string_agg(format('%I', attname), ', ' ORDER BY attnum)
                       FROM pg_attribute
                       WHERE attrelid = 'public.complaints'::regclass AND attnum > 0
                         AND NOT attisdropped AND attname NOT IN {_in(PRIVATE_COLUMNS)});
BEGIN
    -- Revoking the table's SELECT revokes every column's too; then the columns back.
    EXECUTE format('REVOKE SELECT ON complaints FROM %s', v_groups);
    EXECUTE format('GRANT SELECT (%s) ON complaints TO %s', v_columns, v_groups);
END $$
"""

_AUDIT = """
CREATE TABLE personal_data_reads (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL REFERENCES complaints (id),
    actor text NOT NULL,
    at timestamptz NOT NULL,
    purpose text NOT NULL
);
CREATE INDEX ix_personal_data_reads_complaint ON personal_data_reads (complaint_id, id);
CREATE INDEX ix_personal_data_reads_actor ON personal_data_reads (actor, at);
ALTER TABLE personal_data_reads ENABLE ROW LEVEL SECURITY;
CREATE TRIGGER personal_data_reads_append_only BEFORE UPDATE OR DELETE ON personal_data_reads
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER personal_data_reads_no_truncate BEFORE TRUNCATE ON personal_data_reads
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
"""

_REVEALERS_SQL = _array(REVEALERS)

_FUNCTIONS = [
    f"""
CREATE FUNCTION seatdesk_complaint_contacts(p_ids bigint[], p_purpose text)
RETURNS TABLE (id bigint, complainant text, complainant_phone text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_purpose text := seatdesk_complaint_text(p_purpose);
    v_read bigint[];
BEGIN
    IF NOT (me.roles && {_REVEALERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not read a complainant''s name and phone', me.login),
            jsonb_build_object('subject', 'personal_data', 'action', 'reveal_contacts',
                               'roles', me.roles, 'allowed', {_REVEALERS_SQL}));
    END IF;
    IF v_purpose IS NULL THEN
        PERFORM seatdesk_invalid('purpose', 'required');
    END IF;
    PERFORM seatdesk_check_length('purpose', v_purpose, 200);
    IF cardinality(p_ids) > 1000 THEN
        PERFORM seatdesk_invalid('complaint', 'too_many_at_once',
            jsonb_build_object('limit', 1000));
    END IF;
    WITH read AS (
        INSERT INTO personal_data_reads (complaint_id, actor, at, purpose)
        SELECT c.id, seatdesk_actor(), v_now, v_purpose
        FROM complaints c WHERE c.id = ANY (p_ids)
        ORDER BY c.id
        RETURNING complaint_id
    )
    SELECT array_agg(complaint_id ORDER BY complaint_id) INTO v_read FROM read;
    -- The server log keeps the read even if the caller's transaction rolls back.
    RAISE LOG 'seatdesk personal data read: % read complaints % for %', seatdesk_actor(),
        v_read, v_purpose;
    RETURN QUERY
    SELECT c.id, c.complainant, c.complainant_phone FROM complaints c
    WHERE c.id = ANY (v_read) ORDER BY c.id;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_complaints_by_phone(p_phone text)
RETURNS TABLE (id bigint, number text, received_at timestamptz, state text, case_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    me record := seatdesk_me();
    v_phone text := seatdesk_normal_phone(p_phone);
BEGIN
    IF NOT (me.roles && {_REVEALERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not look complaints up by phone', me.login),
            jsonb_build_object('subject', 'personal_data', 'action', 'find_by_phone',
                               'roles', me.roles, 'allowed', {_REVEALERS_SQL}));
    END IF;
    RETURN QUERY
    SELECT c.id, c.number, c.received_at, c.state, c.case_id FROM complaints c
    WHERE v_phone IS NOT NULL AND length(v_phone) >= 5
      AND seatdesk_normal_phone(c.complainant_phone) = v_phone
      AND c.complainant_phone IS NOT NULL
    ORDER BY c.received_at DESC, c.id DESC
    LIMIT 200;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_reopen_for_complaint(
    p_complaint_id bigint, p_complaint_version integer, p_case_version integer, p_note text
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_note text := seatdesk_complaint_text(p_note);
    v_case_id bigint;
    c cases%ROWTYPE;
    k complaints;
    e record;
    v_to text := 'dispatched';
    v_stage text;
    v_clock record;
    v_due record;
BEGIN
    IF NOT (me.roles && {_array(REOPENERS)}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not reopen a case', me.login),
            jsonb_build_object('subject', 'case', 'action', '{REOPEN_ACTION}',
                               'roles', me.roles, 'allowed', {_array(REOPENERS)}));
    END IF;
    -- The case first, then the complaint: the order a closing case takes them in.
    SELECT k0.case_id INTO v_case_id FROM complaints k0 WHERE k0.id = p_complaint_id;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('complaint', coalesce(p_complaint_id::text, 'null'));
    END IF;
    IF v_case_id IS NOT NULL THEN
        SELECT * INTO c FROM cases WHERE id = v_case_id FOR UPDATE;
    END IF;
    SELECT * INTO k FROM complaints WHERE id = p_complaint_id FOR UPDATE;
    IF p_complaint_version IS DISTINCT FROM k.version OR k.case_id IS DISTINCT FROM v_case_id
    THEN
        SELECT ev.actor, ev.at INTO e FROM complaint_events ev
        WHERE ev.complaint_id = k.id ORDER BY ev.id DESC LIMIT 1;
        PERFORM seatdesk_fail('SD409',
            format('complaint %s was changed by %s at %s; read it again', k.number, e.actor,
                   e.at),
            jsonb_build_object('complaint_id', k.id, 'number', k.number, 'version', k.version,
                               'changed_by', e.actor, 'changed_at', e.at));
    END IF;
    IF k.state <> 'called_back' OR v_case_id IS NULL THEN
        PERFORM seatdesk_fail('SD400',
            format('a complaint that is %s cannot be reopened', k.state),
            jsonb_build_object('subject', 'complaint', 'state', k.state,
                               'action', '{COMPLAINT_REOPEN}'));
    END IF;
    IF k.callback_satisfaction IS DISTINCT FROM 'dissatisfied' THEN
        PERFORM seatdesk_invalid('satisfaction', 'not_dissatisfied',
            jsonb_build_object('value', k.callback_satisfaction));
    END IF;
    IF c.version IS DISTINCT FROM p_case_version THEN
        PERFORM seatdesk_stale(c.id);
    END IF;
    IF c.state <> 'closed' THEN
        PERFORM seatdesk_fail('SD400',
            format('{REOPEN_ACTION} is not possible in state %s', c.state),
            jsonb_build_object('state', c.state, 'action', '{REOPEN_ACTION}'));
    END IF;
    IF v_note IS NULL THEN
        PERFORM seatdesk_invalid('note', 'required');
    END IF;
    PERFORM seatdesk_check_length('note', v_note, 2000);

    -- As a rework (seatdesk_case_act): a new clock of the stage of the state it enters.
    SELECT stage INTO v_stage FROM workflow_states WHERE state = v_to;
    v_clock := seatdesk_start_clock(v_stage, c.urgency, c.filing_condition_id, v_now);
    UPDATE cases SET
        state = v_to, version = c.version + 1, updated_at = v_now,
        rework_count = c.rework_count + 1, pending_request = NULL, stage = v_stage,
        stage_started_at = v_now, clock_start = v_now, stage_limit_unit = v_clock.unit,
        stage_limit_minutes = v_clock.limit_minutes, allowance_minutes = v_clock.limit_minutes,
        stage_deadline = v_clock.deadline, warning_at = v_clock.warning,
        deadline_status = seatdesk_deadline_status(v_now, v_clock.deadline, v_clock.warning)
    WHERE id = c.id;
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note, data)
    VALUES (c.id, '{REOPEN_ACTION}', c.state, v_to, me.login, v_now, v_note,
            jsonb_build_object('version', c.version + 1, 'complaint_id', k.id,
                               'complaint_number', k.number)
            || CASE WHEN v_clock.deadline IS NULL THEN '{{}}'::jsonb
                    ELSE jsonb_build_object('deadline', seatdesk_iso(v_clock.deadline)) END);

    -- The complaint waits for its case again, and for a new answer when it closes.
    v_due := seatdesk_complaint_reply_due(v_now);
    UPDATE complaints SET state = 'linked', version = version + 1, updated_at = v_now,
                          reply_limit_unit = v_due.unit, reply_limit_minutes = v_due.minutes,
                          reply_due = v_due.due, reply_warning_at = v_due.warning
    WHERE id = k.id;
    PERFORM seatdesk_complaint_event(k.id, '{COMPLAINT_REOPEN}', k.state, 'linked', v_now,
        v_note, jsonb_build_object('version', k.version + 1, 'case_id', c.id,
                                   'case_version', c.version + 1));
    RETURN c.version + 1;
END $$
""",
]

#: Every seat may call them, so that a refusal names who may (SD403); they check.
PUBLIC_FUNCTIONS = {
    "seatdesk_complaint_contacts(bigint[], text)": ROLES,
    "seatdesk_complaints_by_phone(text)": ROLES,
    "seatdesk_reopen_for_complaint(bigint, integer, integer, text)": ROLES,
}
#: Pure functions any seat may run (the masks a desk might show before a save).
PURE_FUNCTIONS = [
    "seatdesk_normal_phone(text)",
    "seatdesk_mask_name(text)",
    "seatdesk_mask_phone(text)",
]


def _replace_check(table: str, name: str, column: str, values: list[str]) -> list[str]:
    return [
        f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IN {_in(values)})",
    ]


def upgrade() -> None:
    op.execute(_MASKING)
    for fn in PURE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", ROLES))
    op.execute(_GRANT_COLUMNS)
    op.execute("REVOKE ALL ON FUNCTION seatdesk_grant_complaint_columns() FROM PUBLIC")
    op.execute("SELECT seatdesk_grant_complaint_columns()")

    op.execute(_AUDIT)
    op.execute("REVOKE ALL ON personal_data_reads FROM PUBLIC")
    op.execute(_groups("SELECT", "personal_data_reads", AUDIT_READERS))
    op.execute(_policy("personal_data_reads_audit", "personal_data_reads", AUDIT_READERS,
                       "true"))

    for sql in _replace_check("case_events", "ck_case_events_action", "action",
                              CASE_EVENT_ACTIONS):
        op.execute(sql)
    for sql in _replace_check("complaint_events", "ck_complaint_events_action", "action",
                              COMPLAINT_EVENT_ACTIONS):
        op.execute(sql)

    op.execute(_to_case_0014())
    # Cases opened from complaints so far: the masked name, no phone.
    op.execute("""
        UPDATE cases c SET reporter = k.complainant_masked, reporter_phone = NULL
        FROM complaint_events e JOIN complaints k ON k.id = e.complaint_id
        WHERE e.action = 'to_case' AND (e.data ->> 'case_id')::bigint = c.id
          AND (c.reporter IS NOT DISTINCT FROM k.complainant
               OR c.reporter_phone IS NOT DISTINCT FROM k.complainant_phone)
    """)

    for sql in _FUNCTIONS:
        op.execute(sql)
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the audit of personal-data reads and a reopened case's trail have no
    # place at 0013.
    op.execute(f"""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM personal_data_reads) THEN
                RAISE EXCEPTION 'personal data reads are audited; 0013 has no place for them'
                    USING ERRCODE = '55000';
            END IF;
            IF EXISTS (SELECT 1 FROM case_events WHERE action = '{REOPEN_ACTION}')
               OR EXISTS (SELECT 1 FROM complaint_events WHERE action = '{COMPLAINT_REOPEN}')
            THEN
                RAISE EXCEPTION 'cases were reopened for complaints; 0013 cannot say so'
                    USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    for fn in PUBLIC_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute(_to_case_0013())
    for sql in _replace_check("complaint_events", "ck_complaint_events_action", "action",
                              COMPLAINT_EVENT_ACTIONS_0013):
        op.execute(sql)
    for sql in _replace_check("case_events", "ck_case_events_action", "action",
                              CASE_EVENT_ACTIONS_0013):
        op.execute(sql)
    op.execute("DROP TABLE personal_data_reads")
    op.execute("DROP FUNCTION seatdesk_grant_complaint_columns()")
    op.execute(_groups("SELECT", "complaints", ROLES, revoke=True))
    op.execute(_groups("SELECT", "complaints", ROLES))
    op.execute("DROP INDEX ix_complaints_phone_normal")
    op.execute("ALTER TABLE complaints DROP COLUMN phone_masked, DROP COLUMN complainant_masked")
    op.execute("CREATE INDEX ix_complaints_phone ON complaints "
               "(complainant_phone text_pattern_ops)")
    for fn in ("seatdesk_mask_phone(text)", "seatdesk_mask_name(text)",
               "seatdesk_normal_phone(text)"):
        op.execute(f"DROP FUNCTION {fn}")
