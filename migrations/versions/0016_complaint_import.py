"""complaint import: the city platform's forwarded complaints, imported in bulk

The 12319 monitor imports the complaints the city platform forwards (an Excel or CSV
export) through ONE set-based function, called in batches inside one transaction by
``seatdesk.services.complaint_import``:

    seatdesk_import_complaints(jsonb) → (created, present)        monitor, admin
    seatdesk_set_complaint_import_mapping(text, jsonb)            monitor, admin

``seatdesk_import_complaints`` takes a JSON array of rows (at most 5,000) the service
has already read and checked, checks every row again (a bad row refuses the whole batch
with SD422, naming the field, the problem and the row number), leaves out the rows
already present — the same (channel, external reference) when the platform gives its
id, else the same ``import_hash``: a digest of the normalised channel, received time,
phone, content and address — and inserts the rest in one ``INSERT … SELECT``. The reply
deadline is 0013's, ``seatdesk_add_working`` written set-based (two index probes of
``working_periods`` per row), the numbers
are taken from the year's counter once per batch, and one ``create`` event per
complaint is written with the real login (``seatdesk_actor()``), with ``imported`` and
the platform's id in its data. The year's complaint counter stays locked by
the importing transaction until it ends (a seat recording a complaint meanwhile waits;
an import of a day's few hundred rows takes well under a second).

The mapping of a platform layout's column headers to the complaint's fields is kept by
name in ``complaint_import_mappings`` (a table of its own rather than a centre setting:
centre settings are the administrator's, while the mapping is the monitor's working
tool, and a table of its own needs no rebuild of ``seatdesk_set_centre_setting``, which
other revisions also rebuild). Monitor and admin seats read it.

The importer never reads a complaint back: the complainant's name and phone may be
hidden from seats (masking), and the function decides what is already present itself.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ROLES = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department", "admin"]
CHANNELS = ["hotline_12319", "mayors_mailbox", "online_platform", "media", "city_platform",
            "walk_in"]
#: Who imports complaints and keeps the mappings.
WRITERS = ["monitor", "admin"]
#: The most rows one call takes (the service sends 2,000).
MAX_ROWS = 5000
#: The fields a mapping may name (``seatdesk.services.complaint_import.FIELDS``).
MAPPING_FIELDS = ["external_ref", "channel", "received_at", "complainant", "complainant_phone",
                  "content", "address", "longitude", "latitude", "category"]
#: A phone as the service writes it: a mainland mobile, or a landline with its area code
#: (and an extension).
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}(-[0-9]{1,6})?)$"
#: The reply limit when the centre has set none (0013's default).
DEFAULT_REPLY_LIMIT = '{"amount": 2, "unit": "working_days"}'


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


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0014 = _sibling("0014_complaint_privacy.py")


def _grant_columns(private: list[str]) -> str:
    """0014's seatdesk_grant_complaint_columns, keeping ``private`` from every seat."""
    sql: str = _0014._GRANT_COLUMNS
    old = f"attname NOT IN {_0014._in(_0014.PRIVATE_COLUMNS)}"
    assert sql.count(old) == 1
    sql = sql.replace(old, f"attname NOT IN {_0014._in(private)}")
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


# The digest is of the complainant's name and phone among the rest: a seat that could
# read it could try phone numbers against it, so no seat reads it (the import function
# decides duplicates itself).
_GRANT_COLUMNS = _grant_columns([*_0014.PRIVATE_COLUMNS, "import_hash"])
_GRANT_COLUMNS_0014 = _grant_columns(list(_0014.PRIVATE_COLUMNS))


_WRITERS_SQL = _array(WRITERS)

_TABLES = """
ALTER TABLE complaints ADD COLUMN import_hash text;
-- Partial: a complaint recorded at the desk or imported with the platform's id has none.
CREATE UNIQUE INDEX uq_complaints_import_hash ON complaints (import_hash)
    WHERE import_hash IS NOT NULL;

CREATE TABLE complaint_import_mappings (
    name text PRIMARY KEY CONSTRAINT ck_complaint_import_mappings_name
        CHECK (name <> '' AND length(name) <= 100),
    mapping jsonb NOT NULL CONSTRAINT ck_complaint_import_mappings_mapping
        CHECK (jsonb_typeof(mapping) = 'object'),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL
);
ALTER TABLE complaint_import_mappings ENABLE ROW LEVEL SECURITY;
"""

