"""The tables of one instance's store.

Everything that matters lives here, not in process memory, so that N processes can serve one instance
and a restart loses nothing. Money is integer minor units (cents). Secrets (authorize tokens, stored MFA
answers) are kept only as hashes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from finstance.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GUID = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ResidencyStamp(Base):
    """Written once when the store is created: which instance, and so which country, owns it."""

    __tablename__ = "residency_stamp"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_name: Mapped[str] = mapped_column(String(63))
    customer_id: Mapped[str] = mapped_column(GUID)
    country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


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
    state: Mapped[str] = mapped_column(String(16))  # mfa_pending | authorized | failed
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
    failed_answers: Mapped[int] = mapped_column(Integer, default=0)  # MFA answers refused in this session


class Job(Base):
    """Background work (aggregation, refreshes), claimed by any process of the instance."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    login_id: Mapped[str] = mapped_column(GUID, index=True)
    request_id: Mapped[str | None] = mapped_column(GUID)
    status: Mapped[str] = mapped_column(String(16))  # pending | running | done | failed
    run_after: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_jobs_status_run_after", "status", "run_after"),)


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
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_statements_account_period", "account_id", "period_end"),)


class WebhookEndpoint(Base):
    """A URL of the integrator's that receives this instance's events."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxEvent(Base):
    """An event, written in the same transaction as the state change it reports."""

    __tablename__ = "outbox_events"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    type: Mapped[str] = mapped_column(String(64))  # the ResponseType, e.g. KYC, GetAccountsDetail
    login_id: Mapped[str | None] = mapped_column(GUID, index=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)  # the exact bytes that are signed and sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int] = mapped_column(Integer)  # order of events within one transaction


class WebhookDelivery(Base):
    """One event to one endpoint: claimed by any worker of the instance, retried on schedule."""

    __tablename__ = "webhook_deliveries"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    event_id: Mapped[str] = mapped_column(
        GUID, ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[str] = mapped_column(GUID, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16))  # pending | sending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)


class ConnectFlow(Base):
    """One end-user's pass through the Connect pages: its options, where it stands, the session it opened.

    The id is the flow's capability: unguessable, minted by the instance, carried in the page's form.
    """

    __tablename__ = "connect_flows"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated Connect URL parameters
    screen: Mapped[str] = mapped_column(String(32))  # the screen the end-user is on
    institution: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(GUID)  # the session of the current attempt
    login_id: Mapped[str | None] = mapped_column(GUID)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # credential attempts that failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateCounter(Base):
    """Requests counted against one limit in one time window, shared by every process of the instance.

    ``key`` is a hash keyed with the instance's secret: the names it counts (a loginId, a username)
    are not kept.
    """

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
