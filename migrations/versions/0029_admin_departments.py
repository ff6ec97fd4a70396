"""admin departments: add, rename, merge, deactivate, reactivate; the last admin kept

Departments (专业部门) are changed only by the admin group, through these SECURITY DEFINER
functions, each of which locks the rows it decides on and writes a row of the
append-only ``department_events`` (who, when, what):

- ``seatdesk_add_department(code, name, contact)``;
- ``seatdesk_rename_department(code, name)``;
- ``seatdesk_merge_departments(from, into)``: the open cases of ``from`` follow to
  ``into`` (``current_department`` and the current handling of the department
  counters), each with a ``department_merged`` case event (a step of the trail that
  changes no state: ``seatdesk.domain.workflow.replay`` passes over it) and a new
  version, so a seat working on the old version hears that the case moved. Events and
  closed cases keep naming ``from``: history is not rewritten. The department seats of
  ``from`` and the filing conditions that named it move to ``into`` (the seats' moves
  are rows of ``user_events``); ``from`` is deactivated;
- ``seatdesk_set_department_active(code, active)``: a deactivated department takes no
  new dispatch; its open cases stay where they are.

The dispatch of ``seatdesk_case_act`` already refuses an inactive department, but reads
it without a lock; a trigger on ``cases`` now refuses any case put into an inactive
department, holding the department's row (FOR SHARE) until the case's transaction ends,
so a dispatch and a deactivation at once cannot both pass.

``departments`` announces itself on the change notice channel (0009, kind
``departments``); the moved cases announce themselves through their events.

The user functions of 0008/0017 now also refuse to disable, or take the admin role from,
the last active admin (``login``/``roles`` ``last_admin``): nobody could manage users
after it. The admin group loses the direct INSERT/UPDATE/DELETE on ``departments`` that
0002 gave it: a write outside the functions would be unaudited. The admins are locked first, so two admins disabling each other at once cannot
both succeed.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from seatdesk.domain.glossary import FINAL_STATES as GLOSSARY_FINAL_STATES

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

ADMIN = ["admin"]
#: Who reads the departments' log: the admin group.
DEPARTMENT_ACTIONS = ["added", "renamed", "merged", "deactivated", "reactivated"]
#: The case event a merge writes (``seatdesk.domain.glossary.CaseEventAction``).
MERGED_ACTION = "department_merged"
CODE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$"
FINAL_STATES = sorted(s.value for s in GLOSSARY_FINAL_STATES)


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _put(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


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


_0017 = _sibling("0017_intake.py")
OLD_EVENT_ACTIONS: list[str] = list(_0017.EVENT_ACTIONS)
EVENT_ACTIONS = sorted({*OLD_EVENT_ACTIONS, MERGED_ACTION})


def _event_actions(actions: list[str]) -> list[str]:
    return [
        "ALTER TABLE case_events DROP CONSTRAINT ck_case_events_action",
        # One text[] constant, as 0018 made every such list: an IN list is an ARRAY[]
        # expression the planner rebuilds for every row an intake batch inserts.
        "ALTER TABLE case_events ADD CONSTRAINT ck_case_events_action "
        "CHECK (action = ANY ('{" + ",".join(actions) + "}'::text[]))",
    ]


_TABLES = f"""
CREATE TABLE department_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor varchar(63) NOT NULL,
    action varchar(20) NOT NULL
        CONSTRAINT ck_department_events_action CHECK (action IN {_in(DEPARTMENT_ACTIONS)}),
    department varchar(20) NOT NULL,
    detail jsonb NOT NULL DEFAULT '{{}}'
);
CREATE INDEX ix_department_events_department ON department_events (department, id);
CREATE TRIGGER department_events_append_only BEFORE UPDATE OR DELETE ON department_events
FOR EACH ROW EXECUTE FUNCTION seatdesk_refuse_change();
CREATE TRIGGER department_events_no_truncate BEFORE TRUNCATE ON department_events
FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_refuse_change();
REVOKE ALL ON department_events FROM PUBLIC;
"""

#: The caller must be an active admin seat (the owner's side has no seat: refused too).
_ADMIN_ONLY = """
    IF NOT ('admin' = ANY (me.roles)) THEN
        PERFORM seatdesk_fail('SD403',
            format('%s may not change the departments', me.login),
            jsonb_build_object('subject', 'departments', 'action', '@ACTION',
                               'roles', me.roles, 'allowed', ARRAY['admin']));
    END IF;"""


def _admin_only(action: str) -> str:
    return _ADMIN_ONLY.replace("@ACTION", action)


_FUNCTIONS = [
    r"""
