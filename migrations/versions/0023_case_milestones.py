"""case_milestones: each case's first acceptance, registration and dispatch, its last
close, its approved returns and whether each step beat the deadline then in force — so
the statistics of the areas, the seats and the indices are one join of two tables of one
row a case, not a window over the whole audit trail.

Why a table: "registered on time" needs the deadline that was in force when the
register event happened, which only the order of the case's events tells; over
1,000,000 cases (about 8 events each) that window costs seconds a statistic. The row
is kept in the same transaction as the event, by an AFTER INSERT trigger on
``case_events`` (``seatdesk_case_milestone``): it compares the event's time with the
deadline the row remembers, then remembers the case's ``stage_deadline`` as the action
left it (``seatdesk_case_act`` updates the case before it writes the event). Events that
move no clock (flags, urges, collectors' answers) return at once, so the sweep pays
nothing.

The back-fill is one set-based statement over the existing trail. Events before this
revision carry a deadline only when a clock was set (``data.deadline``, or ``data.to``
for a recomputation), so the deadline before an action is the last one recorded before
it; the first register stage's deadline was never recorded (the create event carries
none), so a back-filled 受理 or 立案 in that first stage counts as on time.

A seat reads the rows of the cases it can see (a department: its own department's, by
the cases' own policy, as for ``case_events``). Nobody writes them but the trigger.

Also an index on ``case_events (at)``: the per-seat-user and per-collector statistics
read the events of a period.

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-02 10:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

#: Seats that read the statistics (the intake service reads none).
READERS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
           "admin"]
STAFF = [r for r in READERS if r != "department"]
FINAL = "('closed', 'rejected', 'voided', 'merged')"
#: Events that move no clock and decide nothing the milestones hold.
QUIET = "('flag', 'urge', 'collector_answer')"
#: A verify or check task sent to a collector, and what answers it.
TASKS = "('request_verify', 'request_check')"
ANSWERS = "('collector_answer', 'verify_pass', 'verify_fail', 'check_pass', 'check_fail')"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _grant(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT " + privilege + " ON " + obj
        + " TO %s', (SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + _array(roles) + ") r)); END $$"
    )


def _policy(name: str, table: str, roles: list[str], using: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format('CREATE POLICY " + name + " ON " + table
        + " TO %s USING (" + using.replace("'", "''") + ")', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(" + _array(roles) + ") r)); END $$"
    )


_TABLE = """
CREATE TABLE case_milestones (
    -- No foreign key: the demo's TRUNCATE of cases empties this table by trigger.
    case_id bigint PRIMARY KEY,
    -- The stage deadline in force after the case's last event (NULL: no clock runs).
    deadline timestamptz,
    -- When the case was reported (its create event), and whether it is postponed now:
    -- the statistics that need nothing else of the case read this table alone.
    reported_at timestamptz,
    postponed boolean NOT NULL DEFAULT false,
    -- A collector's report (cases.source, which no step changes): the 校核模型 reads it.
    from_collector boolean NOT NULL DEFAULT false,
    -- 受理: the acceptor's first decision on the report (pre_register or reject).
    accepted_at timestamptz,
    accepted_by text,
    accepted_on_time boolean,
    accept_rejected boolean,
    -- 立案: the first registration.
    registered_at timestamptz,
    registered_by text,
    registered_on_time boolean,
    -- 派遣: the first dispatch; returns = returns the shift leader approved since.
    dispatched_at timestamptz,
    dispatched_by text,
    dispatched_on_time boolean,
    returns integer NOT NULL DEFAULT 0,
    -- 结案: the last close (a reopened case keeps it until it closes again).
    closed_at timestamptz,
    closed_by text,
    closed_on_time boolean,
    -- When the case reached a final state; NULL while it is open.
    ended_at timestamptz
);
CREATE INDEX ix_case_milestones_registered ON case_milestones (registered_at);
CREATE INDEX ix_case_milestones_closed ON case_milestones (closed_at);
CREATE INDEX ix_case_milestones_accepted ON case_milestones (accepted_at);
CREATE INDEX ix_case_milestones_dispatched ON case_milestones (dispatched_at);
ALTER TABLE case_milestones ENABLE ROW LEVEL SECURITY;

-- Each verify (核实) or check (核查) task sent to a collector: its stage deadline when
-- sent, and when it was first answered (the intake's answer or the acceptor's verdict).
CREATE TABLE collector_tasks (
    event_id bigint PRIMARY KEY,
    case_id bigint NOT NULL,
    verify boolean NOT NULL,
    collector text,
    sent_at timestamptz NOT NULL,
    deadline timestamptz,
    answered_at timestamptz
);
CREATE INDEX ix_collector_tasks_sent ON collector_tasks (sent_at);
CREATE INDEX ix_collector_tasks_open ON collector_tasks (case_id) WHERE answered_at IS NULL;
ALTER TABLE collector_tasks ENABLE ROW LEVEL SECURITY;
"""

_TRIGGER = f"""
CREATE FUNCTION seatdesk_case_milestone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    m case_milestones%ROWTYPE;
    v_on boolean;
