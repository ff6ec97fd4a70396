"""index cases.merged_into

A self-reference without an index makes every delete or key change of a case scan the
whole table for duplicates merged into it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 22:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_cases_merged_into"), "cases", ["merged_into"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_merged_into"), table_name="cases")
