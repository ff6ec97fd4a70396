"""working time in SQL: deadlines the database computes, from data only the admin changes

The stage deadlines were computed in Python and sent by the client. Now the database
holds everything the arithmetic needs and does it itself:

- ``calendar_statutory``: China's statutory holidays and adjusted working days (调休)
  from the ``chinesecalendar`` package (2004–2026), seeded here. Its years are the
  package's years: inside them a day it does not list is a plain weekday.
- ``centre_settings['timezone']`` (default ``Asia/Shanghai``): the centre's time zone.
  The session's ``TimeZone`` plays no part (a seat could ``SET timezone``); the Python
  loader reads the same setting, so Python and SQL agree.
- ``working_periods`` (owner only): every office period of every working day from
  2004 through 2050 as instants, with the working time before it and through its end
  (in microseconds). Adding N working minutes is two indexed look-ups: the period a
  start falls in (by ``period_end``), then the period where the running total reaches
  the target (by ``through_us``).

The functions (STABLE; the arithmetic mirrors ``seatdesk.domain.deadlines``, which
stays the reference and the preview): ``seatdesk_to_minutes``, ``seatdesk_add_working``,
``seatdesk_working_minutes``, ``seatdesk_warning_at``, ``seatdesk_start_of_day``. They are
the owner's alone and carry no SET clause: they run inside the SECURITY DEFINER
functions that compute deadlines (which pin the search path), where a definer call with
its own configuration change would cost each action a tenth of a millisecond per call;
seats never need them (the dialogs preview with the Python reference).

Why the periods can never go stale — both of these hold:

1. Seats (the admin group included) no longer write ``calendar_days``,
   ``calendar_years`` or ``centre_settings``: they call ``seatdesk_set_calendar_day``,
   ``seatdesk_import_calendar_schedule`` and ``seatdesk_set_centre_setting`` (admin
   group only), which validate, write, and recompute the deadline of every open case
   with a working-time clock in the same transaction (``seatdesk_recompute_open_
   deadlines``: one set-based statement, one ``deadline_recomputed`` event per changed
   case; the trigger on ``case_events`` announces them).
2. Triggers on those three tables and on ``calendar_statutory`` rebuild the periods
   after every statement that touches them, whoever runs it (the functions above, a
   migration, the owner at a psql prompt). A rebuild locks ``working_periods`` against
   other rebuilds (never against readers), so two admins' changes serialise and the
   second rebuild sees the first's rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

import chinese_calendar
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEATS = ", ".join(
    f"seatdesk_{r}"
    for r in ("acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
              "admin")
)
CALENDAR_TABLES = "calendar_days, calendar_years, centre_settings"
OPEN_CASE_SQL = "c.state NOT IN ('closed', 'merged', 'rejected', 'voided')"
FIRST_DAY = "2004-01-01"
LAST_DAY = "2050-12-31"
DEFAULT_PERIODS = '[["08:30", "12:00"], ["14:00", "17:30"]]'
#: Who acts inside a SECURITY DEFINER function until the case functions' own
#: ``seatdesk_actor()`` exists: the login, or ``seatdesk.act_as`` for a superuser (tests).
ACTOR_SQL = """(CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                      AND coalesce(current_setting('seatdesk.act_as', true), '') <> ''
                 THEN current_setting('seatdesk.act_as', true)
                 ELSE session_user::text END)"""
#: Microseconds of an interval, exactly (extract returns numeric).
US = "(extract(epoch FROM {0}) * 1000000)::bigint"

READERS = {
    "seatdesk_to_minutes(numeric, text)",
    "seatdesk_add_working(timestamptz, integer, text)",
    "seatdesk_working_minutes(timestamptz, timestamptz, text)",
    "seatdesk_warning_at(timestamptz, integer, integer, integer, text)",
    "seatdesk_start_of_day(date)",
    "seatdesk_centre_timezone()",
}
ADMIN_WRITERS = {
    "seatdesk_recompute_open_deadlines(text)",
    "seatdesk_set_calendar_day(date, boolean, text)",
    "seatdesk_import_calendar_schedule(date[], boolean[], text[], text)",
    "seatdesk_set_centre_setting(text, jsonb)",
}
OWNER_ONLY = {
    "seatdesk_rebuild_working_periods()",
    "seatdesk_working_periods_stale()",
    "seatdesk_iso(timestamptz)",
    "seatdesk_working_position(timestamptz)",
}

_FUNCTIONS = [
    # ---- settings
    """
    CREATE FUNCTION seatdesk_centre_timezone() RETURNS text
    LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT value #>> '{}' FROM centre_settings WHERE key = 'timezone'),
                        'Asia/Shanghai')
    $$
    """,
    """
    CREATE FUNCTION seatdesk_start_of_day(p_day date) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
        SELECT p_day::timestamp AT TIME ZONE seatdesk_centre_timezone()
    $$
    """,
    # Python's datetime.isoformat() of an instant in the centre's zone (audit data).
    """
    CREATE FUNCTION seatdesk_iso(p_at timestamptz) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        tz text := seatdesk_centre_timezone();
        wall timestamp := p_at AT TIME ZONE tz;
        off integer := extract(epoch FROM wall - (p_at AT TIME ZONE 'UTC'))::integer;
    BEGIN
        RETURN to_char(wall, 'YYYY-MM-DD"T"HH24:MI:SS')
            || CASE WHEN extract(microseconds FROM wall)::bigint % 1000000 <> 0
                    THEN '.' || to_char(wall, 'US') ELSE '' END
            || CASE WHEN off < 0 THEN '-' ELSE '+' END
            || to_char(abs(off) / 3600, 'FM00') || ':' || to_char(abs(off) % 3600 / 60, 'FM00')
            || CASE WHEN abs(off) % 60 <> 0 THEN ':' || to_char(abs(off) % 60, 'FM00')
                    ELSE '' END;
    END $$
    """,
    # ---- the materialised periods
    f"""
    CREATE FUNCTION seatdesk_rebuild_working_periods() RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        tz text;
        office jsonb;
        lo integer;
        hi integer;
        n integer;
    BEGIN
        -- One rebuild at a time; readers are never blocked. Every statement below takes
        -- a fresh snapshot, so a rebuild that waited here sees the one before it.
        LOCK TABLE working_periods IN SHARE ROW EXCLUSIVE MODE;
        tz := seatdesk_centre_timezone();
        office := (SELECT value FROM centre_settings WHERE key = 'office_hours');
        SELECT min(extract(year FROM day)), max(extract(year FROM day)) INTO lo, hi
        FROM calendar_statutory;
        DELETE FROM working_periods;
        INSERT INTO working_periods (period_start, period_end, before_us, through_us)
        WITH days AS (
            SELECT DATE '{FIRST_DAY}' + i AS day
            FROM generate_series(0, DATE '{LAST_DAY}' - DATE '{FIRST_DAY}') AS i
        ), working AS (
            -- An override; else an entered year's weekdays; else the package inside
            -- its years; else plain weekdays (seatdesk.domain.calendar, same order).
            SELECT d.day FROM days d
            LEFT JOIN calendar_days o ON o.day = d.day
            LEFT JOIN calendar_years y ON y.year = extract(year FROM d.day)::integer
            LEFT JOIN calendar_statutory s ON s.day = d.day
            WHERE coalesce(
                o.working,
                CASE WHEN y.year IS NULL
                      AND extract(year FROM d.day)::integer BETWEEN lo AND hi
                     THEN s.working END,
                extract(isodow FROM d.day) < 6)
        ), hours AS (
            -- A weekday without hours of its own works Monday's (a 调休 weekend day).
            SELECT wd, (p ->> 0)::time AS s, (p ->> 1)::time AS e
            FROM generate_series(0, 6) AS wd
            CROSS JOIN LATERAL jsonb_array_elements(
                CASE WHEN office IS NULL THEN '{DEFAULT_PERIODS}'::jsonb
                     WHEN jsonb_array_length(coalesce(office -> (wd::text), '[]')) > 0
                     THEN office -> (wd::text)
                     ELSE coalesce(office -> '0', '{DEFAULT_PERIODS}'::jsonb) END) AS p
        ), periods AS (
            SELECT (w.day + h.s) AT TIME ZONE tz AS ps, (w.day + h.e) AT TIME ZONE tz AS pe
            FROM working w
            JOIN hours h ON h.wd = extract(isodow FROM w.day)::integer - 1
        ), totals AS (
            SELECT ps, pe, sum({US.format("pe - ps")}) OVER (ORDER BY ps) AS through
            FROM periods
        )
        SELECT ps, pe, through - {US.format("pe - ps")}, through FROM totals;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END $$
    """,
    """
    CREATE FUNCTION seatdesk_working_periods_stale() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF TG_TABLE_NAME = 'centre_settings' AND TG_LEVEL = 'ROW' THEN
            -- (nested: NEW and OLD have fields only in a row trigger)
            IF NOT ((TG_OP <> 'DELETE' AND NEW.key IN ('office_hours', 'timezone'))
                    OR (TG_OP <> 'INSERT' AND OLD.key IN ('office_hours', 'timezone'))) THEN
                RETURN NULL;  -- the warning policy and such do not shape the periods
            END IF;
        END IF;
        PERFORM seatdesk_rebuild_working_periods();
        RETURN NULL;
    END $$
    """,
    # ---- the arithmetic (seatdesk.domain.deadlines)
    f"""
    CREATE FUNCTION seatdesk_to_minutes(p_amount numeric, p_unit text) RETURNS integer
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        per_unit integer;
    BEGIN
        IF p_amount IS NULL OR p_unit IS NULL THEN
            RETURN NULL;
        END IF;
        IF p_unit = 'working_days' THEN
            -- One 工作日 is the office minutes of a Monday (whole minutes per period).
            SELECT coalesce(sum(floor(extract(epoch FROM (p ->> 1)::time - (p ->> 0)::time)
                                      / 60)), 0)::integer
            INTO per_unit
            FROM jsonb_array_elements(coalesce(
                (SELECT value -> '0' FROM centre_settings WHERE key = 'office_hours'),
                '{DEFAULT_PERIODS}'::jsonb)) AS p;
        ELSIF p_unit = 'natural_days' THEN
            per_unit := 24 * 60;
        ELSIF p_unit IN ('working_hours', 'natural_hours', 'emergency_hours') THEN
            per_unit := 60;
        ELSE
            RAISE EXCEPTION 'unknown time unit %', p_unit USING ERRCODE = '22023';
        END IF;
        RETURN round(p_amount * per_unit)::integer;  -- half away from zero: ROUND_HALF_UP
    END $$
    """,
    # The working time from the start of the calendar to p_at, in microseconds.
    f"""
    CREATE FUNCTION seatdesk_working_position(p_at timestamptz) RETURNS bigint
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        p working_periods;
    BEGIN
        SELECT * INTO p FROM working_periods WHERE period_end > p_at
        ORDER BY period_end LIMIT 1;
        IF NOT FOUND OR (p.before_us = 0
                         AND p_at < DATE '{FIRST_DAY}'::timestamp
                                    AT TIME ZONE seatdesk_centre_timezone()) THEN
            RAISE EXCEPTION 'the working calendar covers {FIRST_DAY[:4]}–{LAST_DAY[:4]}, not %',
                p_at USING ERRCODE = '22008';
        END IF;
        RETURN p.before_us + greatest(0, {US.format("p_at - p.period_start")});
    END $$
    """,
    """
    CREATE FUNCTION seatdesk_add_working(p_start timestamptz, p_minutes integer, p_unit text)
    RETURNS timestamptz
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        target bigint;
        due timestamptz;
    BEGIN
        IF p_start IS NULL OR p_minutes IS NULL OR p_unit IS NULL THEN
            RETURN NULL;
        END IF;
        IF p_minutes < 0 THEN
            RAISE EXCEPTION 'a time limit cannot be negative' USING ERRCODE = '22023';
        END IF;
        IF p_unit IN ('emergency_hours', 'natural_hours', 'natural_days') THEN
            RETURN p_start + p_minutes * interval '1 minute';
        ELSIF p_unit NOT IN ('working_hours', 'working_days') THEN
            RAISE EXCEPTION 'unknown time unit %', p_unit USING ERRCODE = '22023';
        END IF;
        IF p_minutes = 0 THEN
            RETURN p_start;
        END IF;
        target := seatdesk_working_position(p_start) + p_minutes * 60000000::bigint;
        -- The first period whose running total reaches the target: a deadline that
        -- uses up a period exactly lands on its end, not on the next period's start.
        SELECT period_start + (target - before_us) * interval '1 microsecond' INTO due
        FROM working_periods WHERE through_us >= target
        ORDER BY through_us LIMIT 1;
        IF due IS NULL THEN
            RAISE EXCEPTION 'the working calendar ends before % plus % working minutes',
                p_start, p_minutes USING ERRCODE = '22008';
        END IF;
        RETURN due;
    END $$
    """,
    """
    CREATE FUNCTION seatdesk_working_minutes(p_a timestamptz, p_b timestamptz, p_unit text)
    RETURNS integer
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        span bigint;
    BEGIN
        IF p_a IS NULL OR p_b IS NULL OR p_unit IS NULL THEN
            RETURN NULL;
        END IF;
        IF p_b < p_a THEN
            RETURN -seatdesk_working_minutes(p_b, p_a, p_unit);
        END IF;
        IF p_unit IN ('emergency_hours', 'natural_hours', 'natural_days') THEN
            span := (extract(epoch FROM p_b - p_a) * 1000000)::bigint;
        ELSIF p_unit IN ('working_hours', 'working_days') THEN
            span := seatdesk_working_position(p_b) - seatdesk_working_position(p_a);
        ELSE
            RAISE EXCEPTION 'unknown time unit %', p_unit USING ERRCODE = '22023';
        END IF;
        RETURN (span / 60000000)::integer;  -- whole minutes, rounded down (span >= 0)
    END $$
    """,
    """
    CREATE FUNCTION seatdesk_warning_at(
        p_clock_start timestamptz, p_allowance integer, p_limit integer,
        p_extensions integer, p_unit text
    ) RETURNS timestamptz
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        share numeric := coalesce(
            (SELECT (value #>> '{}')::numeric FROM centre_settings
             WHERE key = 'warning_share'), 0.8);
        remainder integer := coalesce(
            (SELECT trunc((value #>> '{}')::numeric)::integer FROM centre_settings
             WHERE key = 'warning_remainder_minutes'), 0);
        left_at_warning integer;
    BEGIN
        -- StageClock.warning_at: yellow when the share is used or the remainder is left.
        left_at_warning := greatest(
            trunc((1 - share) * (p_limit * (1 + p_extensions)))::integer, remainder);
        RETURN seatdesk_add_working(
            p_clock_start, greatest(0, p_allowance - left_at_warning), p_unit);
    END $$
    """,
    # ---- recomputing open deadlines, and the admin's calendar functions
    f"""
    CREATE FUNCTION seatdesk_recompute_open_deadlines(p_reason text) RETURNS bigint[]
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        ids bigint[];
    BEGIN
        WITH clock AS (
            SELECT c.id, c.state, c.stage_deadline AS old_due,
                   seatdesk_add_working(c.clock_start, c.allowance_minutes,
                                        c.stage_limit_unit) AS due,
                   seatdesk_warning_at(c.clock_start, c.allowance_minutes,
                                       c.stage_limit_minutes, c.extension_count,
                                       c.stage_limit_unit) AS warn
            FROM cases c
            WHERE {OPEN_CASE_SQL}
              AND c.stage_limit_unit IN ('working_hours', 'working_days')
              AND c.clock_start IS NOT NULL
            ORDER BY c.id
            FOR UPDATE  -- in id order, like every function that locks several cases
        ), changed AS (
            UPDATE cases c
            SET stage_deadline = k.due, warning_at = k.warn,
                deadline_status = seatdesk_deadline_status(now(), k.due, k.warn),
                updated_at = now()
            FROM clock k
            WHERE c.id = k.id AND k.due IS DISTINCT FROM k.old_due
            RETURNING c.id, k.state, k.old_due, k.due
        ), logged AS (
            INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, note,
                                     data)
            SELECT id, 'deadline_recomputed', state, state, {ACTOR_SQL}, now(), p_reason,
                   jsonb_build_object('from', seatdesk_iso(old_due), 'to', seatdesk_iso(due),
                                      'reason', p_reason)
            FROM changed
            RETURNING case_id
        )
        SELECT coalesce(array_agg(case_id ORDER BY case_id), '{{}}') INTO ids FROM logged;
        RETURN ids;
    END $$
    """,
    f"""
    CREATE FUNCTION seatdesk_set_calendar_day(p_day date, p_working boolean, p_name text)
    RETURNS bigint[]
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF p_day IS NULL THEN
            RAISE EXCEPTION 'a calendar day needs a date' USING ERRCODE = '22023';
        END IF;
        IF p_working IS NULL THEN
            DELETE FROM calendar_days WHERE day = p_day;
        ELSE
            INSERT INTO calendar_days AS d (day, working, name, updated_by, updated_at)
            VALUES (p_day, p_working, coalesce(p_name, ''), {ACTOR_SQL}, now())
            ON CONFLICT (day) DO UPDATE
            SET working = EXCLUDED.working, name = EXCLUDED.name,
                updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at;
        END IF;
        RETURN seatdesk_recompute_open_deadlines(
            'calendar: ' || to_char(p_day, 'YYYY-MM-DD'));
    END $$
    """,
    f"""
    CREATE FUNCTION seatdesk_import_calendar_schedule(
        p_days date[], p_working boolean[], p_names text[], p_note text
    ) RETURNS bigint[]
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        actor text := {ACTOR_SQL};
    BEGIN
        IF coalesce(cardinality(p_days), 0) = 0
           OR cardinality(p_days) <> cardinality(p_working)
           OR cardinality(p_days) <> cardinality(p_names)
           OR array_position(p_days, NULL) IS NOT NULL
           OR array_position(p_working, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'a schedule is days, kinds and names of the same length'
                USING ERRCODE = '22023';
        END IF;
        -- A day listed twice: the later row wins, as it would typed in one by one.
        INSERT INTO calendar_days AS d (day, working, name, updated_by, updated_at)
        SELECT DISTINCT ON (v.day) v.day, v.working, coalesce(v.name, ''), actor, now()
        FROM unnest(p_days, p_working, p_names) WITH ORDINALITY AS v(day, working, name, n)
        ORDER BY v.day, v.n DESC
        ON CONFLICT (day) DO UPDATE
        SET working = EXCLUDED.working, name = EXCLUDED.name,
            updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at;
        INSERT INTO calendar_years AS y (year, note, entered_by, entered_at)
        SELECT DISTINCT extract(year FROM v.day)::smallint, coalesce(p_note, ''), actor, now()
        FROM unnest(p_days) AS v(day)
        ON CONFLICT (year) DO UPDATE SET note = EXCLUDED.note;
        RETURN seatdesk_recompute_open_deadlines(
            'calendar: ' || cardinality(p_days) || ' days entered');
    END $$
    """,
    """
    CREATE FUNCTION seatdesk_set_centre_setting(p_key text, p_value jsonb) RETURNS bigint[]
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        wd record;
        p jsonb;
        s time;
        e time;
        prev time;
    BEGIN
        IF p_value IS NULL THEN
            RAISE EXCEPTION 'setting % needs a value', p_key USING ERRCODE = '22023';
        END IF;
        IF p_key = 'office_hours' THEN
            IF jsonb_typeof(p_value) <> 'object' THEN
                RAISE EXCEPTION 'office hours are an object of weekdays'
                    USING ERRCODE = '22023';
            END IF;
            FOR wd IN SELECT key, value FROM jsonb_each(p_value) LOOP
                IF wd.key !~ '^[0-6]$' OR jsonb_typeof(wd.value) <> 'array' THEN
                    RAISE EXCEPTION 'office hours: % is not a weekday 0-6 with periods',
                        wd.key USING ERRCODE = '22023';
                END IF;
                prev := NULL;
                FOR p IN SELECT value FROM jsonb_array_elements(wd.value) LOOP
                    IF jsonb_typeof(p) <> 'array' OR jsonb_array_length(p) <> 2
                       OR (p ->> 0) !~ '^\\d{1,2}:\\d{2}(:\\d{2})?$'
                       OR (p ->> 1) !~ '^\\d{1,2}:\\d{2}(:\\d{2})?$' THEN
                        RAISE EXCEPTION 'office hours of weekday %: % is not [start, end]',
                            wd.key, p USING ERRCODE = '22023';
                    END IF;
                    s := (p ->> 0)::time;
                    e := (p ->> 1)::time;
                    IF NOT s < e OR s < prev THEN
                        RAISE EXCEPTION 'office hours of weekday %: period %-% ends before '
                            'it starts or overlaps the one before', wd.key, s, e
                            USING ERRCODE = '22023';
                    END IF;
                    prev := e;
                END LOOP;
            END LOOP;
        ELSIF p_key = 'timezone' THEN
            IF jsonb_typeof(p_value) <> 'string' OR NOT EXISTS (
                SELECT 1 FROM pg_timezone_names WHERE name = p_value #>> '{}') THEN
                RAISE EXCEPTION 'unknown time zone %', p_value USING ERRCODE = '22023';
            END IF;
        ELSIF p_key = 'warning_share' THEN
            IF jsonb_typeof(p_value) <> 'number' OR (p_value #>> '{}')::numeric <= 0
               OR (p_value #>> '{}')::numeric > 1 THEN
                RAISE EXCEPTION 'warning_share is a number in (0, 1]' USING ERRCODE = '22023';
            END IF;
        ELSIF p_key IN ('warning_remainder_minutes', 'max_extensions') THEN
            IF jsonb_typeof(p_value) <> 'number' OR (p_value #>> '{}') !~ '^\\d+$' THEN
                RAISE EXCEPTION '% is a whole number, 0 or more', p_key
                    USING ERRCODE = '22023';
            END IF;
        ELSE
            RAISE EXCEPTION 'unknown centre setting %', p_key USING ERRCODE = '22023';
        END IF;
        INSERT INTO centre_settings AS c (key, value) VALUES (p_key, p_value)
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
        IF p_key IN ('office_hours', 'timezone') THEN
            RETURN seatdesk_recompute_open_deadlines(replace(p_key, '_', ' '));
        END IF;
        RETURN '{}';
    END $$
    """,
]

#: The audit stamp of 0002, and this revision's: inside a SECURITY DEFINER function
#: (current_user is the tables' owner) the actor is the login, not the owner.
_STAMP_0002 = """
    CREATE OR REPLACE FUNCTION seatdesk_stamp_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.actor := current_user;
        NEW.at := now();
        RETURN NEW;
    END $$
"""
_STAMP_0006 = f"""
    CREATE OR REPLACE FUNCTION seatdesk_stamp_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.actor := CASE
            WHEN current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class
                                 WHERE oid = TG_RELID)
            THEN {ACTOR_SQL}
            ELSE current_user::text END;
        NEW.at := now();
        RETURN NEW;
    END $$
"""


def upgrade() -> None:
    op.create_table(
        "calendar_statutory",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=100), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_statutory")),
    )
    op.create_table(
        "working_periods",
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before_us", sa.BigInteger(), nullable=False),
        sa.Column("through_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("period_start", name=op.f("pk_working_periods")),
        sa.UniqueConstraint("period_end", name=op.f("uq_working_periods_period_end")),
        sa.UniqueConstraint("through_us", name=op.f("uq_working_periods_through_us")),
    )
    op.execute("REVOKE ALL ON calendar_statutory, working_periods FROM PUBLIC")
    # The statutory calendar is public knowledge; the periods are the owner's.
    op.execute(f"GRANT SELECT ON calendar_statutory TO {SEATS}")
    # The admin writes the calendar and the settings through functions only.
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON {CALENDAR_TABLES} FROM seatdesk_admin")
    op.execute("REVOKE UPDATE ON cases FROM seatdesk_admin")
    op.execute("REVOKE INSERT ON case_events FROM seatdesk_admin")

    statutory = sa.table(
        "calendar_statutory",
        sa.column("day", sa.Date()),
        sa.column("working", sa.Boolean()),
        sa.column("name", sa.String()),
    )
    rows = [
        {"day": d, "working": False, "name": str(n or "")}
        for d, n in chinese_calendar.holidays.items()
    ] + [
        {"day": d, "working": True, "name": str(n or "")}
        for d, n in chinese_calendar.workdays.items()
    ]
    op.bulk_insert(statutory, rows)
    op.execute("""
        INSERT INTO centre_settings (key, value) VALUES ('timezone', '"Asia/Shanghai"')
        ON CONFLICT (key) DO NOTHING
    """)

    for sql in _FUNCTIONS:
        op.execute(sql)
    for fn in READERS | ADMIN_WRITERS | OWNER_ONLY:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in ADMIN_WRITERS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {fn} TO seatdesk_admin")

    for table in ("calendar_days", "calendar_years", "calendar_statutory"):
        op.execute(f"""
            CREATE TRIGGER {table}_rebuild_periods
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_working_periods_stale()
        """)
    op.execute("""
        CREATE TRIGGER centre_settings_rebuild_periods
        AFTER INSERT OR UPDATE OR DELETE ON centre_settings
        FOR EACH ROW EXECUTE FUNCTION seatdesk_working_periods_stale()
    """)
    op.execute("""
        CREATE TRIGGER centre_settings_truncate_rebuild_periods
        AFTER TRUNCATE ON centre_settings
        FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_working_periods_stale()
    """)
    op.execute("SELECT seatdesk_rebuild_working_periods()")
    op.execute(_STAMP_0006)


def downgrade() -> None:
    op.execute(_STAMP_0002)
    for table in ("calendar_days", "calendar_years", "calendar_statutory"):
        op.execute(f"DROP TRIGGER {table}_rebuild_periods ON {table}")
    op.execute("DROP TRIGGER centre_settings_rebuild_periods ON centre_settings")
    op.execute("DROP TRIGGER centre_settings_truncate_rebuild_periods ON centre_settings")
    for fn in [*sorted(ADMIN_WRITERS), "seatdesk_warning_at(timestamptz, integer, integer, "
               "integer, text)", "seatdesk_working_minutes(timestamptz, timestamptz, text)",
               "seatdesk_add_working(timestamptz, integer, text)",
               "seatdesk_working_position(timestamptz)", "seatdesk_to_minutes(numeric, text)",
               "seatdesk_working_periods_stale()", "seatdesk_rebuild_working_periods()",
               "seatdesk_iso(timestamptz)", "seatdesk_start_of_day(date)",
               "seatdesk_centre_timezone()"]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DELETE FROM centre_settings WHERE key = 'timezone'")
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON {CALENDAR_TABLES} TO seatdesk_admin")
    # The admin's direct UPDATE on cases and INSERT on case_events (0003) are not given
    # back: a downgrade fails closed, and recomputation at 0005 is the owner's to run.
    op.drop_table("working_periods")
    op.drop_table("calendar_statutory")
