"""privacy hardening (security review of issue 11): personal data readable only after a
COMMITTED audit; no phone oracle in the import digest; a reopen answers to the last
closing; SD422 instead of raw errors when a complaint is recorded

Reveals in two steps (F1, F3). 0014 wrote the audit of a reveal in the caller's
transaction, so ``BEGIN; SELECT seatdesk_complaint_contacts(…); ROLLBACK`` read the
name and phone and left no ``personal_data_reads`` row; the look-up by phone wrote no
audit at all and, with ``phone_masked``'s 7 visible digits, recovered a mobile in
10,000 tries. Now:

    seatdesk_request_contacts(ids bigint[], purpose text) → request id   monitor, admin
    seatdesk_complaint_contacts(request bigint) → (id, complainant, complainant_phone)
    seatdesk_request_phone_lookup(phone text) → request id                monitor, admin
    seatdesk_complaints_by_phone(request bigint) → (id, number, received_at, state, case_id)

The request step writes a ``personal_data_requests`` row (who: ``seatdesk_actor()``,
when: ``clock_timestamp()``, the purpose, the complaints, the transaction's
``pg_current_xact_id()``; for a look-up the number MASKED, which the oversight can read
without learning it) and one ``personal_data_reads`` row per complaint it will reveal
(purpose ``find_by_phone`` for a look-up's matches). The read step answers only for the
caller's own request, of the right kind, at most ``WINDOW_MINUTES`` old, whose
transaction ``pg_xact_status`` says is ``committed``: inside the requesting
transaction it is ``in progress`` (a savepoint changes nothing), after a rollback the
request row is gone. So nothing personal is read before its audit is durable.
Refusals: SD422 ``reveal_request`` ``unknown`` (no such request, or another person's:
the same answer), ``not_committed``, ``expired``.

Rate limit, per actor over the last ``WINDOW_MINUTES``: at most ``PHONE_LOOKUPS``
look-ups and ``REVEALED_COMPLAINTS`` complaints revealed (SD429, ``RateLimited``). It
counts the request rows the caller's statement can see: committed ones and the
caller's own transaction's; a rolled-back request is not counted, and it revealed
nothing. A per-actor advisory lock makes a second session of the same person wait for
the first one's commit, so two sessions cannot both pass on the same count. The purpose
may hold no control character (it was echoed into the server log by 0014; the log line
is gone: the audit is in the table now).

The import digest (F2) covers the channel, the received time, the content, the address
and the category, no longer the name and the phone: a monitor who reads all of those
learns nothing from a duplicate. Existing digests are recomputed (two complaints that
differed only in name or phone keep the digest on the older one).

Reopen (F5): the complaint's callback must be later than the case's last closing (its
``closed`` case event), so an old 不满意 cannot reopen a rework it never judged; and a
reopen sends every other called-back complaint of the case back to ``linked`` (event
``reopen``, a new reply deadline), so each complainant is answered after the rework.

Recording a complaint (F8, F7): a non-text value of a text field, an unreadable or
out-of-calendar received time (before 2004), and unreadable coordinates (``1e400``) are
SD422 naming the field; the ``malformed`` refusal no longer echoes the whole input
(name and phone) into the error and the server log.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 07:20:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
REVEALERS = ["monitor", "admin"]
AUDIT_READERS = ["admin", "inspector"]
#: How long a committed request may be read, and the window of the rate limit.
WINDOW_MINUTES = 10
#: At most this many look-ups by phone per person in the window.
PHONE_LOOKUPS = 30
#: At most this many complaints' contacts revealed per person in the window.
REVEALED_COMPLAINTS = 200
KINDS = ["reveal_contacts", "find_by_phone"]


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0013 = _sibling("0013_complaints.py")
_0014 = _sibling("0014_complaint_privacy.py")
_0016 = _sibling("0016_complaint_import.py")
_array = _0014._array
_in = _0014._in
_groups = _0014._groups
_policy = _0014._policy
_REVEALERS_SQL = _array(REVEALERS)


def _replace(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


def _function(module: ModuleType, name: str) -> str:
    """A function's current text in ``module``, as CREATE OR REPLACE."""
    (sql,) = [f for f in module._FUNCTIONS if f"FUNCTION {name}(" in f]
    return str(sql).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


