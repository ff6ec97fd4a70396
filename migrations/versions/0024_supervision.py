"""supervision (督查): urge a department's overdue cases at once, the inspector's check
request, and the random callback sample (随机回访抽查)

    seatdesk_urge_department(department, note) → n      inspector
        督办 every overdue open case of one department in one transaction: the cases
        are locked in id order (two inspectors urging overlapping sets cannot deadlock)
        and one set-based INSERT writes an ``urge`` event per case, with the note and the
        real login; the events' statement notice tells every desk. Nothing or all.
    seatdesk_draw_callback_sample(from, to) → sample id   inspector
        Draws the sample of complaints replied within [from, to] (centre days, a period
        that has ended: a running one would fix its sample too early) for a
        callback check, at the share of the ``statistics`` centre setting
        (``callback_sample_share``). One draw per period: a second call, by anyone,
        returns the first draw (it cannot be re-rolled). The draw keeps who drew, when,
        the share, the population and the seed; the chosen complaints are the first
        ``ceil(share × population)`` by ``md5(seed || ':' || id)``, so anyone can check
        them against the seed. Both tables are append-only.

The inspector may now request the check (核查) of a handled case as the acceptor does:
the workflow table is written again from ``seatdesk/domain/workflow.py``.

Callbacks of sampled complaints are recorded by the 12319 monitor seat with the existing
``seatdesk_callback_complaint`` and the audited two-step reveal of contacts (0019),
unchanged: the inspector reads the sample and its callback results, masked.

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-02 10:30:00
"""

from __future__ import annotations

from alembic import op

from seatdesk.db import workflow_table

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
#: Who reads the samples: the inspector who draws them, the monitor who calls back,
#: the shift leader and the administrator (never a department).
SAMPLE_READERS = ["inspector", "monitor", "shift_leader", "admin"]
OPEN_SQL = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]::text[]"


def _groups(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010)."""
    return (
        f"DO $$ BEGIN EXECUTE format('GRANT {privilege} ON "
        + obj.replace("'", "''")
        + " TO %s', (SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + _array(roles)
        + ") r)); END $$"
    )


def _policy(name: str, table: str, roles: list[str], using: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format('CREATE POLICY " + name + " ON " + table
        + " TO %s USING (" + using.replace("'", "''") + ")', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


_TABLES = """
CREATE TABLE callback_samples (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_from date NOT NULL,
    period_to date NOT NULL,
    share numeric NOT NULL CONSTRAINT ck_callback_samples_share CHECK (share > 0 AND share <= 1),
    seed text NOT NULL,
    population integer NOT NULL,
    drawn_by text NOT NULL,
    drawn_at timestamptz NOT NULL,
    CONSTRAINT ck_callback_samples_period CHECK (period_to >= period_from),
    CONSTRAINT uq_callback_samples_period UNIQUE (period_from, period_to)
);
CREATE TABLE callback_sample_items (
    sample_id bigint NOT NULL REFERENCES callback_samples (id),
    complaint_id bigint NOT NULL REFERENCES complaints (id),
    rank integer NOT NULL,
    PRIMARY KEY (sample_id, complaint_id),
    CONSTRAINT uq_callback_sample_items_rank UNIQUE (sample_id, rank)
);
CREATE INDEX ix_callback_sample_items_complaint ON callback_sample_items (complaint_id);
-- A draw is a record: nobody changes or removes it, the owner included.
CREATE TRIGGER callback_samples_append_only BEFORE UPDATE OR DELETE ON callback_samples
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER callback_samples_no_truncate BEFORE TRUNCATE ON callback_samples
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER callback_sample_items_append_only BEFORE UPDATE OR DELETE
ON callback_sample_items FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER callback_sample_items_no_truncate BEFORE TRUNCATE ON callback_sample_items
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
"""

_URGE_DEPARTMENT = f"""
CREATE FUNCTION seatdesk_urge_department(p_department text, p_note text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- A desk waiting for cases another transaction holds gets an answer, not a hang.
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_note text := seatdesk_complaint_text(p_note);  -- white space of every kind trimmed
    v_now timestamptz := clock_timestamp();
    n integer;
BEGIN
    IF NOT 'inspector' = ANY (me.roles) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not urge a department', me.login),
            jsonb_build_object('subject', 'supervision', 'action', 'urge_department',
                               'roles', me.roles, 'allowed', ARRAY['inspector']));
    END IF;
    IF v_note IS NULL THEN
        PERFORM seatdesk_invalid('note', 'required');
    END IF;
    PERFORM seatdesk_check_length('note', v_note, 2000);
    IF NOT EXISTS (SELECT 1 FROM departments WHERE code = p_department) THEN
        PERFORM seatdesk_not_found('department', coalesce(p_department, ''));
    END IF;
    -- Locked in id order, then re-read (FOR UPDATE sees the committed row): a case
    -- handled meanwhile is no longer overdue and is left out.
    WITH locked AS MATERIALIZED (
        SELECT id, state, version FROM cases
        WHERE current_department = p_department AND deadline_status = 'overdue'
          AND {OPEN_SQL}
        ORDER BY id
        FOR UPDATE
    )
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note, data)
    SELECT l.id, 'urge', l.state, l.state, me.login, v_now, v_note,
           jsonb_build_object('version', l.version, 'department', p_department)
    FROM locked l
    JOIN workflow_transitions t ON t.from_state = l.state AND t.action = 'urge'
    WHERE t.roles && me.roles
    ORDER BY l.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$
