"""staff assessment (考核): the bid document's rule table, append-only entries, the
month's ranking with the bottom and the elimination rule, and suggested entries

    assessment_rules          the document's rules (seatdesk/domain/assessment.py RULES):
                              code, section, points per count, multiplier, unit, cap
    assessment_entries        one rule applied to one member of staff in one month, by a
                              manager, with a reason and the day; append-only: a
                              correction is a new entry reversing one (``reverses``)
    assessment_suggestions    entries the data suggest (late steps of a seat user,
                              overdue tasks of a collector), offered once per member, rule
                              and month; append-only
    assessment_decisions      the manager's accept (with the entry made) or dismiss of a
                              suggestion; append-only, one per suggestion

Staff are seat users (``staff_kind`` 'user', ``staff_id`` the login, which must exist)
and field collectors ('collector', the collector id the intake and ``collector_tasks``
use). Collectors have no register table yet: the id is text, with no foreign key.

    seatdesk_assessment_record(kind, staff, rule, count, day, reason) → entry   admin, inspector
    seatdesk_assessment_reverse(entry, reason) → entry                         admin, inspector
    seatdesk_assessment_suggest(month) → new suggestions                       admin, inspector
    seatdesk_assessment_decide(suggestion, accept, reason) → entry | NULL      admin, inspector
    seatdesk_assessment_ranking(month) → the ranking                           admin, inspector, shift_leader
    seatdesk_set_assessment_settings(jsonb)                                    admin

The entries, suggestions and decisions carry the real login and the time: they are
their own audit trail, and no one (the owner included) changes or removes a row. The
settings (``centre_settings['assessment']``: base, bottom_n or bottom_share) are audited
in ``settings_events`` as the statistics settings are (0022). Every write announces
``{"kind":"assessment"}`` on the one channel (the 0009 contract).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from alembic import op

from seatdesk.domain.assessment import DEFAULT_BASE, DEFAULT_BOTTOM_N, RULES

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
#: Who records, reverses, suggests and decides (考核管理).
MANAGERS = ["admin", "inspector"]
#: Who reads the ranking and every entry.
READERS = ["admin", "inspector", "shift_leader"]
#: The seat users who are ranked (the centre's own seats, not the department liaisons).
RANKED_ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor"]
TABLES = ["assessment_rules", "assessment_entries", "assessment_suggestions",
          "assessment_decisions"]


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


def _q(value: object) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _seed() -> str:
    rows = ",\n".join(
        f"({_q(r.code)}, {i + 1}, {_q(r.section.value)}, {r.points}, {r.multiplier}, "
        f"{_q(r.unit.value)}, {_q(r.monthly_cap)}, {_q(r.title_zh)}, {_q(r.title_en)})"
        for i, r in enumerate(RULES)
    )
    return (
        "INSERT INTO assessment_rules (code, position, section, points, multiplier, unit, "
        f"monthly_cap, title_zh, title_en) VALUES\n{rows}"
    )


_TABLES = """
CREATE TABLE assessment_rules (
    code varchar(40) PRIMARY KEY,
    position integer NOT NULL,
    section varchar(20) NOT NULL,
    points numeric(6, 2) NOT NULL CONSTRAINT ck_assessment_rules_points CHECK (points <> 0),
    multiplier numeric(6, 2) NOT NULL DEFAULT 1
        CONSTRAINT ck_assessment_rules_multiplier CHECK (multiplier > 0),
    unit varchar(20) NOT NULL
        CONSTRAINT ck_assessment_rules_unit CHECK (unit IN ('each', 'point', 'ten_yuan')),
    monthly_cap numeric(6, 2) CONSTRAINT ck_assessment_rules_cap CHECK (monthly_cap > 0),
    title_zh text NOT NULL,
    title_en text NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE assessment_suggestions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month date NOT NULL CONSTRAINT ck_assessment_suggestions_month
        CHECK (month = date_trunc('month', month)::date),
    staff_kind varchar(10) NOT NULL
        CONSTRAINT ck_assessment_suggestions_kind CHECK (staff_kind IN ('user', 'collector')),
    staff_id text NOT NULL,
    rule_code varchar(40) NOT NULL REFERENCES assessment_rules (code),
    count numeric(8, 2) NOT NULL CONSTRAINT ck_assessment_suggestions_count CHECK (count > 0),
    counter varchar(30) NOT NULL,   -- which counter of the statistics suggested it
    value integer NOT NULL,         -- and its value in the month
    made_by text NOT NULL,
    made_at timestamptz NOT NULL,
    -- Offered once: a dismissed suggestion is not offered again for the same month.
    CONSTRAINT uq_assessment_suggestions UNIQUE (month, staff_kind, staff_id, rule_code)
);
CREATE TABLE assessment_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month date NOT NULL CONSTRAINT ck_assessment_entries_month
        CHECK (month = date_trunc('month', month)::date),
    staff_kind varchar(10) NOT NULL
        CONSTRAINT ck_assessment_entries_kind CHECK (staff_kind IN ('user', 'collector')),
    staff_id text NOT NULL,
    rule_code varchar(40) NOT NULL REFERENCES assessment_rules (code),
    count numeric(8, 2) NOT NULL CONSTRAINT ck_assessment_entries_count CHECK (count > 0),
    -- Fixed when recorded (rule points × multiplier × count; negated by a reversal), so
    -- a month already ranked keeps its figures.
    points numeric(10, 2) NOT NULL,
    occurred_on date NOT NULL,
    reason text NOT NULL,
    reverses bigint REFERENCES assessment_entries (id)
        CONSTRAINT uq_assessment_entries_reverses UNIQUE,
    suggestion_id bigint REFERENCES assessment_suggestions (id),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_assessment_entries_month ON assessment_entries (month, staff_kind, staff_id);
