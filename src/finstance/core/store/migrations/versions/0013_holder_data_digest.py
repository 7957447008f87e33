"""a login's holder keeps a digest of the data its last aggregation saved: holders.data_digest

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.drop_column("data_digest")
