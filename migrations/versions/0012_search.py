"""search: case numbers anywhere, the reporter's phone and name; urgent-first queues;
the queue of cases to place

Row-level security keeps PostgreSQL from trusting statistics for LIKE (it is not
leakproof), and the embedded server (pgserver) ships no pg_trgm, so the free-text
search is built from plain B-tree indexes that a ``LIKE 'prefix%'`` can use on any
PostgreSQL (``text_pattern_ops``, whatever the database's collation):

- a case number anywhere: a number is 11 characters (year + seven digits), so a needle
  of four digits or more starts at one of its first eight characters, and
  ``substr(number, k) LIKE 'needle%'`` for k = 1…8 finds it wherever it is;
- the reporter's phone by its beginning or its end (``reverse(reporter_phone)``), the
  way a citizen calling back gives it;
- the reporter's name by its beginning.

Working queues sort the most urgent first: overdue, then near the deadline, then the
rest, each by deadline (``ix_cases_open_urgent``). The cases without a grid (no
location, or one outside every grid) are a queue of their own (``ix_cases_unplaced``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The first characters of a case number a search needle may start at (1 = the number).
NUMBER_OFFSETS = range(1, 9)
OPEN = "state NOT IN ('closed', 'merged', 'rejected', 'voided')"
#: The urgency rank of a case; ``seatdesk.services.queues.URGENCY_RANK_SQL`` is the same.
RANK = "(CASE deadline_status WHEN 'overdue' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)"


def _number_expr(k: int) -> str:
    return "number" if k == 1 else f"substr(number, {k})"


def upgrade() -> None:
    for k in NUMBER_OFFSETS:
        op.execute(
            f"CREATE INDEX ix_cases_number_at_{k} ON cases "
            f"(({_number_expr(k)}) text_pattern_ops)"
        )
    op.execute("CREATE INDEX ix_cases_reporter_phone ON cases (reporter_phone text_pattern_ops)")
    op.execute(
        "CREATE INDEX ix_cases_reporter_phone_reversed ON cases "
        "((reverse(reporter_phone)) text_pattern_ops)"
    )
    op.execute("CREATE INDEX ix_cases_reporter ON cases (reporter text_pattern_ops)")
    op.execute(f"CREATE INDEX ix_cases_open_urgent ON cases ({RANK}, deadline_sort, id) WHERE {OPEN}")
    op.execute("CREATE INDEX ix_cases_unplaced ON cases (deadline_sort, id) WHERE grid_code IS NULL")


def downgrade() -> None:
    for name in ("ix_cases_unplaced", "ix_cases_open_urgent", "ix_cases_reporter",
                 "ix_cases_reporter_phone_reversed", "ix_cases_reporter_phone"):
        op.execute(f"DROP INDEX {name}")
    for k in NUMBER_OFFSETS:
        op.execute(f"DROP INDEX ix_cases_number_at_{k}")
