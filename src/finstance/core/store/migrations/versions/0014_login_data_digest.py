"""the digest of a login's data moves to the login: logins.data_digest (was holders.data_digest)

A data call reads the login's row, not its holder's: with the digest there, its answers are keyed by the data
they show (connect/documents.py) without another read.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("logins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_digest", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE logins SET data_digest = (SELECT holders.data_digest FROM holders"
        " WHERE holders.login_id = logins.id)"
    )
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.drop_column("data_digest")


def downgrade() -> None:
    with op.batch_alter_table("holders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_digest", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE holders SET data_digest = (SELECT logins.data_digest FROM logins"
        " WHERE logins.id = holders.login_id)"
    )
    with op.batch_alter_table("logins", schema=None) as batch_op:
        batch_op.drop_column("data_digest")