# ---- F1, F3: the two-step reveal

_TABLES = f"""
CREATE TABLE personal_data_requests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CONSTRAINT ck_personal_data_requests_kind CHECK (kind IN {_in(KINDS)}),
    actor text NOT NULL,
    at timestamptz NOT NULL,
    purpose text NOT NULL,
    complaint_ids bigint[] NOT NULL,
    -- A look-up's number, masked: the oversight sees that a number was looked up, not it.
    phone_masked text,
    -- The requesting transaction's full id (pg_current_xact_id, as bigint).
    xid bigint NOT NULL
);
CREATE INDEX ix_personal_data_requests_actor ON personal_data_requests (actor, at);
ALTER TABLE personal_data_requests ENABLE ROW LEVEL SECURITY;
CREATE TRIGGER personal_data_requests_append_only
BEFORE UPDATE OR DELETE ON personal_data_requests
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER personal_data_requests_no_truncate BEFORE TRUNCATE ON personal_data_requests
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
ALTER TABLE personal_data_reads ADD COLUMN request_id bigint
    REFERENCES personal_data_requests (id);
"""

_HELPERS = [
    f"""
-- Refuse (SD429) when the actor's requests of this kind in the window, with p_more
-- more, would pass the limit. The caller holds the actor's advisory lock.
CREATE FUNCTION seatdesk_personal_data_limit(p_kind text, p_more integer) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_limit integer := CASE p_kind WHEN 'find_by_phone' THEN {PHONE_LOOKUPS}
                                   ELSE {REVEALED_COMPLAINTS} END;
    v_used bigint;
BEGIN
    -- The count must see the other sessions' commits made while this one waited for
    -- the lock: a snapshot of the transaction's start (REPEATABLE READ) would not.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        PERFORM seatdesk_invalid('reveal_request', 'isolation',
            jsonb_build_object('value', current_setting('transaction_isolation')));
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('seatdesk.personal_data:'
                                                   || seatdesk_actor(), 0));
    SELECT coalesce(sum(CASE p_kind WHEN 'find_by_phone' THEN 1
                                    ELSE cardinality(r.complaint_ids) END), 0)
    INTO v_used FROM personal_data_requests r
    WHERE r.actor = seatdesk_actor() AND r.kind = p_kind
      AND r.at > clock_timestamp() - interval '{WINDOW_MINUTES} minutes';
    IF v_used + p_more > v_limit THEN
        PERFORM seatdesk_fail('SD429',
            format('%s has reached the limit of %s for %s in %s minutes', seatdesk_actor(),
                   v_limit, p_kind, {WINDOW_MINUTES}),
            jsonb_build_object('subject', 'personal_data', 'action', p_kind,
                               'limit', v_limit, 'minutes', {WINDOW_MINUTES}));
    END IF;
END $$
""",
    f"""
-- The caller's committed, recent request of this kind (SD403 / SD422 otherwise).
CREATE FUNCTION seatdesk_personal_data_request(p_request bigint, p_kind text)
RETURNS personal_data_requests
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    me record := seatdesk_me();
    r personal_data_requests;
BEGIN
    IF NOT (me.roles && {_REVEALERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not read a complainant''s personal data', me.login),
            jsonb_build_object('subject', 'personal_data', 'action', p_kind,
                               'roles', me.roles, 'allowed', {_REVEALERS_SQL}));
    END IF;
    SELECT * INTO r FROM personal_data_requests x
    WHERE x.id = p_request AND x.kind = p_kind AND x.actor = seatdesk_actor();
    IF NOT FOUND THEN
        PERFORM seatdesk_invalid('reveal_request', 'unknown',
            jsonb_build_object('value', p_request));
    END IF;
    IF pg_xact_status(r.xid::text::xid8) IS DISTINCT FROM 'committed' THEN
        PERFORM seatdesk_invalid('reveal_request', 'not_committed',
            jsonb_build_object('value', p_request));
    END IF;
    IF r.at < clock_timestamp() - interval '{WINDOW_MINUTES} minutes' THEN
        PERFORM seatdesk_invalid('reveal_request', 'expired',
            jsonb_build_object('value', p_request, 'minutes', {WINDOW_MINUTES}));
    END IF;
    RETURN r;
END $$
""",
    """
-- A purpose: trimmed, required, at most 200 characters, no control character.
CREATE FUNCTION seatdesk_personal_data_purpose(p_purpose text) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_purpose text := seatdesk_complaint_text(p_purpose);
BEGIN
    IF v_purpose IS NULL THEN
        PERFORM seatdesk_invalid('purpose', 'required');
    END IF;
    PERFORM seatdesk_check_length('purpose', v_purpose, 200);
    IF v_purpose ~ '[[:cntrl:]]' THEN
        PERFORM seatdesk_invalid('purpose', 'control_character');
    END IF;
    RETURN v_purpose;
END $$
""",
]
PRIVATE_FUNCTIONS = [
    "seatdesk_personal_data_limit(text, integer)",
    "seatdesk_personal_data_request(bigint, text)",
    "seatdesk_personal_data_purpose(text)",
]

