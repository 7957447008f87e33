"""connect flows

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import finstance.core.store.types


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connect_flows",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("screen", sa.String(length=32), nullable=False),
        sa.Column("institution", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("login_id", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connect_flows")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collect", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("collect")
    op.drop_table("connect_flows")
