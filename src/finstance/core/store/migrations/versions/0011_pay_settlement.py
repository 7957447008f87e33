"""Pay: settlement on the Pay clock (CPA-005 files, due moves, the clock's offset), the payment widget's
state; per-event delivery attempts

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import finstance.core.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("file_date", sa.Date(), nullable=False),
        sa.Column("creation_number", sa.Integer(), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_files")),
        sa.UniqueConstraint("file_date", name=op.f("uq_pay_files_file_date")),
    )
    op.create_table(  # its one row is written when Pay first needs it: a U.S. store never holds one
        "pay_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offset_seconds", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_clock")),
    )
    with op.batch_alter_table("pay_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", finstance.core.store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("file_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("file_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("flow", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_pay_sessions_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_sessions_file_date"), ["file_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_sessions_file_id"), ["file_id"], unique=False)
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_attempts", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_column("max_attempts")
    with op.batch_alter_table("pay_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_sessions_file_id"))
        batch_op.drop_index(batch_op.f("ix_pay_sessions_file_date"))
        batch_op.drop_index(batch_op.f("ix_pay_sessions_due_at"))
        batch_op.drop_column("flow")
        batch_op.drop_column("file_id")
        batch_op.drop_column("file_date")
        batch_op.drop_column("due_at")
    op.drop_table("pay_clock")
    op.drop_table("pay_files")
