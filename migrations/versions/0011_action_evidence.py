"""action evidence: the database enforces what each action needs

``workflow_actions`` gains the rest of the requirement table ``workflow.NEEDS``
(``seatdesk/domain/workflow.py``, written here by ``seatdesk/db/workflow_table.py``):
whether at least one photo of the action's step must come with it, the centre setting
that may waive that photo, and the arguments the call must carry. ``seatdesk_case_act``
reads them for every action:

- a required argument that is missing or blank is refused (SD422, the field named as
  the messages name it: ``original_id`` → ``original``); blank is blank by any white
  space Python's ``str.strip()`` takes off (U+3000 included), for a note too, and a
  collector or a reply that is not a JSON string is missing;
- an action that needs a photo is refused unless a photo of its step was attached to
  the case since the case last changed (in practice: in the same transaction, by
  ``seatdesk_add_photos``), unless its setting is off;
- the collector a verification or a check is sent to (发起核实/发起核查) and the
  collector's reply (核实属实/不属实, 核查通过/不通过) are written into the audit event,
  where the timeline reads them.

So 核实 and 核查 record the collector's reply and at least one photo; 处置反馈 needs a
photo of the result unless an administrator turns ``require_result_photo`` off (a new
key of ``seatdesk_set_centre_setting``, a JSON boolean, on by default). 核实不属实 and
核查未通过 no longer need a separate note: the reply is the reason.

The function bodies are those of 0007 and 0006 with the new checks put in at named
places (an anchor that is not found stops the migration). The downgrade puts back the
functions of 0007 and 0006 and the note requirement 0007 had; no seat privilege comes
back (there was none to give).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 03:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from seatdesk.db import workflow_table
from seatdesk.domain.workflow import RESULT_PHOTO_SETTING

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: Actions whose note was required at 0010, given back by the downgrade (the reply
#: replaces it from here on).
NOTE_BEFORE = ("verify_fail", "check_fail")


def _sibling(filename: str) -> ModuleType:
    """Another revision of this folder, loaded for the SQL it holds."""
    spec = importlib.util.spec_from_file_location(
        f"seatdesk_{filename[:4]}", Path(__file__).with_name(filename)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _put(sql: str, anchor: str, addition: str, *, before: bool = False) -> str:
    """``sql`` with ``addition`` after (or before) ``anchor``, which must occur once."""
    assert sql.count(anchor) == 1, f"anchor not found once: {anchor!r}"
    return sql.replace(anchor, addition + anchor if before else anchor + addition)


def _case_act_0007() -> str:
    functions = _sibling("0007_case_functions.py")
    act: str = functions._ACT.replace("    -- @ME", functions._ME)
    # Only the first function of the block: seatdesk_case_act (the others stay as 0007
    # made them).
    return act[: act.index("-- 督办")].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


_DECLARE = """    v_field text;
    v_collector text;
    v_reply text;
