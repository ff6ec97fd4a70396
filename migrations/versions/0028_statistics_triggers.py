"""The statistics' triggers on the write path, folded into one statement-level trigger.

0023 kept ``case_milestones`` and ``collector_tasks`` by a PL/pgSQL row trigger on
``case_events`` (four queries an event), and 0026 kept ``seat_user_days`` by row
triggers on ``case_milestones`` that parked each step's change in
``seat_user_day_changes`` for a statement trigger on ``case_events`` to take back
(a DELETE, an aggregate and an upsert per statement). Every case action and every
intake report paid all of it: intake fell from ~387 to ~209 items/s in CI and the load
test from 139.6 to 91.1 actions/s.

Now one AFTER INSERT … FOR EACH STATEMENT trigger with a transition table
(``seatdesk_case_statistics``) does, per statement, three set-based statements:

1. the collector tasks: open tasks answered by the statement's first answer after them,
   then the statement's new tasks (with their first answer in the same statement);
2. the milestones, locked in case order, then one upsert computed from the old row and
   the statement's events, in the same statement as 3;
3. the seat users' days: the statement's actions and, per step whose inputs moved, the
   old step's figures with sign −1 and the new one's with +1 (the same telescoped sum
   the row triggers wrote one change at a time), one grouped upsert in a fixed order.

Same results as the row triggers: a row trigger fired at the end of the statement, so
every event of a case in one statement read the case's clock as the statement left it;
the deadline in force before a case's first event of the statement is the one its
milestone row remembered, before each later one the case's ``stage_deadline``
(the tests of 0023 and 0026, and their back-fill comparisons, check it).

0022's row trigger (``seatdesk_track_handling``) stays: it fires on the handling
stage's events only (a WHEN clause), and its incremental rules are what the replay
test compares. The row functions of 0023 and 0026 stay too, unused, for the
downgrade; ``seat_user_day_changes`` stays (empty).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 14:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

FINAL = "('closed', 'rejected', 'voided', 'merged')"
#: 0023: events that move no clock and decide nothing the milestones hold.
QUIET = "('flag', 'urge', 'collector_answer')"
TASKS = "('request_verify', 'request_check')"
ANSWERS = "('collector_answer', 'verify_pass', 'verify_fail', 'check_pass', 'check_fail')"
#: 0026: not seat actions, and the system actor.
NOT_ACTIONS = "('collector_answer', 'deadline_recomputed', 'flag')"
SYSTEM = "'system'"
#: Per step, the columns its figures depend on (0026: the hours read the step before).
STEP_INPUTS = {
    "accepted": ("accepted_at", "accepted_by", "accepted_on_time"),
    "registered": ("registered_at", "registered_by", "registered_on_time", "reported_at"),
    "dispatched": ("dispatched_at", "dispatched_by", "dispatched_on_time", "registered_at"),
    "closed": ("closed_at", "closed_by", "closed_on_time"),
}
MILESTONE_COLUMNS = (
    "case_id", "deadline", "reported_at", "postponed", "from_collector",
    "accepted_at", "accepted_by", "accepted_on_time", "accept_rejected",
    "registered_at", "registered_by", "registered_on_time",
    "dispatched_at", "dispatched_by", "dispatched_on_time", "returns",
    "closed_at", "closed_by", "closed_on_time", "ended_at",
)


def _seconds(row: str, step: str) -> tuple[str, str]:
    if step == "registered":
        return f"extract(epoch FROM {row}.registered_at - {row}.reported_at)", "NULL::numeric"
    if step == "dispatched":
        return "NULL::numeric", f"extract(epoch FROM {row}.dispatched_at - {row}.registered_at)"
    return "NULL::numeric", "NULL::numeric"


def _figures() -> str:
    """Per case, each step's old figures (−1) and new ones (+1) where its inputs moved."""
    rows = []
    for step, inputs in STEP_INPUTS.items():
        moved = (f"o.case_id IS NULL OR ({', '.join(f'o.{c}' for c in inputs)}) "
                 f"IS DISTINCT FROM ({', '.join(f'n.{c}' for c in inputs)})")
        for sign, row in ((-1, "o"), (1, "n")):
            reg, disp = _seconds(row, step)
            apply = f"({moved})" + (" AND o.case_id IS NOT NULL" if sign < 0 else "")
            rows.append(f"({sign}, {row}.{step}_by, {row}.{step}_at, {row}.{step}_on_time, "
                        f"{reg}, {disp}, {apply})")
    return ",\n            ".join(rows)


_COLUMNS = ", ".join(MILESTONE_COLUMNS)
_UPDATE = ",\n        ".join(f"{c} = EXCLUDED.{c}" for c in MILESTONE_COLUMNS[1:])

