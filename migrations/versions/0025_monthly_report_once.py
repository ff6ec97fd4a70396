"""monthly reports: last month's report is written exactly once, whoever's scheduler fires

Every workstation's desk runs the scheduler (``seatdesk.scheduler``), and so may a
headless ``seatdesk scheduler``: without a record, each of them wrote last month's
report. ``monthly_reports`` holds one row per month, and only these functions write it:

- ``seatdesk_claim_monthly_report(month)`` → true for exactly one caller: the first
  (``INSERT … ON CONFLICT DO NOTHING``: a second caller's insert waits for the first's
  commit and inserts nothing), or whoever finds the month ``failed`` (a retry), or a
  claim left ``claimed`` for longer than ``CLAIM_TIMEOUT`` (2 hours: the workstation that
  took it died or lost its connection; a report over a million cases takes minutes).
  Re-claiming locks the row (``FOR UPDATE``), so of two callers that both find it
  failed or stale, the second reads the first's fresh claim and gets false. A month that
  has not ended in the centre's time zone cannot be claimed. A ``done`` month is never
  claimed again: the inspector's own runs (the panel, ``seatdesk report``) write a file
  where the person asks and need no claim.
- ``seatdesk_finish_monthly_report(month, file, error)`` → the claimant records the
  outcome: the file's name (``done``) or the failure's one sentence (``failed``). A
  claim that another workstation has since taken over is refused (``month/not_claimed``).

Who may claim and finish: the seats that see every case — acceptor, shift leader,
dispatcher, inspector, monitor, admin — whose desks all run the scheduler, and the
owner's side (the headless ``seatdesk scheduler`` runs with the owner's login). Not a
department seat (row-level security shows it only its own department's cases, so its
report would be a department's, not the centre's) and not the intake service (no desk,
no scheduler). The same seats, and nobody else, read the table and its trail.

Every claim, take-over, retry and outcome is an append-only row of
``monthly_report_events`` with the real login (``seatdesk_actor()``) and the time.

The downgrade drops both tables: they only record which workstation wrote which
report, and the files stay where they were written.

Revision ID: 0025
Revises: 0021
Create Date: 2026-12-02 10:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

#: The seat roles whose desks write the monthly report (and read its record).
WRITERS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
#: How long a claim holds before another workstation may take it over.
CLAIM_TIMEOUT = "2 hours"
STATES = ["claimed", "done", "failed"]
EVENT_ACTIONS = ["claim", "take_over", "retry", "done", "failed"]
PUBLIC_FUNCTIONS = [
    "seatdesk_claim_monthly_report(date)",
    "seatdesk_finish_monthly_report(date, text, text)",
]
PRIVATE_FUNCTIONS = ["seatdesk_monthly_report_caller()", "seatdesk_monthly_report_month(date)"]


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
CREATE TABLE monthly_reports (
    month date PRIMARY KEY
        CONSTRAINT ck_monthly_reports_first_day CHECK (extract(day FROM month) = 1),
    state text NOT NULL CONSTRAINT ck_monthly_reports_state CHECK (state IN {_in(STATES)}),
    claimed_by text NOT NULL,
    claimed_at timestamptz NOT NULL,
    finished_at timestamptz,
    file_name text,
    error text,
    attempts integer NOT NULL CONSTRAINT ck_monthly_reports_attempts CHECK (attempts >= 1),
    CONSTRAINT ck_monthly_reports_outcome CHECK (
        (state = 'claimed' AND finished_at IS NULL AND file_name IS NULL AND error IS NULL)
        OR (state = 'done' AND finished_at IS NOT NULL AND file_name IS NOT NULL)
        OR (state = 'failed' AND finished_at IS NOT NULL AND error IS NOT NULL))
);
ALTER TABLE monthly_reports ENABLE ROW LEVEL SECURITY;

CREATE TABLE monthly_report_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month date NOT NULL REFERENCES monthly_reports (month),
    action text NOT NULL
        CONSTRAINT ck_monthly_report_events_action CHECK (action IN {_in(EVENT_ACTIONS)}),
    actor text NOT NULL,
    at timestamptz NOT NULL,
    detail text
);
CREATE INDEX ix_monthly_report_events_month ON monthly_report_events (month, id);
ALTER TABLE monthly_report_events ENABLE ROW LEVEL SECURITY;
"""