_FUNCTIONS = [
    f"""
CREATE FUNCTION seatdesk_request_contacts(p_ids bigint[], p_purpose text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_purpose text;
    v_ids bigint[];
    v_request bigint;
BEGIN
    IF NOT (me.roles && {_REVEALERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not read a complainant''s name and phone', me.login),
            jsonb_build_object('subject', 'personal_data', 'action', 'reveal_contacts',
                               'roles', me.roles, 'allowed', {_REVEALERS_SQL}));
    END IF;
    v_purpose := seatdesk_personal_data_purpose(p_purpose);
    IF cardinality(p_ids) > 1000 THEN
        PERFORM seatdesk_invalid('complaint', 'too_many_at_once',
            jsonb_build_object('limit', 1000));
    END IF;
    SELECT coalesce(array_agg(c.id ORDER BY c.id), '{{}}') INTO v_ids
    FROM complaints c WHERE c.id = ANY (p_ids);
    PERFORM seatdesk_personal_data_limit('reveal_contacts', cardinality(v_ids));
    INSERT INTO personal_data_requests (kind, actor, at, purpose, complaint_ids, xid)
    VALUES ('reveal_contacts', seatdesk_actor(), v_now, v_purpose, v_ids,
            pg_current_xact_id()::text::bigint)
    RETURNING id INTO v_request;
    INSERT INTO personal_data_reads (complaint_id, actor, at, purpose, request_id)
    SELECT i, seatdesk_actor(), v_now, v_purpose, v_request FROM unnest(v_ids) i ORDER BY i;
    RETURN v_request;
END $$
""",
    """
CREATE FUNCTION seatdesk_complaint_contacts(p_request bigint)
RETURNS TABLE (id bigint, complainant text, complainant_phone text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r personal_data_requests := seatdesk_personal_data_request(p_request, 'reveal_contacts');
BEGIN
    RETURN QUERY
    SELECT c.id, c.complainant, c.complainant_phone FROM complaints c
    WHERE c.id = ANY (r.complaint_ids) ORDER BY c.id;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_request_phone_lookup(p_phone text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_phone text := seatdesk_normal_phone(p_phone);
    v_ids bigint[];
    v_request bigint;
BEGIN
    IF NOT (me.roles && {_REVEALERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not look complaints up by phone', me.login),
            jsonb_build_object('subject', 'personal_data', 'action', 'find_by_phone',
                               'roles', me.roles, 'allowed', {_REVEALERS_SQL}));
    END IF;
    IF v_phone IS NULL OR length(v_phone) < 5 OR length(v_phone) > 20 THEN
        PERFORM seatdesk_invalid('complainant_phone', 'not_a_phone',
            jsonb_build_object('value', coalesce(seatdesk_mask_phone(p_phone), '')));
    END IF;
    PERFORM seatdesk_personal_data_limit('find_by_phone', 1);
    SELECT coalesce(array_agg(x.id ORDER BY x.id), '{{}}') INTO v_ids FROM (
        SELECT c.id FROM complaints c
        WHERE seatdesk_normal_phone(c.complainant_phone) = v_phone
          AND c.complainant_phone IS NOT NULL
        ORDER BY c.received_at DESC, c.id DESC LIMIT 200) x;
    INSERT INTO personal_data_requests (kind, actor, at, purpose, complaint_ids, phone_masked,
                                        xid)
    VALUES ('find_by_phone', seatdesk_actor(), v_now, 'find_by_phone', v_ids,
            seatdesk_mask_phone(v_phone), pg_current_xact_id()::text::bigint)
    RETURNING id INTO v_request;
    -- Each match tells who complained and about what: a read of its personal data.
    INSERT INTO personal_data_reads (complaint_id, actor, at, purpose, request_id)
    SELECT i, seatdesk_actor(), v_now, 'find_by_phone', v_request FROM unnest(v_ids) i
    ORDER BY i;
    RETURN v_request;
END $$
""",
    """
CREATE FUNCTION seatdesk_complaints_by_phone(p_request bigint)
RETURNS TABLE (id bigint, number text, received_at timestamptz, state text, case_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r personal_data_requests := seatdesk_personal_data_request(p_request, 'find_by_phone');
BEGIN
    RETURN QUERY
    SELECT c.id, c.number, c.received_at, c.state, c.case_id FROM complaints c
    WHERE c.id = ANY (r.complaint_ids)
    ORDER BY c.received_at DESC, c.id DESC;
END $$
""",
]
PUBLIC_FUNCTIONS = {
    "seatdesk_request_contacts(bigint[], text)": ROLES,
    "seatdesk_complaint_contacts(bigint)": ROLES,
    "seatdesk_request_phone_lookup(text)": ROLES,
    "seatdesk_complaints_by_phone(bigint)": ROLES,
}
#: 0014's one-step functions, gone (the oracle and the rollback-able reveal).
OLD_FUNCTIONS = [
    "seatdesk_complaint_contacts(bigint[], text)",
    "seatdesk_complaints_by_phone(text)",
]


