"""The instance core's tables: the residency stamp, jobs, the webhook outbox and the rate counters.

Every product's tables are declared on the same :class:`Base` (its metadata is the one schema of the store,
migrated by one Alembic history), each in its own room: ``finstance/<product>/tables.py``. Everything that
matters lives in the store, not in process memory, so that N processes can serve one instance and a restart
loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from finstance.core.states import DeliveryStatus, JobStatus
from finstance.core.store.types import EnumText, UTCDateTime

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


class Job(Base):
    """Background work (aggregation, refreshes), claimed by any process of the instance."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    login_id: Mapped[str] = mapped_column(GUID, index=True)
    request_id: Mapped[str | None] = mapped_column(GUID)
    status: Mapped[JobStatus] = mapped_column(EnumText(JobStatus))
    run_after: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_jobs_status_run_after", "status", "run_after"),)


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
    # None once the event was forgotten with its login (DeleteCard): the row stays as a record.
    event_id: Mapped[str | None] = mapped_column(
        GUID, ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[str] = mapped_column(GUID, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[DeliveryStatus] = mapped_column(EnumText(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # How many attempts the event allows (Pay's session events are sent once); None: the instance's setting.
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)


class RateCounter(Base):
    """Requests counted against one limit in one time window, shared by every process of the instance.

    ``key`` is a hash keyed with the instance's secret: the names it counts (a loginId, a username)
    are not kept.
    """

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ApiClient(Base):
    """A client of a product's server-to-server API (Pay, Upload): client credentials, created with the CLI.

    The secret is shown once and kept only as a hash (:func:`finstance.core.keys.hash_key`).
    """

    __tablename__ = "api_clients"
    client_id: Mapped[str] = mapped_column(GUID, primary_key=True)
    product: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A Bearer token issued to an API client, kept only as a hash; ``spent`` once it started what a
    single-use token may start (a Pay session)."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(
        GUID, ForeignKey("api_clients.client_id", ondelete="CASCADE"), index=True
    )
    product: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    spent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# (table, column) pairs of the core's tables that hold identifiers minted by the instance (residency audit).
MINTED: tuple[tuple[Any, str], ...] = (
    (Job, "id"),
    (Job, "login_id"),
    (Job, "request_id"),
    (OutboxEvent, "id"),
    (OutboxEvent, "login_id"),
    (WebhookEndpoint, "id"),
    (WebhookDelivery, "id"),
    (WebhookDelivery, "event_id"),
    (WebhookDelivery, "endpoint_id"),
    (ApiClient, "client_id"),
    (ApiToken, "client_id"),
)
