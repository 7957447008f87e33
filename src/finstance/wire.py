"""The Flinks wire format: request bodies and response documents, PascalCase as on the real API.

Requests bind keys case-insensitively (``username`` works like ``Username``, as on Flinks) and ignore
unknown legacy fields, but values are typed strictly: ``"true"`` is not a boolean and ``0`` is not one
either. Responses are serialized by the services as plain dicts; the models here describe them in the
OpenAPI document and keep unknown fields (``extra="allow"``) for clients.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator
from pydantic.alias_generators import to_pascal

Language = Literal["en", "fr"]
Days = Literal["Days90", "Days365", "Days360"]
StatementCount = Literal["MostRecent", "Months3", "Months12"]


def _holds_nul(value: Any) -> bool:
    """Whether a NUL character hides in any key or string of a JSON value: no Flinks field holds one, and
    PostgreSQL refuses it in text, so it is refused here as invalid input rather than reaching the store."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _Request(BaseModel):
    model_config = ConfigDict(alias_generator=to_pascal, populate_by_name=True, extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _case_insensitive_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if _holds_nul(data):
            raise ValueError("text must not contain NUL characters")
        by_lower: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            alias = field.alias or name
            by_lower[alias.lower()] = alias
        return {by_lower.get(k.lower(), k) if isinstance(k, str) else k: v for k, v in data.items()}


# -- requests ---------------------------------------------------------------------------------------


class AuthorizeRequest(_Request):
    login_id: StrictStr | None = None
    most_recent_cached: StrictBool | None = None
    institution: StrictStr | None = Field(default=None, max_length=100)
    username: StrictStr | None = Field(default=None, max_length=200)
    password: StrictStr | None = Field(default=None, max_length=200)
    language: Language = "en"
    tag: StrictStr | None = Field(default=None, max_length=500)
    request_id: StrictStr | None = None
    security_responses: dict[StrictStr, list[StrictStr]] | None = None
    save: StrictBool = True
    schedule_refresh: StrictBool = False


class RefreshDeltaItem(_Request):
    account_id: StrictStr
    transaction_id: StrictStr


class RequestIdBody(_Request):
    request_id: StrictStr


class AccountsSummaryRequest(RequestIdBody):
    pass


class AccountsDetailRequest(RequestIdBody):
    with_transactions: StrictBool = True
    with_balance: StrictBool = True
    with_account_identity: StrictBool = False
    with_kyc: StrictBool = Field(default=False, alias="WithKYC")
    days_of_transactions: Days = "Days90"
    accounts_filter: list[StrictStr] | None = None
    date_from: date | None = None
    date_to: date | None = None
    refresh_delta: list[RefreshDeltaItem] | None = None
    with_details_and_banking_statements: StrictBool = False
    number_of_banking_statements: StatementCount = "MostRecent"

    @model_validator(mode="after")
    def _dates_in_order(self) -> AccountsDetailRequest:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("DateFrom must not be after DateTo")
        return self


class StatementsRequest(RequestIdBody):
    number_of_statements: StatementCount = "MostRecent"
    accounts_filter: list[StrictStr] | None = None


class ScheduledRefreshRequest(_Request):
    login_id: StrictStr
    is_activated: StrictBool


class MFAQuestionAnswer(_Request):
    question: StrictStr = Field(max_length=500)
    answer: StrictStr = Field(max_length=500)


class AnswerMFAQuestionsRequest(_Request):
    login_id: StrictStr
    questions: list[MFAQuestionAnswer] = Field(max_length=50)


# -- responses --------------------------------------------------------------------------------------


class _Response(BaseModel):
    model_config = ConfigDict(alias_generator=to_pascal, populate_by_name=True, extra="allow")


class Link(BaseModel):
    model_config = ConfigDict(extra="allow")
    rel: str
    href: str
    example: str | None = None


class FlinksErrorBody(_Response):
    """Every error, and the 202 answers, have this shape."""

    http_status_code: int
    flinks_code: str
    message: str
    links: list[Link] | None = None
    institution: str | None = None
    request_id: str | None = None


class TokenResponse(_Response):
    http_status_code: int
    token: str


class LoginInfo(_Response):
    username: str
    is_scheduled_refresh: bool
    last_refresh: str
    type: str
    id: str


class SecurityChallenge(_Response):
    type: str
    prompt: str


class AuthorizeResponse(_Response):
    http_status_code: int
    links: list[Link] | None = None
    institution_name: str | None = None
    login: LoginInfo | None = None
    institution_id: int | None = None
    institution: str
    request_id: str
    security_challenges: list[SecurityChallenge] | None = None
    tag: str | None = None


class Address(_Response):
    civic_address: str | None
    city: str | None
    province: str | None
    postal_code: str | None
    po_box: str | None = Field(alias="POBox")
    country: str | None


class Holder(_Response):
    name: str | None
    address: Address | None
    email: str | None
    phone_number: str | None


class Balance(_Response):
    available: float | None
    current: float | None
    limit: float | None


class TransactionOut(_Response):
    date: str
    code: str | None
    description: str
    debit: float | None
    credit: float | None
    balance: float | None
    id: str


class StatementOut(_Response):
    unique_id: str
    file_type: str
    base64_bytes: str


class AccountStatements(_Response):
    account_number: str
    account_id: str | None = None
    statements: list[StatementOut]


class AccountDetail(_Response):
    transactions: list[TransactionOut] | None = None
    transit_number: str | None
    institution_number: str | None
    routing_number: str | None = None
    overdraft_limit: float | None
    title: str
    account_number: str
    last_four_digits: str | None
    balance: Balance | None
    category: str
    type: str
    currency: str
    holder: Holder | None
    account_type: str | None
    id: str


class AccountSummary(_Response):
    eft_eligible_ratio: float
    e_transfer_eligible_ratio: float = Field(alias="ETransferEligibleRatio")
    title: str
    account_number: str
    last_four_digits: str | None
    balance: Balance | None
    category: str
    type: str
    currency: str
    holder: Holder | None
    account_type: str | None
    id: str


class _DataResponse(_Response):
    http_status_code: int
    links: list[Link] | None = None
    institution_name: str
    login: LoginInfo
    institution_id: int
    institution: str
    request_id: str
    tag: str | None = None


class AccountsDetailResponse(_DataResponse):
    accounts: list[AccountDetail]
    statements_by_account: list[AccountStatements] | None = None


class AccountsSummaryResponse(_DataResponse):
    accounts: list[AccountSummary]


class StatementsResponse(_DataResponse):
    statements_by_account: list[AccountStatements]


class DeleteCardResponse(_Response):
    """DeleteCard alone answers with ``StatusCode`` rather than ``HttpStatusCode`` (reference 2.11)."""

    status_code: int
    message: str


class MessageResponse(_Response):
    http_status_code: int | None = None
    message: str


class MFAQuestion(_Response):
    question: str


class MFAQuestionsResponse(_Response):
    message: str
    questions: list[MFAQuestion]


class ScheduledRefreshResponse(_Response):
    http_status_code: int
    message: str
    login_id: str
    is_scheduled_refresh: bool


class UrlOut(_Response):
    type: str
    url: str


class Localization(_Response):
    language: str
    name: str
    urls: list[UrlOut]


class InstitutionOut(_Response):
    id: int
    localizations: list[Localization]
    status: str
    country: str
    routing_numbers: list[str]


class InstitutionsResponse(_Response):
    http_status_code: int
    count: int
    institutions: list[InstitutionOut]
