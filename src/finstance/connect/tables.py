"""Connect's tables: authorize tokens, sessions (RequestIds), logins and the data aggregated for them, and
the Connect page flows.

Money is integer minor units (cents). Secrets (authorize tokens, stored MFA answers) are kept only as hashes.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finstance.core.store.tables import GUID, Base
from finstance.core.store.types import EnumText, UTCDateTime


class SessionState(enum.StrEnum):
    MFA_PENDING = "mfa_pending"  # waiting for the answer to a security challenge
    AUTHORIZED = "authorized"
    FAILED = "failed"


class FlowScreen(enum.StrEnum):
    """The screen of the Connect pages an end-user is on."""

    CONSENT = "consent"
    DECLINED = "declined"
    INSTITUTIONS = "institutions"
    CREDENTIALS = "credentials"
    MFA = "mfa"
    ACCOUNTS = "accounts"
    SUCCESS = "success"
    ERROR = "error"
    CLOSED = "closed"


# The institution of a login made from documents an end-user uploaded (see ``connect/intake.py``): there is no
# bank behind it to sign in to again, so it is only ever read from the store (a cached /Authorize).
UPLOADED = "Upload"


class AuthorizeToken(Base):
    __tablename__ = "authorize_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    request_id: Mapped[str | None] = mapped_column(GUID)  # the session it opened (MFA continuation)


class Login(Base):
    """A saved connection ("card"): institution + username + language."""

    __tablename__ = "logins"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    institution: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    login_type: Mapped[str] = mapped_column(String(16), default="Personal")
    is_scheduled_refresh: Mapped[bool] = mapped_column(Boolean, default=False)
    last_refresh: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    mfa_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # prompt -> answer hash
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A digest of the data the login's last aggregation saved (holder, accounts, transactions, statements),
    # None before its first: an aggregation that brings the same data writes none of it
    # (aggregation.save_profile), and the answers kept of a login are keyed by it (connect/documents.py).
    data_digest: Mapped[str | None] = mapped_column(String(64))


class Session(Base):
    """A RequestId: one /Authorize call and the data calls that follow it."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    login_id: Mapped[str | None] = mapped_column(GUID, index=True)
    institution: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    tag: Mapped[str | None] = mapped_column(Text)
    live: Mapped[bool] = mapped_column(Boolean)
    save: Mapped[bool] = mapped_column(Boolean, default=True)
    schedule_refresh: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[SessionState] = mapped_column(EnumText(SessionState))
    token_hash: Mapped[str | None] = mapped_column(String(64))
    challenge: Mapped[list[str]] = mapped_column(JSON, default=list)  # prompts awaiting an answer
    mfa_step: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(GUID)
    detail_options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    summary_options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    statements_options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    data_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collect: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what a Connect flow asked to collect
    # MFA answers refused in this session; the server default is the one its migration gave existing rows
    failed_answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Holder(Base):
    __tablename__ = "holders"
    login_id: Mapped[str] = mapped_column(GUID, ForeignKey("logins.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    civic_address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(8))
    postal_code: Mapped[str] = mapped_column(String(16))
    po_box: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(200))
    phone_number: Mapped[str] = mapped_column(String(32))


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    login_id: Mapped[str] = mapped_column(GUID, ForeignKey("logins.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    account_number: Mapped[str] = mapped_column(String(64))
    transit_number: Mapped[str | None] = mapped_column(String(16))
    institution_number: Mapped[str | None] = mapped_column(String(8))
    routing_number: Mapped[str | None] = mapped_column(String(9))
    last_four_digits: Mapped[str | None] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    account_type: Mapped[str] = mapped_column(String(16))
    balance_current: Mapped[int] = mapped_column(Integer)
    balance_available: Mapped[int | None] = mapped_column(Integer)
    balance_limit: Mapped[int | None] = mapped_column(Integer)
    overdraft_limit: Mapped[int | None] = mapped_column(Integer)
    eft_eligible_ratio: Mapped[float] = mapped_column(Float)
    etransfer_eligible_ratio: Mapped[float] = mapped_column(Float)


class Transaction(Base):
    __tablename__ = "transactions"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(GUID, ForeignKey("accounts.id", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(GUID)
    date: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200))
    debit: Mapped[int | None] = mapped_column(Integer)
    credit: Mapped[int | None] = mapped_column(Integer)
    balance: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_transactions_account_date_seq", "account_id", "date", "seq"),)


class Statement(Base):
    __tablename__ = "statements"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(GUID, ForeignKey("accounts.id", ondelete="CASCADE"))
    unique_id: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # What the statement shows (StatementContent.to_json), rendered with the holder into its PDF when it is
    # asked for. ``pdf`` holds the rendered document of rows saved before statements were kept this way.
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_statements_account_period", "account_id", "period_end"),)


class ConnectFlow(Base):
    """One end-user's pass through the Connect pages: its options, where it stands, the session it opened.

    The id is the flow's capability: unguessable, minted by the instance, carried in the page's form.
    """

    __tablename__ = "connect_flows"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    # The validated Connect URL parameters, plus the flow's view: "_view" (the current screen and the events
    # not yet handed to the page) and "_attempt" (the nonce the current attempt's token is derived from).
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    screen: Mapped[FlowScreen] = mapped_column(EnumText(FlowScreen, 32))
    institution: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(GUID)  # the session of the current attempt
    login_id: Mapped[str | None] = mapped_column(GUID)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # credential attempts that failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