BEGIN
    IF NEW.action IN {ANSWERS} THEN
        UPDATE collector_tasks SET answered_at = NEW.at
        WHERE case_id = NEW.case_id AND answered_at IS NULL AND event_id < NEW.id;
    END IF;
    IF NEW.action IN {QUIET} THEN
        RETURN NULL;
    END IF;
    SELECT * INTO m FROM case_milestones WHERE case_id = NEW.case_id FOR UPDATE;
    IF NOT FOUND THEN
        m.case_id := NEW.case_id;
        m.returns := 0;
        m.from_collector := false;
    END IF;
    -- On time: no later than the deadline in force before this event (none: no limit).
    v_on := m.deadline IS NULL OR NEW.at <= m.deadline;
    IF NEW.action = 'create' THEN
        m.reported_at := NEW.at;
        m.from_collector := (SELECT source = 'collector' FROM cases WHERE id = NEW.case_id);
    ELSIF NEW.action IN ('pre_register', 'reject') AND m.accepted_at IS NULL THEN
        m.accepted_at := NEW.at; m.accepted_by := NEW.actor; m.accepted_on_time := v_on;
        m.accept_rejected := NEW.action = 'reject';
    ELSIF NEW.action = 'register' AND m.registered_at IS NULL THEN
        m.registered_at := NEW.at; m.registered_by := NEW.actor; m.registered_on_time := v_on;
    ELSIF NEW.action = 'dispatch' AND m.dispatched_at IS NULL THEN
        m.dispatched_at := NEW.at; m.dispatched_by := NEW.actor; m.dispatched_on_time := v_on;
    ELSIF NEW.action = 'approve' AND NEW.from_state = 'return_requested' THEN
        m.returns := m.returns + 1;
    ELSIF NEW.action = 'close' THEN
        m.closed_at := NEW.at; m.closed_by := NEW.actor; m.closed_on_time := v_on;
    END IF;
    m.ended_at := CASE WHEN NEW.to_state IN {FINAL} THEN NEW.at END;
    m.postponed := NEW.to_state = 'postponed';
    -- The action has already updated the case: its clock is the one in force from now.
    m.deadline := (SELECT stage_deadline FROM cases WHERE id = NEW.case_id);
    IF NEW.action IN {TASKS} THEN
        -- A verification starts the verify clock; a check runs on the check stage's.
        INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline)
        VALUES (NEW.id, NEW.case_id, NEW.action = 'request_verify', NEW.data ->> 'collector',
                NEW.at, m.deadline);
    END IF;
    INSERT INTO case_milestones VALUES (m.*)
    ON CONFLICT (case_id) DO UPDATE SET
        deadline = EXCLUDED.deadline,
        reported_at = EXCLUDED.reported_at, postponed = EXCLUDED.postponed,
        from_collector = EXCLUDED.from_collector,
        accepted_at = EXCLUDED.accepted_at, accepted_by = EXCLUDED.accepted_by,
        accepted_on_time = EXCLUDED.accepted_on_time,
        accept_rejected = EXCLUDED.accept_rejected,
        registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by,
        registered_on_time = EXCLUDED.registered_on_time,
        dispatched_at = EXCLUDED.dispatched_at, dispatched_by = EXCLUDED.dispatched_by,
        dispatched_on_time = EXCLUDED.dispatched_on_time,
        returns = EXCLUDED.returns,
        closed_at = EXCLUDED.closed_at, closed_by = EXCLUDED.closed_by,
        closed_on_time = EXCLUDED.closed_on_time,
        ended_at = EXCLUDED.ended_at;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_case_milestone() FROM PUBLIC;
CREATE TRIGGER case_events_milestone AFTER INSERT ON case_events
FOR EACH ROW EXECUTE FUNCTION seatdesk_case_milestone();

CREATE FUNCTION seatdesk_case_milestones_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    TRUNCATE case_milestones, collector_tasks;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_case_milestones_truncate() FROM PUBLIC;
CREATE TRIGGER cases_truncate_milestones AFTER TRUNCATE ON cases
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_case_milestones_truncate();
"""

# The deadline before each event: the last one recorded before it. The milestones take
# each case's first (for close: last) event of each kind.
_BACKFILL = f"""
INSERT INTO case_milestones (
    case_id, deadline, reported_at, postponed,
    accepted_at, accepted_by, accepted_on_time, accept_rejected,
    registered_at, registered_by, registered_on_time,
    dispatched_at, dispatched_by, dispatched_on_time, returns,
    closed_at, closed_by, closed_on_time, ended_at)
