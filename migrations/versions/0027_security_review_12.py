"""Issue 12's security review: the holes found in 0022, 0024 and 0025's functions, closed

Found by calling the functions over real seat logins (``notes/security12/REPORT.md``;
``tests/core/test_security12.py`` holds one test per hole):

- ``seatdesk_set_statistics_settings`` took a number of any size: ``1e400`` is infinity
  once Python reads it, and an integer of 400 digits makes every department table, index
  and monthly report of every seat fail (``int too large to convert to float``). A
  setting is now at most ``MAX_SETTING`` (weights of 30, coefficients of 1: a million is
  far beyond any city's choice, and far below a float's limit).
- ``seatdesk_claim_monthly_report`` took ``-infinity`` (``extract(day …)`` of an infinite
  date is NULL, so neither the function's test nor the table's CHECK refused it) and
  months of 44 BC, which Python cannot read: ``report_runs.runs()`` then failed for every
  desk, and the row cannot be removed (its trail is append-only and refers to it).
- ``seatdesk_draw_callback_sample`` took periods of 4713 BC — an append-only draw that
  breaks the inspector's list of samples (``recent_samples``) for good — and answered an
  infinite date with a bare ``cannot subtract infinite dates``.
  Both now take dates from ``EARLIEST`` on, finite, and refuse others as ``out_of_range``.
- ``seatdesk_draw_callback_sample`` promised "it cannot be re-rolled", but only the exact
  period was kept once: an inspector who disliked November's sample drew 31 October –
  30 November (or 1 November – 1 December) and got a fresh seed over nearly the same
  complaints. A period that overlaps a draw is now refused (``period/overlaps``, naming
  the draw), so each complaint is drawn from at most once; draws are taken one at a time
  (a table lock: a draw is a rare act) so two overlapping draws at once cannot both pass.
- ``seatdesk_urge_department`` trimmed the note with ``seatdesk_complaint_text``, which
  knows six kinds of white space: a note of EN SPACEs (U+2002) or THIN SPACEs was
  recorded as an urge with nothing said. It now trims what ``seatdesk_case_act`` trims;
  so does 0007's ``seatdesk_urge`` of one case (the panel's 督办), which trimmed ASCII
  spaces only and recorded a note of ideographic spaces (U+3000).

``CREATE OR REPLACE`` keeps each function's owner and grants. The downgrade puts the
earlier texts back.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-02 11:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

#: The largest number a statistics setting may be.
MAX_SETTING = 1000000
#: The first day a monthly report or a callback sample may be about: no centre kept
#: digital cases before it, and Python reads every date from it on.
EARLIEST = "1970-01-01"
#: The white space ``seatdesk_case_act`` trims from a note (0007).
_SPACE = (r"[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
          r"\u205f\u3000]")


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


def _replace(sql: str) -> str:
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def _old_settings() -> str:
    return str(_sibling("0022_department_stats.py")._SETTINGS)


def _old_urge() -> str:
    return str(_sibling("0024_supervision.py")._URGE_DEPARTMENT)


def _old_urge_case() -> str:
    """0007's ``seatdesk_urge`` (one case), with its actor preamble, as it was written."""
    module = _sibling("0007_case_functions.py")
    act = str(module._ACT)
    start = act.index("CREATE FUNCTION seatdesk_urge(")
    end = act.index("END $$;", start) + len("END $$;")
    return act[start:end].replace("    -- @ME", str(module._ME))


def _old_draw() -> str:
    return str(_sibling("0024_supervision.py")._DRAW)


def _old_month() -> str:
    (sql,) = [f for f in _sibling("0025_monthly_report_once.py")._FUNCTIONS
              if "FUNCTION seatdesk_monthly_report_month(" in f]
    return str(sql)


def _settings() -> str:
    return _put(_old_settings(), "IF v_number < 0 OR (",
                f"IF v_number < 0 OR v_number > {MAX_SETTING} OR (")