#: Each row's first problem, in order: (condition on the row ``x``, field, problem,
#: values). The conditions are evaluated in order (a CASE), so a later one may cast
#: what an earlier one has checked. Every (field, problem) has words in
#: ``seatdesk.messages.fields`` (a test checks).
ROW_CHECKS: list[tuple[str, str, str, str]] = [
    (f"coalesce(x ->> 'channel', '') NOT IN {_in(CHANNELS)}", "channel", "unknown",
     "jsonb_build_object('value', x ->> 'channel')"),
    ("seatdesk_complaint_text(x ->> 'content') IS NULL", "content", "required", "'{}'"),
    ("length(x ->> 'content') > 4000", "content", "too_long", "'{\"limit\": 4000}'"),
    ("length(x ->> 'external_ref') > 100", "external_ref", "too_long", "'{\"limit\": 100}'"),
    ("length(x ->> 'address') > 500", "address", "too_long", "'{\"limit\": 500}'"),
    ("length(x ->> 'complainant') > 100", "complainant", "too_long", "'{\"limit\": 100}'"),
    ("x ->> 'received_at' IS NULL", "received_at", "required", "'{}'"),
    # Only a written date and time (PostgreSQL would also take 'now' or 'yesterday').
    ("x ->> 'received_at' !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2}"
     "([.][0-9]{1,6})?)?)?$' OR NOT seatdesk_input_is_valid(x ->> 'received_at', 'timestamp')",
     "received_at", "malformed", "'{}'"),
    ("(x ->> 'received_at')::timestamp AT TIME ZONE v_tz > v_now", "received_at", "in_future",
     "jsonb_build_object('value', x ->> 'received_at')"),
    # The working calendar (0006) begins in 2004.
    ("(x ->> 'received_at')::timestamp < '2004-01-01'", "received_at", "out_of_range",
     "jsonb_build_object('value', x ->> 'received_at')"),
    (f"x ->> 'complainant_phone' !~ '{PHONE_PATTERN}'", "complainant_phone", "not_a_phone",
     "jsonb_build_object('value', x ->> 'complainant_phone')"),
    ("(x ->> 'longitude' IS NULL) <> (x ->> 'latitude' IS NULL)", "location", "required", "'{}'"),
    ("NOT seatdesk_input_is_valid(coalesce(x ->> 'longitude', '0'), 'double precision') "
     "OR NOT seatdesk_input_is_valid(coalesce(x ->> 'latitude', '0'), 'double precision')",
     "location", "malformed", "'{}'"),
    ("NOT (x ->> 'longitude')::double precision BETWEEN -180 AND 180", "longitude",
     "out_of_range", "jsonb_build_object('value', x ->> 'longitude')"),
    ("NOT (x ->> 'latitude')::double precision BETWEEN -90 AND 90", "latitude",
     "out_of_range", "jsonb_build_object('value', x ->> 'latitude')"),
    ("NOT seatdesk_input_is_valid(coalesce(x ->> 'category_id', '0'), 'integer')", "category",
     "malformed", "'{}'"),
    ("x ->> 'category_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM categories k "
     "WHERE k.id = (x ->> 'category_id')::integer AND k.active AND k.parent_id IS NOT NULL)",
     "category", "unknown", "jsonb_build_object('value', x ->> 'category_id')"),
]


def _row_problem() -> str:
    """A CASE giving a row's first problem as [field, problem, values], or NULL."""
    whens = "\n".join(
        f"            WHEN {cond} THEN jsonb_build_array('{field}', '{problem}', "
        f"({values})::jsonb)"
        for cond, field, problem, values in ROW_CHECKS
    )
    return f"CASE\n{whens}\n        END"


