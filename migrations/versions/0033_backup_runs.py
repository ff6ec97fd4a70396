"""backup runs: the nightly backup is written exactly once, whoever's scheduler fires

Several seatdesk processes may run the scheduler against one database (desks sharing
the embedded server on a workstation, a headless ``seatdesk scheduler``): without a
record, each of them wrote the night's backup. ``backup_runs`` holds one row per day
(the centre's calendar day), and only these functions write it — the shape of 0025's
monthly reports:

- ``seatdesk_claim_backup(day)`` → true for exactly one caller: the first (``INSERT …
  ON CONFLICT DO NOTHING``), or whoever finds the day ``failed`` (a retry), or a claim
  left ``claimed`` for longer than ``CLAIM_TIMEOUT`` (2 hours). Re-claiming locks the row
  (``FOR UPDATE``). A day later than today in the centre's time zone cannot be claimed.
- ``seatdesk_finish_backup(day, file, error)`` → the claimant records the file written
  or the failure's one sentence; a claim another caller has taken over is refused.

Who may claim and finish: the same seats as the monthly report (their desks run the
scheduler) and the owner's side; not a department seat, not the intake service. The
same seats read the table and its append-only trail ``backup_run_events``.

The downgrade drops both tables: the backup files stay where they were written.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

#: The seat roles whose desks run the nightly backup (and read its record).
WRITERS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
#: How long a claim holds before another workstation may take it over.
CLAIM_TIMEOUT = "2 hours"
STATES = ["claimed", "done", "failed"]
EVENT_ACTIONS = ["claim", "take_over", "retry", "done", "failed"]
PUBLIC_FUNCTIONS = [
    "seatdesk_claim_backup(date)",
    "seatdesk_finish_backup(date, text, text)",
]
PRIVATE_FUNCTIONS = ["seatdesk_backup_caller()", "seatdesk_backup_day(date)"]


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


_TABLES = f"""
CREATE TABLE backup_runs (
    day date PRIMARY KEY,
    state text NOT NULL CONSTRAINT ck_backup_runs_state CHECK (state IN {_in(STATES)}),
    claimed_by text NOT NULL,
    claimed_at timestamptz NOT NULL,
    finished_at timestamptz,
    file_name text,
    error text,
    attempts integer NOT NULL CONSTRAINT ck_backup_runs_attempts CHECK (attempts >= 1),
    CONSTRAINT ck_backup_runs_outcome CHECK (
        (state = 'claimed' AND finished_at IS NULL AND file_name IS NULL AND error IS NULL)
        OR (state = 'done' AND finished_at IS NOT NULL AND file_name IS NOT NULL)
        OR (state = 'failed' AND finished_at IS NOT NULL AND error IS NOT NULL))
);
ALTER TABLE backup_runs ENABLE ROW LEVEL SECURITY;

CREATE TABLE backup_run_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day date NOT NULL REFERENCES backup_runs (day),
    action text NOT NULL
        CONSTRAINT ck_backup_run_events_action CHECK (action IN {_in(EVENT_ACTIONS)}),
    actor text NOT NULL,
    at timestamptz NOT NULL,
    detail text
);
CREATE INDEX ix_backup_run_events_day ON backup_run_events (day, id);
ALTER TABLE backup_run_events ENABLE ROW LEVEL SECURITY;
"""

_FUNCTIONS = [
    # The caller's login, refused unless it may run the nightly backup: an active seat
    # of a writing role, or the owner's side (the headless scheduler).
    f"""
CREATE FUNCTION seatdesk_backup_caller() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_login text := seatdesk_actor();
    v_roles text[];
BEGIN
    SELECT roles INTO v_roles FROM users WHERE login = v_login AND active;
    IF FOUND THEN
        IF NOT v_roles && {_array(WRITERS)}::text[] THEN
            PERFORM seatdesk_fail('SD403',
                format('%s may not run the nightly backup', v_login),
                jsonb_build_object('action', 'backup', 'roles', v_roles,
                                   'allowed', to_jsonb({_array(WRITERS)}::text[])));
        END IF;
        RETURN v_login;
    END IF;
    IF pg_has_role(session_user, (SELECT relowner FROM pg_class
                                  WHERE oid = 'backup_runs'::regclass), 'USAGE') THEN
        RETURN v_login;
    END IF;
    PERFORM seatdesk_fail('SD401', format('%s is not an active seat user', v_login),
                          jsonb_build_object('login', v_login));
    RETURN NULL;
END $$
""",
    # A day that has begun in the centre's time zone.
    """