CREATE TABLE assessment_decisions (
    suggestion_id bigint PRIMARY KEY REFERENCES assessment_suggestions (id),
    accepted boolean NOT NULL,
    reason text,
    entry_id bigint REFERENCES assessment_entries (id),
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    CONSTRAINT ck_assessment_decisions_entry CHECK (accepted = (entry_id IS NOT NULL))
);
"""


def _append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER {table}_notice AFTER INSERT ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('assessment');
"""


def _refuse(action: str, allowed: list[str], what: str) -> str:
    return f"""
    IF NOT (me.roles && {_array(allowed)}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not {what}', me.login),
            jsonb_build_object('subject', 'assessment', 'action', '{action}',
                               'roles', me.roles, 'allowed', {_array(allowed)}));
    END IF;"""


_HELPERS = """
-- The centre's day today, and the first day of a date's month.
CREATE FUNCTION seatdesk_assessment_today() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT (clock_timestamp() AT TIME ZONE seatdesk_centre_timezone())::date
$$;

-- A reason: trimmed, required, at most 2000 characters.
CREATE FUNCTION seatdesk_assessment_reason(p_reason text, p_required boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text := seatdesk_complaint_text(p_reason);  -- white space of every kind trimmed
BEGIN
    IF v IS NULL AND p_required THEN
        PERFORM seatdesk_invalid('reason', 'required');
    END IF;
    PERFORM seatdesk_check_length('reason', v, 2000);
    RETURN v;
END $$;

-- The scores of one month, set-based: who is ranked (the active seat users of the
-- centre's roles, the collectors sent a task that month, anyone with an entry), the
-- sum per rule bounded by the rule's cap, rank from the top (ties share it) and the
-- bottom flag (the lowest k places counted from the bottom, ties sharing; nobody when
-- every score is equal).
CREATE FUNCTION seatdesk_assessment_scores(p_month date, p_base numeric, p_bottom_n integer,
                                           p_bottom_share numeric)
RETURNS TABLE (staff_kind text, staff_id text, deductions numeric, additions numeric,
               entries bigint, score numeric, rank bigint, bottom boolean)
LANGUAGE sql STABLE AS $$
WITH bounds AS (
    SELECT p_month::timestamp AT TIME ZONE z.tz AS t0,
           (p_month + interval '1 month')::timestamp AT TIME ZONE z.tz AS t1
    FROM (SELECT seatdesk_centre_timezone() AS tz) z
), staff AS (
    SELECT 'user'::text AS staff_kind, u.login::text AS staff_id
    FROM users u WHERE u.active AND u.roles && """ + _array(RANKED_ROLES) + """
    UNION
    SELECT 'collector', t.collector FROM collector_tasks t, bounds b
    WHERE t.collector IS NOT NULL AND t.sent_at >= b.t0 AND t.sent_at < b.t1
    UNION
    SELECT e.staff_kind::text, e.staff_id FROM assessment_entries e WHERE e.month = p_month
), per_rule AS (
    SELECT e.staff_kind::text AS staff_kind, e.staff_id, count(*) AS n,
           CASE WHEN r.monthly_cap IS NULL THEN sum(e.points)
                ELSE greatest(-r.monthly_cap, least(r.monthly_cap, sum(e.points))) END AS total
    FROM assessment_entries e JOIN assessment_rules r ON r.code = e.rule_code
    WHERE e.month = p_month
    GROUP BY e.staff_kind, e.staff_id, e.rule_code, r.monthly_cap
), per_staff AS (
    SELECT s.staff_kind, s.staff_id,
           coalesce(sum(p.total) FILTER (WHERE p.total < 0), 0) AS deductions,
           coalesce(sum(p.total) FILTER (WHERE p.total > 0), 0) AS additions,
           coalesce(sum(p.n), 0)::bigint AS entries,
           p_base + coalesce(sum(p.total), 0) AS score
    FROM staff s
    LEFT JOIN per_rule p ON p.staff_kind = s.staff_kind AND p.staff_id = s.staff_id
    GROUP BY s.staff_kind, s.staff_id
), placed AS (
    SELECT ps.*, rank() OVER (ORDER BY ps.score DESC) AS top_rank,
           rank() OVER (ORDER BY ps.score) AS low_rank,
           count(*) OVER () AS n, min(ps.score) OVER () AS lo, max(ps.score) OVER () AS hi
    FROM per_staff ps
)
SELECT p.staff_kind, p.staff_id, p.deductions, p.additions, p.entries, p.score, p.top_rank,
       p.lo < p.hi AND p.low_rank <= coalesce(p_bottom_n,
           greatest(1, ceil(coalesce(p_bottom_share, 0) * p.n))::integer)
FROM placed p
$$;
"""

