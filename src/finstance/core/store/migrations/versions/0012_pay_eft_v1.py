"""Pay: EFT API V1 (contacts and their bank accounts, transactions' schedules with their PAD agreement,
the payments each schedule makes)

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import finstance.core.store.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_contact_accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("institution_code", sa.String(length=3), nullable=False),
        sa.Column("transit_number", sa.String(length=5), nullable=False),
        sa.Column("account_number", sa.String(length=12), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_contact_accounts")),
    )
    with op.batch_alter_table("pay_contact_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_contact_accounts_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "pay_contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("legal_name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("contact_type", sa.String(length=16), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_contacts")),
    )
    with op.batch_alter_table("pay_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_contacts_client_id"), ["client_id"], unique=False)

    op.create_table(
        "pay_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("schedule_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("scheduled_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("rail", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("payment_since", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("payment_details", sa.String(length=8), nullable=True),
        sa.Column("due_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.Column("file_date", sa.Date(), nullable=True),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_requests")),
    )
    with op.batch_alter_table("pay_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_requests_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_requests_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_requests_file_date"), ["file_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_requests_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_requests_schedule_id"), ["schedule_id"], unique=False)

    op.create_table(
        "pay_schedules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("transaction_code", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=15), nullable=True),
        sa.Column("cross_reference", sa.String(length=36), nullable=True),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("transactions_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pad_id", sa.String(length=36), nullable=True),
        sa.Column("pad_signed_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_schedules")),
        sa.UniqueConstraint("client_id", "idempotency_key", name=op.f("uq_pay_schedules_client_id")),
        sa.UniqueConstraint("pad_id", name=op.f("uq_pay_schedules_pad_id")),
    )
    with op.batch_alter_table("pay_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_schedules_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_schedules_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_schedules_contact_id"), ["contact_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pay_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_schedules_contact_id"))
        batch_op.drop_index(batch_op.f("ix_pay_schedules_client_id"))
        batch_op.drop_index(batch_op.f("ix_pay_schedules_account_id"))

    op.drop_table("pay_schedules")
    with op.batch_alter_table("pay_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_requests_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_pay_requests_file_id"))
        batch_op.drop_index(batch_op.f("ix_pay_requests_file_date"))
        batch_op.drop_index(batch_op.f("ix_pay_requests_due_at"))
        batch_op.drop_index(batch_op.f("ix_pay_requests_client_id"))

    op.drop_table("pay_requests")
    with op.batch_alter_table("pay_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_contacts_client_id"))

    op.drop_table("pay_contacts")
    with op.batch_alter_table("pay_contact_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_contact_accounts_contact_id"))

    op.drop_table("pay_contact_accounts")
