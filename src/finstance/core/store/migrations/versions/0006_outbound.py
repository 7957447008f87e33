"""outbound: recipients, registrations, consents, authorization codes, consent flows

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import finstance.core.store.types


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbound_recipients",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=80), nullable=False),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("logo_uri", sa.Text(), nullable=True),
        sa.Column("terms_uri", sa.Text(), nullable=True),
        sa.Column("client_uri", sa.Text(), nullable=True),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("secret_rotated_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_outbound_recipients")),
    )
    op.create_table(
        "outbound_registrations",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("provider_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("requested_on", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["outbound_recipients.client_id"],
            name=op.f("fk_outbound_registrations_client_id_outbound_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "provider_id", name=op.f("pk_outbound_registrations")),
    )
    op.create_table(
        "outbound_consents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("login_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=36), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("account_ids", sa.JSON(), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=True),
        sa.Column("refresh_used_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", finstance.core.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["outbound_recipients.client_id"],
            name=op.f("fk_outbound_consents_client_id_outbound_recipients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_consents")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_outbound_consents_refresh_hash")),
    )
    op.create_index(op.f("ix_outbound_consents_client_id"), "outbound_consents", ["client_id"], unique=False)
    op.create_index(op.f("ix_outbound_consents_login_id"), "outbound_consents", ["login_id"], unique=False)
    op.create_table(
        "outbound_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("consent_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("code_challenge_method", sa.String(length=8), nullable=True),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["outbound_consents.id"],
            name=op.f("fk_outbound_codes_consent_id_outbound_consents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_outbound_codes")),
    )
    op.create_table(
        "outbound_consent_flows",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("screen", sa.String(length=16), nullable=False),
        sa.Column("login_id", sa.String(length=36), nullable=True),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("attempt", sa.String(length=32), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", finstance.core.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_consent_flows")),
    )
    op.create_index(
        op.f("ix_outbound_consent_flows_login_id"), "outbound_consent_flows", ["login_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbound_consent_flows_login_id"), table_name="outbound_consent_flows")
    op.drop_table("outbound_consent_flows")
    op.drop_table("outbound_codes")
    op.drop_index(op.f("ix_outbound_consents_login_id"), table_name="outbound_consents")
    op.drop_index(op.f("ix_outbound_consents_client_id"), table_name="outbound_consents")
    op.drop_table("outbound_consents")
    op.drop_table("outbound_registrations")
    op.drop_table("outbound_recipients")
