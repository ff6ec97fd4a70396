"""seat_user_days: per seat user and day (UTC), the actions taken and the 受理/立案/派遣/
结案 steps (on time or late, and the clock seconds report→register and
register→dispatch) — so the "users" statistic over a whole year reads a few thousand
rows instead of counting every audited event and four scans of ``case_milestones``.

Kept in the same transaction as what it counts, never refreshed, so it is never stale
(the statistic's ``as_of`` stays None):

- the actions by a statement-level AFTER INSERT trigger on ``case_events`` with a
  transition table: one grouped upsert per statement, so the demo's bulk insert pays one
  aggregate per chunk rather than a call per row. The system's flags, recomputed
  deadlines and collectors' answers are not actions (``SYSTEM_ACTIONS``) and the system
  actor is no seat user: neither touches the table, so the sweep pays nothing;
- the steps by row triggers on ``case_milestones`` (which 0023's trigger keeps): each
  change of a step (a case's first acceptance, registration, dispatch; its LAST close,
  which moves when a reopened case closes again) notes the old step's figures with
  sign −1 and the new one's with +1 in ``seat_user_day_changes``; the statement trigger
  above (it fires after the statement's row triggers) takes this transaction's notes
  and adds them to the users' days in the same upsert as the actions.

A row is touched only by its own user's transactions (a re-close takes one step off the
previous closer's day): no global counter row. Days are UTC days so that a change of the
centre's time zone cannot misfile them; the statistic reads the whole days inside its
period here and the two partial days at its edges from the raw tables.

Staff seats read it; a department seat does not (it must see only its own cases'
figures, which a per-user total cannot tell apart): its statistic keeps the live query
through the events' and milestones' policies.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 11:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

#: Seats that read the summary: every reader of the statistics but the department.
STAFF = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
#: seatdesk.domain.glossary.SYSTEM_ACTIONS and SYSTEM_ACTOR (the statistic checks they agree).
NOT_ACTIONS = "('collector_answer', 'deadline_recomputed', 'flag')"
SYSTEM = "'system'"
STEP_COLUMNS = (
    "accepted_at", "accepted_by", "accepted_on_time",
    "reported_at", "registered_at", "registered_by", "registered_on_time",
    "dispatched_at", "dispatched_by", "dispatched_on_time",
    "closed_at", "closed_by", "closed_on_time",
)


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _roles_format(statement: str, roles: list[str]) -> str:
    """Run ``statement`` (one %s: the group roles) for this database's group roles."""
    return (
        "DO $$ BEGIN EXECUTE format('" + statement.replace("'", "''")
        + "', (SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + _array(roles) + ") r)); END $$"
    )


_TABLE = """
CREATE TABLE seat_user_days (
    login text NOT NULL,
    -- The UTC day of the action or step.
    day date NOT NULL,
    -- Audited actions (not the system's flags, recomputations nor collectors' answers).
    actions bigint NOT NULL DEFAULT 0,
    -- 受理/立案/派遣/结案 steps taken that day, and of them on time and late.
    steps bigint NOT NULL DEFAULT 0,
    on_time bigint NOT NULL DEFAULT 0,
    late bigint NOT NULL DEFAULT 0,
    -- Registrations with a report time, and their seconds from report to registration.
    registered bigint NOT NULL DEFAULT 0,
    register_seconds numeric NOT NULL DEFAULT 0,
    -- First dispatches of registered cases, and their seconds from registration.
    dispatched bigint NOT NULL DEFAULT 0,
    dispatch_seconds numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (login, day)
);
ALTER TABLE seat_user_days ENABLE ROW LEVEL SECURITY;
"""

# One step's figures: (sign, login, at, on_time, register seconds, dispatch seconds).
def _step(row: str, sign: int, step: str, register: str, dispatch: str) -> str:
    return (f"({sign}, {row}.{step}_by, {row}.{step}_at, {row}.{step}_on_time, "
            f"{register}, {dispatch})")


