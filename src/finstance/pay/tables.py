"""Pay's tables: V2 payment sessions (EFT, Guaranteed EFT, Interac e-Transfer), with the idempotency key an
API client created each one with. Amounts are integer cents. Pay exists on Canadian instances only: a U.S.
store holds these tables (one schema history for every instance) but never a row of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
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
