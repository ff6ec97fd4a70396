"""complaint queues: the keys the 12319 monitor's queues are read in

The monitor's queues (``seatdesk.services.complaint_queues``) are keyset pages:

- 新投诉 by reply deadline: ``ix_complaints_state`` (state, reply_due, id) of 0013;
- 待答复, the complaints awaiting their reply and the forwarded ones, by reply deadline
  across both states: ``ix_complaints_awaiting``;
- 待回访, the replied complaints by the time of their reply: ``ix_complaints_callback``;
- 全部, every complaint, the newest first: ``ix_complaints_received``.

Reads only: no function, no privilege, no data changes here; going down drops the three
indexes and loses nothing.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_complaints_awaiting ON complaints (reply_due, id) "
        "WHERE state IN ('awaiting_reply', 'forwarded')"
    )
    op.execute(
        "CREATE INDEX ix_complaints_callback ON complaints (replied_at, id) "
        "WHERE state = 'replied'"
    )
    op.execute("CREATE INDEX ix_complaints_received ON complaints (received_at, id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaints_received")
    op.execute("DROP INDEX ix_complaints_callback")
    op.execute("DROP INDEX ix_complaints_awaiting")