_STEPS = """
    WITH ev AS ({events}
    ), judged AS (
        -- The deadline in force before each event: the remembered one before the case's
        -- first event here, the case's clock as the statement left it before the others.
        SELECT ev.*, c.stage_deadline, c.source,
               CASE WHEN ev.nth = 1 THEN o.deadline ELSE c.stage_deadline END AS due
        FROM ev JOIN cases c ON c.id = ev.case_id
        LEFT JOIN case_milestones o ON o.case_id = ev.case_id
    ), j AS (
        SELECT judged.*, due IS NULL OR at <= due AS on_time FROM judged
    ), agg AS (
        SELECT case_id,
               max(stage_deadline) AS deadline,
               max(at) FILTER (WHERE action = 'create' AND nth_kind_last = 1) AS created_at,
               bool_or(source = 'collector') FILTER (WHERE action = 'create') AS created_collector,
               bool_or(to_state = 'postponed') FILTER (WHERE nth_last = 1) AS postponed,
               max(at) FILTER (WHERE nth_last = 1 AND to_state IN {final}) AS ended_at,
               max(at) FILTER (WHERE action IN ('pre_register', 'reject') AND nth_accept = 1)
                   AS accepted_at,
               max(actor) FILTER (WHERE action IN ('pre_register', 'reject') AND nth_accept = 1)
                   AS accepted_by,
               bool_or(on_time) FILTER (WHERE action IN ('pre_register', 'reject')
                                          AND nth_accept = 1) AS accepted_on_time,
               bool_or(action = 'reject') FILTER (WHERE action IN ('pre_register', 'reject')
                                                    AND nth_accept = 1) AS accept_rejected,
               max(at) FILTER (WHERE action = 'register' AND nth_kind = 1) AS registered_at,
               max(actor) FILTER (WHERE action = 'register' AND nth_kind = 1) AS registered_by,
               bool_or(on_time) FILTER (WHERE action = 'register' AND nth_kind = 1)
                   AS registered_on_time,
               max(at) FILTER (WHERE action = 'dispatch' AND nth_kind = 1) AS dispatched_at,
               max(actor) FILTER (WHERE action = 'dispatch' AND nth_kind = 1) AS dispatched_by,
               bool_or(on_time) FILTER (WHERE action = 'dispatch' AND nth_kind = 1)
                   AS dispatched_on_time,
               count(*) FILTER (WHERE action = 'approve' AND from_state = 'return_requested')
                   AS returns,
               max(at) FILTER (WHERE action = 'close' AND nth_kind_last = 1) AS closed_at,
               max(actor) FILTER (WHERE action = 'close' AND nth_kind_last = 1) AS closed_by,
               bool_or(on_time) FILTER (WHERE action = 'close' AND nth_kind_last = 1)
                   AS closed_on_time
        FROM j GROUP BY case_id
    ), n AS (
        -- Each step keeps its first (a close: its last) taking: the old row's if it had one.
        SELECT a.case_id, a.deadline,
               CASE WHEN a.created_at IS NOT NULL THEN a.created_at ELSE o.reported_at END
                   AS reported_at,
               coalesce(a.postponed, false) AS postponed,
               CASE WHEN a.created_at IS NOT NULL THEN a.created_collector
                    ELSE coalesce(o.from_collector, false) END AS from_collector,
               CASE WHEN o.accepted_at IS NULL THEN a.accepted_at ELSE o.accepted_at END
                   AS accepted_at,
               CASE WHEN o.accepted_at IS NULL THEN a.accepted_by ELSE o.accepted_by END
                   AS accepted_by,
               CASE WHEN o.accepted_at IS NULL THEN a.accepted_on_time
                    ELSE o.accepted_on_time END AS accepted_on_time,
               CASE WHEN o.accepted_at IS NULL THEN a.accept_rejected
                    ELSE o.accept_rejected END AS accept_rejected,
               CASE WHEN o.registered_at IS NULL THEN a.registered_at ELSE o.registered_at END
                   AS registered_at,
               CASE WHEN o.registered_at IS NULL THEN a.registered_by ELSE o.registered_by END
                   AS registered_by,
               CASE WHEN o.registered_at IS NULL THEN a.registered_on_time
                    ELSE o.registered_on_time END AS registered_on_time,
               CASE WHEN o.dispatched_at IS NULL THEN a.dispatched_at ELSE o.dispatched_at END
                   AS dispatched_at,
               CASE WHEN o.dispatched_at IS NULL THEN a.dispatched_by ELSE o.dispatched_by END
                   AS dispatched_by,
               CASE WHEN o.dispatched_at IS NULL THEN a.dispatched_on_time
                    ELSE o.dispatched_on_time END AS dispatched_on_time,
               coalesce(o.returns, 0) + a.returns AS returns,
               CASE WHEN a.closed_at IS NOT NULL THEN a.closed_at ELSE o.closed_at END
                   AS closed_at,
               CASE WHEN a.closed_at IS NOT NULL THEN a.closed_by ELSE o.closed_by END
                   AS closed_by,
               CASE WHEN a.closed_at IS NOT NULL THEN a.closed_on_time
                    ELSE o.closed_on_time END AS closed_on_time,
               a.ended_at
        FROM agg a LEFT JOIN case_milestones o ON o.case_id = a.case_id
    ), kept AS (
        INSERT INTO case_milestones AS m ({columns})
        SELECT {columns} FROM n ORDER BY case_id
        ON CONFLICT (case_id) DO UPDATE SET
        {update}
    ), figures AS (
        SELECT v.* FROM n LEFT JOIN case_milestones o ON o.case_id = n.case_id
        CROSS JOIN LATERAL (VALUES
            {figures}
        ) v(sign, login, at, ok, reg_s, disp_s, apply)
        WHERE v.apply AND v.at IS NOT NULL AND v.login IS NOT NULL AND v.login <> {system}
    ), steps AS (
        SELECT login, (at AT TIME ZONE 'UTC')::date AS day, sum(sign) AS steps,
               coalesce(sum(sign) FILTER (WHERE ok), 0) AS on_time,
               coalesce(sum(sign) FILTER (WHERE NOT ok), 0) AS late,
               coalesce(sum(sign) FILTER (WHERE reg_s IS NOT NULL), 0) AS registered,
               coalesce(sum(sign * reg_s), 0) AS register_seconds,
               coalesce(sum(sign) FILTER (WHERE disp_s IS NOT NULL), 0) AS dispatched,
               coalesce(sum(sign * disp_s), 0) AS dispatch_seconds
        FROM figures GROUP BY 1, 2
    ), acts AS (
        SELECT e.actor AS login, (e.at AT TIME ZONE 'UTC')::date AS day, count(*) AS actions
        FROM new_events e
        WHERE e.action NOT IN {not_actions} AND e.actor <> {system}
        GROUP BY 1, 2
    )
    INSERT INTO seat_user_days AS d (login, day, actions, steps, on_time, late, registered,
                                     register_seconds, dispatched, dispatch_seconds)
    SELECT coalesce(a.login, s.login), coalesce(a.day, s.day), coalesce(a.actions, 0),
           coalesce(s.steps, 0), coalesce(s.on_time, 0), coalesce(s.late, 0),
           coalesce(s.registered, 0), coalesce(s.register_seconds, 0),
           coalesce(s.dispatched, 0), coalesce(s.dispatch_seconds, 0)
    FROM acts a FULL JOIN steps s ON s.login = a.login AND s.day = a.day
    -- A fixed order: two transactions of one user cannot deadlock on its days.
    ORDER BY 1, 2
    ON CONFLICT (login, day) DO UPDATE SET
        actions = d.actions + EXCLUDED.actions,
        steps = d.steps + EXCLUDED.steps,
        on_time = d.on_time + EXCLUDED.on_time,
        late = d.late + EXCLUDED.late,
        registered = d.registered + EXCLUDED.registered,
        register_seconds = d.register_seconds + EXCLUDED.register_seconds,
        dispatched = d.dispatched + EXCLUDED.dispatched,
        dispatch_seconds = d.dispatch_seconds + EXCLUDED.dispatch_seconds;
"""