_SETTINGS_READ = f"""
    BEGIN
        v_settings := coalesce((SELECT value FROM centre_settings WHERE key = 'assessment'),
                               '{{}}'::jsonb);
        v_base := coalesce((v_settings ->> 'base')::numeric, {DEFAULT_BASE});
        v_share := (v_settings ->> 'bottom_share')::numeric;
        v_n := CASE WHEN v_share IS NULL
                    THEN coalesce((v_settings ->> 'bottom_n')::integer, {DEFAULT_BOTTOM_N})
                    ELSE (v_settings ->> 'bottom_n')::integer END;
    EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
        PERFORM seatdesk_invalid('assessment', 'malformed');
    END;"""

_RANKING = f"""
CREATE FUNCTION seatdesk_assessment_ranking(p_month date)
RETURNS TABLE (staff_kind text, staff_id text, display_name text, deductions numeric,
               additions numeric, entries bigint, score numeric, rank bigint, bottom boolean,
               bottom_before boolean, eliminate boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me record := seatdesk_me();
    v_settings jsonb;
    v_base numeric;
    v_share numeric;
    v_n integer;
    v_month date := date_trunc('month', p_month)::date;
BEGIN
    {_refuse("ranking", READERS, "read the assessment")}
    IF p_month IS NULL THEN
        PERFORM seatdesk_invalid('month', 'required');
    END IF;
    {_SETTINGS_READ}
    RETURN QUERY
    SELECT s.staff_kind, s.staff_id,
           CASE WHEN s.staff_kind = 'user' THEN u.display_name::text ELSE s.staff_id END,
           s.deductions, s.additions, s.entries, s.score, s.rank, s.bottom,
           coalesce(b.bottom, false), s.bottom AND coalesce(b.bottom, false)
    FROM seatdesk_assessment_scores(v_month, v_base, v_n, v_share) s
    LEFT JOIN seatdesk_assessment_scores((v_month - interval '1 month')::date, v_base, v_n,
                                         v_share) b
           ON b.staff_kind = s.staff_kind AND b.staff_id = s.staff_id
    LEFT JOIN users u ON s.staff_kind = 'user' AND u.login = s.staff_id
    ORDER BY s.score DESC, s.staff_kind DESC, s.staff_id;
END $$;
"""

