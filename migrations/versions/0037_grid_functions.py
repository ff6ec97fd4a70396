"""The unit grids are written through one audited function, as every other rule is

Until now the admin group wrote ``grids`` directly (0002), the last of the centre's
rules it did: a seat operator with an admin login and psql could move a grid's boundary,
end it or delete it, and nothing would tell. The admin group loses INSERT, UPDATE and
DELETE on ``grids``; the desk and ``seatdesk grids`` write them through

- ``seatdesk_change_grids(add, end, rename)``: SECURITY DEFINER, an active admin seat or
  the owner's side (0030's ``seatdesk_rules_admin``); new grids (``add``: code, name,
  polygon, area, start and end dates, note), grids ended on a day (``end``: code,
  end_date) and grids renamed (``rename``: code, name, note), all in one call, all or
  nothing. Each grid it ends or renames is locked first and checked again: it exists,
  it has not ended, and it ends no earlier than it started; a new grid's code is 15
  digits and new, its community its first 12, its polygon a GeoJSON Polygon or
  MultiPolygon with a positive area, its name 1 to 100 characters.

The geometry itself (rings that close, no overlap with the other grids of the same day,
cover of a community) is checked by the desk before the call (``grids.plan``, with
shapely): the database has no geometry engine (no PostGIS). An admin who calls the
function by hand with overlapping polygons is therefore not stopped; they are recorded:
every change of ``grids``, whoever makes it (this function, the owner at the command
line, the demo), is now a row of 0030's append-only ``rules_events`` (subject ``grids``,
the real login, the old and the new row), which the admin panel's audit shows.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-02 18:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

FUNCTION = "seatdesk_change_grids(jsonb, jsonb, jsonb)"
#: Every desk seat may call it and hear who may (0030's refusal naming the roles).
SEATS = ["acceptor", "shift_leader", "dispatcher", "inspector", "monitor", "department",
         "admin"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def _grant(privilege: str, obj: str, roles: list[str], *, verb: str = "GRANT") -> str:
    """GRANT to this database's group roles (0010: their names depend on the database)."""
    word = "TO" if verb == "GRANT" else "FROM"
    return (
        f"DO $$ BEGIN EXECUTE format('{verb} {privilege} ON {obj} {word} %s', "
        "(SELECT string_agg(format('%I', seatdesk_group(r)), ', ') FROM unnest("
        + _array(roles) + ") r)); END $$"
    )


