"""statements keep what they show and are rendered on request: statements.content, statements.pdf nullable

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=True))
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # Rows kept as content have no document to keep in ``pdf``: they go, as a refresh brings them back.
    op.execute("DELETE FROM statements WHERE pdf IS NULL")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("content")
