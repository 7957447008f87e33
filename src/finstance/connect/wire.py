"""The Flinks wire format: request bodies and response documents, PascalCase as on the real API.

Requests bind keys case-insensitively (``username`` works like ``Username``, as on Flinks) and ignore
unknown legacy fields, but values are typed strictly: ``"true"`` is not a boolean and ``0`` is not one
either. Responses are serialized by the services as plain dicts; the models here describe them in the
OpenAPI document and keep unknown fields (``extra="allow"``) for clients.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from finstance.core.wire import FlinksRequest, FlinksResponse, Link

Language = Literal["en", "fr"]
Days = Literal["Days90", "Days365", "Days360"]
StatementCount = Literal["MostRecent", "Months3", "Months12"]


# -- requests ---------------------------------------------------------------------------------------


class AuthorizeRequest(FlinksRequest):
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


class RefreshDeltaItem(FlinksRequest):
    account_id: StrictStr
    transaction_id: StrictStr


class RequestIdBody(FlinksRequest):
    request_id: StrictStr

    @cached_property
    def stored(self) -> dict[str, Any]:
        """The options as a session stores them (JSON, Flinks' names): compared with the stored ones at each
        data call, computed once for each body (a body is only read)."""
        return self.model_dump(mode="json", by_alias=True)

    @cached_property
    def shown(self) -> bytes:
        """The options that shape an answer (all but the RequestId), as sorted JSON: the document cache's
        part of a key (connect/documents.py), computed once for each body."""
        shown = {name: value for name, value in self.stored.items() if name != "RequestId"}
        return json.dumps(shown, sort_keys=True, separators=(",", ":")).encode()


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


class ScheduledRefreshRequest(FlinksRequest):
    login_id: StrictStr
    is_activated: StrictBool


class MFAQuestionAnswer(FlinksRequest):
    question: StrictStr = Field(max_length=500)
    answer: StrictStr = Field(max_length=500)


class AnswerMFAQuestionsRequest(FlinksRequest):
    login_id: StrictStr
    questions: list[MFAQuestionAnswer] = Field(max_length=50)


# -- responses --------------------------------------------------------------------------------------


class TokenResponse(FlinksResponse):
    http_status_code: int
    token: str


class LoginInfo(FlinksResponse):
    username: str
    is_scheduled_refresh: bool
    last_refresh: str
    type: str
    id: str


class SecurityChallenge(FlinksResponse):
    type: str
    prompt: str


class AuthorizeResponse(FlinksResponse):
    http_status_code: int
    links: list[Link] | None = None
    institution_name: str | None = None
    login: LoginInfo | None = None
    institution_id: int | None = None
    institution: str
    request_id: str
    security_challenges: list[SecurityChallenge] | None = None
    tag: str | None = None


class Address(FlinksResponse):
    civic_address: str | None
    city: str | None
    province: str | None
    postal_code: str | None
    po_box: str | None = Field(alias="POBox")
    country: str | None


class Holder(FlinksResponse):
    name: str | None
    address: Address | None
    email: str | None
    phone_number: str | None


class Balance(FlinksResponse):
    available: float | None
    current: float | None
    limit: float | None


class TransactionOut(FlinksResponse):
    date: str
    code: str | None
    description: str
    debit: float | None
    credit: float | None
    balance: float | None
    id: str


class StatementOut(FlinksResponse):
    unique_id: str
    file_type: str
    base64_bytes: str


class AccountStatements(FlinksResponse):
    account_number: str
    account_id: str | None = None
    statements: list[StatementOut]


class AccountDetail(FlinksResponse):
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


class AccountSummary(FlinksResponse):
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


class _DataResponse(FlinksResponse):
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


class DeleteCardResponse(FlinksResponse):
    """DeleteCard alone answers with ``StatusCode`` rather than ``HttpStatusCode`` (reference 2.11)."""

    status_code: int
    message: str


class MessageResponse(FlinksResponse):
    http_status_code: int | None = None
    message: str


class MFAQuestion(FlinksResponse):
    question: str


class MFAQuestionsResponse(FlinksResponse):
    message: str
    questions: list[MFAQuestion]


class ScheduledRefreshResponse(FlinksResponse):
    http_status_code: int
    message: str
    login_id: str
    is_scheduled_refresh: bool


class UrlOut(FlinksResponse):
    type: str
    url: str


class Localization(FlinksResponse):
    language: str
    name: str
    urls: list[UrlOut]


class InstitutionOut(FlinksResponse):
    id: int
    localizations: list[Localization]
    status: str
    country: str
    routing_numbers: list[str]


class InstitutionsResponse(FlinksResponse):
    http_status_code: int
    count: int
    institutions: list[InstitutionOut]
