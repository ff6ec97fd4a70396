"""intake speed: a case is written once, with its number

Measured (issue 11: ``seatdesk intake`` must take in at least 200 items a second), a
collector's report cost the database about 2.4 ms, and the largest single part of it,
0.85 ms, was ``seatdesk_create_case`` writing the case twice: first under a provisional
number (``'N' || id``), then, once the year's counter had been taken last, an
``UPDATE`` to its real number. ``cases.number`` is indexed (unique, and the eight
``ix_cases_number_at_k`` of 0012), so that update is never a HOT update: PostgreSQL
writes a second version of the row and a second entry in every one of the table's
28 indexes, and leaves a dead row behind for vacuum.

Here ``seatdesk_create_case`` (0013's text, otherwise unchanged: the same checks, the
same audit event, the same photos) takes the year's counter just before it writes the
case and writes it once, with its number. (And it reads the centre's day once, into a
variable, for the check that the grid it names is in use: in the query's condition the
SQL function ``seatdesk_centre_timezone()`` was planned anew at every call, 5 % of
the time.) The counter's row lock is held to the end of
the transaction wherever in the function it is taken; taking it before the case's own
inserts rather than after them holds it about a millisecond longer in a desk's
one-case transaction, and changes nothing in the intake's batches (the first case of a
batch holds it to the batch's commit either way) — while every creation, desk or
intake, does one less write of the case.

The rest of a report's time, profiled in the server (``perf``), went largely to what
PostgreSQL does again at every statement: ``ExecConstraints`` reads each CHECK
constraint's stored expression back from its text and simplifies it for every INSERT
(17 % of the time). The lists of known values (``state IN ('reported', 'verifying',
…)`` of ``cases``, ``case_events``, ``attachments``) were stored as an ``ARRAY[…]`` of
one ``varchar`` constant per value, each read and cast again each time; here each such
list becomes one constant ``text[]``, the same values, the same predicate (every row
that passed passes, every row refused is refused), which PostgreSQL reads in one go.
The constraints keep their names, so later migrations drop and add them as before.

And the intake sends the reports of a batch in one call rather than one call each:

    seatdesk_intake_reports(keys, items, photo_counts, photo names, data, thumbs,
                            taken) → jsonb (the results, in order)        intake

which writes them in order through ``seatdesk_intake_report`` itself (the same checks,
the same key, the same audit; item i's photos are the next ``photo_counts[i]`` of the
photo arrays). The first refusal refuses the whole call, as one refused report refused
its batch's transaction before; the service then writes that batch again one report a
savepoint, as before. It saves the round trip, the parsing and planning of a
statement and the client's work of a call for every report but one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 07:10:00
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0013 = _sibling("0013_complaints.py")

_PROVISIONAL = """\
    -- The case first takes a provisional number; the year's counter is taken last, so
    -- that two creations wait for each other only for the end of their transactions.
    v_id := nextval(pg_get_serial_sequence('cases', 'id'));
"""
_NUMBER_FIRST = """\
    -- The year's number is taken before the case is written, so that the case is written
    -- once (an update of its indexed number would write the row and all its index
    -- entries a second time). The counter's lock lasts to the end of the transaction
    -- wherever it is taken.
    v_number := seatdesk_next_case_number(v_now);
    v_id := nextval(pg_get_serial_sequence('cases', 'id'));
"""
_PROVISIONAL_VALUE = "    VALUES (v_id, 'N' || v_id, v_source,"
_NUMBER_VALUE = "    VALUES (v_id, v_number, v_source,"
_NUMBER_LAST = """\
    v_number := seatdesk_next_case_number(v_now);
    UPDATE cases SET number = v_number WHERE id = v_id;
"""
_GRID_CHECK = """\
    IF v_grid IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM grids g
        WHERE g.code = v_grid
          AND g.start_date <= (v_now AT TIME ZONE seatdesk_centre_timezone())::date
          AND (g.end_date IS NULL
               OR g.end_date > (v_now AT TIME ZONE seatdesk_centre_timezone())::date)) THEN
"""
_GRID_CHECK_TODAY = """\
    -- The centre's day, once (the SQL function in the query's condition was planned
    -- again at every call).
    IF v_grid IS NOT NULL THEN
        v_today := (v_now AT TIME ZONE seatdesk_centre_timezone())::date;
    END IF;
    IF v_grid IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM grids g
        WHERE g.code = v_grid AND g.start_date <= v_today
          AND (g.end_date IS NULL OR g.end_date > v_today)) THEN
