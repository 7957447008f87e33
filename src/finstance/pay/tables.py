"""Pay's tables: V2 payment sessions (EFT, Guaranteed EFT, Interac e-Transfer), with the idempotency key an
API client created each one with; the CPA-005 files the instance's settlement wrote, one per file day; the
instance's Pay clock. Amounts are integer cents. Pay exists on Canadian instances only: a U.S. store holds
these tables (one schema history for every instance) but never a row of them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finstance.core.store.tables import GUID, Base
from finstance.core.store.types import EnumText, UTCDateTime
from finstance.pay.lifecycle import PaymentStatus, SessionStatus


class PaySession(Base):
    __tablename__ = "pay_sessions"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)  # the API client that created it
    reference_id: Mapped[str | None] = mapped_column(String(100))
    rail: Mapped[str] = mapped_column(String(16))  # EFT, GEFT, e-Transfer
    direction: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int | None] = mapped_column(Integer)  # cents; None until the payor enters it
    status: Mapped[SessionStatus] = mapped_column(EnumText(SessionStatus))  # the session's words (6.3)
    status_details: Mapped[str | None] = mapped_column(String(8))
    # The payment request the session carries (pay/lifecycle.py): its status, since when, its details.
    payment_status: Mapped[PaymentStatus] = mapped_column(EnumText(PaymentStatus))
    payment_since: Mapped[datetime] = mapped_column(UTCDateTime)
    payment_details: Mapped[str | None] = mapped_column(String(8))
    # When the clock moves the request next (pay/lifecycle.next_transition); None when only a person can.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # An accepted EFT: the business day whose CPA-005 file carries it, and that file once written.
    file_date: Mapped[date | None] = mapped_column(Date, index=True)
    file_id: Mapped[str | None] = mapped_column(GUID, index=True)
    # The payment widget's state between its screens (pay/widget.py): the bank sign-in's RequestId, the
    # account chosen, the guarantee offered. None until the payor opens the widget.
    flow: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    step: Mapped[str] = mapped_column(String(32))
    payor: Mapped[dict[str, Any]] = mapped_column(JSON)
    payee: Mapped[dict[str, Any]] = mapped_column(JSON)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    login_id: Mapped[str | None] = mapped_column(GUID, index=True)  # the payor's bank login, once linked
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))  # of the create body, for idempotent replays
    guaranteed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)


class PayFile(Base):
    """The CPA-005 file of one file day: which day, its creation number. Its records are rendered from the
    sessions it carries (pay/files.py), so DeleteCard's removal of a session leaves no copy of it here."""

    __tablename__ = "pay_files"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    file_date: Mapped[date] = mapped_column(Date, unique=True)
    creation_number: Mapped[int] = mapped_column(Integer)  # 1-9999, one more per file, as banks expect
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # on the Pay clock: the day's cut-off or later


class PayClock(Base):
    """The instance's Pay clock, as an offset from the real one: a sandbox control moves it forward. Its one
    row is also the lock that makes one settlement run at a time."""

    __tablename__ = "pay_clock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    offset_seconds: Mapped[int] = mapped_column(BigInteger)


# -- EFT API V1: contacts, their bank accounts, transactions' schedules and the payment requests they make --


class PayContact(Base):
    """An end-user an API client pays or collects from (EFT API V1): a person's names or a business's."""

    __tablename__ = "pay_contacts"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    legal_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_type: Mapped[str] = mapped_column(String(16))  # Individual (first and last name) or Business
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PayContactAccount(Base):
    """A contact's bank account for EFT: its ``accountId`` names it in later transactions."""

    __tablename__ = "pay_contact_accounts"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(GUID, index=True)
    institution_code: Mapped[str] = mapped_column(String(3))
    transit_number: Mapped[str] = mapped_column(String(5))
    account_number: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScheduleStatus(enum.StrEnum):
    """A schedule as stored: active until cancelled. ``Completed`` (no payment left to go) is read from its
    payments, never stored."""

    ACTIVE = "Active"
    CANCELLED = "Cancelled"


class PaySchedule(Base):
    """One ``POST /api/v1/transactions``: a one-time or recurring EFT between the client and a contact's
    account, and the PAD agreement a debit's payor signs (its ``padId``; the payments wait for it)."""

    __tablename__ = "pay_schedules"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    contact_id: Mapped[str] = mapped_column(GUID, index=True)
    account_id: Mapped[str] = mapped_column(GUID, index=True)
    direction: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(Integer)  # cents, of each payment
    currency: Mapped[str] = mapped_column(String(3))
    transaction_code: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(String(15))
    cross_reference: Mapped[str | None] = mapped_column(String(36))
    frequency: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    transactions_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[ScheduleStatus] = mapped_column(EnumText(ScheduleStatus))
    pad_id: Mapped[str | None] = mapped_column(GUID, unique=True)
    pad_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)


class PayRequest(Base):
    """One payment of a schedule, on its payment day: moved by the same life as a session's payment request
    (pay/lifecycle.py), filed and settled by the same settlement."""

    __tablename__ = "pay_requests"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    schedule_id: Mapped[str] = mapped_column(GUID, index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # 1 for the first payment of the schedule
    payment_date: Mapped[date] = mapped_column(Date)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the clock accepts it then, once authorized
    rail: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(Integer)
    payment_status: Mapped[PaymentStatus] = mapped_column(EnumText(PaymentStatus))
    payment_since: Mapped[datetime] = mapped_column(UTCDateTime)
    payment_details: Mapped[str | None] = mapped_column(String(8))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    file_date: Mapped[date | None] = mapped_column(Date, index=True)
    file_id: Mapped[str | None] = mapped_column(GUID, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