def _old_functions_0014() -> list[str]:
    return [f for f in _0014._FUNCTIONS
            if "FUNCTION seatdesk_complaint_contacts(" in f
            or "FUNCTION seatdesk_complaints_by_phone(" in f]


# ---- F2: the import digest without the name and phone

_HASH_0019 = """
CREATE FUNCTION seatdesk_complaint_import_hash(
    p_channel text, p_received timestamptz, p_content text, p_address text, p_category integer
) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\\x1f', p_channel,
        to_char(p_received AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        regexp_replace(coalesce(p_content, ''), '\\s+', ' ', 'g'),
        regexp_replace(coalesce(p_address, ''), '\\s+', ' ', 'g'),
        coalesce(p_category::text, '')), 'UTF8')), 'hex')
$$
"""
HASH_0016 = "seatdesk_complaint_import_hash(text, timestamptz, text, text, text)"
HASH_0019 = "seatdesk_complaint_import_hash(text, timestamptz, text, text, integer)"
_HASH_CALL_0016 = """seatdesk_complaint_import_hash(
                   s.channel, s.received, s.phone, s.content, s.address)"""
_HASH_CALL_0019 = """seatdesk_complaint_import_hash(
                   s.channel, s.received, s.content, s.address, s.category_id)"""


def _import_0016() -> str:
    return _function(_0016, "seatdesk_import_complaints")


def _import_0019() -> str:
    return _replace(_import_0016(), _HASH_CALL_0016, _HASH_CALL_0019)