_RECORD = f"""
CREATE FUNCTION seatdesk_assessment_record(
    p_kind text, p_staff text, p_rule text, p_count numeric, p_on date, p_reason text
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_reason text;
    v_staff text := nullif(btrim(p_staff), '');
    r assessment_rules%ROWTYPE;
    v_id bigint;
BEGIN
    {_refuse("record", MANAGERS, "record an assessment entry")}
    v_reason := seatdesk_assessment_reason(p_reason, true);
    IF p_kind IS NULL OR p_kind NOT IN ('user', 'collector') THEN
        PERFORM seatdesk_invalid('staff', 'unknown', jsonb_build_object('value', p_kind));
    END IF;
    IF v_staff IS NULL THEN
        PERFORM seatdesk_invalid('staff', 'required');
    END IF;
    PERFORM seatdesk_check_length('staff', v_staff, 100);
    IF p_kind = 'user' THEN
        -- A seat user of the centre's own roles (not a department liaison, not an
        -- administrator only), locked: a login changed meanwhile cannot slip an entry in.
        PERFORM 1 FROM users WHERE login = v_staff AND roles && {_array(RANKED_ROLES)}
        FOR SHARE;
        IF NOT FOUND THEN
            PERFORM seatdesk_invalid('staff', 'unknown', jsonb_build_object('value', v_staff));
        END IF;
        -- Nobody scores themselves (an inspector's praise of their own work).
        IF v_staff = me.login THEN
            PERFORM seatdesk_invalid('staff', 'own_entry', jsonb_build_object('value', v_staff));
        END IF;
    END IF;
    SELECT * INTO r FROM assessment_rules WHERE code = p_rule AND active FOR SHARE;
    IF NOT FOUND THEN
        PERFORM seatdesk_invalid('rule', 'unknown', jsonb_build_object('value', p_rule));
    END IF;
    IF p_count IS NULL OR p_count <= 0 OR p_count > 1000 THEN
        PERFORM seatdesk_invalid('count', 'out_of_range', jsonb_build_object('value', p_count));
    END IF;
    IF r.unit <> 'point' AND p_count <> trunc(p_count) THEN
        PERFORM seatdesk_invalid('count', 'not_whole', jsonb_build_object('value', p_count));
    END IF;
    IF p_on IS NULL THEN
        PERFORM seatdesk_invalid('occurred_on', 'required');
    END IF;
    IF p_on > seatdesk_assessment_today() THEN
        PERFORM seatdesk_invalid('occurred_on', 'in_future', jsonb_build_object('value', p_on));
    END IF;
    IF p_on < DATE '2000-01-01' THEN
        PERFORM seatdesk_invalid('occurred_on', 'out_of_range', jsonb_build_object('value', p_on));
    END IF;
    INSERT INTO assessment_entries (month, staff_kind, staff_id, rule_code, count, points,
                                    occurred_on, reason, recorded_by, recorded_at)
    VALUES (date_trunc('month', p_on)::date, p_kind, v_staff, r.code, p_count,
            r.points * r.multiplier * p_count, p_on, v_reason, me.login, clock_timestamp())
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
"""