#: The statement's events of cases whose clocks moved, each with its place among its
#: case's events here (first, last, first and last of its kind, first acceptance).
_EVENTS_MANY = f"""
        SELECT e.id, e.case_id, e.action, e.from_state, e.to_state, e.actor, e.at,
               row_number() OVER (PARTITION BY e.case_id ORDER BY e.id) AS nth,
               row_number() OVER (PARTITION BY e.case_id ORDER BY e.id DESC) AS nth_last,
               row_number() OVER (PARTITION BY e.case_id, e.action ORDER BY e.id) AS nth_kind,
               row_number() OVER (PARTITION BY e.case_id, e.action ORDER BY e.id DESC)
                   AS nth_kind_last,
               row_number() OVER (PARTITION BY e.case_id, e.action IN ('pre_register', 'reject')
                                  ORDER BY e.id) AS nth_accept
        FROM new_events e
        WHERE e.action NOT IN {QUIET}"""
#: One event: first and last of everything (five sorts and windows saved a statement).
_EVENTS_ONE = f"""
        SELECT e.id, e.case_id, e.action, e.from_state, e.to_state, e.actor, e.at,
               1 AS nth, 1 AS nth_last, 1 AS nth_kind, 1 AS nth_kind_last, 1 AS nth_accept
        FROM new_events e
        WHERE e.action NOT IN {QUIET}"""