def _rehash(call: str) -> str:
    """Every digest again; of complaints that now digest the same, the oldest keeps it."""
    return f"""
        WITH h AS (
            SELECT id, {call} AS hash FROM complaints WHERE import_hash IS NOT NULL
        ), ranked AS (
            SELECT id, hash, row_number() OVER (PARTITION BY hash ORDER BY id) AS n FROM h
        )
        UPDATE complaints c SET import_hash = CASE WHEN r.n = 1 THEN r.hash END
        FROM ranked r WHERE r.id = c.id
    """


_REHASH_0019 = _rehash(
    "seatdesk_complaint_import_hash(channel, received_at, content, address, category_id)")
_REHASH_0016 = _rehash(
    "seatdesk_complaint_import_hash(channel, received_at, complainant_phone, content, address)")


# ---- F5: a reopen answers to the last closing, and every complainant is answered again

_REOPEN_CLOSED_CHECK = """    IF c.state <> 'closed' THEN
        PERFORM seatdesk_fail('SD400',
            format('reopen_for_complaint is not possible in state %s', c.state),
            jsonb_build_object('state', c.state, 'action', 'reopen_for_complaint'));
    END IF;
"""
_REOPEN_STALE_CHECK = """    -- The 不满意 must be about the case's last closing, not an earlier one (0019).
    IF k.called_back_at IS NULL OR k.called_back_at <= (
        SELECT max(ev.at) FROM case_events ev WHERE ev.case_id = c.id AND ev.to_state = 'closed')
    THEN
        PERFORM seatdesk_invalid('callback', 'before_last_close',
            jsonb_build_object('value', k.number));
    END IF;
"""
_REOPEN_RETURN = """    RETURN c.version + 1;
END $$
"""
_REOPEN_OTHERS = """    -- Every other complainant of the case called back before this reopen is answered
    -- again after the rework too (0019).
    WITH moved AS (
        UPDATE complaints o SET state = 'linked', version = o.version + 1, updated_at = v_now,
               reply_limit_unit = v_due.unit, reply_limit_minutes = v_due.minutes,
               reply_due = v_due.due, reply_warning_at = v_due.warning
        WHERE o.case_id = c.id AND o.id <> k.id AND o.state = 'called_back'
          AND o.called_back_at < v_now
        RETURNING o.id, o.version
    )
    INSERT INTO complaint_events (complaint_id, action, from_state, to_state, actor, at, note,
                                  data)
    SELECT m.id, 'reopen', 'called_back', 'linked', seatdesk_actor(), v_now, v_note,
           jsonb_build_object('version', m.version, 'case_id', c.id,
                              'case_version', c.version + 1)
    FROM moved m ORDER BY m.id;
""" + _REOPEN_RETURN


def _reopen_0014() -> str:
    return _function(_0014, "seatdesk_reopen_for_complaint")


def _reopen_0019() -> str:
    sql = _replace(_reopen_0014(), _REOPEN_CLOSED_CHECK,
                   _REOPEN_CLOSED_CHECK + _REOPEN_STALE_CHECK)
    return _replace(sql, _REOPEN_RETURN, _REOPEN_OTHERS)


# ---- F8, F7: recording a complaint refuses by field, and echoes no input

