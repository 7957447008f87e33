"""Pay's wire documents for V2 sessions (the SDK parses answers with these): what a create answers, a
session's status, and its details (kept whole: the guide's shape and the schema's aliases both)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel


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


# -- EFT API V1 ---------------------------------------------------------------------------------------------


class Party(_Model):
    name: str | None = None
    email: str | None = None
    contact_id: str | None = Field(None, alias="contactId")
    account_id: str | None = Field(None, alias="accountId")


class ScheduleCreated(_Model):
    """One schedule as ``POST /api/v1/transactions`` answers it."""

    id: str
    amount: float
    start_date: str = Field(alias="startDate")
    end_date: str | None = Field(None, alias="endDate")
    transactions_count: int = Field(alias="transactionsCount")
    frequency: str  # OneTime, Weekly, Biweekly, Monthly
    payor: Party
    payee: Party
    status: str  # Active, Completed, Cancelled
    pad_status: str | None = Field(
        None, alias="padStatus"
    )  # Pending, Active, Cancelled, Expired; None: a credit
    pad_id: str | None = Field(None, alias="padId")
    cross_reference_number: str | None = Field(None, alias="crossReferenceNumber")
    payment_direction: str = Field(alias="paymentDirection")


class TransactionCreated(_Model):
    schedules: list[ScheduleCreated]


class SchedulePayment(_Model):
    request_id: str = Field(alias="requestId")
    sequence: int
    payment_date: str = Field(alias="paymentDate")
    status: str
    status_details: str | None = Field(None, alias="statusDetails")
    file_date: str | None = Field(None, alias="fileDate")


class Schedule(_Model):
    """``GET /api/v1/schedules/{scheduleId}``: the schedule, its PAD agreement's id and its payments."""

    id: str
    amount: float
    start_date: str = Field(alias="startDate")
    end_date: str | None = Field(None, alias="endDate")
    transactions_count: int = Field(alias="transactionsCount")
    payment_frequency: str = Field(alias="paymentFrequency")
    payment_direction: str = Field(alias="paymentDirection")
    status: str
    pad_id: str | None = Field(None, alias="padId")
    pad_status: str | None = Field(None, alias="padStatus")
    cross_reference_number: str | None = Field(None, alias="crossReferenceNumber")
    payments: list[SchedulePayment] = Field(default_factory=list)


class Pad(_Model):
    """``GET /api/v1/pads/{padId}``: the agreement and the link its payor signs at."""

    id: str
    pad_link: str = Field(alias="padLink")
    schedule_id: str | None = Field(None, alias="scheduleId")
    amount: float
    frequency: str
    status: str  # Pending, Active, Cancelled, Expired
    start_date: str = Field(alias="startDate")
    end_date: str | None = Field(None, alias="endDate")
    transactions_count: int = Field(alias="transactionsCount")
    payor: dict[str, Any]


class EftAccount(_Model):
    id: str  # what a transaction's accountInfo.accountId takes
    institution_code: str = Field(alias="institutionCode")
    transit_number: str = Field(alias="transitNumber")
    account_number: str = Field(alias="accountNumber")
    is_valid: bool = Field(True, alias="isValid")


class ContactAccounts(_Model):
    eft_accounts: list[EftAccount] = Field(default_factory=list, alias="eftAccounts")


class Contact(_Model):
    id: str
    first_name: str | None = Field(None, alias="firstName")
    last_name: str | None = Field(None, alias="lastName")
    legal_name: str | None = Field(None, alias="legalName")
    email_address: str | None = Field(None, alias="emailAddress")
    contact_type: str = Field(alias="contactType")  # Individual, Business
    accounts: ContactAccounts


class PaymentRequest(_Model):
    """``GET /api/v1/paymentrequests/{requestId}``: one payment of a schedule."""

    id: str
    status: str  # Initiated, Processing, Accepted, Processed, Settled, Cancelled, Expired, Returned, ...
    status_details: str | None = Field(None, alias="statusDetails")  # a CPA code once returned
    eft_status: str | None = Field(None, alias="eftStatus")
    payment_reference_number: str | None = Field(None, alias="paymentReferenceNumber")
    schedule_id: str | None = Field(None, alias="scheduleId")
    sequence: int | None = None
    amount: float | None = None
    payment_date: str | None = Field(None, alias="paymentDate")
    file_date: str | None = Field(None, alias="fileDate")


class PurposeCode(_Model):
    value: int
    description: str


class PurposeCategory(_Model):
    name: str
    direction: str
    purpose_codes: list[PurposeCode] = Field(alias="purposeCodes")


class PurposeCategories(RootModel[list[PurposeCategory]]):
    pass


class EftInstitution(_Model):
    institution_code: str = Field(alias="institutionCode")
    name: str


class EftInstitutions(_Model):
    institutions: list[EftInstitution]