_REVERSE = f"""
CREATE FUNCTION seatdesk_assessment_reverse(p_entry bigint, p_reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_reason text;
    e assessment_entries%ROWTYPE;
    v_id bigint;
BEGIN
    {_refuse("reverse", MANAGERS, "reverse an assessment entry")}
    v_reason := seatdesk_assessment_reason(p_reason, true);
    -- Locked: two managers reversing the same entry at once, one wins.
    SELECT * INTO e FROM assessment_entries WHERE id = p_entry FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('assessment entry', coalesce(p_entry::text, ''));
    END IF;
    IF e.reverses IS NOT NULL THEN
        PERFORM seatdesk_invalid('entry', 'is_reversal', jsonb_build_object('value', p_entry));
    END IF;
    IF EXISTS (SELECT 1 FROM assessment_entries WHERE reverses = p_entry) THEN
        PERFORM seatdesk_invalid('entry', 'reversed_already',
                                 jsonb_build_object('value', p_entry));
    END IF;
    INSERT INTO assessment_entries (month, staff_kind, staff_id, rule_code, count, points,
                                    occurred_on, reason, reverses, recorded_by, recorded_at)
    VALUES (e.month, e.staff_kind, e.staff_id, e.rule_code, e.count, -e.points,
            e.occurred_on, v_reason, e.id, me.login, clock_timestamp())
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
"""

#: What the data suggest, per month (centre days): a seat user with steps (受理, 立案,
#: 派遣, 结案) past their deadline, and a collector with verify/check tasks answered
#: late or still unanswered past their deadline — both "行动迟缓、消极应付" (passive_work),
#: once per month; the counter's value goes with the suggestion for the manager to judge.
_SUGGEST = f"""
CREATE FUNCTION seatdesk_assessment_suggest(p_month date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_month date := date_trunc('month', p_month)::date;
    tz text := seatdesk_centre_timezone();
    t0 timestamptz;
    t1 timestamptz;
    v_now timestamptz := clock_timestamp();
    v_made integer;
BEGIN
    {_refuse("suggest", MANAGERS, "ask for assessment suggestions")}
    IF p_month IS NULL THEN
        PERFORM seatdesk_invalid('month', 'required');
    END IF;
    IF v_month > seatdesk_assessment_today() THEN
        PERFORM seatdesk_invalid('month', 'in_future', jsonb_build_object('value', v_month));
    END IF;
    t0 := v_month::timestamp AT TIME ZONE tz;
    t1 := (v_month + interval '1 month')::timestamp AT TIME ZONE tz;
    WITH late_steps AS (
        SELECT who, count(*) AS n FROM (
            SELECT m.accepted_by AS who FROM case_milestones m
            WHERE m.accepted_at >= t0 AND m.accepted_at < t1 AND NOT m.accepted_on_time
            UNION ALL
            SELECT m.registered_by FROM case_milestones m
            WHERE m.registered_at >= t0 AND m.registered_at < t1 AND NOT m.registered_on_time
            UNION ALL
            SELECT m.dispatched_by FROM case_milestones m
            WHERE m.dispatched_at >= t0 AND m.dispatched_at < t1 AND NOT m.dispatched_on_time
            UNION ALL
            SELECT m.closed_by FROM case_milestones m
            WHERE m.closed_at >= t0 AND m.closed_at < t1 AND NOT m.closed_on_time
        ) s
        JOIN users u ON u.login = s.who AND u.active AND u.roles && {_array(RANKED_ROLES)}
        GROUP BY who
    ), late_tasks AS (
        SELECT t.collector AS who, count(*) AS n FROM collector_tasks t
        WHERE t.collector IS NOT NULL AND t.sent_at >= t0 AND t.sent_at < t1
          AND t.deadline IS NOT NULL
          AND (t.answered_at > t.deadline
               OR (t.answered_at IS NULL AND t.deadline < least(t1, v_now)))
        GROUP BY t.collector
    ), found AS (
        SELECT 'user' AS kind, who, 'late_steps' AS counter, n FROM late_steps
        UNION ALL
        SELECT 'collector', who, 'overdue_tasks', n FROM late_tasks
    )
    INSERT INTO assessment_suggestions (month, staff_kind, staff_id, rule_code, count,
                                        counter, value, made_by, made_at)
    SELECT v_month, f.kind, f.who, 'passive_work', 1, f.counter, f.n, me.login, v_now
    FROM found f ORDER BY f.kind, f.who
    ON CONFLICT ON CONSTRAINT uq_assessment_suggestions DO NOTHING;
    GET DIAGNOSTICS v_made = ROW_COUNT;
    RETURN v_made;
END $$;
"""