_CREATE_CASTS_0013 = """    BEGIN
        v_received := coalesce((p_complaint ->> 'received_at')::timestamptz, v_now);
        v_category := (p_complaint ->> 'category_id')::integer;
        v_lon := (p_complaint ->> 'longitude')::double precision;
        v_lat := (p_complaint ->> 'latitude')::double precision;
    EXCEPTION WHEN data_exception THEN
        PERFORM seatdesk_invalid('complaint', 'malformed', jsonb_build_object('value', p_complaint));
    END;
"""
_CREATE_CASTS_0019 = """    -- Each field by itself, naming it; never the input (it holds the name and phone).
    IF p_complaint IS NULL OR jsonb_typeof(p_complaint) <> 'object' THEN
        PERFORM seatdesk_invalid('complaint', 'malformed');
    END IF;
    SELECT f INTO v_field FROM unnest(ARRAY['channel', 'external_ref', 'content', 'address',
        'complainant', 'complainant_phone', 'received_at']) f
    WHERE jsonb_typeof(p_complaint -> f) NOT IN ('string', 'null') LIMIT 1;
    IF FOUND THEN
        PERFORM seatdesk_invalid(v_field, 'malformed');
    END IF;
    BEGIN
        v_received := coalesce((p_complaint ->> 'received_at')::timestamptz, v_now);
    EXCEPTION WHEN data_exception THEN
        PERFORM seatdesk_invalid('received_at', 'malformed');
    END;
    -- The working calendar (0006) begins in 2004 (0016's import checks the same).
    IF v_received AT TIME ZONE seatdesk_centre_timezone() < '2004-01-01' THEN
        PERFORM seatdesk_invalid('received_at', 'out_of_range',
            jsonb_build_object('value', p_complaint ->> 'received_at'));
    END IF;
    BEGIN
        v_category := (p_complaint ->> 'category_id')::integer;
    EXCEPTION WHEN data_exception THEN
        PERFORM seatdesk_invalid('category', 'malformed');
    END;
    BEGIN
        v_lon := (p_complaint ->> 'longitude')::double precision;
        v_lat := (p_complaint ->> 'latitude')::double precision;
    EXCEPTION WHEN data_exception THEN
        PERFORM seatdesk_invalid('location', 'malformed');
    END;
"""
_CREATE_DECLARE_0013 = """    v_id bigint;
BEGIN
"""
_CREATE_DECLARE_0019 = """    v_id bigint;
    v_field text;
BEGIN
"""


def _create_0013() -> str:
    return _function(_0013, "seatdesk_create_complaint")


def _create_0019() -> str:
    sql = _replace(_create_0013(), _CREATE_DECLARE_0013, _CREATE_DECLARE_0019)
    return _replace(sql, _CREATE_CASTS_0013, _CREATE_CASTS_0019)


def upgrade() -> None:
    # F1, F3
    op.execute(_TABLES)
    op.execute("REVOKE ALL ON personal_data_requests FROM PUBLIC")
    op.execute(_groups("SELECT", "personal_data_requests", AUDIT_READERS))
    op.execute(_policy("personal_data_requests_audit", "personal_data_requests",
                       AUDIT_READERS, "true"))
    for fn in OLD_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    for sql in [*_HELPERS, *_FUNCTIONS]:
        op.execute(sql)
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", roles))
    # F2
    op.execute(f"DROP FUNCTION {HASH_0016}")
    op.execute(_HASH_0019)
    op.execute(f"REVOKE ALL ON FUNCTION {HASH_0019} FROM PUBLIC")
    op.execute(_import_0019())
    op.execute(_REHASH_0019)
    # F5
    op.execute(_reopen_0019())
    # F8, F7
    op.execute(_create_0019())
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the committed audit of reveals and look-ups has no place at 0018.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM personal_data_requests) THEN
                RAISE EXCEPTION 'personal data requests are audited; 0018 has no place for '
                    'them' USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    op.execute(_create_0013())
    op.execute(_reopen_0014())
    op.execute(f"DROP FUNCTION {HASH_0019}")
    op.execute(_0016._FUNCTIONS[0])
    op.execute(f"REVOKE ALL ON FUNCTION {HASH_0016} FROM PUBLIC")
    op.execute(_import_0016())
    op.execute(_REHASH_0016)
    for fn in PUBLIC_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    for sql in _old_functions_0014():
        op.execute(sql)
    for fn in OLD_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", _0014.PUBLIC_FUNCTIONS[fn]))
    op.execute("ALTER TABLE personal_data_reads DROP COLUMN request_id")
    op.execute("DROP TABLE personal_data_requests")
    op.execute("SELECT seatdesk_hand_over()")
