"""Pay's wire documents for V2 sessions (the SDK parses answers with these): what a create answers, a
session's status, and its details (kept whole: the guide's shape and the schema's aliases both)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SessionCreated(_Model):
    session_id: str = Field(alias="sessionId")
    reference_id: str | None = Field(None, alias="referenceId")


class SessionStatus(_Model):
    session_id: str = Field(alias="sessionId")
    reference_id: str | None = Field(None, alias="referenceId")
    amount: float | None = None  # dollars, as the wire carries them (None until the payor enters it)
    status: str  # Initiated, InProgress, Completed, Failed, Canceled, Expired
    status_details: str | None = Field(None, alias="statusDetails")  # EFT0101, EFT0301, ...


class SessionDetails(SessionStatus):
    type: str
    direction: str
    currency: str
    step: dict[str, Any]
    payor: dict[str, Any]
    payee: dict[str, Any]
    options: dict[str, Any]


class PaymentView(SessionStatus):
    """A sandbox simulation's answer: the session's words and its money's own status."""

    payment_status: str = Field(alias="paymentStatus")  # Processed, Settled, Returned, ...
    payment_status_details: str | None = Field(None, alias="paymentStatusDetails")  # a CPA code once returned
    file_date: str | None = Field(None, alias="fileDate")


class FileTotals(_Model):
    count: int
    total: int  # cents


class FileSummary(_Model):
    file_date: str = Field(alias="fileDate")  # YYYY-MM-DD
    file_creation_number: int = Field(alias="fileCreationNumber")
    created_at: str = Field(alias="createdAt")
    debits: FileTotals
    credits: FileTotals


class Files(_Model):
    files: list[FileSummary]


class ClockMoved(_Model):
    now: str
    moved: int | None = None  # sessions the clock moved
    files: list[FileSummary] = Field(default_factory=list)  # the files the move wrote
