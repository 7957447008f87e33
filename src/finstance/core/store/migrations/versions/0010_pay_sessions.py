"""Pay: V2 payment sessions with their idempotency keys

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import finstance.core.store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("reference_id", sa.String(length=100), nullable=True),
        sa.Column("rail", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_details", sa.String(length=8), nullable=True),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("payment_since", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("payment_details", sa.String(length=8), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("payor", sa.JSON(), nullable=False),
        sa.Column("payee", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("login_id", sa.String(length=36), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("guaranteed", sa.Boolean(), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("completed_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_sessions")),
        sa.UniqueConstraint("client_id", "idempotency_key", name=op.f("uq_pay_sessions_client_id")),
    )
    with op.batch_alter_table("pay_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_sessions_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_sessions_login_id"), ["login_id"], unique=False)


def downgrade() -> None:
    op.drop_table("pay_sessions")