"""

_DRAW = """
CREATE FUNCTION seatdesk_draw_callback_sample(p_from date, p_to date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    tz text := seatdesk_centre_timezone();
    v_share numeric;
    v_seed text := md5(gen_random_uuid()::text);
    v_population integer;
    v_id bigint;
BEGIN
    IF NOT 'inspector' = ANY (me.roles) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not draw a callback sample', me.login),
            jsonb_build_object('subject', 'supervision', 'action', 'draw_sample',
                               'roles', me.roles, 'allowed', ARRAY['inspector']));
    END IF;
    IF p_from IS NULL OR p_to IS NULL THEN
        PERFORM seatdesk_invalid('period', 'required');
    END IF;
    IF p_to < p_from OR p_to - p_from > 366 THEN
        PERFORM seatdesk_invalid('period', 'out_of_range',
            jsonb_build_object('value', format('%s – %s', p_from, p_to)));
    END IF;
    -- A period still running would fix its sample before its replies are all in.
    IF p_to >= (clock_timestamp() AT TIME ZONE tz)::date THEN
        PERFORM seatdesk_invalid('period', 'in_future', jsonb_build_object('value', p_to));
    END IF;
    SELECT id INTO v_id FROM callback_samples WHERE period_from = p_from AND period_to = p_to;
    IF FOUND THEN
        RETURN v_id;  -- drawn already: the same sample for everyone, never re-rolled
    END IF;
    BEGIN
        v_share := coalesce(
            (SELECT (value ->> 'callback_sample_share')::numeric FROM centre_settings
             WHERE key = 'statistics'), 0.1);
    EXCEPTION WHEN invalid_text_representation THEN
        v_share := NULL;
    END;
    IF v_share IS NULL OR v_share <= 0 OR v_share > 1 THEN
        PERFORM seatdesk_invalid('callback_sample_share', 'out_of_range',
                                 jsonb_build_object('value', v_share));
    END IF;
    SELECT count(*) INTO v_population FROM complaints
    WHERE replied_at >= p_from::timestamp AT TIME ZONE tz
      AND replied_at < (p_to + 1)::timestamp AT TIME ZONE tz;
    -- A second inspector drawing the same period at the same moment waits here for the
    -- first to commit, then takes the first draw.
    INSERT INTO callback_samples (period_from, period_to, share, seed, population, drawn_by,
                                  drawn_at)
    VALUES (p_from, p_to, v_share, v_seed, v_population, me.login, clock_timestamp())
    ON CONFLICT ON CONSTRAINT uq_callback_samples_period DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        SELECT id INTO v_id FROM callback_samples WHERE period_from = p_from AND period_to = p_to;
        RETURN v_id;
    END IF;
    INSERT INTO callback_sample_items (sample_id, complaint_id, rank)
    SELECT v_id, id, row_number() OVER (ORDER BY md5(v_seed || ':' || id), id)
    FROM complaints
    WHERE replied_at >= p_from::timestamp AT TIME ZONE tz
      AND replied_at < (p_to + 1)::timestamp AT TIME ZONE tz
    ORDER BY md5(v_seed || ':' || id), id
    LIMIT ceil(v_share * v_population)::integer;
    RETURN v_id;
END $$
"""

PUBLIC_FUNCTIONS = {
    # Every seat may call them, so that a refusal names who may (SD403); they check.
    "seatdesk_urge_department(text, text)": ROLES,
    "seatdesk_draw_callback_sample(date, date)": ROLES,
}


def upgrade() -> None:
    for statement in workflow_table.statements():
        op.execute(statement)
    op.execute(_TABLES)
    op.execute("REVOKE ALL ON callback_samples, callback_sample_items FROM PUBLIC")
    op.execute(_groups("SELECT", "callback_samples, callback_sample_items", SAMPLE_READERS))
    op.execute("ALTER TABLE callback_samples ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE callback_sample_items ENABLE ROW LEVEL SECURITY")
    op.execute(_policy("callback_samples_readers", "callback_samples", SAMPLE_READERS, "true"))
    op.execute(
        _policy("callback_sample_items_readers", "callback_sample_items", SAMPLE_READERS, "true")
    )
    op.execute(_URGE_DEPARTMENT)
    op.execute(_DRAW)
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # The inspector's check request goes (a case it sent on stays where it is); the
    # draws are records, dropped with their tables as every table of a revision is.
    for fn in PUBLIC_FUNCTIONS:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE callback_sample_items")
    op.execute("DROP TABLE callback_samples")
    op.execute(
        "UPDATE workflow_transitions SET roles = array_remove(roles, 'inspector') "
        "WHERE from_state = 'handled' AND action = 'request_check'"
    )