def _urge() -> str:
    return _put(
        _old_urge(),
        "v_note text := seatdesk_complaint_text(p_note);  -- white space of every kind trimmed",
        # As seatdesk_case_act trims a note: every white space of Unicode, not six.
        f"v_note text := nullif(regexp_replace(p_note, '^{_SPACE}+|{_SPACE}+$', '', 'g'), '');",
    )


def _urge_case() -> str:
    sql = _put(_old_urge_case(), "    allowed text[];\n",
               "    allowed text[];\n"
               f"    v_note text := nullif(regexp_replace(p_note, '^{_SPACE}+|{_SPACE}+$', '',"
               " 'g'), '');\n")
    sql = _put(sql, "IF nullif(btrim(p_note), '') IS NULL THEN", "IF v_note IS NULL THEN")
    sql = _put(sql, "seatdesk_check_length('note', btrim(p_note), 2000)",
               "seatdesk_check_length('note', v_note, 2000)")
    return _put(sql, "clock_timestamp(), btrim(p_note),", "clock_timestamp(), v_note,")


def _draw() -> str:
    sql = _put(
        _old_draw(),
        "    IF p_to < p_from OR p_to - p_from > 366 THEN",
        f"    IF NOT isfinite(p_from) OR NOT isfinite(p_to) OR p_from < DATE '{EARLIEST}'\n"
        "       OR p_to < p_from OR p_to - p_from > 366 THEN",
    )
    sql = _put(sql, "    v_id bigint;\n", "    v_id bigint;\n    v_other text;\n")
    return _put(
        sql,
        "        RETURN v_id;  -- drawn already: the same sample for everyone, never re-rolled\n"
        "    END IF;\n",
        "        RETURN v_id;  -- drawn already: the same sample for everyone, never re-rolled\n"
        "    END IF;\n"
        "    -- A period overlapping a draw would draw its complaints again with a new seed:\n"
        "    -- a re-roll. Draws are rare, so one at a time; the second of two finds the\n"
        "    -- first's draw once it is committed.\n"
        "    LOCK TABLE callback_samples IN SHARE ROW EXCLUSIVE MODE;\n"
        "    SELECT id INTO v_id FROM callback_samples\n"
        "    WHERE period_from = p_from AND period_to = p_to;\n"
        "    IF FOUND THEN\n"
        "        RETURN v_id;\n"
        "    END IF;\n"
        "    SELECT format('%s – %s', period_from, period_to) INTO v_other FROM callback_samples\n"
        "    WHERE period_from <= p_to AND period_to >= p_from\n"
        "    ORDER BY period_from LIMIT 1;\n"
        "    IF FOUND THEN\n"
        "        PERFORM seatdesk_invalid('period', 'overlaps', jsonb_build_object(\n"
        "            'value', format('%s – %s', p_from, p_to), 'other', v_other));\n"
        "    END IF;\n",
    )


def _month() -> str:
    return _put(
        _old_month(),
        "    IF extract(day FROM p_month) <> 1 THEN",
        # An infinite date has no day (NULL): refused before the day is asked.
        f"    IF NOT isfinite(p_month) OR p_month < DATE '{EARLIEST}' THEN\n"
        "        PERFORM seatdesk_invalid('month', 'out_of_range',\n"
        "                                 jsonb_build_object('value', p_month::text));\n"
        "    END IF;\n"
        "    IF extract(day FROM p_month) <> 1 THEN",
    )


def upgrade() -> None:
    for sql in (_settings(), _urge(), _urge_case(), _draw(), _month()):
        op.execute(_replace(sql))
    op.execute("SELECT seatdesk_hand_over()")


def downgrade() -> None:
    for sql in (_old_settings(), _old_urge(), _old_urge_case(), _old_draw(), _old_month()):
        op.execute(_replace(sql))
    op.execute("SELECT seatdesk_hand_over()")