def _steps(row: str, sign: int) -> list[str]:
    return [
        _step(row, sign, "accepted", "NULL::numeric", "NULL::numeric"),
        _step(row, sign, "registered",
              f"extract(epoch FROM {row}.registered_at - {row}.reported_at)", "NULL::numeric"),
        _step(row, sign, "dispatched", "NULL::numeric",
              f"extract(epoch FROM {row}.dispatched_at - {row}.registered_at)"),
        _step(row, sign, "closed", "NULL::numeric", "NULL::numeric"),
    ]


_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in STEP_COLUMNS)
_FIGURES = "sign, login, at, ok, reg_s, disp_s"
#: Per step, the columns its figures depend on (the hours read the step before it).
_STEP_INPUTS = {
    "accepted": ("accepted_at", "accepted_by", "accepted_on_time"),
    "registered": ("registered_at", "registered_by", "registered_on_time", "reported_at"),
    "dispatched": ("dispatched_at", "dispatched_by", "dispatched_on_time", "registered_at"),
    "closed": ("closed_at", "closed_by", "closed_on_time"),
}


def _update_step(index: int, step: str) -> str:
    inputs = _STEP_INPUTS[step]
    old = ", ".join(f"OLD.{c}" for c in inputs)
    new = ", ".join(f"NEW.{c}" for c in inputs)
    values = f"{_steps('OLD', -1)[index]}, {_steps('NEW', 1)[index]}"
    return f"""        IF ({old}) IS DISTINCT FROM ({new}) THEN
            INSERT INTO seat_user_day_changes ({_FIGURES})
            SELECT * FROM (VALUES {values}) v({_FIGURES})
            WHERE v.at IS NOT NULL AND v.login IS NOT NULL AND v.login <> {SYSTEM};
        END IF;"""


_UPDATES = "\n".join(_update_step(i, step) for i, step in enumerate(_STEP_INPUTS))

_TRIGGERS = f"""
-- A step's change waits here, in its own transaction, until the statement that wrote the
-- event ends: updating the user's day row once per row (the demo writes 300,000 events
-- in one statement) would stack one row version per update on a single row and make
-- each next update walk them all.
CREATE TABLE seat_user_day_changes (
    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    sign integer NOT NULL,
    login text NOT NULL,
    at timestamptz NOT NULL,
    ok boolean,
    reg_s numeric,
    disp_s numeric
);
CREATE INDEX ix_seat_user_day_changes_tx ON seat_user_day_changes (tx);
ALTER TABLE seat_user_day_changes ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION seatdesk_seat_user_steps() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO seat_user_day_changes ({_FIGURES})
        SELECT * FROM (VALUES {", ".join(_steps("NEW", 1))}) v({_FIGURES})
        WHERE v.at IS NOT NULL AND v.login IS NOT NULL AND v.login <> {SYSTEM};
    ELSE
        -- Only the steps this change moved (typically one): the others would cancel out.
{_UPDATES}
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_seat_user_steps() FROM PUBLIC;
CREATE TRIGGER case_milestones_seat_user_days_new AFTER INSERT ON case_milestones
FOR EACH ROW EXECUTE FUNCTION seatdesk_seat_user_steps();
-- Most events change no step (a report, a transfer, an approval): they pay a comparison.
CREATE TRIGGER case_milestones_seat_user_days AFTER UPDATE ON case_milestones
FOR EACH ROW WHEN ({_CHANGED})
EXECUTE FUNCTION seatdesk_seat_user_steps();

-- After the statement's row triggers (the milestones' among them): the statement's
-- actions and its steps' changes, one upsert per user and day, in a fixed order so two
-- transactions of one user cannot deadlock on its days.
CREATE FUNCTION seatdesk_seat_user_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    WITH changes AS (
        DELETE FROM seat_user_day_changes WHERE tx = pg_current_xact_id()
        RETURNING {_FIGURES}
    ), steps AS (
        SELECT login, (at AT TIME ZONE 'UTC')::date AS day, sum(sign) AS steps,
               coalesce(sum(sign) FILTER (WHERE ok), 0) AS on_time,
               coalesce(sum(sign) FILTER (WHERE NOT ok), 0) AS late,
               coalesce(sum(sign) FILTER (WHERE reg_s IS NOT NULL), 0) AS registered,
               coalesce(sum(sign * reg_s), 0) AS register_seconds,
               coalesce(sum(sign) FILTER (WHERE disp_s IS NOT NULL), 0) AS dispatched,
               coalesce(sum(sign * disp_s), 0) AS dispatch_seconds
        FROM changes GROUP BY 1, 2
    ), acts AS (
        SELECT e.actor AS login, (e.at AT TIME ZONE 'UTC')::date AS day, count(*) AS actions
        FROM new_events e
        WHERE e.action NOT IN {NOT_ACTIONS} AND e.actor <> {SYSTEM}
        GROUP BY 1, 2
    )
    INSERT INTO seat_user_days AS d (login, day, actions, steps, on_time, late, registered,
                                     register_seconds, dispatched, dispatch_seconds)
    SELECT coalesce(a.login, s.login), coalesce(a.day, s.day), coalesce(a.actions, 0),
           coalesce(s.steps, 0), coalesce(s.on_time, 0), coalesce(s.late, 0),
           coalesce(s.registered, 0), coalesce(s.register_seconds, 0),
           coalesce(s.dispatched, 0), coalesce(s.dispatch_seconds, 0)
    FROM acts a FULL JOIN steps s ON s.login = a.login AND s.day = a.day
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
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_seat_user_days() FROM PUBLIC;
CREATE TRIGGER case_events_seat_user_days AFTER INSERT ON case_events
REFERENCING NEW TABLE AS new_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_seat_user_days();

CREATE FUNCTION seatdesk_seat_user_days_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    TRUNCATE seat_user_days, seat_user_day_changes;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seatdesk_seat_user_days_truncate() FROM PUBLIC;
CREATE TRIGGER case_events_truncate_seat_user_days AFTER TRUNCATE ON case_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_seat_user_days_truncate();
CREATE TRIGGER case_milestones_truncate_seat_user_days AFTER TRUNCATE ON case_milestones
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_seat_user_days_truncate();
"""

