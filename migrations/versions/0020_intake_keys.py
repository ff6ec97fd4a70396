"""An intake item's key names one item: a different item under a taken key is refused.

0017 took an item once by its key (``intake_items.item_key``): a second call with the
same key wrote nothing and answered "repeated" with the first item's case. That is what
a re-run after a crash needs, but the key is the client's (an app's own ``id``, Open311's
``service_request_id``), so two collectors' apps that both number their items from 1,
or a report sent under an answer's key, lost the second item without a word: the
service then moved its file to ``done/``.

Now each item taken keeps a digest of what it said (its kind and its JSON, as the
database received it: jsonb's text is the same whatever the key order or spacing of
the file). The same key with the same digest is the same item again (repeated, as
before); the same key with another digest is refused as SD422 ``item_key/taken``, so
the item goes to ``rejected/`` with its sentence and nothing is lost. Items taken before
this revision have no digest and keep 0017's behaviour.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 07:40:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0020"
down_revision = "0019"
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


_0017 = _sibling("0017_intake.py")


def _function_0017(name: str) -> str:
    """0017's text of the function ``name``, its TRIMMED() written out."""
    found = [sql for sql in _0017._FUNCTIONS if f"CREATE FUNCTION {name}(" in sql]
    assert len(found) == 1, name
    return str(_0017._trimmed(found[0]))


def _put(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


_DIGEST = """
CREATE FUNCTION seatdesk_intake_digest(p_kind text, p_item jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(coalesce(p_kind, '') || ':' || p_item::text, 'UTF8')),
                  'hex')
$$
"""

def _take() -> str:
    sql = _function_0017("seatdesk_intake_take")
    sql = _put(sql, "seatdesk_intake_take(p_key text, p_kind text) RETURNS jsonb",
               "seatdesk_intake_take(p_key text, p_kind text, p_digest text) RETURNS jsonb")
    sql = _put(sql, "SELECT i.case_id, c.number, i.kind, i.at INTO done",
               "SELECT i.case_id, c.number, i.kind, i.at, i.digest INTO done")
    return _put(sql, "    RETURN jsonb_build_object('case_id', done.case_id",
                "    -- Another item under a taken key: refused, never taken for the first one.\n"
                "    IF done.kind <> p_kind\n"
                "       OR (done.digest IS NOT NULL AND done.digest <> p_digest) THEN\n"
                "        PERFORM seatdesk_invalid('item_key', 'taken', "
                "jsonb_build_object('value', v_key));\n"
                "    END IF;\n"
                "    RETURN jsonb_build_object('case_id', done.case_id")


def _report() -> str:
    sql = _function_0017("seatdesk_intake_report")
    sql = _put(sql, "v_done jsonb := seatdesk_intake_take(p_key, 'report');",
               "v_digest text := seatdesk_intake_digest('report', p_item);\n"
               "    v_done jsonb := seatdesk_intake_take(p_key, 'report', v_digest);")
    sql = _put(sql, "INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, "
                    "at, actor)\n    VALUES (v_key, 'report', v_case_id, v_collector, v_time, "
                    "clock_timestamp(),\n            seatdesk_actor());",
               "INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, at, "
               "actor,\n                              digest)\n"
               "    VALUES (v_key, 'report', v_case_id, v_collector, v_time, clock_timestamp(),\n"
               "            seatdesk_actor(), v_digest);")
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _answer() -> str:
    sql = _function_0017("seatdesk_intake_answer")
    sql = _put(sql, "    v_done jsonb;\n",
               "    v_done jsonb;\n    v_digest text := seatdesk_intake_digest(p_item ->> 'type', "
               "p_item);\n")
    sql = _put(sql, "v_done := seatdesk_intake_take(p_key, v_kind);",
               "v_done := seatdesk_intake_take(p_key, v_kind, v_digest);")
    sql = _put(sql, "INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, "
                    "at, actor)\n    VALUES (v_key, v_kind, c.id, v_collector, v_time, v_now, "
                    "seatdesk_actor());",
               "INSERT INTO intake_items (item_key, kind, case_id, collector, item_time, at, "
               "actor,\n                              digest)\n"
               "    VALUES (v_key, v_kind, c.id, v_collector, v_time, v_now, seatdesk_actor(),\n"
               "            v_digest);")
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _previous(name: str) -> str:
    return _function_0017(name).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def upgrade() -> None:
    op.execute("ALTER TABLE intake_items ADD COLUMN digest text")
    op.execute(_DIGEST)
    op.execute(_take())
    op.execute(_report())
    op.execute(_answer())
    op.execute("DROP FUNCTION seatdesk_intake_take(text, text)")
    for fn in ("seatdesk_intake_digest(text, jsonb)", "seatdesk_intake_take(text, text, text)"):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    # The digests only refine a check; 0019 decides by key alone (nothing is lost).
    take = _function_0017("seatdesk_intake_take")
    op.execute(take)
    op.execute("REVOKE ALL ON FUNCTION seatdesk_intake_take(text, text) FROM PUBLIC")
    op.execute(_previous("seatdesk_intake_report"))
    op.execute(_previous("seatdesk_intake_answer"))
    op.execute("DROP FUNCTION seatdesk_intake_take(text, text, text)")
    op.execute("DROP FUNCTION seatdesk_intake_digest(text, jsonb)")
    op.execute("ALTER TABLE intake_items DROP COLUMN digest")
    op.execute("SELECT seatdesk_hand_over()")