_DECIDE = f"""
CREATE FUNCTION seatdesk_assessment_decide(p_suggestion bigint, p_accept boolean,
                                           p_reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_reason text;
    s assessment_suggestions%ROWTYPE;
    r assessment_rules%ROWTYPE;
    d record;
    v_entry bigint;
    v_on date;
BEGIN
    {_refuse("decide", MANAGERS, "decide an assessment suggestion")}
    IF p_accept IS NULL THEN
        PERFORM seatdesk_invalid('decision', 'required');
    END IF;
    -- Locked: two managers deciding the same suggestion at once, one wins.
    SELECT * INTO s FROM assessment_suggestions WHERE id = p_suggestion FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_not_found('assessment suggestion', coalesce(p_suggestion::text, ''));
    END IF;
    SELECT decided_by, decided_at INTO d FROM assessment_decisions
    WHERE suggestion_id = p_suggestion;
    IF FOUND THEN
        PERFORM seatdesk_invalid('suggestion', 'decided_already',
            jsonb_build_object('who', d.decided_by, 'when', d.decided_at));
    END IF;
    IF s.staff_kind = 'user' AND s.staff_id = me.login THEN
        PERFORM seatdesk_invalid('staff', 'own_entry', jsonb_build_object('value', s.staff_id));
    END IF;
    SELECT * INTO r FROM assessment_rules WHERE code = s.rule_code FOR SHARE;
    IF p_accept THEN
        v_reason := coalesce(seatdesk_assessment_reason(p_reason, false),
                             format('%s: %s', s.counter, s.value));
        -- The entry's day: the month's last day, or today while the month runs.
        v_on := least((s.month + interval '1 month' - interval '1 day')::date,
                      seatdesk_assessment_today());
        INSERT INTO assessment_entries (month, staff_kind, staff_id, rule_code, count, points,
                                        occurred_on, reason, suggestion_id, recorded_by,
                                        recorded_at)
        VALUES (s.month, s.staff_kind, s.staff_id, s.rule_code, s.count,
                r.points * r.multiplier * s.count, v_on, v_reason, s.id, me.login,
                clock_timestamp())
        RETURNING id INTO v_entry;
    ELSE
        v_reason := seatdesk_assessment_reason(p_reason, false);
    END IF;
    INSERT INTO assessment_decisions (suggestion_id, accepted, reason, entry_id, decided_by,
                                      decided_at)
    VALUES (s.id, p_accept, v_reason, v_entry, me.login, clock_timestamp());
    RETURN v_entry;
END $$;
"""