_BACKFILL = f"""
INSERT INTO seat_user_days (login, day, actions, steps, on_time, late, registered,
                            register_seconds, dispatched, dispatch_seconds)
SELECT login, (at AT TIME ZONE 'UTC')::date, sum(actions), count(*) FILTER (WHERE step),
       count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok),
       count(reg_s), coalesce(sum(reg_s), 0), count(disp_s), coalesce(sum(disp_s), 0)
FROM (
    SELECT e.actor AS login, e.at, 1 AS actions, false AS step, NULL::boolean AS ok,
           NULL::numeric AS reg_s, NULL::numeric AS disp_s
    FROM case_events e
    WHERE e.action NOT IN {NOT_ACTIONS}
    UNION ALL
    SELECT m.login, m.at, 0, true, m.ok, m.reg_s, m.disp_s
    FROM case_milestones c
    CROSS JOIN LATERAL (VALUES {", ".join(_steps("c", 1))}) m(sign, login, at, ok, reg_s,
                                                                  disp_s)
    WHERE m.at IS NOT NULL
) s
WHERE login IS NOT NULL AND login <> {SYSTEM}
GROUP BY 1, 2
"""


def upgrade() -> None:
    op.execute(_TABLE)
    op.execute(_BACKFILL)
    op.execute(_TRIGGERS)
    op.execute(_roles_format("GRANT SELECT ON seat_user_days TO %s", STAFF))
    op.execute(_roles_format("CREATE POLICY seat_user_days_staff ON seat_user_days TO %s "
                             "USING (true)", STAFF))
    op.execute("ANALYZE seat_user_days")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute("DROP TRIGGER case_milestones_truncate_seat_user_days ON case_milestones")
    op.execute("DROP TRIGGER case_events_truncate_seat_user_days ON case_events")
    op.execute("DROP FUNCTION seatdesk_seat_user_days_truncate()")
    op.execute("DROP TRIGGER case_milestones_seat_user_days ON case_milestones")
    op.execute("DROP TRIGGER case_milestones_seat_user_days_new ON case_milestones")
    op.execute("DROP FUNCTION seatdesk_seat_user_steps()")
    op.execute("DROP TRIGGER case_events_seat_user_days ON case_events")
    op.execute("DROP FUNCTION seatdesk_seat_user_days()")
    op.execute("DROP TABLE seat_user_days, seat_user_day_changes")