def _milestones_and_days(events: str) -> str:
    """The milestones' upsert and the seat users' days' upsert, in one statement."""
    return _STEPS.format(
        events=events, final=FINAL, system=SYSTEM, not_actions=NOT_ACTIONS,
        columns=_COLUMNS, update=_UPDATE, figures=_figures(),
    )


_FUNCTION = f"""
CREATE FUNCTION seatdesk_case_statistics() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- 1. Collector tasks, when the statement sent or answered one.
    IF EXISTS (SELECT 1 FROM new_events WHERE action IN {TASKS} OR action IN {ANSWERS}) THEN
        -- Open ones: answered by the statement's first answer after them.
        UPDATE collector_tasks t SET answered_at = a.at
        FROM (SELECT DISTINCT ON (case_id) case_id, id, at FROM new_events
              WHERE action IN {ANSWERS} ORDER BY case_id, id) a
        WHERE t.case_id = a.case_id AND t.answered_at IS NULL AND t.event_id < a.id;
        -- New ones: on the clock the action left (a verification starts the verify clock).
        INSERT INTO collector_tasks (event_id, case_id, verify, collector, sent_at, deadline,
                                     answered_at)
        -- (The first answer after each task by a window, not a sub-select per task: the
        -- demo's statements carry 300,000 events.)
        WITH t AS (
            SELECT e.id, e.case_id, e.action, e.data, e.at,
                   min(e.id) FILTER (WHERE e.action IN {ANSWERS}) OVER (
                       PARTITION BY e.case_id ORDER BY e.id
                       ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS answer_id
            FROM new_events e
            WHERE e.action IN {TASKS} OR e.action IN {ANSWERS}
        )
        SELECT t.id, t.case_id, t.action = 'request_verify', t.data ->> 'collector', t.at,
               c.stage_deadline, a.at
        FROM t JOIN cases c ON c.id = t.case_id
        LEFT JOIN new_events a ON a.id = t.answer_id
        WHERE t.action IN {TASKS};
    END IF;

    -- 2. and 3. The milestones of the cases whose clocks moved, locked in one order so
    -- two statements cannot deadlock (a case's own actions already queue on its row).
    PERFORM 1 FROM case_milestones
    WHERE case_id IN (SELECT case_id FROM new_events WHERE action NOT IN {QUIET})
    ORDER BY case_id FOR UPDATE;
    IF (SELECT count(*) FROM new_events) = 1 THEN
        -- One event (every case action, every intake report): no order to keep.
{_milestones_and_days(_EVENTS_ONE)}
    ELSE
{_milestones_and_days(_EVENTS_MANY)}
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_case_statistics() FROM PUBLIC;
"""

#: The triggers this revision replaces, as 0023 and 0026 made them (for the downgrade).
_OLD_TRIGGERS = {
    "case_events_milestone": """CREATE TRIGGER case_events_milestone AFTER INSERT ON case_events
        FOR EACH ROW EXECUTE FUNCTION seatdesk_case_milestone()""",
    "case_milestones_seat_user_days_new": """CREATE TRIGGER case_milestones_seat_user_days_new
        AFTER INSERT ON case_milestones
        FOR EACH ROW EXECUTE FUNCTION seatdesk_seat_user_steps()""",
    "case_milestones_seat_user_days": None,  # its WHEN clause: copied from the catalogue
    "case_events_seat_user_days": """CREATE TRIGGER case_events_seat_user_days
        AFTER INSERT ON case_events REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_seat_user_days()""",
}
_OLD_ON = {
    "case_events_milestone": "case_events",
    "case_milestones_seat_user_days_new": "case_milestones",
    "case_milestones_seat_user_days": "case_milestones",
    "case_events_seat_user_days": "case_events",
}


def _when_changed() -> str:
    columns = [c for step in STEP_INPUTS.values() for c in step]
    unique = list(dict.fromkeys(columns))
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in unique)


def upgrade() -> None:
    for name, table in _OLD_ON.items():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute(_FUNCTION)
    op.execute("""CREATE TRIGGER case_events_statistics AFTER INSERT ON case_events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_case_statistics()""")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute("DROP TRIGGER case_events_statistics ON case_events")
    op.execute("DROP FUNCTION seatdesk_case_statistics()")
    for name, statement in _OLD_TRIGGERS.items():
        op.execute(statement or f"""CREATE TRIGGER {name} AFTER UPDATE ON case_milestones
            FOR EACH ROW WHEN ({_when_changed()})
            EXECUTE FUNCTION seatdesk_seat_user_steps()""")
    op.execute("SELECT seatdesk_hand_over()")