_SETTINGS = f"""
CREATE FUNCTION seatdesk_set_assessment_settings(p_value jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_key text;
    v_value jsonb;
    v_number numeric;
BEGIN
    {_refuse("settings", ["admin"], "change the assessment settings")}
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'object' THEN
        PERFORM seatdesk_invalid('assessment', 'malformed');
    END IF;
    IF p_value ? 'bottom_n' AND p_value ? 'bottom_share' THEN
        PERFORM seatdesk_invalid('assessment', 'bottom_twice');
    END IF;
    FOR v_key, v_value IN SELECT key, value FROM jsonb_each(p_value) ORDER BY key LOOP
        IF v_key NOT IN ('base', 'bottom_n', 'bottom_share') THEN
            PERFORM seatdesk_invalid('assessment', 'unknown', jsonb_build_object('value', v_key));
        END IF;
        IF jsonb_typeof(v_value) <> 'number' THEN
            PERFORM seatdesk_invalid(v_key, 'out_of_range', jsonb_build_object('value', v_value));
        END IF;
        v_number := (v_value #>> '{{}}')::numeric;
        IF (v_key = 'base' AND NOT (v_number > 0 AND v_number <= 1000))
           OR (v_key = 'bottom_n' AND NOT (v_number >= 1 AND v_number <= 1000
                                           AND v_number = trunc(v_number)))
           OR (v_key = 'bottom_share' AND NOT (v_number > 0 AND v_number <= 0.5)) THEN
            PERFORM seatdesk_invalid(v_key, 'out_of_range', jsonb_build_object('value', v_number));
        END IF;
    END LOOP;
    PERFORM 1 FROM centre_settings WHERE key = 'assessment' FOR UPDATE;
    INSERT INTO centre_settings AS c (key, value) VALUES ('assessment', p_value)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
    INSERT INTO settings_events (at, actor, key, value)
    VALUES (clock_timestamp(), me.login, 'assessment', p_value);
    PERFORM pg_notify('seatdesk_changes', '{{"kind":"assessment"}}');
END $$;
"""

#: Every desk seat may call them, so that a refusal names who may (SD403); they check.
PUBLIC_FUNCTIONS = {
    "seatdesk_assessment_record(text, text, text, numeric, date, text)": ROLES,
    "seatdesk_assessment_reverse(bigint, text)": ROLES,
    "seatdesk_assessment_suggest(date)": ROLES,
    "seatdesk_assessment_decide(bigint, boolean, text)": ROLES,
    "seatdesk_assessment_ranking(date)": ROLES,
    "seatdesk_set_assessment_settings(jsonb)": ROLES,
}
PRIVATE_FUNCTIONS = [
    "seatdesk_assessment_scores(date, numeric, integer, numeric)",
    "seatdesk_assessment_reason(text, boolean)",
    "seatdesk_assessment_today()",
]


def upgrade() -> None:
    op.execute(_TABLES)
    op.execute(_seed())
    for table in TABLES:
        if table != "assessment_rules":
            op.execute(_append_only(table))
    op.execute("""
        CREATE TRIGGER assessment_rules_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON assessment_rules FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notice_entity('assessment')
    """)
    op.execute(f"REVOKE ALL ON {', '.join(TABLES)} FROM PUBLIC")
    # The rules are every seat's to read (what counts); the entries the managers' and
    # the shift leader's, and each seat user's own.
    op.execute(_groups("SELECT", "assessment_rules", ROLES))
    op.execute(_groups("SELECT", "assessment_entries", ROLES))
    op.execute(_groups("SELECT", "assessment_suggestions, assessment_decisions", READERS))
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(_policy("assessment_rules_read", "assessment_rules", ROLES, "true"))
    op.execute(_policy("assessment_entries_readers", "assessment_entries", READERS, "true"))
    op.execute(_policy(
        "assessment_entries_own", "assessment_entries", ROLES,
        "staff_kind = 'user' AND staff_id = session_user",
    ))
    op.execute(_policy("assessment_suggestions_readers", "assessment_suggestions", READERS,
                       "true"))
    op.execute(_policy("assessment_decisions_readers", "assessment_decisions", READERS, "true"))
    op.execute(_HELPERS)
    for sql in (_RANKING, _RECORD, _REVERSE, _SUGGEST, _DECIDE, _SETTINGS):
        op.execute(sql)
    for fn in PRIVATE_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        op.execute(_groups("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # The entries are records, dropped with their tables as every table of a revision is.
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE assessment_decisions, assessment_entries, assessment_suggestions, "
               "assessment_rules")
    op.execute("DELETE FROM centre_settings WHERE key = 'assessment'")