_FUNCTIONS = [
    # The digest that recognises a row without the platform's id when it comes again:
    # the received time in UTC, runs of white space as one space.
    """
CREATE FUNCTION seatdesk_complaint_import_hash(
    p_channel text, p_received timestamptz, p_phone text, p_content text, p_address text
) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\\x1f', p_channel,
        to_char(p_received AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(p_phone, ''),
        regexp_replace(coalesce(p_content, ''), '\\s+', ' ', 'g'),
        regexp_replace(coalesce(p_address, ''), '\\s+', ' ', 'g')), 'UTF8')), 'hex')
$$
""",
    f"""
CREATE FUNCTION seatdesk_import_complaints(
    p_rows jsonb, OUT created integer, OUT present integer
)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_now timestamptz := clock_timestamp();
    v_actor text := seatdesk_actor();
    v_tz text := seatdesk_centre_timezone();
    v_limit jsonb := coalesce(
        (SELECT value FROM centre_settings WHERE key = 'complaint_reply_limit'),
        '{DEFAULT_REPLY_LIMIT}'::jsonb);
    v_unit text := v_limit ->> 'unit';
    v_working boolean := v_limit ->> 'unit' IN ('working_hours', 'working_days');
    v_minutes integer;
    v_warn_minutes integer;
    v_share numeric := coalesce(
        (SELECT (value #>> '{{}}')::numeric FROM centre_settings WHERE key = 'warning_share'),
        0.8);
    v_remainder integer := coalesce(
        (SELECT trunc((value #>> '{{}}')::numeric)::integer FROM centre_settings
         WHERE key = 'warning_remainder_minutes'), 0);
    v_year smallint;
    v_total integer;
    v_bad record;
BEGIN
    IF NOT (me.roles && {_WRITERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not import complaints', me.login),
            jsonb_build_object('subject', 'complaint', 'action', 'create', 'roles', me.roles,
                               'allowed', {_WRITERS_SQL}));
    END IF;
    IF p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' THEN
        PERFORM seatdesk_invalid('complaint', 'malformed');
    END IF;
    v_total := jsonb_array_length(p_rows);
    IF v_total > {MAX_ROWS} THEN
        PERFORM seatdesk_invalid('complaint', 'too_many', jsonb_build_object('limit', {MAX_ROWS}));
    END IF;
    IF v_total = 0 THEN
        created := 0;
        present := 0;
        RETURN;
    END IF;
    -- Every row again, set-based: the first bad one refuses the batch.
    SELECT r.x -> 'row' AS row_no, p.problem INTO v_bad
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY r(x, ord)
    CROSS JOIN LATERAL (SELECT {_row_problem()} AS problem) p
    WHERE jsonb_typeof(r.x) <> 'object' OR p.problem IS NOT NULL
    ORDER BY r.ord LIMIT 1;
    IF FOUND THEN
        IF v_bad.problem IS NULL THEN
            PERFORM seatdesk_invalid('complaint', 'malformed', jsonb_build_object('row', v_bad.row_no));
        END IF;
        PERFORM seatdesk_invalid(v_bad.problem ->> 0, v_bad.problem ->> 1,
            (v_bad.problem -> 2) || jsonb_build_object('row', v_bad.row_no));
    END IF;
    v_minutes := seatdesk_to_minutes((v_limit ->> 'amount')::numeric, v_unit);
    -- seatdesk_warning_at's allowance before yellow (0006), for a clock with no extension.
    v_warn_minutes := greatest(0, v_minutes
        - greatest(trunc((1 - v_share) * v_minutes)::integer, v_remainder));
    v_year := extract(year FROM v_now AT TIME ZONE v_tz)::smallint;
    -- One statement for the batch. The reply deadline is seatdesk_add_working (0006)
    -- written set-based — the position of the received time in the working calendar,
    -- then the period that holds position + limit, two index probes of working_periods
    -- per row instead of four PL/pgSQL calls; a test holds it equal to the function.
    -- No join between the statement's own steps (the planner guesses them at one row
    -- and would loop over them): the audit events come straight from the insert.
    WITH src AS (
        SELECT r.ord, r.x ->> 'channel' AS channel,
               seatdesk_complaint_text(r.x ->> 'external_ref') AS ref,
               (r.x ->> 'received_at')::timestamp AT TIME ZONE v_tz AS received,
               seatdesk_complaint_text(r.x ->> 'complainant') AS complainant,
               seatdesk_complaint_text(r.x ->> 'complainant_phone') AS phone,
               seatdesk_complaint_text(r.x ->> 'content') AS content,
               coalesce(seatdesk_complaint_text(r.x ->> 'address'), '') AS address,
               (r.x ->> 'longitude')::double precision AS lon,
               (r.x ->> 'latitude')::double precision AS lat,
               (r.x ->> 'category_id')::integer AS category_id
        FROM jsonb_array_elements(p_rows) WITH ORDINALITY r(x, ord)
    ), keyed AS (
        SELECT s.*, CASE WHEN s.ref IS NULL THEN seatdesk_complaint_import_hash(
                   s.channel, s.received, s.phone, s.content, s.address) END AS hash
        FROM src s
    ), fresh AS (
        -- Not present yet, and the first of the rows of this batch that are the same.
        SELECT DISTINCT ON (k.channel, coalesce(k.ref, k.hash)) k.*
        FROM keyed k
        WHERE NOT EXISTS (SELECT 1 FROM complaints c
                          WHERE c.channel = k.channel AND c.external_ref = k.ref)
          AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.import_hash = k.hash)
        ORDER BY k.channel, coalesce(k.ref, k.hash), k.ord
    ), counter AS (
        INSERT INTO complaint_number_counters AS c (year, last)
        SELECT v_year, count(*) FROM fresh HAVING count(*) > 0
        ON CONFLICT (year) DO UPDATE SET last = c.last + EXCLUDED.last
        RETURNING c.last
    ), planned AS (
        SELECT f.*, 'TS' || v_year::text || lpad(
                   (counter.last - count(*) OVER () + row_number() OVER (ORDER BY f.ord))::text,
                   6, '0') AS number,
               CASE WHEN NOT v_working OR v_minutes = 0
                    THEN f.received + v_minutes * interval '1 minute'
                    ELSE (SELECT w.period_start + (pos.at + v_minutes * 60000000::bigint
                                                   - w.before_us) * interval '1 microsecond'
                          FROM working_periods w
                          WHERE w.through_us >= pos.at + v_minutes * 60000000::bigint
                          ORDER BY w.through_us LIMIT 1) END AS due,
               CASE WHEN NOT v_working OR v_warn_minutes = 0
                    THEN f.received + v_warn_minutes * interval '1 minute'
                    ELSE (SELECT w.period_start + (pos.at + v_warn_minutes * 60000000::bigint
                                                   - w.before_us) * interval '1 microsecond'
                          FROM working_periods w
                          WHERE w.through_us >= pos.at + v_warn_minutes * 60000000::bigint
                          ORDER BY w.through_us LIMIT 1) END AS warning
        FROM fresh f CROSS JOIN counter
        LEFT JOIN LATERAL (
            -- seatdesk_working_position: the working time before the received time.
            SELECT w.before_us + greatest(0, (extract(epoch FROM f.received - w.period_start)
                                              * 1000000)::bigint) AS at
            FROM working_periods w WHERE v_working AND w.period_end > f.received
            ORDER BY w.period_end LIMIT 1) pos ON true
    ), inserted AS (
        INSERT INTO complaints (number, channel, external_ref, import_hash, received_at,
                                complainant, complainant_phone, content, address, longitude,
                                latitude, category_id, reply_limit_unit, reply_limit_minutes,
                                reply_due, reply_warning_at, state, version, created_at,
                                updated_at)
        SELECT p.number, p.channel, p.ref, p.hash, p.received, p.complainant, p.phone,
               p.content, p.address, p.lon, p.lat, p.category_id, v_unit, v_minutes,
               p.due, p.warning, 'new', 1, v_now, v_now
        FROM planned p
        ORDER BY p.ord
        -- A row another import wrote at the same moment (its insert has committed by
        -- now: ours waited for it) is present too.
        ON CONFLICT DO NOTHING
        RETURNING id, external_ref
    )
    INSERT INTO complaint_events (complaint_id, action, from_state, to_state, actor, at, data)
    SELECT i.id, 'create', NULL, 'new', v_actor, v_now,
           jsonb_build_object('version', 1, 'imported', true, 'external_ref', i.external_ref)
    FROM inserted i
    ORDER BY i.id;
    GET DIAGNOSTICS created = ROW_COUNT;
    present := v_total - created;
END $$
""",
    f"""
CREATE FUNCTION seatdesk_set_complaint_import_mapping(p_name text, p_mapping jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_name text := seatdesk_complaint_text(p_name);
    v_key text;
    v_value jsonb;
BEGIN
    IF NOT (me.roles && {_WRITERS_SQL}) THEN
        PERFORM seatdesk_fail('SD403', format('%s may not change an import mapping', me.login),
            jsonb_build_object('subject', 'complaint', 'action', 'create', 'roles', me.roles,
                               'allowed', {_WRITERS_SQL}));
    END IF;
    IF v_name IS NULL THEN
        PERFORM seatdesk_invalid('mapping', 'required');
    END IF;
    PERFORM seatdesk_check_length('mapping', v_name, 100);
    IF p_mapping IS NULL OR jsonb_typeof(p_mapping) <> 'object' THEN
        PERFORM seatdesk_invalid('mapping', 'malformed');
    END IF;
    FOR v_key, v_value IN SELECT key, value FROM jsonb_each(p_mapping) LOOP
        IF v_key NOT IN {_in(MAPPING_FIELDS)} THEN
            PERFORM seatdesk_invalid('mapping', 'unknown', jsonb_build_object('value', v_key));
        END IF;
        IF jsonb_typeof(v_value) <> 'string' OR seatdesk_complaint_text(v_value #>> '{{}}') IS NULL
           OR length(v_value #>> '{{}}') > 100 THEN
            PERFORM seatdesk_invalid('mapping', 'malformed', jsonb_build_object('value', v_key));
        END IF;
    END LOOP;
    INSERT INTO complaint_import_mappings AS m (name, mapping, updated_by, updated_at)
    VALUES (v_name, p_mapping, seatdesk_actor(), clock_timestamp())
    ON CONFLICT (name) DO UPDATE SET mapping = EXCLUDED.mapping,
        updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at;
END $$
""",
]