CREATE FUNCTION seatdesk_backup_day(p_day date) RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_day IS NULL THEN
        PERFORM seatdesk_invalid('day', 'required');
    END IF;
    IF p_day > (clock_timestamp() AT TIME ZONE seatdesk_centre_timezone())::date THEN
        PERFORM seatdesk_invalid('day', 'not_begun', jsonb_build_object('value', p_day::text));
    END IF;
    RETURN p_day;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_claim_backup(p_day date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- Another workstation's claim is a moment's work: never wait long behind it.
SET lock_timeout = '10s' AS $$
DECLARE
    v_login text := seatdesk_backup_caller();
    v_day date := seatdesk_backup_day(p_day);
    v_now timestamptz := clock_timestamp();
    v_action text;
    r record;
BEGIN
    INSERT INTO backup_runs (day, state, claimed_by, claimed_at, attempts)
    VALUES (v_day, 'claimed', v_login, v_now, 1)
    ON CONFLICT (day) DO NOTHING;
    IF FOUND THEN
        INSERT INTO backup_run_events (day, action, actor, at)
        VALUES (v_day, 'claim', v_login, v_now);
        RETURN true;
    END IF;
    -- Someone claimed it before: a failure may be retried, a claim older than the
    -- timeout taken over. The lock makes the second of two such callers read the first
    -- one's new claim.
    SELECT state, claimed_by, claimed_at INTO r FROM backup_runs
    WHERE day = v_day FOR UPDATE;
    v_now := clock_timestamp();
    IF r.state = 'failed' THEN
        v_action := 'retry';
    ELSIF r.state = 'claimed' AND r.claimed_at < v_now - interval '{CLAIM_TIMEOUT}' THEN
        v_action := 'take_over';
    ELSE
        RETURN false;
    END IF;
    UPDATE backup_runs
    SET state = 'claimed', claimed_by = v_login, claimed_at = v_now, finished_at = NULL,
        file_name = NULL, error = NULL, attempts = attempts + 1
    WHERE day = v_day;
    INSERT INTO backup_run_events (day, action, actor, at, detail)
    VALUES (v_day, v_action, v_login, v_now,
            CASE v_action WHEN 'take_over'
                 THEN format('claimed by %s at %s', r.claimed_by, r.claimed_at) END);
    RETURN true;
END $$
""",
    """
CREATE FUNCTION seatdesk_finish_backup(p_day date, p_file text, p_error text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_login text := seatdesk_backup_caller();
    v_file text := nullif(btrim(p_file), '');
    -- A failure's sentence is recorded whatever its length: cut, never refused.
    v_error text := left(nullif(btrim(p_error), ''), 2000);
    v_now timestamptz := clock_timestamp();
    r record;
BEGIN
    IF p_day IS NULL THEN
        PERFORM seatdesk_invalid('day', 'required');
    END IF;
    IF v_file IS NULL AND v_error IS NULL THEN
        PERFORM seatdesk_invalid('file_name', 'required');
    END IF;
    PERFORM seatdesk_check_length('file_name', v_file, 1000);
    SELECT state, claimed_by INTO r FROM backup_runs WHERE day = p_day FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('backup', p_day::text);
    END IF;
    IF r.state <> 'claimed' OR r.claimed_by <> v_login THEN
        PERFORM seatdesk_invalid('day', 'backup_not_claimed',
            jsonb_build_object('value', p_day::text, 'state', r.state,
                               'claimed_by', r.claimed_by));
    END IF;
    UPDATE backup_runs
    SET state = CASE WHEN v_error IS NULL THEN 'done' ELSE 'failed' END,
        finished_at = v_now, file_name = CASE WHEN v_error IS NULL THEN v_file END,
        error = v_error
    WHERE day = p_day;
    INSERT INTO backup_run_events (day, action, actor, at, detail)
    VALUES (p_day, CASE WHEN v_error IS NULL THEN 'done' ELSE 'failed' END, v_login, v_now,
            coalesce(v_error, v_file));
END $$
""",
]


def upgrade() -> None:
    op.execute(_TABLES)
    for sql in _FUNCTIONS:
        op.execute(sql)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in PUBLIC_FUNCTIONS:
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", WRITERS))
    op.execute("REVOKE ALL ON backup_runs, backup_run_events FROM PUBLIC")
    op.execute(_grant("SELECT", "backup_runs, backup_run_events", WRITERS))
    op.execute(_policy("backup_runs_staff", "backup_runs", WRITERS, "true"))
    op.execute(_policy("backup_run_events_staff", "backup_run_events", WRITERS, "true"))
    op.execute("""
        CREATE TRIGGER backup_run_events_append_only
        BEFORE UPDATE OR DELETE ON backup_run_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER backup_run_events_no_truncate BEFORE TRUNCATE ON backup_run_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE backup_run_events")
    op.execute("DROP TABLE backup_runs")