CREATE FUNCTION seatdesk_department_name(p_name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    v text := nullif(regexp_replace(coalesce(p_name, ''), '^\s+|\s+$', '', 'g'), '');
BEGIN
    IF v IS NULL THEN
        PERFORM seatdesk_invalid('name', 'required');
    END IF;
    PERFORM seatdesk_check_length('name', v, 100);
    RETURN v;
END $$;
""",
    """
CREATE FUNCTION seatdesk_log_department_event(p_action text, p_department text, p_detail jsonb)
RETURNS void LANGUAGE sql SET search_path = public, pg_temp AS $$
    INSERT INTO department_events (at, actor, action, department, detail)
    VALUES (clock_timestamp(), seatdesk_actor(), p_action, p_department,
            coalesce(p_detail, '{}'::jsonb))
$$;
""",
    f"""
CREATE FUNCTION seatdesk_add_department(p_code text, p_name text, p_contact text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_name text;
    v_contact text := nullif(btrim(coalesce(p_contact, '')), '');
BEGIN{_admin_only("add")}
    IF p_code IS NULL OR p_code !~ '{CODE_PATTERN}' THEN
        PERFORM seatdesk_invalid('code', 'bad_code', jsonb_build_object('value', p_code));
    END IF;
    v_name := seatdesk_department_name(p_name);
    PERFORM seatdesk_check_length('contact', v_contact, 200);
    INSERT INTO departments (code, name, contact, active)
    VALUES (p_code, v_name, v_contact, true) ON CONFLICT (code) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM seatdesk_invalid('code', 'exists', jsonb_build_object('value', p_code));
    END IF;
    PERFORM seatdesk_log_department_event('added', p_code,
        jsonb_build_object('name', v_name, 'contact', v_contact));
END $$;
""",
    f"""
CREATE FUNCTION seatdesk_rename_department(p_code text, p_name text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_name text;
    v_old text;
BEGIN{_admin_only("rename")}
    v_name := seatdesk_department_name(p_name);
    SELECT name INTO v_old FROM departments WHERE code = p_code FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD404', format('no department %s', p_code),
            jsonb_build_object('what', 'department', 'key', p_code));
    END IF;
    IF v_old = v_name THEN
        RETURN;  -- nothing changed: nothing to audit or announce
    END IF;
    UPDATE departments SET name = v_name WHERE code = p_code;
    PERFORM seatdesk_log_department_event('renamed', p_code,
        jsonb_build_object('from', v_old, 'to', v_name));
END $$;
""",
    f"""
CREATE FUNCTION seatdesk_set_department_active(p_code text, p_active boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_was boolean;
    v_open bigint;
BEGIN{_admin_only("set_active")}
    IF p_active IS NULL THEN
        PERFORM seatdesk_invalid('active', 'required');
    END IF;
    SELECT active INTO v_was FROM departments WHERE code = p_code FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD404', format('no department %s', p_code),
            jsonb_build_object('what', 'department', 'key', p_code));
    END IF;
    IF v_was = p_active THEN
        RETURN;
    END IF;
    UPDATE departments SET active = p_active WHERE code = p_code;
    SELECT count(*) INTO v_open FROM cases
    WHERE current_department = p_code AND state NOT IN {_in(FINAL_STATES)};
    PERFORM seatdesk_log_department_event(
        CASE WHEN p_active THEN 'reactivated' ELSE 'deactivated' END, p_code,
        jsonb_build_object('open_cases', v_open));
END $$;
""",
    f"""
CREATE FUNCTION seatdesk_merge_departments(p_from text, p_into text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '10s' AS $$
DECLARE
    me record := seatdesk_me();
    v_into_active boolean;
    v_ids bigint[];
    v_cases integer;
    v_users integer := 0;
    v_conditions integer;
    u record;
BEGIN{_admin_only("merge")}
    IF p_from IS NOT DISTINCT FROM p_into THEN
        PERFORM seatdesk_invalid('target', 'same_department',
                                 jsonb_build_object('value', p_from));
    END IF;
    -- Both rows, in code order (two merges at once never wait on each other in a ring).
    PERFORM 1 FROM departments WHERE code IN (p_from, p_into) ORDER BY code FOR UPDATE;
    IF NOT EXISTS (SELECT 1 FROM departments WHERE code = p_from) THEN
        PERFORM seatdesk_fail('SD404', format('no department %s', p_from),
            jsonb_build_object('what', 'department', 'key', p_from));
    END IF;
    SELECT active INTO v_into_active FROM departments WHERE code = p_into;
    IF NOT FOUND THEN
        PERFORM seatdesk_fail('SD404', format('no department %s', p_into),
            jsonb_build_object('what', 'department', 'key', p_into));
    END IF;
    IF NOT v_into_active THEN
        PERFORM seatdesk_invalid('target', 'inactive', jsonb_build_object('value', p_into));
    END IF;
    -- The open cases, locked in id order as every case function locks them. (Kept in
    -- an array, not a temporary table: the caller's own pg_temp could hold a table of
    -- that name, with triggers that would run with the owner's rights.)
    SELECT coalesce(array_agg(id ORDER BY id), '{{}}') INTO v_ids FROM (
        SELECT id FROM cases
        WHERE current_department = p_from AND state NOT IN {_in(FINAL_STATES)}
        ORDER BY id FOR UPDATE) locked;
    v_cases := cardinality(v_ids);
    UPDATE cases c SET current_department = p_into, version = c.version + 1,
                       updated_at = clock_timestamp()
    WHERE c.id = ANY (v_ids);
    INSERT INTO case_events (case_id, action, from_state, to_state, actor, at, data)
    SELECT c.id, '{MERGED_ACTION}', c.state, c.state, me.login, clock_timestamp(),
           jsonb_build_object('from', p_from, 'to', p_into)
    FROM cases c WHERE c.id = ANY (v_ids) ORDER BY c.id;
    -- The department counters: the handling goes on, now the target's.
    UPDATE case_handlings h SET department = p_into
    WHERE h.case_id = ANY (v_ids) AND h.is_current AND h.department = p_from;
    UPDATE filing_conditions SET handling_department_code = p_into
    WHERE handling_department_code = p_from;
    GET DIAGNOSTICS v_conditions = ROW_COUNT;
    UPDATE filing_conditions SET supervising_department_code = p_into
    WHERE supervising_department_code = p_from;
    -- Its liaison seats now answer for the target's cases.
    FOR u IN SELECT login, roles FROM users WHERE department_code = p_from
             ORDER BY login FOR UPDATE LOOP
        UPDATE users SET department_code = p_into WHERE login = u.login;
        PERFORM seatdesk_log_user_event('roles_changed', u.login, jsonb_build_object(
            'from', jsonb_build_object('roles', to_jsonb(u.roles), 'department', p_from),
            'to', jsonb_build_object('roles', to_jsonb(u.roles), 'department', p_into),
            'merge', true));
        v_users := v_users + 1;
    END LOOP;
    UPDATE departments SET active = false WHERE code = p_from;
    PERFORM seatdesk_log_department_event('merged', p_from, jsonb_build_object(
        'into', p_into, 'open_cases', v_cases, 'users', v_users,
        'filing_conditions', v_conditions));
    RETURN v_cases;
END $$;
""",
    """
CREATE FUNCTION seatdesk_department_must_be_active() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- FOR SHARE: a deactivation (FOR UPDATE) waits for this case's transaction, and
    -- this one for a deactivation under way, which it then sees.
    PERFORM 1 FROM departments WHERE code = NEW.current_department AND active FOR SHARE;
    IF NOT FOUND THEN
        PERFORM seatdesk_invalid('department', 'inactive',
                                 jsonb_build_object('value', NEW.current_department));
    END IF;
    RETURN NEW;
END $$;
""",
]

_TRIGGER = """
CREATE TRIGGER cases_department_active
BEFORE UPDATE OF current_department ON cases
FOR EACH ROW
WHEN (NEW.current_department IS NOT NULL
      AND NEW.current_department IS DISTINCT FROM OLD.current_department)
EXECUTE FUNCTION seatdesk_department_must_be_active();
"""

PUBLIC_FUNCTIONS = {
    "seatdesk_add_department(text, text, text)": ADMIN,
    "seatdesk_rename_department(text, text)": ADMIN,
    "seatdesk_set_department_active(text, boolean)": ADMIN,
    "seatdesk_merge_departments(text, text)": ADMIN,
}
PRIVATE_FUNCTIONS = [
    "seatdesk_department_name(text)",
    "seatdesk_log_department_event(text, text, jsonb)",
    "seatdesk_department_must_be_active()",
]

# ---- The last admin.

_OLD_SET_ACTIVE = """
CREATE OR REPLACE FUNCTION seatdesk_set_active(p_login text, p_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    was boolean;
BEGIN
    IF p_active IS NULL THEN
        RAISE EXCEPTION 'enable or disable?' USING ERRCODE = '22023';
    END IF;
    IF NOT p_active AND p_login = seatdesk_actor() THEN
        RAISE EXCEPTION 'an admin cannot disable their own account'
            USING ERRCODE = '22023', COLUMN = 'login', CONSTRAINT = 'self';
    END IF;
    SELECT active INTO was FROM users WHERE login = p_login FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no seat user %', p_login USING ERRCODE = '42704';
    END IF;
    UPDATE users SET active = p_active WHERE login = p_login;
    EXECUTE format('ALTER ROLE %I %s', p_login,
                   CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
    PERFORM seatdesk_log_user_event(
        CASE WHEN p_active THEN 'enabled' ELSE 'disabled' END, p_login,
        jsonb_build_object('was_active', was));
END $$
"""

#: The active admins, locked in login order (every caller locks them in the same order),
#: before the one user's row is read: then counted.
_LOCK_ADMINS = """
    PERFORM 1 FROM users WHERE active AND 'admin' = ANY (roles) ORDER BY login FOR UPDATE;
"""


def _set_active() -> str:
    sql = _put(_OLD_SET_ACTIVE, "    SELECT active INTO was FROM users WHERE login = p_login FOR UPDATE;\n",
               _LOCK_ADMINS
               + "    SELECT active INTO was FROM users WHERE login = p_login FOR UPDATE;\n")
    return _put(
        sql,
        "    UPDATE users SET active = p_active WHERE login = p_login;\n",
        "    IF was AND NOT p_active AND NOT EXISTS (\n"
        "        SELECT 1 FROM users WHERE active AND 'admin' = ANY (roles)\n"
        "                            AND login <> p_login)\n"
        "       AND EXISTS (SELECT 1 FROM users WHERE login = p_login AND 'admin' = ANY (roles))\n"
        "    THEN\n"
        "        RAISE EXCEPTION 'the last active admin cannot be disabled'\n"
        "            USING ERRCODE = '22023', COLUMN = 'login', CONSTRAINT = 'last_admin';\n"
        "    END IF;\n"
        "    UPDATE users SET active = p_active WHERE login = p_login;\n",
    )


def _old_set_roles() -> str:
    return str(_0017._set_roles(_0017.ROLES))


def _set_roles() -> str:
    sql = _put(
        _old_set_roles(),
        "    SELECT roles, department_code INTO old_roles, old_department\n",
        _LOCK_ADMINS + "    SELECT roles, department_code INTO old_roles, old_department\n",
    )
    return _put(
        sql,
        "    SELECT array_agg(DISTINCT r ORDER BY r) INTO p_roles FROM unnest(p_roles) r;\n",
        "    IF 'admin' = ANY (old_roles) AND NOT 'admin' = ANY (p_roles)\n"
        "       AND EXISTS (SELECT 1 FROM users WHERE login = p_login AND active)\n"
        "       AND NOT EXISTS (SELECT 1 FROM users WHERE active AND 'admin' = ANY (roles)\n"
        "                                           AND login <> p_login) THEN\n"
        "        RAISE EXCEPTION 'the last active admin keeps the admin role'\n"
        "            USING ERRCODE = '22023', COLUMN = 'roles', CONSTRAINT = 'last_admin';\n"
        "    END IF;\n"
        "    SELECT array_agg(DISTINCT r ORDER BY r) INTO p_roles FROM unnest(p_roles) r;\n",
    )


def _admin_writes(verb: str) -> str:
    """0002 let the admin group write ``departments`` directly; the functions now do."""
    word = "TO" if verb == "GRANT" else "FROM"
    return (f"DO $$ BEGIN EXECUTE format('{verb} INSERT, UPDATE, DELETE ON departments "
            f"{word} %I', seatdesk_group('admin')); END $$")


def upgrade() -> None:
    op.execute(_admin_writes("REVOKE"))
    op.execute(_TABLES)
    for sql in _event_actions(EVENT_ACTIONS):
        op.execute(sql)
    for sql in _FUNCTIONS:
        op.execute(sql)
    op.execute(_TRIGGER)
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn, roles in PUBLIC_FUNCTIONS.items():
        op.execute(_grant("EXECUTE", f"FUNCTION {fn}", roles))
    op.execute(_grant("SELECT", "department_events", ADMIN))
    op.execute(_set_active())
    op.execute(_set_roles())
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # Fail closed: the departments' audit is not thrown away.
    op.execute("""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM department_events) THEN
                RAISE EXCEPTION 'department changes are audited in department_events; '
                    '0027 has no place for them' USING ERRCODE = '55000';
            END IF;
        END $$
    """)
    op.execute(_OLD_SET_ACTIVE)
    op.execute(_old_set_roles())
    op.execute("DROP TRIGGER cases_department_active ON cases")
    for fn in [*PUBLIC_FUNCTIONS, *PRIVATE_FUNCTIONS]:
        op.execute(f"DROP FUNCTION {fn}")
    for sql in _event_actions(OLD_EVENT_ACTIONS):
        op.execute(sql)
    op.execute("DROP TABLE department_events")
    op.execute(_admin_writes("GRANT"))
    op.execute("SELECT seatdesk_hand_over()")