_FUNCTION = r"""
CREATE FUNCTION seatdesk_change_grids(p_add jsonb, p_end jsonb, p_rename jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    r record;
    g grids;
    v_name text;
    v_changed integer;
BEGIN
    PERFORM seatdesk_rules_admin('grids_edit');
    -- The new grids: each checked, then one INSERT for all of them.
    FOR r IN SELECT * FROM jsonb_to_recordset(coalesce(p_add, '[]'::jsonb)) AS x(
        code text, name text, polygon jsonb, area_m2 double precision, start_date date,
        end_date date, note text)
    LOOP
        IF r.code IS NULL OR r.code !~ '^[0-9]{15}$' THEN
            PERFORM seatdesk_invalid('grid_code', 'malformed_grid_code',
                                     jsonb_build_object('value', coalesce(r.code, '—')));
        END IF;
        PERFORM seatdesk_rules_text('grid_name', r.name, 100);
        IF jsonb_typeof(r.polygon) IS DISTINCT FROM 'object'
           OR r.polygon ->> 'type' IS NULL
           OR r.polygon ->> 'type' NOT IN ('Polygon', 'MultiPolygon')
           OR jsonb_typeof(r.polygon -> 'coordinates') IS DISTINCT FROM 'array' THEN
            PERFORM seatdesk_invalid('grid_polygon', 'not_a_polygon',
                                     jsonb_build_object('value', r.code));
        END IF;
        IF r.area_m2 IS NULL OR NOT r.area_m2 > 0 OR r.area_m2 = 'Infinity' THEN
            PERFORM seatdesk_invalid('grid_area', 'out_of_range',
                                     jsonb_build_object('value', r.code));
        END IF;
        IF r.start_date IS NULL OR r.end_date < r.start_date THEN
            PERFORM seatdesk_invalid('grid_dates', 'out_of_order',
                                     jsonb_build_object('value', r.code));
        END IF;
        PERFORM seatdesk_check_length('grid_note', r.note, 1000);
    END LOOP;
    -- A code already stored, or given twice: the first named. (A grid another admin
    -- adds meanwhile meets the primary key.)
    SELECT x.code INTO v_name FROM jsonb_to_recordset(coalesce(p_add, '[]'::jsonb)) AS x(code text)
    GROUP BY x.code
    HAVING count(*) > 1 OR EXISTS (SELECT 1 FROM grids g2 WHERE g2.code = x.code)
    ORDER BY x.code LIMIT 1;
    IF FOUND THEN
        PERFORM seatdesk_invalid('grid_code', 'exists', jsonb_build_object('value', v_name));
    END IF;
    INSERT INTO grids (code, name, community_code, polygon, area_m2, start_date, end_date,
                       note)
    SELECT code, btrim(name, E' \t\n\r\u3000'), left(code, 12), polygon, area_m2,
           start_date, end_date, nullif(btrim(note), '')
    FROM jsonb_to_recordset(coalesce(p_add, '[]'::jsonb)) AS x(
        code text, name text, polygon jsonb, area_m2 double precision, start_date date,
        end_date date, note text);
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    FOR r IN SELECT * FROM jsonb_to_recordset(coalesce(p_end, '[]'::jsonb)) AS x(
        code text, end_date date)
    LOOP
        SELECT * INTO g FROM grids WHERE code = r.code FOR UPDATE;
        IF NOT FOUND THEN
            PERFORM seatdesk_fail('SD404', format('no grid %s', r.code),
                                  jsonb_build_object('what', '网格', 'key', r.code));
        END IF;
        IF g.end_date IS NOT NULL THEN
            PERFORM seatdesk_invalid('grid_end', 'already_ended',
                jsonb_build_object('value', r.code, 'end', g.end_date));
        END IF;
        IF r.end_date IS NULL OR r.end_date < g.start_date THEN
            PERFORM seatdesk_invalid('grid_end', 'before_start',
                jsonb_build_object('value', r.code, 'start', g.start_date));
        END IF;
        UPDATE grids SET end_date = r.end_date WHERE code = r.code;
        v_changed := v_changed + 1;
    END LOOP;
    FOR r IN SELECT * FROM jsonb_to_recordset(coalesce(p_rename, '[]'::jsonb)) AS x(
        code text, name text, note text)
    LOOP
        v_name := seatdesk_rules_text('grid_name', r.name, 100);
        PERFORM seatdesk_check_length('grid_note', r.note, 1000);
        UPDATE grids SET name = v_name, note = nullif(btrim(r.note), '') WHERE code = r.code;
        IF NOT FOUND THEN
            PERFORM seatdesk_fail('SD404', format('no grid %s', r.code),
                                  jsonb_build_object('what', '网格', 'key', r.code));
        END IF;
        v_changed := v_changed + 1;
    END LOOP;
    RETURN v_changed;
END $$;
"""


def upgrade() -> None:
    op.execute(_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    op.execute(_grant("EXECUTE", f"FUNCTION {FUNCTION}", SEATS))
    op.execute("""
        CREATE TRIGGER grids_audit_rules AFTER INSERT OR UPDATE OR DELETE ON grids
        FOR EACH ROW EXECUTE FUNCTION seatdesk_audit_rules('code')
    """)
    op.execute(_grant("INSERT, UPDATE, DELETE", "grids", ["admin"], verb="REVOKE"))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    op.execute(_grant("INSERT, UPDATE, DELETE", "grids", ["admin"]))
    op.execute("DROP TRIGGER grids_audit_rules ON grids")
    op.execute(f"DROP FUNCTION {FUNCTION}")