_FUNCTIONS = [
    # The caller's login, refused unless it may write the monthly report: an active seat
    # of a writing role, or the owner's side (the headless scheduler).
    f"""
CREATE FUNCTION seatdesk_monthly_report_caller() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_login text := seatdesk_actor();
    v_roles text[];
BEGIN
    SELECT roles INTO v_roles FROM users WHERE login = v_login AND active;
    IF FOUND THEN
        IF NOT v_roles && {_array(WRITERS)}::text[] THEN
            PERFORM seatdesk_fail('SD403',
                format('%s may not write the monthly report', v_login),
                jsonb_build_object('action', 'monthly_report', 'roles', v_roles,
                                   'allowed', to_jsonb({_array(WRITERS)}::text[])));
        END IF;
        RETURN v_login;
    END IF;
    IF pg_has_role(session_user, (SELECT relowner FROM pg_class
                                  WHERE oid = 'monthly_reports'::regclass), 'USAGE') THEN
        RETURN v_login;
    END IF;
    PERFORM seatdesk_fail('SD401', format('%s is not an active seat user', v_login),
                          jsonb_build_object('login', v_login));
    RETURN NULL;
END $$
""",
    # A month as its first day, and only one that has ended in the centre's time zone.
    """
CREATE FUNCTION seatdesk_monthly_report_month(p_month date) RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_month IS NULL THEN
        PERFORM seatdesk_invalid('month', 'required');
    END IF;
    IF extract(day FROM p_month) <> 1 THEN
        PERFORM seatdesk_invalid('month', 'not_first_day',
                                 jsonb_build_object('value', p_month::text));
    END IF;
    IF p_month >= date_trunc('month', clock_timestamp() AT TIME ZONE seatdesk_centre_timezone())
                  ::date THEN
        PERFORM seatdesk_invalid('month', 'not_over', jsonb_build_object('value', p_month::text));
    END IF;
    RETURN p_month;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_claim_monthly_report(p_month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- Another workstation's claim is a moment's work: never wait long behind it.
SET lock_timeout = '10s' AS $$
DECLARE
    v_login text := seatdesk_monthly_report_caller();
    v_month date := seatdesk_monthly_report_month(p_month);
    v_now timestamptz := clock_timestamp();
    v_action text;
    r record;
BEGIN
    INSERT INTO monthly_reports (month, state, claimed_by, claimed_at, attempts)
    VALUES (v_month, 'claimed', v_login, v_now, 1)
    ON CONFLICT (month) DO NOTHING;
    IF FOUND THEN
        INSERT INTO monthly_report_events (month, action, actor, at)
        VALUES (v_month, 'claim', v_login, v_now);
        RETURN true;
    END IF;
    -- Someone claimed it before: a failure may be retried, a claim older than the
    -- timeout taken over. The lock makes the second of two such callers read the first
    -- one's new claim.
    SELECT state, claimed_by, claimed_at INTO r FROM monthly_reports
    WHERE month = v_month FOR UPDATE;
    v_now := clock_timestamp();
    IF r.state = 'failed' THEN
        v_action := 'retry';
    ELSIF r.state = 'claimed' AND r.claimed_at < v_now - interval '{CLAIM_TIMEOUT}' THEN
        v_action := 'take_over';
    ELSE
        RETURN false;
    END IF;
    UPDATE monthly_reports
    SET state = 'claimed', claimed_by = v_login, claimed_at = v_now, finished_at = NULL,
        file_name = NULL, error = NULL, attempts = attempts + 1
    WHERE month = v_month;
    INSERT INTO monthly_report_events (month, action, actor, at, detail)
    VALUES (v_month, v_action, v_login, v_now,
            CASE v_action WHEN 'take_over'
                 THEN format('claimed by %s at %s', r.claimed_by, r.claimed_at) END);
    RETURN true;
END $$
""",
    """
CREATE FUNCTION seatdesk_finish_monthly_report(p_month date, p_file text, p_error text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    v_login text := seatdesk_monthly_report_caller();
    v_file text := nullif(btrim(p_file), '');
    -- A failure's sentence is recorded whatever its length: cut, never refused.
    v_error text := left(nullif(btrim(p_error), ''), 2000);
    v_now timestamptz := clock_timestamp();
    r record;
BEGIN
    IF p_month IS NULL THEN
        PERFORM seatdesk_invalid('month', 'required');
    END IF;
    IF v_file IS NULL AND v_error IS NULL THEN
        PERFORM seatdesk_invalid('file_name', 'required');
    END IF;
    PERFORM seatdesk_check_length('file_name', v_file, 1000);
    SELECT state, claimed_by INTO r FROM monthly_reports WHERE month = p_month FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('monthly_report', p_month::text);
    END IF;
    IF r.state <> 'claimed' OR r.claimed_by <> v_login THEN
        PERFORM seatdesk_invalid('month', 'not_claimed',
            jsonb_build_object('value', to_char(p_month, 'YYYY-MM'), 'state', r.state,
                               'claimed_by', r.claimed_by));
    END IF;
    UPDATE monthly_reports
    SET state = CASE WHEN v_error IS NULL THEN 'done' ELSE 'failed' END,
        finished_at = v_now, file_name = CASE WHEN v_error IS NULL THEN v_file END,
        error = v_error
    WHERE month = p_month;
    INSERT INTO monthly_report_events (month, action, actor, at, detail)
    VALUES (p_month, CASE WHEN v_error IS NULL THEN 'done' ELSE 'failed' END, v_login, v_now,
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
    op.execute("REVOKE ALL ON monthly_reports, monthly_report_events FROM PUBLIC")
    op.execute(_grant("SELECT", "monthly_reports, monthly_report_events", WRITERS))
    op.execute(_policy("monthly_reports_staff", "monthly_reports", WRITERS, "true"))
    op.execute(_policy("monthly_report_events_staff", "monthly_report_events", WRITERS, "true"))
    op.execute("""
        CREATE TRIGGER monthly_report_events_append_only
        BEFORE UPDATE OR DELETE ON monthly_report_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("""
        CREATE TRIGGER monthly_report_events_no_truncate BEFORE TRUNCATE ON monthly_report_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change()
    """)
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE monthly_report_events")
    op.execute("DROP TABLE monthly_reports")
