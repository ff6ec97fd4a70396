"""seat_user_hours: the seat users' summary by UTC hour instead of UTC day.

0026 kept the "users" statistic's figures per seat login and UTC day, and read the hours
at a period's two edges from the raw events and milestones. But the desk's periods are
the centre's days (+08:00), which cut every UTC day in two: a day, a month or a year
asked at the desk read 8 and 16 hours of raw rows at its edges, and a period ending at an
odd minute up to two days of them. Over the bench's 1,000,000 cases that was ~100,000 raw
rows, 60–100 ms, and most of the statistic's time and its swing from run to run.

By UTC hour, a period of the centre's whole hours (every period the desk asks, in any
time zone of whole hours) reads the summary alone, and any other period at most the two
partial hours at its edges from the raw rows. A year of 50 seat users is at most
~440,000 rows (one per user and hour worked), read by the primary key's range on the hour.

The rows are kept exactly as 0026/0028 kept the days, by the same statement-level
trigger (``seatdesk_case_statistics``): this revision takes its installed definition
from the catalogue and changes only the bucket (``date_trunc('hour', at, 'UTC')``, the
same hour whatever the session's time zone) and the table, checking that each change
applied where expected. The days' table is dropped; the back-fill recounts the hours
from the raw rows as 0026 counted the days.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-02 21:10:00
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

#: Seats that read the summary (0026): every reader of the statistics but the department.
STAFF = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "admin"]
NOT_ACTIONS = "('collector_answer', 'deadline_recomputed', 'flag')"
SYSTEM = "'system'"

#: The trigger function's text for days (0028) → for hours; each appears once in each of
#: its two branches (one event, many events).
_DAYS_TO_HOURS = [
    ("(at AT TIME ZONE 'UTC')::date AS day", "date_trunc('hour', at, 'UTC') AS hour"),
    ("(e.at AT TIME ZONE 'UTC')::date AS day", "date_trunc('hour', e.at, 'UTC') AS hour"),
    ("INSERT INTO seat_user_days AS d (login, day,",
     "INSERT INTO seat_user_hours AS d (login, hour,"),
    ("coalesce(a.day, s.day)", "coalesce(a.hour, s.hour)"),
    ("s.day = a.day", "s.hour = a.hour"),
    ("ON CONFLICT (login, day)", "ON CONFLICT (hour, login)"),
]
_BRANCHES = 2


def _table(name: str, bucket: str, key: str) -> str:
    return f"""
CREATE TABLE {name} (
    login text NOT NULL,
    {bucket},
    -- Audited actions (not the system's flags, recomputations nor collectors' answers).
    actions bigint NOT NULL DEFAULT 0,
    -- 受理/立案/派遣/结案 steps taken, and of them on time and late.
    steps bigint NOT NULL DEFAULT 0,
    on_time bigint NOT NULL DEFAULT 0,
    late bigint NOT NULL DEFAULT 0,
    -- Registrations with a report time, and their seconds from report to registration.
    registered bigint NOT NULL DEFAULT 0,
    register_seconds numeric NOT NULL DEFAULT 0,
    -- First dispatches of registered cases, and their seconds from registration.
    dispatched bigint NOT NULL DEFAULT 0,
    dispatch_seconds numeric NOT NULL DEFAULT 0,
    PRIMARY KEY ({key})
);
ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;
"""


def _step(step: str, register: str, dispatch: str) -> str:
    return f"(c.{step}_by, c.{step}_at, c.{step}_on_time, {register}, {dispatch})"


_STEPS = ", ".join((
    _step("accepted", "NULL::numeric", "NULL::numeric"),
    _step("registered", "extract(epoch FROM c.registered_at - c.reported_at)", "NULL::numeric"),
    _step("dispatched", "NULL::numeric", "extract(epoch FROM c.dispatched_at - c.registered_at)"),
    _step("closed", "NULL::numeric", "NULL::numeric"),
))


def _backfill(name: str, bucket: str) -> str:
    """The table recounted from the raw rows (0026's back-fill, by ``bucket`` of ``at``)."""
    return f"""
INSERT INTO {name}
SELECT login, {bucket}, sum(actions), count(*) FILTER (WHERE step),
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
    CROSS JOIN LATERAL (VALUES {_STEPS}) m(login, at, ok, reg_s, disp_s)
    WHERE m.at IS NOT NULL
) s
WHERE login IS NOT NULL AND login <> {SYSTEM}
GROUP BY 1, 2
"""


def _grant(name: str) -> None:
    groups = ("(SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest(ARRAY["
              + ", ".join(f"'{r}'" for r in STAFF) + "]) r)")
    for statement in (f"GRANT SELECT ON {name} TO %s",
                      f"CREATE POLICY {name}_staff ON {name} TO %s USING (true)"):
        op.execute(f"DO $$ BEGIN EXECUTE format('{statement}', {groups}); END $$")


def _rewrite_trigger(changes: list[tuple[str, str]]) -> None:
    """Apply ``changes`` to the installed ``seatdesk_case_statistics``, each exactly where
    expected: a definition that differs from what this revision knows stops it."""
    bind = op.get_bind()
    body = bind.execute(text(
        "SELECT pg_get_functiondef('seatdesk_case_statistics()'::regprocedure)"
    )).scalar_one()
    for old, new in changes:
        found = body.count(old)
        if found != _BRANCHES:
            raise RuntimeError(
                f"seatdesk_case_statistics holds {old!r} {found} times, not {_BRANCHES}: "
                "its definition is not the one this migration rewrites")
        body = body.replace(old, new)
    bind.exec_driver_sql(body)


def _truncate_with(tables: str) -> None:
    # 0026's function, emptying the summary when the raw tables are emptied.
    op.execute(f"""
CREATE OR REPLACE FUNCTION seatdesk_seat_user_days_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    TRUNCATE {tables};
    RETURN NULL;
END $$""")


def upgrade() -> None:
    op.execute(_table("seat_user_hours", "hour timestamptz NOT NULL", "hour, login"))
    op.execute(_backfill("seat_user_hours", "date_trunc('hour', at, 'UTC')"))
    _rewrite_trigger(_DAYS_TO_HOURS)
    _truncate_with("seat_user_hours, seat_user_day_changes")
    op.execute("DROP TABLE seat_user_days")
    _grant("seat_user_hours")
    op.execute("ANALYZE seat_user_hours")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute(_table("seat_user_days", "day date NOT NULL", "login, day"))
    op.execute(_backfill("seat_user_days", "(at AT TIME ZONE 'UTC')::date"))
    _rewrite_trigger([(new, old) for old, new in _DAYS_TO_HOURS])
    _truncate_with("seat_user_days, seat_user_day_changes")
    op.execute("DROP TABLE seat_user_hours")
    _grant("seat_user_days")
    op.execute("ANALYZE seat_user_days")
    op.execute("SELECT seatdesk_hand_over()")