PUBLIC_FUNCTIONS = [
    "seatdesk_import_complaints(jsonb)",
    "seatdesk_set_complaint_import_mapping(text, jsonb)",
]
PRIVATE_FUNCTIONS = [
    "seatdesk_complaint_import_hash(text, timestamptz, text, text, text)",
    "seatdesk_input_is_valid(text, text)",
]

# Whether a text reads as a value of a type, without an error: PostgreSQL 16's
# pg_input_is_valid where the server has it (no subtransaction: the embedded server),
# else a cast in a PL/pgSQL exception block (a centre's shared server may be 12 to 15).
_INPUT_IS_VALID = """
DO $do$ BEGIN
IF current_setting('server_version_num')::integer >= 160000 THEN
    EXECUTE $f$
        CREATE FUNCTION seatdesk_input_is_valid(p_value text, p_type text) RETURNS boolean
        LANGUAGE sql STABLE AS 'SELECT pg_input_is_valid(p_value, p_type)'
    $f$;
ELSE
    EXECUTE $f$
        CREATE FUNCTION seatdesk_input_is_valid(p_value text, p_type text) RETURNS boolean
        LANGUAGE plpgsql STABLE AS $b$
        BEGIN
            IF p_type = 'timestamp' THEN
                PERFORM p_value::timestamp;
            ELSIF p_type = 'double precision' THEN
                PERFORM p_value::double precision;
            ELSIF p_type = 'integer' THEN
                PERFORM p_value::integer;
            ELSE
                RAISE EXCEPTION 'seatdesk_input_is_valid has no check for %', p_type;
            END IF;
            RETURN true;
        EXCEPTION WHEN data_exception THEN
            RETURN false;
        END $b$
    $f$;
END IF;
END $do$
"""


def upgrade() -> None:
    op.execute(_TABLES)
    op.execute(_GRANT_COLUMNS)
    op.execute("SELECT seatdesk_grant_complaint_columns()")
    op.execute(_INPUT_IS_VALID)
    for sql in _FUNCTIONS:
        op.execute(sql)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in PUBLIC_FUNCTIONS:
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", ROLES))
    op.execute("REVOKE ALL ON complaint_import_mappings FROM PUBLIC")
    op.execute(_grant("SELECT", "complaint_import_mappings", WRITERS))
    op.execute(_policy("complaint_import_mappings_writers", "complaint_import_mappings",
                       WRITERS, "true"))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the digests that keep a second import of a file from creating
    # anything again, and the saved mappings, are not thrown away.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM complaints WHERE import_hash IS NOT NULL)
               OR EXISTS (SELECT 1 FROM complaint_import_mappings) THEN
                RAISE EXCEPTION 'imported complaints or saved import mappings exist; 0013 '
                    'has no place for them' USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE complaint_import_mappings")
    op.execute("DROP INDEX uq_complaints_import_hash")
    op.execute(_GRANT_COLUMNS_0014)
    op.execute("ALTER TABLE complaints DROP COLUMN import_hash")