WITH e AS (
    SELECT e.case_id, e.id, e.action, e.from_state, e.to_state, e.actor, e.at,
           coalesce(e.data ->> 'deadline',
                    CASE WHEN e.action = 'deadline_recomputed' THEN e.data ->> 'to' END
           )::timestamptz AS set_deadline
    FROM case_events e
    WHERE e.action NOT IN {QUIET}
), numbered AS (
    -- grp counts the deadlines recorded up to and including each event: the deadline
    -- in force before an event is the one of the group of the event before it.
    SELECT e.*, count(set_deadline) OVER (PARTITION BY case_id ORDER BY id) AS grp
    FROM e
), carried AS (
    SELECT n.*, max(set_deadline) OVER (PARTITION BY case_id, grp) AS after_deadline
    FROM numbered n
), judged AS (
    SELECT c.*,
           lag(after_deadline) OVER (PARTITION BY case_id ORDER BY id) AS due_before,
           row_number() OVER (PARTITION BY case_id, action ORDER BY id) AS nth,
           row_number() OVER (PARTITION BY case_id, action ORDER BY id DESC) AS nth_last,
           row_number() OVER (PARTITION BY case_id,
                                           action IN ('pre_register', 'reject') ORDER BY id)
               AS nth_accept,
           row_number() OVER (PARTITION BY case_id ORDER BY id DESC) AS latest
    FROM carried c
)
SELECT case_id,
       max(after_deadline) FILTER (WHERE latest = 1),
       min(at) FILTER (WHERE action = 'create'),
       coalesce(bool_or(to_state = 'postponed') FILTER (WHERE latest = 1), false),
       max(at) FILTER (WHERE action IN ('pre_register', 'reject') AND nth_accept = 1),
       max(actor) FILTER (WHERE action IN ('pre_register', 'reject') AND nth_accept = 1),
       bool_or(due_before IS NULL OR at <= due_before)
           FILTER (WHERE action IN ('pre_register', 'reject') AND nth_accept = 1),
       bool_or(action = 'reject') FILTER (WHERE action IN ('pre_register', 'reject')
                                              AND nth_accept = 1),
       max(at) FILTER (WHERE action = 'register' AND nth = 1),
       max(actor) FILTER (WHERE action = 'register' AND nth = 1),
       bool_or(due_before IS NULL OR at <= due_before) FILTER (WHERE action = 'register'
                                                                 AND nth = 1),
       max(at) FILTER (WHERE action = 'dispatch' AND nth = 1),
       max(actor) FILTER (WHERE action = 'dispatch' AND nth = 1),
       bool_or(due_before IS NULL OR at <= due_before) FILTER (WHERE action = 'dispatch'
                                                                 AND nth = 1),
       count(*) FILTER (WHERE action = 'approve' AND from_state = 'return_requested'),
       max(at) FILTER (WHERE action = 'close' AND nth_last = 1),
       max(actor) FILTER (WHERE action = 'close' AND nth_last = 1),
       bool_or(due_before IS NULL OR at <= due_before) FILTER (WHERE action = 'close'
                                                                 AND nth_last = 1),
       max(at) FILTER (WHERE latest = 1 AND to_state IN {FINAL})
FROM judged
GROUP BY case_id
"""


_BACKFILL_TASKS = f"""
INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline,
                             answered_at)
SELECT e.id, e.case_id, e.action = 'request_verify', e.data ->> 'collector', e.at,
       (SELECT coalesce(d.data ->> 'deadline', d.data ->> 'to')::timestamptz
        FROM case_events d
        WHERE d.case_id = e.case_id AND d.id <= e.id
          AND (d.data ? 'deadline' OR d.action = 'deadline_recomputed')
        ORDER BY d.id DESC LIMIT 1),
       (SELECT a.at FROM case_events a
        WHERE a.case_id = e.case_id AND a.id > e.id AND a.action IN {ANSWERS}
        ORDER BY a.id LIMIT 1)
FROM case_events e
WHERE e.action IN {TASKS}
"""


def upgrade() -> None:
    # Covering: a period's actions per seat user are read from the index alone.
    op.execute("CREATE INDEX ix_case_events_at ON case_events (at) INCLUDE (action, actor)")
    op.execute(_TABLE)
    op.execute(_BACKFILL)
    op.execute(_BACKFILL_TASKS)
    op.execute("UPDATE case_milestones m SET from_collector = true FROM cases c "
               "WHERE c.id = m.case_id AND c.source = 'collector'")
    op.execute(_TRIGGER)
    op.execute(_grant("SELECT", "case_milestones", READERS))
    op.execute(_policy("case_milestones_staff", "case_milestones", STAFF, "true"))
    # The subquery on cases applies the cases' policy: own department's cases only.
    op.execute(_policy("case_milestones_department", "case_milestones", ["department"],
                       "EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id)"))
    op.execute(_grant("SELECT", "collector_tasks", READERS))
    op.execute(_policy("collector_tasks_staff", "collector_tasks", STAFF, "true"))
    op.execute(_policy("collector_tasks_department", "collector_tasks", ["department"],
                       "EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id)"))
    op.execute("ANALYZE case_milestones")
    op.execute("ANALYZE collector_tasks")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute("DROP TRIGGER cases_truncate_milestones ON cases")
    op.execute("DROP FUNCTION seatdesk_case_milestones_truncate()")
    op.execute("DROP TRIGGER case_events_milestone ON case_events")
    op.execute("DROP FUNCTION seatdesk_case_milestone()")
    op.execute("DROP TABLE case_milestones, collector_tasks")
    op.execute("DROP INDEX ix_case_events_at")