"""

#: The characters Python's ``str.strip()`` takes off (the desk's own test of a blank
#: field), which ``btrim`` alone does not: tabs, line breaks, no-break and ideographic
#: spaces (U+3000, what a Chinese input method types).
_SPACE = (r"[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029"
          r"\u202f\u205f\u3000]")


def _trimmed(expr: str) -> str:
    """SQL for ``expr`` without the white space at either end, as ``str.strip()``."""
    return f"regexp_replace({expr}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"


#: The arguments that are free text a person types: a JSON string, nothing else.
_TEXT_ARGS = ("collector", "reply")

_SELECT_NEEDS = """ a.photo_required, a.photo_setting,
           a.photo_step, a.required_args,"""

_CHECK_NEEDS = f"""

    -- What the requirement table (workflow.NEEDS) asks of every action: its arguments
    -- (free text as a JSON string, not blank however it is blank), and a photo of its
    -- step that came with it.
    FOREACH v_field IN ARRAY t.required_args LOOP
        IF v_field IN ({", ".join(f"'{a}'" for a in _TEXT_ARGS)})
           AND jsonb_typeof(v_args -> v_field) IS DISTINCT FROM 'string' THEN
            PERFORM seatdesk_invalid(v_field, 'required');
        END IF;
        IF nullif({_trimmed("v_args ->> v_field")}, '') IS NULL THEN
            PERFORM seatdesk_invalid(regexp_replace(v_field, '_id$', ''), 'required');
        END IF;
    END LOOP;
    v_collector := {_trimmed("v_args ->> 'collector'")};
    v_reply := {_trimmed("v_args ->> 'reply'")};
    PERFORM seatdesk_check_length('collector', v_collector, 100);
    PERFORM seatdesk_check_length('reply', v_reply, 2000);
    IF t.photo_required
       AND coalesce((SELECT (s.value #>> '{{}}')::boolean FROM centre_settings s
                     WHERE s.key = t.photo_setting), true)
       -- Photos of this round only: attached since the case last changed state.
       AND NOT EXISTS (SELECT 1 FROM attachments p
                       WHERE p.case_id = c.id AND p.step = t.photo_step
                         AND p.uploaded_at >= c.updated_at) THEN
        PERFORM seatdesk_invalid('photo', 'action_photo');
    END IF;"""

_RECORD_EVIDENCE = """    -- Who was sent, and what they answered, for the timeline.
    IF 'collector' = ANY (t.required_args) THEN
        v_data := v_data || jsonb_build_object('collector', v_collector);
    END IF;
    IF 'reply' = ANY (t.required_args) THEN
        v_data := v_data || jsonb_build_object('reply', v_reply);
    END IF;

"""


def _case_act_0011() -> str:
    sql = _case_act_0007()
    # A note of white space only is no note either (0007 trimmed spaces alone).
    note_0007 = "v_note text := nullif(btrim(p_note), '');"
    assert sql.count(note_0007) == 1
    sql = sql.replace(note_0007, f"v_note text := nullif({_trimmed('p_note')}, '');")
    sql = _put(sql, "    v_department text;\n", _DECLARE)
    sql = _put(sql, "a.note_required,", _SELECT_NEEDS)
    sql = _put(sql, "    PERFORM seatdesk_check_length('note', v_note, 2000);", _CHECK_NEEDS)
    sql = _put(sql, "    -- The stage clock: a new stage", _RECORD_EVIDENCE, before=True)
    return sql


def _set_setting_0006() -> str:
    working_time = _sibling("0006_working_time.py")
    (sql,) = [f for f in working_time._FUNCTIONS if "seatdesk_set_centre_setting" in f]
    return str(sql).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


_SETTING_BRANCH = f"""        ELSIF p_key = '{RESULT_PHOTO_SETTING}' THEN
            IF jsonb_typeof(p_value) <> 'boolean' THEN
                RAISE EXCEPTION '% is true or false', p_key USING ERRCODE = '22023';
            END IF;
        ELSIF p_key = 'centre_name' THEN
            -- What the desk shows for the database instead of its address.
            IF jsonb_typeof(p_value) <> 'string'
               OR btrim(p_value #>> '{{}}', E' \\t\\n\\r\\u3000') = ''
               OR length(p_value #>> '{{}}') > 60 THEN
                RAISE EXCEPTION 'the centre name is text of 1 to 60 characters'
                    USING ERRCODE = '22023';
            END IF;
"""


def _set_setting_0011() -> str:
    return _put(_set_setting_0006(), "        ELSE\n            RAISE EXCEPTION 'unknown centre setting",
                _SETTING_BRANCH, before=True)


def upgrade() -> None:
    op.execute("""
        ALTER TABLE workflow_actions
            ADD COLUMN photo_required boolean NOT NULL DEFAULT false,
            ADD COLUMN photo_setting text,
            ADD COLUMN required_args text[] NOT NULL DEFAULT '{}'
    """)
    for statement in workflow_table.statements():
        op.execute(statement)
    op.execute(f"""
        INSERT INTO centre_settings (key, value) VALUES ('{RESULT_PHOTO_SETTING}', 'true')
        ON CONFLICT (key) DO NOTHING
    """)
    op.execute(_set_setting_0011())
    op.execute(_case_act_0011())


def downgrade() -> None:
    op.execute(_case_act_0007())
    op.execute(_set_setting_0006())
    op.execute(f"DELETE FROM centre_settings WHERE key = '{RESULT_PHOTO_SETTING}'")
    op.execute("""
        ALTER TABLE workflow_actions
            DROP COLUMN photo_required,
            DROP COLUMN photo_setting,
            DROP COLUMN required_args
    """)
    # The reply no longer stands for the reason: these need their note again, as at 0010.
    op.execute(
        "UPDATE workflow_actions SET note_required = true WHERE action IN "
        + "(" + ", ".join(f"'{a}'" for a in NOTE_BEFORE) + ")"
    )