"""
_DECLARE_NUMBER = "    v_number text;\n"
_DECLARE_TODAY = "    v_number text;\n    v_today date;\n"


def create_case_0013() -> str:
    """``seatdesk_create_case`` as 0013 left it (the newest text before this one)."""
    return str(_0013._create_case(_0013.SOURCES))


def create_case() -> str:
    """0013's ``seatdesk_create_case``, writing the case once with its number (and
    reading the centre's day once for the grid's check)."""
    sql = create_case_0013()
    for old, new in ((_PROVISIONAL, _NUMBER_FIRST), (_PROVISIONAL_VALUE, _NUMBER_VALUE),
                     (_NUMBER_LAST, ""), (_GRID_CHECK, _GRID_CHECK_TODAY),
                     (_DECLARE_NUMBER, _DECLARE_TODAY)):
        assert sql.count(old) == 1, old
        sql = sql.replace(old, new)
    return _lengths_checked_inline(sql)


def _lengths_checked_inline(sql: str) -> str:
    """Each ``PERFORM seatdesk_check_length(field, value, limit)`` as ``IF length(value) >
    limit THEN PERFORM …``: the same refusal, but a value within its limit costs a
    simple expression rather than a query run by the executor."""
    pattern = re.compile(
        r"^( +)PERFORM seatdesk_check_length\(('\w+'), (.+), (\d+)\);$", re.MULTILINE)
    assert pattern.search(sql)
    return pattern.sub(
        lambda m: f"{m[1]}IF length({m[3]}) > {m[4]} THEN\n"
                  f"{m[1]}    PERFORM seatdesk_check_length({m[2]}, {m[3]}, {m[4]});\n"
                  f"{m[1]}END IF;", sql)


#: The tables an intake report (or any case creation) writes a row of.
_TABLES = ["cases", "case_events", "attachments"]

# Each CHECK constraint of those tables holding ``ANY ((ARRAY['a'::varchar, …])::text[])``
# is dropped and added again, under its name, with ``ANY ('{a,…}'::text[])``: the array
# is evaluated here (by PostgreSQL itself, so the values are exactly those it compared
# with), and the constraint checked against every row as it is added.
_CONSTANT_LISTS = r"""
DO $$
DECLARE
    c record;
    def text;
    list text;
    lit text;
BEGIN
    FOR c IN
        SELECT k.conrelid::regclass AS tab, k.conname, pg_get_constraintdef(k.oid) AS def
        FROM pg_constraint k
        WHERE k.contype = 'c' AND k.conrelid = ANY (%(tables)s::regclass[])
          AND pg_get_constraintdef(k.oid) LIKE '%%ANY ((ARRAY[%%'
        ORDER BY 1, 2
    LOOP
        def := c.def;
        LOOP
            list := substring(def FROM 'ANY \(\(ARRAY\[([^]]*)\]\)::text\[\]\)');
            EXIT WHEN list IS NULL;
            EXECUTE 'SELECT (ARRAY[' || list || ']::text[])::text' INTO lit;
            def := replace(def, 'ANY ((ARRAY[' || list || '])::text[])',
                           'ANY (' || quote_literal(lit) || '::text[])');
        END LOOP;
        IF def <> c.def THEN
            EXECUTE format('ALTER TABLE %%s DROP CONSTRAINT %%I, ADD CONSTRAINT %%I %%s',
                           c.tab, c.conname, c.conname, def);
        END IF;
    END LOOP;
END $$
""" % {"tables": "ARRAY[" + ", ".join(f"'{t}'" for t in _TABLES) + "]"}  # noqa: UP031


REPORTS = "seatdesk_intake_reports(text[], jsonb[], integer[], text[], bytea[], bytea[], " \
    "timestamptz[])"

_REPORTS = """
CREATE FUNCTION seatdesk_intake_reports(
    p_keys text[], p_items jsonb[], p_photo_counts integer[], p_photo_names text[] DEFAULT '{}',
    p_photo_data bytea[] DEFAULT '{}', p_photo_thumbs bytea[] DEFAULT '{}',
    p_photo_taken timestamptz[] DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    n integer := coalesce(cardinality(p_keys), 0);
    photos integer := coalesce(cardinality(p_photo_data), 0);
    k integer;
    first integer := 1;
    results jsonb[] := '{}';
BEGIN
    IF coalesce(cardinality(p_items), 0) <> n OR coalesce(cardinality(p_photo_counts), 0) <> n THEN
        PERFORM seatdesk_invalid('item_key', 'required');
    END IF;
    FOR i IN 1 .. n LOOP
        k := p_photo_counts[i];
        IF k IS NULL OR k < 0 OR first + k - 1 > photos THEN
            PERFORM seatdesk_invalid('photo', 'not_image');
        END IF;
        -- Each report as if it came alone (the intake's role and every check included).
        results := results || seatdesk_intake_report(
            p_keys[i], p_items[i], p_photo_names[first:first + k - 1],
            p_photo_data[first:first + k - 1], p_photo_thumbs[first:first + k - 1],
            p_photo_taken[first:first + k - 1]);
        first := first + k;
    END LOOP;
    IF first - 1 <> photos THEN
        PERFORM seatdesk_invalid('photo', 'not_image');
    END IF;
    RETURN to_jsonb(results);
END $$
"""


def _grant(privilege: str, obj: str, roles: list[str]) -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT " + privilege.replace("'", "''") + " ON "
        + obj.replace("'", "''") + " TO %s', (SELECT string_agg(format('%I', "
        "seatdesk_group(r)), ', ') FROM unnest(ARRAY[" + ", ".join(f"'{r}'" for r in roles)
        + "]) r)); END $$"
    )


def upgrade() -> None:
    # CREATE OR REPLACE keeps the function's owner and grants (0007, 0010, 0017).
    op.execute(create_case())
    op.execute(_CONSTANT_LISTS)
    op.execute(_REPORTS)
    op.execute(f"REVOKE ALL ON FUNCTION {REPORTS} FROM PUBLIC")
    op.execute(_grant("EXECUTE", f"FUNCTION {REPORTS}", ["intake"]))


def downgrade() -> None:
    # The constraints stay as they are: the same predicates under the same names, which
    # 0017 and the revisions before it drop and add by name as before.
    op.execute(f"DROP FUNCTION {REPORTS}")
    op.execute(create_case_0013())
